"""The three views of a snapshot of the graph, as networkx graphs.

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

>>> from kg.exporting.snapshot import Snapshot
>>> BUILDERS["actors"](Snapshot()).graph["view"]
'actors'
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from itertools import combinations, pairwise
from typing import Any

import networkx as nx

from kg.exporting.snapshot import Snapshot

VIEWS = ("full", "actors", "events")
"""The views there are (:data:`BUILDERS` makes each)."""


def _full(snap: Snapshot) -> nx.MultiDiGraph:
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


def _folding(snap: Snapshot) -> dict[str, str]:
    """Person -> the actor it is affiliated with (the first by IRI when several); actors map to themselves."""
    fold = {iri: iri for iri in snap.of_kind("actor", "person")}
    for s, rel, o in snap.relations:
        if (rel == "affiliation" and snap.nodes[s]["kind"] == "person" and snap.nodes[o]["kind"] == "actor"
                and (fold[s] == s or o < fold[s])):
            fold[s] = o
    return fold


def _actors(snap: Snapshot) -> nx.MultiGraph:
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


def _events(snap: Snapshot) -> nx.DiGraph:
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


BUILDERS: dict[str, Callable[[Snapshot], nx.Graph]] = {"full": _full, "actors": _actors, "events": _events}
"""Each view's maker."""


__all__ = ["BUILDERS", "VIEWS"]
