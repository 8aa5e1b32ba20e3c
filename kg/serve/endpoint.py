"""The endpoint: HTTP requests to replies, no sockets. ``/sparql`` and ``/query`` answer the SPARQL 1.1
Protocol (GET ``?query=``, form POST, POST ``application/sparql-query``; a GET with no query gives the Service
Description, and a browser's visit the SPARQL query page), ``/`` is the explorer, ``/queries.json`` the named queries
the pages read, ``/static/`` their files.

A request may name its dataset with ``default-graph-uri`` and ``named-graph-uri`` (repeated for more graphs):
the default graph is then the merge of the first and the named graphs are the second, whatever the query's
``FROM`` says (an empty value counts as none given). Without them, the query's ``FROM`` / ``FROM NAMED`` decide,
and a query naming none has the union of all graphs as its default graph.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox

from kg.serve.formats import GRAPH_FORMATS, RESULT_FORMATS, Format, choose_formats, not_acceptable, serialize_graph
from kg.serve.guard import READ_ONLY
from kg.serve.messages import Reply, Request, RequestError, text_reply
from kg.serve.pages import query_listing, sparql_page, static_reply, wants_page
from kg.serve.pool import DEFAULT_QUEUE_WAIT, WorkerPool
from kg.serve.running import Job
from kg.vocab import PREFIXES

SD_NS = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")


@dataclass
class Endpoint:
    """Routes requests: ``/sparql`` and ``/query``, the page at ``/``, ``/queries.json``, ``/static/``.

    ``/queries.json`` gives the page ``{"prefixes": {name: iri}, "queries": [{name, summary, text}]}``.

    A query waits up to ``queue_wait`` seconds for a free worker (then 503 with ``Retry-After``), then runs for
    at most ``timeout``.
    """

    pool: WorkerPool
    timeout: float = 30.0
    max_results: int = 100_000
    queries_dir: Path | None = None
    queue_wait: float = DEFAULT_QUEUE_WAIT
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
            return sparql_page() if wants_page(request) else self._sparql(request)
        if route == "queries":
            return query_listing(self.queries_dir)
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
            default_graphs, named_graphs = dataset_graphs(params)
        except RequestError as err:
            return text_reply(err.status, str(err))
        if query is None:
            return self._service_description(request, graph)
        if results is None and graph is None:
            return text_reply(406, not_acceptable())
        job = Job(query, results.key if results else None, graph.key if graph else None, self.max_results,
                  default_graphs, named_graphs)
        reply = self.pool.run(job, timeout=self.timeout, wait=self.queue_wait, client=request.client)
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
            raise RequestError(403, READ_ONLY)
        if content_type == "application/sparql-query":
            query = _decode(request.body)
        elif content_type == "application/x-www-form-urlencoded":
            for name, values in parse_qs(_decode(request.body), keep_blank_values=True).items():
                params[name] = params.get(name, []) + values
        elif request.body:
            raise RequestError(415, f"unsupported Content-Type {content_type or '(none)'!r}; send "
                                    "application/sparql-query or application/x-www-form-urlencoded with query=")
    if "update" in params:
        raise RequestError(403, READ_ONLY)
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


def dataset_graphs(params: dict[str, list[str]]) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The (default, named) graph IRIs a request's ``default-graph-uri`` and ``named-graph-uri`` give; (None, None)
    when it gives neither, and an empty tuple for the kind it leaves out when it gives the other.

    Raises:
        RequestError: 400 for a value that is not an absolute IRI.

    >>> dataset_graphs({"named-graph-uri": ["http://example.org/a"], "default-graph-uri": [""]})
    ((), ('http://example.org/a',))
    >>> dataset_graphs({"query": ["ASK {}"]})
    (None, None)
    """
    given = {name: [v.strip() for v in params.get(name, []) if v.strip()] for name in DATASET_PARAMETERS}
    for name, values in given.items():
        for value in values:
            try:
                ox.NamedNode(value)
            except ValueError:
                raise RequestError(400, f"{name}: expected the absolute IRI of a graph, got {value!r}") from None
    if not any(given.values()):
        return None, None
    return tuple(given["default-graph-uri"]), tuple(given["named-graph-uri"])


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
            f"conflict-kg, read-only. The default graph is the union of all named graphs, unless the query (FROM, "
            f"FROM NAMED) or the request (default-graph-uri, named-graph-uri, which win) names a dataset; the "
            f"prefixes {', '.join(sorted(PREFIXES))} are predeclared. SERVICE and LOAD are refused; a query may "
            f"run {timeout:g} s and return {max_results:,} rows or triples (page through more with LIMIT and "
            f"OFFSET).")),
    ]
    triples += [ox.Triple(service, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(FORMATS_NS + f.sd_name))
                for f in RESULT_FORMATS + GRAPH_FORMATS]
    return triples


__all__ = ["Endpoint", "dataset_graphs", "service_description"]
