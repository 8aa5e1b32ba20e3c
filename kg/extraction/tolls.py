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

Of the counts that stay, the article's own toll is the one it leads with
(:func:`article_toll`); the others stand beside it as the other counts it
gives: another source's ("the Observatory gave a slightly lower toll of 31"),
a part ("14 of them at the hospital"), a wider area's.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

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
    at: tuple[int, int] = (0, 0)  # where the article told it: (0 in the title, else 1; its sentence's first character)
    around: bool = False  # told of the area around the event's place: "killed in shelling outside Damascus", or
    # a count alone of the province ("17 were killed in Homs province") beside a strike on one neighbourhood
    place: str | None = None  # the place a count told alone (no event in its sentence) names
    update: bool = False  # a toll told as updated ("the death toll rose to 40")


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


def article_toll(told: Sequence[ToldFigures]) -> tuple[list[Figures], list[Figures]]:
    """(the article's own toll, the other counts it gives) of the figures ``told`` for one event.

    The toll is the death toll the article leads with, with the figures that agree with it (the civilians among
    the dead, the injured): of the counts :func:`event_tolls` keeps, the first told, unless a later one updates it
    ("the death toll rose to 40"); a count of the area around its place or a total of several events leads only
    when no other is told. A later breakdown of the toll ("15 civilians and 27 fighters" of "more than 50 killed")
    gives its civilians when the toll does not. Every other count is kept apart, as the other counts.

    >>> toll, other = article_toll([ToldFigures(Figures(killed=35), at=(0, 0)),
    ...                             ToldFigures(Figures(injured=20), at=(1, 40)),
    ...                             ToldFigures(Figures(killed=12), at=(1, 90))])
    >>> [(f.killed, f.injured) for f in toll], [f.killed for f in other]
    ([(35, None), (None, 20)], [12])
    >>> toll, other = article_toll([ToldFigures(Figures(killed=7), at=(0, 0), around=True),
    ...                             ToldFigures(Figures(killed=5), at=(1, 80))])
    >>> [f.killed for f in toll], [f.killed for f in other]
    ([5], [7])
    >>> toll, other = article_toll([ToldFigures(Figures(killed=50), at=(0, 0)),
    ...                             ToldFigures(Figures(killed=42, civilians=15), at=(1, 60))])
    >>> [(f.killed, f.civilians) for f in toll], [f.killed for f in other]
    ([(50, 15)], [42])
    """
    tolls = event_tolls(told)
    kept = sorted((t for t in told if t.figures in tolls), key=lambda t: t.at)
    counts = [t for t in kept if t.figures.killed is not None]
    if not counts:
        return [t.figures for t in kept], []
    lead = min(counts, key=lambda t: (t.several, t.around, not t.update,
                                      t.at if not t.update else (-t.at[0], -t.at[1])))  # the latest update
    killed = lead.figures.killed
    toll = [t.figures for t in kept if t.figures.killed in (None, killed)]
    other = [t.figures for t in kept if t.figures.killed not in (None, killed)]
    if killed is not None and all(f.civilians is None for f in toll):
        breakdown = next((f for f in other if f.civilians is not None and f.killed is not None
                          and f.civilians < f.killed <= killed), None)
        if breakdown is not None:
            toll[toll.index(lead.figures)] = replace(lead.figures, civilians=breakdown.civilians)
    return toll, other
