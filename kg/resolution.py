"""Claims of all articles -> one canonical node per real event, person and place.

Resolution is a stage of its own: it reads every article's claims (see
:mod:`kg.claims`) and decides which are of one real thing. The result depends
only on the set of claims and the analysts' overrides, never on the order the
articles were read in, and the same claims always give the same nodes.

*Entities.* Each article's description of a person, a place its text
describes, or a new armed group is one entity claim; claims under one key give
one node. Spellings of one name are merged: people whose names fold to one key
("Rami Abdel Rahman", "Rami Abdurrahman"), places the text describes that sound
alike inside places that contain one another ("Zubdiya" in Syria and "Zubdiya"
in Aleppo, "Salamyieh" and the gazetteer's Salamiyah).

*Events.* Claims are blocked by type and governorate (claims whose place is
only the country, or a place no text put inside one, are compared with every
block of their type), so the cost grows with the claims of a block, not of the
store. Within a block, claims are taken from the most specific (day-dated, most
precise place) to the least, and each joins the first event whose every claim
it fits: another article's, a place inside or around the other's, dates
compatible at the known precision (an undated claim fits an event of the days
before its publication), and sides that do not conflict. Two claims of one
article are never one event: the article's reader has already joined its
tellings.

*Figures.* Every article's figures stay as they are; beside them each event
gets killed_low, killed_best and killed_high: the smallest figure any article
gives, the median of the articles' own highest figures (the lower middle one
of an even count), and the largest.

*Confidence.* An event told by ``n`` distinct outlets (an article with no
outlet named counts as one) has confidence ``1 - 0.5 ** n``; its date and place
confidences are the share of its claims that agree with the date and place
chosen.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from kg.dates import DateValue
from kg.extraction import EntityMention, slug
from kg.extraction.assembly import PlaceBook
from kg.gazetteer import Gazetteer, fold, phonetic
from kg.lexicon import Lexicon

DATA_FILE = Path(__file__).resolve().parent / "data" / "resolution.toml"
PLACE_KINDS = {"City": "city", "Neighbourhood": "neighbourhood", "Site": "site", "Area": "area"}
"""The place kind :class:`PlaceBook` knows, by the class a described place was given."""
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class FigureReport:
    """One set of figures one article gives for an event, as stored (``ref`` names its node)."""

    ref: str
    killed: int | None = None
    civilians: int | None = None
    injured: int | None = None
    qualifier: str = "exact"
    reported_by: str | None = None  # the actor or person the article says gave them


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
        return Roles(*(tuple(dict.fromkeys(_follow(redirects, r) for r in getattr(self, f))) for f in ROLE_FIELDS))


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
    figures: tuple[str, ...] = ()  # figure report refs
    sources: tuple[tuple[str, str], ...] = ()  # (figure report ref, who gave the figures)
    killed: tuple[int, int, int] | None = None  # low, best, high
    confidence: float = 0.5
    date_confidence: float | None = None
    place_confidence: float | None = None
    outlets: int = 1
    changes_hands: bool = False  # every claim says the place itself changed hands (not "villages near it")

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


@dataclass(frozen=True)
class ResolutionRules:
    """The data resolution reads (``kg/data/resolution.toml``)."""

    particles: tuple[tuple[str, str], ...]
    undated_window: dt.timedelta

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> ResolutionRules:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        particles = sorted(((form, key) for key, forms in data["names"]["particles"].items() for form in forms),
                           key=lambda p: -len(p[0]))
        return cls(tuple(particles), dt.timedelta(days=data["window"]["undated_days"]))

    def name_key(self, name: str) -> str:
        """One key for the spellings of a person's name: its phonetic key, with name particles folded.

        >>> rules = ResolutionRules.load()
        >>> len({rules.name_key(n) for n in ("Rami Abdel Rahman", "Rami Abdurrahman", "Rami Abdul Rahman")})
        1
        >>> rules.name_key("Khaled Omar"), rules.name_key("Khaled Amer")
        ('khalidumar', 'khalidamir')
        """
        text = " " + fold(name) + " "
        for form, key in self.particles:
            text = text.replace(" " + fold(form).replace("-", " ").strip() + " ", f" {key} ")
            text = re.sub(rf" {re.escape(fold(form).strip())}(?=\w)", f" {key} ", text)
        return phonetic(text)


def skeleton(name: str) -> str:
    """The consonants of a name's phonetic key, for telling apart spellings of one name from other names.

    >>> skeleton("Salamyieh") == skeleton("Salamiyah") == skeleton("Salamiyeh")
    True
    >>> skeleton("Homs") == skeleton("Hama")
    False
    """
    key = phonetic(name)
    if not key:
        return ""
    rest = re.sub(r"[aeiouyhw']", "", key[1:])
    return re.sub(r"(.)\1+", r"\1", key[0] + rest)


class Resolver:
    """Resolves claims into canonical nodes, with the gazetteer, the lexicon and the analysts' overrides."""

    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer, overrides: Sequence[Override] = (),
                 rules: ResolutionRules | None = None) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.overrides = tuple(overrides)
        self.rules = rules or ResolutionRules.load()

    @cached_property
    def _entity_pairs(self) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
        same = {frozenset((o.first, o.second)) for o in self.overrides if o.action == "same" and "/" in o.second}
        different = {frozenset((o.first, o.second)) for o in self.overrides if o.action == "different"}
        return same, different

    # --- entities

    def entities(self, claims: Sequence[EntityClaim], known_places: Iterable[str] = ()
                 ) -> tuple[list[CanonicalEntity], dict[str, str], list[tuple[str, str]]]:
        """(canonical text-described entities, redirects, aliases) from every article's entity claims."""
        by_key: dict[str, list[EntityClaim]] = {}
        for c in claims:
            by_key.setdefault(c.key, []).append(c)
        described = {k: cs for k, cs in by_key.items() if any(c.label for c in cs) and not self.reference(k)}
        redirects = self._merges(described, set(known_places) | set(by_key))
        merged: dict[str, list[EntityClaim]] = {}
        into_reference: set[tuple[str, str]] = set()
        for key, cs in described.items():
            target = _follow(redirects, key)
            if self.reference(target):
                into_reference |= {(target, c.label) for c in cs if c.label}
            else:
                merged.setdefault(target, []).extend(cs)
        out = []
        for ref in sorted(merged):
            cs = merged[ref]
            labels = Counter(c.label for c in cs if c.label)
            label = _most_common(labels)
            classes = _most_common(Counter(c.classes for c in cs if c.label)) or ()
            containers = Counter(_follow(redirects, c.container) for c in cs if c.container)
            affiliations = Counter(c.affiliation for c in cs if c.affiliation)
            others = sorted(set(labels) - {label})
            out.append(CanonicalEntity(ref, label, classes, tuple(others), self._container(containers),
                                       _most_common(affiliations)))
        names = sorted({(_follow(redirects, c.key), a) for c in claims for a in c.aliases} |
                       {(c.key, c.label) for c in claims if c.label and self.reference(c.key)} | into_reference)
        names += sorted((o.first, o.second) for o in self.overrides if o.action == "alias")
        return out, redirects, names

    def _container(self, containers: Counter) -> str | None:
        """The container of a place told in several ways: the most precise one inside all the others, if one is.

        "Conoco" told once "in Al Asharah" and once only "in Syria" is in Al Asharah.
        """
        book = PlaceBook(self.gazetteer, {})
        places = {c: book.place(c) for c in containers}
        ranked = sorted(containers, key=lambda c: (-_depth(book, c), -containers[c], c))
        for c in ranked:
            inner = places[c]
            if inner is not None and all(places[o] is not None and book.contains(places[o], inner)
                                         for o in containers):
                return c
        return _most_common(containers)

    def reference(self, ref: str) -> bool:
        """Whether the data files describe ``ref`` (a gazetteer place, a lexicon actor): no text redescribes it."""
        kind, _, key = ref.partition("/")
        return key in self.gazetteer if kind == "place" else kind == "actor" and key in self.lexicon.actors

    def _merges(self, described: dict[str, list[EntityClaim]], places: set[str]) -> dict[str, str]:
        """Entity ref -> the ref it is merged into: spellings of one name, and the analysts' ``same``."""
        same, different = self._entity_pairs
        redirects: dict[str, str] = {}

        def merge(keep: str, gone: str, *, told: bool = False) -> None:
            """``gone`` is ``keep``; a name already merged stays where it went, unless an analyst said so."""
            if gone in redirects and not told:
                return
            keep, gone = _follow(redirects, keep), _follow(redirects, gone)
            if keep != gone and frozenset((keep, gone)) not in different:
                redirects[gone] = keep

        weight = {k: len(cs) for k, cs in described.items()}
        people: dict[str, list[tuple[str, str]]] = {}  # first letters of the name key -> (key, ref)
        for key, cs in described.items():
            if key.startswith("person/"):
                name = self.rules.name_key(_most_common(Counter(c.label for c in cs if c.label)) or key)
                people.setdefault(name[:3], []).append((name, key))
        for name, alias in ((o.first, o.second) for o in self.overrides if o.action == "alias"):
            for key in [k for k in described if k.startswith(name.split("/", 1)[0] + "/") and k != name]:
                if any(self.rules.name_key(c.label or "") == self.rules.name_key(alias) for c in described[key]):
                    merge(name, key, told=True)
        for group in people.values():
            ranked = sorted(group, key=lambda p: (-weight[p[1]], p[1]))
            for i, (name, keep) in enumerate(ranked):
                for other, gone in ranked[i + 1:]:
                    if name == other or (min(len(name), len(other)) >= 10 and _edits(name, other) <= 1):
                        merge(keep, gone)
        book = self._place_book(described, {})
        sounds: dict[str, list[str]] = {}
        for ref in sorted(places):
            place = book.place(ref) if ref.startswith("place/") else None
            if place is None or (ref not in described and (place.key not in self.gazetteer or
                                                           place.kind in {"governorate", "country"})):
                continue  # a described place may be a town or a part of one, never a province or a country
            sk = skeleton(place.name)
            if len(sk) >= 3:  # a short skeleton ("sl") joins only names of one phonetic key
                sounds.setdefault(sk, []).append(ref)
            elif sk:
                sounds.setdefault(f"{sk}/{phonetic(place.name)}", []).append(ref)
        for refs in sounds.values():
            ranked = sorted(refs, key=lambda r: (r in described, -_depth(book, r), r))
            for gone in ranked:
                if gone not in described:
                    continue
                into = {_follow(redirects, keep) for keep in ranked
                        if keep != gone and _depth(book, keep) >= _depth(book, gone) and self._within(book, gone, keep)
                        and _alike(phonetic(book.place(gone).name), phonetic(book.place(keep).name))} - {gone}
                if len({book.governorate(r) for r in into}) == 1:  # "Midan" alone: Aleppo's or Damascus's?
                    merge(min(into, key=ranked.index), gone)
        for pair in sorted(tuple(sorted(p)) for p in same):
            merge(*pair, told=True)
        return redirects

    def _within(self, book: PlaceBook, described: str, other: str) -> bool:
        """Whether a place the text described may be ``other``: its container holds ``other``'s, or the reverse."""
        a, b = book.place(described), book.place(other)
        if a is None or b is None or not a.parent or not b.parent:
            return False
        pa, pb = book.place(f"place/{a.parent}"), book.place(f"place/{b.parent}")
        if pa is None or pb is None or not (book.contains(pa, pb) or book.contains(pb, pa)):
            return False
        provinces = {book.governorate(r) for r in (described, other, *(_key_container(described), _key_container(other)))
                     if r and book.place(r) is not None} - {None}
        return len(provinces) <= 1  # "Midan" of Aleppo and "Midan" of Damascus are two places

    def _place_book(self, described: dict[str, list[EntityClaim]], redirects: dict[str, str]) -> PlaceBook:
        mentions: dict[str, EntityMention] = {}
        for key, cs in described.items():
            if not key.startswith("place/") or key in redirects:
                continue
            label = _most_common(Counter(c.label for c in cs if c.label)) or key
            classes = _most_common(Counter(c.classes for c in cs if c.label)) or ()
            container = _most_common(Counter(_follow(redirects, c.container) for c in cs if c.container))
            kind = next((PLACE_KINDS[c] for c in classes if c in PLACE_KINDS), "neighbourhood")
            mentions[key] = EntityMention(key, label, 0, 0, label, parent=container, place_kind=kind)
        return PlaceBook(self.gazetteer, mentions)

    # --- events

    def resolve(self, claims: Sequence[Claim], entity_claims: Sequence[EntityClaim] = (),
                labels: dict[str, str] | None = None) -> Resolution:
        """Every claim resolved: canonical events and entities, the names met, the entity merges."""
        entities, redirects, aliases = self.entities(entity_claims, (c.place for c in claims if c.place))
        described = {e.ref: [EntityClaim("", "", e.ref, e.label, (), e.classes, e.parent)] for e in entities
                     if e.ref.startswith("place/")}
        book = self._place_book(described, {})
        affiliation = {e.ref: e.affiliation for e in entities if e.affiliation}
        claims = [_redirected(c, redirects) for c in claims]
        names = {**(labels or {}), **{e.ref: e.label for e in entities}}
        clusters = _Clusters(self, book, affiliation).of(claims)
        events = _keyed([self._event(cluster, book, names, affiliation) for cluster in clusters])
        return Resolution(tuple(events), tuple(entities), tuple(aliases), tuple(sorted(redirects.items())))

    def _event(self, claims: list[Claim], book: PlaceBook, names: dict[str, str],
               affiliation: dict[str, str]) -> CanonicalEvent:
        first = claims[0]
        dated = [c.date for c in claims if c.date is not None]
        date = max(dated, key=lambda d: (sum(d.compatible(o) for o in dated), -_PRECISION_RANK[d.precision],
                                         -d.first_day().toordinal())) if dated else None
        placed = [c.place for c in claims if c.place]
        place = max(placed, key=lambda p: (sum(book.compatible(p, o) for o in placed), placed.count(p),
                                           _depth(book, p), p)) \
            if placed else None
        articles = sorted({c.article for c in claims})
        outlets = len({c.outlet or c.article for c in claims})
        place_label = names.get(place or "")
        label = first.type + (f" in {place_label}" if place_label else "") + (f", {date.lexical()}" if date else "")
        return CanonicalEvent(
            key=_key(first, date, place, sorted({affiliation.get(r, r) for r in first.roles.agents or first.roles.participants})[:3]), type=first.type, label=label,
            claims=tuple(sorted(c.ref for c in claims)), date=date, place=place,
            roles=Roles.union(c.roles for c in claims), articles=tuple(articles),
            evidence=_union(c.evidence for c in claims), figures=_union((f.ref for f in c.figures) for c in claims),
            sources=tuple(sorted({(f.ref, f.reported_by) for c in claims for f in c.figures if f.reported_by})),
            killed=_reconciled(claims), confidence=round(1 - 0.5 ** outlets, 3),
            date_confidence=round(sum(date.compatible(d) for d in dated) / len(dated), 3) if date else None,
            place_confidence=round(sum(book.compatible(place, p) for p in placed) / len(placed), 3) if place else None,
            outlets=outlets, changes_hands=all(c.changes_hands for c in claims))


class _Clusters:
    """The greedy, order-free clustering of claims into events (see the module's docstring)."""

    def __init__(self, resolver: Resolver, book: PlaceBook, affiliation: dict[str, str]) -> None:
        self.resolver = resolver
        self.lexicon = resolver.lexicon
        self.book = book
        self.affiliation = affiliation
        self.window = resolver.rules.undated_window
        overrides = resolver.overrides
        self.same = [(o.first, o.second) for o in overrides if o.action == "same" and o.first.startswith("claim/")]
        self.different = {frozenset((o.first, o.second)) for o in overrides if o.action == "different"}
        self._places: dict[tuple[str | None, str | None], bool] = {}

    def of(self, claims: Sequence[Claim]) -> list[list[Claim]]:
        """Claims grouped into events, each group's most specific claim first, groups in key order.

        A claim is compared only with the events of its block (type and governorate; every governorate for a
        claim placed only in the country or in a place no text put inside one) that have a claim of a month it may
        fit (:meth:`_months`), so the cost grows with the claims of a block and month, not of the store.
        """
        blocks: dict[str, list[Claim]] = {}
        floating: list[Claim] = []
        alone: list[list[Claim]] = []
        for c in claims:
            if c.place is None:
                alone.append([c])
            elif self.book.unplaced(c.place) or self.book.kind(c.place) == "country":
                floating.append(c)
            else:
                blocks.setdefault(self.book.governorate(c.place) or c.place, []).append(c)
        clusters: list[list[Claim]] = []
        index: dict[tuple[str, str, tuple[int, int]], list[int]] = {}

        def place(claim: Claim, scope: str) -> None:
            candidates = sorted({i for m in self._months(claim, lookup=True)
                                 for i in index.get((claim.type, scope, m), ())})
            found = next((i for i in candidates if all(self.fits(claim, other) for other in clusters[i])), None)
            if found is None:
                found = len(clusters)
                clusters.append([])
            clusters[found].append(claim)
            for m in self._months(claim, lookup=False):
                for key in {(claim.type, scope, m), (claim.type, "*", m)}:
                    ids = index.setdefault(key, [])
                    if not ids or ids[-1] != found:
                        ids.append(found)

        for root in sorted(blocks):
            for c in sorted(blocks[root], key=self._specificity):
                place(c, root)
        for c in sorted(floating, key=self._specificity):
            place(c, "*")
        clusters = self._joined(clusters + alone)
        for cluster in clusters:
            cluster.sort(key=self._specificity)
        return sorted(clusters, key=lambda cl: self._specificity(cl[0]))

    def _months(self, claim: Claim, *, lookup: bool) -> set[tuple[int, int]]:
        """The months under which a claim is filed (``lookup`` False) or looks for events it may fit.

        Any two claims that :meth:`fits` share one: a day or a month is filed and looked up under its month, a
        year under its twelve (and looks at the years on either side: "last year" is reckoned differently), an
        undated claim under the months of the days before its publication that it may tell.
        """
        date = claim.date
        if date is None:
            if claim.published is None:
                return set()
            days = (claim.published - dt.timedelta(days=n) for n in range(self.window.days + 1))
            return {(d.year, d.month) for d in days}
        if date.precision != "year":
            return {(date.year, date.month or 1)}
        years = (date.year - 1, date.year, date.year + 1) if lookup else (date.year,)
        return {(y, m) for y in years for m in range(1, 13)}

    def _joined(self, clusters: list[list[Claim]]) -> list[list[Claim]]:
        """Clusters joined as the analysts' ``same`` overrides say (unless a ``different`` forbids it)."""
        index = {c.ref: i for i, cluster in enumerate(clusters) for c in cluster}
        parent = list(range(len(clusters)))

        def root(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        for a, b in self.same:
            if a in index and b in index:
                ra, rb = root(index[a]), root(index[b])
                members = [c.ref for i in (ra, rb) for c in clusters[i]]
                if ra != rb and not any(frozenset((x, y)) in self.different for x in members for y in members):
                    parent[max(ra, rb)] = min(ra, rb)
                    clusters[min(ra, rb)] = clusters[min(ra, rb)] + clusters[max(ra, rb)]
        return [cluster for i, cluster in enumerate(clusters) if root(i) == i]

    def _specificity(self, c: Claim) -> tuple:
        precision = _PRECISION_RANK[c.date.precision] if c.date else 3
        return (precision, -_depth(self.book, c.place), c.ref)

    def _sides(self, refs: Iterable[str]) -> set[str]:
        return self.lexicon.sides({self.affiliation.get(r, r) for r in refs})

    def fits(self, a: Claim, b: Claim) -> bool:
        """Whether claims ``a`` and ``b`` (of two articles) may tell one event."""
        if a.article == b.article or a.type != b.type or frozenset((a.ref, b.ref)) in self.different:
            return False
        if not self._compatible(a.place, b.place):
            return False
        if a.date is None or b.date is None:
            if a.date is None and b.date is None:
                if a.published is None or b.published is None or abs(a.published - b.published) > self.window:
                    return False
            else:
                dated, undated = (a, b) if b.date is None else (b, a)
                if undated.published is None or not self._told_after(dated.date, undated.published):
                    return False
                if self.book.kind(undated.place) == "country":
                    return False
        elif not _close(a.date, b.date):
            return False
        elif {a.date.precision, b.date.precision} == {"year", "day"}:
            return False  # "recaptured Aleppo late last year" is too vague to be one day's telling of another article
        elif a.place != b.place and not (a.date.precision == b.date.precision == "day"):
            return False
        elif "country" in (self.book.kind(a.place), self.book.kind(b.place)) and a.date.precision != "day" != b.date.precision:
            return False
        if a.type != "DiplomaticMeeting":
            sa = self._sides(a.roles.agents + a.roles.participants)
            sb = self._sides(b.roles.agents + b.roles.participants)
            if sa and sb and not sa & sb:
                return False
        return True

    def _compatible(self, a: str | None, b: str | None) -> bool:
        key = (a, b) if (a or "") <= (b or "") else (b, a)
        if key not in self._places:
            self._places[key] = self.book.compatible(a, b)
        return self._places[key]

    def _told_after(self, date: DateValue, published: dt.date) -> bool:
        """Whether an article published on ``published`` may tell, undated, the event of ``date`` (its day)."""
        return date.precision == "day" and dt.timedelta(0) <= published - date.first_day() <= self.window


def _close(a: DateValue, b: DateValue) -> bool:
    """Dates two reports may give for one event: compatible, or years one apart ("last year" told in January).

    >>> _close(DateValue(2015), DateValue(2016)), _close(DateValue(2015, 2, 1), DateValue(2015, 2, 3))
    (True, False)
    """
    if a.compatible(b):
        return True
    return a.precision == b.precision == "year" and abs(a.year - b.year) == 1


def _depth(book: PlaceBook, ref: str | None) -> int:
    place = book.place(ref) if ref else None
    return len(book.chain(place)) if place is not None else 0


def _alike(a: str, b: str) -> bool:
    """Whether two phonetic keys may be spellings of one name: one edit apart, two in a name of eight or more.

    >>> _alike("salamyia", "salamiya"), _alike("jabal", "jabla"), _alike("mayadin", "midan")
    (True, False, False)
    """
    return _edits(a, b) <= (2 if min(len(a), len(b)) >= 8 else 1)


def _edits(a: str, b: str) -> int:
    """The Levenshtein distance of two short strings.

    >>> _edits("salamyia", "salamiya"), _edits("hamas", "hums")
    (2, 2)
    """
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _key_container(ref: str) -> str | None:
    """The place a described place's key puts it in ("place/sy/aleppo/midan" -> "place/sy/aleppo").

    >>> _key_container("place/sy/aleppo/midan"), _key_container("place/sy/midan")
    ('place/sy/aleppo', None)
    """
    head = ref.rsplit("/", 1)[0]
    return head if head.count("/") >= 2 else None


def _follow(redirects: dict[str, str], ref: str | None) -> str | None:
    seen: set[str] = set()
    while ref in redirects and ref not in seen:
        seen.add(ref)
        ref = redirects[ref]
    return ref


def _redirected(claim: Claim, redirects: dict[str, str]) -> Claim:
    if not redirects:
        return claim
    figures = tuple(replace(f, reported_by=_follow(redirects, f.reported_by)) for f in claim.figures)
    return replace(claim, place=_follow(redirects, claim.place), roles=claim.roles.mapped(redirects), figures=figures)


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(sorted({r for g in groups for r in g}))


def _most_common(counts: Counter):
    """The most common value, ties broken by the smallest value (so by content, never by order)."""
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], str(v)))


def _reconciled(claims: Sequence[Claim]) -> tuple[int, int, int] | None:
    """(low, best, high) killed, by the rule in the module's docstring.

    >>> _reconciled([Claim("c1", "a1", "AirStrike", figures=(FigureReport("r1", killed=95),)),
    ...              Claim("c2", "a2", "AirStrike", figures=(FigureReport("r2", killed=63),)),
    ...              Claim("c3", "a3", "AirStrike", figures=(FigureReport("r3", killed=63),))])
    (63, 63, 95)
    """
    every = [f.killed for c in claims for f in c.figures if f.killed is not None]
    if not every:
        return None
    per_article: dict[str, int] = {}
    for c in claims:
        for f in c.figures:
            if f.killed is not None:
                per_article[c.article] = max(per_article.get(c.article, 0), f.killed)
    ranked = sorted(per_article.values())
    return min(every), ranked[(len(ranked) - 1) // 2], max(every)


def _key(first: Claim, date: DateValue | None, place: str | None, lead: list[str]) -> str:
    """An event's key: its type, place, date (or when it was reported) and who did it."""
    article = first.article.split("/", 1)[1]
    when = date.lexical() if date else (f"reported-{first.published.isoformat()}" if first.published
                                        else f"undated-{slug(article)}")
    parts = [first.type.lower(), place.split("/", 1)[1] if place else f"article/{article}", when]
    if lead:
        parts.append("+".join(r.split("/", 1)[1] for r in lead))
    if place is None:
        parts.append(hashlib.sha1(first.ref.encode()).hexdigest()[:8])
    return "/".join(parts)


def _keyed(events: list[CanonicalEvent]) -> list[CanonicalEvent]:
    """Events with unique keys: a second event under one key gets ``~2`` (and so on), in claim order."""
    seen: Counter = Counter()
    out = []
    for event in sorted(events, key=lambda e: (e.key, e.claims)):
        seen[event.key] += 1
        if seen[event.key] > 1:
            event = replace(event, key=f"{event.key}~{seen[event.key]}")
        out.append(event)
    return out
