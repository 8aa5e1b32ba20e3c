"""Analysts' overrides of resolution: ``same``, ``different``, ``alias``; listed, undone, and kept across rebuilds.

An override is one line of ``curation.tsv`` in the store's folder (plain,
diffable, reviewable), mirrored in the curation graph, and applied by every
resolution. A store on a SPARQL server has no folder: there the curation graph
alone holds the overrides (``kg export`` saves them with the rest). An override about events names their *claims* (what each article
said), not the canonical nodes: a node's IRI may change when a new article
tells its event more precisely, but an article's claims keep their IRIs for as
long as the article is unchanged, so the override survives a full rebuild.

>>> from kg.store import GraphStore
>>> Curation(GraphStore.open(None)).entries()
[]
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.canonical import ACTIONS, curation_path, override_rows, resolve_store
from kg.errors import CurationError
from kg.iris import IRI_KINDS, ref_iri, ref_of
from kg.rdf import curation_quads
from kg.store import GraphStore
from kg.vocab import CANONICAL_GRAPH, CKG, CURATION_GRAPH, ENTITIES_GRAPH, RDFS

ENTITY_KINDS = ("actor", "person", "place")


@dataclass(frozen=True)
class Entry:
    """One override as listed: its line number in the file, what it says, and the note written with it."""

    number: int
    action: str
    first: str
    second: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.number}. {self.action} {self.first} {self.second}" + (f"  # {self.note}" if self.note else "")


def node_ref(text: str) -> str:
    """The ref (``kind/key``) a user names a node by: its IRI or its ref.

    >>> node_ref("https://w3id.org/conflict-kg/id/actor/islamic-state"), node_ref("<event/airstrike/sy/raqqa/2014>")
    ('actor/islamic-state', 'event/airstrike/sy/raqqa/2014')
    """
    text = text.strip().strip("<>")
    ref = ref_of(text) if "://" in text else text
    kind = (ref or "").split("/", 1)[0]
    if ref is None or kind not in IRI_KINDS or "/" not in ref:
        raise CurationError(f"{text!r} names no node: give an event, claim, actor, person or place IRI, or its ref "
                            f"such as event/airstrike/sy/raqqa/2014-11-25 or actor/islamic-state")
    return ref


class Curation:
    """The overrides of one store: add, list, undo; each change re-resolves the store."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.path = curation_path(store)

    def _rows(self) -> list[list[str]]:
        return [list(r) for r in override_rows(self.store)]

    def _write(self, rows: list[list[str]]) -> int:
        written = 0
        if self.store.url is not None:  # a store on a server: the curation graph is where overrides are kept
            written = self.store.sync_graph(CURATION_GRAPH, curation_quads(rows))
        elif self.path is None:
            self.store.memory_overrides = [list(r) for r in rows]
        else:
            text = "".join("\t".join(r) + "\n" for r in rows)
            tmp = self.path.with_suffix(".tsv.tmp")
            tmp.write_text("# conflict-kg overrides: ACTION<tab>FIRST<tab>SECOND<tab>NOTE (see `kg curate --help`)\n"
                           + text, encoding="utf-8")
            tmp.replace(self.path)
        return written + resolve_store(self.store)

    def entries(self) -> list[Entry]:
        """Every override, in the order given."""
        return [Entry(n, *row[:3], row[3] if len(row) > 3 else "") for n, row in enumerate(self._rows(), 1)]

    def same(self, first: str, second: str) -> int:
        """Two nodes are one real thing; returns how many canonical quads changed."""
        return self._pair("same", first, second)

    def different(self, first: str, second: str) -> int:
        """Two nodes (or two claims of one node) are two real things; returns how many canonical quads changed."""
        return self._pair("different", first, second)

    def alias(self, node: str, name: str) -> int:
        """``name`` is a name of ``node`` (a people or place node of that name merges into it)."""
        ref = node_ref(node)
        if ref.split("/", 1)[0] not in ENTITY_KINDS:
            raise CurationError(f"{ref}: an alias names an actor, person or place, not an {ref.split('/', 1)[0]}")
        self._exists(ref)
        if not name.strip() or "\t" in name or "\n" in name:
            raise CurationError(f"alias {name!r}: give a name on one line, without tabs")
        return self._add(["alias", ref, name.strip(), self._label(ref)])

    def undo(self) -> Entry:
        """Remove the last override; returns it."""
        rows = self._rows()
        if not rows:
            raise CurationError("no override to undo")
        entry = self.entries()[-1]
        self._write(rows[:-1])
        return entry

    # ---

    def _pair(self, action: str, first: str, second: str) -> int:
        a, b = node_ref(first), node_ref(second)
        kinds = {a.split("/", 1)[0], b.split("/", 1)[0]}
        if kinds <= {"event", "claim"}:
            claims_a, claims_b = self._claims(a), self._claims(b)
            if set(claims_a) == set(claims_b):
                raise CurationError(f"{a} and {b} are one node; to split it, name two of its claims: "
                                    f"{', '.join(claims_a[:6])}")
            note = f"{self._label(a)} / {self._label(b)}"
            return self._add([action, ",".join(claims_a), ",".join(claims_b), note])
        if kinds <= set(ENTITY_KINDS) and len(kinds) == 1:
            if a == b:
                raise CurationError(f"{a}: name two different nodes")
            self._exists(a)
            self._exists(b)
            return self._add([action, a, b, f"{self._label(a)} / {self._label(b)}"])
        raise CurationError(f"{a} and {b}: name two events (or claims), or two entities of one kind "
                            f"({', '.join(ENTITY_KINDS)})")

    def _add(self, row: list[str]) -> int:
        action, first, second = row[:3]
        opposite = {"same": "different", "different": "same"}.get(action)
        pair = {first, second}
        rows = [r for r in self._rows() if not (r[0] in (action, opposite) and {r[1], r[2]} == pair)]
        return self._write([*rows, row])

    def _claims(self, ref: str) -> list[str]:
        """The claims an event node was resolved from (a claim stands for itself)."""
        if ref.startswith("claim/"):
            if not any(True for _ in self.store.store.quads_for_pattern(ref_iri(ref), CKG.resolvedTo, None,
                                                                         CANONICAL_GRAPH)):
                raise CurationError(f"{ref}: no such claim in the store")
            return [ref]
        claims = sorted(ref_of(q.subject.value) for q in
                        self.store.store.quads_for_pattern(None, CKG.resolvedTo, ref_iri(ref), CANONICAL_GRAPH))
        if not claims:
            raise CurationError(f"{ref}: no such event in the store (see `kg query events`)")
        return claims

    def _exists(self, ref: str) -> None:
        node = ref_iri(ref)
        if not any(any(True for _ in self.store.store.quads_for_pattern(node, None, None, g))
                   for g in (ENTITIES_GRAPH, CANONICAL_GRAPH)):
            raise CurationError(f"{ref}: no such {ref.split('/', 1)[0]} in the store")

    def _label(self, ref: str) -> str:
        for g in (CANONICAL_GRAPH, ENTITIES_GRAPH):
            for quad in self.store.store.quads_for_pattern(ref_iri(ref), RDFS.label, None, g):
                return quad.object.value
        return ""


__all__ = ["ACTIONS", "Curation", "Entry", "node_ref"]
