"""Place names from news about Syria resolve to one canonical place each, with its containment chain."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import KgError
from kg.gazetteer import DATA_FILE, Gazetteer, Place, neighbourhood_of, normalise, phonetic


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _key(gaz: Gazetteer, surface: str, **kwargs: str) -> str | None:
    place = gaz.lookup(surface, **kwargs)
    return None if place is None else place.key


# ------------------------------------------------------------------ spelling variants

SAME_PLACE = {
    "sy/raqqa": ["Raqqa", "Raqa", "Raqqah", "ar-Raqqah", "Al-Raqqah", "al-Raqqa", "Rakka", "RAQQA"],
    "sy/deir-ez-zor": ["Deir Ezzor", "Deir ez-Zor", "Deir al-Zor", "Deir el-Zour", "Dayr az-Zawr", "Deir Azzor"],
    "sy/palmyra": ["Palmyra", "Tadmur", "Tadmor"],
    "sy/aleppo": ["Aleppo", "Halab"],
    "sy/homs": ["Homs", "Hims"],
    "sy/damascus": ["Damascus", "Dimashq"],
    "sy/idlib": ["Idlib", "Idleb"],
    "sy/hama": ["Hama", "Hamah", "Ḩamāh"],
    "sy/daraa": ["Daraa", "Deraa", "Dar'a", "Dar‘ā"],
    "sy/latakia": ["Latakia", "Lattakia"],
    "sy/kobani": ["Kobane", "Kobani", "Ayn al-Arab", "Ain al-Arab"],
    "sy/manbij": ["Manbij"],
    "sy/tabqa": ["Tabqa", "al-Tabqa"],
    "sy/hasakah": ["Hasakah", "Hassakeh", "al-Hasakah"],
    "sy/qamishli": ["Qamishli", "al-Qamishli"],
    "sy/afrin": ["Afrin"],
    "sy/douma": ["Douma", "Duma"],
    "sy/al-bab": ["al-Bab", "Al Bab", "el-Bab"],
    "sy/khan-shaykhun": ["Khan Shaykhun", "Khan Sheikhoun"],
    "sy/abu-kamal": ["Abu Kamal", "Albu Kamal", "Al-Bukamal"],
    "iq/mosul": ["Mosul"],
    "iq/tikrit": ["Tikrit"],
    "iq/fallujah": ["Fallujah", "Falluja"],
    "iq/baghdad": ["Baghdad"],
    "iq/basra": ["Basra", "Basrah"],
    "ru/sochi": ["Sochi"],
    "ch/geneva": ["Geneva"],
}


@pytest.mark.parametrize(
    ("key", "surface"), [(key, surface) for key, surfaces in SAME_PLACE.items() for surface in surfaces]
)
def test_spelling_variants_resolve_to_one_place(gaz: Gazetteer, key: str, surface: str) -> None:
    assert _key(gaz, surface) == key


def test_canonical_names_are_the_english_press_names(gaz: Gazetteer) -> None:
    names = {key: gaz.get(key).name for key in SAME_PLACE}
    assert names["sy/raqqa"] == "Raqqa"
    assert names["sy/deir-ez-zor"] == "Deir ez-Zor"
    assert names["sy/palmyra"] == "Palmyra"
    assert names["sy/hama"] == "Hama"
    assert names["sy/kobani"] == "Kobani"


def test_distinct_places_stay_distinct(gaz: Gazetteer) -> None:
    keys = [_key(gaz, s) for s in ["Homs", "Hama", "Raqqa", "Daraa", "Duma", "Deir ez-Zor", "Tikrit", "Idlib"]]
    assert len(set(keys)) == len(keys)
    assert phonetic("Homs") != phonetic("Hama")


# ------------------------------------------------------------------ capitals and countries

CAPITALS = {
    "Geneva": "country/ch", "Sochi": "country/ru", "Brussels": "country/be", "Moscow": "country/ru",
    "Paris": "country/fr", "Vienna": "country/at", "Astana": "country/kz", "Beirut": "country/lb",
    "Amman": "country/jo", "Ankara": "country/tr", "Tehran": "country/ir", "Riyadh": "country/sa",
    "Doha": "country/qa", "Washington": "country/us", "London": "country/gb",
}


@pytest.mark.parametrize(("surface", "country"), sorted(CAPITALS.items()))
def test_cities_abroad_lie_in_their_country(gaz: Gazetteer, surface: str, country: str) -> None:
    place = gaz.lookup(surface)
    assert place is not None and place.kind == "city"
    assert gaz.ancestors(place)[-1].key == country


COUNTRIES = {
    "country/sy": ["Syria", "Syrian Arab Republic", "SYRIA", "Syria's"],
    "country/iq": ["Iraq"],
    "country/ru": ["Russia", "Russian Federation"],
    "country/us": ["United States", "US", "USA", "U.S.", "the US", "America", "United States of America"],
    "country/gb": ["Britain", "UK", "United Kingdom", "Great Britain"],
    "country/ir": ["Iran"],
    "country/tr": ["Turkey", "Türkiye", "Turkiye"],
    "country/lb": ["Lebanon"],
    "country/jo": ["Jordan"],
    "country/il": ["Israel"],
    "country/ch": ["Switzerland"],
    "country/fr": ["France"],
}


@pytest.mark.parametrize(
    ("key", "surface"), [(key, surface) for key, surfaces in COUNTRIES.items() for surface in surfaces]
)
def test_country_names_and_abbreviations(gaz: Gazetteer, key: str, surface: str) -> None:
    place = gaz.lookup(surface)
    assert place is not None and place.key == key and place.kind == "country"
    assert place.parent is None


def test_abbreviations_match_only_in_capitals(gaz: Gazetteer) -> None:
    assert gaz.lookup("us") is None
    assert gaz.lookup("Us") is None


# ------------------------------------------------------------------ containment

def test_raqqa_lies_in_raqqa_governorate_in_syria(gaz: Gazetteer) -> None:
    raqqa = gaz.lookup("Raqqa")
    assert raqqa is not None
    assert [p.key for p in gaz.ancestors(raqqa)] == ["sy/gov/raqqa", "country/sy"]
    assert [p.kind for p in gaz.ancestors(raqqa)] == ["governorate", "country"]
    syria = gaz.get("country/sy")
    assert gaz.contains(syria, raqqa)
    assert gaz.contains(gaz.get("sy/gov/raqqa"), raqqa)
    assert gaz.contains(raqqa, raqqa)
    assert not gaz.contains(raqqa, syria)
    assert not gaz.contains(gaz.get("country/iq"), raqqa)


def test_iraqi_cities_lie_in_their_governorates(gaz: Gazetteer) -> None:
    assert [p.key for p in gaz.ancestors(gaz.get("iq/mosul"))] == ["iq/gov/nineveh", "country/iq"]
    assert gaz.get("iq/fallujah").parent == "iq/gov/anbar"


def test_every_parent_exists_and_chains_end_at_a_country(gaz: Gazetteer) -> None:
    for place in gaz:
        chain = gaz.ancestors(place)
        if place.kind == "country":
            assert chain == []
        else:
            assert chain and chain[-1].kind == "country"
            assert chain[-1].country_code == place.country_code


def test_places_carry_geonames_ids_and_coordinates(gaz: Gazetteer) -> None:
    raqqa = gaz.get("sy/raqqa")
    assert raqqa.geonames_id == 172955
    assert raqqa.latitude == pytest.approx(35.95, abs=0.01)
    assert raqqa.longitude == pytest.approx(39.01, abs=0.01)
    assert raqqa.population > 0
    assert "Raqqah" in raqqa.variants
    governorate = gaz.get("sy/gov/raqqa")
    assert governorate.geonames_id == 172957 and governorate.latitude is not None


def test_keys_are_unique_and_iri_safe(gaz: Gazetteer) -> None:
    keys = [p.key for p in gaz]
    assert len(keys) == len(set(keys))
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-/")
    assert all(set(key) <= allowed for key in keys)


# ------------------------------------------------------------------ governorate or city

@pytest.mark.parametrize("surface", ["Homs province", "province of Homs", "Homs Governorate", "the Homs countryside"])
def test_province_words_mean_the_governorate(gaz: Gazetteer, surface: str) -> None:
    assert _key(gaz, surface) == "sy/gov/homs"


def test_plain_name_means_the_city(gaz: Gazetteer) -> None:
    assert _key(gaz, "Homs") == "sy/homs"
    assert _key(gaz, "Homs", kind_hint="governorate") == "sy/gov/homs"
    assert _key(gaz, "Raqqa city") == "sy/raqqa"
    assert _key(gaz, "the city of Aleppo") == "sy/aleppo"


def test_governorates_without_a_namesake_city(gaz: Gazetteer) -> None:
    assert _key(gaz, "Rural Damascus") == "sy/gov/rif-dimashq"
    assert _key(gaz, "Damascus countryside") == "sy/gov/rif-dimashq"
    assert _key(gaz, "Anbar") == "iq/gov/anbar"
    assert _key(gaz, "Anbar province") == "iq/gov/anbar"
    assert _key(gaz, "Nineveh") == "iq/gov/nineveh"


def test_unknown_kind_hint_is_an_error(gaz: Gazetteer) -> None:
    with pytest.raises(KgError, match="kind_hint"):
        gaz.lookup("Homs", kind_hint="province")


# ------------------------------------------------------------------ noise

NOISE = ["the", "The", "Tall", "Bab", "Aid", "Red", "Sunni", "State", "Islamic", "Observatory", "Coalition",
         "Syrian", "Russian", "Syrians", "Kurdish", "Of", "Al", "al-", "", "  ", "Hit", "Bush", "White House",
         "MOHE", "ISIS", "Islamic State"]


@pytest.mark.parametrize("surface", NOISE)
def test_english_words_and_demonyms_are_not_places(gaz: Gazetteer, surface: str) -> None:
    assert gaz.lookup(surface) is None


def test_articled_name_matches_in_full_only(gaz: Gazetteer) -> None:
    assert gaz.lookup("Tall") is None and gaz.is_blocked("Tall")
    assert _key(gaz, "al-Tall") == "sy/al-tall"
    assert gaz.lookup("Bab") is None
    assert _key(gaz, "al-Bab") == "sy/al-bab"


# ------------------------------------------------------------------ neighbourhoods

def test_neighbourhood_hangs_below_its_city(gaz: Gazetteer) -> None:
    raqqa = gaz.get("sy/raqqa")
    nahda = neighbourhood_of("al-Nahda", raqqa)
    same = [neighbourhood_of(n, raqqa) for n in ("Nahda", "the al-Nahda neighbourhood", "al Nahda district")]
    assert {n.key for n in same} == {nahda.key}
    assert same[1] == nahda and nahda.name == "al-Nahda"
    assert nahda.key == "sy/raqqa/nahda" and nahda.kind == "neighbourhood"
    assert nahda.parent == "sy/raqqa" and nahda.country_code == "SY"
    assert nahda.latitude is None and nahda.longitude is None and nahda.geonames_id is None
    assert [p.key for p in gaz.ancestors(nahda)] == ["sy/raqqa", "sy/gov/raqqa", "country/sy"]
    assert gaz.contains(gaz.get("country/sy"), nahda)
    assert neighbourhood_of("Sheikh Maqsoud", gaz.get("sy/aleppo")).key == "sy/aleppo/sheikh-maqsoud"


# ------------------------------------------------------------------ loading

def test_loads_fast_from_a_small_file() -> None:
    assert DATA_FILE.stat().st_size < 3_000_000
    start = time.perf_counter()
    fresh = Gazetteer.load(DATA_FILE)
    elapsed = time.perf_counter() - start
    assert len(fresh) > 8_000
    assert elapsed < 1.0, f"loading took {elapsed:.2f} s"
    assert Gazetteer.load() is Gazetteer.load()


def test_load_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="build_gazetteer"):
        Gazetteer.load(tmp_path / "nowhere.json.gz")


# ------------------------------------------------------------------ properties

names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=500)
@given(names)
def test_normalise_is_idempotent(name: str) -> None:
    once = normalise(name)
    assert normalise(once) == once


@given(st.sampled_from(["Raqqa", "Deir ez-Zor", "Ḩamāh", "‘Ayn al ‘Arab", "Al Bāb", "Dar‘ā"]), names)
def test_normalise_ignores_case_and_accents(name: str, _: str) -> None:
    assert normalise(name.upper()) == normalise(name.lower()) == normalise(name)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_lookup_of_a_canonical_name_finds_the_place(data: st.DataObject) -> None:
    gaz = Gazetteer.load()
    places = list(gaz)
    place: Place = data.draw(st.sampled_from(places))
    found = gaz.lookup(place.name)
    if found is None:  # its name is an English word ("Hit", "Bath")
        assert gaz.is_blocked(place.name)
        return
    if found.key != place.key:  # a namesake ranks higher: another exact match, a country, a bigger place
        assert place.key in [p.key for p in gaz.candidates(place.name)]
        assert normalise(found.name) == normalise(place.name) or normalise(place.name) in {
            normalise(v) for v in found.variants
        }


@pytest.mark.parametrize(("surface", "key", "governorate"), [
    ("Eastern Ghouta", "sy/eastern-ghouta", "sy/gov/rif-dimashq"),
    ("East Ghouta", "sy/eastern-ghouta", "sy/gov/rif-dimashq"),
    ("the Ghouta", "sy/eastern-ghouta", "sy/gov/rif-dimashq"),
    ("Qalamoun mountains", "sy/qalamoun", "sy/gov/rif-dimashq"),
    ("Jebel al-Zawiya", "sy/jabal-al-zawiya", "sy/gov/idlib"),
])
def test_named_regions_are_areas_in_their_governorate(gaz: Gazetteer, surface: str, key: str, governorate: str) -> None:
    place = gaz.lookup(surface)
    assert place is not None and (place.key, place.kind, place.parent) == (key, "area", governorate)
