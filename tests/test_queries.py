"""Named queries: every file parses and is documented, each returns the seeds' real rows, and `kg query`."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner, Result
from rdflib.plugins.sparql import prepareQuery

from kg.cli import cli
from kg.dates import DateValue
from kg.errors import QueryError
from kg.queries import (PARAMETER_TYPES, NamedQuery, Parameter, QueryResult, find, format_result, list_queries,
                        load_query, parse_header, resolve, run_query, to_python, to_term)
from kg.rdf import article_quads, entity_quads
from kg.reading import Article
from kg.canonical import resolve_store
from kg.claims import ArticleRecord, CasualtyFigures, Entity, EventClaim, Evidence
from kg.iris import mint_iri
from kg.store import GraphStore, internal_query
from kg.vocab import CKG, PREFIXES, SPARQL_PREFIXES, XSD

ROOT = Path(__file__).resolve().parent.parent
QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]
RAQQA_STRIKE = mint_iri("event", "airstrike/sy/raqqa/2014-11-25/syrian-government").value
DUMMY = {"actor": "actor/dummy", "place": "place/dummy", "event": "event/dummy", "iri": "ckg:AirStrike",
         "event_type": "AirStrike", "date": "2014-11", "string": "x", "integer": "1", "boolean": "true"}


@pytest.fixture(scope="module")
def seeds(seeds_store: Path) -> GraphStore:
    return GraphStore.open(seeds_store, read_only=True)


def rows(store: GraphStore, name: str, **bindings: object) -> list[dict[str, object]]:
    return list(run_query(store, name, bindings).rows)


def kg(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


# --------------------------------------------------------------------------- the files


def test_the_queries_asked_for_exist() -> None:
    assert set(NAMES) >= {"events_by_actor", "events_in_place", "timeline", "meetings", "casualty_figures",
                          "event_sources", "shared_events", "places_attacked_by"}


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_query_has_a_summary_and_documents_every_parameter(query: NamedQuery) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]*", query.name)
    assert query.summary and len(query.summary) <= 100 and query.summary.endswith("."), query.summary
    assert query.description, "say in a line or two what the rows mean"
    for p in query.parameters:
        assert p.type in PARAMETER_TYPES and p.description and p.example, p
    projection = query.text[query.text.index("SELECT"):query.text.index("WHERE")]
    projected = set(re.findall(r"\?(\w+)", projection))
    for p in query.parameters:  # pyoxigraph binds only projected variables
        assert p.name in projected, f"?{p.name} must be in the SELECT clause"
    assert len({p.name for p in query.parameters}) == len(query.parameters)


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_query_parses_and_binds_with_pyoxigraph_and_rdflib(query: NamedQuery) -> None:
    store = GraphStore.open(None)
    dummy = {p.name: to_term(store, p, DUMMY[p.type]) if p.type not in ("actor", "place", "event") else
             ox.NamedNode(PREFIXES["ckg"] + "dummy") for p in query.parameters}
    assert list(store.query(query.text, substitutions=dummy)) == []
    assert list(store.query(query.text)) == []  # every parameter unbound: no error either
    prepareQuery(query.text, initNs={k: rdflib.Namespace(v) for k, v in PREFIXES.items()})


@pytest.mark.model
@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_query_returns_rows_with_its_documented_examples(seeds: GraphStore, query: NamedQuery) -> None:
    bindings = {p.name: p.example for p in query.parameters}
    result = run_query(seeds, query.name, bindings)
    assert len(result) > 0, f"kg query {query.name} " + " ".join(f'-p {k}="{v}"' for k, v in bindings.items())
    assert not set(bindings) & set(result.columns), "a bound parameter's column is left out"


def test_every_query_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8") if (ROOT / "README.md").is_file() else ""
    missing = [name for name in NAMES if not re.search(rf"`{name}`|kg query {name}\b|queries/{name}\.rq", readme)]
    assert not missing, f"README.md does not mention {missing} (as `name`, `kg query name` or queries/name.rq)"


# --------------------------------------------------------------------------- headers and loading


def test_parse_header_reads_summary_description_and_parameters() -> None:
    summary, description, params = parse_header(
        "# Places an actor attacked.\n# Counted by place.\n#\n"
        "# param: actor (actor, required) — the attacker, e.g. Syrian government\n"
        "# param: since (date) - on or after (YYYY, e.g. in full), e.g. 2014\n"
        "# param: limit (integer): how many\n\nSELECT * WHERE {}\n")
    assert summary == "Places an actor attacked." and description == "Counted by place."
    assert params == (Parameter("actor", "actor", "the attacker", "Syrian government", True),
                      Parameter("since", "date", "on or after (YYYY, e.g. in full)", "2014", False),
                      Parameter("limit", "integer", "how many", None, False))


@pytest.mark.parametrize("line, message", [
    ("# param: actor — no type", "expected '# param: NAME"),
    ("# param: actor (person) — who", "bad.rq:2: unknown parameter type 'person'; expected one of: actor, place"),
    ("# param: actor (actor, always) — who", "expected 'required' or 'optional'"),
])
def test_parse_header_rejects_malformed_parameters(line: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_header(f"# Summary.\n{line}\nSELECT * WHERE {{}}", origin="bad.rq")


def test_load_query_lists_the_valid_names_when_unknown() -> None:
    with pytest.raises(QueryError) as err:
        load_query("no_such_query")
    assert "unknown query 'no_such_query'; expected one of: " in str(err.value)
    assert all(name in str(err.value) for name in NAMES)
    with pytest.raises(QueryError):
        load_query("../README")


def test_list_queries_reads_another_directory(tmp_path: Path) -> None:
    (tmp_path / "b_query.rq").write_text("# Second.\nSELECT * WHERE {}\n")
    (tmp_path / "a_query.rq").write_text("# First.\n# param: n (integer) — a number, e.g. 3\nSELECT ?n WHERE {}\n")
    (tmp_path / "notes.txt").write_text("not a query")
    queries = list_queries(tmp_path)
    assert [(q.name, q.summary, q.path) for q in queries] == [("a_query", "First.", tmp_path / "a_query.rq"),
                                                                ("b_query", "Second.", tmp_path / "b_query.rq")]
    assert run_query(GraphStore.open(None), "a_query", {"n": "3"}, directory=tmp_path).columns == ()


# --------------------------------------------------------------------------- values and bindings


def small_store() -> GraphStore:
    """Two actors that share an alias, and a place called like one of them."""
    store = GraphStore.open(None)
    entities = [Entity("actor", "north-front", "North Front", ("ArmedGroup",), ("The Front",)),
                Entity("actor", "south-front", "South Front", ("ArmedGroup",), ("The Front",)),
                Entity("place", "north", "North Front", ("City",))]
    store.store.extend([q for e in entities for q in entity_quads(e)])
    return store


def test_names_resolve_by_label_or_alias_in_any_case_within_their_kind() -> None:
    store = small_store()
    assert resolve(store, "north front", "actor") == mint_iri("actor", "north-front")
    assert resolve(store, "NORTH FRONT", "place") == mint_iri("place", "north")
    assert resolve(store, "actor/south-front", "actor") == mint_iri("actor", "south-front")
    assert resolve(store, f"<{mint_iri('actor', 'south-front').value}>", "actor") == mint_iri("actor", "south-front")
    assert find(store, "place/north", "actor") == []
    with pytest.raises(QueryError, match=r"'the front' names several actors: North Front <.*north-front>; "
                                         r"South Front <.*south-front>; pass an IRI instead"):
        resolve(store, "the front", "actor")
    with pytest.raises(QueryError, match=r"no actor named 'North Frnt' in the graph; did you mean: North Front, "):
        resolve(store, "North Frnt", "actor")
    with pytest.raises(QueryError, match="no actor .*place/north.* in the graph"):
        resolve(store, "place/north", "actor")


@pytest.mark.parametrize("kind, value, expected", [
    ("date", "2014", ox.Literal("2014", datatype=XSD.gYear)),
    ("date", "2014-11", ox.Literal("2014-11", datatype=XSD.gYearMonth)),
    ("date", "2014-11-25", ox.Literal("2014-11-25", datatype=XSD.date)),
    ("date", dt.date(2014, 11, 25), ox.Literal("2014-11-25", datatype=XSD.date)),
    ("integer", "63", ox.Literal("63", datatype=XSD.integer)),
    ("integer", 63, ox.Literal("63", datatype=XSD.integer)),
    ("boolean", "yes", ox.Literal("true", datatype=XSD.boolean)),
    ("boolean", False, ox.Literal("false", datatype=XSD.boolean)),
    ("string", "Raqqa", ox.Literal("Raqqa")),
    ("iri", "ckg:AirStrike", CKG.AirStrike),
    ("iri", "event/airstrike/x", mint_iri("event", "airstrike/x")),
    ("iri", "http://example.org/x", ox.NamedNode("http://example.org/x")),
    ("event_type", "air strikes", CKG.AirStrike),
    ("event_type", "DiplomaticMeeting", CKG.DiplomaticMeeting),
    ("event_type", "event", CKG.Event),
])
def test_values_are_read_by_the_declared_type(kind: str, value: object, expected: ox.Literal) -> None:
    assert to_term(GraphStore.open(None), Parameter("p", kind, "a value"), value) == expected


@pytest.mark.parametrize("kind, value, message", [
    ("date", "25/11/2014", "parameter p: expected a date: YYYY, YYYY-MM or YYYY-MM-DD, got '25/11/2014'"),
    ("date", "2014-02-30", "parameter p: expected a date"),
    ("integer", "many", "parameter p: expected an integer, got 'many'"),
    ("boolean", "maybe", "parameter p: expected true or false, got 'maybe'"),
    ("iri", "not an iri", "parameter p: expected an IRI"),
    ("event_type", "picnic", "parameter p: unknown event type 'picnic'; expected one of: AirStrike, Shelling"),
])
def test_bad_values_say_what_was_expected(kind: str, value: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        to_term(GraphStore.open(None), Parameter("p", kind, "a value"), value)


def test_unknown_and_missing_parameters_are_named() -> None:
    store = GraphStore.open(None)
    with pytest.raises(QueryError, match=r"query 'meetings' has no parameter 'where'; its parameters: actor, since, "
                                         r"until"):
        run_query(store, "meetings", {"where": "Sochi"})
    with pytest.raises(QueryError, match=r"query 'events_by_actor' needs parameter actor "
                                         r"\(e.g. -p actor=\"Islamic State\"\)"):
        run_query(store, "events_by_actor", {"since": "2014"})
    assert run_query(store, "meetings", {"actor": None, "since": ""}).rows == ()  # None and "" are not given


def test_python_values_of_terms() -> None:
    assert to_python(ox.Literal("2014-11-25", datatype=XSD.date)) == dt.date(2014, 11, 25)
    assert to_python(ox.Literal("2013", datatype=XSD.gYear)) == "2013"
    assert to_python(ox.Literal("2017-06", datatype=XSD.gYearMonth)) == "2017-06"
    assert to_python(ox.Literal("12", datatype=ox.NamedNode(PREFIXES["xsd"] + "nonNegativeInteger"))) == 12
    assert to_python(ox.Literal("2.5", datatype=XSD.decimal)) == 2.5
    assert to_python(ox.Literal("true", datatype=XSD.boolean)) is True
    assert to_python(ox.Literal("x", language="en")) == "x"
    assert to_python(ox.Literal("2014-11-25Z", datatype=XSD.date)) == "2014-11-25Z"  # kept when not a plain date
    assert to_python(ox.BlankNode("b1")) == "_:b1"
    assert to_python(None) is None


def test_adhoc_sparql_selects_asks_constructs_and_binds_projected_variables() -> None:
    store = GraphStore.open(None)
    result = run_query(store, "SELECT ?c ?n WHERE { ?c rdfs:subClassOf ckg:Event BIND(1 AS ?n) } ORDER BY ?c")
    assert result.kind == "select" and result.columns == ("c", "n") and len(result) == 10
    assert run_query(store, "ASK { ckg:Battle rdfs:subClassOf ckg:Event }").rows == ({"ask": True},)
    graph = run_query(store, "CONSTRUCT { ?c a ckg:Event } WHERE { ?c rdfs:subClassOf ckg:Event }")
    assert graph.kind == "graph" and graph.columns == ("subject", "predicate", "object") and len(graph) == 10
    bound = run_query(store, "SELECT ?c WHERE { ?c rdfs:subClassOf ckg:Event }", {"c": f"<{CKG.Battle.value}>"})
    assert bound.rows == ({"c": CKG.Battle.value},)
    with pytest.raises(QueryError, match=r"SELECT projection .*only variables that the SELECT clause lists"):
        run_query(store, "SELECT ?c WHERE { ?c rdfs:subClassOf ?x }", {"x": f"<{CKG.Event.value}>"})
    with pytest.raises(QueryError, match="query: not valid SPARQL"):
        run_query(store, "SELECT WHERE")
    with pytest.raises(QueryError, match="not valid SPARQL"):
        run_query(store, "INSERT DATA { ckg:a ckg:b ckg:c }")


def test_format_table_json_csv() -> None:
    result = QueryResult(("date", "n", "event", "note"),
                         ({"date": dt.date(2014, 11, 25), "n": 3, "event": RAQQA_STRIKE, "note": None},),
                         ((ox.Literal("2014-11-25", datatype=XSD.date), ox.Literal("3", datatype=XSD.integer),
                           ox.NamedNode(RAQQA_STRIKE), None),))
    assert format_result(result, "table").splitlines() == [
        "date        n  event                                                  note",
        "----------  -  -----------------------------------------------------  ----",
        "2014-11-25  3  event/airstrike/sy/raqqa/2014-11-25/syrian-government",
        "(1 row)"]
    assert json.loads(format_result(result, "json")) == [
        {"date": "2014-11-25", "n": 3, "event": RAQQA_STRIKE, "note": None}]
    assert format_result(result, "csv").splitlines() == ["date,n,event,note", f"2014-11-25,3,{RAQQA_STRIKE},"]
    assert format_result(QueryResult(("ask",), ({"ask": False},), kind="ask")) == "false"
    with pytest.raises(QueryError, match="unknown format 'xml'; expected one of: table, json, csv"):
        format_result(result, "xml")


def test_table_cuts_long_cells_but_the_last() -> None:
    long = "x" * 100
    result = QueryResult(("a", "b"), ({"a": long, "b": long},))
    body = format_result(result).splitlines()[2]
    assert body == "x" * 59 + "…  " + long


# --------------------------------------------------------------------------- exact semantics, on a small graph


def tiny_store() -> GraphStore:
    """A small graph written as `kg build` writes one: six events over three articles.

    Raqqa (in Raqqa Governorate, in Syria) holds the capture of 2013, the air strike of
    2014-11-25 (three reports: 95, at least 63, 63) and the battle of 2017-06; al-Nahda,
    inside Raqqa, the capture of 2017-10-14; Palmyra an undated execution; Sochi a meeting.
    """
    syria = Entity("place", "country/sy", "Syria", ("Country",))
    governorate = Entity("place", "sy/gov/raqqa", "Raqqa Governorate", ("Governorate",), parent=syria.ref)
    raqqa = Entity("place", "sy/raqqa", "Raqqa", ("City",), ("Raqa",), parent=governorate.ref)
    nahda = Entity("place", "sy/raqqa/nahda", "al-Nahda", ("Neighbourhood",), parent=raqqa.ref)
    palmyra = Entity("place", "sy/palmyra", "Palmyra", ("City",), parent=syria.ref)
    sochi = Entity("place", "ru/sochi", "Sochi", ("City",))
    state = Entity("actor", "islamic-state", "Islamic State", ("ArmedGroup",), ("Daesh",))
    government = Entity("actor", "syrian-government", "Syrian government", ("Government",))
    sdf = Entity("actor", "sdf", "Syrian Democratic Forces", ("ArmedGroup",), ("SDF",))
    russia = Entity("actor", "russia", "Russia", ("State",))
    sohr = Entity("actor", "sohr", "Syrian Observatory for Human Rights", ("Monitor",))
    putin = Entity("person", "vladimir-putin", "Vladimir Putin", (), ("Putin",), affiliation=russia.ref)
    entities = (syria, governorate, raqqa, nahda, palmyra, sochi, state, government, sdf, russia, sohr, putin)

    def strike(figures: CasualtyFigures) -> EventClaim:
        return EventClaim("AirStrike", DateValue(2014, 11, 25), raqqa.ref,
                             agents=(government.ref,), targets=(state.ref,),
                             evidence=(Evidence("Air strikes on Raqqa.", 0, 21),), casualties=(figures,))

    others = (
        EventClaim("Capture", DateValue(2013),
                      raqqa.ref, agents=(state.ref,)),
        EventClaim("Battle", DateValue(2017, 6), raqqa.ref, agents=(state.ref, sdf.ref)),
        EventClaim("Capture", DateValue(2017, 10, 14), nahda.ref, agents=(sdf.ref,), targets=(state.ref,)),
        EventClaim("Execution", None,
                      palmyra.ref, agents=(state.ref,), casualties=(CasualtyFigures(killed=1),)),
        EventClaim("DiplomaticMeeting", DateValue(2014, 11, 26), sochi.ref,
                      participants=(government.ref, putin.ref)),
    )
    records = [
        ArticleRecord(Article("a1", "Air strikes on Raqqa.", published=dt.date(2014, 11, 26), source="NDTV"), "1",
                      entities, events=(strike(CasualtyFigures(killed=95)), *others)),
        ArticleRecord(Article("a2", "Air strikes on Raqqa.", published=dt.date(2014, 11, 26), source="AFP"), "2",
                      entities, events=(strike(CasualtyFigures(63, 36, qualifier="at least", reported_by=sohr.ref)),)),
        ArticleRecord(Article("a3", "Air strikes on Raqqa.", published=dt.date(2014, 11, 27), source="AFP"), "3",
                      entities, events=(strike(CasualtyFigures(killed=63)),)),
    ]
    store = GraphStore.open(None)
    for record in records:
        store.replace_graph(*article_quads(record))
    resolve_store(store)
    return store


@pytest.fixture(scope="module")
def tiny() -> GraphStore:
    return tiny_store()


def labels(store: GraphStore, name: str, **bindings: object) -> list[str]:
    return [r["label"] for r in rows(store, name, **bindings)]


def test_events_are_in_date_order_with_undated_last(tiny: GraphStore) -> None:
    assert labels(tiny, "events") == [
        "Capture in Raqqa, 2013", "AirStrike in Raqqa, 2014-11-25", "DiplomaticMeeting in Sochi, 2014-11-26",
        "Battle in Raqqa, 2017-06", "Capture in al-Nahda, 2017-10-14", "Execution in Palmyra"]
    strike = rows(tiny, "events")[1]
    assert strike == {"date": dt.date(2014, 11, 25), "type": "AirStrike", "label": "AirStrike in Raqqa, 2014-11-25",
                      "location": "Raqqa", "agents": "Syrian government", "targets": "Islamic State",
                      "participants": None, "reports": 3, "event": RAQQA_STRIKE}


@pytest.mark.parametrize("since, until, expected", [
    ("2017-06-15", "2017-06-20", ["Battle in Raqqa, 2017-06"]),  # inside the month
    (None, "2013", ["Capture in Raqqa, 2013"]),
    ("2013-12-31", "2014-11-25", ["Capture in Raqqa, 2013", "AirStrike in Raqqa, 2014-11-25"]),
    ("2014-11-26", "2017-06", ["Battle in Raqqa, 2017-06"]),
    (dt.date(2017, 10, 14), None, ["Capture in al-Nahda, 2017-10-14"]),
    ("2018", None, []),
])
def test_date_ranges_keep_events_whose_period_overlaps(tiny: GraphStore, since: object, until: object,
                                                        expected: list[str]) -> None:
    assert labels(tiny, "events_by_actor", actor="Islamic State", since=since, until=until) == expected


def test_events_by_actor_give_roles_and_count_people_for_their_actor(tiny: GraphStore) -> None:
    state = {r["label"]: r["roles"] for r in rows(tiny, "events_by_actor", actor="daesh")}
    assert state == {"Capture in Raqqa, 2013": "agent", "AirStrike in Raqqa, 2014-11-25": "target",
                     "Battle in Raqqa, 2017-06": "agent", "Capture in al-Nahda, 2017-10-14": "target",
                     "Execution in Palmyra": "agent"}
    russia = rows(tiny, "events_by_actor", actor="Russia")
    assert [(r["label"], r["roles"], r["via"]) for r in russia] == [
        ("DiplomaticMeeting in Sochi, 2014-11-26", "participant", "Vladimir Putin")]
    assert "actor" not in russia[0] and "since" not in russia[0]  # parameters' columns are left out
    assert labels(tiny, "events_by_actor", actor="Putin") == ["DiplomaticMeeting in Sochi, 2014-11-26"]


def test_events_in_place_reach_places_at_any_depth_inside(tiny: GraphStore) -> None:
    assert [(r["label"], r["location"]) for r in rows(tiny, "events_in_place", place="Raqqa Governorate")] == [
        ("Capture in Raqqa, 2013", "Raqqa"), ("AirStrike in Raqqa, 2014-11-25", "Raqqa"),
        ("Battle in Raqqa, 2017-06", "Raqqa"), ("Capture in al-Nahda, 2017-10-14", "al-Nahda")]
    assert labels(tiny, "events_in_place", place="Syria", event_type="capture") == [
        "Capture in Raqqa, 2013", "Capture in al-Nahda, 2017-10-14"]
    assert labels(tiny, "events_in_place", place="al-Nahda") == ["Capture in al-Nahda, 2017-10-14"]
    assert labels(tiny, "events", place="Raqa", actor="SDF", event_type="Event") == [
        "Battle in Raqqa, 2017-06", "Capture in al-Nahda, 2017-10-14"]


def test_timeline_reads_who_did_what_to_whom(tiny: GraphStore) -> None:
    raqqa = rows(tiny, "timeline", place="Raqqa")
    assert [(str(r["date"]), r["type"], r["location"], r["who"]) for r in raqqa if r["type"] != "Battle"] == [
        ("2013", "Capture", "Raqqa", "Islamic State"),
        ("2014-11-25", "AirStrike", "Raqqa", "Syrian government → Islamic State"),
        ("2017-10-14", "Capture", "al-Nahda", "Syrian Democratic Forces → Islamic State")]
    assert [r["date"] for r in raqqa].index("2017-06") == 2
    assert set(raqqa[2]["who"].split(", ")) == {"Islamic State", "Syrian Democratic Forces"}
    sochi = rows(tiny, "timeline", actor="Russia")
    assert len(sochi) == 1 and set(sochi[0]["who"].split(", ")) == {"Syrian government", "Vladimir Putin"}
    assert "Execution in Palmyra" not in [r["event"] for r in rows(tiny, "timeline")]  # undated: left out


def test_meetings_fold_people_into_their_actor(tiny: GraphStore) -> None:
    (sochi,) = rows(tiny, "meetings")
    assert (sochi["date"], sochi["location"], sochi["people"], sochi["reports"]) == (
        dt.date(2014, 11, 26), "Sochi", "Vladimir Putin", 1)
    assert set(sochi["parties"].split("; ")) == {"Russia", "Syrian government"}
    assert rows(tiny, "meetings", actor="Islamic State") == []


def test_casualty_figures_one_row_per_report_disagreeing_first(tiny: GraphStore) -> None:
    figures = rows(tiny, "casualty_figures")
    assert [(r["label"], r["killed"], r["civilians"], r["qualifier"], r["reported_by"], r["article"], r["outlet"],
             r["reports"], r["figures"]) for r in figures] == [
        ("AirStrike in Raqqa, 2014-11-25", 95, None, "exact", None, "a1", "NDTV", 3, 2),
        ("AirStrike in Raqqa, 2014-11-25", 63, 36, "at least", "Syrian Observatory for Human Rights", "a2", "AFP",
         3, 2),
        ("AirStrike in Raqqa, 2014-11-25", 63, None, "exact", None, "a3", "AFP", 3, 2),
        ("Execution in Palmyra", 1, None, "exact", None, "a1", "NDTV", 1, 1)]
    assert len(rows(tiny, "casualty_figures", conflicting=True)) == 3
    assert len(rows(tiny, "casualty_figures", conflicting="false")) == 4
    assert [r["killed"] for r in rows(tiny, "casualty_figures", event="Execution in Palmyra")] == [1]


def test_an_articles_other_counts_stand_beside_its_toll_and_leave_the_reconciled_tolls_alone() -> None:
    raqqa = Entity("place", "sy/raqqa", "Raqqa", ("City",))
    sohr = Entity("actor", "sohr", "Syrian Observatory for Human Rights", ("Monitor",))
    claim = EventClaim("Bombing", DateValue(2016, 10, 3), raqqa.ref, evidence=(Evidence("A bomb hit Raqqa.", 0, 17),),
                       casualties=(CasualtyFigures(killed=32),),
                       other_casualties=(CasualtyFigures(killed=31, reported_by=sohr.ref),))
    store = GraphStore.open(None)
    store.replace_graph(*article_quads(ArticleRecord(
        Article("w1", "A bomb hit Raqqa.", published=dt.date(2016, 10, 3)), "1", (raqqa, sohr), events=(claim,))))
    resolve_store(store)
    figures = rows(store, "casualty_figures")  # the reconciled tolls (low, best, high) are of the tolls alone
    assert [(r["count"], r["killed"], r["reported_by"], r["reports"], r["figures"], r["low"], r["best"], r["high"])
            for r in figures] == [("toll", 32, None, 1, 1, 32, 32, 32),
                                  ("other", 31, "Syrian Observatory for Human Rights", 1, 1, 32, 32, 32)]


def test_shared_events_count_hostile_and_diplomatic_pairs(tiny: GraphStore) -> None:
    pairs = {(r["actor_a"], r["actor_b"]): (r["shared"], r["hostile"], r["diplomatic"])
             for r in rows(tiny, "shared_events")}
    assert pairs == {("Islamic State", "Syrian government"): (1, 1, 0),
                     ("Islamic State", "Syrian Democratic Forces"): (2, 1, 0),
                     ("Russia", "Syrian government"): (1, 0, 1)}
    assert len(rows(tiny, "shared_events", actor="Russia")) == 1


def test_places_attacked_by_count_attacks_and_their_dates(tiny: GraphStore) -> None:
    state = [(r["location"], r["within"], r["attacks"], set(r["types"].split(", ")), r["first"], r["last"])
             for r in rows(tiny, "places_attacked_by", actor="Islamic State")]
    assert state == [("Raqqa", "Raqqa Governorate", 2, {"Battle", "Capture"}, "2013", "2017-06")]
    government = rows(tiny, "places_attacked_by", actor="Syrian government", since="2014", until="2014")
    assert [(r["location"], r["attacks"], r["types"]) for r in government] == [("Raqqa", 1, "AirStrike")]


def test_undated_attacks_count_but_give_no_dates() -> None:
    store = tiny_store()
    store.store.update(SPARQL_PREFIXES + "DELETE WHERE { GRAPH ?g { ?e ckg:date ?d } }")
    (raqqa,) = rows(store, "places_attacked_by", actor="Islamic State")
    assert (raqqa["attacks"], raqqa["first"], raqqa["last"]) == (2, None, None)


def test_actors_give_kind_affiliation_and_events(tiny: GraphStore) -> None:
    actors = {r["label"]: (r["kind"], r["affiliation"], r["events"]) for r in rows(tiny, "actors")}
    assert actors["Islamic State"] == ("ArmedGroup", None, 5)
    assert actors["Vladimir Putin"] == ("Person", "Russia", 1)
    assert actors["Russia"] == ("State", None, 0)
    assert next(iter(actors)) == "Islamic State"


# --------------------------------------------------------------------------- the seeds' real rows


@pytest.mark.model
def test_seeds_raqqa_air_strikes_are_among_islamic_states_events(seeds: GraphStore) -> None:
    found = {r["event"]: r for r in rows(seeds, "events_by_actor", actor="Islamic State")}
    strike = found[RAQQA_STRIKE]
    assert (strike["date"], strike["type"], strike["location"], strike["roles"], strike["reports"]) == (
        dt.date(2014, 11, 25), "AirStrike", "Raqqa", "target", 3)
    assert [r["event"] for r in rows(seeds, "events_by_actor", actor="daesh")] == list(found)
    in_2014 = rows(seeds, "events_by_actor", actor="Islamic State", since="2014-11", until="2014-11")
    assert RAQQA_STRIKE in [r["event"] for r in in_2014]
    assert all(str(r["date"])[:7] in ("2014", "2014-11") for r in in_2014)


@pytest.mark.model
def test_seeds_raqqa_air_strikes_have_three_conflicting_reports(seeds: GraphStore) -> None:
    first = rows(seeds, "casualty_figures")[:3]
    assert {r["event"] for r in first} == {RAQQA_STRIKE}
    assert [(r["killed"], r["qualifier"], r["article"]) for r in first] == [
        (95, "at least", "000_e19785c479a03bb6"), (63, "at least", "001_20f5972022af204a"),
        (63, "at least", "002_fddf2a81c958b812")]
    assert first[1]["reported_by"] == "Syrian Observatory for Human Rights" and first[0]["outlet"] == "NDTV (AFP)"
    assert {r["event"] for r in rows(seeds, "casualty_figures", conflicting="true")} >= {RAQQA_STRIKE}


@pytest.mark.model
def test_seeds_sources_of_the_raqqa_air_strikes_point_into_the_articles(seeds: GraphStore) -> None:
    sources = rows(seeds, "event_sources", event="AirStrike in Raqqa, 2014-11-25")
    assert {r["article"] for r in sources} == {"000_e19785c479a03bb6", "001_20f5972022af204a", "002_fddf2a81c958b812"}
    body = {r["id"]: r["text"] for r in rows(seeds, "SELECT ?id ?text WHERE { ?a dcterms:identifier ?id ; "
                                                    "schema:articleBody ?text }")}
    for r in sources:
        assert body[r["article"]][r["start"]:r["end"]] == r["sentence"]
    assert rows(seeds, "event_sources", event="event/airstrike/sy/raqqa/2014-11-25/syrian-government") == sources


@pytest.mark.model
def test_seeds_meetings_include_sochi_with_russia_and_the_syrian_government(seeds: GraphStore) -> None:
    sochi = next(r for r in rows(seeds, "meetings", actor="Russia") if r["location"] == "Sochi")
    assert sochi["date"] == dt.date(2014, 11, 26) and "Vladimir Putin" in sochi["people"]
    assert set(sochi["parties"].split("; ")) >= {"Russia", "Syrian government"}
    pairs = {(r["actor_a"], r["actor_b"]): r for r in rows(seeds, "shared_events", actor="Russia")}
    assert pairs[("Russia", "Syrian government")]["diplomatic"] >= 1


@pytest.mark.model
def test_seeds_the_syrian_government_attacked_raqqa(seeds: GraphStore) -> None:
    places = {r["location"]: r for r in rows(seeds, "places_attacked_by", actor="Syrian government")}
    raqqa = places["Raqqa"]
    assert (raqqa["location"], raqqa["within"]) == ("Raqqa", "Syria")  # Raqqa stands for its governorate too
    assert places["Palmyra"]["within"] == "Homs"  # in Homs Governorate, the node of the city of Homs
    assert raqqa["attacks"] >= 2 and "AirStrike" in raqqa["types"] and raqqa["last"] >= "2014-11-25"
    pairs = {(r["actor_a"], r["actor_b"]): r for r in rows(seeds, "shared_events")}
    assert pairs[("Islamic State", "Syrian government")]["hostile"] >= 1


@pytest.mark.model
def test_seeds_raqqa_timelines(seeds: GraphStore) -> None:
    raqqa = rows(seeds, "events_in_place", place="Raqqa Governorate")
    assert {"Raqqa", "al-Nahda"} <= {r["location"] for r in raqqa}
    timeline = rows(seeds, "timeline", actor="SDF")
    starts = [str(r["date"]) for r in timeline]
    assert starts == sorted(starts) and "Capture" in [r["type"] for r in timeline]
    actors = {r["label"]: r for r in rows(seeds, "actors")}
    assert actors["Islamic State"]["kind"] == "ArmedGroup" and actors["Vladimir Putin"]["affiliation"] == "Russia"


# --------------------------------------------------------------------------- the CLI


@pytest.mark.model
def test_cli_query_prints_an_aligned_table(seeds_store: Path) -> None:
    result = kg("query", "events_by_actor", "-p", "actor=Islamic State", "-p", "until=2014", "--store", seeds_store)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["date", "type", "label", "location", "roles", "via", "reports", "event"]
    assert set(lines[1]) == {"-", " "}
    strike = next(line for line in lines if "AirStrike in Raqqa, 2014-11-25" in line)
    assert strike.startswith("2014-11-25  AirStrike  ")
    assert strike.index("AirStrike in Raqqa") == lines[0].index("label")
    assert strike.endswith("event/airstrike/sy/raqqa/2014-11-25/syrian-government")
    assert lines[-1] == f"({len(lines) - 3} rows)"


@pytest.mark.model
def test_cli_query_json_and_csv(seeds_store: Path) -> None:
    result = kg("query", "casualty_figures", "-p", "conflicting=yes", "--format", "json", "--store", seeds_store)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["killed"] for r in data] == [95, 63, 63] and data[0]["date"] == "2014-11-25"
    assert data[0]["event"] == RAQQA_STRIKE
    result = kg("query", "meetings", "--format", "csv", "--store", seeds_store)
    assert result.exit_code == 0, result.output
    header, *lines = result.output.splitlines()
    assert header == "date,location,parties,people,reports,event"
    assert any(line.startswith("2014-11-26,Sochi,") for line in lines)


@pytest.mark.model
def test_cli_query_runs_adhoc_sparql(seeds_store: Path) -> None:
    result = kg("query", "--sparql", "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ckg:AirStrike }",
                "--store", seeds_store)
    assert result.exit_code == 0 and result.output.splitlines()[2] == "3"
    result = kg("query", "--sparql", "ASK { ?e a ckg:Massacre }", "--store", seeds_store)
    assert (result.exit_code, result.output) == (0, "false\n")
    result = kg("query", "--sparql", "CONSTRUCT { ?e a ckg:Event } WHERE { ?e a ckg:Surrender }",
                "--format", "json", "--store", seeds_store)
    assert json.loads(result.output) == [{"subject": mint_iri("event", "surrender/sy/raqqa/2017-10-13/islamic-state")
                                          .value, "predicate": PREFIXES["rdf"] + "type", "object": CKG.Event.value}]


@pytest.mark.model
@pytest.mark.parametrize("args, message", [
    (["query", "nope"], "kg: unknown query 'nope'; expected one of: actors, casualty_figures, "),
    (["query", "events_by_actor"], "kg: query 'events_by_actor' needs parameter actor"),
    (["query", "events_by_actor", "-p", "actor=Rusia"],
     "kg: parameter actor: no actor named 'Rusia' in the graph; did you mean: Russia?"),
    (["query", "meetings", "-p", "since=last year"], "kg: parameter since: expected a date"),
    (["query", "meetings", "-p", "colour=red"], "kg: query 'meetings' has no parameter 'colour'; its parameters: "),
    (["query", "--sparql", "SELEKT * WHERE {}"], "kg: query: not valid SPARQL"),
])
def test_cli_query_errors_are_one_line(seeds_store: Path, args: list[str], message: str) -> None:
    result = kg(*args, "--store", seeds_store)
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output


def test_cli_query_usage_errors(tmp_path: Path) -> None:
    for args in (["query"], ["query", "meetings", "--sparql", "ASK {}"]):
        result = kg(*args, "--store", tmp_path)
        assert result.exit_code == 2 and "name a query (see `kg queries`) or give --sparql" in result.output
    result = kg("query", "meetings", "-p", "Russia", "--store", tmp_path)
    assert result.exit_code == 2 and "expected KEY=VALUE, got 'Russia'" in result.output
    result = kg("query", "meetings", "--store", tmp_path / "none")
    assert result.exit_code == 1 and "no store there" in result.output


def test_cli_queries_lists_every_query_with_its_parameters() -> None:
    result = kg("queries")
    assert result.exit_code == 0, result.output
    for query in QUERIES:
        assert f"{query.name} — {query.summary}" in result.output
        for p in query.parameters:
            assert re.search(rf"^    {p.name} +\({p.type}(, required)?\) +{re.escape(p.description)}, e\.g\. "
                             rf"{re.escape(p.example or '')}$", result.output, re.MULTILINE), p
    assert 'kg query events_by_actor -p actor="Islamic State"' in result.output


def test_cli_queries_as_json() -> None:
    result = kg("queries", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [q["name"] for q in listed] == NAMES
    by_name = {q.name: q for q in QUERIES}
    for entry in listed:
        query = by_name[entry["name"]]
        assert (entry["summary"], entry["description"]) == (query.summary, query.description)
        assert entry["parameters"] == [{"name": p.name, "type": p.type, "description": p.description,
                                        "example": p.example, "required": p.required} for p in query.parameters]


INTERNAL = sorted((ROOT / "queries" / "internal").glob("*.rq"))


def test_internal_queries_are_not_named_queries() -> None:
    assert INTERNAL and not {p.stem for p in INTERNAL} & set(NAMES)
    listing = kg("queries").output
    assert not any(f"{p.stem} — " in listing for p in INTERNAL)
    with pytest.raises(QueryError, match="unknown query"):
        load_query("internal/label")


@pytest.mark.parametrize("path", INTERNAL, ids=lambda p: p.stem)
def test_internal_query_has_a_summary_and_parses(path: Path) -> None:
    text = internal_query(path.stem)
    summary, description, params = parse_header(text, origin=str(path))
    assert summary.endswith(".") and "Internal:" in description and params == ()
    assert list(GraphStore.open(None).query(text)) is not None  # valid SPARQL for pyoxigraph
    prepareQuery(text, initNs={k: rdflib.Namespace(v) for k, v in PREFIXES.items()})
