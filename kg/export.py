"""Store -> networkx -> GEXF 1.3 / GraphML, for Gephi.

Three views of the graph:

* ``full`` (a ``MultiDiGraph``): actors, people, places and events as nodes,
  one edge per ``agent``, ``target``, ``participant``, ``place``,
  ``affiliation`` and ``locatedIn`` statement, keyed and labelled by the
  relation's name.
* ``actors`` (a ``MultiGraph``): actor to actor. A person is folded into the
  actor of its ``ckg:affiliation``, or kept as its own node when it has none.
  Two actors get a ``hostile`` edge when one is agent and the other target of
  the same event, and a ``diplomatic`` edge when both take part in the same
  diplomatic meeting; a pair with both gets both edges (keys ``hostile`` and
  ``diplomatic``). ``weight`` is the number of distinct events behind an edge,
  which lasts from the first to the last of them that is dated (static when
  none is).
  Nodes count their ``events`` and list the ``people`` folded into them.
* ``events`` (a ``DiGraph``): events, the places they happened at and the
  places containing those (``place`` and ``locatedIn`` edges), and a ``next``
  edge from each dated event to the next dated event at the same place that
  shares an actor with it (``weight``: how many, ``actors``: which).

Node ids are IRIs. Every node has ``label``, ``kind`` (actor, person, place,
event) and ``type`` (its most specific ckg class, e.g. ``AirStrike``), and
``aliases`` when it has other names; places
and events have ``lat``/``lon`` where known (an event's from its place, or the
nearest place containing it that has coordinates); events have ``date``,
``date_precision`` (day, month, year; when articles give several dates, the
most precise and then the earliest), ``start``/``end`` (the first and last
day the date covers, ``YYYY-MM-DD``), ``articles`` (how many report it) and,
where given, the highest ``killed``, ``civilians_killed`` and ``injured`` over
their casualty reports. Edges of dated events carry the event's
``start``/``end``. Values are cleaned for XML (characters XML cannot hold
removed, whitespace collapsed); a value that is unknown is absent, never
``None`` or empty.

The GEXF writer writes GEXF 1.3 itself (with lxml): ``mode="dynamic"`` and
``timeformat="date"`` when anything is dated, so Gephi's timeline plays the
events; an edge's label is also its GEXF ``kind``, so Gephi keeps parallel
edges of different relations apart; nodes are coloured by kind (``viz:color``).

>>> import io
>>> from kg.store import GraphStore
>>> buffer = io.BytesIO()
>>> export_graph(GraphStore.open(None), buffer, fmt="gexf", view="actors")
>>> b'xmlns="http://gexf.net/1.3"' in buffer.getvalue()
True
"""
from __future__ import annotations

import math
import numbers
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
from lxml import etree

from kg import __version__
from kg.dates import DateValue
from kg.errors import ExportError
from kg.store import GraphStore
from kg.vocab import CKG, EVENT_TYPES

__all__ = ["FORMATS", "VIEWS", "clean_text", "export_graph", "to_networkx", "write_gexf", "write_graphml"]

VIEWS = ("full", "actors", "events")
"""The views :func:`to_networkx` can build."""

FORMATS = ("gexf", "graphml")
"""The file formats :func:`export_graph` can write."""

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"

# The ckg classes a node can have, most specific first: a node's ``type`` is
# the first of its classes in this order, and its ``kind`` goes with that class.
_CLASSES: tuple[tuple[str, str], ...] = (
    *((name, "event") for name in EVENT_TYPES), ("Event", "event"),
    ("Person", "person"),
    ("Neighbourhood", "place"), ("Site", "place"), ("City", "place"), ("Area", "place"), ("Governorate", "place"), ("Country", "place"),
    ("Place", "place"),
    ("State", "actor"), ("Government", "actor"), ("ArmedGroup", "actor"), ("Coalition", "actor"),
    ("InternationalOrganisation", "actor"), ("Monitor", "actor"), ("Organisation", "actor"), ("Actor", "actor"),
)
_RANK = {CKG.term(name).value: (rank, name, kind) for rank, (name, kind) in enumerate(_CLASSES)}
_RELATIONS = {CKG.term(r).value: r for r in ("agent", "target", "participant", "place", "affiliation", "locatedIn")}
_CASUALTIES = {CKG.killed.value: "killed", CKG.civiliansKilled.value: "civilians_killed",
               CKG.injured.value: "injured"}
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_COLOURS = {"actor": (214, 39, 40), "person": (255, 127, 14), "place": (44, 160, 44), "event": (31, 119, 180)}

_Q_NODES = "SELECT DISTINCT ?s ?t WHERE { VALUES ?t { " + " ".join(f"ckg:{n}" for n, _ in _CLASSES) + " } ?s a ?t }"
_Q_LABELS = "SELECT DISTINCT ?s ?l WHERE { ?s rdfs:label ?l }"
_Q_ALIASES = "SELECT DISTINCT ?s ?l WHERE { ?s skos:altLabel ?l }"
_Q_DATES = "SELECT DISTINCT ?s ?d WHERE { ?s ckg:date ?d }"
_Q_POINTS = "SELECT DISTINCT ?s ?w WHERE { { ?s geo:asWKT ?w } UNION { ?s geo:hasGeometry/geo:asWKT ?w } }"
_Q_ARTICLES = "SELECT ?s (COUNT(DISTINCT ?a) AS ?n) WHERE { ?s ckg:reportedIn ?a } GROUP BY ?s"
_Q_CASUALTIES = """SELECT DISTINCT ?s ?r ?p ?n WHERE {
  VALUES ?p { ckg:killed ckg:civiliansKilled ckg:injured } ?s ckg:casualties ?r . ?r ?p ?n }"""
_Q_RELATIONS = ("SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { " + " ".join(f"ckg:{r}" for r in _RELATIONS.values())
                + " } ?s ?p ?o }")

_ILLEGAL_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_POINT = re.compile(r"\s*(?:<[^>]*>\s*)?POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)\s*", re.IGNORECASE)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


# --------------------------------------------------------------------------- cleaning


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold, whitespace runs collapsed to one space.

    >>> clean_text("bad\\x01\\x0b name\\n ")
    'bad name'
    """
    return " ".join(_ILLEGAL_XML.sub("", text).split())


def _xml_safe(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


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
    text = _xml_safe(str(value))
    return text if text.strip() else None


def _type_name(value: float | str) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "double" if isinstance(value, float) else "string"


def _column_types(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
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
        name = _xml_safe(str(key)).strip()
        if name == "label" and value is not None:
            value = clean_text(str(value)) or None
        if value is not None and name:
            out[name] = value
    return out


def _prepared(graph: nx.Graph, *, edge_ids: bool = False) -> nx.Graph:
    """A copy of ``graph`` whose ids and values XML can hold, with no None or empty values and one type per key.

    With ``edge_ids``, a multigraph's edge keys become ``e0``, ``e1``, ...: GraphML writes the keys as
    edge ids, and Gephi drops edges whose id it has seen.
    """
    ids = {node: _xml_safe(str(node)) for node in graph.nodes}
    if len(set(ids.values())) != len(ids) or "" in ids.values():
        raise ExportError("node ids must stay distinct and non-empty once characters XML cannot hold are removed")
    nodes = [(ids[n], _clean_data(d)) for n, d in graph.nodes(data=True)]
    if graph.is_multigraph():
        edges = [(ids[u], ids[v], k, _clean_data(d)) for u, v, k, d in graph.edges(keys=True, data=True)]
    else:
        edges = [(ids[u], ids[v], None, _clean_data(d)) for u, v, d in graph.edges(data=True)]
    node_types = _column_types(d for _, d in nodes)
    edge_types = _column_types(d for *_, d in edges)
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
            out.add_edge(u, v, key=key if isinstance(key, int) else _xml_safe(str(key)), **data)
    return out


# --------------------------------------------------------------------------- reading the store


@dataclass
class _Snapshot:
    """What the views are built from: node attributes by IRI and the relation statements."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[str]:
        return sorted(n for n, d in self.nodes.items() if d["kind"] in kinds)


def _spell(lexical: str) -> tuple[str, str] | None:
    try:
        value = DateValue.parse(lexical)
    except ValueError:
        return None
    return value.first_day().isoformat(), value.last_day().isoformat()


def _precision(lexical: str, datatype: str) -> str | None:
    try:
        return DateValue.parse(lexical).precision
    except ValueError:
        return {"date": "day", "gYearMonth": "month", "gYear": "year"}.get(datatype.rpartition("#")[2])


def _read(store: GraphStore) -> _Snapshot:
    """Read nodes, attributes and relation statements with a few whole-graph queries."""
    snap = _Snapshot()
    best: dict[str, tuple[int, str, str]] = {}
    for s, t in store.query(_Q_NODES):
        rank = _RANK[t.value]
        if s.value not in best or rank < best[s.value]:
            best[s.value] = rank
    for iri, (_, name, kind) in best.items():
        snap.nodes[iri] = {"kind": kind, "type": name}
    nodes = snap.nodes

    labels: dict[str, set[str]] = defaultdict(set)
    for s, literal in store.query(_Q_LABELS):
        if s.value in nodes and (text := clean_text(literal.value)):
            labels[s.value].add(text)
    aliases: dict[str, set[str]] = defaultdict(set)
    for s, literal in store.query(_Q_ALIASES):
        if s.value in nodes and (text := clean_text(literal.value)):
            aliases[s.value].add(text)
    for iri, data in nodes.items():
        label = min(labels[iri]) if labels.get(iri) else clean_text(iri.rstrip("/").rsplit("/", 1)[-1]) or iri
        data["label"] = label
        other = sorted(aliases.get(iri, set()) - {label})
        if other:
            data["aliases"] = "; ".join(other)

    dates: dict[str, tuple[int, str, str]] = {}
    for s, literal in store.query(_Q_DATES):
        if s.value not in nodes or not (lexical := clean_text(literal.value)):
            continue
        precision = _precision(lexical, literal.datatype.value)
        key = (_PRECISION_RANK.get(precision or "", 3), lexical, precision or "")
        if s.value not in dates or key < dates[s.value]:
            dates[s.value] = key
    for iri, (_, lexical, precision) in dates.items():
        data = nodes[iri]
        data["date"] = lexical
        if precision:
            data["date_precision"] = precision
        if spell := _spell(lexical):
            data["start"], data["end"] = spell

    for s, wkt in store.query(_Q_POINTS):
        match = _POINT.fullmatch(wkt.value)
        if s.value not in nodes or match is None or "lat" in nodes[s.value]:
            continue
        try:
            lon, lat = float(match[1]), float(match[2])
        except ValueError:
            continue
        if math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180:
            nodes[s.value]["lat"], nodes[s.value]["lon"] = lat, lon

    for s, n in store.query(_Q_ARTICLES):
        if s.value in nodes:
            nodes[s.value]["articles"] = int(n.value)
    for s, _report, p, n in store.query(_Q_CASUALTIES):
        if s.value not in nodes:
            continue
        try:
            value = int(n.value)
        except ValueError:
            continue
        name = _CASUALTIES[p.value]
        nodes[s.value][name] = max(value, nodes[s.value].get(name, value))

    snap.relations = sorted((s.value, _RELATIONS[p.value], o.value) for s, p, o in store.query(_Q_RELATIONS)
                            if s.value in nodes and o.value in nodes)
    _locate_events(snap)
    return snap


def _locate_events(snap: _Snapshot) -> None:
    """Give each event its place's label and the coordinates of its place or the nearest container that has some."""
    parents: dict[str, list[str]] = defaultdict(list)
    places: dict[str, list[str]] = defaultdict(list)
    for s, rel, o in snap.relations:
        if rel == "locatedIn":
            parents[s].append(o)
        elif rel == "place":
            places[s].append(o)

    def point(place: str) -> tuple[float, float] | None:
        seen, frontier = {place}, [place]
        while frontier:
            for p in frontier:
                if "lat" in snap.nodes[p]:
                    return snap.nodes[p]["lat"], snap.nodes[p]["lon"]
            frontier = sorted({q for p in frontier for q in parents[p]} - seen)
            seen.update(frontier)
        return None

    for event, at in places.items():
        data = snap.nodes[event]
        if data["kind"] != "event":
            continue
        data["place"] = "; ".join(sorted({snap.nodes[p]["label"] for p in at}))
        for p in at:
            if found := point(p):
                data["lat"], data["lon"] = found
                break


# --------------------------------------------------------------------------- views


def _full(snap: _Snapshot) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name="conflict-kg full", view="full")
    for iri in sorted(snap.nodes):
        graph.add_node(iri, **snap.nodes[iri])
    for s, rel, o in snap.relations:
        data: dict[str, Any] = {"label": rel}
        source = snap.nodes[s]
        if source["kind"] == "event" and "start" in source:
            data["start"], data["end"] = source["start"], source["end"]
        graph.add_edge(s, o, key=rel, **data)
    return graph


def _folding(snap: _Snapshot) -> dict[str, str]:
    """Person -> the actor it is affiliated with (the first by IRI when several); actors map to themselves."""
    fold = {iri: iri for iri in snap.of_kind("actor", "person")}
    for s, rel, o in snap.relations:
        if (rel == "affiliation" and snap.nodes[s]["kind"] == "person" and snap.nodes[o]["kind"] == "actor"
                and (fold[s] == s or o < fold[s])):
            fold[s] = o
    return fold


def _actors(snap: _Snapshot) -> nx.MultiGraph:
    fold = _folding(snap)
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s, rel, o in snap.relations:
        if rel in ("agent", "target", "participant") and snap.nodes[s]["kind"] == "event" and o in fold:
            roles[s][rel].add(fold[o])

    pairs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    involved: dict[str, set[str]] = defaultdict(set)
    for event, by_role in roles.items():
        for members in by_role.values():
            for actor in members:
                involved[actor].add(event)
        for a in by_role["agent"]:
            for t in by_role["target"]:
                if a != t:
                    pairs[(min(a, t), max(a, t), "hostile")].add(event)
        if snap.nodes[event]["type"] == "DiplomaticMeeting":
            for a, b in combinations(sorted(by_role["participant"]), 2):
                pairs[(a, b, "diplomatic")].add(event)

    graph = nx.MultiGraph(name="conflict-kg actors", view="actors")
    people: dict[str, list[str]] = defaultdict(list)
    for person, actor in fold.items():
        if person != actor:
            people[actor].append(snap.nodes[person]["label"])
    for actor in sorted(set(fold.values())):
        node = {k: v for k, v in snap.nodes[actor].items() if k in ("label", "kind", "type", "aliases")}
        node["events"] = len(involved.get(actor, ()))
        if people.get(actor):
            node["people"] = "; ".join(sorted(people[actor]))
        graph.add_node(actor, **node)
    for (a, b, relation), events in sorted(pairs.items()):
        data: dict[str, Any] = {"label": relation, "weight": len(events)}
        dated = [snap.nodes[e] for e in events if "start" in snap.nodes[e]]
        if dated:
            data["start"], data["end"] = min(d["start"] for d in dated), max(d["end"] for d in dated)
        graph.add_edge(a, b, key=relation, **data)
    return graph


def _events(snap: _Snapshot) -> nx.DiGraph:
    fold = _folding(snap)
    graph = nx.DiGraph(name="conflict-kg events", view="events")
    events = snap.of_kind("event")
    for iri in events:
        graph.add_node(iri, **snap.nodes[iri])
    at: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, list[str]] = defaultdict(list)
    sides: dict[str, set[str]] = defaultdict(set)
    for s, rel, o in snap.relations:
        if rel == "place" and snap.nodes[s]["kind"] == "event" and snap.nodes[o]["kind"] == "place":
            at[s].append(o)
        elif rel == "locatedIn" and snap.nodes[s]["kind"] == "place" and snap.nodes[o]["kind"] == "place":
            parents[s].append(o)
        elif rel in ("agent", "target", "participant") and o in fold:
            sides[s].add(fold[o])

    places, frontier = set(), sorted({p for ps in at.values() for p in ps})
    while frontier:
        places.update(frontier)
        frontier = sorted({q for p in frontier for q in parents[p]} - places)
    for place in sorted(places):
        graph.add_node(place, **snap.nodes[place])
        for parent in parents[place]:
            graph.add_edge(place, parent, label="locatedIn")

    chains: dict[tuple[str, str], list[str]] = defaultdict(list)
    for event in events:
        data = snap.nodes[event]
        for place in at[event]:
            edge = {"label": "place"}
            if "start" in data:
                edge["start"], edge["end"] = data["start"], data["end"]
                for side in sides[event]:
                    chains[(place, side)].append(event)
            graph.add_edge(event, place, **edge)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (_place, side), chain in chains.items():
        chain.sort(key=lambda e: (snap.nodes[e]["start"], snap.nodes[e]["end"], e))
        for a, b in pairwise(chain):
            shared[(a, b)].add(side)
    for (a, b), common in sorted(shared.items()):
        graph.add_edge(a, b, label="next", weight=len(common), start=snap.nodes[a]["start"],
                       end=snap.nodes[b]["end"], actors="; ".join(sorted(snap.nodes[x]["label"] for x in common)))
    return graph


_BUILDERS: dict[str, Callable[[_Snapshot], nx.Graph]] = {"full": _full, "actors": _actors, "events": _events}


def _check(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ExportError(f"unknown {name} {value!r}; expected one of: {', '.join(choices)}")


def to_networkx(store: GraphStore, *, view: str = "full") -> nx.Graph:
    """The store's graph as a networkx graph, in one of :data:`VIEWS`.

    Args:
        store: the store to read.
        view: ``full`` (a MultiDiGraph), ``actors`` (a MultiGraph) or ``events`` (a DiGraph);
            see the module docstring for what each holds.

    Raises:
        ExportError: ``view`` is not one of :data:`VIEWS`.

    >>> from kg.store import GraphStore
    >>> to_networkx(GraphStore.open(None), view="events").number_of_nodes()
    0
    """
    _check("view", view, VIEWS)
    return _BUILDERS[view](_read(store))


# --------------------------------------------------------------------------- writing


def _open_output(path_or_file: Path | str | BinaryIO) -> tuple[BinaryIO, bool]:
    if isinstance(path_or_file, (str, Path)):
        try:
            return open(path_or_file, "wb"), True
        except OSError as err:
            raise ExportError(f"{path_or_file}: cannot write: {err.strerror or err}") from None
    return path_or_file, False


def _time(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value) or _spell(value) is None:
        raise ExportError(f"{what}: start and end must be dates as YYYY-MM-DD, got {value!r}")
    return value


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
    node_types = {k: t for k, t in _column_types(d for _, d in graph.nodes(data=True)).items() if k not in node_reserved}
    edge_data = [(u, v, d) for u, v, d in graph.edges(data=True)]
    edge_types = {k: t for k, t in _column_types(d for *_, d in edge_data).items() if k not in edge_reserved}
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
    root = _gexf_tree(_prepared(graph))
    out, owned = _open_output(path_or_file)
    try:
        etree.ElementTree(root).write(out, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    except OSError as err:
        raise ExportError(f"{getattr(out, 'name', 'output')}: cannot write: {err.strerror or err}") from None
    finally:
        if owned:
            out.close()


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
    prepared = _prepared(graph, edge_ids=True)
    out, owned = _open_output(path_or_file)
    try:
        nx.write_graphml(prepared, out, encoding="utf-8", prettyprint=True)
    except OSError as err:
        raise ExportError(f"{getattr(out, 'name', 'output')}: cannot write: {err.strerror or err}") from None
    finally:
        if owned:
            out.close()


_WRITERS: dict[str, Callable[[nx.Graph, Path | str | BinaryIO], None]] = {"gexf": write_gexf, "graphml": write_graphml}


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
