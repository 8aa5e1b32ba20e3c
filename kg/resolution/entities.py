"""Entity resolution: one node per person, described place and group, whatever the spelling.

Each article's description of an entity only texts describe is an entity claim; claims under one key
give one node. Spellings are merged: people whose names are one edit apart once particles are folded,
places the text describes that sound alike inside places that contain one another (never one that two
provinces could hold), and what the analysts say (``same``, ``different``, ``alias``). Reference entities
(the gazetteer's places, the lexicon's actors) keep the description their data files give.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cached_property

from kg.extraction.mentions import EntityMention
from kg.extraction.placebook import PlaceBook
from kg.gazetteer import Gazetteer, phonetic
from kg.lexicon import Lexicon
from kg.resolution.names import ResolutionRules, alike, edits, full_name_of, skeleton
from kg.resolution.records import CanonicalEntity, EntityClaim, Override, follow

PLACE_KINDS = {"City": "city", "Neighbourhood": "neighbourhood", "Site": "site", "Area": "area"}
"""The place kind :class:`PlaceBook` knows, by the class a described place was given."""


class EntityResolver:
    """Makes one node of every entity the texts describe, and merges the spellings of one name."""

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
            target = follow(redirects, key)
            if self.reference(target):
                into_reference |= {(target, c.label) for c in cs if c.label}
            else:
                merged.setdefault(target, []).extend(cs)
        out = []
        for ref in sorted(merged):
            cs = merged[ref]
            labels = Counter(c.label for c in cs if c.label)
            label = most_common(labels)
            classes = most_common(Counter(c.classes for c in cs if c.label)) or ()
            containers = Counter(follow(redirects, c.container) for c in cs if c.container)
            affiliations = Counter(c.affiliation for c in cs if c.affiliation)
            others = sorted(set(labels) - {label})
            out.append(CanonicalEntity(ref, label, classes, tuple(others), self._container(containers),
                                       most_common(affiliations)))
        names = sorted({(follow(redirects, c.key), a) for c in claims for a in c.aliases} |
                       {(c.key, c.label) for c in claims if c.label and self.reference(c.key)} | into_reference)
        names += sorted((o.first, o.second) for o in self.overrides if o.action == "alias")
        return out, redirects, names

    def _container(self, containers: Counter) -> str | None:
        """The container of a place told in several ways: the most precise one inside all the others, if one is.

        "Conoco" told once "in Al Asharah" and once only "in Syria" is in Al Asharah.
        """
        book = PlaceBook(self.gazetteer, {})
        places = {c: book.place(c) for c in containers}
        ranked = sorted(containers, key=lambda c: (-depth(book, c), -containers[c], c))
        for c in ranked:
            inner = places[c]
            if inner is not None and all(places[o] is not None and book.contains(places[o], inner)
                                         for o in containers):
                return c
        return most_common(containers)

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
            keep, gone = follow(redirects, keep), follow(redirects, gone)
            if keep != gone and frozenset((keep, gone)) not in different:
                redirects[gone] = keep

        weight = {k: len(cs) for k, cs in described.items()}
        people: dict[str, list[tuple[str, str]]] = {}  # first letters of the name key -> (key, ref)
        by_surname: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # last word's consonants -> (parts, ref)
        for key, cs in described.items():
            if key.startswith("person/"):
                label = most_common(Counter(c.label for c in cs if c.label)) or key
                name = self.rules.name_key(label)
                people.setdefault(name[:3], []).append((name, key))
                parts = self.rules.name_parts(label)
                if parts:
                    by_surname.setdefault(skeleton(parts[-1].lstrip("aiu")), []).append((parts, key))
        for name, alias in ((o.first, o.second) for o in self.overrides if o.action == "alias"):
            for key in [k for k in described if k.startswith(name.split("/", 1)[0] + "/") and k != name]:
                if any(self.rules.name_key(c.label or "") == self.rules.name_key(alias) for c in described[key]):
                    merge(name, key, told=True)
        for group in people.values():
            ranked = sorted(group, key=lambda p: (-weight[p[1]], p[1]))
            for i, (name, keep) in enumerate(ranked):
                for other, gone in ranked[i + 1:]:
                    if name == other or (min(len(name), len(other)) >= 10 and edits(name, other) <= 1):
                        merge(keep, gone)
        for group in by_surname.values():  # "Mohammed bin Abdullah Zahran Aloush" is "Zahran Alloush" in full
            for short, keep in sorted(group, key=lambda p: (len(p[0]), -weight[p[1]], p[1])):
                for long, gone in group:
                    if full_name_of(short, long):
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
            ranked = sorted(refs, key=lambda r: (r in described, -depth(book, r), r))
            for gone in ranked:
                if gone not in described:
                    continue
                into = {follow(redirects, keep) for keep in ranked
                        if keep != gone and depth(book, keep) >= depth(book, gone) and self._within(book, gone, keep)
                        and alike(phonetic(book.place(gone).name), phonetic(book.place(keep).name))} - {gone}
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
            label = most_common(Counter(c.label for c in cs if c.label)) or key
            classes = most_common(Counter(c.classes for c in cs if c.label)) or ()
            container = most_common(Counter(follow(redirects, c.container) for c in cs if c.container))
            kind = next((PLACE_KINDS[c] for c in classes if c in PLACE_KINDS), "neighbourhood")
            mentions[key] = EntityMention(key, label, 0, 0, label, parent=container, place_kind=kind)
        return PlaceBook(self.gazetteer, mentions)


def depth(book: PlaceBook, ref: str | None) -> int:
    place = book.place(ref) if ref else None
    return len(book.chain(place)) if place is not None else 0


def _key_container(ref: str) -> str | None:
    """The place a described place's key puts it in ("place/sy/aleppo/midan" -> "place/sy/aleppo").

    >>> _key_container("place/sy/aleppo/midan"), _key_container("place/sy/midan")
    ('place/sy/aleppo', None)
    """
    head = ref.rsplit("/", 1)[0]
    return head if head.count("/") >= 2 else None


def most_common(counts: Counter):
    """The most common value, ties broken by the smallest value (so by content, never by order)."""
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], str(v)))
