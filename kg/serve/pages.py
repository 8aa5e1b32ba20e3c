"""The pages: the files under ``kg/static`` (the explorer at ``/``, YASGUI at ``/sparql`` for a browser, and the
libraries both use, vendored in the package: nothing from a CDN) and the listing of the named queries they read
(``/queries.json``), read with ``kg.queries``.
"""
from __future__ import annotations

import json
from pathlib import Path

from kg.errors import QueryError
from kg.queries import list_queries
from kg.resources import resource_dir
from kg.serve.formats import parse_accept
from kg.serve.messages import Reply, Request, text_reply
from kg.vocab import PREFIXES

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8", ".geojson": "application/geo+json",
}
_HTML = ("text/html", "application/xhtml+xml")


def static_reply(relative: str) -> Reply:
    """A file under ``kg/static`` with its content type, or 404."""
    root = resource_dir("static").resolve()
    try:
        path = (root / relative.lstrip("/")).resolve()
        found = path.is_relative_to(root) and path.is_file()
    except (OSError, ValueError):  # a name too long, a NUL byte: no such file
        found = False
    if not found:
        return text_reply(404, f"not found: /static/{relative}")
    content_type = _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    if path.name == "LICENSE":
        content_type = _CONTENT_TYPES[".txt"]
    cache = "no-cache" if path.suffix == ".html" else "public, max-age=3600"
    return Reply(200, content_type, path.read_bytes(), (("Cache-Control", cache),))


def wants_page(request: Request) -> bool:
    """Whether a request to the SPARQL endpoint is a browser's visit to ``/sparql``: a GET or HEAD with no parameters
    whose Accept names HTML. Protocol requests (a query, a dataset, a format), clients asking for RDF and ``/query``
    get the endpoint.

    >>> browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    >>> wants_page(Request("GET", "/sparql", {}, {"Accept": browser}))
    True
    >>> wants_page(Request("GET", "/sparql", {"query": ["ASK {}"]}, {"Accept": browser}))
    False
    >>> wants_page(Request("GET", "/sparql", {}, {"Accept": "text/turtle, */*;q=0.1"}))
    False
    """
    if request.path != "/sparql" or request.method not in ("GET", "HEAD") or request.params:
        return False
    return any(media in _HTML and q > 0 for media, q in parse_accept(request.headers.get("Accept") or ""))


def sparql_page() -> Reply:
    """The SPARQL query page (YASGUI), as ``/sparql`` gives it to a browser; it varies with Accept."""
    reply = static_reply("sparql.html")
    return Reply(reply.status, reply.content_type, reply.body, (*reply.headers, ("Vary", "Accept")))


def query_listing(directory: Path | None = None) -> Reply:
    """``{"prefixes": {name: iri}, "queries": [{name, summary, text}]}`` of the named queries (those of ``directory``
    when given), for the page; 500 when a query file is broken.

    >>> listing = json.loads(query_listing().body)
    >>> listing["prefixes"]["ckg"], listing["queries"][0]["name"]
    ('https://w3id.org/conflict-kg/ontology#', 'actors')
    """
    try:
        queries = [{"name": q.name, "summary": q.summary, "text": q.text} for q in list_queries(directory)]
    except QueryError as err:
        return text_reply(500, f"cannot list the named queries: {err}")
    body = json.dumps({"prefixes": PREFIXES, "queries": queries}, ensure_ascii=False)
    return Reply(200, "application/json", body.encode(), (("Cache-Control", "no-cache"),))


__all__ = ["query_listing", "sparql_page", "static_reply", "wants_page"]
