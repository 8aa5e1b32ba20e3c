"""HTTP: a thread per connection, requests handed to the Endpoint, the store locked while served, and the
process run until Ctrl-C or SIGTERM.
"""
from __future__ import annotations

import http.server
import logging
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, urlsplit

from kg.errors import ServeError
from kg.remote import is_remote
from kg.resources import resource
from kg.serve.access_log import AccessLog
from kg.serve.endpoint import Endpoint
from kg.serve.lock import StoreLock, hold_lock
from kg.serve.messages import Reply, Request, text_reply
from kg.serve.hosts import Gate, origin_of
from kg.serve.pool import DEFAULT_QUEUE_WAIT, DEFAULT_SLOW_PER_CLIENT, DEFAULT_WORKERS, WorkerPool

log = logging.getLogger("kg.serve")

MAX_QUERY_BYTES = 1_000_000


class _Handler(http.server.BaseHTTPRequestHandler):
    """Turns HTTP requests into ``Request`` objects for the server's Endpoint."""

    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "conflict-kg"
    timeout = 120  # seconds an idle keep-alive connection is kept

    def _handle(self) -> None:
        refusal = self._refusal()
        if refusal is not None:
            self.close_connection = True  # the body, if any, is left unread
            return self._send(refusal)
        length = int(self.headers.get("Content-Length") or "0")
        if length > MAX_QUERY_BYTES:
            self.close_connection = True
            if length <= 16 * MAX_QUERY_BYTES:  # read it, so the client sees the answer rather than a reset
                self._drain(length)
            return self._send(text_reply(413, f"the request body is over {MAX_QUERY_BYTES:,} bytes"))
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        request = Request(self.command, url.path, parse_qs(url.query, keep_blank_values=True), self.headers, body,
                          self.server.authority, self.client_address[0])
        try:
            reply = self.server.endpoint.handle(request)
        except Exception:
            log.exception("error answering %s %s", self.command, self.path)
            reply = text_reply(500, "internal error; see the server log")
        self._send(reply)

    do_GET = do_POST = do_HEAD = do_OPTIONS = do_PUT = do_DELETE = do_PATCH = _handle

    def _refusal(self) -> Reply | None:
        """The answer to a request refused before it is read further: a target that is no URL path, a framing
        it cannot be read by (chunked, a Content-Length that is no number of bytes), or a Host or Origin that is
        not this server's (``hosts``)."""
        if not (self.path.isascii() and self.path.isprintable()):  # a NUL, a control or a non-ASCII byte
            return text_reply(400, "the request target holds a byte a URL may not (a control character or a "
                                   "byte over 127); percent-encode it")
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return text_reply(411, "send the body with a Content-Length, not chunked")
        lengths = {value.strip() for value in self.headers.get_all("Content-Length") or []}
        if len(lengths) > 1:
            return text_reply(400, "the request has Content-Length headers that disagree")
        length = lengths.pop() if lengths else "0"
        if not (length.isascii() and length.isdigit()):
            return text_reply(400, f"bad Content-Length {length[:40]!r}: expected the body's size in bytes, "
                                   f"a number such as 42")
        if len(length) > 18:  # past any body this server reads (and past what int() takes without complaint)
            return text_reply(413, f"the request body is over {MAX_QUERY_BYTES:,} bytes")
        return self.server.gate.refusal(self.command, self.headers, http11=self.request_version != "HTTP/1.0")

    def _drain(self, length: int) -> None:
        """Read and drop ``length`` bytes of request body."""
        while length > 0:
            chunk = self.rfile.read(min(65536, length))
            if not chunk:
                return
            length -= len(chunk)

    def parse_request(self) -> bool:
        self._started = time.monotonic()  # the request line is in: the answer's time starts
        return super().parse_request()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One access-log line (when the server keeps a log): after each answer, and for http.server's own errors."""
        if self.server.access_log is not None:
            started = getattr(self, "_started", None)
            self.server.access_log.write(self.address_string(), getattr(self, "requestline", ""), code, size,
                                         None if started is None else time.monotonic() - started)

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response_only(reply.status)  # send_response() less its log line, written once the body is out
            self.send_header("Server", self.version_string())
            self.send_header("Date", self.date_time_string())
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in reply.headers + self.server.gate.cors_headers(self.command, self.headers):
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        self.log_request(reply.status, len(reply.body) if self.command != "HEAD" else 0)

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)


class SparqlServer(http.server.ThreadingHTTPServer):
    """The HTTP server: a thread per connection, queries in the worker pool.

    Holds the store's writer lock (see ``hold_lock``) until ``close()``.
    """

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], endpoint: Endpoint, lock: StoreLock | None = None,
                 access_log: AccessLog | None = None, gate: Gate | None = None) -> None:
        super().__init__(address, _Handler)
        self.endpoint = endpoint
        self.gate = gate if gate is not None else Gate.make(address[0])
        self.lock = lock
        self.access_log = access_log
        self._thread: threading.Thread | None = None
        self._serving = threading.Event()

    @property
    def authority(self) -> str:
        """``host:port`` of the listening socket."""
        host, port = self.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    @property
    def url(self) -> str:
        """The server's base URL, e.g. ``http://127.0.0.1:7878/``."""
        return f"http://{self.authority}/"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until ``shutdown()`` or ``close()``."""
        self._serving.set()
        try:
            super().serve_forever(poll_interval)
        finally:
            self._serving.clear()

    def start(self) -> threading.Thread:
        """Serve from a daemon thread; returns it."""
        self._thread = threading.Thread(target=self.serve_forever, name="kg-serve", daemon=True)
        self._thread.start()
        return self._thread

    def close(self) -> None:
        """Stop serving, stop the workers, close the socket and release the store."""
        if self._serving.is_set():
            self.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.server_close()
        self.endpoint.pool.close()
        if self.lock is not None:
            self.lock.release()
        if self.access_log is not None:
            self.access_log.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_server(store_path: Path | str, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
                max_results: int = 100_000, cors: bool | Sequence[str] = (), workers: int = DEFAULT_WORKERS,
                queries_dir: Path | None = None, access_log: AccessLog | None = None,
                allowed_hosts: Sequence[str] = (), queue_wait: float = DEFAULT_QUEUE_WAIT,
                slow_per_client: int = DEFAULT_SLOW_PER_CLIENT) -> SparqlServer:
    """A started-up but not yet serving server over the store at ``store_path`` (a directory, or the URL of a
    SPARQL server whose store it forwards queries to, see ``kg.remote``; no store lock is taken on a server).

    Call ``start()`` (a thread) or ``serve_forever()``, and ``close()`` at the end (which closes ``access_log``
    too). ``port=0`` picks a free port (read it back from ``server.url``). ``workers`` is the most worker
    processes (see ``WorkerPool`` for ``queue_wait`` and ``slow_per_client``); ``allowed_hosts`` are more names
    for the Host header and ``cors`` the origins whose pages may query it (``"*"``: any; ``True`` is
    ``("*",)``), see ``kg.serve.hosts``.

    Raises:
        StoreError: no store there, or another process holds it.
        ServeError: bad settings, or the address cannot be bound.
        ResourceError: the query page is not installed.

    >>> import tempfile, urllib.request
    >>> import pyoxigraph as ox
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ox.Store(tmp).flush()  # an empty store, closed at once
    ...     with make_server(Path(tmp), port=0, workers=1) as server:
    ...         _ = server.start()
    ...         urllib.request.urlopen(server.url + "sparql?query=ASK%7B%7D").read()
    b'{"head":{},"boolean":true}'
    """
    if workers < 1 or timeout <= 0 or max_results < 1 or queue_wait <= 0 or slow_per_client < 1:
        raise ServeError(f"expected workers >= 1, timeout > 0, max_results >= 1, queue_wait > 0 and "
                         f"slow_per_client >= 1; got workers={workers}, timeout={timeout}, max_results={max_results}, "
                         f"queue_wait={queue_wait}, slow_per_client={slow_per_client}")
    origins = ("*",) if cors is True else () if cors is False else tuple(cors)
    bad = [o for o in origins if o != "*" and origin_of(o) is None]
    if bad:
        raise ServeError(f"--cors: expected an origin such as https://example.org (or *), got {bad[0]!r}")
    for page in ("index.html", "sparql.html"):  # a missing page fails here, not on the first visit
        resource("static", page)
    remote = is_remote(store_path)
    store_path = store_path if remote else Path(store_path)
    lock = None if remote else hold_lock(Path(store_path))  # a server keeps its own store safe
    pool = WorkerPool(store_path, workers, slow_per_client=slow_per_client)
    endpoint = Endpoint(pool, timeout=timeout, max_results=max_results, queries_dir=queries_dir,
                        queue_wait=queue_wait)
    gate = Gate.make(host, allowed_hosts=allowed_hosts, cors=origins)
    try:
        server = SparqlServer((host, port), endpoint, lock, access_log, gate)
    except OSError as err:
        if lock is not None:
            lock.release()
        raise ServeError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    try:
        pool.start()
    except BaseException:
        server.server_close()
        if lock is not None:
            lock.release()
        raise
    return server


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(store_path: Path | str, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
          max_results: int = 100_000, cors: bool | Sequence[str] = (), workers: int = DEFAULT_WORKERS,
          access_log: str | Path | None = None, allowed_hosts: Sequence[str] = (),
          queue_wait: float = DEFAULT_QUEUE_WAIT, slow_per_client: int = DEFAULT_SLOW_PER_CLIENT) -> None:
    """Serve the store at ``store_path`` over HTTP until interrupted (Ctrl-C or SIGTERM).

    Prints the URL on stderr. ``access_log`` is a file to append a line per request to (``-``: stderr). See
    ``kg.serve`` for what is served and refused.

    Raises:
        StoreError: no store there, or another process holds it.
        ServeError: bad settings, the address cannot be bound, or the access log cannot be written.
    """
    log_file = AccessLog.open(access_log) if access_log is not None else None
    try:
        server = make_server(store_path, host=host, port=port, timeout=timeout, max_results=max_results, cors=cors,
                             workers=workers, access_log=log_file, allowed_hosts=allowed_hosts,
                             queue_wait=queue_wait, slow_per_client=slow_per_client)
    except BaseException:
        if log_file is not None:
            log_file.close()
        raise
    on_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if on_main else None
    print(f"kg: serving {store_path} at {server.url} (SPARQL endpoint {server.url}sparql, up to {workers} workers, "
          f"{timeout:g} s limit); Ctrl-C to stop", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if on_main:
            signal.signal(signal.SIGTERM, previous)


__all__ = ["MAX_QUERY_BYTES", "SparqlServer", "make_server", "serve"]
