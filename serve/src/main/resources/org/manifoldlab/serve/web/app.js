// Shared by the pages: fetching, live streams, formats and colours.
"use strict";
const Lab = (() => {
  const LAYER_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const num = v => (v === null || v === undefined) ? NaN : +v;   // NaN arrives as the string "NaN"

  async function json(url) {
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  // Opens a server-sent event stream; handlers maps event types to functions of the parsed data.
  // The browser reconnects a stream that ended; the server then starts it with a fresh snapshot.
  function live(url, handlers, onState) {
    const source = new EventSource(url);
    for (const [type, fn] of Object.entries(handlers)) {
      source.addEventListener(type, e => fn(JSON.parse(e.data)));
    }
    source.onopen = () => onState && onState("live");
    source.onerror = () => onState && onState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    return source;
  }

  function layerColor(layer) { return LAYER_COLORS[(layer - 1) % LAYER_COLORS.length]; }

  // a colour per distinct key (a sweep's settings), in order of first sight
  function palette() {
    const seen = new Map();
    return key => {
      if (!seen.has(key)) seen.set(key, LAYER_COLORS[seen.size % LAYER_COLORS.length]);
      return seen.get(key);
    };
  }

  function fmt(v, digits) {
    const x = num(v);
    return isFinite(x) ? x.toFixed(digits ?? 3) : "–";
  }

  function pct(v) {
    const x = num(v);
    return isFinite(x) ? (100 * x).toFixed(1) + "%" : "–";
  }

  function eta(etaAt) {
    if (!etaAt) return "–";
    const s = Math.max(0, Math.round((Date.parse(etaAt) - Date.now()) / 1000));
    if (s >= 3600) return Math.floor(s / 3600) + "h" + String(Math.floor(s % 3600 / 60)).padStart(2, "0") + "m";
    if (s >= 60) return Math.floor(s / 60) + "m" + String(s % 60).padStart(2, "0") + "s";
    return s + "s";
  }

  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
    }
    for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function badge(state) { return h("span", {class: "state state-" + state}, state); }

  function progressBar(p) {
    const x = Math.max(0, Math.min(1, num(p) || 0));
    return h("span", {class: "bar", title: (100 * x).toFixed(1) + "%"}, h("span", {style: `width:${(100 * x).toFixed(1)}%`}));
  }

  function runLink(id) { return "run?id=" + encodeURIComponent(id); }
  function sweepLink(id) { return "sweep?id=" + encodeURIComponent(id); }
  function fileLink(id, path) { return "files/" + id.split("/").length + "/" + id.split("/").map(encodeURIComponent).join("/") + "/" + path; }

  function connection(state) {
    const e = document.getElementById("connection");
    if (e) { e.textContent = state; e.className = "connection " + state; }
  }

  function param(name) { return new URLSearchParams(location.search).get(name); }

  return {num, json, live, layerColor, palette, fmt, pct, eta, h, badge, progressBar, runLink, sweepLink, fileLink, connection, param};
})();
