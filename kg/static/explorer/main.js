// The explorer: loads the graph through this server's SPARQL endpoint (the named queries event_summaries,
// event_roles, places and actors, every parameter unbound), then filters in the page and redraws the map, the
// timeline and the network together. The filters live in the URL, so a view can be shared; the event card's
// articles and figures (event_sources, casualty_figures) are loaded once, in the background.
"use strict";

import { Card } from "./card.js";
import { Endpoint, buildModel, indexByEvent } from "./data.js";
import { DEFAULTS, Filter, asCommand, readState, validDate, writeState } from "./filters.js";
import { MapView } from "./mapview.js";
import { NetworkView } from "./network.js";
import { TimelineView } from "./timeline.js";
import { Timings, el, typeColour } from "./util.js";

const $ = (id) => document.getElementById(id);
const QUERIES = ["event_summaries", "event_roles", "places", "actors"];
const PREFETCH_UP_TO = 3000; // events

class Explorer {
  constructor(endpoint, model, loadedIn) {
    this.endpoint = endpoint;
    this.model = model;
    this.loadedIn = loadedIn;
    this.timings = new Timings();
    this.state = readState(location.search, model);
    this.ready = false;
  }

  start() {
    this.map = new MapView($("map"), $("unplaced"), $("unplaced-summary"), this);
    this.map.basemap(new URL("static/basemap.geojson", document.baseURI)).catch((err) => console.warn(err.message));
    this.timeline = new TimelineView($("overview"), $("timeline"), $("undated"), this);
    this.network = new NetworkView($("network"), this);
    this.card = new Card($("card"), $("card-body"), $("card-close"), this);
    this.controls();
    this.apply({ fit: true, follow: true, history: false });
    if (this.state.event) this.card.show(this.state.event);
    window.addEventListener("popstate", () => {
      this.state = readState(location.search, this.model);
      this.apply({ fit: true, follow: true, history: false });
      if (this.state.event) this.card.show(this.state.event);
      else this.card.hide();
    });
    this.ready = true;
    if (this.model.events.length <= PREFETCH_UP_TO) { // the cards' articles, before the first card is opened
      setTimeout(() => this.cardData().catch(() => {}), 200);
    } // (more, and reading them would stall the page for a moment while it is used: they wait for the first card)
  }

  /** Filter the events and redraw the three views. */
  apply({ fit = false, follow = false, live = false, history = true } = {}) {
    const started = performance.now();
    const filter = new Filter(this.model, this.state);
    const context = [];
    const shown = [];
    for (const event of this.model.events) {
      if (!filter.test(event, { dates: false })) continue;
      context.push(event);
      if (filter.test(event)) shown.push(event);
    }
    this.shown = shown;
    this.context = context;
    this.map.update(shown, this.state.size, { fit });
    this.network.update(shown, { top: this.state.top, fold: this.state.people === "folded" });
    const period = this.state.since || this.state.until
      ? this.periodDays([this.state.since || "0001", this.state.until || "9999"]) : null;
    if (live) { // brushing: the overview follows the pointer, the detail waits for the release
      this.timeline.period = period;
      this.timeline.drawOverview();
    } else {
      this.timeline.update(shown, context, period, { follow });
    }
    this.show(shown, context);
    if (history) this.remember(live);
    this.timings.add("all", performance.now() - started, shown.length);
    const t = (view) => Math.round(this.timings.last(view)?.ms ?? 0);
    $("status").textContent = `${this.model.events.length} events, ${this.model.places.size} places, ` +
      `${this.model.actors.size} actors and people · loaded in ${this.loadedIn.toFixed(1)} s · redrawn in ` +
      `${t("all")} ms (map ${t("map")}, timeline ${live ? "–" : t("timeline")}, network ${t("network")})`;
  }

  /** A period [since, until] of YYYY[-MM[-DD]] as first and last days, clipped to the data. */
  periodDays([since, until]) {
    const extent = this.model.extent || [0, 0];
    const first = since === "0001" ? new Date(extent[0]).toISOString().slice(0, 10)
      : since + "-01-01".slice(since.length - 4);
    let last = until;
    if (until === "9999") last = new Date(extent[1]).toISOString().slice(0, 10);
    else if (until.length === 4) last = `${until}-12-31`;
    else if (until.length === 7) {
      last = new Date(Date.UTC(Number(until.slice(0, 4)), Number(until.slice(5, 7)), 0)).toISOString().slice(0, 10);
    }
    return [first, last];
  }

  setFilters(changes) {
    Object.assign(this.state, changes);
    this.apply({ fit: "place" in changes, follow: "since" in changes || "until" in changes });
  }

  setPeriod(since, until, { live = false } = {}) {
    this.state.since = since;
    this.state.until = until;
    this.apply({ live, follow: !live });
  }

  openEvent(key) {
    this.state.event = key;
    if (key) this.card.show(key);
    else this.card.hide();
    this.remember(false);
  }

  /** The figures and sources of every event, loaded once. */
  cardData() {
    if (!this._cardData) {
      this._cardData = Promise.all([this.endpoint.rows("event_sources"), this.endpoint.rows("casualty_figures")])
        .then(([sources, figures]) => ({ sources: indexByEvent(sources), figures: indexByEvent(figures) }));
      this._cardData.catch(() => { this._cardData = null; });
    }
    return this._cardData;
  }

  remember(replace) {
    const url = location.pathname + writeState(this.state);
    if (url === location.pathname + location.search) return;
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
  }

  // ------------------------------------------------------------------ the filter bar

  controls() {
    const model = this.model;
    const byEvents = (a, b) => b.events - a.events || String(a.label).localeCompare(String(b.label));
    $("actor-names").replaceChildren(...[...model.actors.values()].sort(byEvents)
      .map((a) => el("option", { value: a.label }, a.person ? "person" : a.kind)));
    $("place-names").replaceChildren(...[...model.places.values()].sort(byEvents)
      .map((p) => el("option", { value: p.label }, p.container ? `in ${p.container}` : p.kind)));
    for (const kind of ["actor", "place"]) {
      const input = $(`f-${kind}`);
      input.addEventListener("change", () => {
        const value = input.value.trim();
        const found = value ? model.find(kind, value) : null;
        input.classList.toggle("unknown", Boolean(value) && !found);
        if (!value || found) this.setFilters({ [kind]: found });
      });
    }
    for (const bound of ["since", "until"]) {
      const input = $(`f-${bound}`);
      input.addEventListener("change", () => {
        const value = input.value.trim();
        if (validDate(value)) this.setFilters({ [bound]: value || null });
      });
    }
    $("f-types").replaceChildren(...model.types.map((type) => el("button", {
      type: "button", "data-type": type, "aria-pressed": "false", title: `Only ${type} (click again to undo)`,
      onclick: () => {
        const types = new Set(this.state.types);
        if (types.has(type)) types.delete(type);
        else types.add(type);
        this.setFilters({ types });
      },
    }, el("span", { class: "swatch", style: `background:${typeColour(type)}` }), type)));
    $("f-reset").addEventListener("click", () => this.setFilters({ actor: null, place: null, types: new Set(),
      since: null, until: null, ...DEFAULTS }));
    $("o-size").addEventListener("change", (e) => this.setFilters({ size: e.target.value }));
    $("o-people").addEventListener("change", (e) => this.setFilters({ people: e.target.value }));
    $("o-top").addEventListener("change", (e) => this.setFilters({ top: Number(e.target.value) }));
    $("o-fit").addEventListener("click", () => this.map.fit());
  }

  /** The filter bar and the counts as the state has them. */
  show(shown, context) {
    const state = this.state;
    const set = (id, value) => {
      if (document.activeElement !== $(id)) $(id).value = value;
    };
    set("f-actor", state.actor ? this.model.label("actor", state.actor) : "");
    set("f-place", state.place ? this.model.label("place", state.place) : "");
    set("f-since", state.since || "");
    set("f-until", state.until || "");
    $("o-size").value = state.size;
    $("o-people").value = state.people;
    $("o-top").value = String(state.top);
    const present = new Set(context.map((e) => e.type));
    for (const button of $("f-types").children) {
      button.setAttribute("aria-pressed", String(state.types.has(button.dataset.type)));
      button.classList.toggle("none", !present.has(button.dataset.type) && !state.types.size);
    }
    const unknown = state.unknown.length ? ` · not in the graph: ${state.unknown.join("; ")}` : "";
    $("count").textContent = `${shown.length} of ${this.model.events.length} events${unknown}`;
    $("as-query").textContent = asCommand(state);
  }
}

async function main() {
  const started = performance.now();
  try {
    const endpoint = await new Endpoint(document.baseURI).load();
    const [events, roles, places, actors] = await Promise.all(QUERIES.map((name) => endpoint.rows(name)));
    const model = buildModel({ events, roles, places, actors });
    const explorer = new Explorer(endpoint, model, (performance.now() - started) / 1000);
    window.kgExplorer = explorer;
    explorer.start();
  } catch (err) {
    $("status").textContent = `Could not load the graph: ${err.message}`;
    $("status").classList.add("error");
    window.kgExplorer = { ready: false, error: err.message };
    throw err;
  }
}

main();
