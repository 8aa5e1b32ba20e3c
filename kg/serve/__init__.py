"""SPARQL over HTTP: a read-only SPARQL 1.1 Protocol endpoint and a query page.

``serve(store)`` answers queries at ``/sparql`` (also ``/query``) by GET
``?query=``, form POST and POST ``application/sparql-query``, and serves an
explorer at ``/`` (map, timeline and network of the events, read through
the endpoint with named queries) and, to a browser visiting ``/sparql``, a
YASGUI page that lists the named queries of ``queries/*.rq``; their
libraries are vendored in ``kg/static``, nothing comes from a CDN. A query's default graph is
the union of all named graphs, unless the query names its dataset (``FROM``,
``FROM NAMED``) or the request does (``default-graph-uri``,
``named-graph-uri``, which win over the query's); the prefixes of
``kg.vocab.PREFIXES`` are predeclared. A GET of ``/sparql`` with no query gives
a SPARQL 1.1 Service Description.

What keeps it safe:

* Read-only: ``update=``, ``application/sparql-update`` bodies and update text
  sent as a query get 403.
* No outbound request, ever: ``SERVICE`` and ``LOAD`` get 400, and so does a
  query the guard cannot prove free of them (``kg.guard``, ``guard``); the
  workers cannot open internet sockets anyway (``sandbox``).
* Only its own names in ``Host``, no cross-site requests unless ``--cors``
  lets the origin in (``hosts``).
* Slow queries cannot take every worker or core from quick ones; a request
  that finds no worker in time gets 503 with ``Retry-After`` (``pool``).
* A time limit: pyoxigraph cannot cancel a query, so queries run in worker
  processes (``pool``); one that overruns is killed and replaced, and the client
  gets 503. Other clients keep being served.
* A result-size limit (rows or triples): over it the client gets 400 with a
  message saying how to page through the result with LIMIT and OFFSET, never a
  truncated body (``running``).
* Well-formed XML: characters XML 1.0 forbids become U+FFFD.
* The store lock (``lock``): a ``kg build`` on a served store fails at once, and
  nothing in the store directory changes while it is served.
* A store on a SPARQL server (``serve("http://HOST:PORT")``, see ``kg.remote``):
  the workers forward queries to it through read-only clients, which send no
  update; they need the network for that, so there the guard alone keeps
  ``SERVICE`` and ``LOAD`` out, and the server, not a lock, keeps writers off.

To update a served store, build into a new directory and swap::

    cp -a kg-store kg-store.new              # safe while serving: nothing writes kg-store
    kg build ARTICLES --store kg-store.new   # the server keeps serving kg-store
    # stop the server (Ctrl-C), then
    mv kg-store kg-store.old && mv kg-store.new kg-store
    kg serve --store kg-store

(Skip the copy to build a fresh store.)

The modules, along a request: ``server`` (HTTP, the access log of
``access_log``, the Host and Origin checks of ``hosts``) -> ``endpoint`` (routes, protocol parameters, service
description; the page's files and listing in ``pages``) -> ``formats``
(content negotiation) -> ``pool`` (worker processes) -> ``running`` (one query
in a worker, checked by ``guard``); ``messages`` holds the records they pass.
"""
from __future__ import annotations

from kg.errors import ServeError
from kg.queries import NamedQuery
from kg.queries import list_queries as named_queries
from kg.serve.access_log import AccessLog
from kg.serve.endpoint import Endpoint, dataset_graphs, service_description
from kg.serve.formats import GRAPH_FORMATS, RESULT_FORMATS, Format, choose_formats, negotiate, serialize_graph, used_prefixes
from kg.serve.guard import check_query
from kg.serve.lock import StoreLock, hold_lock
from kg.serve.messages import Reply, Request, RequestError
from kg.serve.pages import query_listing, static_reply
from kg.serve.pool import DEFAULT_WORKERS, WorkerPool, worker_main
from kg.serve.running import Job, run_job
from kg.serve.server import SparqlServer, make_server, serve
from kg.xmltext import xml_bytes as xml_safe

__all__ = [
    "DEFAULT_WORKERS", "GRAPH_FORMATS", "RESULT_FORMATS", "AccessLog", "Endpoint", "Format", "Job", "NamedQuery",
    "Reply", "Request", "RequestError", "ServeError", "SparqlServer", "StoreLock", "WorkerPool", "check_query",
    "choose_formats", "dataset_graphs", "hold_lock", "make_server", "named_queries", "negotiate", "query_listing",
    "run_job", "serialize_graph", "serve", "service_description", "static_reply", "used_prefixes", "worker_main",
    "xml_safe",
]
