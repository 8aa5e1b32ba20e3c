"""No query sends a request out: a generated corpus of SERVICE, LOAD and update variants over every transport
(GET, form POST, POST application/sparql-query, POST application/sparql-update, ``kg query --sparql``, the
Python API), against a listener on a loopback port that counts the connections it gets. None may reach it, and
ordinary read queries, even ones full of the word SERVICE, still work.
"""
from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg.guard
from kg import KnowledgeGraph
from kg.cli import cli
from kg.errors import QueryError, QueryRefused
from kg.guard import check_query
from kg.serve import SparqlServer, make_server

EX = "http://example.org/"
ROOT = Path(__file__).resolve().parent.parent


class CountingListener:
    """A plain socket server on 127.0.0.1, in a thread: counts connections and answers each with an empty SPARQL
    JSON result (so a request that got through would even succeed)."""

    BODY = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
    ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n"
              b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self._stop:
                conn.close()
                return
            self.connections += 1
            try:
                conn.settimeout(1)
                conn.recv(65536)
                conn.sendall(self.ANSWER)
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        self._stop = True
        try:  # wake the accept() up
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            pass
        self.sock.close()
        self.thread.join(timeout=5)


# --- the corpus


def _nested(depth: int) -> str:
    return "(" * depth + "1" + ")" * depth


def service_corpus(url: str) -> list[str]:
    """At least 100 queries that would make oxigraph connect to ``url``, in every disguise tried on the guard."""
    iris = [  # (prologue, the service's IRI or variable, what binds the variable)
        ("", f"<{url}>", ""),
        (f"PREFIX e: <{url}> ", "e:", ""),
        (f"PREFIX e: <{url[:-1]}> ", "e:\\/", ""),  # a \-escape in a local name
        (f"PREFIX svc: <{url}> ", "svc:sparql", ""),
        ("", "?svc", f"VALUES ?svc {{ <{url}> }} "),
        ("", "$svc", f"BIND(<{url}> AS ?svc) "),
        (f"BASE <{url}> ", "<>", ""),
    ]
    keywords = ["SERVICE", "service", "Service", "SeRvIcE", "SERVICE SILENT", "service silent", "SERVICE  SILENT"]
    inner = "{ ?s ?p ?o }"
    placements = [
        "SELECT * WHERE {{ {bind}{svc} }}",
        "SELECT * WHERE {{ {bind}{{ {{ {svc} }} }} }}",
        "SELECT * WHERE {{ {bind}?a ?b ?c OPTIONAL {{ {svc} }} }}",
        "SELECT * WHERE {{ {bind}{{ ?a ?b ?c }} UNION {{ {svc} }} }}",
        "SELECT * WHERE {{ {bind}?a ?b ?c MINUS {{ {svc} }} }}",
        "SELECT * WHERE {{ {bind}?a ?b ?c FILTER EXISTS {{ {svc} }} }}",
        "SELECT * WHERE {{ {bind}?a ?b ?c FILTER NOT EXISTS {{ {svc} }} }}",
        "SELECT * WHERE {{ {{ SELECT * WHERE {{ {bind}{svc} }} }} }}",
        "SELECT * WHERE {{ GRAPH ?g {{ {bind}{svc} }} }}",
        "ASK {{ {bind}{svc} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {bind}{svc} }}",
        "DESCRIBE ?s WHERE {{ {bind}{svc} }}",
        "SELECT * WHERE {{ {bind}BIND(EXISTS {{ {svc} }} AS ?x) }}",
        "SELECT ?a WHERE {{ {bind}?a ?b ?c }} ORDER BY (EXISTS {{ {svc} }})",
    ]
    corpus = []
    n = 0
    for placement in placements:
        for prologue, target, bind in iris:
            keyword = keywords[n % len(keywords)]
            n += 1
            corpus.append(prologue + placement.format(bind=bind, svc=f"{keyword} {target} {inner}"))
    plain = f"SERVICE <{url}> {inner}"
    disguises = [  # ways that fooled a guard, or could: other engines' syntax, escapes, comments, line ends
        f'VERSION "1.2" SELECT * {{ {plain} }}',
        f'VERSION "1.2" SELECT * {{ BIND(<http://x/\\u0041#> AS ?i) {plain} }}',
        f"SELECT * {{ BIND(<http://x/\\u0041#> AS ?i) {plain} }}",
        f"SELECT * {{ BIND(<<( <{EX}a> <{EX}b> <{EX}c> )>> AS ?t) {plain} }}",
        f"SELECT * {{ BIND(<<( <{EX}a> <{EX}b> <{EX}c> )>> AS ?t) serVICE <{url}> {inner} }}",
        f"SELECT * {{ BIND({_nested(400)} AS ?n) {plain} }}",
        f"SELECT * {{ BIND({_nested(400)} AS ?n) SERVICE ?svc {inner} VALUES ?svc {{ <{url}> }} }}",
        f"PREFIX e: <{EX}> SELECT * {{ ?s e:a\\#b ?o . {plain} }}",
        f"PREFIX e: <{EX}> SELECT * {{ ?s e:a\\#b ?o . SERVICE e:x {inner} }}".replace(f"<{EX}>", f"<{url}>"),
        f'SELECT * {{ BIND(STRLEN("\\u0022") AS ?a) {plain} BIND(STRLEN("\\u0022") AS ?b) }}',
        f"SELECT * {{ BIND('\\u0027' AS ?a) {plain} BIND('\\u0027' AS ?b) }}",
        f"SELECT * {{ BIND(\"\\U00000022\" AS ?a) {plain} BIND(\"\\U00000022\" AS ?b) }}",
        f"SELECT * {{ # a comment that ends at a carriage return\r{plain}\n}}",
        f"SELECT * {{ # comment\r\n{plain} }}",
        f"SELECT * {{ #}}\n{plain} }}",
        f'SELECT * {{ BIND("#" AS ?h) {plain} }}',
        f'SELECT * {{ BIND("""a " "" b""" AS ?h) {plain} }}',
        f"SELECT * {{ BIND('''a ' '' b''' AS ?h) {plain} }}",
        f"SELECT * {{ BIND(<{EX}#frag> AS ?h) {plain} }}",
        f"SELECT * {{ BIND(<{EX}#frag> AS ?h) SERVICE<{url}>{inner} }}",
        f"SELECT*{{SERVICE<{url}>{{?s?p?o}}}}",
        f"SELECT * {{\tSERVICE\n<{url}>\r\n{inner} }}",
        f"select * {{ service silent <{url}> {{ service <{url}> {inner} }} }}",
        f"SELECT * {{ ?a ?b ?c FILTER(EXISTS {{ {plain} }} || true) }}",
        f"SELECT (COUNT(*) AS ?n) {{ ?a ?b ?c }} GROUP BY ?a HAVING (EXISTS {{ {plain} }})",
        f"SELECT * {{ SERVICE SILENT ?svc {inner} }} VALUES ?svc {{ <{url}> }}",
        f"SELECT * FROM <{url}> {{ {plain} }}",
        f"SELECT * {{ VALUES ?x {{ 1 }} {plain} }} # SERVICE in a comment too",
        f"SELECT * {{ \\u0053ERVICE <{url}> {inner} }}",
        f"SELECT * {{ BIND(\"\\\\\" AS ?b) {plain} }}",
    ]
    return corpus + disguises


def update_corpus(url: str) -> list[str]:
    """SPARQL Update in many forms, some of which fetch ``url`` (LOAD) or query it (SERVICE in WHERE)."""
    g = f"<{EX}g>"
    return [
        f"LOAD <{url}data.ttl>",
        f"load <{url}data.ttl>",
        f"LOAD SILENT <{url}data.ttl>",
        f"LOAD <{url}data.ttl> INTO GRAPH {g}",
        f"PREFIX e: <{url}> LOAD e:data.ttl",
        f"# a comment\nLOAD <{url}data.ttl> # another",
        f'VERSION "1.2" LOAD <{url}data.ttl>',
        f"LOAD <{url}a> ; LOAD <{url}b>",
        f"INSERT DATA {{ GRAPH {g} {{ <{EX}x> <{EX}y> <{EX}z> }} }} ; LOAD <{url}data.ttl>",
        f"INSERT {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"WITH {g} DELETE {{ ?s ?p ?o }} WHERE {{ SERVICE ?u {{ ?s ?p ?o }} VALUES ?u {{ <{url}> }} }}",
        f"DELETE WHERE {{ ?s ?p ?o }}",
        f"INSERT DATA {{ <{EX}x> <{EX}y> <{EX}z> }}",
        f"CLEAR ALL",
        f"DROP GRAPH {g}",
        f"CREATE GRAPH {g}",
        f"ADD DEFAULT TO {g}",
        f"MOVE {g} TO DEFAULT",
        f"COPY DEFAULT TO {g}",
    ]


def corpus(url: str) -> list[str]:
    return service_corpus(url) + update_corpus(url)


READS = [  # (query, what the answer must hold): read queries that must keep working
    ("ASK { }", "true"),
    ('SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/> { }" AS ?x) }', "SERVICE"),
    ("SELECT ?x WHERE { BIND('LOAD <http://127.0.0.1:1/>' AS ?x) } # SERVICE <http://127.0.0.1:1/> { }", "LOAD"),
    ("PREFIX service: <http://example.org/service/> SELECT ?service WHERE { VALUES ?service { service:a } }",
     "service/a"),
    ("SELECT ?o WHERE { <http://example.org/SERVICE> ?p ?o } LIMIT 1", ""),
    ('SELECT ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l', "Air strike"),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "2"),
]


# --- fixtures and transports


@pytest.fixture(scope="module")
def listener() -> Iterator[CountingListener]:
    listening = CountingListener()
    yield listening
    listening.close()


def small_store(path: Path) -> Path:
    store = ox.Store(str(path))
    graph = ox.NamedNode(EX + "graph/a1")
    store.add(ox.Quad(ox.NamedNode(EX + "e1"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Air strike on Idlib"), graph))
    store.add(ox.Quad(ox.NamedNode(EX + "e1"), ox.NamedNode(EX + "p"), ox.Literal(1), graph))
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    server = make_server(small_store(tmp_path_factory.mktemp("guarded") / "store"), port=0, workers=2, timeout=10)
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def local_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_store(tmp_path_factory.mktemp("local") / "store")


def send(server: SparqlServer, method: str, target: str, body: str | None = None,
         content_type: str | None = None) -> tuple[int, bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(method, target, body=body.encode() if body is not None else None,
                     headers={"Content-Type": content_type} if content_type else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


HTTP_TRANSPORTS = {
    "GET query string": lambda server, text: send(server, "GET", "/sparql?" + urlencode({"query": text})),
    "POST form query=": lambda server, text: send(server, "POST", "/sparql", urlencode({"query": text}),
                                                  "application/x-www-form-urlencoded"),
    "POST form update=": lambda server, text: send(server, "POST", "/sparql", urlencode({"update": text}),
                                                   "application/x-www-form-urlencoded"),
    "POST sparql-query": lambda server, text: send(server, "POST", "/sparql", text, "application/sparql-query"),
    "POST sparql-update": lambda server, text: send(server, "POST", "/query", text, "application/sparql-update"),
}


def test_the_corpus_is_large_and_varied(listener: CountingListener) -> None:
    texts = corpus(listener.url)
    assert len(set(texts)) == len(texts) >= 100
    assert sum("VERSION" in t for t in texts) >= 2 and any("<<(" in t for t in texts)
    assert any(_nested(400) in t for t in texts) and any("\\#" in t for t in texts)


def test_oxigraph_does_send_service_requests(listener: CountingListener, tmp_path: Path) -> None:
    """Why the guard exists: without it, pyoxigraph POSTs the query to the SERVICE's address (checked in a
    child process, whose connection the listener counts, then forgotten)."""
    code = ("import sys, pyoxigraph as ox\ntry:\n    list(ox.Store().query(sys.argv[1]))\nexcept Exception:\n"
            "    pass\n")
    before = listener.connections
    subprocess.run([sys.executable, "-c", code, f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"],
                   timeout=60, check=True)
    assert listener.connections == before + 1
    listener.connections = before  # the corpus tests below count from here


@pytest.mark.parametrize("transport", list(HTTP_TRANSPORTS))
def test_no_variant_reaches_the_listener_over_http(served: SparqlServer, listener: CountingListener,
                                                   transport: str) -> None:
    texts = corpus(listener.url)
    before = listener.connections
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda text: HTTP_TRANSPORTS[transport](served, text), texts))
    wrong = [(text, status, body[:200]) for text, (status, body) in zip(texts, answers) if status not in (400, 403)]
    assert not wrong, wrong[:3]
    assert listener.connections == before == 0


def test_no_variant_reaches_the_listener_from_kg_query(local_store: Path, listener: CountingListener) -> None:
    kg.guard._cached_refusal.cache_clear()  # each transport asks the guard afresh
    runner = CliRunner()
    for text in corpus(listener.url):
        result = runner.invoke(cli, ["query", "--sparql", text, "--store", str(local_store)])
        assert result.exit_code == 1 and result.output.startswith("kg: "), (text, result.output)
    assert listener.connections == 0


def test_no_variant_reaches_the_listener_from_the_python_api(local_store: Path, listener: CountingListener) -> None:
    kg.guard._cached_refusal.cache_clear()
    with KnowledgeGraph.open(local_store, read_only=True) as graph:
        for text in corpus(listener.url):
            with pytest.raises(QueryError):
                graph.query(text)
            with pytest.raises(QueryError):
                graph.result(text)
    assert listener.connections == 0


def test_every_service_variant_is_refused_by_the_guard_itself(listener: CountingListener) -> None:
    for text in service_corpus(listener.url):
        with pytest.raises(QueryRefused) as refused:
            check_query(text)
        assert refused.value.status == 400
    assert listener.connections == 0


@pytest.mark.parametrize("transport", list(HTTP_TRANSPORTS)[:2] + list(HTTP_TRANSPORTS)[3:4])
def test_read_queries_still_work_over_http(served: SparqlServer, transport: str) -> None:
    for text, expected in READS:
        status, body = HTTP_TRANSPORTS[transport](served, text)
        assert status == 200 and expected in body.decode(), (text, body)


def test_read_queries_still_work_from_kg_query_and_the_api(local_store: Path) -> None:
    runner = CliRunner()
    with KnowledgeGraph.open(local_store, read_only=True) as graph:
        for text, expected in READS:
            result = runner.invoke(cli, ["query", "--sparql", text, "--format", "json", "--store", str(local_store)])
            assert result.exit_code == 0 and expected in result.output, (text, result.output)
            assert expected in json.dumps(graph.query(text), default=str), text


def test_allow_service_true_lets_trusted_text_through(local_store: Path, listener: CountingListener) -> None:
    with KnowledgeGraph.open(local_store, read_only=True) as graph:
        text = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        with pytest.raises(QueryRefused):
            graph.query(text)
        with pytest.raises(QueryRefused):
            graph.query(text, allow_service="yes")  # only True itself turns the guard off
        before = listener.connections
        assert graph.query(text, allow_service=True) == []  # the listener answers no rows
        assert listener.connections == before + 1
        listener.connections = before
    result = CliRunner().invoke(cli, ["query", "--sparql", text, "-p", "allow_service=1", "--store", str(local_store)])
    assert result.exit_code == 2 and "allow_service is no query parameter" in result.output


def test_refusals_say_why(listener: CountingListener) -> None:
    cases = {
        f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}": "SERVICE is refused",
        'VERSION "1.2" SELECT * { ?s ?p "service" }': "the guard cannot read this query",
        f"SELECT * {{ BIND({_nested(400)} AS ?n) }} # no service": "nested too deeply",
        'SELECT * { BIND("\\u0041" AS ?a) }': r"\u and \U escapes are refused",
    }
    for text, message in cases.items():
        with pytest.raises(QueryRefused, match=message.replace("\\", "\\\\")):
            check_query(text)
    assert kg.guard.update_refusal(f"LOAD <{listener.url}>") == (400, kg.guard.LOAD_REFUSED)
    assert kg.guard.update_refusal("CLEAR ALL") == (403, kg.guard.READ_ONLY)


def test_text_without_the_word_service_passes_unparsed() -> None:
    """No SERVICE keyword can be read from text that never writes the word: such text is not parsed at all,
    so what rdflib cannot read is no reason to refuse it; any spelling of the word, in any case, is parsed."""
    for text in ('VERSION "1.2" SELECT * { ?s ?p ?o }', f"SELECT * {{ BIND({_nested(400)} AS ?n) }}"):
        check_query(text)
    for word in ("SERVICE", "service", "SeRvIcE"):
        with pytest.raises(QueryRefused):
            check_query(f"VERSION \"1.2\" SELECT * {{ {word} <http://127.0.0.1:9/> {{ ?s ?p ?o }} }}")


def test_every_named_query_passes_the_guard() -> None:
    from kg.queries import list_queries

    for named in list_queries():
        check_query(named.text)


def test_query_workers_cannot_open_internet_sockets(served: SparqlServer, listener: CountingListener) -> None:
    """The second lock: even a query that got past the guard could not connect from a worker."""
    for pid in served.endpoint.pool.pids():
        status = Path(f"/proc/{pid}/status").read_text()
        assert "Seccomp:\t2" in status, status
    code = ("import sys, socket, pyoxigraph as ox\nfrom kg.serve.sandbox import forbid_network\n"
            "assert forbid_network() is None\n"
            "try:\n    list(ox.Store().query(sys.argv[1]))\nexcept OSError as err:\n    print('refused:', err)\n"
            "try:\n    socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=5)\n"
            "except OSError as err:\n    print('refused:', err)\n"
            "a, b = socket.socketpair(); a.sendall(b'ok'); print(b.recv(2).decode())\n")
    done = subprocess.run([sys.executable, "-c", code, f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                           str(listener.port)], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.count("refused: ") == 2 and done.stdout.endswith("ok\n"), done.stdout + done.stderr
    assert listener.connections == 0
