"""Running one query, in a worker process: check it, choose its dataset, run it, serialize the result within the
size limit. Every outcome is a Reply.

>>> store = ox.Store()
>>> run_job(store, Job("ASK {}", "json", None, 10)).body
b'{"head":{},"boolean":true}'
>>> run_job(store, Job("SELECT * { VALUES ?n { 1 2 3 } }", "csv", None, 2)).status
400
"""
from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any, cast

import pyoxigraph as ox

from kg.backend import Backend
from kg.serve.formats import FORMATS, OX_RESULTS, not_acceptable, serialize_graph
from kg.serve.guard import check_query, names_dataset
from kg.serve.messages import Reply, RequestError, one_line, text_reply
from kg.vocab import PREFIXES
from kg.xmltext import xml_bytes

TOO_LARGE = 400
"""The status of a result over the limit: the request must change (see :func:`too_large`)."""


@dataclass(frozen=True)
class Job:
    """A query for a worker: its text, the formats chosen for each kind of result, the size limit, and the dataset
    the request names (``default-graph-uri``, ``named-graph-uri``; both None: the query's own, or else the union
    of all graphs as the default graph and every graph as a named one)."""

    query: str
    results_format: str | None
    graph_format: str | None
    max_results: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


class _TooMany(Exception):
    """Raised from inside a serializer to stop it once the result is over the limit."""


class _LineCounter(io.BytesIO):
    """A byte buffer that stops the writer once more than ``limit`` lines were written."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.lines = 0

    def write(self, data: Any) -> int:
        data = bytes(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise _TooMany
        return super().write(data)


def too_large(what: str, limit: int) -> RequestError:
    """The refusal of a result of more than ``limit`` ``what`` (rows, triples), saying how to page through it.

    >>> print(too_large("rows", 100))
    the result has more than 100 rows, this endpoint's limit: page through it with LIMIT and OFFSET (LIMIT 100 \
OFFSET 0, then OFFSET 100, OFFSET 200...; with an ORDER BY, so the pages do not overlap), or narrow the query
    """
    return RequestError(TOO_LARGE, f"the result has more than {limit:,} {what}, this endpoint's limit: page through "
                                   f"it with LIMIT and OFFSET (LIMIT {limit} OFFSET 0, then OFFSET {limit}, OFFSET "
                                   f"{2 * limit}...; with an ORDER BY, so the pages do not overlap), or narrow the query")


def _solutions_body(solutions: ox.QuerySolutions, fmt: str, limit: int) -> bytes:
    """SELECT results in ``fmt``, or the refusal past ``limit`` rows.

    The rows are counted on TSV (one line per row, header first), which stops
    oxigraph as soon as the limit is passed; TSV round-trips losslessly into
    the other formats.
    """
    sink = _LineCounter(limit + 1)
    try:
        solutions.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except _TooMany:
        raise too_large("rows", limit) from None
    tsv = sink.getvalue()
    if fmt == "tsv":
        return tsv
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return cast(bytes, parsed.serialize(format=OX_RESULTS[fmt]))


def _triples_body(triples: Iterable[ox.Triple], fmt: str, limit: int) -> bytes:
    """CONSTRUCT/DESCRIBE triples in ``fmt``, or the refusal past ``limit`` triples."""
    kept = list(islice(triples, limit + 1))
    if len(kept) > limit:
        raise too_large("triples", limit)
    return serialize_graph(kept, fmt, PREFIXES)


def _result_reply(result: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple], job: Job) -> Reply:
    """Serialize a query result in the format the job chose for its kind (triples: pyoxigraph's QueryTriples, or
    those a SPARQL server answered)."""
    kind = "results" if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)) else "graph"
    key = job.graph_format if kind == "graph" else job.results_format
    if key is None:
        return text_reply(406, not_acceptable(kind))
    if not isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        body = _triples_body(result, key, job.max_results)
    elif isinstance(result, ox.QueryBoolean):
        body = xml_bytes(cast(bytes, result.serialize(format=OX_RESULTS[key])))
    else:
        body = _solutions_body(result, key, job.max_results)
        body = xml_bytes(body) if key == "xml" else body
    return Reply(200, FORMATS[key].content_type, body)


def dataset(job: Job) -> dict[str, Any]:
    """The keywords of ``Store.query`` that give ``job`` its dataset.

    The request's graphs win over the query's ``FROM`` (SPARQL 1.1 Protocol, 2.1.4); naming either kind leaves the
    other empty. With neither, a query with ``FROM`` has the dataset it names, and one without has the union of
    all graphs as its default graph.

    >>> dataset(Job("ASK {}", "json", None, 1, default_graphs=("http://example.org/g",)))["named_graphs"]
    []
    """
    if job.default_graphs is None and job.named_graphs is None:
        return {} if names_dataset(job.query) else {"use_default_graph_as_union": True}
    return {"default_graph": [ox.NamedNode(iri) for iri in job.default_graphs or ()],
            "named_graphs": [ox.NamedNode(iri) for iri in job.named_graphs or ()]}


def run_job(store: Backend, job: Job) -> Reply:
    """Check and run one query on ``store`` (embedded, or a client of a server: ``kg.backend``); every outcome
    becomes a Reply."""
    try:
        check_query(job.query)
        result = store.query(job.query, prefixes=PREFIXES, **dataset(job))
        return _result_reply(result, job)
    except RequestError as err:
        return text_reply(err.status, str(err))
    except SyntaxError as err:
        return text_reply(400, "malformed query: " + one_line(err))
    except Exception as err:  # an evaluation error: report it, keep the worker
        return text_reply(500, "query failed: " + one_line(err))


__all__ = ["TOO_LARGE", "Job", "dataset", "run_job", "too_large"]
