"""A store on a SPARQL server (``--store http://HOST:PORT``): `oxigraph serve` on loopback, built, queried,
exported, curated and served as the embedded store is, with the same results."""
from __future__ import annotations

import http.server
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import KnowledgeGraph
from kg.cli import cli
from kg.errors import QueryError, StoreError
from kg.queries import list_queries
from kg.remote import RemoteStore
from kg.serve import make_server
from kg.sparql_text import bind_values
from kg.store import GraphStore
from kg.terms import bind
from kg.vocab import ENTITIES_GRAPH, PREFIXES
from oxigraph_server import OXIGRAPH, OxigraphServer, free_port

ROOT = Path(__file__).resolve().parent.parent
needs_server = pytest.mark.skipif(OXIGRAPH is None, reason="the `oxigraph` executable is not installed "
                                                           "(pip install 'conflict-kg[remote]')")
HOSTILE = ['"} ; DROP ALL', "a'''b\"\"\"c", "line\nbreak } INSERT DATA { <a:a> <a:a> <a:a> }", "back\\slash \\\"",
           "#{ GRAPH ?g { ?s ?p ?o } }"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """An empty store on a server of its own."""
    running = OxigraphServer(tmp_path / "oxigraph")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A server whose store `kg build seeds --store URL` built. Tests must leave it as they found it."""
    if OXIGRAPH is None:
        pytest.skip("the `oxigraph` executable is not installed")
    running = OxigraphServer(tmp_path_factory.mktemp("remote") / "oxigraph")
    result = CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "--store", running.url, "--no-progress"])
    assert result.exit_code == 0, result.output
    yield running
    running.stop()


def kg(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def export(store: str, *options: str) -> str:
    code, out, err = kg("export", "--store", store, *options)
    assert code == 0, err
    return out


# --------------------------------------------------------------------------- building


@needs_server
def test_a_remote_build_gives_the_embedded_build_exactly(seeds_server: OxigraphServer, seeds_store: Path) -> None:
    embedded = export(str(seeds_store))
    assert export(seeds_server.url) == embedded  # the ontology's blank nodes too: exported with canonical labels
    assert export(seeds_server.url, "--no-ontology") == export(str(seeds_store), "--no-ontology")
    assert len(embedded.splitlines()) > 2000


@needs_server
def test_a_rerun_against_the_server_changes_nothing(seeds_server: OxigraphServer) -> None:
    before = export(seeds_server.url)
    with KnowledgeGraph.open(seeds_server.url) as graph:
        report = graph.build([ROOT / "seeds"], progress=False)
    assert (report.added, report.replaced, report.unchanged, report.resolved) == (0, 0, 5, 0)
    assert export(seeds_server.url) == before


@needs_server
def test_a_changed_article_replaces_its_graph_on_the_server(server: OxigraphServer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = "Syrian government air strikes on Raqqa killed 12 people on Monday, activists said."
    (folder / "a.txt").write_text(text, encoding="utf-8")
    embedded = tmp_path / "embedded"
    with KnowledgeGraph.open(server.url) as graph:  # one client for both builds: what it read first is not reused
        assert graph.build([folder], progress=False).added == 1
        assert kg("build", str(folder), "--store", str(embedded), "--no-progress")[0] == 0
        (folder / "a.txt").write_text(text.replace("12", "15"), encoding="utf-8")
        assert graph.build([folder], progress=False).replaced == 1
        assert kg("build", str(folder), "--store", str(embedded), "--no-progress")[0] == 0
    remote = export(server.url)
    assert remote == export(str(embedded))
    assert '"15"' in remote and '"12"' not in remote


# --------------------------------------------------------------------------- reading


@needs_server
@pytest.mark.parametrize("args", [
    ["stats", "--format", "json"], ["query", "events"], ["query", "events", "-p", "actor=Daesh", "-p", "since=2014"],
    ["query", "control_of", "-p", "place=Raqqa", "-p", "date=2017-06-01"], ["query", "actors", "--format", "json"],
    ["export", "--format", "gexf"], ["export", "--format", "graphml", "--view", "actors"], ["export", "--format", "trig"],
    ["validate"], ["curate", "list"],
], ids=" ".join)
def test_every_command_answers_as_on_the_embedded_store(args: list[str], seeds_server: OxigraphServer,
                                                        seeds_store: Path, tmp_path: Path) -> None:
    embedded = tmp_path / "store"
    shutil.copytree(seeds_store, embedded)  # curate opens it for writing
    code, remote, err = kg(*args, "--store", seeds_server.url)
    assert code == 0, err
    assert (code, remote) == kg(*args, "--store", str(embedded))[:2]
    assert remote.strip()


@needs_server
def test_the_store_given_by_kg_store_may_be_a_url(seeds_server: OxigraphServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE", seeds_server.url)
    code, out, _ = kg("stats", "--format", "json")
    assert code == 0 and json.loads(out)["articles"] == 5


@needs_server
def test_named_queries_bind_the_same_values_as_pyoxigraph(seeds_server: OxigraphServer, seeds_store: Path) -> None:
    """Every named query with its examples bound: the server's rows are pyoxigraph's."""
    embedded = GraphStore.open(seeds_store, read_only=True)
    remote = GraphStore.open(seeds_server.url, read_only=True)
    try:
        checked = 0
        for query in list_queries():
            examples = {p.name: p.example for p in query.parameters if p.example}
            subs = bind(embedded, query, examples)
            rows = [[str(t) for t in row] for row in embedded.query(query.text, substitutions=subs)]
            assert [[str(t) for t in row] for row in remote.query(query.text, substitutions=subs)] == rows, query.name
            checked += bool(subs and rows)
        assert checked >= 5
    finally:
        embedded.close()
        remote.close()


def test_values_at_the_start_of_the_where_group_bind_as_substitutions(seeds_store: Path) -> None:
    """Without a server: each named query run with its examples as pyoxigraph substitutions, and as the text
    ``bind_values`` writes, gives the same rows."""
    store = GraphStore.open(seeds_store, read_only=True)
    try:
        for query in list_queries():
            subs = bind(store, query, {p.name: p.example for p in query.parameters if p.example})
            expected = [str(row) for row in store.query(query.text, substitutions=subs)]
            text = bind_values(query.text, {k: v for k, v in subs.items()})
            assert [str(row) for row in store.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)] \
                == expected, query.name
    finally:
        store.close()


def test_braces_in_comments_strings_and_templates_are_not_the_where_group() -> None:
    value = {"x": ox.Literal("v")}
    assert bind_values('# { not here\nSELECT ?x (CONCAT("{", ?x) AS ?y) WHERE { ?s ?p ?x }', value) == \
        '# { not here\nSELECT ?x (CONCAT("{", ?x) AS ?y) WHERE { VALUES (?x) { ("v") } ?s ?p ?x }'
    assert bind_values("CONSTRUCT { ?s ?p ?x } WHERE { ?s ?p ?x }", value) == \
        'CONSTRUCT { ?s ?p ?x } WHERE { VALUES (?x) { ("v") } ?s ?p ?x }'
    with pytest.raises(QueryError, match="long form"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?x }", value)
    with pytest.raises(QueryError, match="WHERE"):
        bind_values("DESCRIBE <http://example.org/x>", value)


@needs_server
@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_stays_a_value(value: str, seeds_server: OxigraphServer) -> None:
    with KnowledgeGraph.open(seeds_server.url, read_only=True) as graph:
        before = graph.stats()
        result = graph.result("SELECT ?x (STRLEN(?x) AS ?n) WHERE { BIND(1 AS ?one) }", x=value)
        assert result.rows == ({"x": value, "n": len(value)},)
        with pytest.raises(QueryError, match="no actor"):
            graph.result("events", actor=value)
        assert graph.stats() == before
    code, out, _ = kg("query", "--sparql", "SELECT ?x WHERE {}", "-p", f"x={value}", "--format", "json",
                      "--store", seeds_server.url)
    assert code == 0 and json.loads(out) == [{"x": value}]


@needs_server
def test_a_hostile_variable_name_is_refused_before_anything_is_sent(seeds_server: OxigraphServer,
                                                                         seeds_store: Path) -> None:
    before = export(seeds_server.url)
    for store in (seeds_server.url, str(seeds_store)):
        code, _, err = kg("query", "--sparql", "SELECT ?x WHERE {}", "-p", "x) {} } DROP ALL ; SELECT (?x=1",
                          "--store", store)
        assert code == 1 and err == "kg: 'x) {} } DROP ALL ; SELECT (?x' is no SPARQL variable name: expected " \
                                    "letters, digits and _\n", err
    assert export(seeds_server.url) == before


# --------------------------------------------------------------------------- curating


@needs_server
def test_overrides_live_in_the_curation_graph_of_the_server(seeds_server: OxigraphServer, seeds_store: Path,
                                                             tmp_path: Path) -> None:
    embedded = tmp_path / "store"
    shutil.copytree(seeds_store, embedded)
    before = export(seeds_server.url)
    said = []
    for store in (seeds_server.url, str(embedded)):
        code, out, err = kg("curate", "alias", "actor/islamic-state", "the Organisation", "--store", store)
        assert code == 0, err
        said.append(out)
    # the same change on both: the alias, its lookup key, and the claims that now name the actor
    assert said[0] == said[1] and re.search(r"; [1-9]\d* canonical quads changed\n$", said[0]), said
    try:
        assert export(seeds_server.url) == export(str(embedded))
        assert kg("curate", "list", "--store", seeds_server.url)[1] == \
            "1. alias actor/islamic-state the Organisation  # Islamic State\n"
        assert kg("query", "actors", "--store", seeds_server.url) == kg("query", "actors", "--store", str(embedded))
    finally:
        assert kg("curate", "undo", "--store", seeds_server.url)[0] == 0
    assert export(seeds_server.url) == before


# --------------------------------------------------------------------------- serving


@needs_server
def test_kg_serve_forwards_queries_to_the_server(seeds_server: OxigraphServer, seeds_store: Path) -> None:
    port = free_port()
    served = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", seeds_server.url, "--port", str(port),
                               "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert served.stderr is not None
        assert "serving " + seeds_server.url in served.stderr.readline()
        query = "SELECT ?e WHERE { ?e a ckg:AirStrike } ORDER BY ?e"
        request = urllib.request.Request(f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query}),
                                         headers={"Accept": "application/sparql-results+json"})
        rows = json.loads(urllib.request.urlopen(request, timeout=60).read())["results"]["bindings"]
        with KnowledgeGraph.open(seeds_store, read_only=True) as graph:
            assert [r["e"]["value"] for r in rows] == [r["e"] for r in graph.query(query)]
        assert len(rows) == 3
    finally:
        served.send_signal(signal.SIGINT)
        served.wait(timeout=30)
        if served.stderr is not None:
            served.stderr.close()


@needs_server
def test_the_endpoint_forwards_the_dataset_and_sends_no_update_or_service(seeds_server: OxigraphServer,
                                                                         seeds_store: Path) -> None:
    before = export(seeds_server.url)
    with make_server(seeds_server.url, port=0, workers=1) as endpoint:
        endpoint.start()
        for body, kind, status in [
            ("DROP ALL", "application/sparql-update", 403),
            ("SELECT * WHERE { SERVICE <" + seeds_server.url + "/query> { ?s ?p ?o } }", "application/sparql-query", 400),
            ("SELECT * WHERE { ?s ?p", "application/sparql-query", 400),
        ]:
            request = urllib.request.Request(endpoint.url + "sparql", body.encode(), {"Content-Type": kind})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=60)
            assert refused.value.code == status, body
        ask = urllib.request.Request(endpoint.url + "sparql", b"ASK { ?e a ckg:Battle }",
                                     {"Content-Type": "application/sparql-query",
                                      "Accept": "application/sparql-results+json"})
        assert json.loads(urllib.request.urlopen(ask, timeout=60).read()) == {"head": {}, "boolean": True}
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # over the graph the request names, not the union
        named = urllib.request.Request(endpoint.url + "sparql?" + urllib.parse.urlencode(
            {"query": count, "default-graph-uri": ENTITIES_GRAPH.value}), headers={"Accept": "text/csv"})
        answered = urllib.request.urlopen(named, timeout=60).read().decode().split()
    with KnowledgeGraph.open(seeds_store, read_only=True) as graph:
        entities = graph.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ENTITIES_GRAPH.value}> {{ ?s ?p ?o }} }}")
    assert answered == ["n", str(entities[0]["n"])] and entities[0]["n"] > 10
    assert export(seeds_server.url) == before


@needs_server
def test_a_read_only_client_sends_no_update(seeds_server: OxigraphServer) -> None:
    before = export(seeds_server.url)
    client = RemoteStore(seeds_server.url, read_only=True)
    with pytest.raises(StoreError, match="read-only; no update is sent"):
        client.update("DROP ALL")
    client.close()
    assert export(seeds_server.url) == before


# --------------------------------------------------------------------------- errors


def test_an_unreachable_server_is_a_one_line_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    for args in (["stats"], ["build", str(ROOT / "seeds"), "--no-progress"], ["serve", "--workers", "1"]):
        code, out, err = kg(*args, "--store", url)
        assert code == 1, out
        assert err.count("\n") == 1 and url in err and "cannot reach the store server" in err, err


ASK_TRUE = (200, "application/sparql-results+json", b'{"head":{},"boolean":true}')


class CannedServer(http.server.ThreadingHTTPServer):
    """An HTTP/1.1 server on loopback giving ``replies`` (status, content type, body) in turn, the last one
    again and again; after each it waits ``delay`` seconds first, or closes the connection without saying so
    when ``drop``. ``connections`` counts the connections it accepted."""

    def __init__(self, replies: list[tuple[int, str, bytes]], *, delay: float = 0.0, drop: bool = False) -> None:
        self.replies, self.delay, self.drop, self.connections, self.answered = replies, delay, drop, 0, 0
        outer = self

        class Answer(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                outer.connections += 1

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, kind, body = outer.replies[min(outer.answered, len(outer.replies) - 1)]
                if outer.answered:
                    time.sleep(outer.delay)
                outer.answered += 1
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # a client that stopped waiting
                    pass
                self.close_connection = outer.drop

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Answer)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> CannedServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


@pytest.mark.parametrize("status, body, message", [
    (404, b"<html>Not Found</html>", "HTTP 404 (not a SPARQL endpoint?): <html>Not Found</html>"),
    (200, b"<html>hello</html>", "not a SPARQL endpoint: it answered text/html"),
    (500, b"disk full\nat line 2", "HTTP 500: disk full at line 2"),
])
def test_a_server_that_is_no_sparql_endpoint_is_a_one_line_error(status: int, body: bytes, message: str) -> None:
    with CannedServer([(status, "text/html", body)]) as web:
        code, _, err = kg("stats", "--store", web.url)
    assert code == 1
    assert err.count("\n") == 1 and message in err, err


def test_a_server_that_does_not_answer_in_time_is_a_one_line_error() -> None:
    with CannedServer([ASK_TRUE], delay=3.0) as web:
        client = RemoteStore(web.url, timeout=0.5)
        with pytest.raises(StoreError) as slow:
            client.query("ASK {}")
        client.close()
    assert str(slow.value) == f"{web.url}/query: no answer within 0.5 s"


def test_a_connection_the_server_closed_is_opened_again() -> None:
    with CannedServer([ASK_TRUE], drop=True) as web:
        client = RemoteStore(web.url)  # its first ASK, on the first connection
        assert [bool(client.query("ASK {}")) for _ in range(3)] == [True] * 3
        client.close()
    assert (web.answered, web.connections) == (4, 4)


@pytest.mark.parametrize("url", ["http://", "http://127.0.0.1:port", "http://127.0.0.1:7878/?x=1"])
def test_a_malformed_url_is_a_one_line_error(url: str) -> None:
    code, _, err = kg("stats", "--store", url)
    assert code == 1 and err.count("\n") == 1 and "expected" in err, err
