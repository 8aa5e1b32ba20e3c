"""networkx -> GEXF 1.3, written with lxml for Gephi.

``mode="dynamic"`` and ``timeformat="date"`` when anything is dated, so Gephi's
timeline plays the events; an edge's label is also its GEXF ``kind``, so Gephi
keeps parallel edges of different relations apart; nodes are coloured by kind
(``viz:color``). Values are cleaned for XML first (``kg.exporting.prepare``).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
from lxml import etree

from kg import __version__
from kg.errors import ExportError
from kg.exporting.prepare import binary_output, column_types, prepared

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"

_COLOURS = {"actor": (214, 39, 40), "person": (255, 127, 14), "place": (44, 160, 44), "event": (31, 119, 180)}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _time(value: Any, what: str) -> str:
    """``value``, a day as ``YYYY-MM-DD``.

    Raises:
        ExportError: it is not one.
    """
    try:
        if isinstance(value, str) and _ISO_DAY.fullmatch(value) and dt.date.fromisoformat(value):
            return value
    except ValueError:
        pass
    raise ExportError(f"{what}: start and end must be dates as YYYY-MM-DD, got {value!r}")


def _attributes(parent: etree._Element, cls: str, types: dict[str, str]) -> None:
    if types:
        block = etree.SubElement(parent, f"{{{GEXF_NS}}}attributes", {"class": cls, "mode": "static"})
        for key in sorted(types):
            etree.SubElement(block, f"{{{GEXF_NS}}}attribute", {"id": key, "title": key, "type": types[key]})


def _attvalues(element: etree._Element, data: Mapping[str, Any], reserved: tuple[str, ...]) -> None:
    values = [(k, v) for k, v in sorted(data.items()) if k not in reserved]
    if values:
        block = etree.SubElement(element, f"{{{GEXF_NS}}}attvalues")
        for key, value in values:
            text = str(value).lower() if isinstance(value, bool) else repr(value) if isinstance(value, float) else str(value)
            etree.SubElement(block, f"{{{GEXF_NS}}}attvalue", {"for": key, "value": text})


def _gexf_tree(graph: nx.Graph) -> etree._Element:
    node_reserved, edge_reserved = ("label", "start", "end"), ("label", "weight", "start", "end")
    node_types = {k: t for k, t in column_types(d for _, d in graph.nodes(data=True)).items() if k not in node_reserved}
    edge_data = [(u, v, d) for u, v, d in graph.edges(data=True)]
    edge_types = {k: t for k, t in column_types(d for *_, d in edge_data).items() if k not in edge_reserved}
    dynamic = any("start" in d or "end" in d for _, d in graph.nodes(data=True)) or any(
        "start" in d or "end" in d for *_, d in edge_data)

    root = etree.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"}, nsmap={None: GEXF_NS, "viz": VIZ_NS})
    meta = etree.SubElement(root, f"{{{GEXF_NS}}}meta")
    etree.SubElement(meta, f"{{{GEXF_NS}}}creator").text = f"conflict-kg {__version__}"
    if isinstance(graph.graph.get("name"), str):
        etree.SubElement(meta, f"{{{GEXF_NS}}}description").text = graph.graph["name"]
    attrs = {"defaultedgetype": "directed" if graph.is_directed() else "undirected"}
    if dynamic:
        attrs.update(mode="dynamic", timeformat="date")
    else:
        attrs["mode"] = "static"
    xml_graph = etree.SubElement(root, f"{{{GEXF_NS}}}graph", attrs)
    _attributes(xml_graph, "node", node_types)
    _attributes(xml_graph, "edge", edge_types)

    xml_nodes = etree.SubElement(xml_graph, f"{{{GEXF_NS}}}nodes", {"count": str(graph.number_of_nodes())})
    for node, data in graph.nodes(data=True):
        element = etree.SubElement(xml_nodes, f"{{{GEXF_NS}}}node", {"id": node})
        if isinstance(data.get("label"), str) and data["label"]:
            element.set("label", data["label"])
        for key in ("start", "end"):
            if key in data:
                element.set(key, _time(data[key], f"node {node}"))
        _attvalues(element, data, node_reserved)
        if (colour := _COLOURS.get(data.get("kind"))) is not None:
            r, g, b = colour
            etree.SubElement(element, f"{{{VIZ_NS}}}color", {"r": str(r), "g": str(g), "b": str(b)})

    xml_edges = etree.SubElement(xml_graph, f"{{{GEXF_NS}}}edges", {"count": str(len(edge_data))})
    for n, (u, v, data) in enumerate(edge_data):
        element = etree.SubElement(xml_edges, f"{{{GEXF_NS}}}edge", {"id": str(n), "source": u, "target": v})
        if isinstance(data.get("label"), str) and data["label"]:
            element.set("label", data["label"])
            element.set("kind", data["label"])
        if "weight" in data:
            if isinstance(data["weight"], bool) or not isinstance(data["weight"], (int, float)):
                raise ExportError(f"edge {u} -> {v}: weight must be a number, got {data['weight']!r}")
            element.set("weight", repr(float(data["weight"])))
        for key in ("start", "end"):
            if key in data:
                element.set(key, _time(data[key], f"edge {u} -> {v}"))
        _attvalues(element, data, edge_reserved)
    return root


def write_gexf(graph: nx.Graph, path_or_file: Path | str | BinaryIO) -> None:
    """Write ``graph`` as GEXF 1.3 to a path or a binary file.

    ``label``, ``start``/``end`` (``YYYY-MM-DD``) and, on edges, ``weight`` become the GEXF
    attributes of those names; every other value becomes an attribute column of one type.

    Raises:
        ExportError: the file cannot be written, or a weight or time is malformed.

    >>> import io
    >>> g = nx.DiGraph()
    >>> g.add_node("e1", label="Strike\\x01", start="2014-11-25", end="2014-11-25", killed=4)
    >>> g.add_node("p1", label="Raqqa", lat=35.9)
    >>> g.add_edge("e1", "p1", label="place")
    >>> buffer = io.BytesIO()
    >>> write_gexf(g, buffer)
    >>> b'mode="dynamic"' in buffer.getvalue(), b'\\x01' in buffer.getvalue()
    (True, False)
    """
    root = _gexf_tree(prepared(graph))
    with binary_output(path_or_file) as out:
        etree.ElementTree(root).write(out, encoding="UTF-8", xml_declaration=True, pretty_print=True)


__all__ = ["GEXF_NS", "VIZ_NS", "write_gexf"]
