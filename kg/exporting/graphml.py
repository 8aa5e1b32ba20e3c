"""networkx -> GraphML, cleaned for XML as GEXF is (``kg.exporting.prepare``)."""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import networkx as nx

from kg.exporting.prepare import binary_output, prepared


def write_graphml(graph: nx.Graph, path_or_file: Path | str | BinaryIO) -> None:
    """Write ``graph`` as GraphML to a path or a binary file, cleaned as for GEXF.

    A multigraph's edges get the ids ``e0``, ``e1``, ... (the relation stays in ``label``).

    Raises:
        ExportError: the file cannot be written.

    >>> import io
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", weight=2, label=None)
    >>> buffer = io.BytesIO()
    >>> write_graphml(g, buffer)
    >>> sorted(nx.read_graphml(io.BytesIO(buffer.getvalue())).edges(data=True))
    [('a', 'b', {'weight': 2})]
    """
    ready = prepared(graph, edge_ids=True)
    with binary_output(path_or_file) as out:
        nx.write_graphml(ready, out, encoding="utf-8", prettyprint=True)


__all__ = ["write_graphml"]
