"""The endpoint's own checks: Host and Origin/Referer (``kg serve --allowed-host``, ``--cors``), malformed
requests (a Content-Length that is no number, a NUL in a path), and slow queries kept from starving fast ones
(a pool that grows, a cap on slow queries per client and in all, a queue wait answered with 503 and
Retry-After).
"""
from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg.serve
from kg.cli import cli
from kg.errors import ServeError
from kg.serve import SparqlServer, make_server
from kg.serve.pool import DEFAULT_QUEUE_WAIT, DEFAULT_SLOW_PER_CLIENT
from test_serve import time_limit  # noqa: F401  (autouse: the same per-test time limit as there)

EX = "http://example.org/"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
FAST = "SELECT ?o WHERE { ?s ?p ?o } LIMIT 1"

def build_store(path: Path) -> Path:
    """A store of 300 quads: enough for SLOW to run past any time limit here."""
    store = ox.Store(str(path))
    store.extend([ox.Quad(ox.NamedNode(f"{EX}n{i}"), ox.NamedNode(EX + "p"), ox.Literal(i),
                          ox.NamedNode(EX + "graph/bulk")) for i in range(300)])
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("gate") / "store")


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[SparqlServer]:
    server = make_server(store_path, port=0, workers=1, timeout=5)
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """Answers to kg.example.org too, and lets pages from https://app.example.org in."""
    server = make_server(build_store(tmp_path_factory.mktemp("open") / "store"), port=0, workers=1, timeout=5,
                         allowed_hosts=["kg.example.org"], cors=["https://app.example.org"])
    server.start()
    yield server
    server.close()


def call(server: SparqlServer, path: str, *, method: str = "GET", body: bytes | None = None,
         headers: dict[str, str] | None = None, source: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
    """One request with http.client from the address ``source``: (status, headers, body)."""
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=20, source_address=(source, 0))
    try:
        headers = headers or {}
        conn.putrequest(method, path, skip_host="Host" in headers, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def form_post(server: SparqlServer, sparql: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return call(server, "/sparql", method="POST", body=urlencode({"query": sparql}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", **headers})


def raw(server: SparqlServer, request: bytes) -> bytes:
    """Send ``request`` as it is, and read the answer until the server closes the connection."""
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def port_of(server: SparqlServer) -> int:
    return int(server.server_address[1])


# --- Host


def test_host_must_be_a_name_of_the_server(server: SparqlServer) -> None:
    port = port_of(server)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LocalHost.", "127.0.0.1"):
        assert call(server, "/sparql?query=ASK%7B%7D", headers={"Host": host})[0] == 200, host
    for host in (f"attacker.example:{port}", f"127.0.0.1.attacker.example:{port}", "0.0.0.0", "10.0.0.1"):
        status, _, body = call(server, "/sparql?query=ASK%7B%7D", headers={"Host": host})
        assert status == 400 and b"not a name of this server" in body and b"--allowed-host" in body, host
    status, _, body = call(server, "/", headers={"Host": "bad host!"})
    assert status == 400 and b"not a host name" in body
    answer = raw(server, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400") and b"needs a Host header" in answer
    answer = raw(server, b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\n\r\n")  # HTTP/1.0 has no Host to give
    assert answer.startswith(b"HTTP/1.1 200")


def test_allowed_host_adds_names(open_server: SparqlServer, store_path: Path, tmp_path: Path) -> None:
    assert call(open_server, "/", headers={"Host": f"kg.example.org:{port_of(open_server)}"})[0] == 200
    assert call(open_server, "/", headers={"Host": "KG.example.org"})[0] == 200
    assert call(open_server, "/", headers={"Host": "other.example.org"})[0] == 400
    with make_server(build_store(tmp_path / "store"), port=0, workers=1, allowed_hosts=["*"]) as anyhost:
        anyhost.start()
        assert call(anyhost, "/", headers={"Host": "whatever.example"})[0] == 200


# --- Origin and Referer


def test_cross_site_requests_are_refused(server: SparqlServer) -> None:
    own = f"http://127.0.0.1:{port_of(server)}"
    assert form_post(server, "ASK {}", Origin=own)[0] == 200
    assert form_post(server, "ASK {}", Referer=own + "/")[0] == 200
    assert form_post(server, "ASK {}")[0] == 200  # curl, scripts: no Origin, no Referer
    for headers in ({"Origin": "https://attacker.example"}, {"Origin": "null"},
                    {"Origin": f"http://localhost:{port_of(server)}"},  # another origin, though the same machine
                    {"Referer": "https://attacker.example/page.html"}):
        status, answer, body = form_post(server, "ASK {}", **headers)
        assert status == 403 and b"cross-site request refused" in body and b"--cors" in body, headers
        assert "access-control-allow-origin" not in answer
    status, _, _ = call(server, "/sparql?query=ASK%7B%7D", headers={"Origin": "https://attacker.example"})
    assert status == 403  # a script's fetch() carries its Origin
    status, _, _ = call(server, "/sparql?query=ASK%7B%7D", headers={"Referer": "https://elsewhere.example/"})
    assert status == 200  # a link from another site: answered (the page could not read it anyway)


def test_cors_lets_the_origins_it_names_in(open_server: SparqlServer) -> None:
    status, headers, _ = form_post(open_server, "ASK {}", Origin="https://app.example.org")
    assert status == 200 and headers["access-control-allow-origin"] == "https://app.example.org"
    assert "Origin" in headers["vary"]
    status, headers, _ = call(open_server, "/sparql", method="OPTIONS",
                              headers={"Origin": "https://app.example.org", "Access-Control-Request-Method": "POST",
                                       "Access-Control-Request-Headers": "content-type"})
    assert status == 204 and headers["access-control-allow-origin"] == "https://app.example.org"
    assert "POST" in headers["access-control-allow-methods"] and "Content-Type" in headers["access-control-allow-headers"]
    status, headers, _ = form_post(open_server, "ASK {}", Origin="https://attacker.example")
    assert status == 403 and "access-control-allow-origin" not in headers
    status, headers, _ = call(open_server, "/sparql", method="OPTIONS",
                              headers={"Origin": "https://attacker.example", "Access-Control-Request-Method": "POST"})
    assert status == 403 and "access-control-allow-origin" not in headers


def test_cors_origins_are_checked_at_start(store_path: Path) -> None:
    with pytest.raises(ServeError, match="--cors: expected an origin"):
        make_server(store_path, port=0, workers=1, cors=["app.example.org"])


def test_kg_serve_passes_allowed_host_cors_and_the_pool_options(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setattr(kg.serve, "serve", lambda store, **options: seen.update(options))
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path), "--allowed-host", "kg.example.org",
                                      "--allowed-host", "10.0.0.5", "--cors", "https://app.example.org",
                                      "--workers", "6", "--queue-wait", "3", "--max-slow-per-client", "1"])
    assert result.exit_code == 0, result.output
    assert seen["allowed_hosts"] == ("kg.example.org", "10.0.0.5") and seen["cors"] == ("https://app.example.org",)
    assert (seen["workers"], seen["queue_wait"], seen["slow_per_client"]) == (6, 3.0, 1)
    CliRunner().invoke(cli, ["serve", "--store", str(tmp_path)])
    assert "workers" not in seen or seen["cors"] == ()  # nothing given: the server's own defaults
    helped = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert f"[default: {DEFAULT_QUEUE_WAIT:g}]" in helped and f"[default: {DEFAULT_SLOW_PER_CLIENT}]" in helped


# --- malformed requests


@pytest.mark.parametrize("length", ["²", "-1", "+5", "1e3", "0x10", "٣", "9" * 30, "9" * 5000, "12, 12"])
def test_a_content_length_that_is_no_size_gets_400_and_no_traceback(server: SparqlServer, length: str,
                                                                     capfd: pytest.CaptureFixture[str]) -> None:
    request = ("POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
               f"Content-Length: {length}\r\n\r\nASK {{}}").encode()
    answer = raw(server, request)
    assert answer.startswith(b"HTTP/1.1 400") or (len(length) > 18 and answer.startswith(b"HTTP/1.1 413")), answer
    assert call(server, "/sparql?query=ASK%7B%7D")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_content_length_headers_that_disagree_get_400(server: SparqlServer) -> None:
    answer = raw(server, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                         b"Content-Length: 6\r\nContent-Length: 60\r\n\r\nASK {}")
    assert answer.startswith(b"HTTP/1.1 400") and b"disagree" in answer


def test_a_nul_or_a_bad_byte_in_a_path_gets_400_or_404(server: SparqlServer,
                                                        capfd: pytest.CaptureFixture[str]) -> None:
    for target in (b"/static/a\x00b", b"/static/\x00", b"/static/app.js\x01", b"/static/\xff\xfe", b"/\x7f"):
        answer = raw(server, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 400"), (target, answer[:200])
    for target in ("/static/%00", "/static/" + "a" * 300, "/static/" + "x/" * 3000):
        assert call(server, target)[0] == 404, target[:40]
    assert "Traceback" not in capfd.readouterr().err


# --- slow queries do not starve fast ones


def post_from(server: SparqlServer, source: str, sparql: str, out: list[tuple[int, dict[str, str], bytes]]) -> None:
    out.append(form_post_from(server, source, sparql))


def form_post_from(server: SparqlServer, source: str, sparql: str) -> tuple[int, dict[str, str], bytes]:
    return call(server, "/sparql", method="POST", body=urlencode({"query": sparql}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"}, source=source)


def wait_until(condition: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def in_threads(*calls: tuple[object, ...]) -> list[threading.Thread]:
    threads = [threading.Thread(target=post_from, args=args) for args in calls]
    for t in threads:
        t.start()
        time.sleep(0.05)
    return threads


def test_the_pool_grows_and_keeps_a_worker_for_fast_queries(tmp_path: Path) -> None:
    with make_server(build_store(tmp_path / "store"), port=0, workers=4, timeout=6) as grown:
        grown.start()
        pool = grown.endpoint.pool
        assert len(pool.pids()) == 2 and pool.max_slow == 2
        slow: list[tuple[int, dict[str, str], bytes]] = []
        threads = in_threads(*[(grown, f"127.0.0.{n}", f"{SLOW} # {n}", slow) for n in (2, 3, 4, 5)])
        # the third and fourth to turn slow are stopped: two is the most
        wait_until(lambda: sum(b"slow queries as may run" in b for _, _, b in slow) == 2, seconds=5.5)
        assert len(pool.pids()) == 4 and pool.slow_running() == 2
        wait_until(lambda: pool.idle() == 2, seconds=15)  # their replacements are ready
        started = time.monotonic()
        status, _, _ = form_post_from(grown, "127.0.0.6", FAST)
        assert status == 200 and time.monotonic() - started < 3.0  # well before the slow ones end
        for t in threads:
            t.join()
    assert sorted(s for s, _, _ in slow) == [503] * 4
    stopped = [(h, b) for _, h, b in slow if b"slow queries as may run at once" in b]
    assert len(stopped) == 2 and all(int(headers["retry-after"]) >= 1 for headers, _ in stopped)
    assert sum(b"time limit" in b for _, _, b in slow) == 2


def test_one_client_may_run_only_so_many_slow_queries(tmp_path: Path) -> None:
    with make_server(build_store(tmp_path / "store"), port=0, workers=4, timeout=6, slow_per_client=1,
                     queue_wait=0.5) as capped:
        capped.start()
        pool = capped.endpoint.pool
        slow: list[tuple[int, dict[str, str], bytes]] = []
        threads = in_threads((capped, "127.0.0.2", f"{SLOW} # a", slow), (capped, "127.0.0.2", f"{SLOW} # b", slow))
        wait_until(lambda: len(slow) == 1)  # the second to turn slow was stopped
        assert pool.slow_running("127.0.0.2") == 1 and b"1 per client" in slow[0][2]
        wait_until(lambda: pool.idle() >= 1, seconds=15)
        assert pool.slow_running("127.0.0.2") == 1
        status, headers, body = form_post_from(capped, "127.0.0.2", FAST)  # a suspect now: waits for its place
        assert status == 503 and b"your last one" in body and int(headers["retry-after"]) >= 1
        assert form_post_from(capped, "127.0.0.3", FAST)[0] == 200  # other clients are not held up
        for t in threads:
            t.join()
        assert sum(b"time limit" in b for _, _, b in slow) == 1
        wait_until(lambda: pool.idle() >= 1, seconds=15)
        assert form_post_from(capped, "127.0.0.2", FAST)[0] == 200  # its place is free; quick: no suspect any more
        # a text known to be slow counts as slow from the start, whoever sends it
        threads = in_threads((capped, "127.0.0.4", f"{SLOW} # a", slow))
        wait_until(lambda: pool.slow_running("127.0.0.4") == 1, seconds=0.8)  # before a second has passed
        status, headers, body = form_post_from(capped, "127.0.0.4", f"{SLOW} # b")
        assert status == 503 and b"was slow" in body and int(headers["retry-after"]) >= 1
        for t in threads:
            t.join()


def test_a_request_that_finds_every_worker_busy_gets_503_and_retry_after(tmp_path: Path) -> None:
    with make_server(build_store(tmp_path / "store"), port=0, workers=1, timeout=3, queue_wait=0.5) as busy:
        busy.start()
        slow: list[tuple[int, dict[str, str], bytes]] = []
        threads = in_threads((busy, "127.0.0.2", SLOW, slow))
        time.sleep(0.3)
        started = time.monotonic()
        status, headers, body = form_post_from(busy, "127.0.0.3", FAST)
        assert status == 503 and b"stayed busy" in body and time.monotonic() - started < 2
        assert 1 <= int(headers["retry-after"]) <= 3
        for t in threads:
            t.join()
        wait_until(lambda: busy.endpoint.pool.idle() == 1)  # the killed worker's replacement
        assert form_post_from(busy, "127.0.0.3", FAST)[0] == 200


def test_a_worker_stopped_from_two_threads_at_once_is_stopped_once(tmp_path: Path) -> None:
    """The pool's close and a request thread giving back a broken worker may stop one worker together: its
    connection is closed once, and neither thread raises."""
    from kg.serve.pool import _Worker

    worker = _Worker(build_store(tmp_path / "store"))
    errors: list[BaseException] = []

    def stop() -> None:
        try:
            worker.stop()
        except BaseException as err:  # noqa: BLE001 - any error is the failure
            errors.append(err)

    threads = [threading.Thread(target=stop) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert worker.stopped and worker.process.poll() is not None and worker.conn.closed
