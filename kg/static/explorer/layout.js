// A force-directed layout (Fruchterman and Reingold's) for the network: deterministic (a seeded generator), and
// warm-started: nodes placed before stay where they were, new ones settle around them. A few hundred nodes take a
// few tens of milliseconds, which Cytoscape's own cose layout takes seconds for.
"use strict";

function random(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * Positions {x, y} for `ids`, given links [a, b, weight]; nodes in `fixed` (a Map id -> {x, y}) keep theirs.
 * Returns a Map id -> {x, y} for every id.
 */
export function forceLayout(ids, links, { fixed = new Map(), iterations = 200, seed = 7 } = {}) {
  const n = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const pinned = new Uint8Array(n);
  const rand = random(seed);
  const area = 600 * 600 * Math.max(1, n / 60);
  const k = Math.sqrt(area / Math.max(n, 1));
  const neighbours = ids.map(() => []);
  const edges = [];
  for (const [a, b, w] of links) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) continue;
    edges.push([i, j, Math.min(1 + Math.log2(1 + w), 4)]);
    neighbours[i].push(j);
    neighbours[j].push(i);
  }
  const radius = Math.sqrt(area) / 2;
  const gravity = area / (1.2 * radius); // a node alone settles about 1.2 radii out, the rest within
  for (let i = 0; i < n; i += 1) {
    const known = fixed.get(ids[i]);
    if (known) {
      [x[i], y[i]] = [known.x, known.y];
      pinned[i] = 1;
    }
  }
  for (let i = 0; i < n; i += 1) { // a new node starts by a placed neighbour, else on a circle
    if (pinned[i]) continue;
    const near = neighbours[i].find((j) => pinned[j]);
    const angle = rand() * 2 * Math.PI;
    if (near !== undefined) {
      x[i] = x[near] + Math.cos(angle) * k;
      y[i] = y[near] + Math.sin(angle) * k;
    } else {
      const r = radius * (0.3 + 0.7 * rand());
      x[i] = Math.cos(angle) * r;
      y[i] = Math.sin(angle) * r;
    }
  }
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  let temperature = pinned.some((p) => p) ? k * 2 : radius / 2;
  const cooling = temperature / (iterations + 1);
  for (let step = 0; step < iterations; step += 1) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i += 1) {
      for (let j = i + 1; j < n; j += 1) {
        let ex = x[i] - x[j];
        let ey = y[i] - y[j];
        let d2 = ex * ex + ey * ey;
        if (d2 < 0.01) { ex = rand() - 0.5; ey = rand() - 0.5; d2 = 0.25; }
        const f = (k * k) / d2;
        dx[i] += ex * f; dy[i] += ey * f;
        dx[j] -= ex * f; dy[j] -= ey * f;
      }
    }
    for (const [i, j, w] of edges) {
      const ex = x[i] - x[j];
      const ey = y[i] - y[j];
      const d = Math.sqrt(ex * ex + ey * ey) || 0.01;
      const f = (d * w) / k;
      dx[i] -= ex * f; dy[i] -= ey * f;
      dx[j] += ex * f; dy[j] += ey * f;
    }
    for (let i = 0; i < n; i += 1) { // a pull of one strength to the middle keeps lone nodes and small groups near
      const r = Math.sqrt(x[i] * x[i] + y[i] * y[i]);
      if (r > 1) {
        dx[i] -= (x[i] / r) * gravity;
        dy[i] -= (y[i] * gravity) / r;
      }
    }
    for (let i = 0; i < n; i += 1) {
      if (pinned[i]) continue;
      const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
      const move = Math.min(d, temperature);
      x[i] += (dx[i] / d) * move;
      y[i] += (dy[i] / d) * move;
    }
    temperature = Math.max(temperature - cooling, k * 0.02);
  }
  return new Map(ids.map((id, i) => [id, { x: x[i], y: y[i] }]));
}
