"""What the Gephi views are built from, read from the store with a few whole-graph queries
(``queries/internal/export_*.rq``).

Node ids are IRIs. Every node has ``label``, ``kind`` (actor, person, place,
event) and ``type`` (its most specific ckg class, e.g. ``AirStrike``), and
``aliases`` when it has other names; places and events have ``lat``/``lon``
where known (an event's from its place, or the nearest place containing it
that has coordinates); events have ``date``, ``date_precision`` (day, month,
year; when articles give several dates, the most precise and then the
earliest), ``start``/``end`` (the first and last day the date covers,
``YYYY-MM-DD``), ``articles`` (how many report it), ``place`` (its places'
labels) and, where given, the highest ``killed``, ``civilians_killed`` and
``injured`` over their casualty reports. Labels are cleaned for XML
(characters XML cannot hold removed, whitespace collapsed); a value that is
unknown is absent, never ``None`` or empty.

>>> read_snapshot(GraphStore.open(None)).nodes
{}
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kg.dates import DateValue
from kg.store import GraphStore, internal_query
from kg.vocab import CKG, EVENT_TYPES, RDFS, SKOS
from kg.xmltext import clean_text

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
_CASUALTIES = {CKG.killed.value: "killed", CKG.civiliansKilled.value: "civilians_killed",
               CKG.injured.value: "injured"}
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_POINT = re.compile(r"\s*(?:<[^>]*>\s*)?POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)\s*", re.IGNORECASE)
LABEL, ALIAS = RDFS.label.value, SKOS.altLabel.value


@dataclass
class Snapshot:
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


def read_snapshot(store: GraphStore) -> Snapshot:
    """Read nodes, attributes and relation statements with a few whole-graph queries."""
    snap = Snapshot()
    best: dict[str, tuple[int, str, str]] = {}
    for s, t in store.query(internal_query("export_nodes")):
        rank = _RANK.get(t.value)
        if rank is not None and (s.value not in best or rank < best[s.value]):
            best[s.value] = rank
    for iri, (_, name, kind) in best.items():
        snap.nodes[iri] = {"kind": kind, "type": name}
    nodes = snap.nodes

    names: dict[str, dict[str, set[str]]] = {LABEL: defaultdict(set), ALIAS: defaultdict(set)}
    for s, p, literal in store.query(internal_query("export_labels")):
        if s.value in nodes and (text := clean_text(literal.value)):
            names[p.value][s.value].add(text)
    labels, aliases = names[LABEL], names[ALIAS]
    for iri, data in nodes.items():
        label = min(labels[iri]) if labels.get(iri) else clean_text(iri.rstrip("/").rsplit("/", 1)[-1]) or iri
        data["label"] = label
        other = sorted(aliases.get(iri, set()) - {label})
        if other:
            data["aliases"] = "; ".join(other)

    dates: dict[str, tuple[int, str, str]] = {}
    for s, literal in store.query(internal_query("export_dates")):
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

    for s, wkt in store.query(internal_query("export_points")):
        match = _POINT.fullmatch(wkt.value)
        if s.value not in nodes or match is None or "lat" in nodes[s.value]:
            continue
        try:
            lon, lat = float(match[1]), float(match[2])
        except ValueError:
            continue
        if math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180:
            nodes[s.value]["lat"], nodes[s.value]["lon"] = lat, lon

    for s, n in store.query(internal_query("export_article_counts")):
        if s.value in nodes:
            nodes[s.value]["articles"] = int(n.value)
    for s, _report, p, n in store.query(internal_query("export_casualties")):
        if s.value not in nodes:
            continue
        try:
            value = int(n.value)
        except ValueError:
            continue
        name = _CASUALTIES[p.value]
        nodes[s.value][name] = max(value, nodes[s.value].get(name, value))

    snap.relations = sorted((s.value, p.value.rsplit("#", 1)[1], o.value)
                            for s, p, o in store.query(internal_query("export_relations"))
                            if s.value in nodes and o.value in nodes)
    _locate_events(snap)
    return snap


def _locate_events(snap: Snapshot) -> None:
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


__all__ = ["Snapshot", "read_snapshot"]
