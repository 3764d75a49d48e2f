// The runs page: every run and sweep under the runs directory, kept current by /api/events.
"use strict";
(() => {
  const {h, num} = Lab;
  const runs = new Map(), sweeps = new Map();
  let sortKey = "id", sortDir = 1;

  const sortValue = {
    id: r => r.id, state: r => r.state, settings: r => (r.settings || []).join(" "), epoch: r => r.epoch,
    progress: r => r.progress, eta: r => r.etaAt ? Date.parse(r.etaAt) : Infinity,
    best: r => r.bestTestAccuracy ?? -Infinity, alpha: r => lastAlpha(r) ?? -Infinity,
  };

  function lastAlpha(r) {
    const layers = Object.keys(r.alpha || {}).map(Number).sort((a, b) => a - b);
    return layers.length ? num(r.alpha[layers[layers.length - 1]]) : null;
  }

  function matches(r) {
    const state = document.getElementById("state").value;
    if (state && r.state !== state) return false;
    const q = document.getElementById("filter").value.trim().toLowerCase();
    if (!q) return true;
    return q.split(/\s+/).every(w => [r.id, r.state, ...(r.settings || [])].some(s => String(s).toLowerCase().includes(w)));
  }

  function row(r) {
    const swept = new Set(r.swept || []);
    const alphas = Object.entries(r.alpha || {}).sort((a, b) => a[0] - b[0]).map(([l, a]) => `L${l} ${Lab.fmt(a, 2)}`).join("  ");
    return h("tr", {"data-run": r.id},
      h("td", {}, h("a", {href: Lab.runLink(r.id)}, r.id)),
      h("td", {}, Lab.badge(r.state), r.problem ? h("div", {class: "problem"}, r.problem) : null,
        r.reason && r.state !== "completed" ? h("div", {class: "muted"}, r.reason) : null),
      h("td", {class: "settings"}, (r.settings || []).map(s => [h("span", {class: swept.has(s) ? "swept" : ""}, s), " "])),
      h("td", {class: "num"}, `${r.epoch}/${r.epochs}`),
      h("td", {}, Lab.progressBar(r.progress), " ", (100 * (r.progress || 0)).toFixed(0) + "%"),
      h("td", {class: "num eta", "data-eta": r.etaAt || ""}, r.state === "running" ? Lab.eta(r.etaAt) : "–"),
      h("td", {class: "num"}, r.bestTestAccuracy == null ? "–" : `${Lab.pct(r.bestTestAccuracy)} (L${r.bestLayer})`),
      h("td", {class: "num"}, alphas || "–"));
  }

  function render() {
    const body = document.querySelector("#runs tbody");
    const list = [...runs.values()].filter(matches);
    const key = sortValue[sortKey];
    list.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1) * sortDir; });
    body.replaceChildren(...list.map(row));
    if (!runs.size) body.append(h("tr", {}, h("td", {colspan: 8, class: "muted"}, "No runs yet: they appear here as soon as they start.")));
    document.getElementById("count").textContent = `${list.length} of ${runs.size} runs`;
    document.querySelectorAll("#runs th").forEach(th => th.className = th.dataset.key === sortKey ? (sortDir > 0 ? "sorted-asc" : "sorted-desc") : "");
    renderSweeps();
  }

  function renderSweeps() {
    const body = document.querySelector("#sweeps tbody");
    body.replaceChildren(...[...sweeps.values()].map(s => {
      const members = [...runs.values()].filter(r => r.sweep === s.id);
      const states = {};
      members.forEach(r => states[r.state] = (states[r.state] || 0) + 1);
      const pending = s.members - members.length;
      if (pending > 0) states.pending = (states.pending || 0) + pending;
      const done = members.reduce((a, r) => a + r.epoch, 0), planned = members.reduce((a, r) => a + r.epochs, 0);
      return h("tr", {"data-sweep": s.id},
        h("td", {}, h("a", {href: Lab.sweepLink(s.id)}, s.name === s.id ? s.id : `${s.name} (${s.id})`), s.problem ? h("div", {class: "problem"}, s.problem) : null),
        h("td", {class: "num"}, s.members),
        h("td", {}, Object.entries(states).map(([k, v]) => [Lab.badge(k), ` ${v}  `])),
        h("td", {}, Lab.progressBar(planned ? done / planned : 0), ` ${done}/${planned} epochs`));
    }));
    if (!sweeps.size) body.append(h("tr", {}, h("td", {colspan: 4, class: "muted"}, "No sweeps.")));
  }

  // many runs may change at once: one render for the changes of the same moment
  let scheduled = false;
  function later() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => { scheduled = false; render(); }, 25);
  }

  function snapshot(data) {
    runs.clear(); sweeps.clear();
    data.runs.forEach(r => runs.set(r.id, r));
    data.sweeps.forEach(s => sweeps.set(s.id, s));
    document.getElementById("root").textContent = data.root;
    document.getElementById("problem").replaceChildren(...(data.problem ? [h("div", {class: "problem"}, data.problem)] : []));
    render();
  }

  document.querySelectorAll("#runs th").forEach(th => th.addEventListener("click", () => {
    if (sortKey === th.dataset.key) sortDir = -sortDir; else { sortKey = th.dataset.key; sortDir = 1; }
    render();
  }));
  document.getElementById("filter").addEventListener("input", render);
  document.getElementById("state").addEventListener("change", render);
  setInterval(() => document.querySelectorAll("td.eta").forEach(td => { if (td.dataset.eta) td.textContent = Lab.eta(td.dataset.eta); }), 1000);

  Lab.live("api/events", {
    snapshot,
    run: r => { runs.set(r.id, r); later(); },
    removed: m => { runs.delete(m.id); later(); },
    sweeps: list => { sweeps.clear(); list.forEach(s => sweeps.set(s.id, s)); later(); },
  }, Lab.connection);
})();
