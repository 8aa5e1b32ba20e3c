// The filters (actor, place, event types, a period) and the view options, kept in the page's URL so that a view
// can be shared; and the test of an event against them, which means what the parameters of the named query
// `events` mean: an actor's events include those of the people who act for it, a place's those of the places
// inside it, an event dated to a month or a year is in a period when the two overlap, and an undated event is
// in no period.
"use strict";

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const ACTING = new Set(["agent", "target", "participant"]);
export const DEFAULTS = { size: "events", people: "shown", top: 100 };

export function validDate(text) {
  return !text || DATE.test(text);
}

/** The first day of a period given as YYYY, YYYY-MM or YYYY-MM-DD. */
export function periodStart(date) {
  return date + "-01-01".slice(date.length - 4);
}

/** Its last day as text that compares as dates do ("2014-11" -> "2014-11-31", as `events` compares). */
export function periodEnd(date) {
  return date + "-12-31".slice(date.length - 4);
}

/** The state a URL's query string gives (unknown names are kept in `unknown`). */
export function readState(search, model) {
  const params = new URLSearchParams(search);
  const state = { actor: null, place: null, types: new Set(), since: null, until: null, event: null, ...DEFAULTS,
    unknown: [] };
  for (const kind of ["actor", "place"]) {
    const value = params.get(kind);
    if (!value) continue;
    const found = model.find(kind, value);
    if (found) state[kind] = found;
    else state.unknown.push(`${kind} ${value}`);
  }
  for (const type of (params.get("type") || "").split(",").map((t) => t.trim()).filter(Boolean)) {
    if (model.types.includes(type)) state.types.add(type);
    else state.unknown.push(`type ${type}`);
  }
  for (const bound of ["since", "until"]) {
    const value = (params.get(bound) || "").trim();
    if (value && validDate(value)) state[bound] = value;
    else if (value) state.unknown.push(`${bound} ${value} (expected YYYY, YYYY-MM or YYYY-MM-DD)`);
  }
  const event = params.get("event");
  if (event) state.event = model.byKey.has(event) ? event : (model.byKey.has(event.replace(/^.*\/id\//, "")) ?
    event.replace(/^.*\/id\//, "") : null);
  if (event && !state.event) state.unknown.push(`event ${event}`);
  if (params.get("size") === "killed") state.size = "killed";
  if (params.get("people") === "folded") state.people = "folded";
  const top = Number(params.get("top"));
  if ([50, 100, 250, 500].includes(top)) state.top = top;
  return state;
}

/** The query string of a state (defaults left out). */
export function writeState(state) {
  const params = new URLSearchParams();
  if (state.actor) params.set("actor", state.actor);
  if (state.place) params.set("place", state.place);
  if (state.types.size) params.set("type", [...state.types].sort().join(","));
  if (state.since) params.set("since", state.since);
  if (state.until) params.set("until", state.until);
  if (state.event) params.set("event", state.event);
  for (const [name, value] of Object.entries(DEFAULTS)) if (state[name] !== value) params.set(name, state[name]);
  const text = params.toString().replace(/%2F/g, "/").replace(/%2C/g, ",");
  return text ? `?${text}` : "";
}

/** The same selection as a `kg query events` command line. */
export function asCommand(state) {
  const parts = ["kg query events"];
  if (state.actor) parts.push(`-p actor=${state.actor}`);
  if (state.place) parts.push(`-p place=${state.place}`);
  if (state.types.size === 1) parts.push(`-p event_type=${[...state.types][0]}`);
  if (state.since) parts.push(`-p since=${state.since}`);
  if (state.until) parts.push(`-p until=${state.until}`);
  let text = parts.join(" ");
  if (state.types.size > 1) text += `  (once per type: ${[...state.types].sort().join(", ")})`;
  return text;
}

/** The test of events against a state's filters. */
export class Filter {
  constructor(model, state) {
    this.model = model;
    this.actor = state.actor;
    this.types = state.types.size ? state.types : null;
    this.from = state.since ? periodStart(state.since) : null;
    this.to = state.until ? periodEnd(state.until) : null;
    this.places = null;
    if (state.place) {
      this.places = new Set([state.place]);
      for (const place of model.places.keys()) if (model.ancestors(place).includes(state.place)) this.places.add(place);
    }
  }

  /** Whether `event` passes; `dates: false` leaves the period out (the timeline's overview shows the rest). */
  test(event, { dates = true } = {}) {
    if (this.types && !this.types.has(event.type)) return false;
    if (this.places && !this.places.has(event.place)) return false;
    if (this.actor && !event.roles.some((r) => ACTING.has(r.role) && (r.who === this.actor || r.side === this.actor))) {
      return false;
    }
    if (dates && (this.from || this.to)) {
      if (!event.start) return false;
      if (this.from && event.end < this.from) return false;
      if (this.to && event.start > this.to) return false;
    }
    return true;
  }
}
