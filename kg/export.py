"""Store -> networkx -> GEXF 1.3 / GraphML, for Gephi.

Three views of the graph (``kg.exporting.views`` says what each holds):
``full``, every actor, person, place and event with their relations;
``actors``, actor to actor, ``hostile`` and ``diplomatic`` edges weighted by
the events behind them; ``events``, events, their places and ``next`` links
between successive events at a place sharing an actor. The nodes' attributes
are those of ``kg.exporting.snapshot``; dated events and their edges carry
``start``/``end``, so Gephi's timeline plays the war (``kg.exporting.gexf``).

>>> import io
>>> from kg.store import GraphStore
>>> buffer = io.BytesIO()
>>> export_graph(GraphStore.open(None), buffer, fmt="gexf", view="actors")
>>> b'xmlns="http://gexf.net/1.3"' in buffer.getvalue()
True
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import networkx as nx

from kg.errors import ExportError
from kg.exporting.gexf import GEXF_NS, write_gexf
from kg.exporting.graphml import write_graphml
from kg.exporting.snapshot import read_snapshot
from kg.exporting.views import BUILDERS, VIEWS
from kg.store import GraphStore
from kg.xmltext import clean_text

__all__ = ["FORMATS", "GEXF_NS", "VIEWS", "clean_text", "export_graph", "to_networkx", "write_gexf", "write_graphml"]

FORMATS = ("gexf", "graphml")
"""The file formats :func:`export_graph` can write."""

_WRITERS: dict[str, Callable[[nx.Graph, Path | str | BinaryIO], None]] = {"gexf": write_gexf, "graphml": write_graphml}


def _check(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ExportError(f"unknown {name} {value!r}; expected one of: {', '.join(choices)}")


def to_networkx(store: GraphStore, *, view: str = "full") -> nx.Graph:
    """The store's graph as a networkx graph, in one of :data:`VIEWS`.

    Args:
        store: the store to read.
        view: ``full`` (a MultiDiGraph), ``actors`` (a MultiGraph) or ``events`` (a DiGraph);
            see ``kg.exporting.views`` for what each holds.

    Raises:
        ExportError: ``view`` is not one of :data:`VIEWS`.

    >>> to_networkx(GraphStore.open(None), view="events").number_of_nodes()
    0
    """
    _check("view", view, VIEWS)
    return BUILDERS[view](read_snapshot(store))


def export_graph(store: GraphStore, output: Path | str | BinaryIO, *, fmt: str, view: str = "full") -> None:
    """Write one view of the store's graph to ``output`` as GEXF or GraphML.

    Args:
        store: the store to read.
        output: a path, or a binary file open for writing.
        fmt: one of :data:`FORMATS`.
        view: one of :data:`VIEWS`.

    Raises:
        ExportError: ``fmt`` or ``view`` is unknown, or the output cannot be written.

    >>> export_graph(GraphStore.open(None), Path("graph.gexf"), fmt="gml")
    Traceback (most recent call last):
    ...
    kg.errors.ExportError: unknown format 'gml'; expected one of: gexf, graphml
    """
    _check("format", fmt, FORMATS)
    _check("view", view, VIEWS)
    _WRITERS[fmt](to_networkx(store, view=view), output)
