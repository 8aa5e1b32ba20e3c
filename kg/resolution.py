"""Mentions -> canonical entities and events; the one place instance IRIs are minted.

Within an article, mentions of one event (headline, lead, body) become one
event: same type, compatible place, date and sides. Across articles, an event
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

from kg.dates import DateValue, resolve
from kg.extraction import EntityMention, EventMention, FiguresMention, read_doc, slug
from kg.figures import Figures
from kg.gazetteer import Gazetteer, Place
from kg.lexicon import Lexicon
from kg.reading import Article
from kg.vocab import ID_NS

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


@dataclass
class _Group:
    """Mentions of one event within one article, merged as they come."""

    type: str
    mentions: list[EventMention]
    place: str | None
    date: DateValue | None
    agents: list[str]
    targets: list[str]
    participants: list[str]
    figures: list[Figures]


class ArticleResolver:
    """Turns one article's mentions into entities and events under canonical keys."""

    def __init__(self, article: Article, lexicon: Lexicon, gazetteer: Gazetteer, index: EventIndex | None) -> None:
        self.article = article
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.index = index
        self.entities: dict[str, Entity] = {}
        self.aliases: dict[tuple[str, str], None] = {}
        self.person_actor: dict[str, str] = {}
        self.place_mentions: dict[str, int] = {}

    # --- entities

    def add_entity(self, mention: EntityMention) -> None:
        """Record the entity a mention stands for, and the surface form as an alias."""
        kind, _, key = mention.ref.partition("/")
        if kind == "place":
            self.place_mentions[mention.ref] = self.place_mentions.get(mention.ref, 0) + 1
        if mention.ref not in self.entities:
            if kind == "actor":
                entry = self.lexicon.actors[key]
                self.entities[mention.ref] = Entity("actor", key, entry.label, entry.classes, entry.aliases + entry.exact)
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
        generic = mention.surface.lower() in self.lexicon.generic
        if not generic and mention.surface != entity.label and not (kind == "place" and entity.classes == ("Governorate",)):
            self.aliases[(mention.ref, mention.surface)] = None

    def _ensure_actor(self, ref: str) -> None:
        if ref not in self.entities and ref.startswith("actor/"):
            entry = self.lexicon.actors[ref.split("/", 1)[1]]
            self.entities[ref] = Entity("actor", entry.key, entry.label, entry.classes, entry.aliases + entry.exact)

    def _add_place(self, key: str, mention: EntityMention | None = None) -> None:
        """A place and every place containing it, up to its country."""
        if mention is not None and mention.parent:
            self._add_place(mention.parent.split("/", 1)[1])
            self.entities[f"place/{key}"] = Entity("place", key, mention.label, ("Neighbourhood",), (),
                                                   parent=mention.parent)
            return
        place = self.gazetteer.get(key)
        while place is not None:
            ref = f"place/{place.key}"
            if ref in self.entities:
                break
            self.entities[ref] = _place_entity(place)
            place = self.gazetteer.get(place.parent) if place.parent else None

    # --- events

    def events(self, mentions: Iterable[EventMention | FiguresMention]) -> list[ResolvedEvent]:
        """Merge the article's event mentions into events and give each its canonical key."""
        groups: list[_Group] = []
        anchor: DateValue | None = None
        previous: EventMention | None = None
        for mention in mentions:
            if isinstance(mention, FiguresMention):
                self._attach_figures(mention.figures, groups)
                continue
            date = resolve(mention.date_text, published=self.article.published, anchor=anchor) if mention.date_text else None
            if date is not None:
                anchor = date
            if previous is not None and previous.type == mention.type and mention.sentence.start - previous.sentence.end < 600:
                # discourse goes on: "... intensified its air strikes. On September 6, 53 were killed in air raids"
                if not mention.agents and not mention.participants:
                    mention = replace(mention, agents=previous.agents)
                shared = self._sides([*mention.agents, *mention.participants]) & \
                    self._sides([*previous.agents, *previous.participants])
                if mention.place is None and shared:
                    mention = replace(mention, place=previous.place)
            previous = mention
            group = self._group_for(mention, date, groups)
            if group is None:
                groups.append(_Group(mention.type, [mention], mention.place, date, list(mention.agents),
                                     list(mention.targets), list(mention.participants),
                                     [mention.figures] if mention.figures else []))
            else:
                self._merge(group, mention, date)
        self._same_time(groups)
        focus = self._focus_place()
        for group in groups:
            if group.place is None and focus is not None and group.type != "DiplomaticMeeting" \
                    and (group.date is not None or (group.agents and group.targets)):
                group.place = focus  # told without a place, in an article about one city
        return [self._resolved(g) for g in groups if self._worth_keeping(g)]

    def _same_time(self, groups: list[_Group]) -> None:
        """An undated event told in an "as" clause happened when the main clause's event did."""
        for group in groups:
            if group.date is not None:
                continue
            for mention in group.mentions:
                if mention.same_time_as is None:
                    continue
                for other in groups:
                    if other is not group and other.date is not None and any(
                            m.sentence.start == mention.sentence.start and m.trigger == mention.same_time_as
                            for m in other.mentions):
                        group.date = other.date
                        break

    def _focus_place(self) -> str | None:
        """The city an article is about: named at least three times and more than any other place."""
        counts: dict[str, int] = {}
        for ref, n in self.place_mentions.items():
            place = self._place(ref)
            if place is not None and place.kind in {"city", "neighbourhood"}:
                city = f"place/{place.parent}" if place.kind == "neighbourhood" and place.parent else ref
                counts[city] = counts.get(city, 0) + n
        if not counts:
            return None
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        top, n = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        return top if n >= 3 and n > 2 * runner_up else None

    def _sides(self, refs: Iterable[str]) -> set[str]:
        return {self.person_actor.get(r, r) for r in refs}

    def _places_compatible(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None or a == b:
            return True
        pa, pb = self._place(a), self._place(b)
        if pa is None or pb is None:
            return False
        return (self._contains(pa, pb) or self._contains(pb, pa)) and "country" not in {pa.kind, pb.kind}

    def _place(self, ref: str) -> Place | None:
        entity = self.entities.get(ref)
        if entity is not None and entity.classes == ("Neighbourhood",):
            return Place(key=entity.key, name=entity.label, kind="neighbourhood", country_code="",
                         geonames_id=None, latitude=None, longitude=None, parent=entity.parent.split("/", 1)[1])
        try:
            return self.gazetteer.get(ref.split("/", 1)[1])
        except KeyError:
            return None

    def _contains(self, outer: Place, inner: Place) -> bool:
        place: Place | None = inner
        while place is not None:
            if place.key == outer.key:
                return True
            place = self._place(f"place/{place.parent}") if place.parent else None
        return False

    def _group_for(self, mention: EventMention, date: DateValue | None, groups: list[_Group]) -> _Group | None:
        for group in reversed(groups):
            if group.type != mention.type or not self._places_compatible(group.place, mention.place):
                continue
            if date is not None and group.date is not None and not date.compatible(group.date):
                continue
            if not _sides_compatible(group.type, self._sides(group.agents + group.participants), self._sides(group.targets),
                                     self._sides(mention.agents + mention.participants), self._sides(mention.targets)):
                continue
            if group.place is None or mention.place is None:
                shared = self._sides([*group.agents, *group.targets, *group.participants]) & \
                    self._sides([*mention.agents, *mention.targets, *mention.participants])
                same_toll = mention.figures is not None and mention.figures.killed is not None and \
                    any(f.killed == mention.figures.killed for f in group.figures)
                if not shared and not same_toll and not (date is not None and group.date is not None):
                    continue  # an unplaced telling joins only an event it shares a side, a toll or a date with
            return group
        return None

    def _merge(self, group: _Group, mention: EventMention, date: DateValue | None) -> None:
        if group.type == "Battle" and self._sides(mention.agents) & self._sides(group.targets) \
                and not self._sides(mention.agents) & self._sides(group.agents):
            # the same battle told from the other side: "IS militants are fighting" in the SDF's battle
            mention = replace(mention, agents=mention.targets, targets=mention.agents)
        group.mentions.append(mention)
        if mention.place and (group.place is None or self._deeper(mention.place, group.place)):
            group.place = mention.place
        if date is not None and (group.date is None or _finer(date, group.date)):
            group.date = date
        group.agents = _unique([*group.agents, *mention.agents])
        group.targets = _unique([*group.targets, *mention.targets])
        group.participants = _unique([*group.participants, *mention.participants])
        if mention.figures:
            group.figures.append(mention.figures)

    def _undated(self) -> str:
        """The date part of an undated event's key: when it was reported (undated events of other days differ)."""
        published = self.article.published
        return f"reported-{published.isoformat()}" if published else f"undated-{slug(self.article.id)}"

    def _published_near(self, known: KnownEvent) -> bool:
        published = self.article.published
        return published is not None and any(abs(published - p) <= UNDATED_WINDOW for p in known.published)

    def _deeper(self, a: str, b: str) -> bool:
        pa, pb = self._place(a), self._place(b)
        return pa is not None and pb is not None and pa.key != pb.key and self._contains(pb, pa)

    def _attach_figures(self, figures: Figures, groups: list[_Group]) -> None:
        """Figures told apart from their event go to the last event with agreeing figures."""
        for group in reversed(groups):
            if group.figures and all(f.killed in (None, figures.killed) or figures.killed is None for f in group.figures):
                group.figures.append(figures)
                return

    def _worth_keeping(self, group: _Group) -> bool:
        """Whether a group is specific enough to be an event: placed, and dated or argued.

        Attacks need a place below the country (or a country and a day) and a date, figures, or both an agent
        and a target; meetings need a date or a place below the country, and two parties (or one and a place).
        """
        place = self._place(group.place) if group.place else None
        if group.type == "DiplomaticMeeting":
            if group.date is None and (place is None or place.kind == "country"):
                return False  # "paid a visit to Russia", some time: not a meeting one can put on a map or a timeline
            return len(self._sides(group.participants)) >= 2 or (place is not None and bool(group.participants))
        if group.place is None:
            return False
        if place is not None and place.kind == "country" and (group.date is None or group.date.precision != "day"):
            return False  # "strikes against IS in Iraq and Syria": a campaign, not one event
        specific = group.date is not None or any(group.figures) or (group.agents and group.targets)
        return bool(specific)

    def _resolved(self, group: _Group) -> ResolvedEvent:
        evidence = tuple(dict.fromkeys(Evidence(m.sentence.text, m.sentence.start, m.sentence.end) for m in group.mentions))
        key = self._key(group)
        place_label = self.entities[group.place].label if group.place in self.entities else None
        label = group.type + (f" in {place_label}" if place_label else "") + (f", {group.date.lexical()}" if group.date else "")
        targets = [t for t in group.targets if self._sides([t]) - self._sides(group.agents)]
        return ResolvedEvent(key=key, type=group.type, label=label, date=group.date, place=group.place,
                             agents=tuple(group.agents), targets=tuple(targets),
                             participants=tuple(group.participants), evidence=evidence,
                             casualties=_merged_figures(group.figures))

    def _key(self, group: _Group) -> str:
        """The key of an event already in the store that this one is, else a new key from its content."""
        sides = self._sides(group.agents) | self._sides(group.targets) | self._sides(group.participants)
        if self.index is not None and group.place is not None:
            place = self._place(group.place)
            places = [group.place]
            if place is not None and place.kind == "neighbourhood" and place.parent:
                places.append(f"place/{place.parent}")
            inside = place is not None and place.kind in {"city", "neighbourhood"}
            for known in self.index.event_candidates(group.type, places, exclude_article=self.article.id, inside=inside):
                if known.type != group.type or not self._places_compatible(known.place, group.place):
                    continue
                if group.date is None:
                    if known.dates or not self._published_near(known):
                        continue  # an undated event is one reported in the same days, or none
                elif not known.dates or not all(_close(group.date, d) for d in known.dates):
                    continue
                elif known.place != group.place and group.date.precision != "day":
                    continue
                if known.sides and sides and not (known.sides & sides) and group.type != "DiplomaticMeeting":
                    continue
                return known.key
        parts = [group.type.lower(), group.place.split("/", 1)[1] if group.place else f"article/{self.article.id}",
                 group.date.lexical() if group.date else self._undated()]
        lead = sorted(self._sides(group.agents or group.participants))
        if lead:
            parts.append("+".join(r.split("/", 1)[1] for r in lead[:3]))
        if group.place is None:
            parts.append(hashlib.sha1(group.mentions[0].sentence.text.encode()).hexdigest()[:8])
        return "/".join(parts)


UNDATED_WINDOW = dt.timedelta(days=3)
"""Undated events told by two articles published this far apart or less may be one event."""


def _place_entity(place: Place) -> Entity:
    """A gazetteer place as an entity; a governorate is named as one, so it never passes for its capital city."""
    kind_class = {"country": "Country", "governorate": "Governorate", "city": "City", "neighbourhood": "Neighbourhood"}
    label, variants = place.name, tuple(place.variants)
    if place.kind == "governorate":
        label = label if "governorate" in label.lower() else f"{label} Governorate"
        variants = tuple(f"{v} Governorate" for v in variants)
    return Entity("place", place.key, label, (kind_class.get(place.kind, "City"),), variants,
                  parent=f"place/{place.parent}" if place.parent else None, latitude=place.latitude,
                  longitude=place.longitude, geonames_id=place.geonames_id)


def _sides_compatible(event_type: str, agents_a: set[str], targets_a: set[str], agents_b: set[str], targets_b: set[str]) -> bool:
    """Two tellings may be one event unless their sides clearly differ."""
    a, b = agents_a | targets_a, agents_b | targets_b
    if event_type == "DiplomaticMeeting":  # the same talks have the same parties, whoever is named
        return not a or not b or a <= b or b <= a
    if event_type == "Battle":
        return not a or not b or bool(a & b)
    if agents_a and agents_b and not agents_a & agents_b:
        return False
    return True


def _close(a: DateValue, b: DateValue) -> bool:
    """Dates two reports may give for one event: compatible, or years one apart ("last year" told in January)."""
    if a.compatible(b):
        return True
    return a.precision == b.precision == "year" and abs(a.year - b.year) == 1


def _finer(a: DateValue, b: DateValue) -> bool:
    order = {"year": 0, "month": 1, "day": 2}
    return order[a.precision] > order[b.precision]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


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
    """Everything ``article`` (parsed as ``doc``) contributes to the graph."""
    lexicon = lexicon or Lexicon.load()
    gazetteer = gazetteer or Gazetteer.load()
    resolver = ArticleResolver(article, lexicon, gazetteer, store)
    event_mentions: list[EventMention | FiguresMention] = []
    for record in read_doc(doc, lexicon=lexicon, gazetteer=gazetteer):
        if isinstance(record, EntityMention):
            resolver.add_entity(record)
        else:
            event_mentions.append(record)
    events = resolver.events(event_mentions)
    used = {r for e in events for r in (*e.agents, *e.targets, *e.participants, e.place) if r}
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
