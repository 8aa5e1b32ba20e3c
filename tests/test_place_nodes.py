"""One node for a city and the governorate named after it, with the governorate-level reading kept.

Articles say "Idlib" and "Idlib province" for one area: the graph has one place node for both (a ckg:City and a
ckg:Governorate, with the governorate's names, the places of the governorate located in it), and an event the
reports place only in the province says so with ``ckg:placePrecision "governorate"``.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.admin_areas import AdminAreas
from kg.build import build
from kg.claims import _ArticleEntities
from kg.dates import DateValue
from kg.extraction.placebook import PlaceBook
from kg.gazetteer import Gazetteer, normalise
from kg.lexicon import Lexicon
from kg.resolution import Claim, Resolver, Roles
from kg.store import GraphStore

GAZETTEER = Gazetteer.load()
AREAS = AdminAreas.of(GAZETTEER)
LEXICON = Lexicon.load()
REGIME = "actor/syrian-government"
MONDAY, TUESDAY = DateValue(2016, 3, 14), dt.date(2016, 3, 15)


def test_every_seat_is_a_city_of_its_governorates_name_inside_it() -> None:
    governorates = [p for p in GAZETTEER if p.kind == "governorate"]
    seats = {g.key: AREAS.seat(g.key) for g in governorates}
    assert sum(1 for s in seats.values() if s) > 20
    for governorate, city in seats.items():
        if city is None:
            continue
        place = GAZETTEER.get(city)
        assert place.kind == "city" and place.parent == governorate
        assert normalise(place.name) == normalise(GAZETTEER.get(governorate).name)
        assert AREAS.seat_of(city) == governorate
    assert seats["sy/gov/rif-dimashq"] is None  # no city is called Rif Dimashq: the governorate keeps its node


def test_a_town_of_the_governorate_lies_in_the_one_node_and_the_governorate_has_none_of_its_own() -> None:
    entities = _ArticleEntities(LEXICON, GAZETTEER)
    entities.ensure(["place/sy/ariha", "place/sy/gov/idlib", "place/sy/gov/rif-dimashq"])
    described = entities.entities
    assert "place/sy/gov/idlib" not in described
    assert described["place/sy/ariha"].parent == "place/sy/idlib"
    idlib = described["place/sy/idlib"]
    assert idlib.classes == ("City", "Governorate") and idlib.parent == "place/country/sy"
    assert {"Idlib Governorate", "Idlib province"} <= set(idlib.alt_labels)
    assert described["place/sy/gov/rif-dimashq"].classes == ("Governorate",)


def claim(article: str, place: str, *, precision: str | None = None, date: DateValue | None = MONDAY) -> Claim:
    return Claim(f"claim/{article}/0", f"article/{article}", "AirStrike", TUESDAY, article, date, place,
                 Roles(agents=(REGIME,)), place_precision=precision)


def resolve(claims: list[Claim]):
    return Resolver(LEXICON, GAZETTEER).resolve(claims, labels={"place/sy/idlib": "Idlib"}).events


def test_a_report_of_the_province_alone_keeps_the_governorate_precision_on_the_shared_node() -> None:
    [event] = resolve([claim("a1", "place/sy/idlib", precision="governorate"),
                       claim("a2", "place/sy/idlib", precision="governorate", date=None)])
    assert (event.place, event.place_precision) == ("place/sy/idlib", "governorate")
    assert event.label == "AirStrike in Idlib governorate, 2016-03-14"


def test_a_report_of_the_province_joins_the_report_of_a_town_in_it_which_gives_the_place() -> None:
    [event] = resolve([claim("a1", "place/sy/idlib", precision="governorate"), claim("a2", "place/sy/ariha")])
    assert (event.place, event.place_precision) == ("place/sy/ariha", None)


def test_the_city_and_the_province_told_the_same_day_are_one_event_in_the_city() -> None:
    [event] = resolve([claim("a1", "place/sy/idlib", precision="governorate"), claim("a2", "place/sy/idlib")])
    assert (event.place, event.place_precision) == ("place/sy/idlib", None)


def test_the_province_of_one_city_is_not_another_city() -> None:
    events = resolve([claim("a1", "place/sy/idlib", precision="governorate"), claim("a2", "place/sy/hama")])
    assert len(events) == 2


def test_the_precision_round_trips_through_the_place_book() -> None:
    book = PlaceBook(GAZETTEER, {})
    for ref in ("place/sy/gov/hasakah", "place/sy/hasakah", "place/sy/ariha", "place/sy/gov/rif-dimashq"):
        assert book.as_told(*book.node(ref)) == ref


@pytest.mark.model
def test_articles_naming_the_city_and_the_province_give_one_place_node(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Air strikes on Idlib province\n\nSyrian government air strikes killed 12 "
                                    "people in Idlib province on Monday, a monitor said.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Raids on Idlib\n\nGovernment warplanes struck the city of Idlib on Monday, "
                                    "killing 12 people, a monitor said. Ariha, a town in Idlib province, was "
                                    "shelled on Sunday.\n", encoding="utf-8")
    store = GraphStore.open(tmp_path / "store")
    build([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], store=store, progress=False)
    rows = list(store.query("""SELECT DISTINCT ?p WHERE { ?p a ckg:Place ; (rdfs:label|skos:altLabel) ?name
                                FILTER(?name IN ("Idlib", "Idlib Governorate", "Idlib province")) }"""))
    assert [r["p"].value.rsplit("/id/", 1)[1] for r in rows] == ["place/sy/idlib"]
    assert store.query("ASK { ?p ckg:locatedIn ?idlib . ?idlib rdfs:label 'Idlib' ; a ckg:Governorate, ckg:City }")
    said = {r["precision"].value for r in store.query(
        "SELECT ?precision WHERE { ?c ckg:saysPlace ?idlib ; ckg:saysPlacePrecision ?precision . "
        "?idlib rdfs:label 'Idlib' }")}
    assert said == {"governorate"}  # article a said the province; article b the city


# --- a city and the governorate that is its countryside ("Rural Damascus")


def test_a_countryside_governorate_is_found_by_its_names() -> None:
    pairs = {city: AREAS.countryside(city) for city in ("sy/damascus", "sy/idlib", "sy/aleppo")}
    assert pairs == {"sy/damascus": "sy/gov/rif-dimashq", "sy/idlib": None, "sy/aleppo": None}
    names = {normalise(n) for n in (GAZETTEER.get("sy/gov/rif-dimashq").name, *GAZETTEER.get("sy/gov/rif-dimashq").variants)}
    assert "damascus countryside" in names and AREAS.countryside_of("sy/gov/rif-dimashq") == "sy/damascus"


def test_a_report_of_the_capital_may_be_of_its_countryside_but_is_no_less_precise() -> None:
    book = PlaceBook(GAZETTEER, {})
    assert book.compatible("place/sy/damascus", "place/sy/douma")
    assert book.compatible("place/sy/eastern-ghouta", "place/sy/damascus")
    assert not book.compatible("place/sy/idlib", "place/sy/douma")
    assert not book.deeper("place/sy/douma", "place/sy/damascus")  # "Damascus" names the city unless told otherwise
    assert book.region("place/sy/douma") == book.region("place/sy/damascus") != book.region("place/sy/idlib")


def test_reports_of_the_capital_and_a_town_of_its_countryside_that_day_are_one_event() -> None:
    damascus, douma = claim("a1", "place/sy/damascus"), claim("a2", "place/sy/douma")
    other_day = claim("a3", "place/sy/douma", date=DateValue(2016, 3, 10))
    groups = {frozenset(e.claims) for e in resolve([damascus, douma, other_day])}
    assert groups == {frozenset({damascus.ref, douma.ref}), frozenset({other_day.ref})}


def test_a_village_an_event_put_in_a_governorate_fits_what_the_governorate_holds() -> None:
    from kg.extraction.mentions import EntityMention

    village = EntityMention("place/sy/jisrin", "Jisrin", 0, 0, "Jisrin", parent="place/country/sy", place_kind="city")
    book = PlaceBook(GAZETTEER, {village.ref: village})
    assert book.compatible(village.ref, "place/sy/eastern-ghouta") and book.compatible(village.ref, "place/sy/idlib")
    book.infer(village.ref, "place/sy/harasta")  # one event told at the village and at Harasta, in Rif Dimashq
    assert book.compatible(village.ref, "place/sy/eastern-ghouta") and book.compatible("place/sy/douma", village.ref)
    assert not book.compatible(village.ref, "place/sy/idlib")
