"""What ``GraphStore`` needs of the store under it: the part of pyoxigraph's ``Store`` interface the package uses.

An embedded ``pyoxigraph.Store`` has it, and so does :class:`kg.remote.RemoteStore`, a client of a SPARQL server
(``--store http://HOST:PORT``). Readers of stored quads (``kg.stored_claims``, ``kg.validation``) take a
``Backend``, so they read either.

>>> import pyoxigraph as ox
>>> isinstance(ox.Store(), Backend)
True
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox

Subject = ox.NamedNode | ox.BlankNode | ox.Triple
"""A quad's subject."""
Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""A quad's object."""
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
"""A quad's graph."""


@runtime_checkable
class Backend(Protocol):
    """A quad store that answers SPARQL, takes SPARQL updates and looks quads up by pattern."""

    def query(self, query: str, /, *, prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False,
              default_graph: Any = None, named_graphs: Any = None,
              substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None = None,
              ) -> Any:
        """Run a SPARQL query: QuerySolutions, QueryBoolean, or an iterable of triples."""

    def update(self, update: str, /) -> None:
        """Run a SPARQL update, as one transaction."""

    def quads_for_pattern(self, subject: Subject | None, predicate: ox.NamedNode | None, object: Object | None,
                          graph_name: GraphName | None = None, /) -> Iterator[ox.Quad]:
        """The quads matching the pattern (None matches anything; a graph of None, any graph)."""

    def extend(self, quads: Iterable[ox.Quad], /) -> None:
        """Add quads, as one transaction."""

    def flush(self) -> None:
        """Write buffered changes to disk (nothing to do for some stores)."""

    def __len__(self) -> int:
        """How many quads the store holds."""

    def __iter__(self) -> Any:
        """Every quad."""


__all__ = ["Backend", "GraphName", "Object", "Subject"]
