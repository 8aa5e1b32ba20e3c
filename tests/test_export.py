"""GEXF / GraphML export: a store built from the seeds, and small stores made here."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from lxml import etree

from kg.build import build
from kg.errors import ExportError
from kg.export import FORMATS, GEXF_NS, VIEWS, export_graph, to_networkx, write_gexf, write_graphml
from kg.iris import mint_iri, ref_iri
from kg.store import GraphStore
from kg.vocab import CKG, ENTITIES_GRAPH, RDF, RDFS, XSD

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "schemas" / "gexf-1.3" / "gexf.rnc"
G = f"{{{GEXF_NS}}}"
NASTY = "bad\x01\x0bname"

NODES = """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?root { ckg:Actor ckg:Place ckg:Event } ?s a/rdfs:subClassOf* ?root }"""
RELATIONS = """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { ckg:agent ckg:target ckg:participant ckg:place ckg:affiliation ckg:locatedIn }
  VALUES ?r1 { ckg:Actor ckg:Place ckg:Event } VALUES ?r2 { ckg:Actor ckg:Place ckg:Event }
  ?s ?p ?o . ?s a/rdfs:subClassOf* ?r1 . ?o a/rdfs:subClassOf* ?r2 } }"""
EVENTS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a/rdfs:subClassOf* ckg:Event }"
DATED = "SELECT DISTINCT ?e ?d WHERE { ?e ckg:date ?d }"
MAX_KILLED = "SELECT ?e (MAX(?k) AS ?n) WHERE { ?e ckg:casualties/ckg:killed ?k } GROUP BY ?e"


def _count(store: GraphStore, sparql: str) -> int:
    return int(next(iter(store.query(sparql)))["n"].value)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = GraphStore.open(tmp_path_factory.mktemp("export") / "store")
    build([ROOT / "seeds"], store=store, progress=False)
    return store


@pytest.fixture(scope="module")
def files(seeds: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("files")
    paths = {}
    for view in VIEWS:
        for fmt in FORMATS:
            paths[(view, fmt)] = out / f"{view}.{fmt}"
            export_graph(seeds, paths[(view, fmt)], fmt=fmt, view=view)
    return paths


def _jing(path: Path) -> None:
    if shutil.which("jing") is None:
        pytest.skip("jing is not installed (apt-get install jing); CI installs it")
    result = subprocess.run(["jing", "-c", str(SCHEMA), str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def _nasty_store() -> GraphStore:
    """An in-memory store whose labels hold characters XML cannot."""
    store = GraphStore.open(None)
    actor, place, event = ref_iri("actor/bad"), ref_iri("place/sy/bad"), mint_iri("event", "airstrike/sy/bad/2016-02")
    g = ENTITIES_GRAPH
    store.store.extend([
        ox.Quad(actor, RDF.type, CKG.ArmedGroup, g), ox.Quad(actor, RDFS.label, ox.Literal(NASTY), g),
        ox.Quad(place, RDF.type, CKG.City, g), ox.Quad(place, RDFS.label, ox.Literal("\x00\x1f"), g),
        ox.Quad(event, RDF.type, CKG.AirStrike, g), ox.Quad(event, RDFS.label, ox.Literal("strike \ufffe\x08"), g),
        ox.Quad(event, CKG.date, ox.Literal("2016-02", datatype=XSD.gYearMonth), g),
        ox.Quad(event, CKG.agent, actor, g), ox.Quad(event, CKG.place, place, g),
    ])
    return store


# --------------------------------------------------------------------------- GEXF on the seeds


@pytest.mark.model
@pytest.mark.parametrize("view", VIEWS)
def test_gexf_validates_against_the_schema(files: dict, view: str) -> None:
    _jing(files[(view, "gexf")])


@pytest.mark.model
def test_full_gexf_counts_match_the_store(seeds: GraphStore, files: dict) -> None:
    root = etree.parse(str(files[("full", "gexf")])).getroot()
    assert root.get("version") == "1.3" and root.tag == f"{G}gexf"
    graph = nx.read_gexf(files[("full", "gexf")])
    nodes, edges = _count(seeds, NODES), _count(seeds, RELATIONS)
    counts = seeds.counts()
    assert nodes == counts["actors"] + counts["places"] + counts["events"] > 0
    assert graph.number_of_nodes() == nodes
    assert graph.number_of_edges() == edges > 0
    assert {d["label"] for *_, d in graph.edges(data=True)} == {
        "agent", "target", "participant", "place", "affiliation", "locatedIn"}


@pytest.mark.model
def test_full_gexf_is_dynamic_and_dated_events_carry_spells(seeds: GraphStore, files: dict) -> None:
    root = etree.parse(str(files[("full", "gexf")])).getroot()
    xml_graph = root.find(f"{G}graph")
    assert (xml_graph.get("mode"), xml_graph.get("timeformat")) == ("dynamic", "date")
    dated: dict[str, set[str]] = {}
    for row in seeds.query(DATED):
        dated.setdefault(row["e"].value, set()).add(row["d"].value)
    assert dated
    spells = {n.get("id"): (n.get("start"), n.get("end")) for n in root.iter(f"{G}node")}
    chosen = {n.get("id"): v.get("value") for n in root.iter(f"{G}node") for v in n.iter(f"{G}attvalue")
              if v.get("for") == "date"}
    for event, dates in dated.items():
        start, end = spells[event]
        date = chosen[event]
        assert date in dates and start.startswith(date) and end.startswith(date[:4]) and start <= end
        assert len(date) == max(len(d) for d in dates)  # the most precise one
    assert spells[mint_iri("event", "airstrike/sy/raqqa/2017-06/us-led-coalition").value] == ("2017-06-01", "2017-06-30")
    assert spells[mint_iri("event", "capture/sy/raqqa/2013/islamic-state").value] == ("2013-01-01", "2013-12-31")
    undated = [n for n in root.iter(f"{G}node") if n.get("id") not in dated]
    assert undated and all(n.get("start") is None and n.get("end") is None for n in undated)
    for edge in root.iter(f"{G}edge"):
        if edge.get("source") in dated:
            assert (edge.get("start"), edge.get("end")) == spells[edge.get("source")]


@pytest.mark.model
@pytest.mark.parametrize("view", VIEWS)
def test_gexf_has_no_empty_values_and_one_type_per_column(files: dict, view: str) -> None:
    root = etree.parse(str(files[(view, "gexf")])).getroot()
    for element in root.iter():
        for name, value in element.attrib.items():
            assert value.strip() and value != "None", (element.tag, name)
    casts = {"integer": int, "double": float, "string": str, "boolean": {"true", "false"}.__contains__}
    for block in root.iter(f"{G}attributes"):
        types = {a.get("id"): a.get("type") for a in block.iter(f"{G}attribute")}
        owner = f"{G}{block.get('class')}"
        for element in root.iter(owner):
            for value in element.iter(f"{G}attvalue"):
                assert casts[types[value.get("for")]](value.get("value")) is not False


@pytest.mark.model
def test_node_attributes(seeds: GraphStore) -> None:
    graph = to_networkx(seeds, view="full")
    france, assad = graph.nodes[ref_iri("actor/france").value], graph.nodes[ref_iri("person/bashar-al-assad").value]
    assert (france["kind"], france["type"], france["label"]) == ("actor", "State", "France")
    assert (assad["kind"], assad["type"]) == ("person", "Person")
    raqqa = graph.nodes[ref_iri("place/sy/raqqa").value]
    assert raqqa["kind"] == "place" and raqqa["type"] == "City"
    assert isinstance(raqqa["lat"], float) and 35 < raqqa["lat"] < 37 and 38 < raqqa["lon"] < 40
    killed = {row["e"].value: int(row["n"].value) for row in seeds.query(MAX_KILLED)}
    assert killed
    for event, n in killed.items():
        assert graph.nodes[event]["killed"] == n
    event = graph.nodes[mint_iri("event", "airstrike/sy/raqqa/2017-06/us-led-coalition").value]
    assert (event["kind"], event["type"], event["date"], event["date_precision"]) == ("event", "AirStrike", "2017-06", "month")
    for _, data in graph.nodes(data=True):
        assert all(v is not None and v != "" for v in data.values())


# --------------------------------------------------------------------------- the other views


@pytest.mark.model
def test_actors_view_has_hostile_and_diplomatic_edges(seeds: GraphStore, files: dict) -> None:
    graph = to_networkx(seeds, view="actors")
    government, state, russia = (ref_iri(r).value for r in ("actor/syrian-government", "actor/islamic-state", "actor/russia"))
    assert graph[government][state]["hostile"]["weight"] >= 1
    hostile = graph[government][state]["hostile"]
    assert hostile["start"] <= hostile["end"]  # from the first to the last dated event
    assert graph[government][russia]["diplomatic"]["weight"] >= 1
    assert {d["kind"] for _, d in graph.nodes(data=True)} <= {"actor", "person"}
    assert ref_iri("person/vladimir-putin").value not in graph  # folded into Russia
    assert ref_iri("person/nasr-al-hariri").value in graph  # no affiliation: kept
    assert "Vladimir Putin" in graph.nodes[russia]["people"]
    assert not any(u == v for u, v in graph.edges())
    read = nx.read_gexf(files[("actors", "gexf")])
    labels = {(read.nodes[u]["label"], read.nodes[v]["label"]) for u, v in read.edges()}
    assert ("Islamic State", "Syrian government") in labels or ("Syrian government", "Islamic State") in labels


@pytest.mark.model
def test_events_view_links_events_to_places(seeds: GraphStore, files: dict) -> None:
    graph = nx.read_gexf(files[("events", "gexf")])
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert kinds == {"event", "place"}
    assert sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "event") == _count(seeds, EVENTS)
    assert {d["label"] for *_, d in graph.edges(data=True)} <= {"place", "locatedIn", "next"}
    for u, v, d in graph.edges(data=True):
        if d["label"] == "next":
            assert graph.nodes[u]["start"] <= graph.nodes[v]["start"]


@pytest.mark.model
@pytest.mark.parametrize("view", VIEWS)
def test_graphml_reads_back_with_the_same_counts(seeds: GraphStore, files: dict, view: str) -> None:
    expected = to_networkx(seeds, view=view)
    read = nx.read_graphml(files[(view, "graphml")])
    assert (read.number_of_nodes(), read.number_of_edges()) == (expected.number_of_nodes(), expected.number_of_edges())
    if view == "full":
        assert read.number_of_nodes() == _count(seeds, NODES) and read.number_of_edges() == _count(seeds, RELATIONS)
    ids = [e.get("id") for e in etree.parse(str(files[(view, "graphml")])).iter("{*}edge") if e.get("id")]
    assert len(ids) == len(set(ids))  # Gephi drops an edge whose id it has seen


@pytest.mark.model
def test_export_is_quick_and_stable(seeds: GraphStore) -> None:
    first, second = io.BytesIO(), io.BytesIO()
    export_graph(seeds, first, fmt="gexf")
    export_graph(seeds, second, fmt="gexf")
    assert first.getvalue() == second.getvalue()


# --------------------------------------------------------------------------- cleaning, on small stores


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_still_give_well_formed_xml(view: str, fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"out.{fmt}"
    export_graph(_nasty_store(), path, fmt=fmt, view=view)
    etree.parse(str(path))
    graph = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    labels = {d.get("label") for _, d in graph.nodes(data=True)}
    assert "badname" in labels or view == "events"
    assert all(label for label in labels)
    if fmt == "gexf":
        _jing(path)


def test_month_dates_span_the_month() -> None:
    graph = to_networkx(_nasty_store())
    event = graph.nodes[mint_iri("event", "airstrike/sy/bad/2016-02").value]
    assert (event["start"], event["end"], event["date_precision"]) == ("2016-02-01", "2016-02-29", "month")
    assert event["label"] == "strike"
    place = graph.nodes[ref_iri("place/sy/bad").value]
    assert place["label"] == "bad"  # no usable label: the IRI's last segment


def test_writers_clean_arbitrary_graphs() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a", label=None, size=1, mixed=1, note="x\x02y", empty="")
    graph.add_node("b", size=2.5, mixed="two", flag=True)
    graph.add_edge("a", "b", key="k\x03", label="rel", weight=2, extra=None)
    gexf, graphml = io.BytesIO(), io.BytesIO()
    write_gexf(graph, gexf)
    write_graphml(graph, graphml)
    root = etree.fromstring(gexf.getvalue())
    types = {a.get("id"): a.get("type") for a in root.iter(f"{G}attribute")}
    assert types == {"size": "double", "mixed": "string", "note": "string", "flag": "boolean"}
    read = nx.read_gexf(io.BytesIO(gexf.getvalue()))
    assert read.nodes["a"]["note"] == "xy" and read.nodes["a"]["mixed"] == "1" and "empty" not in read.nodes["a"]
    back = nx.read_graphml(io.BytesIO(graphml.getvalue()))
    assert back.nodes["a"]["size"] == 1.0 and back.nodes["b"]["mixed"] == "two"
    assert b"\x02" not in graphml.getvalue() and b"\x03" not in graphml.getvalue()


def test_static_graph_is_written_static() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b")
    buffer = io.BytesIO()
    write_gexf(graph, buffer)
    xml_graph = etree.fromstring(buffer.getvalue()).find(f"{G}graph")
    assert xml_graph.get("mode") == "static" and xml_graph.get("timeformat") is None


# --------------------------------------------------------------------------- errors


def test_unknown_view_or_format_is_an_export_error() -> None:
    store = GraphStore.open(None)
    with pytest.raises(ExportError, match="expected one of: full, actors, events"):
        to_networkx(store, view="people")
    with pytest.raises(ExportError, match="expected one of: gexf, graphml"):
        export_graph(store, io.BytesIO(), fmt="gml")
    with pytest.raises(ExportError, match="unknown view 'x'"):
        export_graph(store, io.BytesIO(), fmt="gexf", view="x")


def test_unwritable_path_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot write"):
        export_graph(GraphStore.open(None), tmp_path / "missing" / "out.gexf", fmt="gexf")


def test_malformed_times_are_export_errors() -> None:
    graph = nx.Graph()
    graph.add_node("a", start="yesterday")
    with pytest.raises(ExportError, match="YYYY-MM-DD"):
        write_gexf(graph, io.BytesIO())
