"""The embedded Oxigraph store: open it, replace an article's graph, query, count, dump.

One named graph per article holds what was read from it; canonical entities
live in their own graph (``vocab.ENTITIES_GRAPH``) and the ontology in
another. Replacing an article is one SPARQL update, so one transaction: a
build that is interrupted leaves every article either fully in or absent.

>>> store = GraphStore.open(None)
>>> store.article_hash("a1") is None
True
"""
from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from kg.dates import DateValue
from kg.errors import ResourceError, StoreError
from kg.iris import mint_iri, ref_of
from kg.control import ControlStatement
from kg.resolution import Claim, EntityClaim, FigureReport, Roles
from kg.resources import resource
from kg.vocab import (CANONICAL_GRAPH, CKG, ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES, RDF, RDFS, SCHEMA,
                      SKOS, SPARQL_PREFIXES)

DEFAULT_STORE = Path("kg-store")

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}


_CLAIM_ROLES = (CKG.saysAgent, CKG.saysTarget, CKG.saysParticipant, CKG.saysClaimedBy, CKG.saysAccusedBy)


@functools.cache
def internal_query(name: str) -> str:
    """The text of ``queries/internal/NAME.rq``: a query the package runs itself, which ``kg queries`` does not list.

    Raises:
        ResourceError: it is not installed, or cannot be read.

    >>> internal_query("label").splitlines()[0]
    '# The rdfs:label of a node (the first in order, when it has several).'
    """
    path = resource("queries", f"internal/{name}.rq")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ResourceError(f"{path}: cannot read the query: {getattr(err, 'strerror', None) or err}") from None


@dataclass(frozen=True, eq=False)
class Stats(Mapping[str, int]):
    """What a graph holds: distinct articles, actors (people included), people, places and events, the events
    of each event class, and quads.

    It reads as the mapping of counts it replaces: ``stats["events"]``, ``stats["events.AirStrike"]``.

    >>> stats = Stats(5, 32, 15, 32, 22, (("AirStrike", 3), ("Battle", 4)), 2767)
    >>> stats["events.Battle"], dict(stats)["quads"]
    (4, 2767)
    """

    articles: int
    actors: int
    people: int
    places: int
    events: int
    events_by_type: tuple[tuple[str, int], ...]
    quads: int

    def _counts(self) -> dict[str, int]:
        head = {"articles": self.articles, "actors": self.actors, "people": self.people, "places": self.places,
                "events": self.events}
        return {**head, **{f"events.{name}": n for name, n in self.events_by_type}, "quads": self.quads}

    def __getitem__(self, key: str) -> int:
        return self._counts()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts())

    def __len__(self) -> int:
        return len(self._counts())

    def as_json(self) -> dict[str, object]:
        """The counts as a JSON object, the events by type as an object of their own.

        >>> Stats(1, 2, 0, 3, 1, (("Battle", 1),), 99).as_json()["events_by_type"]
        {'Battle': 1}
        """
        return {"articles": self.articles, "actors": self.actors, "people": self.people, "places": self.places,
                "events": self.events, "events_by_type": dict(self.events_by_type), "quads": self.quads}


_Node = ox.NamedNode | ox.BlankNode | ox.Triple | ox.DefaultGraph
"""A quad's subject or graph name."""
_Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""A quad's object."""


def _lexical(term: object) -> str:
    """The value of an IRI, a blank node or a literal.

    Raises:
        StoreError: ``term`` is none of them (an RDF 1.2 triple term, the default graph).
    """
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term.value
    raise StoreError(f"expected an IRI or a literal in the store, got {term}")


def _ref(term: object) -> str:
    """The ``kind/key`` ref of an IRI conflict-kg minted.

    Raises:
        StoreError: ``term`` is not such an IRI.
    """
    ref = ref_of(_lexical(term))
    if ref is None:
        raise StoreError(f"expected an IRI conflict-kg minted in the store, got {term}")
    return ref


def default_store_path() -> Path:
    """The store used when none is named: ``$KG_STORE`` or ``./kg-store``."""
    return Path(os.environ.get("KG_STORE") or DEFAULT_STORE)


def _quad_text(quads: Iterable[ox.Quad]) -> str:
    """Quads as the body of an ``INSERT DATA`` block, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())


def _ontology_triples() -> list[ox.Triple]:
    """The triples of the installed ``ontology/ckg.ttl``."""
    path = resource("ontology", "ckg.ttl")
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as err:
        raise ResourceError(f"{path}: cannot read it as Turtle: {' '.join(str(err).split())}") from None


class GraphStore:
    """A pyoxigraph ``Store`` with the few operations the builder and readers need."""

    def __init__(self, store: ox.Store, path: Path | None) -> None:
        self.store = store
        self.path = path
        self.memory_overrides: list[list[str]] = []  # a store in memory keeps its overrides here, not in a file

    @classmethod
    def open(cls, path: Path | str | None, *, read_only: bool = False) -> GraphStore:
        """Open (or create) the store at ``path``; ``None`` gives an in-memory store.

        Raises:
            StoreError: the path is a file, or another process holds the store.
        """
        if path is None:
            return cls._with_ontology(ox.Store(), None)
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: is a file, not a store directory; name a directory with --store")
        if read_only and not path.is_dir():
            raise StoreError(f"{path}: no store there; build one first with `kg build PATH --store {path}`")
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except (OSError, RuntimeError) as err:  # RuntimeError: not a store, or a corrupt one
            if "lock" in str(err).lower():
                raise StoreError(f"{path}: the store is in use by another process (a running `kg build` or "
                                 f"`kg serve`); stop it or build into another directory with --store") from None
            raise StoreError(f"{path}: cannot open the store: {err}") from None
        return cls(store, path) if read_only else cls._with_ontology(store, path)

    @classmethod
    def _with_ontology(cls, store: ox.Store, path: Path | None) -> GraphStore:
        graph = cls(store, path)
        graph.load_ontology()
        return graph

    def load_ontology(self) -> None:
        """(Re)load ``ontology/ckg.ttl`` into the ontology graph when the graph differs from the file.

        Blank nodes get canonical ids and are written with ``extend`` (an
        ``INSERT DATA`` would mint new ones each time), so the same file gives
        the same quads in every store and an unchanged ontology is never
        rewritten. A changed one is dropped, then added (each step is one
        transaction; if interrupted between, the next open loads it again).

        Raises:
            ResourceError: the file is not installed, or is not valid Turtle.
        """
        parsed = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)
                            for t in _ontology_triples())
        parsed.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        quads = set(parsed)
        current = set(self.store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
        if current != quads:
            if current:
                self.store.update(f"DROP SILENT GRAPH {ONTOLOGY_GRAPH}")
            self.store.extend(quads)

    def close(self) -> None:
        """Flush and release the store (the lock goes with the object)."""
        if self.path is not None:
            try:
                self.store.flush()
            except (OSError, RuntimeError):  # a read-only store has nothing to flush
                pass
        del self.store

    # --- writing

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad], shared: Iterable[ox.Quad] = ()) -> None:
        """Replace ``graph`` with ``quads`` and add ``shared`` quads (other graphs), in one transaction."""
        body = _quad_text([*quads, *shared])
        update = f"DROP SILENT GRAPH {graph} ;\n" + (f"INSERT DATA {{ {body} }}" if body else "")
        try:
            self.store.update(update)
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self.path or 'memory'}: cannot write to the store: {err}") from None

    def remove_graph(self, graph: ox.NamedNode) -> None:
        """Drop one named graph, if present."""
        self.store.update(f"DROP SILENT GRAPH {graph}")

    # --- reading

    def query(self, sparql: str, *, substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
              union: bool = True) -> Any:
        """Run SPARQL over the union of all graphs, with ``substitutions`` bound by variable name.

        Returns pyoxigraph's QuerySolutions (iterate it for rows), QueryBoolean or QueryTriples.
        """
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (substitutions or {}).items()}
        return self.store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union,
                                substitutions=subs or None)

    def article_hash(self, article_id: str) -> str | None:
        """The content hash stored for the article ``article_id``, or None when absent (an index lookup)."""
        article = mint_iri("article", article_id)
        for quad in self.store.quads_for_pattern(article, CKG.contentHash, None, article):
            return _lexical(quad.object)
        return None

    def article_hashes(self) -> list[str]:
        """The content hash of every article in the store."""
        return [_lexical(q.object) for q in self.store.quads_for_pattern(None, CKG.contentHash, None, None)
                if q.graph_name == q.subject != CANONICAL_GRAPH]

    def resolved_state(self) -> str | None:
        """The digest the canonical graph was last resolved from, or None."""
        for q in self.store.quads_for_pattern(CANONICAL_GRAPH, CKG.contentHash, None, CANONICAL_GRAPH):
            return _lexical(q.object)
        return None

    def claims(self) -> tuple[list[Claim], list[EntityClaim]]:
        """Every article's event claims and entity claims, as resolution reads them (index lookups per claim)."""
        articles: dict[_Node, tuple[dt.date | None, str | None]] = {}

        def article(graph: _Node) -> tuple[dt.date | None, str | None]:
            if graph not in articles:
                props = self._props(graph, graph)
                published = props.get(SCHEMA.datePublished)
                outlet = props.get(CKG.sourceOutlet)
                articles[graph] = (dt.date.fromisoformat(_lexical(published[0])[:10]) if published else None,
                                   _lexical(outlet[0]) if outlet else None)
            return articles[graph]

        events: list[Claim] = []
        for quad in self.store.quads_for_pattern(None, RDF.type, CKG.EventClaim, None):
            node, graph = quad.subject, quad.graph_name
            props = self._props(node, graph)
            published, outlet = article(graph)
            refs = {p: tuple(sorted(r for o in props.get(p, ()) if (r := ref_of(_lexical(o))))) for p in _CLAIM_ROLES}
            figures = tuple(self._figures(report, graph) for report in sorted(props.get(CKG.saysCasualties, ()), key=str))
            date = props.get(CKG.saysDate)
            place = props.get(CKG.saysPlace)
            events.append(Claim(
                _ref(node), _ref(graph), _lexical(props[CKG.saysType][0]).rsplit("#", 1)[1], published,
                outlet, DateValue.parse(_lexical(date[0])) if date else None, _ref(place[0]) if place else None,
                Roles(*(refs[p] for p in _CLAIM_ROLES)), tuple(sorted(_ref(m) for m in props.get(CKG.readFrom, ()))),
                figures, CKG.changesHands in props))
        entities: list[EntityClaim] = []
        for quad in self.store.quads_for_pattern(None, RDF.type, CKG.EntityClaim, None):
            node, graph = quad.subject, quad.graph_name
            props = self._props(node, graph)
            name = props.get(CKG.saysName)
            container = props.get(CKG.saysContainer)
            affiliation = props.get(CKG.saysAffiliation)
            classes = tuple(sorted(_lexical(c).rsplit("#", 1)[1] for c in props.get(CKG.saysClass, ())
                                   if c not in (CKG.Actor, CKG.Person, CKG.Place)))
            entities.append(EntityClaim(
                _ref(node), _ref(graph), _lexical(props[CKG.saysKey][0]), _lexical(name[0]) if name else None,
                tuple(sorted(_lexical(a) for a in props.get(CKG.saysAlias, ()))), classes,
                _ref(container[0]) if container else None, _ref(affiliation[0]) if affiliation else None))
        events.sort(key=lambda c: c.ref)
        entities.sort(key=lambda c: c.ref)
        return events, entities

    def control_claims(self) -> list[ControlStatement]:
        """Every article's statements of who holds a place."""
        out = []
        for quad in self.store.quads_for_pattern(None, RDF.type, CKG.ControlClaim, None):
            node, graph = quad.subject, quad.graph_name
            props = self._props(node, graph)
            observed, since = props.get(CKG.saysDate), props.get(CKG.saysSince)
            out.append(ControlStatement(
                _ref(node), _ref(graph), _ref(props[CKG.saysPlace][0]), _ref(props[CKG.saysController][0]),
                tuple(sorted(_ref(m) for m in props.get(CKG.readFrom, ()))),
                DateValue.parse(_lexical(observed[0])) if observed else None,
                DateValue.parse(_lexical(since[0])) if since else None))
        return sorted(out, key=lambda c: c.ref)

    def _props(self, node: _Node, graph: _Node) -> dict[ox.NamedNode, list[_Object]]:
        out: dict[ox.NamedNode, list[_Object]] = {}
        for quad in self.store.quads_for_pattern(node, None, None, graph):  # type: ignore[arg-type]
            out.setdefault(quad.predicate, []).append(quad.object)
        return out

    def _figures(self, report: _Object, graph: _Node) -> FigureReport:
        props = self._props(report, graph)  # type: ignore[arg-type]

        def number(prop: ox.NamedNode) -> int | None:
            values = props.get(prop)
            return int(_lexical(values[0])) if values else None

        qualifier = props.get(CKG.qualifier)
        source = props.get(CKG.saysReportedBy)
        return FigureReport(_ref(report), number(CKG.killed), number(CKG.civiliansKilled), number(CKG.injured),
                            _lexical(qualifier[0]) if qualifier else "exact", _ref(source[0]) if source else None)

    def entity_names(self) -> tuple[dict[str, str], dict[str, set[str]]]:
        """(ref -> label, ref -> every name) of the reference entities (the entities graph)."""
        labels: dict[str, str] = {}
        names: dict[str, set[str]] = {}
        for prop in (RDFS.label, SKOS.altLabel):
            for quad in self.store.quads_for_pattern(None, prop, None, ENTITIES_GRAPH):
                if (ref := ref_of(_lexical(quad.subject))) is not None:
                    names.setdefault(ref, set()).add(_lexical(quad.object))
                    if prop == RDFS.label:
                        labels[ref] = _lexical(quad.object)
        return labels, names

    def holds(self, quad: ox.Quad, graph: ox.NamedNode) -> bool:
        """Whether ``graph`` holds the triple of ``quad``."""
        return any(True for _ in self.store.quads_for_pattern(quad.subject, quad.predicate, quad.object, graph))

    def sync_graph(self, graph: ox.NamedNode, quads: set[ox.Quad]) -> int:
        """Make ``graph`` hold exactly ``quads``, in one transaction writing only the difference; returns its size."""
        current = set(self.store.quads_for_pattern(None, None, None, graph))
        gone, new = current - quads, quads - current
        if not gone and not new:
            return 0
        parts = []
        if gone:
            parts.append(f"DELETE DATA {{ {_quad_text(gone)} }}")
        if new:
            parts.append(f"INSERT DATA {{ {_quad_text(new)} }}")
        try:
            self.store.update(" ;\n".join(parts))
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self.path or 'memory'}: cannot write to the store: {err}") from None
        return len(gone) + len(new)

    def counts(self) -> Stats:
        """Counts of articles, actors, people, places, events by type, and quads.

        >>> GraphStore.open(None).counts().events
        0
        """
        (row,) = self.query(internal_query("class_counts"))
        count = {name: int(_lexical(row[name])) for name in ("articles", "actors", "people", "places", "events")}
        by_type = tuple((_lexical(row["t"]).rsplit("#", 1)[-1], int(_lexical(row["n"])))
                        for row in self.query(internal_query("event_type_counts")))
        return Stats(count["articles"], count["actors"], count["people"], count["places"], count["events"], by_type,
                     len(self.store))

    def quads(self, *, ontology: bool = True) -> Iterator[ox.Quad]:
        """Every quad, the ontology graph's only when ``ontology``."""
        for q in self.store.quads_for_pattern(None, None, None, None):
            if ontology or q.graph_name != ONTOLOGY_GRAPH:
                yield q

    def dump(self, output: str | Path | BinaryIO, fmt: str, *, ontology: bool = True) -> None:
        """Write the graph to ``output`` (path or binary file) in ``fmt`` (a key of EXPORT_FORMATS).

        Formats without named graphs (turtle, ntriples) get the union of all graphs.
        """
        rdf_format = EXPORT_FORMATS[fmt]
        if rdf_format.supports_datasets:
            quads = sorted(self.quads(ontology=ontology), key=str) if fmt == "nquads" else self.quads(ontology=ontology)
            ox.serialize(quads, output, rdf_format, prefixes=None if fmt == "nquads" else PREFIXES)
        else:
            triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self.quads(ontology=ontology)}
            ox.serialize(sorted(triples, key=str), output, rdf_format, prefixes=PREFIXES)


__all__ = ["GraphStore", "Stats", "default_store_path", "internal_query", "EXPORT_FORMATS", "ENTITIES_GRAPH", "SPARQL_PREFIXES"]
