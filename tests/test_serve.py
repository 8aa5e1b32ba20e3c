"""The SPARQL endpoint, against a real server on 127.0.0.1 over a small store built here."""
from __future__ import annotations

import csv
import http.client
import inspect
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.serve import AccessLog, ServeError, SparqlServer, make_server, serve
from kg.vocab import CKG, CKG_NS, RDF, RDFS

EX = "http://example.org/"
ARTICLE = ox.NamedNode(EX + "graph/a1")
BULK = ox.NamedNode(EX + "graph/bulk")
BULK_SIZE = 300
MAX_RESULTS = 100
TIMEOUT = 1.0
WORKERS = 2
NASTY = "bad \x01 and \x0b chars"
LABELS = {EX + "e1": "Air strike on Idlib", EX + "e2": NASTY}
PER_TEST_SECONDS = 30
ROOT = Path(__file__).resolve().parent.parent


def build_store(path: Path) -> Path:
    """A store with one article graph (two labelled events) and a bulk graph of BULK_SIZE quads."""
    store = ox.Store(str(path))
    for iri, label in LABELS.items():
        store.add(ox.Quad(ox.NamedNode(iri), RDF.type, CKG.AirStrike, ARTICLE))
        store.add(ox.Quad(ox.NamedNode(iri), RDFS.label, ox.Literal(label), ARTICLE))
    store.extend([ox.Quad(ox.NamedNode(f"{EX}n{i}"), ox.NamedNode(EX + "p"), ox.Literal(i), BULK)
                  for i in range(BULK_SIZE)])
    store.flush()
    del store
    return path


@pytest.fixture(autouse=True)
def time_limit() -> Iterator[None]:
    """Fail any test that runs longer than PER_TEST_SECONDS."""
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"test ran longer than {PER_TEST_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(PER_TEST_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("served") / "store")


@pytest.fixture(scope="module")
def queries_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("queries")
    (directory / "air_strikes.rq").write_text("# Air strikes and their labels.\n# param: none\n"
                                              "SELECT ?e ?label WHERE { ?e a ckg:AirStrike ; rdfs:label ?label }\n")
    return directory


@pytest.fixture(scope="module")
def server(store_path: Path, queries_dir: Path) -> Iterator[SparqlServer]:
    server = make_server(store_path, port=0, timeout=TIMEOUT, max_results=MAX_RESULTS, workers=WORKERS,
                         queries_dir=queries_dir)
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def cors_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    server = make_server(build_store(tmp_path_factory.mktemp("cors") / "store"), port=0, workers=1, cors=True)
    server.start()
    yield server
    server.close()


def call(server: SparqlServer, path: str, *, method: str = "GET", body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request with http.client: (status, headers, body)."""
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def query(server: SparqlServer, sparql: str, accept: str | None = None, **params: str) -> tuple[int, dict, bytes]:
    """GET /sparql?query=... with an optional Accept header."""
    return call(server, "/sparql?" + urlencode({"query": sparql, **params}),
                headers={"Accept": accept} if accept else None)


SELECT_LABELS = "SELECT ?e ?label WHERE { ?e a ckg:AirStrike ; rdfs:label ?label } ORDER BY ?e"
CONSTRUCT_LABELS = "CONSTRUCT { ?e rdfs:label ?label } WHERE { ?e a ckg:AirStrike ; rdfs:label ?label }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Listener:
    """A TCP listener on 127.0.0.1 that records whether anyone connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.3)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def connected(self) -> bool:
        try:
            conn, _ = self.sock.accept()
        except TimeoutError:
            return False
        conn.close()
        return True

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


# --- clients


def test_sparqlwrapper_select_json_get(server: SparqlServer) -> None:
    from SPARQLWrapper import GET, JSON, SPARQLWrapper

    client = SPARQLWrapper(server.url + "sparql")
    client.setMethod(GET)
    client.setReturnFormat(JSON)
    client.setTimeout(10)
    client.setQuery(SELECT_LABELS)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert {r["e"]["value"]: r["label"]["value"] for r in rows} == LABELS


def test_rdflib_sparqlstore_select_and_construct(server: SparqlServer) -> None:
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(SPARQLStore(server.url + "sparql"))  # XML results, RDF/XML graphs
    rows = graph.query(SELECT_LABELS)
    assert {str(e): str(label) for e, label in rows} == {k: v.replace("\x01", "\ufffd").replace("\x0b", "\ufffd")
                                                          for k, v in LABELS.items()}
    built = graph.query(CONSTRUCT_LABELS).graph
    assert {str(s) for s in built.subjects()} == set(LABELS)
    assert (URIRef(EX + "e1"), None, None) in built


def test_form_post_and_direct_post(server: SparqlServer) -> None:
    status, _, body = call(server, "/sparql", method="POST", body=urlencode({"query": SELECT_LABELS}).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
    status, _, body = call(server, "/query", method="POST", body=SELECT_LABELS.encode(),
                           headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2


# --- content negotiation


def test_select_json(server: SparqlServer) -> None:
    status, headers, body = query(server, SELECT_LABELS, "application/sparql-results+json")
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")
    rows = json.loads(body)["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == list(LABELS.values())


def test_select_xml_is_well_formed(server: SparqlServer) -> None:
    status, headers, body = query(server, SELECT_LABELS, "application/sparql-results+xml")
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literals = [el.text for el in ET.fromstring(body).iterfind(".//r:literal", ns)]
    assert literals == ["Air strike on Idlib", "bad \ufffd and \ufffd chars"]


def test_select_csv_and_tsv(server: SparqlServer) -> None:
    status, headers, body = query(server, SELECT_LABELS, "text/csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["e", "label"] and rows[1] == [EX + "e1", "Air strike on Idlib"]
    status, headers, body = query(server, SELECT_LABELS, "text/tab-separated-values")
    assert status == 200 and headers["content-type"].startswith("text/tab-separated-values")
    lines = body.decode().split("\n")  # not splitlines(): it splits at the \x0b in a label too
    assert lines == ["?e\t?label", f'<{EX}e1>\t"Air strike on Idlib"', f'<{EX}e2>\t"{NASTY}"', ""]


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG),
])
def test_construct_formats(server: SparqlServer, accept: str, fmt: ox.RdfFormat) -> None:
    status, headers, body = query(server, CONSTRUCT_LABELS, accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    labels = {q.subject.value: q.object.value for q in ox.parse(body, format=fmt)}
    if fmt == ox.RdfFormat.RDF_XML:
        assert labels[EX + "e2"] == "bad \ufffd and \ufffd chars"
    else:
        assert labels == LABELS


def test_construct_defaults_to_turtle_with_prefixes(server: SparqlServer) -> None:
    status, headers, body = query(server, CONSTRUCT_LABELS, "*/*")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert b"@prefix rdfs:" in body and b"@prefix geo:" not in body


def test_ask(server: SparqlServer) -> None:
    status, _, body = query(server, "ASK { ?e a ckg:AirStrike }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    status, _, body = query(server, "ASK { ?e a ckg:Battle }", "application/sparql-results+xml")
    assert status == 200 and ET.fromstring(body)[1].text == "false"


def test_describe(server: SparqlServer) -> None:
    status, _, body = query(server, f"DESCRIBE <{EX}e1>", "application/n-triples")
    assert status == 200 and len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == 2


def test_format_parameter_overrides_accept(server: SparqlServer) -> None:
    status, headers, _ = query(server, SELECT_LABELS, "application/sparql-results+json", format="csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    status, headers, _ = query(server, CONSTRUCT_LABELS, None, format="json")
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    status, _, body = query(server, SELECT_LABELS, None, format="yaml")
    assert status == 400 and b"json" in body


def test_not_acceptable(server: SparqlServer) -> None:
    status, _, body = query(server, SELECT_LABELS, "text/html")
    assert status == 406 and b"application/sparql-results+json" in body and b"text/turtle" in body
    status, _, body = query(server, SELECT_LABELS, "text/turtle")
    assert status == 406 and b"SELECT/ASK" in body
    status, _, body = query(server, CONSTRUCT_LABELS, "application/sparql-results+json")
    assert status == 406 and b"CONSTRUCT/DESCRIBE" in body


# --- limits


def test_timeout_kills_the_query_and_the_server_goes_on(server: SparqlServer) -> None:
    pool = server.endpoint.pool
    before = pool.pids()
    started = time.monotonic()
    status, _, body = query(server, SLOW)
    elapsed = time.monotonic() - started
    assert status == 503 and b"time limit" in body
    assert elapsed < TIMEOUT + 3
    status, _, body = query(server, "ASK {}")
    assert status == 200 and json.loads(body)["boolean"] is True
    after = pool.pids()
    assert len(after) == WORKERS and len(set(before) - set(after)) == 1
    for pid in set(before) - set(after):  # the killed worker is gone and reaped, not a zombie
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def wait_for_idle_workers(server: SparqlServer, seconds: float = 15) -> None:
    """Wait until every worker (replacements too) is ready and idle."""
    deadline = time.monotonic() + seconds
    while server.endpoint.pool.idle() < WORKERS:
        assert time.monotonic() < deadline, "workers did not come back"
        time.sleep(0.05)


def test_other_clients_are_served_during_a_slow_query(server: SparqlServer) -> None:
    wait_for_idle_workers(server)
    slow = threading.Thread(target=query, args=(server, SLOW))
    slow.start()
    time.sleep(0.2)
    started = time.monotonic()
    status, _, _ = query(server, SELECT_LABELS)
    assert status == 200 and time.monotonic() - started < TIMEOUT / 2
    slow.join()


def test_result_size_limit(server: SparqlServer) -> None:
    status, _, body = query(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 400 and b"100 rows" in body and b"LIMIT 100 OFFSET 0, then OFFSET 100" in body
    status, _, body = query(server, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert status == 400 and b"100 triples" in body
    status, _, body = query(server, f"SELECT * WHERE {{ GRAPH <{BULK.value}> {{ ?s ?p ?o }} }} LIMIT {MAX_RESULTS}")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == MAX_RESULTS


def test_eight_concurrent_clients(server: SparqlServer) -> None:
    clients, rounds = 12, 3
    barrier = threading.Barrier(clients)
    outcomes: list[object] = []

    def client(n: int) -> None:
        barrier.wait()
        for _ in range(rounds):
            sparql = f"SELECT ?o WHERE {{ <{EX}n{n}> ?p ?o }}"
            status, _, body = query(server, sparql)
            outcomes.append((status, json.loads(body)["results"]["bindings"][0]["o"]["value"]) if status == 200
                            else (status, body))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert sorted(outcomes) == sorted((200, str(n)) for n in range(clients) for _ in range(rounds))


# --- refusals


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ ?a ?b ?c . {{ service silent <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
    # rdflib cannot parse triple terms, oxigraph can: refused on the keyword
    "SELECT * WHERE {{ BIND(<<( <{url}a> <{url}b> <{url}c> )>> AS ?t) SERVICE <{url}> {{ ?s ?p ?o }} }}",
])
def test_service_refused_without_outbound_request(server: SparqlServer, listener: Listener, template: str) -> None:
    status, _, body = query(server, template.format(url=listener.url))
    assert status == 400 and b"SERVICE is refused" in body
    assert not listener.connected()


def test_service_in_strings_and_comments_is_fine(server: SparqlServer, listener: Listener) -> None:
    sparql = f'SELECT ?x WHERE {{ BIND("SERVICE <{listener.url}> {{}}" AS ?x) }} # SERVICE <{listener.url}>'
    status, _, body = query(server, sparql)
    assert status == 200 and "SERVICE" in json.loads(body)["results"]["bindings"][0]["x"]["value"]
    # rdflib cannot read triple terms: with the word service written anywhere, nothing proves the query safe
    status, _, body = query(server, 'SELECT ?t WHERE { BIND(<<( <http://a> <http://b> "service" )>> AS ?t) }')
    assert status == 400 and b"guard cannot read this query" in body
    # without it, no SERVICE can be read from the text at all: it runs, unparsed by the guard
    status, _, body = query(server, "SELECT ?t WHERE { BIND(<<( <http://a> <http://b> <http://c> )>> AS ?t) }")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["t"]["type"] == "triple"
    assert not listener.connected()


def test_load_refused_without_outbound_request(server: SparqlServer, listener: Listener) -> None:
    status, _, body = query(server, f"LOAD <{listener.url}data.ttl>")
    assert status == 400 and b"LOAD is refused" in body
    status, _, _ = call(server, "/sparql", method="POST", body=urlencode({"update": f"LOAD <{listener.url}>"}).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    assert not listener.connected()


def test_updates_refused(server: SparqlServer) -> None:
    insert = f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}x> <{EX}y> <{EX}z> }} }}"
    status, _, body = call(server, "/sparql", method="POST", body=insert.encode(),
                           headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only" in body
    status, _, _ = call(server, "/sparql", method="POST", body=urlencode({"update": insert}).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, _, _ = query(server, insert)
    assert status == 403
    status, _, body = query(server, f"ASK {{ <{EX}x> ?p ?o }}")
    assert json.loads(body)["boolean"] is False


def test_malformed_query_gets_oxigraphs_message_on_one_line(server: SparqlServer) -> None:
    status, _, body = query(server, "SELECT * WHERE { ?s ?p ")
    assert status == 400 and body.startswith(b"malformed query: error at 1:") and body.count(b"\n") == 1


# --- service description, page, static files, routing


def test_service_description(server: SparqlServer) -> None:
    sd = "http://www.w3.org/ns/sparql-service-description#"
    status, headers, body = call(server, "/sparql")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    endpoints = [t.object.value for t in triples if t.predicate.value == sd + "endpoint"]
    assert endpoints == [server.url + "sparql"]
    assert any(t.object.value == sd + "UnionDefaultGraph" for t in triples)
    status, headers, body = call(server, "/sparql", headers={"Accept": "application/ld+json"})
    assert status == 200 and headers["content-type"] == "application/ld+json"
    assert len(list(ox.parse(body, format=ox.RdfFormat.JSON_LD))) == len(triples)


def test_yasgui_page_and_static_files(server: SparqlServer) -> None:
    status, headers, body = call(server, "/sparql", headers={"Accept": "text/html"})  # a browser's visit; / is the explorer
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode()
    assert 'src="static/yasgui/yasgui.min.js"' in page and "src=\"http" not in page and "href=\"http" not in page
    for path, content_type, min_size in [("/static/yasgui/yasgui.min.js", "text/javascript", 500_000),
                                         ("/static/yasgui/yasgui.min.css", "text/css", 10_000),
                                         ("/static/app.js", "text/javascript", 500),
                                         ("/static/yasgui/LICENSE", "text/plain", 500)]:
        status, headers, body = call(server, path)
        assert status == 200 and headers["content-type"].startswith(content_type) and len(body) > min_size, path
    status, _, body = call(server, "/queries.json")
    listing = json.loads(body)
    assert status == 200 and listing["prefixes"]["ckg"] == CKG_NS and listing["queries"] == [{
        "name": "air_strikes", "summary": "Air strikes and their labels.",
        "text": (server.endpoint.queries_dir / "air_strikes.rq").read_text()}]


def test_not_found_and_no_escape_from_static(server: SparqlServer) -> None:
    assert call(server, "/nope")[0] == 404
    assert call(server, "/static/../serve.py")[0] == 404
    assert call(server, "/static/%2e%2e/serve.py")[0] == 404
    assert call(server, "/", method="DELETE")[0] == 405


def test_binds_to_loopback_by_default(server: SparqlServer) -> None:
    assert server.server_address[0] == "127.0.0.1"
    assert inspect.signature(make_server).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_cors_headers_only_when_asked(server: SparqlServer, cors_server: SparqlServer) -> None:
    _, headers, _ = query(server, "ASK {}")
    assert "access-control-allow-origin" not in headers
    _, headers, _ = query(cors_server, "ASK {}")
    assert headers["access-control-allow-origin"] == "*"
    status, headers, _ = call(cors_server, "/sparql", method="OPTIONS",
                              headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert status == 204 and "POST" in headers["access-control-allow-methods"]


# --- the store lock


def test_served_store_is_locked_for_writers(store_path: Path, server: SparqlServer) -> None:
    code = ("import sys\nfrom kg.errors import StoreError\nfrom kg.store import GraphStore\n"
            "try:\n    GraphStore.open(sys.argv[1])\nexcept StoreError as err:\n    print('StoreError:', err)\n"
            "else:\n    print('opened')\n")
    done = subprocess.run([sys.executable, "-c", code, str(store_path)], capture_output=True, text=True, timeout=60,
                          check=False, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.startswith("StoreError:") and "in use by another process" in done.stdout, done.stderr
    with pytest.raises(StoreError, match="in use by another process"):
        make_server(store_path, port=0, workers=1)
    status, _, _ = query(server, "ASK {}")
    assert status == 200


def snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    """Name -> (size, mtime) of the files in a store, RocksDB's text logs aside."""
    return {f.name: (f.stat().st_size, f.stat().st_mtime_ns)
            for f in directory.iterdir() if not f.name.startswith("LOG")}


def many_flushes(path: Path) -> Path:
    """A store written in 12 flushes: a read-write open of it makes RocksDB compact (rewrite) its files."""
    store = ox.Store(str(path))
    for batch in range(12):
        store.extend([ox.Quad(ox.NamedNode(f"{EX}b{batch}/{i}"), ox.NamedNode(EX + "p"), ox.Literal(i), BULK)
                      for i in range(500)])
        store.flush()
    del store
    return path


def test_serving_changes_nothing_in_the_store(tmp_path: Path) -> None:
    store = many_flushes(tmp_path / "store")
    before = snapshot(store)
    with make_server(store, port=0, workers=1) as served:
        served.start()
        for sparql in ("ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 10", "SELECT * { ?s ?p ?o } LIMIT 50"):
            assert query(served, sparql)[0] == 200
        time.sleep(0.5)  # time enough for a compaction to show, had anything opened the store for writing
    assert snapshot(store) == before


def test_missing_store_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store there"):
        make_server(tmp_path / "absent", port=0)
    with pytest.raises(StoreError, match="no store there"):
        make_server(tmp_path, port=0)  # an empty directory is no store either


def test_taken_port_is_a_serve_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        with pytest.raises(ServeError, match="cannot listen"):
            make_server(build_store(tmp_path / "store"), port=taken.getsockname()[1], workers=1)


def test_a_worker_that_dies_is_replaced(server: SparqlServer) -> None:
    wait_for_idle_workers(server)
    victim = server.endpoint.pool.pids()[0]
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.2)
    assert [query(server, "ASK {}")[0] for _ in range(2 * WORKERS)] == [200] * 2 * WORKERS
    wait_for_idle_workers(server)
    assert victim not in server.endpoint.pool.pids() and len(server.endpoint.pool.pids()) == WORKERS
    assert query(server, "ASK {}")[0] == 200


def test_oversized_body_and_head(server: SparqlServer) -> None:
    status, _, body = call(server, "/sparql", method="POST", body=b"#" * 3_000_000,
                           headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and b"over" in body
    status, headers, body = call(server, "/sparql?" + urlencode({"query": "ASK {}"}), method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def worker_processes(store: Path) -> list[str]:
    """Command lines of live worker processes serving ``store``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "worker_main" in cmdline and str(store) in cmdline:
            found.append(cmdline)
    return found


def test_serve_runs_until_sigterm_and_leaves_no_worker(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store")
    code = ("import sys; from pathlib import Path; from kg.serve import serve; "
            "serve(Path(sys.argv[1]), port=0, workers=2)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(store)], stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        line = proc.stderr.readline()
        assert "serving" in line, line
        url = line.split(" at ", 1)[1].split()[0]
        with urllib.request.urlopen(url + "sparql?query=" + quote("ASK { ?s ?p ?o }"), timeout=10) as response:
            assert json.loads(response.read())["boolean"] is True
        assert len(worker_processes(store)) == 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        proc.kill()
        proc.wait()
    assert worker_processes(store) == []


def test_served_over_urllib_too(server: SparqlServer) -> None:
    url = server.url + "sparql?query=" + quote("ASK {}")
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200 and json.loads(response.read())["boolean"] is True
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(server.url + "nope", timeout=10)
    assert caught.value.code == 404


# --- the dataset a request names


def test_default_graph_uri_and_named_graph_uri_name_the_dataset(server: SparqlServer) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"

    def values(sparql: str, params: list[tuple[str, str]]) -> list[str]:
        status, _, body = call(server, "/sparql?" + urlencode([("query", sparql), *params]))
        assert status == 200, body
        return [next(iter(row.values()))["value"] for row in json.loads(body)["results"]["bindings"]]

    assert values(count, []) == [str(BULK_SIZE + 4)]  # no dataset named: the union of all graphs
    assert values(count, [("default-graph-uri", ARTICLE.value)]) == ["4"]
    assert values(count, [("default-graph-uri", ARTICLE.value), ("default-graph-uri", BULK.value)]) == [
        str(BULK_SIZE + 4)]
    assert values(graphs, [("default-graph-uri", ARTICLE.value)]) == []  # no named graph given: none there
    assert values(graphs, [("named-graph-uri", BULK.value)]) == [BULK.value]
    assert values(count, [("named-graph-uri", BULK.value)]) == ["0"]  # and an empty default graph
    assert values(count, [("default-graph-uri", "")]) == [str(BULK_SIZE + 4)]  # an empty value names nothing
    form = urlencode({"query": count, "default-graph-uri": ARTICLE.value}).encode()
    status, _, body = call(server, "/sparql", method="POST", body=form,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"


def test_from_in_the_query_names_its_dataset_unless_the_request_does(server: SparqlServer) -> None:
    sparql = f"SELECT (COUNT(*) AS ?n) FROM <{ARTICLE.value}> WHERE {{ ?s ?p ?o }}"
    status, _, body = query(server, sparql)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"
    status, _, body = query(server, sparql, **{"default-graph-uri": BULK.value})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(BULK_SIZE)


def test_a_graph_uri_that_is_no_iri_is_refused(server: SparqlServer) -> None:
    status, _, body = query(server, "ASK {}", **{"named-graph-uri": "not an iri"})
    assert status == 400 and body.startswith(b"named-graph-uri: expected the absolute IRI of a graph")


# --- how clients report refusals


def test_clients_report_an_over_large_result_with_how_to_page(server: SparqlServer) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(server.url + "sparql")
    client.setReturnFormat(JSON)
    client.setQuery("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryBadFormed, match=r"more than 100 rows.*LIMIT and OFFSET"):
        client.queryAndConvert()
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(server.url + "sparql?" + urlencode({"query": "SELECT * { ?s ?p ?o }"}), timeout=10)
    assert caught.value.code == 400 and b"page through it with LIMIT and OFFSET" in caught.value.read()


# --- the access log


CLF = re.compile(r'^127\.0\.0\.1 - - \[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "(?P<request>[^"]*)" '
                 r"(?P<status>\d{3}) (?P<size>\d+|-) (?P<seconds>\d+\.\d{3})$")


def test_access_log_has_one_line_per_request(tmp_path: Path) -> None:
    stream = io.StringIO()
    with make_server(build_store(tmp_path / "store"), port=0, workers=1, max_results=MAX_RESULTS,
                     access_log=AccessLog(stream)) as logged:
        logged.start()
        assert query(logged, "ASK {}")[0] == 200
        assert call(logged, "/nope")[0] == 404
        assert call(logged, "/sparql", method="POST", body=b"ASK {}",
                    headers={"Content-Type": "application/sparql-query"})[0] == 200
        status, _, body = call(logged, "/sparql?" + urlencode({"query": "SELECT * { ?s ?p ?o }"}))
        deadline = time.monotonic() + 5  # a line is written once its answer is sent: the last may trail the client
        while len(stream.getvalue().splitlines()) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4, lines
    found = [CLF.fullmatch(line) for line in lines]
    assert all(found), lines
    by_request = {m["request"]: m for m in found if m}  # in the order answers were sent, which threads may swap
    assert sorted((r, m["status"]) for r, m in by_request.items()) == sorted([
        ("GET /sparql?query=ASK+%7B%7D HTTP/1.1", "200"), ("GET /nope HTTP/1.1", "404"),
        ("POST /sparql HTTP/1.1", "200"), ("GET /sparql?query=SELECT+%2A+%7B+%3Fs+%3Fp+%3Fo+%7D HTTP/1.1", "400")])
    assert int(by_request["GET /sparql?query=SELECT+%2A+%7B+%3Fs+%3Fp+%3Fo+%7D HTTP/1.1"]["size"]) == len(body)


def test_kg_serve_access_log_to_a_file_or_stderr(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store")
    for target in (str(tmp_path / "access.log"), "-"):
        code = ("import sys; from pathlib import Path; from kg.cli import cli; "
                "cli(['serve', '--store', sys.argv[1], '--port', '0', '--access-log', sys.argv[2]])")
        proc = subprocess.Popen([sys.executable, "-c", code, str(store), target], stderr=subprocess.PIPE, text=True,
                                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            line = proc.stderr.readline()
            assert "serving" in line, line
            url = line.split(" at ", 1)[1].split()[0]
            with urllib.request.urlopen(url + "sparql?query=" + quote("ASK {}"), timeout=10) as response:
                assert response.status == 200
            if target == "-":
                logged = proc.stderr.readline()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
        finally:
            proc.kill()
            proc.wait()
        if target != "-":
            logged = (tmp_path / "access.log").read_text()
        assert CLF.fullmatch(logged.strip()) and '"GET /sparql?query=ASK%20%7B%7D HTTP/1.1" 200 ' in logged, logged
