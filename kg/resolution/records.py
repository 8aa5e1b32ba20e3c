"""The records resolution reads and writes: claims as stored, analysts' overrides, canonical nodes.

>>> Roles(agents=("actor/b", "actor/a")).mapped({"actor/b": "actor/c"}).agents
('actor/c', 'actor/a')
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kg.dates import DateValue


@dataclass(frozen=True)
class FigureReport:
    """One set of figures one article gives for an event, as stored (``ref`` names its node)."""

    ref: str
    killed: int | None = None
    civilians: int | None = None
    injured: int | None = None
    qualifier: str = "exact"
    reported_by: str | None = None  # the actor or person the article says gave them
    other: bool = False  # one of the other counts the article gives beside its toll (another source's, a part)


@dataclass(frozen=True)
class Roles:
    """Who did what in an event: actor or person refs by role."""

    agents: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    claimed_by: tuple[str, ...] = ()  # who claimed responsibility
    accused_by: tuple[str, ...] = ()  # who accuses the agents

    @classmethod
    def union(cls, many: Iterable[Roles]) -> Roles:
        """Every ref any of ``many`` gives a role, sorted.

        >>> Roles.union([Roles(agents=("actor/b",)), Roles(agents=("actor/a", "actor/b"))]).agents
        ('actor/a', 'actor/b')
        """
        many = list(many)
        return cls(*(tuple(sorted({r for roles in many for r in getattr(roles, f)})) for f in ROLE_FIELDS))

    def mapped(self, redirects: dict[str, str]) -> Roles:
        """The same roles with every merged entity replaced by the node it was merged into."""
        return Roles(*(tuple(dict.fromkeys(follow(redirects, r) for r in getattr(self, f))) for f in ROLE_FIELDS))


ROLE_FIELDS = ("agents", "targets", "participants", "claimed_by", "accused_by")


@dataclass(frozen=True)
class Claim:
    """What one article says of one event, as resolution compares it."""

    ref: str  # claim/<article id>/<n>
    article: str  # article ref
    type: str
    published: dt.date | None = None
    outlet: str | None = None
    date: DateValue | None = None
    place: str | None = None
    roles: Roles = Roles()
    evidence: tuple[str, ...] = ()  # mention refs
    figures: tuple[FigureReport, ...] = ()
    changes_hands: bool = False  # a capture or surrender of the place itself
    place_precision: str | None = None  # "governorate": the article named the province of the city ``place`` is


@dataclass(frozen=True)
class EntityClaim:
    """What one article says of one entity: its key, names and (for entities the text describes) description."""

    ref: str  # claim/<article id>/<entity ref>
    article: str
    key: str  # the entity ref the article's reader gave it
    label: str | None = None  # None: the data files describe it; the article only names it
    aliases: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    container: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True)
class Override:
    """An analyst's correction: ``same``, ``different`` (two events or entities) or ``alias`` (a node, a name)."""

    action: str
    first: str  # a claim ref (events) or an entity ref
    second: str  # the same, or the name for ``alias``


@dataclass(frozen=True)
class CanonicalEntity:
    """One person, described place or armed group, from every article's description of it."""

    ref: str
    label: str
    classes: tuple[str, ...] = ()
    alt_labels: tuple[str, ...] = ()
    parent: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True)
class CanonicalEvent:
    """One real event, with every claim resolved to it."""

    key: str
    type: str
    label: str
    claims: tuple[str, ...]
    date: DateValue | None = None
    place: str | None = None
    roles: Roles = Roles()
    articles: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()  # figure report refs: each article's toll
    other_figures: tuple[str, ...] = ()  # figure report refs: the other counts articles give
    sources: tuple[tuple[str, str], ...] = ()  # (figure report ref, who gave the figures)
    killed: tuple[int, int, int] | None = None  # low, best, high
    confidence: float = 0.5
    date_confidence: float | None = None
    place_confidence: float | None = None
    outlets: int = 1
    changes_hands: bool = False  # every claim says the place itself changed hands (not "villages near it")
    place_precision: str | None = None  # "governorate": the reports place it in the province of the city ``place`` is

    @property
    def ref(self) -> str:
        return f"event/{self.key}"


@dataclass(frozen=True)
class Resolution:
    """Everything resolution decided: the canonical events and entities, names, and entity merges."""

    events: tuple[CanonicalEvent, ...] = ()
    entities: tuple[CanonicalEntity, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # (entity ref, a name articles use for it)
    redirects: tuple[tuple[str, str], ...] = ()  # (entity ref an article used, the node it was merged into)


def follow(redirects: dict[str, str], ref: str | None) -> str | None:
    """Where ``ref`` was merged into, following merges of merges (``ref`` itself when it was not).

    >>> follow({"person/a": "person/b", "person/b": "person/c"}, "person/a"), follow({}, "person/x")
    ('person/c', 'person/x')
    """
    seen: set[str] = set()
    while ref in redirects and ref not in seen:
        seen.add(ref)
        ref = redirects[ref]
    return ref
