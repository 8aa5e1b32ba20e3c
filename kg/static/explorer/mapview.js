// The map (Leaflet, no tiles): the places of the chosen events as markers sized by events or deaths, each a pie of
// its event types, clustered when dense; country outlines and governorate names from the package's base map; the
// places without coordinates listed beside it with the place that contains them.
"use strict";

import { el, number, typeColour } from "./util.js";

const SYRIA = [[32.2, 35.6], [37.4, 42.4]];
const MAX_RADIUS = 26;
const MIN_RADIUS = 6;
const UNPLACED_SHOWN = 200;

/** An SVG pie of `counts` (Map type -> n) of radius r. */
function pie(counts, r) {
  const total = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
  const size = 2 * r + 2;
  const parts = [];
  if (counts.size <= 1) {
    const [type] = counts.keys();
    parts.push(`<circle cx="${r + 1}" cy="${r + 1}" r="${r}" fill="${typeColour(type)}"/>`);
  } else {
    let angle = -Math.PI / 2;
    for (const [type, n] of [...counts].sort((a, b) => b[1] - a[1])) {
      const next = angle + (2 * Math.PI * n) / total;
      const large = next - angle > Math.PI ? 1 : 0;
      const [x0, y0] = [r + 1 + r * Math.cos(angle), r + 1 + r * Math.sin(angle)];
      const [x1, y1] = [r + 1 + r * Math.cos(next), r + 1 + r * Math.sin(next)];
      parts.push(`<path d="M${r + 1},${r + 1}L${x0.toFixed(2)},${y0.toFixed(2)}A${r},${r} 0 ${large} 1 ` +
                 `${x1.toFixed(2)},${y1.toFixed(2)}Z" fill="${typeColour(type)}"/>`);
      angle = next;
    }
  }
  parts.push(`<circle cx="${r + 1}" cy="${r + 1}" r="${r}" fill="none" stroke="#fff" stroke-width="1.2"/>`);
  return `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${parts.join("")}</svg>`;
}

export class MapView {
  constructor(container, list, summary, app) {
    this.app = app;
    this.list = list;
    this.summary = summary;
    this.markers = new Map(); // place key -> L.Marker
    this.shown = []; // the place keys with a marker now
    this.scale = 1;
    this.map = L.map(container, { zoomSnap: 0.25, minZoom: 2, maxZoom: 13, worldCopyJump: false, preferCanvas: false });
    this.map.attributionControl.setPrefix("Leaflet");
    this.map.attributionControl.addAttribution("outlines: Natural Earth · no map tiles (offline)");
    this.map.fitBounds(SYRIA);
    L.control.scale({ imperial: false }).addTo(this.map);
    this.coordinates(this.map);
    this.graticule();
    this.cluster = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 36, spiderfyOnMaxZoom: true,
      iconCreateFunction: (cluster) => this.clusterIcon(cluster),
    });
    this.map.addLayer(this.cluster);
  }

  /** Country outlines and governorate labels (kg/static/basemap.geojson). */
  async basemap(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`the base map: ${response.status}`);
    const geojson = await response.json();
    this.map.createPane("basemap").style.zIndex = 250;
    const countries = geojson.features.filter((f) => f.properties.kind === "country");
    L.geoJSON(countries, {
      pane: "basemap", interactive: false,
      style: (f) => (f.properties.name === "Syria"
        ? { color: "#7d715c", weight: 1.6, fillColor: "#f6f0e2", fillOpacity: 1 }
        : { color: "#a8a08f", weight: 0.8, fillColor: "#eeebe4", fillOpacity: 1 }),
    }).addTo(this.map);
    const label = (f) => {
      const [lon, lat] = f.geometry.coordinates;
      return L.marker([lat, lon], { interactive: false, keyboard: false, pane: "basemap",
        icon: L.divIcon({ className: "kg-gov-label", html: `<span>${f.properties.name.replace(/[<>&]/g, "")}</span>`,
          iconSize: null }) });
    };
    const governorates = geojson.features.filter((f) => f.properties.kind === "governorate");
    // Syria's governorates from zoom 6, its neighbours' (many, small) from zoom 8
    const layers = [[6, L.layerGroup(governorates.filter((f) => f.properties.country === "SY").map(label))],
      [8, L.layerGroup(governorates.filter((f) => f.properties.country !== "SY").map(label))]];
    const toggle = () => {
      for (const [zoom, layer] of layers) {
        if (this.map.getZoom() >= zoom) layer.addTo(this.map);
        else layer.remove();
      }
    };
    this.map.on("zoomend", toggle);
    toggle();
  }

  graticule() {
    const renderer = L.canvas({ padding: 0.2 });
    const style = { color: "#b8c6cf", weight: 0.6, interactive: false, renderer };
    const coarse = [];
    const fine = [];
    for (let lon = -180; lon <= 180; lon += 1) {
      (lon % 10 === 0 ? coarse : fine).push(L.polyline([[-80, lon], [80, lon]], style));
    }
    for (let lat = -80; lat <= 80; lat += 1) {
      (lat % 10 === 0 ? coarse : fine).push(L.polyline([[lat, -180], [lat, 180]], style));
    }
    L.layerGroup(coarse).addTo(this.map);
    const fineLayer = L.layerGroup(fine);
    const toggle = () => (this.map.getZoom() >= 5 ? fineLayer.addTo(this.map) : fineLayer.remove());
    this.map.on("zoomend", toggle);
    toggle();
  }

  coordinates(map) {
    const Control = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: () => {
        const div = L.DomUtil.create("div", "kg-coords");
        div.textContent = "lat, lon";
        map.on("mousemove", (e) => { div.textContent = `${e.latlng.lat.toFixed(3)}, ${e.latlng.lng.toFixed(3)}`; });
        return div;
      },
    });
    new Control().addTo(map);
  }

  radius(value) {
    return Math.min(MAX_RADIUS + 8, MIN_RADIUS + this.scale * Math.sqrt(Math.max(value, 0)));
  }

  clusterIcon(cluster) {
    const counts = new Map();
    let value = 0;
    let events = 0;
    for (const marker of cluster.getAllChildMarkers()) {
      for (const [type, n] of marker.options.kg.types) counts.set(type, (counts.get(type) || 0) + n);
      value += marker.options.kg.value;
      events += marker.options.kg.count;
    }
    const r = Math.max(this.radius(value), 11);
    return L.divIcon({ className: "kg-cluster", iconSize: [2 * r + 2, 2 * r + 2],
      html: `${pie(counts, r)}<span>${events}</span>` });
  }

  /** Show the places of `events`; `sizeBy` is "events" or "killed". */
  update(events, sizeBy, { fit = false } = {}) {
    const started = performance.now();
    const at = new Map();
    for (const event of events) {
      if (!event.place) continue;
      let entry = at.get(event.place);
      if (!entry) at.set(event.place, entry = { count: 0, killed: 0, types: new Map(), events: [] });
      entry.count += 1;
      entry.killed += event.killed || 0;
      entry.types.set(event.type, (entry.types.get(event.type) || 0) + 1);
      entry.events.push(event);
    }
    const placed = [];
    const unplaced = [];
    for (const [place, entry] of at) {
      const info = this.app.model.places.get(place);
      if (info && info.lat !== null && info.lat !== undefined && info.lon !== null && info.lon !== undefined) {
        placed.push([place, info, entry]);
      } else unplaced.push([place, info, entry]);
    }
    const valueOf = (entry) => (sizeBy === "killed" ? entry.killed : entry.count);
    const largest = placed.reduce((max, [, , entry]) => Math.max(max, valueOf(entry)), 1);
    this.scale = (MAX_RADIUS - MIN_RADIUS) / Math.sqrt(largest);
    const layers = [];
    for (const [place, info, entry] of placed) {
      let marker = this.markers.get(place);
      if (!marker) {
        marker = L.marker([info.lat, info.lon], { title: info.label, keyboard: true });
        marker.bindPopup(() => this.popup(place, marker.options.kg), { maxWidth: 320 });
        this.markers.set(place, marker);
      }
      marker.options.kg = { place, count: entry.count, killed: entry.killed, value: valueOf(entry), types: entry.types,
        events: entry.events };
      const r = this.radius(valueOf(entry));
      marker.setIcon(L.divIcon({ className: "kg-marker", iconSize: [2 * r + 2, 2 * r + 2], html: pie(entry.types, r) }));
      layers.push(marker);
    }
    this.cluster.clearLayers();
    this.cluster.addLayers(layers);
    this.shown = layers.map((m) => m.options.kg.place);
    this.renderUnplaced(unplaced, events.length);
    if (fit) this.fit();
    this.app.timings.add("map", performance.now() - started, layers.length);
  }

  fit() {
    const layers = this.cluster.getLayers();
    if (!layers.length) return;
    const bounds = L.latLngBounds(layers.map((m) => m.getLatLng()));
    const inSyria = layers.filter((m) => L.latLngBounds(SYRIA).pad(0.6).contains(m.getLatLng())).length;
    if (inSyria >= 0.8 * layers.length && inSyria < layers.length) this.map.fitBounds(L.latLngBounds(SYRIA).pad(0.05));
    else this.map.fitBounds(bounds, { maxZoom: 7, padding: [60, 60] });
  }

  popup(place, data) {
    const model = this.app.model;
    const info = model.places.get(place);
    const chain = model.ancestors(place).map((p) => model.label("place", p));
    const types = [...data.types].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(", ");
    const list = el("ul", {}, data.events.slice(0, 30).map((event) => el("li", {},
      el("button", { type: "button", class: "link", onclick: () => this.app.openEvent(event.key) }, event.label))));
    return el("div", { class: "kg-popup" },
      el("h3", {}, info.label),
      chain.length ? el("p", { class: "hint" }, `in ${chain.join(", ")}`) : null,
      el("p", {}, `${data.count} event${data.count === 1 ? "" : "s"}: ${types}`),
      data.killed ? el("p", {}, `killed (best estimates, summed): ${number(data.killed)}`) : null,
      list,
      data.events.length > 30 ? el("p", { class: "hint" }, `…and ${data.events.length - 30} more`) : null,
      el("button", { type: "button", onclick: () => this.app.setFilters({ place }) }, "Only this place"));
  }

  renderUnplaced(unplaced, total) {
    const model = this.app.model;
    unplaced.sort((a, b) => b[2].count - a[2].count || String(a[1]?.label).localeCompare(String(b[1]?.label)));
    const events = unplaced.reduce((n, [, , entry]) => n + entry.count, 0);
    this.summary.textContent = unplaced.length
      ? `${events} of ${total} events are at ${unplaced.length} place${unplaced.length === 1 ? "" : "s"} without coordinates:`
      : "Every event shown has a place with coordinates.";
    this.list.replaceChildren(...unplaced.slice(0, UNPLACED_SHOWN).map(([place, info, entry]) => {
      const container = info && info.parent ? model.label("place", info.parent) : null;
      return el("li", { "data-place": place },
        el("button", { type: "button", class: "link", title: "Only this place",
          onclick: () => this.app.setFilters({ place }) }, info ? info.label : place),
        container ? el("span", { class: "container" }, ` in ${container}`) : el("span", { class: "container" }, ` (${info?.kind || "place"})`),
        ` · ${entry.count}`);
    }));
    if (unplaced.length > UNPLACED_SHOWN) {
      this.list.append(el("li", { class: "hint" }, `…and ${unplaced.length - UNPLACED_SHOWN} more places`));
    }
  }
}
