"""The Python API, kg.KnowledgeGraph: concrete facts of the seeds' graph, and small graphs made here."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg import KnowledgeGraph
from kg.errors import QueryError
from kg.graph import Actor, Event, Neighbour, _demo
from kg.rdf import entity_quads
from kg.claims import Entity
from kg.iris import mint_iri

ROOT = Path(__file__).resolve().parent.parent
RAQQA_STRIKE = mint_iri("event", "airstrike/sy/raqqa/2014-11-25/syrian-government").value
SOCHI = "DiplomaticMeeting in Sochi, 2014-11-26"
RAQQA_ARTICLES = ("000_e19785c479a03bb6", "001_20f5972022af204a", "002_fddf2a81c958b812")


@pytest.fixture(scope="module")
def graph(seeds_store: Path) -> KnowledgeGraph:
    return KnowledgeGraph.open(seeds_store, read_only=True)


# --------------------------------------------------------------------------- the package


def test_import_kg_is_light_and_exports_the_api() -> None:
    code = ("import sys, importlib, kg; assert 'spacy' not in sys.modules, 'import kg loaded spaCy'; "
            "importlib.import_module('kg.build'); from kg import KnowledgeGraph, build; "
            "assert build is kg.build and build.__module__ == 'kg.build' and callable(kg.build); "
            "assert KnowledgeGraph.__module__ == 'kg.graph'; print(sorted(kg.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "['KnowledgeGraph', '__version__', 'build']"
    assert "KnowledgeGraph" in dir(kg)


def test_kg_build_can_be_replaced_and_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    real = kg.build
    monkeypatch.setattr(kg, "build", lambda *a, **k: "fake")
    assert kg.build() == "fake"
    monkeypatch.undo()
    assert kg.build is real


# --------------------------------------------------------------------------- small graphs


def test_an_in_memory_graph_opens_empty_and_closes_once() -> None:
    with KnowledgeGraph.open() as graph:
        assert repr(graph) == "KnowledgeGraph('in memory')"
        assert graph.stats()["events"] == 0 and graph.events() == []
        assert graph.actor("Islamic State") is None
    graph.close()  # a second close does nothing


def test_events_read_every_fact_of_an_event() -> None:
    (strike,) = _demo().events(actor="Islamic State")
    assert strike == Event(iri=RAQQA_STRIKE, type="AirStrike", label="AirStrike in Raqqa, 2014-11-25",
                           date="2014-11-25", place="Raqqa", agents=("Syrian government",),
                           targets=("Islamic State",), participants=(), articles=("a1",))
    demo = _demo()
    assert [e.label for e in demo.events()] == ["AirStrike in Raqqa, 2014-11-25", SOCHI]
    assert [e.label for e in demo.events(since="2014-11-26")] == [SOCHI]
    assert [e.label for e in demo.events(until=dt.date(2014, 11, 25), place="Syria")] == [strike.label]
    assert [e.label for e in demo.events(type="diplomatic meeting", actor="Putin")] == [SOCHI]
    with pytest.raises(QueryError, match="parameter type: unknown event type 'picnic'; expected one of: AirStrike"):
        demo.events(type="picnic")
    with pytest.raises(QueryError, match="parameter actor: no actor named 'Nobody' in the graph"):
        demo.events(actor="Nobody")


def test_path_is_empty_when_nothing_links_two_actors() -> None:
    graph = KnowledgeGraph.open()
    graph.store.store.extend([q for key in ("north", "south") for q in
                              entity_quads(Entity("actor", key, key.title(), ("ArmedGroup",)))])
    assert graph.path("North", "South") == []
    assert graph.path("North", "north") == ["North"]


# --------------------------------------------------------------------------- the seeds' graph


@pytest.mark.model
def test_open_a_store_read_only(graph: KnowledgeGraph, seeds_store: Path) -> None:
    assert repr(graph) == f"KnowledgeGraph({str(seeds_store)!r})"
    stats = graph.stats()
    assert stats["articles"] == 5 and stats["events"] >= 20 and stats["events.AirStrike"] >= 3


@pytest.mark.model
def test_islamic_states_events_include_the_raqqa_air_strikes(graph: KnowledgeGraph) -> None:
    events = graph.events(actor="Islamic State")
    strike = next(e for e in events if e.iri == RAQQA_STRIKE)
    assert (strike.type, strike.label, strike.date, strike.place) == (
        "AirStrike", "AirStrike in Raqqa, 2014-11-25", "2014-11-25", "Raqqa")
    assert (strike.agents, strike.targets, tuple(sorted(strike.articles))) == (
        ("Syrian government",), ("Islamic State",), RAQQA_ARTICLES)
    assert graph.events(actor="Daesh") == events == graph.events(actor=mint_iri("actor", "islamic-state").value)
    assert all("Islamic State" in e.agents + e.targets + e.participants for e in events)


@pytest.mark.model
@pytest.mark.parametrize("filters", [
    {}, {"actor": "Russia"}, {"place": "Raqqa Governorate"}, {"type": "Battle", "since": "2017"},
    {"actor": "IS", "since": "2014-11", "until": "2016"}, {"place": "Syria", "until": dt.date(2014, 12, 31)},
])
def test_events_match_the_events_query(graph: KnowledgeGraph, filters: dict[str, object]) -> None:
    bindings = {("event_type" if k == "type" else k): v for k, v in filters.items()}
    expected = graph.query("events", **bindings)
    events = graph.events(**filters)  # type: ignore[arg-type]
    assert [e.iri for e in events] == [r["event"] for r in expected]
    assert [e.date for e in events] == [None if r["date"] is None else str(r["date"]) for r in expected]


@pytest.mark.model
def test_actor_by_any_alias(graph: KnowledgeGraph) -> None:
    state = graph.actor("Daesh")
    assert isinstance(state, Actor)
    assert (state.iri, state.label, state.kind, state.classes, state.affiliation) == (
        mint_iri("actor", "islamic-state").value, "Islamic State", "actor", ("ArmedGroup",), None)
    assert {"Daesh", "ISIS", "ISIL"} <= set(state.aliases) and "Islamic State" not in state.aliases
    assert graph.actor("isis") == graph.actor(state.iri) == state
    putin = graph.actor("putin")
    assert putin is not None and (putin.label, putin.kind, putin.affiliation) == ("Vladimir Putin", "person", "Russia")
    assert graph.actor("Raqqa") is None and graph.actor("Nobody at all") is None


@pytest.mark.model
def test_neighbours_with_their_relation(graph: KnowledgeGraph) -> None:
    state = graph.neighbours("Islamic State")
    assert Neighbour("target", "in", "AirStrike in Raqqa, 2014-11-25", RAQQA_STRIKE) in state
    assert {n.relation for n in state} <= {"agent", "target", "participant"}
    putin = {(n.relation, n.direction, n.label) for n in graph.neighbours("Vladimir Putin")}
    assert {("affiliation", "out", "Russia"), ("participant", "in", SOCHI)} <= putin
    raqqa = {(n.relation, n.direction, n.label) for n in graph.neighbours("Raqqa")}
    assert {("locatedIn", "out", "Syria"), ("locatedIn", "in", "al-Nahda"),
            ("place", "in", "AirStrike in Raqqa, 2014-11-25")} <= raqqa
    strike = {(n.relation, n.direction, n.label) for n in graph.neighbours(RAQQA_STRIKE)}
    assert strike == {("agent", "out", "Syrian government"), ("target", "out", "Islamic State"),
                      ("place", "out", "Raqqa")}


@pytest.mark.model
def test_neighbours_of_an_ambiguous_or_unknown_name(graph: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"'Russia' names several nodes: Russia <.*actor/russia>; "
                                         r"Russia <.*place/country/ru>; pass an IRI instead"):
        graph.neighbours("Russia")
    assert graph.neighbours("actor/russia")
    with pytest.raises(QueryError, match="no actor, place or event named 'Atlantis' in the graph"):
        graph.neighbours("Atlantis")


@pytest.mark.model
def test_path_from_russia_to_islamic_state(graph: KnowledgeGraph) -> None:
    path = graph.path("Russia", "Islamic State")
    assert path[:3] == ["Russia", SOCHI, "Syrian government"] and path[-1] == "Islamic State" and len(path) == 5
    shared = {e.label for e in graph.events(actor="Syrian government")} & \
        {e.label for e in graph.events(actor="Islamic State")}
    assert path[3] in shared
    iris = graph.path("Russia", "Islamic State", iris=True)
    assert iris[0] == mint_iri("actor", "russia").value and iris[-1] == mint_iri("actor", "islamic-state").value
    with pytest.raises(QueryError, match="no actor named 'Atlantis'"):
        graph.path("Atlantis", "Islamic State")


@pytest.mark.model
def test_query_named_and_sparql(graph: KnowledgeGraph) -> None:
    figures = graph.query("casualty_figures")
    assert [(r["killed"], r["article"]) for r in figures[:3]] == [
        (95, RAQQA_ARTICLES[0]), (63, RAQQA_ARTICLES[1]), (63, RAQQA_ARTICLES[2])]
    meetings = graph.query("meetings", actor="Russia", since=dt.date(2014, 11, 26), until="2014-11-26")
    assert [(r["date"], r["location"]) for r in meetings] == [(dt.date(2014, 11, 26), "Sochi")]
    assert graph.query("SELECT ?n WHERE { BIND(2 AS ?n) }") == [{"n": 2}]
    with pytest.raises(QueryError, match="has no parameter 'who'"):
        graph.query("meetings", who="Russia")


@pytest.mark.model
def test_to_networkx_hands_over_to_kg_export(graph: KnowledgeGraph) -> None:
    full = graph.to_networkx()
    assert RAQQA_STRIKE in full and full.nodes[RAQQA_STRIKE]["label"] == "AirStrike in Raqqa, 2014-11-25"
    actors = graph.to_networkx(view="actors")
    assert isinstance(actors, nx.Graph) and mint_iri("actor", "islamic-state").value in actors


@pytest.mark.model
def test_build_reads_articles_into_the_graph(tmp_path: Path) -> None:
    with KnowledgeGraph.open(tmp_path / "store") as graph:
        report = graph.build(ROOT / "seeds" / "000_e19785c479a03bb6.txt")
        assert (report.added, report.skipped) == (1, 0)
        assert "AirStrike in Raqqa, 2014-11-25" in [e.label for e in graph.events(actor="Islamic State")]
        assert graph.build([ROOT / "seeds" / "000_e19785c479a03bb6.txt"]).unchanged == 1
    with KnowledgeGraph.open(tmp_path / "store", read_only=True) as again:
        assert again.stats()["articles"] == 1
