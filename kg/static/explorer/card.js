// The event card: type, date, place, roles, the reconciled tolls and every report's figures side by side with its
// source, and every article that reports the event with the sentences it was read from. The figures and sources
// are the rows of the named queries `casualty_figures` and `event_sources`, loaded once for every event.
"use strict";

import { dateText, el, number, typeColour } from "./util.js";

const ROLES = [["agent", "Agent"], ["target", "Target"], ["participant", "Took part"], ["claimedBy", "Claimed by"],
  ["accusedBy", "Accused by"]];

export class Card {
  constructor(panel, body, close, app) {
    this.app = app;
    this.panel = panel;
    this.body = body;
    close.addEventListener("click", () => app.openEvent(null));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !panel.hidden) app.openEvent(null);
    });
  }

  hide() {
    this.panel.hidden = true;
    this.body.replaceChildren();
    this.showing = null;
  }

  /** Show the card of the event `key` (its sources and figures follow once loaded). */
  show(key) {
    const event = this.app.model.byKey.get(key);
    if (!event) return this.hide();
    this.showing = key;
    this.panel.hidden = false;
    this.body.replaceChildren(...this.head(event), el("p", { class: "hint", id: "card-loading" }, "Loading the articles…"));
    this.app.cardData().then((data) => {
      if (this.showing === key) this.body.replaceChildren(...this.head(event), ...this.details(event, data));
    }, (err) => {
      if (this.showing === key) {
        this.body.append(el("p", { class: "conflict" }, `Could not load the articles: ${err.message}`));
      }
    });
    this.panel.scrollTop = 0;
  }

  head(event) {
    const model = this.app.model;
    const place = event.place ? model.places.get(event.place) : null;
    const chain = event.place ? [event.place, ...model.ancestors(event.place)] : [];
    const placeLinks = chain.map((p, i) => [i ? " › " : "", el("button", { type: "button", class: "link",
      title: "Only this place", onclick: () => this.app.setFilters({ place: p }) }, model.label("place", p))]);
    const roles = ROLES.map(([role, title]) => {
      const who = event.roles.filter((r) => r.role === role);
      if (!who.length) return null;
      return [el("dt", {}, title), el("dd", {}, who.map((r, i) => [i ? ", " : "",
        el("button", { type: "button", class: "link", title: "Only this actor",
          onclick: () => this.app.setFilters({ actor: r.who }) }, r.name),
        r.side !== r.who ? ` (${r.sideName})` : ""]))];
    });
    const coordinates = place && place.lat !== null && place.lat !== undefined ? ` · ${place.lat}, ${place.lon}` : "";
    return [
      el("h2", {}, el("span", { class: "type-badge", style: `background:${typeColour(event.type)}` }, event.type),
        event.label),
      el("dl", {},
        el("dt", {}, "Date"), el("dd", {}, dateText(event.date)),
        el("dt", {}, "Place"), el("dd", {}, placeLinks.length ? placeLinks : "unknown", coordinates),
        roles,
        el("dt", {}, "Reported by"), el("dd", {}, `${event.reports} article${event.reports === 1 ? "" : "s"}`,
          event.confidence !== null && event.confidence !== undefined ? ` · confidence ${event.confidence}` : "")),
    ];
  }

  details(event, data) {
    const figures = data.figures.get(event.key) || [];
    const sources = data.sources.get(event.key) || [];
    const out = [];
    if (figures.length) {
      const tolls = [...new Set(figures.map((f) => f.killed).filter((k) => k !== null && k !== undefined))];
      out.push(el("h3", {}, "Casualty figures"));
      const first = figures[0];
      if (first.best !== null && first.best !== undefined) {
        out.push(el("p", {}, `Reconciled: best ${number(first.best)}` +
          (first.low !== first.high ? `, from ${number(first.low)} to ${number(first.high)}` : "")));
      }
      if (tolls.length > 1) out.push(el("p", { class: "conflict" }, `The reports disagree: ${tolls.join(" · ")} killed.`));
      out.push(el("div", { class: "figures" }, figures.map((f) => el("div", {
        class: `figure${tolls.length > 1 ? " differs" : ""}`, "data-article": f.article },
        el("div", { class: "killed" }, f.killed !== null && f.killed !== undefined ? number(f.killed) : "–"),
        el("div", {}, "killed", f.qualifier && f.qualifier !== "exact" ? ` (${f.qualifier})` : ""),
        f.civilians !== null && f.civilians !== undefined ? el("div", {}, `${number(f.civilians)} civilians`) : null,
        f.injured !== null && f.injured !== undefined ? el("div", {}, `${number(f.injured)} injured`) : null,
        el("div", { class: "source" }, f.reported_by ? `according to ${f.reported_by}` : "no source named"),
        el("div", { class: "source" }, `in ${f.article}`, f.outlet ? ` (${f.outlet}` : "",
          f.published ? `${f.outlet ? ", " : " ("}${f.published}` : "", f.outlet || f.published ? ")" : "")))));
    }
    const articles = new Map();
    for (const row of sources) {
      if (!articles.has(row.article)) articles.set(row.article, { ...row, sentences: [] });
      if (row.sentence) articles.get(row.article).sentences.push(row);
    }
    out.push(el("h3", {}, `Articles (${articles.size})`));
    out.push(el("ul", { class: "articles" }, [...articles.values()].map((a) => el("li", { "data-article": a.article },
      el("div", {}, el("strong", {}, a.title || a.article)),
      el("div", { class: "meta" }, [a.article, a.outlet, a.published].filter(Boolean).join(" · ")),
      a.sentences.map((s) => el("blockquote", {}, s.sentence, " ",
        el("span", { class: "offsets" }, `[${s.start}–${s.end}]`)))))));
    out.push(el("h3", {}, "The same from the command line"));
    out.push(el("code", { class: "cli" }, `kg query event_sources -p event=${event.key}`));
    out.push(el("code", { class: "cli" }, `kg query casualty_figures -p event=${event.key}`));
    return out;
  }

  /** The events two actors share (an edge of the network). */
  showPair(pair) {
    const model = this.app.model;
    this.showing = null;
    this.panel.hidden = false;
    const [a, b] = [model.label("actor", pair.a), model.label("actor", pair.b)];
    this.body.replaceChildren(
      el("h2", {}, `${a} and ${b}`),
      el("p", {}, `${pair.shared} shared event${pair.shared === 1 ? "" : "s"}: ${pair.hostile} hostile, ` +
        `${pair.diplomatic} diplomatic.`),
      el("ol", { class: "event-list" }, pair.events.map((k) => el("li", {},
        el("button", { type: "button", class: "link", onclick: () => this.app.openEvent(k) },
          model.byKey.get(k)?.label || k)))));
  }
}
