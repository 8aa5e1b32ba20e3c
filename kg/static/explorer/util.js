// Small helpers the views share: colours of event types and actor kinds, DOM building, timing.
"use strict";

const TYPE_COLOURS = {
  AirStrike: "#d62728", Shelling: "#ff7f0e", Bombing: "#8c564b", Battle: "#9467bd", Capture: "#2ca02c",
  Execution: "#404040", Surrender: "#17becf", Kidnapping: "#e377c2", Massacre: "#7f0000",
  DiplomaticMeeting: "#1f77b4", Event: "#7f7f7f",
};
const SPARE = ["#bcbd22", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#31a354", "#756bb1"];

export function typeColour(type) {
  if (TYPE_COLOURS[type]) return TYPE_COLOURS[type];
  let hash = 0;
  for (const ch of String(type)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return SPARE[hash % SPARE.length];
}

const KIND_COLOURS = {
  Person: "#a0709a", Government: "#2f6fa8", State: "#2f6fa8", ArmedGroup: "#b5523b", Coalition: "#4f8a35",
  InternationalOrganization: "#c29a1f", InternationalOrganisation: "#c29a1f", Monitor: "#5d6d7e",
};

export function kindColour(kind) {
  return KIND_COLOURS[kind] || "#6b6b6b";
}

/** `tag` with attributes and children (strings become text nodes: nothing is parsed as HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "onclick") node.addEventListener("click", value);
    else if (name === "style") node.setAttribute("style", value);
    else if (name in node && typeof value !== "string") node[name] = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** A date as the text gives it, with its precision when coarser than a day. */
export function dateText(date) {
  if (!date) return "undated";
  if (date.length === 4) return `${date} (year)`;
  if (date.length === 7) {
    const month = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, 1));
    return `${month.toLocaleString("en", { month: "long", timeZone: "UTC" })} ${date.slice(0, 4)} (month)`;
  }
  return date;
}

export const number = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString("en"));

/** Records how long each redraw took (ms), for the page's own display and the browser test's bench. */
export class Timings {
  constructor() {
    this.records = [];
  }

  add(view, ms, size) {
    this.records.push({ view, ms: Math.round(ms * 10) / 10, size });
    if (this.records.length > 500) this.records.shift();
  }

  last(view) {
    for (let i = this.records.length - 1; i >= 0; i -= 1) if (this.records[i].view === view) return this.records[i];
    return null;
  }
}
