// The page's data: named queries (queries/*.rq, listed at /queries.json) run through this server's SPARQL
// endpoint with no parameter bound, their rows turned into plain values, and the model the views share.
"use strict";

export const ID_BASE = "https://w3id.org/conflict-kg/id/";
const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMBERS = new Set(["integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
  "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt"].map((t) => XSD + t));

/** The key of an instance IRI, as tables print it ("place/sy/raqqa"); other IRIs stay whole. */
export function key(iri) {
  return typeof iri === "string" && iri.startsWith(ID_BASE) ? iri.slice(ID_BASE.length) : iri;
}

/** A SPARQL JSON term as a plain value: numbers as numbers, booleans as booleans, anything else its text. */
export function plain(term) {
  if (!term) return null;
  if (term.type === "literal" || term.type === "typed-literal") {
    if (NUMBERS.has(term.datatype)) return Number(term.value);
    if (term.datatype === XSD + "boolean") return term.value === "true" || term.value === "1";
  }
  return term.value;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** This server's SPARQL endpoint and its named queries. */
export class Endpoint {
  constructor(base) {
    this.base = base;
    this.sparql = new URL("sparql", base).href;
    this.texts = new Map();
  }

  async load() {
    const response = await fetch(new URL("queries.json", this.base), { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`the named queries: ${response.status} ${await response.text()}`);
    const listing = await response.json();
    for (const query of listing.queries) this.texts.set(query.name, query.text);
    return this;
  }

  /** The rows of the named query `name`, every parameter left unbound (so: all of them), as plain values. */
  async rows(name) {
    const text = this.texts.get(name);
    if (text === undefined) throw new Error(`the server has no named query ${name}`);
    const url = `${this.sparql}?${new URLSearchParams({ query: text })}`;
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetch(url, { headers: { Accept: "application/sparql-results+json" } });
      if (response.status === 503 && attempt < 5) { // busy: wait as told, then again
        const wait = Number(response.headers.get("Retry-After")) || 2 ** attempt;
        await sleep(1000 * Math.min(wait, 10));
        continue;
      }
      if (!response.ok) throw new Error(`${name}: ${response.status} ${(await response.text()).trim()}`);
      const json = await response.json();
      const vars = json.head.vars;
      return json.results.bindings.map((binding) => {
        const row = {};
        for (const v of vars) row[v] = plain(binding[v]);
        return row;
      });
    }
  }
}

const DAY = 86400000;

/** Milliseconds (UTC) of a YYYY-MM-DD string. */
export function dayMs(text) {
  return Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)));
}

/** YYYY-MM-DD of milliseconds (UTC). */
export function dayText(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

export function precisionOf(date) {
  if (!date) return null;
  return date.length === 4 ? "year" : date.length === 7 ? "month" : "day";
}

/**
 * The graph as the views need it, from the rows of event_summaries, event_roles, places and actors.
 * Events: {key, type, label, date, precision, start, end, t0, t1, place, location, reports, killed, low, high,
 * confidence, roles: [{role, who, side}]}, in the query's order (by date, undated last).
 */
export function buildModel({ events, roles, places, actors }) {
  const placeMap = new Map();
  for (const row of places) {
    placeMap.set(key(row.place), {
      key: key(row.place), label: row.label, kind: row.kind || "Place", lat: row.lat, lon: row.lon,
      parent: row.parent ? key(row.parent) : null, container: row.container, events: row.events || 0,
    });
  }
  const actorMap = new Map();
  for (const row of actors) {
    const kinds = (row.kind || "").split(", ").filter(Boolean);
    actorMap.set(key(row.node), {
      key: key(row.node), label: row.label, kinds, kind: kinds[0] || "Actor", person: kinds.includes("Person"),
      affiliation: row.affiliation || null, events: row.events || 0,
    });
  }
  const list = [];
  const byKey = new Map();
  for (const row of events) {
    const event = {
      key: key(row.event), type: row.type, label: row.label, date: row.date, precision: precisionOf(row.date),
      start: row.start, end: row.end, t0: row.start ? dayMs(row.start) : null, t1: row.end ? dayMs(row.end) + DAY : null,
      place: row.place ? key(row.place) : null, location: row.location, reports: row.reports || 0,
      killed: row.killed, low: row.low, high: row.high, confidence: row.confidence, roles: [],
    };
    if (byKey.has(event.key)) continue;
    byKey.set(event.key, event);
    list.push(event);
  }
  for (const row of roles) {
    const event = byKey.get(key(row.event));
    if (!event) continue;
    const who = key(row.who);
    const side = key(row.side);
    event.roles.push({ role: row.role, who, side, name: row.name, sideName: row.side_name });
    for (const [node, label, kind] of [[who, row.name, row.kind], [side, row.side_name, null]]) {
      if (!actorMap.has(node)) {
        actorMap.set(node, { key: node, label, kinds: kind ? [kind] : [], kind: kind || "Actor", person: kind === "Person",
          affiliation: null, events: 0 });
      }
    }
  }
  const types = new Map();
  for (const event of list) types.set(event.type, (types.get(event.type) || 0) + 1);
  return new Model(list, byKey, placeMap, actorMap, types);
}

function spanOf(events) {
  let [from, to] = [Infinity, -Infinity];
  for (const e of events) {
    from = Math.min(from, e.t0);
    to = Math.max(to, e.t1);
  }
  return [from, to];
}

export class Model {
  constructor(events, byKey, places, actors, types) {
    this.events = events;
    this.byKey = byKey;
    this.places = places;
    this.actors = actors;
    this.types = [...types.keys()].sort();
    this.typeCounts = types;
    this._ancestors = new Map();
    this.dated = events.filter((e) => e.t0 !== null);
    this.extent = this.dated.length ? spanOf(this.dated) : null;
    this.outliers = [];
    if (this.dated.length >= 50) { // a few misread dates (1984 in a report of 2016) should not squash the rest
      const starts = this.dated.map((e) => e.t0).sort((a, b) => a - b);
      const ends = this.dated.map((e) => e.t1).sort((a, b) => a - b);
      const cut = Math.floor(this.dated.length * 0.002);
      const core = [starts[cut], ends[ends.length - 1 - cut]];
      const year = 365 * 86400000;
      const [from, to] = [core[0] - year, core[1] + year];
      this.outliers = this.dated.filter((e) => e.t1 < from || e.t0 > to);
      if (this.outliers.length) this.extent = spanOf(this.dated.filter((e) => e.t1 >= from && e.t0 <= to));
    }
  }

  /** The keys of the places that contain `place`, nearest first. */
  ancestors(place) {
    if (!this._ancestors.has(place)) {
      const chain = [];
      const seen = new Set([place]);
      let at = this.places.get(place);
      while (at && at.parent && !seen.has(at.parent)) {
        chain.push(at.parent);
        seen.add(at.parent);
        at = this.places.get(at.parent);
      }
      this._ancestors.set(place, chain);
    }
    return this._ancestors.get(place);
  }

  /** An actor or place key from a key or a name (case-insensitive), or null. */
  find(kind, text) {
    if (!text) return null;
    const map = kind === "actor" ? this.actors : this.places;
    const trimmed = text.trim();
    const bare = trimmed.startsWith(ID_BASE) ? key(trimmed) : trimmed;
    if (map.has(bare)) return bare;
    const lower = bare.toLowerCase();
    let found = null;
    for (const item of map.values()) {
      if (item.label && item.label.toLowerCase() === lower) {
        if (kind === "place" && found && item.events <= map.get(found).events) continue;
        found = item.key;
        if (kind === "actor") break;
      }
    }
    return found;
  }

  label(kind, itemKey) {
    const item = (kind === "actor" ? this.actors : this.places).get(itemKey);
    return item ? item.label : itemKey;
  }
}

/** Index the card's rows (event_sources, casualty_figures) by event. */
export function indexByEvent(rows) {
  const index = new Map();
  for (const row of rows) {
    const k = key(row.event);
    if (!index.has(k)) index.set(k, []);
    index.get(k).push(row);
  }
  return index;
}
