"""Who held what, when: control periods derived from captures, surrenders, withdrawals and statements.

Part of resolution: it reads the canonical events and every article's statements of who holds a place
("IS-held Raqqa", "under government control since 2016"), and makes, for each place, the periods each
actor held it. The rules:

- A capture of the place itself (not "eight villages near Aleppo") gives its agents the place from its date; a surrender gives it to whom the agents surrendered;
  a capture or withdrawal names who lost it (its targets), whose period ends there (and, if nothing earlier
  says since when they held it, starts unknown).
- A statement says its actor held the place on the day the article was published, or since the date it
  gives. A period runs from its first evidence through every later evidence of the same actor, and ends at
  the first capture or surrender after that by someone else, or where the actor lost the place.
- A statement never ends another actor's period: evidence of two actors on one day, or an actor's
  evidence inside another's period, is a conflict. Both periods are kept, each with its sources, and
  linked by ``ckg:conflictsWith``.
- A period is about its place only: control of a neighbourhood says nothing of its city, nor the reverse.
- Undated captures and statements from undated articles fix no period; nor do events placed only in a country
  ("Russia withdrew from Syria").

>>> from kg.resolution import Roles
>>> raqqa = "place/sy/raqqa"
>>> taken = CanonicalEvent("capture/x", "Capture", "Capture in Raqqa, 2013", ("claim/a/0",), DateValue(2013), raqqa,
...                        Roles(agents=("actor/islamic-state",)), changes_hands=True)
>>> [(p.actor, p.start.lexical(), p.end) for p in control_periods([taken], [])]
[('actor/islamic-state', '2013', None)]
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kg.dates import DateValue
from kg.resolution import CanonicalEvent

CHANGES_HANDS = {"Capture": "agents", "Surrender": "targets"}
"""Event types that give a place to a side, and the role that gains it (the other side loses it)."""


@dataclass(frozen=True)
class ControlStatement:
    """One article's statement that ``actor`` holds ``place`` (read from the article's graph)."""

    ref: str  # claim ref
    article: str
    place: str
    actor: str
    evidence: tuple[str, ...] = ()  # mention refs
    observed: DateValue | None = None
    since: DateValue | None = None


@dataclass(frozen=True)
class _Evidence:
    """One piece of evidence of who held a place: an actor gaining or holding it, or losing it, on a date."""

    date: DateValue
    actor: str
    gains: bool  # False: the actor lost the place here
    source: str  # event or claim ref
    mentions: tuple[str, ...]
    statement: bool = False  # said of the place ("IS-held Raqqa"), not an event that changed its hands


@dataclass(frozen=True)
class ControlPeriod:
    """An actor holding a place from ``start`` to ``end`` (None: not known, or still), with what fixes it."""

    place: str
    actor: str
    start: DateValue | None
    end: DateValue | None
    started_by: tuple[str, ...] = ()  # event or claim refs
    ended_by: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # every event and claim that supports it
    evidence: tuple[str, ...] = ()  # mention refs
    conflicts: tuple[str, ...] = ()  # keys of periods of other actors it overlaps
    key: str = ""  # place/actor/start, unique among the periods (given by :func:`control_periods`)

    def base_key(self) -> str:
        place = self.place.split("/", 1)[1]
        return f"{place}/{self.actor.split('/', 1)[1]}/{self.start.lexical() if self.start else 'unknown'}"


def control_periods(events: Sequence[CanonicalEvent], statements: Sequence[ControlStatement],
                    redirects: dict[str, str] | None = None, sides: dict[str, str] | None = None) -> list[ControlPeriod]:
    """Every place's control periods, by the rules in the module's docstring, in key order.

    ``sides`` maps a person to the actor they belong to: "Assad recaptured Palmyra" gives it to the government.
    """
    redirects = redirects or {}
    sides = sides or {}
    by_place: dict[str, list[_Evidence]] = {}
    for event in events:
        role = CHANGES_HANDS.get(event.type)
        if role is None or event.date is None or event.place is None or not event.changes_hands \
                or event.place.startswith("place/country/"):
            continue  # "IS captured eight villages near Aleppo" says nothing of who holds Aleppo, nor a country's
        gainers = tuple(dict.fromkeys(sides.get(r, r) for r in getattr(event.roles, role)))
        losers = tuple(dict.fromkeys(sides.get(r, r) for r in (event.roles.targets if role == "agents"
                                                                else event.roles.agents)))
        for actor in gainers:
            by_place.setdefault(event.place, []).append(_Evidence(event.date, actor, True, event.ref, event.evidence))
        for actor in losers:
            if actor not in gainers:
                by_place.setdefault(event.place, []).append(_Evidence(event.date, actor, False, event.ref,
                                                                      event.evidence))
    for s in statements:
        place, actor = redirects.get(s.place, s.place), redirects.get(s.actor, s.actor)
        actor = sides.get(actor, actor)
        if s.since is not None:
            by_place.setdefault(place, []).append(_Evidence(s.since, actor, True, s.ref, s.evidence, statement=True))
        if s.observed is not None:
            by_place.setdefault(place, []).append(_Evidence(s.observed, actor, True, s.ref, s.evidence,
                                                            statement=True))
    periods = [p for place in sorted(by_place) for p in _periods(place, by_place[place])]
    return _with_conflicts(periods)


def _order(e: _Evidence) -> tuple:
    return (e.date.first_day(), e.date.last_day(), not e.gains, e.actor, e.source)


def _periods(place: str, evidence: list[_Evidence]) -> list[ControlPeriod]:
    evidence = sorted(set(evidence), key=_order)
    out: list[ControlPeriod] = []
    for actor in sorted({e.actor for e in evidence}):
        others = [e for e in evidence if e.actor != actor and e.gains and not e.statement]  # what ends a period
        current: list[_Evidence] = []
        for e in (e for e in evidence if e.actor == actor):
            if not e.gains:  # lost here: the period ends (one whose start is not known, if none is open)
                out.append(_period(place, actor, current, e))
                current = []
                continue
            between = _first_after(others, current[-1]) if current else None
            if between is not None and between.date.first_day() <= e.date.first_day():
                out.append(_period(place, actor, current, between))  # someone else held it in between
                current = []
            current.append(e)
        if current:
            out.append(_period(place, actor, current, _first_after(others, current[-1])))
    return out


def _after(a: _Evidence, b: _Evidence) -> bool:
    """Whether ``a`` is told for a time after ``b`` at the precision both give."""
    return a.date.first_day() > b.date.last_day()


def _first_after(others: Iterable[_Evidence], last: _Evidence) -> _Evidence | None:
    return next((o for o in others if _after(o, last)), None)


def _period(place: str, actor: str, support: list[_Evidence], end: _Evidence | None) -> ControlPeriod:
    first = support[0] if support else None
    sources = tuple(sorted({e.source for e in support} | ({end.source} if end and not end.gains else set())))
    mentions = tuple(sorted({m for e in support for m in e.mentions} |
                            (set(end.mentions) if end is not None and not end.gains else set())))
    return ControlPeriod(place, actor, first.date if first else None, end.date if end else None,
                         (first.source,) if first else (), (end.source,) if end else (), sources, mentions)


def _overlap(a: ControlPeriod, b: ControlPeriod) -> bool:
    """Whether two periods share a day (an unknown start or end is open that way)."""
    a_start = a.start.first_day() if a.start else None
    b_start = b.start.first_day() if b.start else None
    a_end = a.end.first_day() if a.end else None
    b_end = b.end.first_day() if b.end else None
    starts_before_b_ends = a_start is None or b_end is None or a_start < b_end
    b_starts_before_a_ends = b_start is None or a_end is None or b_start < a_end
    return starts_before_b_ends and b_starts_before_a_ends


def _with_conflicts(periods: list[ControlPeriod]) -> list[ControlPeriod]:
    seen: dict[str, int] = {}
    keyed = []
    for p in sorted(periods, key=lambda p: (p.base_key(), p.sources)):
        seen[p.base_key()] = seen.get(p.base_key(), 0) + 1
        n = seen[p.base_key()]
        keyed.append(replace(p, key=p.base_key() if n == 1 else f"{p.base_key()}~{n}"))
    return [replace(p, conflicts=tuple(sorted(q.key for q in keyed if q.place == p.place and q.actor != p.actor
                                              and _overlap(p, q)))) for p in keyed]


__all__ = ["ControlPeriod", "ControlStatement", "control_periods"]
