"""An article's tolls for one event: not those of the tellings that say they tell another.

An article that tells one attack often gives several numbers of dead: the
attack's toll, another source's count of it, a part of it, the area's total
for the day, and the toll of a separate strike told in passing ("separate
air strikes killed at least 12", "a further nine were killed elsewhere").
The last are another event's, and are not this event's figures.

>>> told = [ToldFigures(Figures(killed=19)), ToldFigures(Figures(killed=6)),
...         ToldFigures(Figures(killed=9), another=True), ToldFigures(Figures(injured=5))]
>>> [(f.killed, f.injured) for f in event_tolls(told)]
[(19, None), (6, None), (None, 5)]
>>> [f.killed for f in event_tolls([ToldFigures(Figures(killed=9), another=True)])]
[9]
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.extraction.figures import Figures

CLOSE_TOLLS = 0.25
"""Tolls this close (a share of the larger) are two counts of one event's dead, not a total and a part of it..."""
CLOSE_TOLLS_FROM = 10
"""...when both are this large: 3 and 4 dead are two events' tolls as often as two counts of one."""


@dataclass(frozen=True)
class ToldFigures:
    """Figures as one telling gave them, and whether it said it told another event."""

    figures: Figures
    another: bool = False  # "separate strikes killed 12", "a further nine were killed elsewhere"
    several: bool = False  # a total of several events: "six killed in three explosions", "among 19 killed"


def close(a: int, b: int) -> bool:
    """Whether two tolls are two counts of one event's dead.

    >>> close(20, 22), close(26, 14), close(4, 3)
    (True, False, False)
    """
    return min(a, b) >= CLOSE_TOLLS_FROM and abs(a - b) <= CLOSE_TOLLS * max(a, b)


def event_tolls(told: Sequence[ToldFigures]) -> list[Figures]:
    """The figures, of those ``told``, that count the event's dead: all but the tolls of tellings that said they
    told another event, once a toll of the event's own is told.

    A total and its parts, and counts of one toll at the event's place and at the area around it, all stay:
    which of them is the event's own depends on what the event is ("26 killed in and around the town", 14 of them
    at its hospital; "eight killed across the region", five at the school), which figures alone do not tell.
    """
    if not any(t.figures.killed is not None and not t.another for t in told):
        return [t.figures for t in told]
    return [t.figures for t in told if not (t.another and t.figures.killed is not None)]
