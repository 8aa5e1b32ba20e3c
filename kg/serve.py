"""SPARQL over HTTP: a read-only SPARQL 1.1 Protocol endpoint and a query page.

``serve(store)`` answers queries at ``/sparql`` (also ``/query``) by GET
``?query=``, form POST and POST ``application/sparql-query``, and serves a
YASGUI page at ``/`` (vendored in ``kg/static/yasgui``, nothing from a CDN)
that lists the named queries of ``queries/*.rq``. A query's default graph is
the union of all named graphs and the prefixes of ``kg.vocab.PREFIXES`` are
predeclared; ``default-graph-uri`` and ``named-graph-uri`` are ignored (use
``FROM`` / ``FROM NAMED`` in the query to narrow the dataset). A GET of
``/sparql`` with no query gives a SPARQL 1.1 Service Description.

What keeps it safe:

* Read-only: ``update=``, ``application/sparql-update`` bodies and update text
  sent as a query get 403.
* No outbound request, ever: ``SERVICE`` and ``LOAD`` get 400. The query is
  parsed with rdflib's SPARQL parser and the tree searched; text rdflib cannot
  parse is refused when the keyword appears outside strings, IRIs and comments.
* A time limit: pyoxigraph cannot cancel a query, so queries run in worker
  processes (``Store.read_only``); one that overruns is killed and replaced,
  and the client gets 503. Other clients keep being served.
* A result-size limit (rows or triples): over it the client gets 413, never a
  truncated body.
* Well-formed XML: characters XML 1.0 forbids become U+FFFD.
* The store lock: the server holds RocksDB's writer lock (an fcntl lock on the
  store's ``LOCK`` file) without opening the store for writing, so a ``kg
  build`` on the same store fails at once ("in use by another process")
  instead of changing what the workers read (a read-only open beside a writer
  is undefined behaviour). Nothing in the store directory changes while it is
  served. (A read-write ``pyoxigraph.Store(path)`` held "just for the lock"
  would not do: RocksDB compacts on open, rewriting and deleting data files.)

To update a served store, build into a new directory and swap::

    cp -a kg-store kg-store.new              # safe while serving: nothing writes kg-store
    kg build ARTICLES --store kg-store.new   # the server keeps serving kg-store
    # stop the server (Ctrl-C), then
    mv kg-store kg-store.old && mv kg-store.new kg-store
    kg serve --store kg-store

(Skip the copy to build a fresh store.) The lock is POSIX-only, like the project.
"""
from __future__ import annotations

import fcntl
import http.server
import io
import json
import logging
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from email.message import Message
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Self, cast
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.errors import QueryError, ServeError, StoreError
from kg.resources import resource, resource_dir
from kg.vocab import PREFIXES

log = logging.getLogger(__name__)

DEFAULT_WORKERS = min(8, max(4, os.cpu_count() or 1))
"""Worker processes by default: one per core, at least 4 so that a slow query leaves room for quick ones."""
MAX_QUERY_BYTES = 1_000_000
WORKER_START_SECONDS = 60.0

SD_NS = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"


class RequestError(QueryError):
    """A request the endpoint refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# --- formats and content negotiation


@dataclass(frozen=True)
class Format:
    """One serialization the endpoint answers with.

    ``kind`` is ``"results"`` (SELECT, ASK) or ``"graph"`` (CONSTRUCT, DESCRIBE);
    ``aliases`` are other media types that select it when named exactly.
    """

    key: str
    media_type: str
    kind: str
    sd_name: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The Content-Type header value."""
        return self.media_type + ("; charset=utf-8" if self.media_type.startswith("text/") else "")


RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", "results", "SPARQL_Results_JSON", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "results", "SPARQL_Results_XML", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "results", "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "results", "SPARQL_Results_TSV"),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", "graph", "Turtle", ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "graph", "N-Triples", ("text/plain",)),
    Format("jsonld", "application/ld+json", "graph", "JSON-LD", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", "graph", "RDF_XML", ("application/xml", "text/xml")),
    Format("nquads", "application/n-quads", "graph", "N-Quads"),
    Format("trig", "application/trig", "graph", "TriG"),
)
FORMATS = {f.key: f for f in RESULT_FORMATS + GRAPH_FORMATS}

_OX_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
               "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
_OX_GRAPHS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
              "rdfxml": ox.RdfFormat.RDF_XML, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}

# ?format= / ?output= names (SPARQLWrapper's among them) -> (results format, graph format)
_FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "n3": (None, "turtle"),
    "ntriples": (None, "ntriples"), "nt": (None, "ntriples"), "n-triples": (None, "ntriples"),
    "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdf": (None, "rdfxml"), "rdfxml": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"),
    "nquads": (None, "nquads"), "nq": (None, "nquads"), "trig": (None, "trig"),
}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their quality values.

    >>> parse_accept("text/csv;q=0.5, application/json")
    [('text/csv', 0.5), ('application/json', 1.0)]
    """
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        media = "*/*" if media == "*" else media.lower()
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(fmt: Format, ranges: Sequence[tuple[str, float]]) -> float:
    """How much ``ranges`` want ``fmt``: the q of the most specific range that matches it."""
    main_type = fmt.media_type.split("/")[0]
    best: tuple[int, float] | None = None
    for media, q in ranges:
        if media == fmt.media_type or media in fmt.aliases:
            rank = 3
        elif media == main_type + "/*":
            rank = 2
        elif media == "*/*":
            rank = 1
        else:
            continue
        if best is None or rank > best[0] or (rank == best[0] and q > best[1]):
            best = (rank, q)
    return best[1] if best else 0.0


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """The offer ``accept`` likes best (the earlier on a tie), or None when it admits none.

    >>> negotiate("text/csv, */*;q=0.1", RESULT_FORMATS).key
    'csv'
    >>> negotiate(None, GRAPH_FORMATS).key
    'turtle'
    >>> negotiate("text/html", RESULT_FORMATS) is None
    True
    """
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(offer, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def _named_format(value: str) -> tuple[str | None, str | None]:
    """The formats a ``format=`` value names: a short name or a media type."""
    name = value.strip().lower()
    if name in _FORMAT_NAMES:
        return _FORMAT_NAMES[name]
    for fmt in FORMATS.values():
        if name == fmt.media_type or name in fmt.aliases:
            return (fmt.key, None) if fmt.kind == "results" else (None, fmt.key)
    raise RequestError(400, f"unknown format {value!r}; expected one of {', '.join(sorted(_FORMAT_NAMES))} "
                            f"or a media type such as {RESULT_FORMATS[0].media_type}")


def choose_formats(accept: str | None, named: Sequence[str] = ()) -> tuple[Format | None, Format | None]:
    """The (results, graph) formats to answer with: ``named`` (``format=`` values) first, then Accept.

    >>> [f.key for f in choose_formats("text/turtle, application/sparql-results+xml")]
    ['xml', 'turtle']
    >>> [f.key for f in choose_formats(None, ["json"])]
    ['json', 'jsonld']
    """
    results, graph = negotiate(accept, RESULT_FORMATS), negotiate(accept, GRAPH_FORMATS)
    for value in named:
        if value.strip():
            results_key, graph_key = _named_format(value)
            return (FORMATS[results_key] if results_key else results, FORMATS[graph_key] if graph_key else graph)
    return results, graph


def not_acceptable(kind: str | None = None) -> str:
    """The 406 message: what the endpoint can give (for ``kind``, or for both kinds)."""
    parts = []
    if kind in (None, "results"):
        parts.append("SELECT/ASK results as " + ", ".join(f.media_type for f in RESULT_FORMATS))
    if kind in (None, "graph"):
        parts.append("CONSTRUCT/DESCRIBE graphs as " + ", ".join(f.media_type for f in GRAPH_FORMATS))
    return "no acceptable format: this endpoint gives " + "; ".join(parts)


# --- what a query may not do

_SKIPPED = re.compile("|".join([
    r"#[^\n\r]*",                                  # comment
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',             # long strings
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"(?:[^"\\\n\r]|\\.)*"',                    # short strings
    r"'(?:[^'\\\n\r]|\\.)*'",
    r'<[^<>"{}|^`\\\x00-\x20]*>',                 # IRIs
]), re.DOTALL)
_REFUSED_KEYWORD = re.compile(r"(?<![\w:?$@\-])(SERVICE|LOAD)(?![\w:\-])", re.IGNORECASE)

_SERVICE_REFUSED = "SERVICE is refused: this endpoint never sends requests to other endpoints"
_LOAD_REFUSED = "LOAD is refused: this endpoint never fetches remote data (and it is read-only)"
_READ_ONLY = ("this endpoint is read-only: SPARQL Update is not accepted; "
              "send a query (SELECT, ASK, CONSTRUCT, DESCRIBE)")


def _node_names(tree: object) -> set[str]:
    """The names of every rdflib ``CompValue`` in a parse tree."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, (ParseResults, list, tuple)):  # ParseResults registers as a Mapping: test it first
            stack.extend(node)
        elif isinstance(node, Mapping):
            stack.extend(node.values())
    return names


def _keywords_outside_literals(text: str) -> set[str]:
    """Which of SERVICE and LOAD appear as words outside comments, strings and IRIs.

    >>> sorted(_keywords_outside_literals('SELECT * { SERVICE <x#LOAD> { ?s ?p "LOAD" } } # LOAD'))
    ['SERVICE']
    """
    return {m.upper() for m in _REFUSED_KEYWORD.findall(_SKIPPED.sub(" ", text))}


def check_query(text: str) -> None:
    """Refuse what a read-only endpoint that makes no outbound request must not run.

    Raises:
        RequestError: 400 for SERVICE or LOAD, 403 for an update.

    >>> check_query('SELECT * { ?s ?p "SERVICE <http://example.org/>" } # SERVICE')
    >>> check_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.serve.RequestError: SERVICE is refused: this endpoint never sends requests to other endpoints
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        names = _node_names(parseQuery(text))
    except Exception:  # rdflib's parser raises several types; oxigraph gives the message that counts
        names = None
    if names is not None:  # the parse tree decides; the keyword check is a second lock on the same door
        if "ServiceGraphPattern" in names or "SERVICE" in _keywords_outside_literals(text):
            raise RequestError(400, _SERVICE_REFUSED)
        return
    try:
        names = _node_names(parseUpdate(text))
    except Exception:  # not an update either: fall back to a lexical check
        keywords = _keywords_outside_literals(text)
        if keywords:
            raise RequestError(400, _SERVICE_REFUSED if "SERVICE" in keywords else _LOAD_REFUSED) from None
        return
    raise RequestError(400, _LOAD_REFUSED) if "Load" in names else RequestError(403, _READ_ONLY)


_XML_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def xml_safe(data: bytes) -> bytes:
    """UTF-8 XML ``data`` with every character XML 1.0 forbids replaced by U+FFFD.

    >>> xml_safe(b"<a>x\\x01y</a>")
    b'<a>x\\xef\\xbf\\xbdy</a>'
    """
    return _XML_FORBIDDEN.sub("\ufffd".encode(), data)


def one_line(message: object, limit: int = 600) -> str:
    """``message`` on one line, cut at ``limit`` characters.

    >>> one_line("error at 1:5:\\n  expected  '}'")
    "error at 1:5: expected '}'"
    """
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- running a query (in a worker process)


@dataclass(frozen=True)
class Job:
    """A query for a worker, with the formats chosen for each kind of result."""

    query: str
    results_format: str | None
    graph_format: str | None
    max_results: int


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, content type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def text_reply(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    """A plain-text answer, usually an error."""
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode(), headers)


class _TooMany(Exception):
    """Raised from inside a serializer to stop it once the result is over the limit."""


class _LineCounter(io.BytesIO):
    """A byte buffer that stops the writer once more than ``limit`` lines were written."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.lines = 0

    def write(self, data: bytes) -> int:  # type: ignore[override]
        data = bytes(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise _TooMany
        return super().write(data)


def _too_many(what: str, limit: int) -> RequestError:
    return RequestError(413, f"the result has more than {limit:,} {what}, the server's limit; "
                             f"narrow the query or add a LIMIT")


def _solutions_body(solutions: ox.QuerySolutions, fmt: str, limit: int) -> bytes:
    """SELECT results in ``fmt``, or RequestError(413) past ``limit`` rows.

    The rows are counted on TSV (one line per row, header first), which stops
    oxigraph as soon as the limit is passed; TSV round-trips losslessly into
    the other formats.
    """
    sink = _LineCounter(limit + 1)
    try:
        solutions.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except _TooMany:
        raise _too_many("rows", limit) from None
    tsv = sink.getvalue()
    if fmt == "tsv":
        return tsv
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return cast(bytes, parsed.serialize(format=_OX_RESULTS[fmt]))


def _triples_body(triples: ox.QueryTriples, fmt: str, limit: int) -> bytes:
    """CONSTRUCT/DESCRIBE triples in ``fmt``, or RequestError(413) past ``limit`` triples."""
    kept = list(islice(triples, limit + 1))
    if len(kept) > limit:
        raise _too_many("triples", limit)
    return serialize_graph(kept, fmt, PREFIXES)


def serialize_graph(triples: Sequence[ox.Triple], fmt: str, prefixes: Mapping[str, str]) -> bytes:
    """``triples`` in graph format ``fmt``, declaring those of ``prefixes`` it uses; XML made safe."""
    used = None if fmt in ("ntriples", "nquads") else used_prefixes(triples, prefixes)
    body = cast(bytes, ox.serialize(triples, format=_OX_GRAPHS[fmt], prefixes=used))
    return xml_safe(body) if fmt == "rdfxml" else body


def used_prefixes(triples: Sequence[ox.Triple], prefixes: Mapping[str, str] = PREFIXES) -> dict[str, str]:
    """The entries of ``prefixes`` whose namespace some IRI of ``triples`` is in.

    >>> used_prefixes([ox.Triple(ox.NamedNode(PREFIXES["ckg"] + "e1"), ox.NamedNode(PREFIXES["rdf"] + "type"),
    ...                          ox.Literal("1", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))])
    {'ckg': 'https://w3id.org/conflict-kg/ontology#', 'rdf': 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', \
'xsd': 'http://www.w3.org/2001/XMLSchema#'}
    """
    iris = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {name: ns for name, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}


def _result_reply(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, job: Job) -> Reply:
    """Serialize a query result in the format the job chose for its kind."""
    kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
    key = job.graph_format if kind == "graph" else job.results_format
    if key is None:
        return text_reply(406, not_acceptable(kind))
    if isinstance(result, ox.QueryTriples):
        body = _triples_body(result, key, job.max_results)
    elif isinstance(result, ox.QueryBoolean):
        body = xml_safe(cast(bytes, result.serialize(format=_OX_RESULTS[key])))
    else:
        body = _solutions_body(result, key, job.max_results)
        body = xml_safe(body) if key == "xml" else body
    return Reply(200, FORMATS[key].content_type, body)


def run_job(store: ox.Store, job: Job) -> Reply:
    """Check and run one query on ``store``; every outcome becomes a Reply."""
    try:
        check_query(job.query)
        result = store.query(job.query, prefixes=PREFIXES, use_default_graph_as_union=True)
        return _result_reply(result, job)
    except RequestError as err:
        return text_reply(err.status, str(err))
    except SyntaxError as err:
        return text_reply(400, "malformed query: " + one_line(err))
    except Exception as err:  # an evaluation error: report it, keep the worker
        return text_reply(500, "query failed: " + one_line(err))


def _exit_with_parent(parent: int) -> None:
    """Exit this process when ``parent`` is gone (checked each second)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def worker_main(fd: int, store_path: str) -> None:
    """A worker process: open the store read-only, then answer Jobs on the connection ``fd``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(os.getppid())
    conn = Connection(fd)
    try:
        store = ox.Store.read_only(store_path)
    except OSError as err:
        conn.send(("error", f"{store_path}: cannot open the store read-only: {one_line(err)}"))
        return
    check_query("ASK {}")  # imports and warms up rdflib's parser before the first query
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(run_job(store, job))


# --- the pool of worker processes (in the server process)


class _Worker:
    """One worker process and our end of its connection."""

    def __init__(self, store_path: Path) -> None:
        ours, theirs = socket.socketpair()
        code = "import sys; from kg.serve import worker_main; worker_main(int(sys.argv[1]), sys.argv[2])"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH")) if p))
        try:
            self.process = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno()), str(store_path)],
                                            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self.process.pid

    def wait_ready(self, timeout: float) -> None:
        """Wait for the worker to open the store.

        Raises:
            StoreError: it could not, or took longer than ``timeout``.
        """
        if self.ready:
            return
        try:
            if not self.conn.poll(timeout):
                raise StoreError(f"a worker process did not start within {timeout:.0f} s")
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            raise StoreError("a worker process exited while starting") from None
        if status != "ready":
            raise StoreError(detail)
        self.ready = True

    def stop(self) -> None:
        """Kill the process, reap it and close the connection."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.warning("worker %d did not exit after SIGKILL", self.pid)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker processes; a request waits for a free one.

    A worker that overruns the time limit, or dies, is killed and replaced, so
    the pool always has ``size`` workers.
    """

    def __init__(self, store_path: Path, size: int) -> None:
        self.store_path = store_path
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has opened the store.

        Raises:
            StoreError: a worker cannot open the store.
        """
        started = [self._spawn() for _ in range(self.size)]
        try:
            for worker in started:
                worker.wait_ready(WORKER_START_SECONDS)
        except StoreError:
            self.close()
            raise
        for worker in started:
            self._idle.put(worker)

    def idle(self) -> int:
        """How many ready workers are waiting for a query."""
        return self._idle.qsize()

    def pids(self) -> list[int]:
        """The process ids of the current workers."""
        with self._lock:
            return sorted(w.pid for w in self._workers)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store_path)
        with self._lock:
            if not self._closed:
                self._workers.add(worker)
                return worker
        worker.stop()
        raise OSError("the worker pool is closed")

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()

    def _release(self, worker: _Worker, *, broken: bool) -> None:
        """Give the worker back, or start a fresh one in its place when it is ``broken``."""
        if broken:
            self._discard(worker)
            if not self._closed:
                threading.Thread(target=self._replace, args=(self._try_spawn(),), name="kg-serve-respawn",
                                 daemon=True).start()
        elif self._closed:
            self._discard(worker)
        else:
            self._idle.put(worker)

    def _try_spawn(self) -> _Worker | None:
        try:
            return self._spawn()
        except OSError as err:
            if not self._closed:
                log.error("cannot start a query worker: %s", err)
            return None

    def _replace(self, worker: _Worker | None, attempts: int = 3) -> None:
        """Queue ``worker`` once it is ready (start another if it fails), so requests only get ready workers."""
        for attempt in range(attempts):
            if worker is None:
                time.sleep(1.0 + attempt)
                worker = self._try_spawn()
            if self._closed:
                return
            if worker is None:
                continue
            try:
                worker.wait_ready(WORKER_START_SECONDS)
            except StoreError as err:
                self._discard(worker)
                worker = None
                if not self._closed:
                    log.error("a new query worker failed: %s", err)
                continue
            self._release(worker, broken=False)
            return
        if not self._closed:
            log.error("gave up replacing a query worker; %d left", len(self.pids()))

    def _take(self, wait: float) -> _Worker | None:
        """A live idle worker, replacing dead ones on the way; None after ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if worker.process.poll() is None:
                return worker
            log.error("query worker %d died while idle (exit status %s)", worker.pid, worker.process.returncode)
            self._release(worker, broken=True)

    def run(self, job: Job, *, timeout: float, wait: float) -> Reply:
        """Run ``job`` on a free worker within ``timeout`` seconds, waiting up to ``wait`` for one."""
        worker = self._take(wait)
        if worker is None:
            return text_reply(503, f"all {self.size} query workers stayed busy for {wait:.0f} s; try again later",
                              (("Retry-After", "5"),))
        broken = True
        try:
            if self._closed:
                return text_reply(503, "the server is shutting down")
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                log.warning("query stopped after %.1f s (worker %d killed): %s", timeout, worker.pid,
                            one_line(job.query, 200))
                return text_reply(503, f"query stopped: it ran longer than the server's time limit of {timeout:g} s; "
                                       f"narrow it or add a LIMIT")
            reply = worker.conn.recv()
            broken = False
            return reply
        except (EOFError, OSError) as err:
            if self._closed:
                return text_reply(503, "the server is shutting down")
            log.error("query worker %d failed: %s", worker.pid, err)
            return text_reply(500, "the query worker failed (it may have run out of memory); it has been replaced")
        finally:
            self._release(worker, broken=broken)

    def close(self) -> None:
        """Stop every worker, busy or not."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()


# --- named queries, static files


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name (the file stem), one-line summary and text."""

    name: str
    summary: str
    text: str


def _summary(text: str) -> str:
    """The first line of the leading ``#`` comment block."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        content = stripped.lstrip("#").strip()
        if content:
            return re.sub(r"^summary:\s*", "", content, flags=re.IGNORECASE)
    return ""


def named_queries(directory: Path | None = None) -> list[NamedQuery]:
    """The installed named queries (:func:`kg.queries.list_queries`), or those of ``directory``'s ``*.rq``."""
    if directory is None:
        from kg.queries import list_queries

        return [NamedQuery(q.name, q.summary, q.text) for q in list_queries()]
    files = sorted(directory.glob("*.rq")) if directory.is_dir() else []
    return [NamedQuery(p.stem, _summary(text), text) for p in files for text in [p.read_text(encoding="utf-8")]]


_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8",
}


def static_reply(relative: str) -> Reply:
    """A file under ``kg/static`` with its content type, or 404."""
    root = resource_dir("static").resolve()
    path = (root / relative.lstrip("/")).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return text_reply(404, f"not found: /static/{relative}")
    content_type = _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    if path.name == "LICENSE":
        content_type = _CONTENT_TYPES[".txt"]
    cache = "no-cache" if path.suffix == ".html" else "public, max-age=3600"
    return Reply(200, content_type, path.read_bytes(), (("Cache-Control", cache),))


# --- the endpoint: requests to replies, no sockets


@dataclass(frozen=True)
class Request:
    """What the endpoint needs of an HTTP request."""

    method: str
    path: str
    params: dict[str, list[str]]
    headers: Mapping[str, str] | Message
    body: bytes = b""
    host: str = "127.0.0.1"


@dataclass
class Endpoint:
    """Routes requests: ``/sparql`` and ``/query``, the page at ``/``, ``/queries.json``, ``/static/``.

    ``/queries.json`` gives the page ``{"prefixes": {name: iri}, "queries": [{name, summary, text}]}``.

    A query waits up to ``max(30, 2 * timeout)`` seconds for a free worker, then runs for at most ``timeout``.
    """

    pool: WorkerPool
    timeout: float = 30.0
    max_results: int = 100_000
    cors: bool = False
    queries_dir: Path | None = None
    routes: dict[str, str] = field(default_factory=lambda: {
        "/sparql": "sparql", "/query": "sparql", "/": "page", "/index.html": "page", "/queries.json": "queries"})

    def handle(self, request: Request) -> Reply:
        """Answer one request."""
        route = self.routes.get(request.path)
        if route is None and request.path.startswith("/static/"):
            route = "static"
        if route is None:
            return text_reply(404, f"not found: {request.path}; the SPARQL endpoint is /sparql, the query page /")
        if request.method == "OPTIONS":
            return Reply(204, "text/plain", b"", (("Allow", self._allow(route)),))
        if request.method not in self._allow(route).split(", "):
            return text_reply(405, f"{request.method} is not allowed here; use {self._allow(route)}",
                              (("Allow", self._allow(route)),))
        if route == "sparql":
            return self._sparql(request)
        if route == "queries":
            listing = {"prefixes": PREFIXES, "queries": [asdict(q) for q in named_queries(self.queries_dir)]}
            body = json.dumps(listing, ensure_ascii=False)
            return Reply(200, "application/json", body.encode(), (("Cache-Control", "no-cache"),))
        if route == "page":
            return static_reply("index.html")
        return static_reply(request.path.removeprefix("/static/"))

    @staticmethod
    def _allow(route: str) -> str:
        return "GET, HEAD, POST, OPTIONS" if route == "sparql" else "GET, HEAD, OPTIONS"

    def _sparql(self, request: Request) -> Reply:
        try:
            query, params = _read_query(request)
            results, graph = choose_formats(request.headers.get("Accept"),
                                            params.get("format", []) + params.get("output", []))
        except RequestError as err:
            return text_reply(err.status, str(err))
        if query is None:
            return self._service_description(request, graph)
        if results is None and graph is None:
            return text_reply(406, not_acceptable())
        job = Job(query, results.key if results else None, graph.key if graph else None, self.max_results)
        reply = self.pool.run(job, timeout=self.timeout, wait=max(30.0, 2 * self.timeout))
        return Reply(reply.status, reply.content_type, reply.body, (*reply.headers, ("Vary", "Accept")))

    def _service_description(self, request: Request, graph: Format | None) -> Reply:
        if graph is None:
            return text_reply(406, not_acceptable("graph"))
        url = f"http://{request.headers.get('Host') or request.host}{request.path}"
        try:
            triples = service_description(url, timeout=self.timeout, max_results=self.max_results)
        except ValueError:  # a Host header that makes no IRI
            triples = service_description(f"http://{request.host}{request.path}", timeout=self.timeout,
                                          max_results=self.max_results)
        body = serialize_graph(triples, graph.key, {"sd": SD_NS, "formats": FORMATS_NS, **PREFIXES})
        return Reply(200, graph.content_type, body, (("Vary", "Accept"),))


def _read_query(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    """The query text of a protocol request (None when it has none) and its parameters.

    Raises:
        RequestError: an update (403), an unsupported body (415), several queries (400).
    """
    params = dict(request.params)
    content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    query: str | None = None
    if request.method == "POST":
        if content_type == "application/sparql-update":
            raise RequestError(403, _READ_ONLY)
        if content_type == "application/sparql-query":
            query = _decode(request.body)
        elif content_type == "application/x-www-form-urlencoded":
            for name, values in parse_qs(_decode(request.body), keep_blank_values=True).items():
                params[name] = params.get(name, []) + values
        elif request.body:
            raise RequestError(415, f"unsupported Content-Type {content_type or '(none)'!r}; send "
                                    "application/sparql-query or application/x-www-form-urlencoded with query=")
    if "update" in params:
        raise RequestError(403, _READ_ONLY)
    if query is None and "query" in params:
        if len(params["query"]) != 1:
            raise RequestError(400, "expected exactly one query= parameter")
        query = params["query"][0]
    if query is not None and not query.strip():
        raise RequestError(400, "the query is empty")
    if query is None and request.method == "POST":
        raise RequestError(400, "no query: send query= (form) or an application/sparql-query body")
    return query, params


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError(400, "the request body is not UTF-8") from None


def service_description(endpoint: str, *, timeout: float, max_results: int) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of the endpoint at ``endpoint``.

    >>> len(service_description("http://127.0.0.1:7878/sparql", timeout=30, max_results=10)) > 10
    True
    """
    sd = SD_NS
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    a = ox.NamedNode(PREFIXES["rdf"] + "type")
    triples = [
        ox.Triple(service, a, ox.NamedNode(sd + "Service")),
        ox.Triple(service, ox.NamedNode(sd + "endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
        ox.Triple(service, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph")),
        ox.Triple(service, ox.NamedNode(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, a, ox.NamedNode(sd + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(sd + "defaultGraph"), default),
        ox.Triple(default, a, ox.NamedNode(sd + "Graph")),
        ox.Triple(service, ox.NamedNode(PREFIXES["rdfs"] + "comment"), ox.Literal(
            f"conflict-kg, read-only. The default graph is the union of all named graphs; the prefixes "
            f"{', '.join(sorted(PREFIXES))} are predeclared. SERVICE and LOAD are refused; a query may run "
            f"{timeout:g} s and return {max_results:,} rows or triples.")),
    ]
    triples += [ox.Triple(service, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(FORMATS_NS + f.sd_name))
                for f in RESULT_FORMATS + GRAPH_FORMATS]
    return triples


# --- HTTP


class _Handler(http.server.BaseHTTPRequestHandler):
    """Turns HTTP requests into ``Request`` objects for the server's Endpoint."""

    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "conflict-kg"
    timeout = 120  # seconds an idle keep-alive connection is kept

    def _handle(self) -> None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            return self._send(text_reply(411, "send the body with a Content-Length, not chunked"))
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            return self._send(text_reply(400, "bad Content-Length"))
        if int(length) > MAX_QUERY_BYTES:
            self.close_connection = True
            if int(length) <= 16 * MAX_QUERY_BYTES:  # read it, so the client sees the answer rather than a reset
                self._drain(int(length))
            return self._send(text_reply(413, f"the request body is over {MAX_QUERY_BYTES:,} bytes"))
        body = self.rfile.read(int(length)) if int(length) else b""
        url = urlsplit(self.path)
        request = Request(self.command, url.path, parse_qs(url.query, keep_blank_values=True), self.headers, body,
                          self.server.authority)
        try:
            reply = self.server.endpoint.handle(request)
        except Exception:
            log.exception("error answering %s %s", self.command, self.path)
            reply = text_reply(500, "internal error; see the server log")
        self._send(reply)

    do_GET = do_POST = do_HEAD = do_OPTIONS = do_PUT = do_DELETE = do_PATCH = _handle

    def _drain(self, length: int) -> None:
        """Read and drop ``length`` bytes of request body."""
        while length > 0:
            chunk = self.rfile.read(min(65536, length))
            if not chunk:
                return
            length -= len(chunk)

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in reply.headers + self.server.cors_headers(self.command):
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)


class SparqlServer(http.server.ThreadingHTTPServer):
    """The HTTP server: a thread per connection, queries in the worker pool.

    Holds the store's writer lock (see ``hold_lock``) until ``close()``.
    """

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], endpoint: Endpoint, lock: StoreLock | None = None) -> None:
        super().__init__(address, _Handler)
        self.endpoint = endpoint
        self.lock = lock
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

    def cors_headers(self, method: str) -> tuple[tuple[str, str], ...]:
        """The CORS headers for a response (none unless the server was made with ``cors=True``)."""
        if not self.endpoint.cors:
            return ()
        headers: tuple[tuple[str, str], ...] = (("Access-Control-Allow-Origin", "*"),)
        if method == "OPTIONS":
            headers += (("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
                        ("Access-Control-Allow-Headers", "Accept, Content-Type"), ("Access-Control-Max-Age", "86400"))
        return headers

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_HELD: set[Path] = set()  # stores this process serves: POSIX locks do not exclude their own process
_HELD_GUARD = threading.Lock()


@dataclass
class StoreLock:
    """RocksDB's own write lock on a store, held without opening the store for writing."""

    path: Path
    fd: int | None

    def release(self) -> None:
        """Let writers in again."""
        with _HELD_GUARD:
            if self.fd is not None:
                os.close(self.fd)  # closing the descriptor drops the fcntl lock
                self.fd = None
                _HELD.discard(self.path)


def hold_lock(store_path: Path) -> StoreLock:
    """Take the store's writer lock, as RocksDB does (an fcntl write lock on its ``LOCK`` file).

    A ``kg build`` (or any read-write open) then fails at once with "in use by
    another process", while read-only opens go on working. Opening the store
    read-write just to hold the lock would not do: RocksDB starts compacting on
    open, rewriting and deleting files under the read-only workers.

    Raises:
        StoreError: no store there, or another process (or server) holds it.
    """
    lock_file = store_path / "LOCK"
    if not store_path.is_dir() or not lock_file.is_file():
        raise StoreError(f"{store_path}: no store there; build one first with `kg build PATH --store {store_path}`")
    in_use = StoreError(f"{store_path}: the store is in use by another process (a running `kg build` or "
                        f"`kg serve`); stop it, or serve a copy")
    key = store_path.resolve()
    with _HELD_GUARD:
        if key in _HELD:
            raise in_use
        fd = os.open(lock_file, os.O_RDWR | os.O_CLOEXEC)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise in_use from None
        _HELD.add(key)
    return StoreLock(key, fd)


def make_server(store_path: Path, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
                max_results: int = 100_000, cors: bool = False, workers: int = DEFAULT_WORKERS,
                queries_dir: Path | None = None) -> SparqlServer:
    """A started-up but not yet serving server over the store at ``store_path``.

    Call ``start()`` (a thread) or ``serve_forever()``, and ``close()`` at the end.
    ``port=0`` picks a free port (read it back from ``server.url``).

    Raises:
        StoreError: no store there, or another process holds it.
        ServeError: bad settings, or the address cannot be bound.
        ResourceError: the query page is not installed.

    >>> import tempfile, urllib.request
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ox.Store(tmp).flush()  # an empty store, closed at once
    ...     with make_server(Path(tmp), port=0, workers=1) as server:
    ...         _ = server.start()
    ...         urllib.request.urlopen(server.url + "sparql?query=ASK%7B%7D").read()
    b'{"head":{},"boolean":true}'
    """
    if workers < 1 or timeout <= 0 or max_results < 1:
        raise ServeError(f"expected workers >= 1, timeout > 0 and max_results >= 1; got workers={workers}, "
                         f"timeout={timeout}, max_results={max_results}")
    resource("static", "index.html")  # a missing page fails here, not on the first visit
    store_path = Path(store_path)
    lock = hold_lock(store_path)
    pool = WorkerPool(store_path, workers)
    endpoint = Endpoint(pool, timeout=timeout, max_results=max_results, cors=cors, queries_dir=queries_dir)
    try:
        server = SparqlServer((host, port), endpoint, lock)
    except OSError as err:
        lock.release()
        raise ServeError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    try:
        pool.start()
    except BaseException:
        server.server_close()
        lock.release()
        raise
    return server


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(store_path: Path, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
          max_results: int = 100_000, cors: bool = False, workers: int = DEFAULT_WORKERS) -> None:
    """Serve the store at ``store_path`` over HTTP until interrupted (Ctrl-C or SIGTERM).

    Prints the URL on stderr. See the module docstring for what is served and refused.

    Raises:
        StoreError: no store there, or another process holds it.
        ServeError: bad settings, or the address cannot be bound.
    """
    server = make_server(store_path, host=host, port=port, timeout=timeout, max_results=max_results, cors=cors,
                         workers=workers)
    on_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if on_main else None
    print(f"kg: serving {store_path} at {server.url} (SPARQL endpoint {server.url}sparql, {workers} workers, "
          f"{timeout:g} s limit); Ctrl-C to stop", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if on_main:
            signal.signal(signal.SIGTERM, previous)


__all__ = [
    "DEFAULT_WORKERS", "GRAPH_FORMATS", "RESULT_FORMATS", "Endpoint", "Format", "Job", "NamedQuery", "Reply",
    "Request", "RequestError", "ServeError", "SparqlServer", "WorkerPool", "check_query", "choose_formats",
    "StoreLock", "hold_lock", "make_server", "named_queries", "negotiate", "run_job", "serve", "serialize_graph",
    "service_description", "used_prefixes", "worker_main", "xml_safe",
]
