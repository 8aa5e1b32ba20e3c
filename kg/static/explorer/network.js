// The network (Cytoscape.js): the actors and people of the chosen events, linked by the events they share, an edge
// as wide as their number and coloured by what they were: hostile (one the agent, the other the target),
// diplomatic (a meeting), or other (on one side, or named together). People are linked to the side they act for,
// or folded into it (as `shared_events` counts). Only the most active are drawn; positions are kept between
// redraws, so a narrower filter removes nodes without moving the others.
"use strict";

import { kindColour } from "./util.js";
import { forceLayout } from "./layout.js";

const ACTING = new Set(["agent", "target", "participant"]);

/** Nodes and weighted edges of `events`; `fold` counts people as the actor they act for. */
export function network(events, model, { fold = false } = {}) {
  const counts = new Map();
  const pairs = new Map();
  const members = new Map(); // person -> sides
  for (const event of events) {
    const agents = new Set();
    const targets = new Set();
    const all = new Set();
    for (const role of event.roles) {
      if (!ACTING.has(role.role)) continue;
      const node = fold ? role.side : role.who;
      all.add(node);
      if (role.role === "agent") agents.add(node);
      if (role.role === "target") targets.add(node);
      if (!fold && role.side !== role.who) {
        if (!members.has(role.who)) members.set(role.who, new Set());
        members.get(role.who).add(role.side);
      }
    }
    for (const node of all) counts.set(node, (counts.get(node) || 0) + 1);
    const nodes = [...all].sort();
    for (let i = 0; i < nodes.length; i += 1) {
      for (let j = i + 1; j < nodes.length; j += 1) {
        const [a, b] = [nodes[i], nodes[j]];
        const id = `${a}|${b}`;
        let pair = pairs.get(id);
        if (!pair) pairs.set(id, pair = { a, b, shared: 0, hostile: 0, diplomatic: 0, events: [] });
        pair.shared += 1;
        if ((agents.has(a) && targets.has(b)) || (agents.has(b) && targets.has(a))) pair.hostile += 1;
        if (event.type === "DiplomaticMeeting") pair.diplomatic += 1;
        pair.events.push(event.key);
      }
    }
  }
  return { counts, pairs, members };
}

export class NetworkView {
  constructor(container, app) {
    this.app = app;
    this.positions = new Map();
    this.pairs = new Map();
    this.cy = cytoscape({
      container, elements: [], layout: { name: "preset" }, minZoom: 0.05, maxZoom: 4,
      textureOnViewport: true, hideEdgesOnViewport: true, motionBlur: false, boxSelectionEnabled: false,
      style: [
        { selector: "node", style: {
          "background-color": "data(colour)", width: "data(size)", height: "data(size)", label: "data(shown)",
          "font-size": 11, "text-valign": "bottom", "text-margin-y": 2, color: "#222", "text-outline-color": "#fff",
          "text-outline-width": 2, "min-zoomed-font-size": 5 } },
        { selector: "node.person", style: { shape: "round-rectangle" } },
        { selector: "node.chosen", style: { "border-width": 3, "border-color": "#000" } },
        { selector: "edge", style: {
          width: "data(width)", "line-color": "data(colour)", opacity: 0.7, "curve-style": "haystack" } },
        { selector: "edge.member", style: { "line-style": "dashed", "line-color": "#b58bb0", width: 1, opacity: 0.8,
          "curve-style": "straight" } },
        { selector: "node:active, node:selected", style: { "overlay-opacity": 0.15 } },
      ],
    });
    this.cy.on("tap", "node", (event) => {
      const id = event.target.id();
      this.app.setFilters({ actor: this.app.state.actor === id ? null : id });
    });
    this.cy.on("tap", "edge", (event) => {
      const pair = this.pairs.get(event.target.id());
      if (pair) this.app.card.showPair(pair);
    });
  }

  /** Draw the network of `events`, at most `top` nodes, people shown or folded. */
  update(events, { top = 100, fold = false } = {}) {
    const started = performance.now();
    const model = this.app.model;
    const { counts, pairs, members } = network(events, model, { fold });
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const kept = new Map(ranked.slice(0, top));
    const largest = ranked.length ? ranked[0][1] : 1;
    const labelled = new Set(ranked.slice(0, kept.size <= 60 ? kept.size : 40).map(([id]) => id));
    const edges = [];
    this.pairs = new Map();
    for (const [id, pair] of pairs) {
      if (!kept.has(pair.a) || !kept.has(pair.b)) continue;
      const colour = pair.hostile * 2 >= pair.shared ? "#c0392b" : pair.diplomatic * 2 >= pair.shared ? "#2874a6" : "#9a9a9a";
      edges.push({ data: { id, source: pair.a, target: pair.b, weight: pair.shared, colour,
        width: 1 + 2.2 * Math.log2(pair.shared), hostile: pair.hostile, diplomatic: pair.diplomatic } });
      this.pairs.set(id, pair);
    }
    if (!fold) {
      for (const [person, sides] of members) {
        for (const side of sides) {
          if (kept.has(person) && kept.has(side) && !pairs.has(`${person}|${side}`) && !pairs.has(`${side}|${person}`)) {
            edges.push({ data: { id: `member:${person}|${side}`, source: person, target: side, weight: 0.5 }, classes: "member" });
          }
        }
      }
    }
    const nodes = [...kept].map(([id, n]) => {
      const actor = model.actors.get(id);
      const kind = actor ? actor.kind : "Actor";
      return { data: { id, label: actor ? actor.label : id, shown: labelled.has(id) ? (actor ? actor.label : id) : "",
        events: n, kind, colour: kindColour(actor && actor.person ? "Person" : kind),
        size: 10 + 30 * Math.sqrt(n / largest) }, classes: [actor && actor.person ? "person" : "",
        this.app.state.actor === id ? "chosen" : ""].join(" ") };
    });
    const ids = nodes.map((n) => n.data.id);
    const links = edges.map((e) => [e.data.source, e.data.target, e.data.weight]);
    const fresh = ids.filter((id) => !this.positions.has(id));
    if (fresh.length) {
      const laid = forceLayout(ids, links, { fixed: this.positions, iterations: fresh.length === ids.length ? 250 : 120 });
      for (const [id, xy] of laid) this.positions.set(id, xy);
    }
    for (const node of nodes) node.position = { ...this.positions.get(node.data.id) };
    this.cy.resize(); // the panel may have changed size since the last time
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add([...nodes, ...edges]);
    });
    this.cy.fit(undefined, 24);
    if (this.cy.zoom() > 1.6) { // a few nodes: no need to blow them up
      this.cy.zoom(1.6);
      this.cy.center();
    }
    this.shown = { nodes: nodes.length, of: counts.size, edges: edges.length };
    this.app.timings.add("network", performance.now() - started, nodes.length);
  }

  /** The labels of the actors and people drawn now (for tests). */
  shownActors() {
    return this.cy.nodes().map((n) => n.data("label"));
  }
}
