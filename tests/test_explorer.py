"""The explorer's parts that need no browser: its routes, its vendored files, and the named queries it draws from.

The page itself, in a real browser, is tested in ``test_explorer_browser.py``.
"""
from __future__ import annotations

import functools
import http.client
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

from kg.queries import load_query
from kg.serve import SparqlServer, make_server
from kg.vocab import CKG, GEO_NS, PREFIXES, RDF, RDFS, XSD

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "kg" / "static"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
EX = "https://w3id.org/conflict-kg/id/"


@functools.cache
def vendor_static() -> ModuleType:  # scripts/ is no package: load the script as a module
    spec = importlib.util.spec_from_file_location("vendor_static", ROOT / "scripts" / "vendor_static.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- the files


def test_the_vendored_files_are_those_the_manifest_pins() -> None:
    assert vendor_static().check() == []


def test_every_file_the_pages_load_is_in_the_package_and_none_comes_from_elsewhere() -> None:
    for page in ("index.html", "sparql.html"):
        html = (STATIC / page).read_text(encoding="utf-8")
        links = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert links, page
        for link in links:
            assert not re.match(r"(?i)^(https?:)?//", link), f"{page} loads {link} from elsewhere"
            if link.startswith("static/"):
                assert (STATIC / link.removeprefix("static/")).is_file(), f"{page}: {link} is not in kg/static"
    for script in sorted((STATIC / "explorer").glob("*.js")):
        urls = set(re.findall(r"https?://[^\s\"'`)]+", script.read_text(encoding="utf-8")))
        assert urls <= {EX, "http://www.w3.org/2001/XMLSchema#"}, f"{script.name} names {urls}"


def test_each_vendored_package_comes_with_its_licence() -> None:
    module = vendor_static()
    for package in module.PACKAGES:
        folder = STATIC / package.folder
        assert (folder / "LICENSE").is_file() and (folder / "LICENSE").stat().st_size > 200, package.name


def test_the_base_map_has_syria_and_its_governorates() -> None:
    features = json.loads((STATIC / "basemap.geojson").read_text(encoding="utf-8"))["features"]
    countries = {f["properties"]["name"] for f in features if f["properties"]["kind"] == "country"}
    governorates = {f["properties"]["name"] for f in features if f["properties"]["kind"] == "governorate"
                    and f["properties"]["country"] == "SY"}
    assert {"Syria", "Turkey", "Iraq", "Jordan", "Lebanon"} <= countries and len(countries) > 150
    assert {"Raqqa", "Aleppo", "Idlib", "Deir ez-Zor", "Damascus"} <= governorates and len(governorates) == 14


# --------------------------------------------------------------------------- the routes


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    path = tmp_path_factory.mktemp("explorer") / "store"
    ox.Store(str(path)).flush()
    server = make_server(path, port=0, workers=1)
    server.start()
    yield server
    server.close()


def call(server: SparqlServer, path: str, headers: dict[str, str] | None = None,
         method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_the_explorer_is_at_the_root_and_links_to_the_sparql_page(server: SparqlServer) -> None:
    for path in ("/", "/index.html"):
        status, headers, body = call(server, path, {"Accept": BROWSER})
        assert status == 200 and headers["content-type"].startswith("text/html"), path
        assert b'src="static/explorer/main.js"' in body and b'href="sparql"' in body
    status, headers, body = call(server, "/sparql", {"Accept": BROWSER})
    assert status == 200 and headers["content-type"].startswith("text/html") and headers["vary"] == "Accept"
    assert b"yasgui.min.js" in body and b'href="./"' in body


def test_the_sparql_endpoint_still_answers_the_protocol_there(server: SparqlServer) -> None:
    for headers in ({}, {"Accept": "text/turtle"}, {"Accept": "*/*"}):
        status, answer, _ = call(server, "/sparql", headers)
        assert status == 200 and answer["content-type"].startswith("text/turtle"), headers  # the service description
    status, answer, body = call(server, "/sparql?query=ASK%7B%7D", {"Accept": BROWSER})
    assert status == 200 and answer["content-type"].startswith("application/sparql-results+xml") and b"true" in body
    status, answer, body = call(server, "/sparql?query=ASK%7B%7D")
    assert status == 200 and body == b'{"head":{},"boolean":true}'
    # the endpoint's other name, and a request with a protocol parameter, get the service description as before
    for path in ("/query", "/sparql?default-graph-uri="):
        status, answer, _ = call(server, path, {"Accept": BROWSER})
        assert status == 200 and answer["content-type"] == "application/rdf+xml", path


def test_the_explorers_files_are_served_with_their_types(server: SparqlServer) -> None:
    for path, content_type in [("/static/explorer/main.js", "text/javascript"), ("/static/explorer/explorer.css", "text/css"),
                               ("/static/vendor/leaflet/leaflet.js", "text/javascript"),
                               ("/static/vendor/leaflet/images/layers.png", "image/png"),
                               ("/static/basemap.geojson", "application/geo+json"),
                               ("/static/vendor/cytoscape/LICENSE", "text/plain")]:
        status, headers, body = call(server, path)
        assert status == 200 and headers["content-type"].startswith(content_type) and body, path


# --------------------------------------------------------------------------- the queries it draws from


@pytest.fixture(scope="module")
def small() -> ox.Store:
    """Events dated to a day, a month of a leap year, a December and a year, at a city inside a governorate."""
    store = ox.Store()
    node = lambda key: ox.NamedNode(EX + key)  # noqa: E731
    graph = node("graph/test")
    quads = [(node("place/sy/gov/raqqa"), RDF.type, CKG.Governorate), (node("place/sy/gov/raqqa"), RDFS.label, ox.Literal("Raqqa Governorate")),
             (node("place/sy/raqqa"), RDF.type, CKG.City), (node("place/sy/raqqa"), RDFS.label, ox.Literal("Raqqa")),
             (node("place/sy/raqqa"), CKG.locatedIn, node("place/sy/gov/raqqa")),
             (node("place/sy/raqqa"), ox.NamedNode(GEO_NS + "asWKT"),
              ox.Literal("POINT(39.00788 35.95283)", datatype=ox.NamedNode(GEO_NS + "wktLiteral"))),
             (node("actor/islamic-state"), RDF.type, CKG.ArmedGroup), (node("actor/islamic-state"), RDFS.label, ox.Literal("Islamic State")),
             (node("person/abu"), RDF.type, CKG.Person), (node("person/abu"), RDFS.label, ox.Literal("Abu")),
             (node("person/abu"), CKG.affiliation, node("actor/islamic-state"))]
    dates = {"day": ox.Literal("2014-11-25", datatype=XSD.date), "leap": ox.Literal("2016-02", datatype=XSD.gYearMonth),
             "december": ox.Literal("2017-12", datatype=XSD.gYearMonth), "year": ox.Literal("2013", datatype=XSD.gYear)}
    for name, date in dates.items():
        event = node(f"event/battle/{name}")
        quads += [(event, RDF.type, CKG.Battle), (event, RDFS.label, ox.Literal(f"Battle {name}")), (event, CKG.date, date),
                  (event, CKG.place, node("place/sy/raqqa")), (event, CKG.reportedIn, node("article/a")),
                  (event, CKG.agent, node("person/abu"))]
    store.extend([ox.Quad(s, p, o, graph) for s, p, o in quads])
    store.add(ox.Quad(CKG.Battle, RDFS.subClassOf, CKG.Event, graph))
    store.add(ox.Quad(CKG.City, RDFS.subClassOf, CKG.Place, graph))
    store.add(ox.Quad(CKG.Governorate, RDFS.subClassOf, CKG.Place, graph))
    store.add(ox.Quad(CKG.ArmedGroup, RDFS.subClassOf, CKG.Actor, graph))
    store.add(ox.Quad(CKG.Person, RDFS.subClassOf, CKG.Actor, graph))
    return store


def select(store: ox.Store, name: str) -> list[dict[str, object]]:
    solutions = store.query(load_query(name).text, prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in solutions]


def test_event_summaries_give_the_period_each_date_covers(small: ox.Store) -> None:
    periods = {row["label"]: (row["date"], row["start"], row["end"]) for row in select(small, "event_summaries")}
    assert periods == {"Battle day": ("2014-11-25", "2014-11-25", "2014-11-25"),
                       "Battle leap": ("2016-02", "2016-02-01", "2016-02-29"),
                       "Battle december": ("2017-12", "2017-12-01", "2017-12-31"),
                       "Battle year": ("2013", "2013-01-01", "2013-12-31")}


def test_places_give_coordinates_and_their_container(small: ox.Store) -> None:
    rows = {row["label"]: row for row in select(small, "places")}
    assert (rows["Raqqa"]["lat"], rows["Raqqa"]["lon"], rows["Raqqa"]["container"]) == ("35.95283", "39.00788", "Raqqa Governorate")
    assert rows["Raqqa"]["events"] == "4" and rows["Raqqa"]["kind"] == "City"
    assert rows["Raqqa Governorate"]["lat"] is None and rows["Raqqa Governorate"]["events"] == "0"


def test_event_roles_give_the_side_a_person_acts_for(small: ox.Store) -> None:
    rows = select(small, "event_roles")
    assert len(rows) == 4 and {(r["role"], r["name"], r["kind"], r["side_name"]) for r in rows} == {
        ("agent", "Abu", "Person", "Islamic State")}
