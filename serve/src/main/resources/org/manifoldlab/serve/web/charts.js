// Small SVG line charts, written for these pages (no library, nothing fetched from outside).
// LabChart.draw(element, {title, xLabel, yLabel, logX, logY, series: [{name, color, points: [[x, y]], band: [[x, lo, hi]],
//   dash, marks}], vlines: [{x, color, label}], yMin, yMax}) replaces the element's content with the chart.
"use strict";
const LabChart = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const W = 480, H = 260, M = {l: 52, r: 84, t: 26, b: 40};

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  function finite(v) { return typeof v === "number" && isFinite(v); }

  // "nice" ticks for a linear axis
  function ticks(lo, hi, n) {
    if (!(hi > lo)) return [lo];
    const step0 = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 5, 10].map(f => f * mag).find(s => s >= step0);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
    return out;
  }

  function logTicks(lo, hi) {
    const out = [];
    const from = Math.floor(Math.log10(lo)), to = Math.ceil(Math.log10(hi)), step = Math.max(1, Math.ceil((to - from) / 6));
    for (let p = from; p <= to; p += step) {
      const v = Math.pow(10, p);
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
    return out.length ? out : [lo, hi];
  }

  function label(v) {
    if (v === 0) return "0";
    const a = Math.abs(v);
    if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace("e+", "e");
    return String(+v.toPrecision(3));
  }

  function draw(target, spec) {
    target.textContent = "";
    const svg = el("svg", {viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img"}, target);
    if (spec.title) el("text", {x: M.l, y: 16, class: "chart-title"}, svg).textContent = spec.title;
    const xs = [], ys = [];
    for (const s of spec.series) {
      for (const [x, y] of s.points) if (finite(x) && finite(y) && (!spec.logX || x > 0) && (!spec.logY || y > 0)) { xs.push(x); ys.push(y); }
      for (const [x, lo, hi] of s.band || []) if (finite(x) && finite(lo) && finite(hi)) { xs.push(x); ys.push(lo, hi); }
    }
    if (!xs.length) {
      el("text", {x: W / 2, y: H / 2, class: "chart-empty", "text-anchor": "middle"}, svg).textContent = spec.empty || "no data yet";
      return svg;
    }
    let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = spec.yMax ?? Math.max(...ys);
    if (spec.yMin !== undefined) y0 = spec.logY ? Math.max(y0, spec.yMin) : spec.yMin;
    if (x0 === x1) { x0 -= spec.logX ? x0 / 2 : 1; x1 += spec.logX ? x1 : 1; }
    if (y0 === y1) { y0 -= spec.logY ? y0 / 2 : Math.abs(y0) * 0.1 || 1; y1 += spec.logY ? y1 : Math.abs(y1) * 0.1 || 1; }
    const fx = spec.logX ? v => Math.log10(v) : v => v, fy = spec.logY ? v => Math.log10(v) : v => v;
    const X = v => M.l + (fx(v) - fx(x0)) / (fx(x1) - fx(x0)) * (W - M.l - M.r);
    const Y = v => H - M.b - (fy(v) - fy(y0)) / (fy(y1) - fy(y0)) * (H - M.t - M.b);
    const axes = el("g", {class: "axes"}, svg);
    for (const t of spec.logX ? logTicks(x0, x1) : ticks(x0, x1, 5)) {
      el("line", {x1: X(t), x2: X(t), y1: M.t, y2: H - M.b, class: "grid"}, axes);
      el("text", {x: X(t), y: H - M.b + 14, "text-anchor": "middle"}, axes).textContent = label(t);
    }
    for (const t of spec.logY ? logTicks(y0, y1) : ticks(y0, y1, 4)) {
      el("line", {x1: M.l, x2: W - M.r, y1: Y(t), y2: Y(t), class: "grid"}, axes);
      el("text", {x: M.l - 4, y: Y(t) + 4, "text-anchor": "end"}, axes).textContent = label(t);
    }
    el("rect", {x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b, class: "frame"}, axes);
    if (spec.xLabel) el("text", {x: (M.l + W - M.r) / 2, y: H - 6, "text-anchor": "middle", class: "axis-label"}, axes).textContent = spec.xLabel;
    if (spec.yLabel) el("text", {x: 12, y: (M.t + H - M.b) / 2, "text-anchor": "middle", class: "axis-label",
      transform: `rotate(-90 12 ${(M.t + H - M.b) / 2})`}, axes).textContent = spec.yLabel;
    for (const v of spec.vlines || []) {
      if (!finite(v.x) || v.x < x0 || v.x > x1) continue;
      el("line", {x1: X(v.x), x2: X(v.x), y1: M.t, y2: H - M.b, stroke: v.color, class: "vline"}, svg);
    }
    for (const s of spec.series) {
      const band = (s.band || []).filter(([x, lo, hi]) => finite(x) && finite(lo) && finite(hi));
      for (const [x, lo, hi] of band) {
        el("line", {x1: X(x), x2: X(x), y1: Y(lo), y2: Y(hi), stroke: s.color, class: "errbar"}, svg);
      }
      const pts = s.points.filter(([x, y]) => finite(x) && finite(y) && (!spec.logX || x > 0) && (!spec.logY || y > 0))
        .map(([x, y]) => [x, Math.min(y1, Math.max(y0, y))]);
      if (!pts.length) continue;
      const d = pts.map(([x, y], i) => (i ? "L" : "M") + X(x).toFixed(1) + " " + Y(y).toFixed(1)).join("");
      const line = el("path", {d, stroke: s.color, class: "series" + (s.dash ? " dashed" : "")}, svg);
      el("title", {}, line).textContent = s.name;
      if (s.marks !== false && pts.length <= 60) {
        for (const [x, y] of pts) {
          const c = el("circle", {cx: X(x), cy: Y(y), r: 2.5, fill: s.color}, svg);
          el("title", {}, c).textContent = `${s.name}: ${label(x)}, ${label(y)}`;
        }
      }
    }
    const legend = spec.series.filter(s => s.name && !s.noLegend);
    legend.slice(0, 16).forEach((s, i) => {
      const lx = W - M.r + 6, ly = M.t + 10 + i * 12;
      el("text", {x: lx, y: ly, "text-anchor": "start", fill: s.color, class: "legend"}, svg).textContent =
        s.name.length > 16 ? s.name.slice(0, 15) + "…" : s.name;
    });
    return svg;
  }

  return {draw};
})();
