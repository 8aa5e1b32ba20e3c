"""What an article says -> canonical entities and events; the one place instance IRIs are minted.

:mod:`kg.extraction` has already made each article's tellings of one event
(headline, lead, body) one event. Across articles, an event
joins one already in the store when its type and place match (or one place
is inside the other at the same day), its date is compatible at the known
precision (or, for dates known only to the year, one year apart: "last year"
is reckoned differently by different reports), and its sides do not conflict.
Candidates are looked up by place, so the cost per event is that of the events
at that place, not of the store.
"""
from __future__ import annotations

import hashlib
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol
from urllib.parse import quote

from pyoxigraph import NamedNode

from kg.dates import DateValue
from kg.extraction import ArticleEvent, EntityMention, read_article, slug
from kg.extraction.assembly import PlaceBook
from kg.extraction.figures import Figures
from kg.gazetteer import Gazetteer, Place
from kg.lexicon import Lexicon
from kg.reading import Article
from kg.vocab import ID_NS

DESCRIBED_CLASSES = {"city": "City", "neighbourhood": "Neighbourhood", "site": "Site", "area": "Area"}
"""The class of a place the text described, by the kind ``kg.extraction.places`` gave it."""

IRI_KINDS = ("article", "actor", "person", "place", "event", "mention", "casualties")


def mint_iri(kind: str, key: str) -> NamedNode:
    """The IRI of an instance of ``kind`` with ``key``: stable, percent-encoded, never blank.

    >>> mint_iri("article", "000_e19785c479a03bb6").value
    'https://w3id.org/conflict-kg/id/article/000_e19785c479a03bb6'
    >>> mint_iri("place", "sy/raqqa").value
    'https://w3id.org/conflict-kg/id/place/sy/raqqa'
    >>> mint_iri("article", "a b/ü").value
    'https://w3id.org/conflict-kg/id/article/a%20b%2F%C3%BC'
    """
    if kind not in IRI_KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}; expected one of {', '.join(IRI_KINDS)}")
    safe = "-._~" if kind == "article" else "-._~/"
    return NamedNode(f"{ID_NS}{kind}/{quote(key, safe=safe)}")


def content_hash(text: str) -> str:
    """SHA-256 of an article's text (and so of what the graph says about it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entity:
    """A canonical actor, person or place, as written to the entities graph."""

    kind: str  # "actor" | "person" | "place"
    key: str
    label: str
    classes: tuple[str, ...] = ()  # CKG class names beyond the kind's own
    alt_labels: tuple[str, ...] = ()  # names from the lexicon or gazetteer
    affiliation: str | None = None  # person -> actor ref
    parent: str | None = None  # place -> containing place ref
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    wikidata_id: str | None = None

    @property
    def ref(self) -> str:
        """``kind/key``: how events and other entities point at this one."""
        return f"{self.kind}/{self.key}"


def ref_iri(ref: str) -> NamedNode:
    """The IRI of the entity an ``Entity.ref`` names.

    >>> ref_iri("actor/islamic-state").value
    'https://w3id.org/conflict-kg/id/actor/islamic-state'
    """
    kind, _, key = ref.partition("/")
    return mint_iri(kind, key)


@dataclass(frozen=True)
class Evidence:
    """A sentence an event was read from, with offsets into the article text."""

    text: str
    start: int
    end: int
    in_title: bool = False  # offsets into the article's title, not its text


@dataclass(frozen=True)
class CasualtyFigures:
    """One set of casualty figures an article gives for an event."""

    killed: int | None = None
    civilians: int | None = None
    injured: int | None = None
    qualifier: str = "exact"
    reported_by: str | None = None  # actor ref of the source the article cites
    evidence: Evidence | None = None


@dataclass(frozen=True)
class ResolvedEvent:
    """One event as one article tells it, under its canonical key."""

    key: str
    type: str  # a CKG event class name
    label: str
    date: DateValue | None = None
    place: str | None = None  # place ref
    agents: tuple[str, ...] = ()  # actor or person refs ("actor/…", "person/…")
    targets: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    casualties: tuple[CasualtyFigures, ...] = ()
    claimed_by: tuple[str, ...] = ()  # who claimed responsibility for it
    accused_by: tuple[str, ...] = ()  # who accuses its agents of it


@dataclass(frozen=True)
class ArticleRecord:
    """Everything one article contributes to the graph."""

    article: Article
    content_hash: str
    entities: tuple[Entity, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # (entity ref, surface form met in this article)
    events: tuple[ResolvedEvent, ...] = field(default=())



def ref_of(iri: str) -> str | None:
    """The ``kind/key`` ref of an instance IRI (the inverse of ``ref_iri``), or None for other IRIs.

    >>> ref_of("https://w3id.org/conflict-kg/id/place/sy/raqqa")
    'place/sy/raqqa'
    """
    from urllib.parse import unquote

    return unquote(iri[len(ID_NS):]) if iri.startswith(ID_NS) else None


@dataclass(frozen=True)
class KnownEvent:
    """An event already in the store, as the resolver compares it."""

    key: str
    type: str
    place: str | None
    dates: tuple[DateValue, ...]
    sides: frozenset[str]  # actor refs of its agents, targets and participants
    published: tuple[dt.date, ...] = ()  # publication dates of the articles that report it


class EventIndex(Protocol):
    """What the resolver asks of the store: events of a type at some places, from other articles."""

    def event_candidates(self, event_type: str, places: Sequence[str], *, exclude_article: str,
                         inside: bool = True) -> list[KnownEvent]: ...


class ArticleResolver:
    """Turns what one article says into entities and events under canonical keys."""

    def __init__(self, article: Article, lexicon: Lexicon, gazetteer: Gazetteer, index: EventIndex | None) -> None:
        self.article = article
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.index = index
        self.entities: dict[str, Entity] = {}
        self.aliases: dict[tuple[str, str], None] = {}
        self.person_actor: dict[str, str] = {}
        self.places = PlaceBook(gazetteer, {})

    # --- entities

    def add_entity(self, mention: EntityMention) -> None:
        """Record the entity a mention stands for, and the surface form as an alias."""
        kind, key = mention.kind, mention.key
        if kind == "place" and mention.parent:
            self.places.described[mention.ref] = mention
        if mention.ref not in self.entities:
            if kind == "actor":
                self._ensure_actor(mention.ref, mention)
            elif kind == "person":
                entry = self.lexicon.people.get(key)
                label = entry.label if entry else mention.label
                aliases = entry.aliases if entry else ()
                affiliation = mention.affiliation
                self.entities[mention.ref] = Entity("person", key, label, (), aliases, affiliation=affiliation)
                if affiliation:
                    self._ensure_actor(affiliation)
            else:
                self._add_place(key, mention)
        entity = self.entities[mention.ref]
        if kind == "person" and mention.affiliation and not entity.affiliation:
            self.entities[mention.ref] = replace(entity, affiliation=mention.affiliation)
            self._ensure_actor(mention.affiliation)
        if mention.affiliation:
            self.person_actor[mention.ref] = mention.affiliation
        actor = self.lexicon.actors.get(key) if kind == "actor" else None
        generic = mention.surface.lower() in self.lexicon.generic or (actor is not None and mention.surface == actor.demonym)
        if not generic and mention.surface != entity.label and not (kind == "place" and entity.classes == ("Governorate",)):
            self.aliases[(mention.ref, mention.surface)] = None

    def _ensure_actor(self, ref: str, mention: EntityMention | None = None) -> None:
        if ref in self.entities or not ref.startswith("actor/"):
            return
        key = ref.split("/", 1)[1]
        entry = self.lexicon.actors.get(key)
        if entry is not None:
            self.entities[ref] = Entity("actor", entry.key, entry.label, entry.classes, entry.aliases + entry.exact)
        elif mention is not None:  # an armed group the text names by what it is ("the Hamza Brigade")
            self.entities[ref] = Entity("actor", key, mention.label, mention.classes)

    def _add_place(self, key: str, mention: EntityMention | None = None) -> None:
        """A place and every place containing it, up to its country."""
        if mention is not None and mention.parent:
            self._add_place(mention.parent.split("/", 1)[1])
            kind = DESCRIBED_CLASSES.get(mention.place_kind or "", "Neighbourhood")
            self.entities[f"place/{key}"] = Entity("place", key, mention.label, (kind,), (), parent=mention.parent)
            return
        if key not in self.gazetteer:
            return
        place: Place | None = self.gazetteer.get(key)
        while place is not None:
            ref = f"place/{place.key}"
            if ref in self.entities:
                break
            self.entities[ref] = _place_entity(place)
            place = self.gazetteer.get(place.parent) if place.parent else None

    def _sides(self, refs: Iterable[str]) -> set[str]:
        return {self.person_actor.get(r, r) for r in refs}

    # --- events

    def resolved(self, event: ArticleEvent) -> ResolvedEvent:
        """One of the article's events under its canonical key (an event already in the store, or a new key)."""
        evidence = tuple(Evidence(s.text, s.start, s.end, s.in_title) for s in event.evidence)
        key = self._key(event)
        place_label = self.entities[event.place].label if event.place in self.entities else None
        label = event.type + (f" in {place_label}" if place_label else "") + \
            (f", {event.date.lexical()}" if event.date else "")
        return ResolvedEvent(key=key, type=event.type, label=label, date=event.date, place=event.place,
                             agents=event.agents, targets=event.targets, participants=event.participants,
                             evidence=evidence, casualties=_merged_figures(list(event.figures)),
                             claimed_by=event.claimed_by, accused_by=event.accused_by)

    def _undated(self) -> str:
        """The date part of an undated event's key: when it was reported (undated events of other days differ)."""
        published = self.article.published
        return f"reported-{published.isoformat()}" if published else f"undated-{slug(self.article.id)}"

    def _published_near(self, known: KnownEvent) -> bool:
        published = self.article.published
        return published is not None and any(abs(published - p) <= UNDATED_WINDOW for p in known.published)

    def _reports(self, dates: Sequence[DateValue]) -> bool:
        """Whether this article, undated in what it tells, may report an event of ``dates`` (the days before it)."""
        published = self.article.published
        return published is not None and all(_told_after(d, published) for d in dates)

    def _key(self, event: ArticleEvent) -> str:
        """The key of an event already in the store that this one is, else a new key from its content."""
        agents = self._sides(event.agents) | self._sides(event.participants)
        if self.index is not None and event.place is not None:
            place = self.places.place(event.place)
            places = [event.place]
            if place is not None and place.kind == "neighbourhood" and place.parent:
                places.append(f"place/{place.parent}")
            inside = place is not None and place.kind in {"city", "neighbourhood"}
            for known in self.index.event_candidates(event.type, places, exclude_article=self.article.id, inside=inside):
                if known.type != event.type or not self.places.compatible(known.place, event.place):
                    continue
                if event.date is None:
                    fits = self._reports(known.dates) if known.dates else self._published_near(known)
                    if not fits:
                        continue  # an undated report is of an event of the days before it, or reported with it
                elif not known.dates:
                    if not any(_told_after(event.date, p) for p in known.published):
                        continue  # an undated report of the days after the event
                elif not all(_close(event.date, d) for d in known.dates):
                    continue
                elif known.place != event.place and event.date.precision != "day":
                    continue
                if known.sides and agents and not (self.lexicon.sides(known.sides) & self.lexicon.sides(agents)) \
                        and event.type != "DiplomaticMeeting":
                    continue  # another side did it (who was hit is often left out, or told otherwise)
                return known.key
        parts = [event.type.lower(), event.place.split("/", 1)[1] if event.place else f"article/{self.article.id}",
                 event.date.lexical() if event.date else self._undated()]
        lead = sorted(self._sides(event.agents or event.participants))
        if lead:
            parts.append("+".join(r.split("/", 1)[1] for r in lead[:3]))
        if event.place is None:
            parts.append(hashlib.sha1(event.evidence[0].text.encode()).hexdigest()[:8])
        return "/".join(parts)


UNDATED_WINDOW = dt.timedelta(days=3)
"""Undated events told by two articles published this far apart or less may be one event."""


def _place_entity(place: Place) -> Entity:
    """A gazetteer place as an entity; a governorate is named as one, so it never passes for its capital city."""
    kind_class = {"country": "Country", "governorate": "Governorate", "city": "City", "neighbourhood": "Neighbourhood"}
    label, variants = place.name, tuple(place.variants)
    if place.kind == "governorate":
        base = label[:-len(" Governorate")] if label.lower().endswith(" governorate") else label
        label = f"{base} Governorate"
        variants = (f"{base} province", *(f"{v} Governorate" for v in variants))
    return Entity("place", place.key, label, (kind_class.get(place.kind, "City"),), variants,
                  parent=f"place/{place.parent}" if place.parent else None, latitude=place.latitude,
                  longitude=place.longitude, geonames_id=place.geonames_id)


def _told_after(date: DateValue, published: dt.date) -> bool:
    """Whether an article published on ``published`` may tell, undated, the event of day ``date``.

    >>> _told_after(DateValue(2015, 2, 1), dt.date(2015, 2, 2)), _told_after(DateValue(2015, 2), dt.date(2015, 2, 2))
    (True, False)
    """
    return date.precision == "day" and dt.timedelta(0) <= published - date.first_day() <= UNDATED_WINDOW


def _close(a: DateValue, b: DateValue) -> bool:
    """Dates two reports may give for one event: compatible, or years one apart ("last year" told in January)."""
    if a.compatible(b):
        return True
    return a.precision == b.precision == "year" and abs(a.year - b.year) == 1


def _merged_figures(figures: list[Figures]) -> tuple[CasualtyFigures, ...]:
    """One figure set per article: agreeing figures combined, conflicting ones kept apart."""
    merged: list[Figures] = []
    for f in figures:
        for i, m in enumerate(merged):
            if all(getattr(f, k) is None or getattr(m, k) is None or getattr(f, k) == getattr(m, k)
                   for k in ("killed", "civilians", "injured")):
                merged[i] = Figures(m.killed if m.killed is not None else f.killed,
                                    m.civilians if m.civilians is not None else f.civilians,
                                    m.injured if m.injured is not None else f.injured,
                                    _qualifier(m, f), m.source or f.source)
                break
        else:
            merged.append(f)
    return tuple(CasualtyFigures(m.killed, m.civilians, m.injured, m.qualifier, m.source) for m in merged)


def _qualifier(a: Figures, b: Figures) -> str:
    """The qualifier of two agreeing tellings of a toll: a hedge ("at least 95") beats a bare number ("Kill 95")."""
    if a.killed is None:
        return b.qualifier
    if b.killed == a.killed and a.qualifier == "exact":
        return b.qualifier
    return a.qualifier


def resolve_article(article: Article, doc, digest: str, *, store: EventIndex | None = None,
                    lexicon: Lexicon | None = None, gazetteer: Gazetteer | None = None) -> ArticleRecord:
    """Everything ``article`` (parsed as ``doc``, see :func:`kg.extraction.analysed_text`) contributes to the graph."""
    lexicon = lexicon or Lexicon.load()
    gazetteer = gazetteer or Gazetteer.load()
    resolver = ArticleResolver(article, lexicon, gazetteer, store)
    reading = read_article(article, doc, lexicon=lexicon, gazetteer=gazetteer)
    for mention in reading.mentions:
        parent = reading.place_parents.get(mention.ref)
        resolver.add_entity(replace(mention, parent=parent) if parent else mention)
    events = [resolver.resolved(e) for e in reading.events]
    used = {r for e in events for r in (*e.agents, *e.targets, *e.participants, *e.claimed_by, *e.accused_by, e.place)
            if r}
    used |= {f.reported_by for e in events for f in e.casualties if f.reported_by}
    for ref in sorted(used):
        if ref not in resolver.entities:
            kind = ref.split("/", 1)[0]
            if kind == "actor":
                resolver._ensure_actor(ref)
            elif kind == "place":
                resolver._add_place(ref.split("/", 1)[1])
    return ArticleRecord(article=article, content_hash=digest, entities=tuple(resolver.entities.values()),
                         aliases=tuple(resolver.aliases), events=tuple(events))
