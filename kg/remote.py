"""A store on a SPARQL server: ``--store http://HOST:PORT`` (``oxigraph serve``; Apache Jena Fuseki's
``http://HOST:3030/DATASET``).

:class:`RemoteStore` offers the part of pyoxigraph's ``Store`` that ``GraphStore`` uses (``kg.backend``), over
the SPARQL 1.1 Protocol alone: queries are POSTed to ``URL/query``, updates to ``URL/update``, on one kept-alive
connection. What it does as the embedded store does:

* The union default graph: a query asking for it sends Oxigraph's ``union-default-graph`` parameter (Fuseki
  ignores it: configure its dataset with ``unionDefaultGraph``).
* Bound values (``substitutions``) are a ``VALUES`` block at the start of the WHERE group, each term written by
  pyoxigraph's serialization (``kg.sparql_text``): never user text in the query.
* Each write is one SPARQL Update request, which the server applies as one transaction.
* Pattern look-ups (``quads_for_pattern``) are SELECT queries over the named graphs (conflict-kg writes no quad
  to the default graph).

What it cannot: keep blank-node labels (the server mints its own; only the ontology has blank nodes), or lock
the store against a second writer (the server is responsible for that).

>>> is_remote("http://127.0.0.1:7878"), is_remote("kg-store")
(True, False)
"""
from __future__ import annotations

import http.client
import re
import socket
import threading
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from kg.backend import GraphName, Object, Subject
from kg.errors import StoreError
from kg.sparql_text import bind_values, quad_text

SCHEMES = ("http://", "https://")
TIMEOUT = 600.0
"""Seconds to wait for the server's answer to one request."""
_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"
_FAILED = (OSError, http.client.HTTPException)
_ERROR_AT = re.compile(r"\berror at (\d+):")
"""Where Oxigraph's message on a query it cannot parse says the error is: ``error at LINE:COLUMN``."""


def is_remote(location: object) -> bool:
    """Whether a ``--store`` value names a SPARQL server (an ``http://`` or ``https://`` URL)."""
    return isinstance(location, str) and location.lower().startswith(SCHEMES)


class RemoteTriples:
    """The triples of a CONSTRUCT or DESCRIBE answered by the server."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.triples = triples

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self.triples)


class RemoteStore:
    """A client of the SPARQL server at ``url``; ``read_only`` refuses every update before sending it.

    It sends one request at a time on its connection (threads sharing it wait their turn).

    Raises:
        StoreError: ``url`` is no http(s) URL with a host, or the server cannot be reached or is no SPARQL
            endpoint (checked with ``ASK {}`` at once).
    """

    def __init__(self, url: str, *, read_only: bool = False, timeout: float = TIMEOUT) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise StoreError(f"{url}: expected the URL of a SPARQL server, such as http://127.0.0.1:7878")
        try:
            parts.port
        except ValueError:
            raise StoreError(f"{url}: the port is no number; expected a URL such as http://127.0.0.1:7878") from None
        self.url = url.rstrip("/")
        self.read_only = read_only
        self.timeout = timeout
        self._parts = parts
        self._base = parts.path.rstrip("/")
        self._conn: http.client.HTTPConnection | None = None
        self._turn = threading.Lock()
        self._copy: tuple[object, ox.Store] | None = None
        if not isinstance(self.query("ASK {}"), ox.QueryBoolean):
            raise StoreError(f"{self.url}: not a SPARQL endpoint (ASK {{}} at {self.url}/query gave no boolean)")

    # --- HTTP

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            kind = http.client.HTTPSConnection if self._parts.scheme == "https" else http.client.HTTPConnection
            self._conn = kind(self._parts.hostname or "", self._parts.port, timeout=self.timeout)
        return self._conn

    def _post(self, service: str, body: bytes, content_type: str, accept: str = "*/*") -> tuple[str, bytes]:
        """POST ``body`` to ``URL/service``; (content type, body) of a 2xx answer.

        A kept-alive connection the server has closed meanwhile is opened again once (every request this client
        sends may be sent twice: each is a query or an update that gives the same store when repeated, but for
        the ontology's blank nodes, which the next open puts right).

        Raises:
            StoreError: unreachable, no answer within the time limit, or an answer other than 2xx (with the
                server's message).
            SyntaxError: the server cannot parse a query (HTTP 400 from ``URL/query``).
        """
        with self._turn:
            return self._exchange(f"{self._base}/{service}", service, body,
                                  {"Content-Type": content_type, "Accept": accept})

    def _exchange(self, path: str, service: str, body: bytes, headers: dict[str, str]) -> tuple[str, bytes]:
        for attempt in (1, 2):
            fresh = self._conn is None
            conn = self._connection()
            try:
                conn.request("POST", path, body, headers)
                response = conn.getresponse()
                data = response.read()
                break
            except _FAILED as err:
                self._disconnect()
                if isinstance(err, (TimeoutError, socket.timeout)):
                    raise StoreError(f"{self.url}/{service}: no answer within {self.timeout:g} s") from None
                if fresh or attempt == 2:
                    raise StoreError(f"{self.url}: cannot reach the store server ({_reason(err)}); start it "
                                     f"(e.g. `oxigraph serve --location DIR --bind HOST:PORT`) or check --store") from None
        if response.getheader("Connection", "").lower() == "close":
            self._disconnect()
        if not 200 <= response.status < 300:
            message = " ".join(data.decode("utf-8", "replace").split())[:300] or response.reason
            if response.status == 400 and service == "query":
                raise SyntaxError(message)  # as pyoxigraph reports a query it cannot parse
            hint = " (not a SPARQL endpoint?)" if response.status in (404, 405) else ""
            raise StoreError(f"{self.url}/{service}: HTTP {response.status}{hint}: {message}")
        return (response.getheader("Content-Type") or "").split(";")[0].strip().lower(), data

    def close(self) -> None:
        """Close the connection (the next request opens another) and drop the copy of :meth:`copy`."""
        self._copy = None
        self._disconnect()

    def _disconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # --- the Store interface

    def query(self, query: str, *, prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False,
              default_graph: Any = None, named_graphs: Any = None,
              substitutions: dict[ox.Variable, Any] | None = None) -> ox.QuerySolutions | ox.QueryBoolean | RemoteTriples:
        """Run a SPARQL query on the server, with the keywords of ``pyoxigraph.Store.query``.

        Raises:
            SyntaxError: the server cannot parse it (HTTP 400).
            QueryError: a substitution cannot be bound (see ``kg.sparql_text``).
            StoreError: the server cannot be reached, answers an error, or answers no SPARQL result.
        """
        text = bind_values(query, {v.value: t for v, t in (substitutions or {}).items()})
        head = "".join(f"PREFIX {name}: <{ox.NamedNode(iri).value}>\n" for name, iri in (prefixes or {}).items())
        form: list[tuple[str, str]] = [("query", head + text)]
        defaults = [default_graph] if isinstance(default_graph, ox.NamedNode) else default_graph or []
        form += [("default-graph-uri", g.value) for g in defaults]
        form += [("named-graph-uri", g.value) for g in named_graphs or []]
        if use_default_graph_as_union:
            form.append(("union-default-graph", ""))
        try:
            kind, data = self._post("query", urlencode(form).encode(), "application/x-www-form-urlencoded",
                                    f"{_RESULTS}, {_TRIPLES}")
        except SyntaxError as err:  # its position counted in the query as given, as pyoxigraph's is
            lines = head.count("\n")
            raise SyntaxError(_ERROR_AT.sub(lambda m: f"error at {max(1, int(m[1]) - lines)}:", str(err), 1)) from None
        try:
            if kind == _RESULTS:
                return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
            if kind == _TRIPLES:
                return RemoteTriples(list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)))
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"{self.url}/query: not a SPARQL endpoint: its answer does not parse ({_reason(err)})") from None
        raise StoreError(f"{self.url}/query: not a SPARQL endpoint: it answered {kind or 'no content type'}, "
                         f"expected {_RESULTS} or {_TRIPLES}")

    def update(self, update: str) -> None:
        """Run a SPARQL update on the server, as one request (one transaction on the server).

        Raises:
            StoreError: the store was opened read-only, or the server refuses or fails the update.
        """
        if self.read_only:
            raise StoreError(f"{self.url}: opened read-only; no update is sent")
        self._post("update", update.encode("utf-8"), "application/sparql-update")

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add ``quads`` in one ``INSERT DATA`` request."""
        body = quad_text(quads)
        if body:
            self.update(f"INSERT DATA {{ {body} }}")

    def quads_for_pattern(self, subject: Subject | None, predicate: ox.NamedNode | None, object: Object | None,
                          graph_name: GraphName | None = None) -> Iterator[ox.Quad]:
        """The quads matching the pattern (None matches anything; no graph: any named graph), read in one query
        when called (not when first iterated, as pyoxigraph's are).

        Raises:
            StoreError: a term is a blank node (a server has its own labels), or the query fails.
        """
        bound = {name: term for name, term in (("s", subject), ("p", predicate), ("o", object), ("g", graph_name))
                 if term is not None and not isinstance(term, ox.DefaultGraph)}
        for name, term in bound.items():
            if not isinstance(term, (ox.NamedNode, ox.Literal)):
                raise StoreError(f"{self.url}: cannot look up a {type(term).__name__} by pattern (a server renames them)")
        in_default = isinstance(graph_name, ox.DefaultGraph)
        pattern = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }" if in_default else \
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        rows = self.query(pattern, substitutions={ox.Variable(k): v for k, v in bound.items()})
        assert isinstance(rows, ox.QuerySolutions)
        return iter([ox.Quad(row["s"], row["p"], row["o"], ox.DefaultGraph() if in_default else row["g"])
                     for row in rows])

    def copy(self, select: str, *, key: object, prefixes: dict[str, str] | None = None,
             substitutions: dict[ox.Variable, Any] | None = None) -> ox.Store:
        """The quads a query selects (as ``?s ?p ?o ?g``) in a store in memory, fetched in one request; the copy
        is kept, and given again, while ``key`` is the same (for many look-ups that would each be a request)."""
        if self._copy is None or self._copy[0] != key:
            rows = self.query(select, prefixes=prefixes, substitutions=substitutions)
            assert isinstance(rows, ox.QuerySolutions)
            copy = ox.Store()
            copy.extend(ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows)
            self._copy = (key, copy)
        return self._copy[1]

    def flush(self) -> None:
        """Nothing to do: the server writes each update before it answers."""

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(iter(rows))["n"].value)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None)


def _reason(err: BaseException) -> str:
    """An error's message, on one line."""
    return " ".join((getattr(err, "strerror", None) or str(err) or type(err).__name__).split())


__all__ = ["RemoteStore", "RemoteTriples", "is_remote"]
