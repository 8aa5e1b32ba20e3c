"""The store: open it, replace an article's graph, query, count, dump.

The store is an embedded Oxigraph store in a directory, or in memory, or a SPARQL server named by its URL
(``--store http://HOST:PORT``, see ``kg.remote``); ``GraphStore`` works the same on each.

One named graph per article holds what was read from it; canonical entities
live in their own graph (``vocab.ENTITIES_GRAPH``) and the ontology in
another. Replacing an article is one SPARQL update, so one transaction: a
build that is interrupted leaves every article either fully in or absent.

>>> store = GraphStore.open(None)
>>> store.article_hash("a1") is None
True
"""
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from kg.backend import Backend
from kg.control import ControlStatement
from kg.errors import ResourceError, StoreError, one_line
from kg.iris import mint_iri
from kg.remote import RemoteStore, is_remote
from kg.resolution import Claim, EntityClaim
from kg.resources import resource
from kg.sparql_text import quad_text, variable
from kg.stored_claims import control_claims, entity_names, event_and_entity_claims, stored_overrides, term_value
from kg.vocab import CANONICAL_GRAPH, CKG, ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SPARQL_PREFIXES

DEFAULT_STORE = Path("kg-store")

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}


FLUSH_EVERY = 50_000
"""Quads written between two flushes of an on-disk store: unflushed, pyoxigraph's write buffers grow with every
article (by some 50 KB for a short one), and each write takes longer."""


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


def store_location(value: str | Path) -> Path | str:
    """A ``--store`` value as the store it names: the URL of a SPARQL server as it is, else a directory.

    >>> store_location("http://127.0.0.1:7878"), store_location("kg-store")
    ('http://127.0.0.1:7878', PosixPath('kg-store'))
    """
    return value if is_remote(value) else Path(value)


def default_store_path() -> Path | str:
    """The store used when none is named: ``$KG_STORE`` (a directory or a server's URL) or ``./kg-store``."""
    return store_location(os.environ.get("KG_STORE") or DEFAULT_STORE)


def canonical_labels(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """``quads`` with their blank nodes labelled canonically: the same labels for the same graph, wherever stored.

    >>> b, p = ox.BlankNode("server-label"), ox.NamedNode("http://example.org/p")
    >>> canonical_labels([ox.Quad(b, p, ox.Literal("x"))]) == canonical_labels([ox.Quad(ox.BlankNode(), p, ox.Literal("x"))])
    True
    """
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _ontology_triples() -> list[ox.Triple]:
    """The triples of the installed ``ontology/ckg.ttl``."""
    path = resource("ontology", "ckg.ttl")
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as err:
        raise ResourceError(f"{path}: cannot read it as Turtle: {' '.join(str(err).split())}") from None


def _open_directory(path: Path, read_only: bool) -> ox.Store:
    """The embedded store in the directory ``path`` (made, with its parents, when it is to be written).

    Raises:
        StoreError: the path is a file, there is no store to read, or another process holds it.
    """
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store directory; name a directory with --store")
    if read_only and not path.is_dir():
        raise StoreError(f"{path}: no store there; build one first with `kg build PATH --store {path}`")
    try:
        if not read_only:
            path.mkdir(parents=True, exist_ok=True)
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as err:  # RuntimeError: not a store, or a corrupt one
        if "lock" in str(err).lower():
            raise StoreError(f"{path}: the store is in use by another process (a running `kg build` or "
                             f"`kg serve`); stop it or build into another directory with --store") from None
        raise StoreError(f"{path}: cannot open the store: {one_line(err)}") from None


class GraphStore:
    """A store (pyoxigraph's, or a server's: see ``kg.backend``) with the few operations the builder and readers
    need. ``path`` is its directory (None in memory or on a server), ``url`` the server's (None otherwise)."""

    def __init__(self, store: Backend, path: Path | None, *, url: str | None = None) -> None:
        self.store = store
        self.path = path
        self.url = url
        self.memory_overrides: list[list[str]] = []  # a store in memory keeps its overrides here, not in a file
        self.unflushed = 0  # quads written since the last flush to disk

    @property
    def where(self) -> str:
        """The store's directory, or its server's URL, or ``memory``: for messages."""
        return self.url or str(self.path or "memory")

    @classmethod
    def open(cls, path: Path | str | None, *, read_only: bool = False) -> GraphStore:
        """Open (or create) the store at ``path``; ``None`` gives an in-memory store, an ``http(s)://`` URL the
        store on that SPARQL server (see ``kg.remote``).

        Raises:
            StoreError: the path is a file, another process holds the store, or the server cannot be used.
        """
        if path is None:
            return cls._with_ontology(ox.Store(), None)
        if is_remote(path):
            remote = RemoteStore(str(path), read_only=read_only)
            graph = cls(remote, None, url=remote.url)
            if not read_only:
                graph.load_ontology()
            return graph
        path = Path(path)
        store = _open_directory(path, read_only)
        return cls(store, path) if read_only else cls._with_ontology(store, path)

    @classmethod
    def _with_ontology(cls, store: Backend, path: Path | None) -> GraphStore:
        graph = cls(store, path)
        graph.load_ontology()
        return graph

    def load_ontology(self) -> None:
        """(Re)load ``ontology/ckg.ttl`` into the ontology graph when the graph differs from the file.

        Blank nodes get canonical ids and are written with ``extend`` (an
        ``INSERT DATA`` would mint new ones each time), so the same file gives
        the same quads in every embedded store; a server mints its own labels,
        so the graphs are compared with canonical labels, and an unchanged
        ontology is never rewritten. A changed one is dropped, then added (each
        step is one transaction; if interrupted between, the next open loads it
        again).

        Raises:
            ResourceError: the file is not installed, or is not valid Turtle.
        """
        quads = canonical_labels(ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in _ontology_triples())
        current = canonical_labels(self.store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
        if current != quads:
            if current:
                self.store.update(f"DROP SILENT GRAPH {ONTOLOGY_GRAPH}")
            self.store.extend(quads)

    def close(self) -> None:
        """Flush and release the store (the lock goes with the object; a server's connection is closed)."""
        if isinstance(self.store, RemoteStore):
            self.store.close()
        elif self.path is not None:
            try:
                self.store.flush()
            except (OSError, RuntimeError):  # a read-only store has nothing to flush
                pass
        del self.store

    # --- writing

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad], shared: Iterable[ox.Quad] = ()) -> None:
        """Replace ``graph`` with ``quads`` and add ``shared`` quads (other graphs), in one transaction.

        A graph the embedded store does not hold yet (a new article) is written by ``extend``, which is one
        transaction too and costs half a SPARQL update (no text to write and parse, nothing to drop). A server
        gets one update either way: asking it whether the graph is there would cost a request.
        """
        written = [*quads, *shared]
        try:
            if not isinstance(self.store, RemoteStore) and not self._holds_graph(graph):
                self.store.extend(written)
            else:
                body = quad_text(written)
                self.store.update(f"DROP SILENT GRAPH {graph} ;\n" + (f"INSERT DATA {{ {body} }}" if body else ""))
            self.unflushed += len(written)
            if self.path is not None and self.unflushed >= FLUSH_EVERY:
                self.store.flush()
                self.unflushed = 0
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self.where}: cannot write to the store: {err}") from None

    def _holds_graph(self, graph: ox.NamedNode) -> bool:
        """Whether ``graph`` holds any quad (an index lookup)."""
        return next(iter(self.store.quads_for_pattern(None, None, None, graph)), None) is not None

    def remove_graph(self, graph: ox.NamedNode) -> None:
        """Drop one named graph, if present."""
        self.store.update(f"DROP SILENT GRAPH {graph}")

    # --- reading

    def query(self, sparql: str, *, substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
              union: bool = True) -> Any:
        """Run SPARQL over the union of all graphs, with ``substitutions`` bound by variable name.

        Returns pyoxigraph's QuerySolutions (iterate it for rows), QueryBoolean or QueryTriples (a server's
        triples: an iterable of them).

        Raises:
            QueryError: a name of ``substitutions`` is no SPARQL variable name.
        """
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            variable(k): v for k, v in (substitutions or {}).items()}
        return self.store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union,
                                substitutions=subs or None)

    def article_hash(self, article_id: str) -> str | None:
        """The content hash stored for the article ``article_id``, or None when absent (an index lookup)."""
        article = mint_iri("article", article_id)
        for quad in self.store.quads_for_pattern(article, CKG.contentHash, None, article):
            return term_value(quad.object)
        return None

    def article_hashes(self) -> list[str]:
        """The content hash of every article in the store."""
        return [term_value(q.object) for q in self.store.quads_for_pattern(None, CKG.contentHash, None, None)
                if q.graph_name == q.subject != CANONICAL_GRAPH]

    def resolved_state(self) -> str | None:
        """The digest the canonical graph was last resolved from, or None."""
        for q in self.store.quads_for_pattern(CANONICAL_GRAPH, CKG.contentHash, None, CANONICAL_GRAPH):
            return term_value(q.object)
        return None

    def _claim_source(self) -> Backend:
        """Where the claims are read from: the store, or for a store on a server a copy in memory of its article
        graphs (one request, where reading the claims makes one per claim), kept while the articles' content
        hashes stay the same."""
        if not isinstance(self.store, RemoteStore):
            return self.store
        return self.store.copy(internal_query("article_quads"), key=tuple(sorted(self.article_hashes())),
                               prefixes=PREFIXES, substitutions={ox.Variable("canonical"): CANONICAL_GRAPH})

    def claims(self) -> tuple[list[Claim], list[EntityClaim]]:
        """Every article's event claims and entity claims, as resolution reads them (see ``kg.stored_claims``)."""
        return event_and_entity_claims(self._claim_source())

    def control_claims(self) -> list[ControlStatement]:
        """Every article's statements of who holds a place."""
        return control_claims(self._claim_source())

    def entity_names(self) -> tuple[dict[str, str], dict[str, set[str]]]:
        """(ref -> label, ref -> every name) of the reference entities (the entities graph)."""
        return entity_names(self.store)

    def stored_overrides(self) -> list[list[str]]:
        """The overrides the curation graph holds, as the lines of ``curation.tsv`` (see ``kg.curation``)."""
        return stored_overrides(self.store)

    def graph_triples(self, graph: ox.NamedNode) -> set[ox.Triple]:
        """The triples of ``graph`` (one read of it, where :meth:`holds` is one per triple)."""
        return {q.triple for q in self.store.quads_for_pattern(None, None, None, graph)}

    def sync_graph(self, graph: ox.NamedNode, quads: set[ox.Quad]) -> int:
        """Make ``graph`` hold exactly ``quads``, in one transaction writing only the difference; returns its size."""
        current = set(self.store.quads_for_pattern(None, None, None, graph))
        gone, new = current - quads, quads - current
        if not gone and not new:
            return 0
        try:
            if not gone:  # only additions (a first resolution): one extend, without the text of an update
                self.store.extend(new)
            else:
                insert = f" ;\nINSERT DATA {{ {quad_text(new)} }}" if new else ""
                self.store.update(f"DELETE DATA {{ {quad_text(gone)} }}{insert}")
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self.where}: cannot write to the store: {err}") from None
        return len(gone) + len(new)

    def counts(self) -> Stats:
        """Counts of articles, actors, people, places, events by type, and quads.

        >>> GraphStore.open(None).counts().events
        0
        """
        (row,) = self.query(internal_query("class_counts"))
        count = {name: int(term_value(row[name])) for name in ("articles", "actors", "people", "places", "events")}
        by_type = tuple((term_value(row["t"]).rsplit("#", 1)[-1], int(term_value(row["n"])))
                        for row in self.query(internal_query("event_type_counts")))
        return Stats(count["articles"], count["actors"], count["people"], count["places"], count["events"], by_type,
                     len(self.store))

    def quads(self, *, ontology: bool = True) -> Iterator[ox.Quad]:
        """Every quad, the ontology graph's (last, with canonical blank nodes) only when ``ontology``."""
        for q in self.store.quads_for_pattern(None, None, None, None):
            if q.graph_name != ONTOLOGY_GRAPH:
                yield q
        if ontology:  # a server labels blank nodes its own way
            yield from sorted(canonical_labels(self.store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)), key=str)

    def dump(self, output: str | Path | BinaryIO, fmt: str, *, ontology: bool = True) -> None:
        """Write the graph to ``output`` (path or binary file) in ``fmt`` (a key of EXPORT_FORMATS).

        Formats without named graphs (turtle, ntriples) get the union of all graphs.
        """
        _write_rdf(self.quads(ontology=ontology), output, fmt)


def _write_rdf(quads: Iterator[ox.Quad], output: str | Path | BinaryIO, fmt: str) -> None:
    """Serialize ``quads`` in ``fmt`` (N-Quads sorted; the triples of the formats without graphs merged, sorted)."""
    rdf_format = EXPORT_FORMATS[fmt]
    if rdf_format.supports_datasets:
        ox.serialize(sorted(quads, key=str) if fmt == "nquads" else quads, output, rdf_format,
                     prefixes=None if fmt == "nquads" else PREFIXES)
    else:
        triples = {q.triple for q in quads}
        ox.serialize(sorted(triples, key=str), output, rdf_format, prefixes=PREFIXES)


__all__ = ["GraphStore", "Stats", "default_store_path", "store_location", "internal_query", "EXPORT_FORMATS", "ENTITIES_GRAPH", "SPARQL_PREFIXES"]
