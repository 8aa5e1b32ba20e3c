"""Resolution as a stage: claims of many articles -> one canonical node per real event, person and place.

The first part resolves hand-made claims (no language model): what joins, what
never does, figures and confidences, order independence, overrides. The second
builds real articles into stores and checks the two layers: every canonical
triple once (so a plain COUNT is right), the same canonical graph whatever the
input order, nothing changed by a second build, overrides that survive a
rebuild of every article.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build import build
from kg.canonical import resolve_store
from kg.cli import cli
from kg.curation import Curation
from kg.dates import DateValue
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon
from kg.resolution import Claim, EntityClaim, FigureReport, Override, Resolver, Roles
from kg.store import GraphStore
from kg.vocab import CANONICAL_GRAPH, CKG, ONTOLOGY_GRAPH, PREFIXES

ROOT = Path(__file__).resolve().parent.parent
FAKES_SAMPLE = ROOT / "tests" / "data" / "reading" / "fakes_sample.csv"
DEV_SET = ROOT.parent / "shared" / "eval" / "fakes-dev.csv"
LEXICON = Lexicon.load()
GAZETTEER = Gazetteer.load()
REGIME, IS, SDF = "actor/syrian-government", "actor/islamic-state", "actor/sdf"
RAQQA, RAQQA_GOV, ALEPPO = "place/sy/raqqa", "place/sy/gov/raqqa", "place/sy/aleppo"
NOV_25, NOV_26 = DateValue(2014, 11, 25), dt.date(2014, 11, 26)


def claim(article: str, n: int = 0, *, type: str = "AirStrike", date: DateValue | None = NOV_25,
          place: str | None = RAQQA, agents: tuple[str, ...] = (REGIME,), published: dt.date | None = NOV_26,
          killed: int | None = None, outlet: str | None = None) -> Claim:
    figures = (FigureReport(f"casualties/{article}/{n}", killed=killed),) if killed is not None else ()
    return Claim(f"claim/{article}/{n}", f"article/{article}", type, published, outlet or article, date, place,
                 Roles(agents=agents), (f"mention/{article}/{n}",), figures)


def resolve(claims, entity_claims=(), overrides=()):
    return Resolver(LEXICON, GAZETTEER, overrides).resolve(claims, entity_claims)


def groups(resolution) -> set[frozenset[str]]:
    return {frozenset(e.claims) for e in resolution.events}


# --- which claims are one event


def test_three_reports_of_one_strike_are_one_event_with_every_article_and_figure() -> None:
    claims = [claim("a1", killed=95), claim("a2", killed=63), claim("a3", killed=63, published=dt.date(2014, 11, 27))]
    [event] = resolve(claims).events
    assert event.articles == ("article/a1", "article/a2", "article/a3")
    assert event.key == "airstrike/sy/raqqa/2014-11-25/syrian-government"
    assert event.figures == ("casualties/a1/0", "casualties/a2/0", "casualties/a3/0")
    assert event.killed == (63, 63, 95)  # low, best (median of the articles' own), high
    assert event.confidence == 0.875 and event.outlets == 3


def test_an_undated_report_joins_the_event_of_the_days_before_it_and_no_other() -> None:
    dated = claim("a1")
    next_day = claim("a2", date=None, published=NOV_26)
    weeks_later = claim("a3", date=None, published=dt.date(2014, 12, 20))
    assert groups(resolve([dated, next_day, weeks_later])) == {frozenset({dated.ref, next_day.ref}),
                                                               frozenset({weeks_later.ref})}


def test_an_undated_report_joins_an_event_of_the_month_whose_days_it_may_tell() -> None:
    month = claim("a1", date=DateValue(2014, 11))
    early_december = claim("a2", date=None, published=dt.date(2014, 12, 2))
    late_december = claim("a3", date=None, published=dt.date(2014, 12, 20))
    year = claim("a4", date=DateValue(2014), place=ALEPPO)
    undated_in_aleppo = claim("a5", date=None, place=ALEPPO, published=dt.date(2014, 12, 2))
    assert groups(resolve([month, early_december, late_december, year, undated_in_aleppo])) == {
        frozenset({month.ref, early_december.ref}), frozenset({late_december.ref}), frozenset({year.ref}),
        frozenset({undated_in_aleppo.ref})}  # a year says too little to take an undated report


def test_dates_that_clearly_differ_never_merge() -> None:
    november, september = claim("a1"), claim("a2", date=DateValue(2014, 9, 6))
    assert len(resolve([november, september]).events) == 2


def test_a_month_precise_report_joins_a_day_precise_one_of_that_month_at_the_same_place() -> None:
    day, month = claim("a1"), claim("a2", date=DateValue(2014, 11))
    [event] = resolve([day, month]).events
    assert event.date == NOV_25 and event.date_confidence == 1.0


def test_a_governorate_level_report_joins_the_city_event_of_that_day() -> None:
    city, governorate = claim("a1"), claim("a2", place=RAQQA_GOV)
    [event] = resolve([city, governorate]).events
    assert event.place == RAQQA  # the most specific place every claim fits


def test_two_claims_of_one_article_are_two_events() -> None:
    assert len(resolve([claim("a1", 0), claim("a1", 1)]).events) == 2


def test_other_sides_doing_it_are_other_events() -> None:
    assert len(resolve([claim("a1", agents=(REGIME,)), claim("a2", agents=(IS,))]).events) == 2
    assert len(resolve([claim("a1", agents=(REGIME,)), claim("a2", agents=())]).events) == 1


def test_other_types_and_other_places_are_other_events() -> None:
    assert len(resolve([claim("a1"), claim("a2", type="Shelling")]).events) == 2
    assert len(resolve([claim("a1"), claim("a2", place=ALEPPO)]).events) == 2


def test_a_claim_with_no_place_stays_alone() -> None:
    assert len(resolve([claim("a1", place=None), claim("a2", place=None)]).events) == 2


CLAIMS = [claim("a1", killed=95), claim("a2", date=None), claim("a3", place=RAQQA_GOV), claim("a4", agents=(IS,)),
          claim("a5", date=DateValue(2014, 11)), claim("a6", date=DateValue(2014, 9, 6)), claim("a1", 1, type="Battle"),
          claim("a2", 1, type="Battle", date=None, agents=(SDF,)), claim("a7", place=ALEPPO, date=None)]


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_claims(rng: random.Random) -> None:
    shuffled = list(CLAIMS)
    rng.shuffle(shuffled)
    assert resolve(shuffled) == resolve(CLAIMS)


# --- entities: spellings of one name


def person(article: str, name: str, key: str) -> EntityClaim:
    return EntityClaim(f"claim/{article}/{key}", f"article/{article}", key, name, (), (), None, "actor/sohr")


def place(article: str, name: str, key: str, container: str) -> EntityClaim:
    return EntityClaim(f"claim/{article}/{key}", f"article/{article}", key, name, (), ("Neighbourhood",), container)


SPELLINGS = [person("a1", "Rami Abdel Rahman", "person/rami-abdel-rahman"),
             person("a2", "Rami Abdel Rahman", "person/rami-abdel-rahman"),
             person("a3", "Rami Abdurrahman", "person/rami-abdurrahman"),
             person("a4", "Rami Abdul Rahman", "person/rami-abdul-rahman")]


def test_an_events_roles_name_the_most_specific_actor_in_the_role_most_claims_give_it() -> None:
    from dataclasses import replace
    jaish, rebels, nusra = "actor/jaish-al-islam", "actor/syrian-opposition", "actor/nusra-front"
    (event,) = resolve([claim("a1", agents=(rebels,)), claim("a2", agents=(jaish,))]).events  # one side, twice told
    assert event.roles.agents == (jaish,)
    told_apart = Roles(agents=(IS,), targets=(nusra,))
    claims = [replace(claim("a3"), roles=told_apart), replace(claim("a4"), roles=told_apart),
              claim("a5", agents=(IS, nusra))]  # "IS claimed the bombing that killed Nusra fighters", misread
    (event,) = resolve(claims).events
    assert event.roles.agents == (IS,) and event.roles.targets == (nusra,)


def test_spellings_of_a_persons_name_are_one_person_under_the_most_used_key() -> None:
    entities, redirects, _ = Resolver(LEXICON, GAZETTEER).entities(SPELLINGS)
    assert [e.ref for e in entities] == ["person/rami-abdel-rahman"]
    assert entities[0].label == "Rami Abdel Rahman" and entities[0].affiliation == "actor/sohr"
    assert set(entities[0].alt_labels) == {"Rami Abdurrahman", "Rami Abdul Rahman"}
    assert redirects == {"person/rami-abdurrahman": "person/rami-abdel-rahman",
                         "person/rami-abdul-rahman": "person/rami-abdel-rahman"}


def test_other_names_stay_other_people() -> None:
    claims = [person("a1", "Rami Abdel Rahman", "person/a"), person("a2", "Rami Makhlouf", "person/b")]
    entities, redirects, _ = Resolver(LEXICON, GAZETTEER).entities(claims)
    assert len(entities) == 2 and redirects == {}


def test_a_name_told_in_full_is_the_person_of_its_short_form() -> None:
    claims = [person("a1", "Zahran Alloush", "person/zahran-alloush"),
              person("a2", "Zahran Alloush", "person/zahran-alloush"),
              person("a3", "Mohammed bin Abdullah Zahran Aloush", "person/mohammed-bin-abdullah-zahran-aloush"),
              person("a4", "Hafez al-Assad", "person/hafez-al-assad"), person("a5", "Bashar al-Assad", "person/b")]
    entities, redirects, _ = Resolver(LEXICON, GAZETTEER).entities(claims)
    assert redirects == {"person/mohammed-bin-abdullah-zahran-aloush": "person/zahran-alloush"}
    assert len(entities) == 3  # Hafez and Bashar share a family name, not a name


def test_a_place_one_article_puts_in_the_country_and_another_in_its_city_is_one_place() -> None:
    claims = [place("a1", "Zubdiya", "place/sy/zubdiya", "place/country/sy"),
              place("a2", "Zubdiya", "place/sy/aleppo/zubdiya", ALEPPO)]
    events = [claim("a1", place="place/sy/zubdiya", date=DateValue(2016, 8, 1), published=dt.date(2016, 8, 2)),
              claim("a2", place="place/sy/aleppo/zubdiya", date=DateValue(2016, 8, 1), published=dt.date(2016, 8, 2))]
    resolution = resolve(events, claims)
    assert [e.ref for e in resolution.entities] == ["place/sy/aleppo/zubdiya"]
    assert [e.place for e in resolution.events] == ["place/sy/aleppo/zubdiya"]


def test_places_of_one_sound_in_unrelated_containers_stay_apart() -> None:
    claims = [place("a1", "Zubdiya", "place/sy/aleppo/zubdiya", ALEPPO),
              place("a2", "Zubdiya", "place/sy/raqqa/zubdiya", RAQQA)]
    entities, redirects, _ = Resolver(LEXICON, GAZETTEER).entities(claims)
    assert len(entities) == 2 and redirects == {}


# --- overrides


def test_same_joins_what_resolution_kept_apart_and_different_splits_what_it_joined() -> None:
    november, september = claim("a1"), claim("a2", date=DateValue(2014, 9, 6))
    assert len(resolve([november, september], overrides=[Override("same", november.ref, september.ref)]).events) == 1
    a, b = claim("a1"), claim("a2")
    assert len(resolve([a, b], overrides=[Override("different", a.ref, b.ref)]).events) == 2


def test_different_stops_an_automatic_merge_of_people_and_alias_makes_one() -> None:
    kept = [Override("different", "person/rami-abdel-rahman", "person/rami-abdurrahman")]
    _, redirects, _ = Resolver(LEXICON, GAZETTEER, kept).entities(SPELLINGS)
    assert "person/rami-abdurrahman" not in redirects
    claims = [person("a1", "Rami Abdel Rahman", "person/rami"), person("a2", "The Observatory Head", "person/head")]
    alias = [Override("alias", "person/rami", "the Observatory head")]
    entities, redirects, names = Resolver(LEXICON, GAZETTEER, alias).entities(claims)
    assert redirects == {"person/head": "person/rami"} and ("person/rami", "the Observatory head") in names


# --- the two layers in a store built from real articles


def count(store: GraphStore, pattern: str) -> int:
    return int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")))["n"].value)


def distinct(store: GraphStore, pattern: str) -> int:
    return int(next(iter(store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")))["n"].value)


def canonical_classes(store: GraphStore) -> list[str]:
    rows = store.query("""SELECT DISTINCT ?c WHERE { GRAPH ?o { ?c rdfs:subClassOf* ?top }
                          VALUES ?top { ckg:Event ckg:Actor ckg:Place ckg:Article ckg:Mention ckg:CasualtyReport } }""")
    return sorted(r["c"].value for r in rows)


def fresh_build(paths, tmp_path: Path, name: str) -> GraphStore:
    store = GraphStore.open(tmp_path / name)
    build([str(p) for p in paths], store=store, progress=False)
    return store


def reversed_csv(source: Path, target: Path) -> Path:
    with source.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with target.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([rows[0], *reversed(rows[1:])])
    return target


@pytest.mark.model
@pytest.mark.parametrize("corpus", ["seeds", "fakes-sample", "fakes-dev"])
def test_a_plain_count_of_every_canonical_class_counts_each_node_once(corpus: str, tmp_path: Path,
                                                                      seeds_store: Path) -> None:
    if corpus == "seeds":
        store = GraphStore.open(seeds_store, read_only=True)
    else:
        source = FAKES_SAMPLE if corpus == "fakes-sample" else DEV_SET
        if not source.is_file():
            pytest.skip(f"the dev set is not at {source}")
        store = fresh_build([source], tmp_path, "store")
    assert count(store, "?x a ckg:AirStrike") == distinct(store, "?x a ckg:AirStrike") > 0
    classes = canonical_classes(store)
    assert len(classes) > 20
    for cls in classes:
        assert count(store, f"?x a <{cls}>") == distinct(store, f"?x a <{cls}>"), cls
    triples = {(q.subject, q.predicate, q.object) for q in store.quads()}
    assert len(triples) == len(list(store.quads())), "a triple is stored in two graphs"


@pytest.mark.model
def test_the_input_order_does_not_change_the_canonical_graph(tmp_path: Path) -> None:
    source = DEV_SET if DEV_SET.is_file() else FAKES_SAMPLE
    forward = fresh_build([source], tmp_path, "forward")
    backward = fresh_build([reversed_csv(source, tmp_path / "reversed.csv")], tmp_path, "backward")
    canonical = {str(q) for q in forward.store.quads_for_pattern(None, None, None, CANONICAL_GRAPH)}
    assert canonical == {str(q) for q in backward.store.quads_for_pattern(None, None, None, CANONICAL_GRAPH)}
    merged = forward.query("ASK { ?e ckg:reportedIn ?a1, ?a2 . FILTER(?a1 != ?a2) }")
    assert merged, "the corpus should have events reported by two articles"


@pytest.mark.model
def test_a_second_build_and_a_second_resolution_change_nothing(seeds_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    shutil.copytree(seeds_store, path)
    store = GraphStore.open(path)
    before = sorted(str(q) for q in store.quads())
    report = build([str(ROOT / "seeds")], store=store, progress=False)
    assert (report.unchanged, report.resolved) == (5, 0)
    assert resolve_store(store) == 0 and resolve_store(store, force=True) == 0
    assert sorted(str(q) for q in store.quads()) == before


def strikes_on_raqqa(store: GraphStore) -> list[str]:
    rows = store.query("SELECT ?e WHERE { ?e a ckg:AirStrike ; ckg:place ?p . ?p rdfs:label 'Raqqa' } ORDER BY ?e")
    return [r["e"].value for r in rows]


@pytest.mark.model
def test_an_override_survives_a_rebuild_of_every_article_and_undo_takes_it_back(seeds_store: Path,
                                                                                 tmp_path: Path) -> None:
    path = tmp_path / "store"
    shutil.copytree(seeds_store, path)
    store = GraphStore.open(path)
    [november] = [e for e in strikes_on_raqqa(store) if "2014-11-25" in e]
    [september] = [e for e in strikes_on_raqqa(store) if "2014-09-06" in e]
    curation = Curation(store)
    assert curation.same(november, september) > 0
    assert len(strikes_on_raqqa(store)) == 2  # of three: the September strikes are now the November ones
    store.close()
    for item in path.iterdir():  # a rebuild of every article: nothing is kept but the overrides file
        if item.name != "curation.tsv":
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    store = fresh_build([ROOT / "seeds"], tmp_path, "store")
    assert len(strikes_on_raqqa(store)) == 2
    assert [e.action for e in Curation(store).entries()] == ["same"]
    assert count(store, "GRAPH ?g { ?o a ckg:Override ; ckg:action 'same' }") == 1
    assert Curation(store).undo().action == "same"
    assert len(strikes_on_raqqa(store)) == 3


@pytest.mark.model
def test_curate_on_the_command_line(seeds_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    shutil.copytree(seeds_store, path)
    runner = CliRunner()

    def kg(*args: str):
        return runner.invoke(cli, ["curate", *args, "--store", str(path)])

    result = kg("alias", "person/vladimir-putin", "V. Putin")
    assert result.exit_code == 0 and "canonical quads changed" in result.output
    assert "alias person/vladimir-putin V. Putin" in kg("list").output
    store = GraphStore.open(path, read_only=True)
    assert store.query("ASK { <https://w3id.org/conflict-kg/id/person/vladimir-putin> skos:altLabel 'V. Putin' }")
    del store
    strike = "event/airstrike/sy/raqqa/2014-11-25/syrian-government"
    for args, message in [(("same", "event/nothing/here", "event/nor/here"), "no such event"),
                          (("different", strike, f"<https://w3id.org/conflict-kg/id/{strike}>"), "two of its claims"),
                          (("same", "actor/russia", "person/vladimir-putin"), "two entities of one kind"),
                          (("different", "not a node", "actor/russia"), "names no node")]:
        result = kg(*args)
        assert result.exit_code == 1
        assert result.output.count("\n") == 1 and message in result.output, result.output
    (path / "curation.tsv").write_text("same\tonly-two-fields\n", encoding="utf-8")
    result = kg("list")
    assert result.exit_code == 1 and "curation.tsv:1: expected ACTION" in result.output


def test_a_report_dated_only_to_a_year_is_no_telling_of_another_articles_day():
    assert len(resolve([claim("a1"), claim("a2", date=DateValue(2014))]).events) == 2


def test_confidence_of_the_date_and_place_is_the_share_of_claims_that_agree():
    [event] = resolve([claim("a1"), claim("a2", date=DateValue(2014, 11))]).events
    assert (event.date, event.date_confidence, event.place_confidence) == (NOV_25, 1.0, 1.0)
    [event] = resolve([claim("a1"), claim("a2", date=None)]).events
    assert event.date_confidence == 1.0  # an undated claim neither agrees nor disagrees
    [event] = resolve([claim("a1", date=DateValue(2014)), claim("a2", date=DateValue(2015))]).events  # "last year"
    assert event.date_confidence == 0.5
    [event] = resolve([claim("a1"), claim("a2", place=RAQQA_GOV)]).events
    assert (event.place, event.place_confidence, event.confidence) == (RAQQA, 1.0, 0.75)
