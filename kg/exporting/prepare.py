"""Graphs made ready for an XML writer: ids and values XML can hold, no None or empty value, one type per key,
and the file written to.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("a\x01", label=" A\x0b ", size=1, empty="")
>>> g.add_node("b", size=2.5)
>>> dict(prepared(g).nodes(data=True))
{'a': {'label': 'A', 'size': 1.0}, 'b': {'size': 2.5}}
"""
from __future__ import annotations

import contextlib
import math
import numbers
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from kg.errors import ExportError
from kg.xmltext import clean_text, xml_text


def _scalar(value: Any) -> bool | int | float | str | None:
    """A value as a bool, int, float or cleaned str; None when it has none to give."""
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (list, tuple, set, frozenset)):
        value = "; ".join(str(v) for v in value if v is not None)
    text = xml_text(str(value))
    return text if text.strip() else None


def _type_name(value: float | str) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "double" if isinstance(value, float) else "string"


def column_types(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """One GEXF/GraphML type per key: integers with floats make ``double``, any other mix ``string``."""
    seen: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for key, value in row.items():
            seen[key].add(_type_name(value))
    out = {}
    for key, kinds in seen.items():
        if len(kinds) == 1:
            out[key] = next(iter(kinds))
        else:
            out[key] = "double" if kinds <= {"integer", "double"} else "string"
    return out


def _coerce(value: float | str, kind: str) -> float | str:
    if kind == "double":
        return float(value)
    if kind == "string" and not isinstance(value, str):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return value


def _clean_data(data: Mapping[Any, Any]) -> dict[str, bool | int | float | str]:
    out = {}
    for key, value in data.items():
        value = _scalar(value)
        name = xml_text(str(key)).strip()
        if name == "label" and value is not None:
            value = clean_text(str(value)) or None
        if value is not None and name:
            out[name] = value
    return out


def prepared(graph: nx.Graph, *, edge_ids: bool = False) -> nx.Graph:
    """A copy of ``graph`` whose ids and values XML can hold, with no None or empty values and one type per key.

    With ``edge_ids``, a multigraph's edge keys become ``e0``, ``e1``, ...: GraphML writes the keys as
    edge ids, and Gephi drops edges whose id it has seen.
    """
    ids = {node: xml_text(str(node)) for node in graph.nodes}
    if len(set(ids.values())) != len(ids) or "" in ids.values():
        raise ExportError("node ids must stay distinct and non-empty once characters XML cannot hold are removed")
    nodes = [(ids[n], _clean_data(d)) for n, d in graph.nodes(data=True)]
    if graph.is_multigraph():
        edges = [(ids[u], ids[v], k, _clean_data(d)) for u, v, k, d in graph.edges(keys=True, data=True)]
    else:
        edges = [(ids[u], ids[v], None, _clean_data(d)) for u, v, d in graph.edges(data=True)]
    node_types = column_types(d for _, d in nodes)
    edge_types = column_types(d for *_, d in edges)
    out = graph.__class__()
    out.graph.update({k: v for k, v in _clean_data(graph.graph).items() if k not in ("node_default", "edge_default")})
    for node, data in nodes:
        out.add_node(node, **{k: _coerce(v, node_types[k]) for k, v in data.items()})
    for n, (u, v, key, data) in enumerate(edges):
        data = {k: _coerce(val, edge_types[k]) for k, val in data.items()}
        if edge_ids and key is not None:
            out.add_edge(u, v, key=f"e{n}", **data)
        elif key is None:
            out.add_edge(u, v, **data)
        else:
            out.add_edge(u, v, key=key if isinstance(key, int) else xml_text(str(key)), **data)
    return out


@contextlib.contextmanager
def binary_output(path_or_file: Path | str | BinaryIO) -> Iterator[BinaryIO]:
    """The binary file to write to: ``path_or_file`` opened (and closed after), or the open file itself.

    Raises:
        ExportError: the file cannot be opened or written.
    """
    owned = isinstance(path_or_file, (str, Path))
    try:
        out = open(path_or_file, "wb") if isinstance(path_or_file, (str, Path)) else path_or_file
    except OSError as err:
        raise ExportError(f"{path_or_file}: cannot write: {err.strerror or err}") from None
    try:
        yield out
    except OSError as err:
        raise ExportError(f"{getattr(out, 'name', 'output')}: cannot write: {err.strerror or err}") from None
    finally:
        if owned:
            out.close()


__all__ = ["binary_output", "column_types", "prepared"]
