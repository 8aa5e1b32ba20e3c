"""What one article says, as records for its named graph: event claims, entity claims, reference entities.

An article's events (:mod:`kg.extraction` has already made each event's tellings
in the article one event) become *claims*: what this article says happened,
under article-local IRIs. Which real event a claim is of is decided later, across
all articles, by :mod:`kg.resolution`. Entities are keyed here: places of the
gazetteer and actors of the lexicon are *reference* entities (their description
comes from the data files, the same in every article); people, places the text
describes and armed groups the lexicon does not know are described by the text,
so each article's description of them is a claim too.

>>> record = ArticleRecord(Article(id="a1", text="Hello."), content_hash="00")
>>> record.events, record.entities
((), ())
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.admin_areas import AdminAreas
from kg.dates import DateValue, resolve
from kg.extraction.figures import Figures
from kg.extraction.mentions import EntityMention, Sentence
from kg.extraction.placebook import PlaceBook
from kg.gazetteer import Gazetteer, Place
from kg.iris import content_hash
from kg.lexicon import Lexicon
from kg.reading import Article

if TYPE_CHECKING:  # the records need no parse; only article_record() reads one, so only it imports spaCy
    from spacy.tokens import Doc

    from kg.extraction.assembly import ArticleEvent
    from kg.extraction.control import ControlMention

DESCRIBED_CLASSES = {"city": "City", "neighbourhood": "Neighbourhood", "site": "Site", "area": "Area"}
"""The class of a place the text described, by the kind ``kg.extraction.places`` gave it."""


@dataclass(frozen=True)
class Entity:
    """An actor, person or place as one article knows it (``from_text``) or as the data files describe it."""

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
    from_text: bool = False  # described by the article's text, not by the gazetteer or lexicon

    @property
    def ref(self) -> str:
        """``kind/key``: how events and other entities point at this one."""
        return f"{self.kind}/{self.key}"


Evidence = Sentence
"""A sentence an event was read from, with offsets into the article text (the extraction's record)."""
CasualtyFigures = Figures
"""One set of casualty figures an article gives for an event (the extraction's record)."""


@dataclass(frozen=True)
class EventClaim:
    """One event as one article tells it: its type, place, date, roles, figures and sentences."""

    type: str  # a CKG event class name
    date: DateValue | None = None
    place: str | None = None  # place ref
    agents: tuple[str, ...] = ()  # actor or person refs ("actor/…", "person/…")
    targets: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    casualties: tuple[CasualtyFigures, ...] = ()  # the article's toll for it
    other_casualties: tuple[CasualtyFigures, ...] = ()  # the other counts it gives (another source's, a part)
    claimed_by: tuple[str, ...] = ()  # who claimed responsibility for it
    accused_by: tuple[str, ...] = ()  # who accuses its agents of it
    date_text: str | None = None  # the words the date was read from ("on Monday")
    changes_hands: bool = False  # a capture or surrender of the place itself
    place_precision: str | None = None  # "governorate": the text named the province of the city ``place`` is


@dataclass(frozen=True)
class ControlClaim:
    """One statement of who holds a place: on the day the article was published, and since when if it says."""

    place: str
    actor: str
    evidence: Evidence
    observed: DateValue | None = None  # the article's publication day
    since: DateValue | None = None  # "under IS control since 2014"


@dataclass(frozen=True)
class ArticleRecord:
    """Everything one article contributes to the graph."""

    article: Article
    content_hash: str
    entities: tuple[Entity, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # (entity ref, surface form met in this article)
    events: tuple[EventClaim, ...] = ()
    control: tuple[ControlClaim, ...] = ()


class _ArticleEntities:
    """The entities one article names, keyed, with the surface forms it names them by."""

    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.entities: dict[str, Entity] = {}
        self.aliases: dict[tuple[str, str], None] = {}
        self.places = PlaceBook(gazetteer, {})

    def add(self, mention: EntityMention) -> None:
        """Record the entity a mention stands for, and the surface form as an alias."""
        kind, key = mention.kind, mention.key
        if kind == "place" and mention.parent:
            self.places.described[mention.ref] = mention
        if mention.ref not in self.entities:
            if kind == "actor":
                self.add_actor(mention.ref, mention)
            elif kind == "person":
                entry = self.lexicon.people.get(key)
                label = entry.label if entry else mention.label
                aliases = entry.aliases if entry else ()
                self.entities[mention.ref] = Entity("person", key, label, (), aliases, affiliation=mention.affiliation,
                                                    from_text=True)
                if mention.affiliation:
                    self.add_actor(mention.affiliation)
            else:
                self.add_place(key, mention)
        entity = self.entities.get(mention.ref)
        if entity is None:
            return
        if kind == "person" and mention.affiliation and not entity.affiliation:
            self.entities[mention.ref] = replace(entity, affiliation=mention.affiliation)
            self.add_actor(mention.affiliation)
        actor = self.lexicon.actors.get(key) if kind == "actor" else None
        generic = mention.surface.lower() in self.lexicon.generic or (actor is not None and mention.surface == actor.demonym)
        if not generic and mention.surface != entity.label and not (kind == "place" and entity.classes == ("Governorate",)):
            self.aliases[(mention.ref, mention.surface)] = None

    def add_actor(self, ref: str, mention: EntityMention | None = None) -> None:
        """An actor of the lexicon, or an armed group the text names by what it is ("the Hamza Brigade")."""
        if ref in self.entities or not ref.startswith("actor/"):
            return
        key = ref.split("/", 1)[1]
        entry = self.lexicon.actors.get(key)
        if entry is not None:
            self.entities[ref] = Entity("actor", entry.key, entry.label, entry.classes, entry.aliases + entry.exact)
        elif mention is not None:
            self.entities[ref] = Entity("actor", key, mention.label, mention.classes, from_text=True)

    def add_place(self, key: str, mention: EntityMention | None = None) -> None:
        """A place and every place containing it, up to its country."""
        if mention is not None and mention.parent:
            self.add_place(mention.parent.split("/", 1)[1])
            kind = DESCRIBED_CLASSES.get(mention.place_kind or "", "Neighbourhood")
            self.entities[f"place/{key}"] = Entity("place", key, mention.label, (kind,), (),
                                                   parent=self.places.node(mention.parent)[0], from_text=True)
            return
        place: Place | None = self.gazetteer.get(key) if key in self.gazetteer else None
        while place is not None:
            seat = self.places.areas.seat(place.key)  # a governorate named after its city is written as that city
            place = self.gazetteer.get(seat) if seat else place
            ref = f"place/{place.key}"
            if ref in self.entities:
                break
            entity = self.entities[ref] = place_entity(place, self.gazetteer)
            place = self.gazetteer.get(entity.parent.split("/", 1)[1]) if entity.parent else None

    def ensure(self, refs: Iterable[str]) -> None:
        """Every entity in ``refs`` is described (an actor or place an event names that no mention did)."""
        for ref in sorted(set(refs)):
            if ref in self.entities:
                continue
            kind, _, key = ref.partition("/")
            if kind == "actor":
                self.add_actor(ref)
            elif kind == "place":
                self.add_place(key)


def place_entity(place: Place, gazetteer: Gazetteer) -> Entity:
    """A gazetteer place as an entity; a governorate is named as one, so it never passes for another city.

    A city that a governorate is named after stands for both (see :meth:`AdminAreas.seat`): one node, a City and a
    Governorate, with the governorate's names, in the governorate's container.

    >>> gaz = Gazetteer.load()
    >>> idlib = place_entity(gaz.get("sy/idlib"), gaz)
    >>> idlib.label, idlib.classes, idlib.parent, "Idlib province" in idlib.alt_labels
    ('Idlib', ('City', 'Governorate'), 'place/country/sy', True)
    >>> place_entity(gaz.get("sy/ariha"), gaz).parent
    'place/sy/idlib'
    """
    kind_class = {"country": "Country", "governorate": "Governorate", "city": "City", "neighbourhood": "Neighbourhood",
                  "area": "Area"}
    label, variants = place.name, tuple(place.variants)
    classes: tuple[str, ...] = (kind_class.get(place.kind, "City"),)
    parent = place.parent
    if place.kind == "governorate":
        label, variants = _governorate_names(place)
    areas = AdminAreas.of(gazetteer)
    governorate = areas.seat_of(place.key)
    if governorate is not None:
        province = gazetteer.get(governorate)
        names = _governorate_names(province)
        variants = tuple(dict.fromkeys((*variants, names[0], *names[1])))
        classes, parent = (*classes, "Governorate"), province.parent
    seat = areas.seat(parent) if parent else None
    return Entity("place", place.key, label, classes, variants,
                  parent=f"place/{seat or parent}" if parent else None, latitude=place.latitude,
                  longitude=place.longitude, geonames_id=place.geonames_id)


def _governorate_names(place: Place) -> tuple[str, tuple[str, ...]]:
    """A governorate's label and other names: "Idlib Governorate", ("Idlib province", "Idleb Governorate")."""
    base = place.name[:-len(" Governorate")] if place.name.lower().endswith(" governorate") else place.name
    return f"{base} Governorate", (f"{base} province", *(f"{v} Governorate" for v in place.variants))


def merged_figures(figures: Iterable[Figures]) -> tuple[CasualtyFigures, ...]:
    """One figure set per article: agreeing figures combined, conflicting ones kept apart.

    >>> merged_figures([Figures(killed=95), Figures(killed=95, civilians=36), Figures(killed=63)])
    (Figures(killed=95, civilians=36, injured=None, qualifier='exact', reported_by=None, evidence=None), \
Figures(killed=63, civilians=None, injured=None, qualifier='exact', reported_by=None, evidence=None))
    """
    merged: list[Figures] = []
    for f in figures:
        for i, m in enumerate(merged):
            if all(getattr(f, k) is None or getattr(m, k) is None or getattr(f, k) == getattr(m, k)
                   for k in ("killed", "civilians", "injured")):
                merged[i] = Figures(m.killed if m.killed is not None else f.killed,
                                    m.civilians if m.civilians is not None else f.civilians,
                                    m.injured if m.injured is not None else f.injured,
                                    _qualifier(m, f), m.reported_by or f.reported_by)
                break
        else:
            merged.append(f)
    return tuple(merged)


def _qualifier(a: Figures, b: Figures) -> str:
    """The qualifier of two agreeing tellings of a toll: a hedge ("at least 95") beats a bare number ("Kill 95")."""
    if a.killed is None:
        return b.qualifier
    if b.killed == a.killed and a.qualifier == "exact":
        return b.qualifier
    return a.qualifier


def _claim(event: ArticleEvent, places: PlaceBook) -> EventClaim:
    evidence = tuple(event.evidence)
    place, precision = places.node(event.place) if event.place else (None, None)
    return EventClaim(type=event.type, date=event.date, place=place, agents=event.agents, targets=event.targets,
                      participants=event.participants, evidence=evidence, casualties=merged_figures(event.figures),
                      other_casualties=merged_figures(event.other_figures),
                      claimed_by=event.claimed_by, accused_by=event.accused_by, date_text=event.date_text,
                      changes_hands=event.changes_hands, place_precision=precision)


def article_record(article: Article, doc: Doc, digest: str | None = None, *, lexicon: Lexicon | None = None,
                   gazetteer: Gazetteer | None = None) -> ArticleRecord:
    """What ``article`` (parsed as ``doc``, see :func:`kg.extraction.analysed_text`) says, as one record."""
    from kg.extraction.article import read_article  # the extraction stages read the parse: they import spaCy

    lexicon = lexicon or Lexicon.load()
    gazetteer = gazetteer or Gazetteer.load()
    entities = _ArticleEntities(lexicon, gazetteer)
    reading = read_article(article, doc, lexicon=lexicon, gazetteer=gazetteer)
    for mention in reading.mentions:
        parent = reading.place_parents.get(mention.ref)
        entities.add(replace(mention, parent=parent) if parent else mention)
    events = tuple(_claim(e, entities.places) for e in reading.events)
    control = tuple(_control(c, article, entities.places) for c in reading.control)
    entities.ensure(r for e in events for r in (*e.agents, *e.targets, *e.participants, *e.claimed_by, *e.accused_by,
                                                 e.place, *(f.reported_by for f in e.casualties + e.other_casualties))
                    if r)
    entities.ensure(r for c in control for r in (c.place, c.actor))
    return ArticleRecord(article=article, content_hash=digest or content_hash(article.text),
                         entities=tuple(entities.entities.values()), aliases=tuple(entities.aliases), events=events,
                         control=control)


def _control(mention: ControlMention, article: Article, places: PlaceBook) -> ControlClaim:
    published = article.published
    s = mention.sentence
    since = resolve(mention.since_text, published=published) if mention.since_text else None
    observed = DateValue.from_date(published) if published else None
    return ControlClaim(places.node(mention.place)[0], mention.actor, s, observed, since)
