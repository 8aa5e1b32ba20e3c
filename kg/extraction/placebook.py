"""What the stages after entity extraction know of places: the gazetteer's, and those the article described.

A :class:`PlaceBook` answers "what is this place ref, what contains it, may
these two places be one event's?" for assembly (within one article) and for
resolution (across articles, with the places every article described). It
needs no parse, so resolution uses it without spaCy.

>>> book = PlaceBook(Gazetteer.load(), {})
>>> book.kind("place/sy/gov/idlib"), book.contains(book.place("place/sy/gov/idlib"), book.place("place/sy/idlib"))
('governorate', True)
"""
from __future__ import annotations

from collections.abc import Iterable

from kg.admin_areas import AdminAreas
from kg.extraction.mentions import EntityMention
from kg.gazetteer import Gazetteer, Place


class PlaceBook:
    """What assembly needs to know of places: the gazetteer's, and those the article's text described."""

    def __init__(self, gazetteer: Gazetteer, described: dict[str, EntityMention]) -> None:
        self.gazetteer = gazetteer
        self.areas = AdminAreas.of(gazetteer)  # the seats and countrysides of its governorates
        self.described = described  # place ref -> the mention that described it (with its parent)
        self.inferred: dict[str, str] = {}  # described place with no container named -> the one its event shows

    def unplaced(self, ref: str | None) -> bool:
        """True for a place the text described without saying what contains it (only its country is known)."""
        if ref is None or ref in self.inferred or ref.split("/", 1)[1] in self.gazetteer:
            return False
        place = self.place(ref)
        return place is not None and place.kind != "country" and self.kind(f"place/{place.parent}") == "country"

    def infer(self, described: str, known: str) -> None:
        """One event at ``described`` and at ``known``: the described place lies in ``known``'s governorate."""
        container = self.governorate(known) or known
        if self.unplaced(described) and self.kind(container) in {"governorate", "city"}:
            self.inferred[described] = container

    @classmethod
    def of(cls, gazetteer: Gazetteer, mentions: Iterable[EntityMention]) -> PlaceBook:
        """The place book of an article's entity mentions."""
        return cls(gazetteer, {m.ref: m for m in mentions if m.kind == "place" and m.parent})

    def place(self, ref: str) -> Place | None:
        """The place a ref names, or None."""
        mention = self.described.get(ref)
        if mention is not None:
            return Place(key=mention.key, name=mention.label, kind=mention.place_kind or "neighbourhood",
                         country_code="", geonames_id=None, latitude=None, longitude=None,
                         parent=mention.parent.split("/", 1)[1] if mention.parent else None)
        key = ref.split("/", 1)[1]
        if key in self.gazetteer:
            return self.gazetteer.get(key)
        parent = key.rsplit("/", 1)[0]  # a place another article described: its key is under its container's
        if "/" in key and parent not in self.gazetteer and f"country/{parent}" in self.gazetteer:
            parent = f"country/{parent}"  # "sy/jisrin": a village of Syria
        if "/" in key and parent in self.gazetteer:
            container = self.gazetteer.get(parent)
            kind = "city" if container.kind in {"governorate", "country"} else "neighbourhood"
            return Place(key=key, name=key.rsplit("/", 1)[1], kind=kind, country_code=container.country_code,
                         geonames_id=None, latitude=None, longitude=None, parent=parent)
        return None

    def node(self, ref: str) -> tuple[str, str | None]:
        """The place node ``ref`` is written as, and the precision to keep beside it: a governorate named after the
        city it holds shares that city's node ("Idlib province" and "Idlib" are one place), keeping "governorate".

        >>> book = PlaceBook(Gazetteer.load(), {})
        >>> book.node("place/sy/gov/idlib"), book.node("place/sy/idlib"), book.node("place/sy/gov/rif-dimashq")
        (('place/sy/idlib', 'governorate'), ('place/sy/idlib', None), ('place/sy/gov/rif-dimashq', None))
        """
        node = self.areas.node(ref)
        return (node, "governorate") if node != ref else (ref, None)

    def as_told(self, ref: str, precision: str | None) -> str:
        """The place a telling gave, from its node and precision (the inverse of :meth:`node`).

        >>> PlaceBook(Gazetteer.load(), {}).as_told("place/sy/idlib", "governorate")
        'place/sy/gov/idlib'
        """
        governorate = self.areas.seat_of(ref.split("/", 1)[1]) if precision == "governorate" else None
        return f"place/{governorate}" if governorate else ref

    def kind(self, ref: str | None) -> str | None:
        place = self.place(ref) if ref else None
        return place.kind if place else None

    def contains(self, outer: Place, inner: Place) -> bool:
        """Whether ``inner`` is ``outer`` or lies inside it."""
        return any(p.key == outer.key for p in self.chain(inner))

    def chain(self, place: Place) -> list[Place]:
        """``place`` and every place containing it, up to its country."""
        out: list[Place] = []
        seen: set[str] = set()
        current: Place | None = place
        while current is not None and current.key not in seen:
            out.append(current)
            seen.add(current.key)
            current = self.place(f"place/{current.parent}") if current.parent else None
        return out

    def governorate(self, ref: str) -> str | None:
        """The governorate a place lies in, or None."""
        place = self.place(ref)
        found = next((p for p in self.chain(place) if p.kind in {"governorate", "country"}), None) if place else None
        return f"place/{found.key}" if found is not None and found.kind == "governorate" else None

    def same_area(self, a: str, b: str) -> bool:
        """A city and the governorate of its name ("Idlib" and "Idlib province") are one area for matching."""
        pa, pb = self.place(a), self.place(b)
        if pa is None or pb is None:
            return False
        return {pa.kind, pb.kind} == {"city", "governorate"} and pa.name.split()[0] == pb.name.split()[0]

    def compatible(self, a: str | None, b: str | None) -> bool:
        """Whether two tellings' places may be one event's: equal, one inside the other, or one area."""
        if a is None or b is None or a == b:
            return True
        pa, pb = self.place(a), self.place(b)
        if pa is None or pb is None:
            return False
        known = [(x, y) for x, y in ((a, b), (b, a)) if x in self.inferred and y.split("/", 1)[1] in self.gazetteer]
        if known:  # a village an event put in a governorate fits what the governorate holds, as it did unplaced
            described, other = known[0]
            return self.compatible(self.inferred[described], other)
        if self.unplaced(a) != self.unplaced(b):  # "in Tall Tawil village" and "in Hasakah": where is Tall Tawil?
            other = b if self.unplaced(a) else a
            return self.kind(other) != "country" and other.split("/", 1)[1] in self.gazetteer
        if self.unplaced(a) and self.unplaced(b) and "area" in {pa.kind, pb.kind} and pa.kind != pb.kind:
            return True  # "Jisreen" and "Eastern Ghouta", neither placed: the town may be in the region
        if self.contains(pa, pb) or self.contains(pb, pa) or self.same_area(a, b):
            return True
        # "Idlib" may be the province: Atmeh in Idlib province fits; "Damascus" its countryside: Douma fits
        return any(self.contains(w, pb) for w in self._areas(pa)) or any(self.contains(w, pa) for w in self._areas(pb))

    def _areas(self, place: Place) -> list[Place]:
        """The wider areas a city's name stands for too, for matching: the governorate of its name ("Idlib",
        "Hama") and the governorate that is its countryside ("Damascus": Rif Dimashq, "Damascus Countryside")."""
        rural = self.areas.countryside(place.key) if place.kind == "city" else None
        return self._named_governorate(place) + ([self.gazetteer.get(rural)] if rural else [])

    def _named_governorate(self, place: Place) -> list[Place]:
        """The governorate a city shares its name with and lies in ("Idlib", "Hama"), if one."""
        parent = self.place(f"place/{place.parent}") if place.kind == "city" and place.parent else None
        if parent is not None and parent.kind == "governorate" and parent.name.split()[0] == place.name.split()[0]:
            return [parent]
        return []

    def region(self, ref: str) -> str | None:
        """The governorate a place lies in, a city's countryside counted as the city's (Douma, in Rif Dimashq, and
        Damascus are one region), or None.

        >>> book = PlaceBook(Gazetteer.load(), {})
        >>> book.region("place/sy/douma"), book.region("place/sy/damascus"), book.region("place/sy/ariha")
        ('place/sy/gov/damascus', 'place/sy/gov/damascus', 'place/sy/gov/idlib')
        """
        governorate = self.governorate(ref)
        city = self.areas.countryside_of(governorate.split("/", 1)[1]) if governorate else None
        return (self.governorate(f"place/{city}") or governorate) if city else governorate

    def common_city(self, a: str | None, b: str | None) -> str | None:
        """The city two different parts of it lie in ("Tabbaleh" and "Bab Sharqi" in Damascus), if one."""
        pa, pb = self.place(a) if a else None, self.place(b) if b else None
        if pa is None or pb is None or pa.key == pb.key or "neighbourhood" not in {pa.kind, pb.kind} | {"neighbourhood"}:
            return None
        cities_a = [p.key for p in self.chain(pa)[1:] if p.kind == "city"]
        cities_b = {p.key for p in self.chain(pb)[1:] if p.kind == "city"}
        return next((f"place/{k}" for k in cities_a if k in cities_b), None)

    def deeper(self, a: str, b: str) -> bool:
        """Whether ``a`` lies strictly inside ``b`` (or is the city of governorate ``b``'s name)."""
        pa, pb = self.place(a), self.place(b)
        if pa is None or pb is None or pa.key == pb.key:
            return False
        if self.unplaced(a) and not self.unplaced(b) and pb.kind != "country":
            return True  # a village the text names is more precise than the town or province it is told in
        if self.unplaced(a) and self.unplaced(b) and pb.kind == "area" and pa.kind != "area":
            return True  # a town is more precise than a region
        wide = self._named_governorate(pb)  # Atmeh, in Idlib province, is more precise than "Idlib" (but Douma
        # is no more precise than "Damascus": a report of the capital is of the city, unless it says otherwise)
        return self.contains(pb, pa) or (self.same_area(a, b) and pa.kind == "city") or \
            (pa.kind != "governorate" and any(self.contains(w, pa) for w in wide))
