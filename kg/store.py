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

import os
from datetime import date
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.dates import DateValue
from kg.errors import StoreError
from kg.resolution import KnownEvent, mint_iri, ref_iri, ref_of
from kg.vocab import CKG, ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES, RDF, SCHEMA, SPARQL_PREFIXES

DEFAULT_STORE = Path("kg-store")
ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "ckg.ttl"

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}


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

    def event_candidates(self, event_type: str, places: Sequence[str], *, exclude_article: str,
                         inside: bool = True) -> list[KnownEvent]:
        """Events of ``event_type`` at one of ``places`` (or, with ``inside``, within the first), told by other articles.

        Index lookups only (place -> events -> their types, dates and sides), so the cost is that of the events
        at those places, whatever the size of the store.
        """
        this = mint_iri("article", exclude_article)
        wanted = CKG.term(event_type)
        place_nodes = [ref_iri(p) for p in places]
        if inside and place_nodes:
            place_nodes += self._places_inside(place_nodes[0])
        out: dict[str, KnownEvent] = {}
        for place in place_nodes:
            told_by: dict[ox.NamedNode, set] = {}
            for quad in self.store.quads_for_pattern(None, CKG.place, place, None):
                told_by.setdefault(quad.subject, set()).add(quad.graph_name)
            for event, graphs in told_by.items():
                if graphs == {this} or not any(True for _ in self.store.quads_for_pattern(event, RDF.type, wanted, None)):
                    continue
                dates = {q.object.value for q in self.store.quads_for_pattern(event, CKG.date, None, None)}
                published = {date.fromisoformat(q.object.value[:10]) for g in graphs
                             for q in self.store.quads_for_pattern(g, SCHEMA.datePublished, None, g)}
                key = (ref_of(event.value) or "").partition("/")[2]
                out[key] = KnownEvent(key, event_type, ref_of(place.value),
                                      tuple(DateValue.parse(d) for d in sorted(dates)), frozenset(self._sides(event)),
                                      tuple(sorted(published)))
        return sorted(out.values(), key=lambda k: k.key)

    def _places_inside(self, place: ox.NamedNode) -> list[ox.NamedNode]:
        """Places within ``place`` (its neighbourhoods, their parts...)."""
        found: list[ox.NamedNode] = []
        todo = [place]
        while todo:
            for quad in self.store.quads_for_pattern(None, CKG.locatedIn, todo.pop(), ENTITIES_GRAPH):
                if quad.subject not in found:
                    found.append(quad.subject)
                    todo.append(quad.subject)
        return found

    def _sides(self, event: ox.NamedNode) -> set[str]:
        """Actor refs of an event's agents, targets and participants (people stand for their affiliation)."""
        sides: set[str] = set()
        for role in (CKG.agent, CKG.target, CKG.participant):
            for quad in self.store.quads_for_pattern(event, role, None, None):
                actor = next((q.object for q in self.store.quads_for_pattern(quad.object, CKG.affiliation, None, None)),
                             quad.object)
                if (ref := ref_of(actor.value)) is not None:
                    sides.add(ref)
        return sides

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
