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
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.dates import DateValue
from kg.errors import StoreError
from kg.iris import mint_iri, ref_of
from kg.control import ControlStatement
from kg.resolution import Claim, EntityClaim, FigureReport, Roles
from kg.vocab import (CANONICAL_GRAPH, CKG, ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES, RDF, RDFS, SCHEMA,
                      SKOS, SPARQL_PREFIXES)

DEFAULT_STORE = Path("kg-store")
ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "ckg.ttl"

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}


FLUSH_EVERY = 50_000
"""Quads written between two flushes of an on-disk store: unflushed, pyoxigraph's write buffers grow with every
article (by some 50 KB for a short one), and each write takes longer."""

_CLAIM_ROLES = (CKG.saysAgent, CKG.saysTarget, CKG.saysParticipant, CKG.saysClaimedBy, CKG.saysAccusedBy)


def default_store_path() -> Path:
    """The store used when none is named: ``$KG_STORE`` or ``./kg-store``."""
    return Path(os.environ.get("KG_STORE") or DEFAULT_STORE)


def _quad_text(quads: Iterable[ox.Quad]) -> str:
    """Quads as the body of an ``INSERT DATA`` block, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())


class GraphStore:
    """A pyoxigraph ``Store`` with the few operations the builder and readers need."""

    def __init__(self, store: ox.Store, path: Path | None) -> None:
        self.store = store
        self.path = path
        self.memory_overrides: list[list[str]] = []  # a store in memory keeps its overrides here, not in a file
        self.unflushed = 0  # quads written since the last flush to disk

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
        """
        if not ONTOLOGY_FILE.is_file():
            return
        parsed = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)
                            for t in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))
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
        written = [*quads, *shared]
        body = _quad_text(written)
        update = f"DROP SILENT GRAPH {graph} ;\n" + (f"INSERT DATA {{ {body} }}" if body else "")
        try:
            self.store.update(update)
            self.unflushed += len(written)
            if self.path is not None and self.unflushed >= FLUSH_EVERY:
                self.store.flush()
                self.unflushed = 0
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self.path or 'memory'}: cannot write to the store: {err}") from None

    def remove_graph(self, graph: ox.NamedNode) -> None:
        """Drop one named graph, if present."""
        self.store.update(f"DROP SILENT GRAPH {graph}")

    # --- reading

    def query(self, sparql: str, *, substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
              union: bool = True):
        """Run SPARQL over the union of all graphs, with ``substitutions`` bound by variable name."""
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        return self.store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union,
                                substitutions=subs or None)

    def article_hash(self, article_id: str) -> str | None:
        """The content hash stored for the article ``article_id``, or None when absent (an index lookup)."""
        article = mint_iri("article", article_id)
        for quad in self.store.quads_for_pattern(article, CKG.contentHash, None, article):
            return quad.object.value
        return None

    def article_hashes(self) -> list[str]:
        """The content hash of every article in the store."""
        return [q.object.value for q in self.store.quads_for_pattern(None, CKG.contentHash, None, None)
                if q.graph_name == q.subject != CANONICAL_GRAPH]

    def resolved_state(self) -> str | None:
        """The digest the canonical graph was last resolved from, or None."""
        for q in self.store.quads_for_pattern(CANONICAL_GRAPH, CKG.contentHash, None, CANONICAL_GRAPH):
            return q.object.value
        return None

    def claims(self) -> tuple[list[Claim], list[EntityClaim]]:
        """Every article's event claims and entity claims, as resolution reads them (index lookups per claim)."""
        articles: dict[ox.NamedNode, tuple[dt.date | None, str | None]] = {}

        def article(graph: ox.NamedNode) -> tuple[dt.date | None, str | None]:
            if graph not in articles:
                props = self._props(graph, graph)
                published = props.get(SCHEMA.datePublished)
                outlet = props.get(CKG.sourceOutlet)
                articles[graph] = (dt.date.fromisoformat(published[0].value[:10]) if published else None,
                                   outlet[0].value if outlet else None)
            return articles[graph]

        events: list[Claim] = []
        for quad in self.store.quads_for_pattern(None, RDF.type, CKG.EventClaim, None):
            node, graph = quad.subject, quad.graph_name
            props = self._props(node, graph)
            published, outlet = article(graph)
            refs = {p: tuple(sorted(r for o in props.get(p, ()) if (r := ref_of(o.value)))) for p in _CLAIM_ROLES}
            figures = tuple(self._figures(report, graph) for report in sorted(props.get(CKG.saysCasualties, ()), key=str))
            date = props.get(CKG.saysDate)
            place = props.get(CKG.saysPlace)
            events.append(Claim(
                ref_of(node.value), ref_of(graph.value), props[CKG.saysType][0].value.rsplit("#", 1)[1], published,
                outlet, DateValue.parse(date[0].value) if date else None, ref_of(place[0].value) if place else None,
                Roles(*(refs[p] for p in _CLAIM_ROLES)), tuple(sorted(ref_of(m.value) for m in props.get(CKG.readFrom, ()))), figures,
                CKG.changesHands in props))
        entities: list[EntityClaim] = []
        for quad in self.store.quads_for_pattern(None, RDF.type, CKG.EntityClaim, None):
            node, graph = quad.subject, quad.graph_name
            props = self._props(node, graph)
            name = props.get(CKG.saysName)
            container = props.get(CKG.saysContainer)
            affiliation = props.get(CKG.saysAffiliation)
            classes = tuple(sorted(c.value.rsplit("#", 1)[1] for c in props.get(CKG.saysClass, ())
                                   if c not in (CKG.Actor, CKG.Person, CKG.Place)))
            entities.append(EntityClaim(
                ref_of(node.value), ref_of(graph.value), props[CKG.saysKey][0].value, name[0].value if name else None,
                tuple(sorted(a.value for a in props.get(CKG.saysAlias, ()))), classes,
                ref_of(container[0].value) if container else None,
                ref_of(affiliation[0].value) if affiliation else None))
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
                ref_of(node.value), ref_of(graph.value), ref_of(props[CKG.saysPlace][0].value),
                ref_of(props[CKG.saysController][0].value), tuple(sorted(ref_of(m.value) for m in props.get(CKG.readFrom, ()))),
                DateValue.parse(observed[0].value) if observed else None,
                DateValue.parse(since[0].value) if since else None))
        return sorted(out, key=lambda c: c.ref)

    def _props(self, node: ox.NamedNode, graph: ox.NamedNode) -> dict[ox.NamedNode, list]:
        out: dict[ox.NamedNode, list] = {}
        for quad in self.store.quads_for_pattern(node, None, None, graph):
            out.setdefault(quad.predicate, []).append(quad.object)
        return out

    def _figures(self, report: ox.NamedNode, graph: ox.NamedNode) -> FigureReport:
        props = self._props(report, graph)

        def number(prop: ox.NamedNode) -> int | None:
            values = props.get(prop)
            return int(values[0].value) if values else None

        qualifier = props.get(CKG.qualifier)
        source = props.get(CKG.saysReportedBy)
        return FigureReport(ref_of(report.value), number(CKG.killed), number(CKG.civiliansKilled), number(CKG.injured),
                            qualifier[0].value if qualifier else "exact", ref_of(source[0].value) if source else None)

    def entity_names(self) -> tuple[dict[str, str], dict[str, set[str]]]:
        """(ref -> label, ref -> every name) of the reference entities (the entities graph)."""
        labels: dict[str, str] = {}
        names: dict[str, set[str]] = {}
        for prop in (RDFS.label, SKOS.altLabel):
            for quad in self.store.quads_for_pattern(None, prop, None, ENTITIES_GRAPH):
                if (ref := ref_of(quad.subject.value)) is not None:
                    names.setdefault(ref, set()).add(quad.object.value)
                    if prop == RDFS.label:
                        labels[ref] = quad.object.value
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

    def counts(self) -> dict[str, int]:
        """Counts of articles, actors, people, places, events by type, and quads."""
        out: dict[str, int] = {}
        for name, cls in (("articles", "Article"), ("actors", "Actor"), ("people", "Person"),
                          ("places", "Place"), ("events", "Event")):
            rows = self.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a/rdfs:subClassOf* ckg:{cls} }}")
            out[name] = int(next(iter(rows))["n"].value)
        rows = self.query("""SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t . ?t rdfs:subClassOf+ ckg:Event }
                             GROUP BY ?t ORDER BY ?t""")
        for row in rows:
            out["events." + row["t"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
        out["quads"] = len(self.store)
        return out

    def quads(self, *, ontology: bool = True) -> Iterator[ox.Quad]:
        """Every quad, the ontology graph's only when ``ontology``."""
        for q in self.store.quads_for_pattern(None, None, None, None):
            if ontology or q.graph_name != ONTOLOGY_GRAPH:
                yield q

    def dump(self, output, fmt: str, *, ontology: bool = True) -> None:
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


__all__ = ["GraphStore", "default_store_path", "EXPORT_FORMATS", "ENTITIES_GRAPH", "SPARQL_PREFIXES"]
