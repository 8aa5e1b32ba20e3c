"""Governorates and the cities they share an area with: the city a governorate is named after, the city a
governorate is the countryside of.

Articles say "Idlib" and "Idlib province" for one area, "Damascus" for the capital and its countryside (Rif
Dimashq, "Rural Damascus"). Both relations are read off the gazetteer's names, not listed: a governorate's seat is
the city of its name inside it; a governorate is a city's countryside when one of its names is "Rural X",
"Rif X", "X Countryside" or "X Suburbs" for the one city X of its country.

>>> areas = AdminAreas.of(Gazetteer.load())
>>> areas.seat("sy/gov/idlib"), areas.seat_of("sy/idlib"), areas.seat("sy/gov/rif-dimashq")
('sy/idlib', 'sy/gov/idlib', None)
>>> areas.countryside("sy/damascus"), areas.countryside_of("sy/gov/rif-dimashq"), areas.countryside("sy/idlib")
('sy/gov/rif-dimashq', 'sy/damascus', None)
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.gazetteer import Gazetteer, normalise

_COUNTRYSIDE = re.compile(r"^(?:(?:rural|reef|rif) (?P<rural>.+)|(?P<around>.+) (?:countryside|suburbs))$", re.IGNORECASE)


@dataclass(frozen=True)
class AdminAreas:
    """The seats and countrysides of a gazetteer's governorates, by place key."""

    seats: dict[str, str]  # governorate -> the city of its name inside it
    seated: dict[str, str]  # the reverse: city -> the governorate of its name
    countrysides: dict[str, str]  # city -> the governorate that is its countryside
    surrounded: dict[str, str]  # the reverse: governorate -> the city it is the countryside of

    @staticmethod
    @functools.lru_cache(maxsize=4)
    def of(gazetteer: Gazetteer) -> AdminAreas:
        """The seats and countrysides of ``gazetteer``, from one pass over its places (cached)."""
        governorates = [p for p in gazetteer if p.kind == "governorate"]
        names = {g.key: normalise(g.name) for g in governorates}
        cities: dict[tuple[str, str], list[str]] = {}
        seats: dict[str, str] = {}
        for place in gazetteer:
            if place.kind != "city":
                continue
            cities.setdefault((place.country_code, normalise(place.name)), []).append(place.key)
            if place.parent in names and normalise(place.name) == names[place.parent]:
                seats.setdefault(place.parent, place.key)
        countrysides: dict[str, str] = {}
        for governorate in governorates:
            for name in (governorate.name, *governorate.variants):
                match = _COUNTRYSIDE.match(name)
                found = cities.get((governorate.country_code, normalise(match["rural"] or match["around"]))) \
                    if match else None
                if found and len(found) == 1:
                    countrysides.setdefault(found[0], governorate.key)
        return AdminAreas(seats, {city: gov for gov, city in seats.items()}, countrysides,
                          {gov: city for city, gov in countrysides.items()})

    def seat(self, key: str) -> str | None:
        """The city a governorate is named after and holds, which stands for both in the graph; or None."""
        return self.seats.get(key)

    def node(self, ref: str) -> str:
        """The place node a place ref is written as: a governorate named after the city it holds is that city.

        >>> areas = AdminAreas.of(Gazetteer.load())
        >>> areas.node("place/sy/gov/idlib"), areas.node("place/sy/idlib"), areas.node("place/sy/gov/rif-dimashq")
        ('place/sy/idlib', 'place/sy/idlib', 'place/sy/gov/rif-dimashq')
        """
        seat = self.seat(ref.split("/", 1)[1]) if ref.startswith("place/") else None
        return f"place/{seat}" if seat else ref

    def seat_of(self, key: str) -> str | None:
        """The governorate the city ``key`` is the seat of (the inverse of :meth:`seat`), or None."""
        return self.seated.get(key)

    def countryside(self, key: str) -> str | None:
        """The governorate that is the countryside of the city ``key``, or None."""
        return self.countrysides.get(key)

    def countryside_of(self, key: str) -> str | None:
        """The city whose countryside the governorate ``key`` is (the inverse of :meth:`countryside`), or None."""
        return self.surrounded.get(key)
