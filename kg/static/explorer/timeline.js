// The timeline: an overview strip of every dated event (a histogram by month, coloured by type) on which a period
// is brushed, and a vis-timeline below it with one row per event type, each event at the precision of its date (a
// month-precise event spans its month, a year-precise one its year). When the window holds more events than can be
// drawn one by one, they are counted in bins (day, week, month, quarter or year) that open when clicked.
"use strict";

import { dayText } from "./data.js";
import { escapeHtml, typeColour } from "./util.js";

const DAY = 86400000;
const MAX_ITEMS = 250;
const UNITS = ["day", "week", "month", "quarter", "year"];
const PRECISION_UNIT = { day: 0, month: 2, year: 4 };

function floorTo(t, unit) {
  const d = new Date(t);
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  if (unit === "day") return t - (((t % DAY) + DAY) % DAY);
  if (unit === "week") return floorTo(t, "day") - ((d.getUTCDay() + 6) % 7) * DAY;
  if (unit === "month") return Date.UTC(y, m, 1);
  if (unit === "quarter") return Date.UTC(y, m - (m % 3), 1);
  return Date.UTC(y, 0, 1);
}

function nextOf(start, unit) {
  const d = new Date(start);
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  if (unit === "day") return start + DAY;
  if (unit === "week") return start + 7 * DAY;
  if (unit === "month") return Date.UTC(y, m + 1, 1);
  if (unit === "quarter") return Date.UTC(y, m + 3, 1);
  return Date.UTC(y + 1, 0, 1);
}

const cssType = (type) => String(type).replace(/[^A-Za-z0-9_-]/g, "_");

function tooltip(event) {
  const figures = event.killed !== null && event.killed !== undefined
    ? ` · killed ${event.killed}${event.low !== event.high ? ` (${event.low}–${event.high})` : ""}` : "";
  return escapeHtml(`${event.label} · ${event.reports} report${event.reports === 1 ? "" : "s"}${figures}`);
}

export class TimelineView {
  constructor(overview, container, undated, app) {
    this.app = app;
    this.canvas = overview;
    this.container = container;
    this.undated = undated;
    this.current = [];
    this.context = [];
    this.period = null;
    this.mode = "items";
    this.items = new vis.DataSet();
    this.groups = new vis.DataSet();
    const extent = app.model.extent || [Date.UTC(2011, 0, 1), Date.UTC(2019, 0, 1)];
    const pad = Math.max((extent[1] - extent[0]) * 0.03, 15 * DAY);
    this.extent = [extent[0] - pad, extent[1] + pad];
    this.style(app.model.types);
    this.groups.add(app.model.types.map((type, order) => ({ id: type, order,
      content: `<span class="group-swatch" style="background:${typeColour(type)}"></span>${escapeHtml(type)}` })));
    this.timeline = new vis.Timeline(container, this.items, this.groups, {
      stack: true, showCurrentTime: false, orientation: "top", zoomMin: 3 * DAY,
      min: Math.min(this.extent[0], ...app.model.outliers.map((e) => e.t0)) - 365 * DAY,
      max: Math.max(this.extent[1], ...app.model.outliers.map((e) => e.t1)) + 365 * DAY,
      margin: { item: { horizontal: 2, vertical: 2 } }, tooltip: { followMouse: true, overflowMethod: "cap" },
      selectable: true, multiselect: false, groupOrder: "order", verticalScroll: true,
      height: `${Math.max(container.clientHeight, 120)}px`,
    });
    this.timeline.on("select", ({ items }) => this.select(items[0]));
    this.timeline.on("rangechanged", ({ byUser }) => {
      if (!byUser) return;
      clearTimeout(this.pending);
      this.pending = setTimeout(() => this.refresh(), 120);
      this.drawOverview();
    });
    window.addEventListener("resize", () => {
      this.timeline.setOptions({ height: `${Math.max(container.clientHeight, 120)}px` });
      this.drawOverview();
    });
    this.brush(overview);
  }

  /** Colours of the types, as CSS rules (vis-timeline styles items by class). */
  style(types) {
    const rules = types.map((type) => {
      const c = typeColour(type);
      const t = cssType(type);
      return `.vis-item.ty-${t}{border-color:${c};background-color:${c}33}` +
             `.vis-item.ty-${t}.vis-point{background:none}.vis-item.ty-${t} .vis-dot{border-color:${c}}` +
             `.vis-item.ty-${t}.bin{background-color:${c};border-color:${c}}`;
    });
    document.head.append(Object.assign(document.createElement("style"), { textContent: rules.join("\n") }));
  }

  select(id) {
    if (!id) return;
    const item = this.items.get(id);
    if (item && item.bin) {
      this.timeline.setSelection([]);
      this.timeline.setWindow(item.start, item.end, { animation: false });
      this.refresh();
      this.drawOverview();
    } else this.app.openEvent(id);
  }

  /**
   * Show `events` (every filter applied) in the detail and `context` (every filter but the period) in the
   * overview; `period` is [since, until] or null; `follow` moves the window to the period.
   */
  update(events, context, period, { follow = false } = {}) {
    const started = performance.now();
    this.current = events.filter((e) => e.t0 !== null);
    this.context = context.filter((e) => e.t0 !== null);
    this.period = period;
    const undated = context.length - this.context.length;
    const outside = this.context.filter((e) => e.t1 <= this.extent[0] || e.t0 >= this.extent[1]);
    this.undated.textContent = [
      undated ? `${undated} undated event${undated === 1 ? " is" : "s are"} not on the timeline.` : "",
      outside.length ? `${outside.length} dated far from the rest (${outside.slice(0, 3).map((e) => e.date).join(", ")}` +
        `${outside.length > 3 ? "…" : ""}) ${outside.length === 1 ? "is" : "are"} off the strip; pan the timeline to see ` +
        `${outside.length === 1 ? "it" : "them"}.` : "",
    ].filter(Boolean).join(" ");
    const types = new Set(this.app.state.types);
    this.groups.update(this.app.model.types.map((type) => ({ id: type, visible: !types.size || types.has(type) })));
    if (follow) {
      const [from, to] = period
        ? [Date.parse(period[0]), Date.parse(period[1]) + DAY]
        : this.extent;
      const pad = period ? Math.max((to - from) * 0.04, 3 * DAY) : 0;
      this.timeline.setWindow(from - pad, to + pad, { animation: false });
    }
    this.refresh();
    this.drawOverview();
    this.app.timings.add("timeline", performance.now() - started, this.items.length);
  }

  /** The items for the current window: the events one by one, or counted in bins when there are too many. */
  refresh() {
    const view = this.timeline.getWindow();
    const [w0, w1] = [view.start.valueOf(), view.end.valueOf()];
    const inWindow = this.current.filter((e) => e.t1 > w0 && e.t0 < w1);
    let items;
    if (inWindow.length <= MAX_ITEMS) {
      this.mode = "items";
      items = inWindow.map((e) => (e.precision === "day"
        ? { id: e.key, group: e.type, start: e.t0, type: "point", content: escapeHtml(e.location || ""),
            title: tooltip(e), className: `ty-${cssType(e.type)}` }
        : { id: e.key, group: e.type, start: e.t0, end: e.t1, type: "range", content: escapeHtml(e.location || ""),
            title: `${tooltip(e)} (${e.precision})`, className: `ty-${cssType(e.type)} precision-${e.precision}` }));
    } else {
      items = this.bins(inWindow);
    }
    this.items.clear();
    this.items.add(items);
  }

  bins(events) {
    let bins = null;
    for (const [level, unit] of UNITS.entries()) { // the finest unit that makes few enough bins
      bins = new Map();
      const last = unit === "year";
      for (const e of events) {
        const use = UNITS[Math.max(level, PRECISION_UNIT[e.precision] ?? 0)];
        const start = floorTo(e.t0, use);
        const id = `bin:${e.type}:${use}:${start}`;
        let bin = bins.get(id);
        if (!bin) {
          bins.set(id, bin = { id, group: e.type, start, end: nextOf(start, use), unit: use, count: 0 });
          if (bins.size > MAX_ITEMS && !last) break; // too many already: try the next unit
        }
        bin.count += 1;
      }
      if (bins.size <= MAX_ITEMS || last) break;
    }
    this.mode = "bins";
    return [...bins.values()].map((b) => ({
      id: b.id, group: b.group, start: b.start, end: b.end, type: "range", bin: true, content: String(b.count),
      className: `ty-${cssType(b.group)} bin`,
      title: escapeHtml(`${b.count} ${b.group} event${b.count === 1 ? "" : "s"}, ${b.unit} of ${dayText(b.start)}: ` +
                        "click to zoom in and see them one by one"),
    }));
  }

  // ------------------------------------------------------------------ the overview and its brush

  x(t, width) {
    return ((t - this.extent[0]) / (this.extent[1] - this.extent[0])) * width;
  }

  t(x, width) {
    return this.extent[0] + (x / width) * (this.extent[1] - this.extent[0]);
  }

  drawOverview(selection = null) {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width) return;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const barsHeight = height - 14;
    // months (or coarser, when narrow): a day or month-precise event counts in its month, a year's in each month by 1/12
    const monthWidth = (30.4 * DAY * width) / (this.extent[1] - this.extent[0]);
    const unit = monthWidth >= 2.5 ? "month" : monthWidth * 3 >= 2.5 ? "quarter" : "year";
    const bins = new Map();
    const add = (t, type, n) => {
      const start = floorTo(t, unit);
      let bin = bins.get(start);
      if (!bin) bins.set(start, bin = new Map());
      bin.set(type, (bin.get(type) || 0) + n);
    };
    for (const e of this.context) {
      if (e.precision === "year") for (let m = 0; m < 12; m += 1) add(Date.UTC(new Date(e.t0).getUTCFullYear(), m, 1), e.type, 1 / 12);
      else add(e.t0, e.type, 1);
    }
    let highest = 0;
    for (const bin of bins.values()) highest = Math.max(highest, [...bin.values()].reduce((a, b) => a + b, 0));
    const types = this.app.model.types;
    for (const [start, bin] of bins) {
      const x0 = this.x(start, width);
      const x1 = this.x(nextOf(start, unit), width);
      let y = barsHeight;
      for (const type of types) {
        const n = bin.get(type);
        if (!n) continue;
        const h = (n / highest) * (barsHeight - 4);
        ctx.fillStyle = typeColour(type);
        ctx.fillRect(x0, y - h, Math.max(x1 - x0 - 0.5, 1), h);
        y -= h;
      }
    }
    // years along the bottom
    ctx.fillStyle = "#555";
    ctx.font = "10px system-ui, sans-serif";
    ctx.strokeStyle = "#ccc";
    for (let year = new Date(this.extent[0]).getUTCFullYear() + 1; Date.UTC(year, 0, 1) < this.extent[1]; year += 1) {
      const x = this.x(Date.UTC(year, 0, 1), width);
      ctx.beginPath();
      ctx.moveTo(x + 0.5, 0);
      ctx.lineTo(x + 0.5, barsHeight);
      ctx.stroke();
      ctx.fillText(String(year), x + 2, height - 3);
    }
    // the period: the rest greyed
    const period = selection || (this.period ? [Date.parse(this.period[0]), Date.parse(this.period[1]) + DAY] : null);
    if (period) {
      const [a, b] = [this.x(period[0], width), this.x(period[1], width)];
      ctx.fillStyle = "rgba(255,255,255,0.72)";
      ctx.fillRect(0, 0, Math.max(a, 0), barsHeight);
      ctx.fillRect(b, 0, width - b, barsHeight);
      ctx.strokeStyle = "#222";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(a, 0.75, b - a, barsHeight - 1.5);
      ctx.lineWidth = 1;
    }
    // the detail's window
    const view = this.timeline.getWindow();
    const [w0, w1] = [this.x(view.start.valueOf(), width), this.x(view.end.valueOf(), width)];
    ctx.strokeStyle = "#0b5ea8";
    ctx.setLineDash([3, 2]);
    ctx.strokeRect(Math.max(w0, 0) + 0.5, barsHeight + 0.5, Math.min(w1, width) - Math.max(w0, 0) - 1, 2);
    ctx.setLineDash([]);
  }

  brush(canvas) {
    let start = null;
    let moved = false;
    let frame = null;
    const at = (event) => {
      const rect = canvas.getBoundingClientRect();
      return Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
    };
    const period = (x0, x1) => {
      const width = canvas.clientWidth;
      const [a, b] = [Math.min(x0, x1), Math.max(x0, x1)];
      return [dayText(this.t(a, width)), dayText(this.t(b, width))];
    };
    canvas.addEventListener("pointerdown", (event) => {
      start = at(event);
      moved = false;
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (start === null) return;
      const x = at(event);
      if (Math.abs(x - start) < 3 && !moved) return;
      moved = true;
      const [since, until] = period(start, x);
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        this.app.setPeriod(since, until, { live: true });
      });
    });
    const finish = (event) => {
      if (start === null) return;
      const x = at(event);
      const began = start;
      start = null;
      if (frame) cancelAnimationFrame(frame);
      frame = null;
      if (moved) this.app.setPeriod(...period(began, x), { live: false });
      else this.app.setPeriod(null, null, { live: false });
    };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", () => { start = null; });
  }

  /** The keys of the events drawn one by one now (for tests). */
  shownEvents() {
    return this.items.get().filter((item) => !item.bin).map((item) => item.id);
  }
}
