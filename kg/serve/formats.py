"""The serializations the endpoint answers with, and choosing one: Accept headers and ``format=`` names.

>>> [f.key for f in choose_formats("text/csv;q=0.9, text/turtle")]
['csv', 'turtle']
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox

from kg.serve.messages import RequestError
from kg.vocab import PREFIXES
from kg.xmltext import xml_bytes


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

OX_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
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


def serialize_graph(triples: Sequence[ox.Triple], fmt: str, prefixes: Mapping[str, str]) -> bytes:
    """``triples`` in graph format ``fmt``, declaring those of ``prefixes`` it uses; XML made safe."""
    used = None if fmt in ("ntriples", "nquads") else used_prefixes(triples, prefixes)
    body = cast(bytes, ox.serialize(triples, format=_OX_GRAPHS[fmt], prefixes=used))
    return xml_bytes(body) if fmt == "rdfxml" else body


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


__all__ = ["FORMATS", "GRAPH_FORMATS", "OX_RESULTS", "RESULT_FORMATS", "Format", "choose_formats", "negotiate",
           "not_acceptable", "parse_accept", "serialize_graph", "used_prefixes"]
