// A sweep's page: its members' curves overlaid, coloured by setting, and its progress; kept current by /api/sweep/events.
"use strict";
(() => {
  const {h, num} = Lab;
  const id = Lab.param("id");
  document.getElementById("sweep-id").textContent = id;
  document.title = "manifold-lab: sweep " + id;
  let sweep = null;
  const members = new Map();
  const layerSelect = document.getElementById("layer");

  // what colours a member: its swept settings without the seed
  const settingKey = m => ((m.summary && m.summary.swept) || []).filter(s => !s.startsWith("seed=")).join(" ") || "(one setting)";

  function layers() {
    const all = new Set();
    for (const m of members.values()) for (const l of Object.keys(m.curves.testAccuracy || {})) all.add(+l);
    return [...all].sort((a, b) => a - b);
  }

  function render() {
    const ls = layers();
    const chosen = +layerSelect.value || ls[ls.length - 1] || 1;
    layerSelect.replaceChildren(...ls.map(l => h("option", {value: l, selected: l === chosen ? "selected" : null}, `L${l}`)));
    const color = Lab.palette();
    const keys = [...new Set([...members.values()].map(settingKey))].sort();
    keys.forEach(color);
    const overlay = field => {
      const series = [];
      const named = new Set();
      for (const m of [...members.values()].sort((a, b) => a.id < b.id ? -1 : 1)) {
        const pts = ((m.curves[field] || {})[chosen] || []).map(p => [p.epoch, num(p.value)]);
        const key = settingKey(m);
        series.push({name: key, noLegend: named.has(key), color: color(key), points: pts});
        named.add(key);
      }
      return series;
    };
    LabChart.draw(document.getElementById("chart-accuracy"), {title: `test accuracy, layer ${chosen}`, xLabel: "epoch", yLabel: "accuracy", series: overlay("testAccuracy")});
    LabChart.draw(document.getElementById("chart-alpha"), {title: `alpha, layer ${chosen}`, xLabel: "epoch", yLabel: "alpha", series: overlay("alpha")});
    LabChart.draw(document.getElementById("chart-loss"), {title: `train local loss, layer ${chosen}`, xLabel: "epoch", yLabel: "loss", series: overlay("trainLoss")});
    LabChart.draw(document.getElementById("chart-pr"), {title: `participation ratio, layer ${chosen}`, xLabel: "epoch", yLabel: "PR", series: overlay("participationRatio")});
    renderMembers(color);
    renderSummary();
  }

  function renderSummary() {
    const list = [...members.values()].map(m => m.summary).filter(Boolean);
    const states = {};
    list.forEach(s => states[s.state] = (states[s.state] || 0) + 1);
    const planned = sweep ? sweep.members : list.length;
    if (planned > list.length) states.pending = (states.pending || 0) + planned - list.length;
    const done = list.reduce((a, s) => a + s.epoch, 0), total = list.reduce((a, s) => a + s.epochs, 0);
    document.getElementById("summary").replaceChildren(h("span", {}, `${planned} members`),
      ...Object.entries(states).map(([k, v]) => h("span", {}, Lab.badge(k), ` ${v}`)),
      Lab.progressBar(total ? done / total : 0), h("span", {}, `${done}/${total} epochs`));
    document.getElementById("problems").replaceChildren(...(sweep && sweep.problem ? [h("div", {class: "problem"}, sweep.problem)] : []));
  }

  function renderMembers(color) {
    const body = document.querySelector("#members tbody");
    body.replaceChildren(...[...members.values()].sort((a, b) => a.id < b.id ? -1 : 1).map(m => {
      const s = m.summary;
      if (!s) return h("tr", {}, h("td", {}, m.id), h("td", {}, Lab.badge("pending")));
      const alphas = Object.entries(s.alpha || {}).sort((a, b) => a[0] - b[0]).map(([l, a]) => `L${l} ${Lab.fmt(a, 2)}`).join("  ");
      return h("tr", {"data-run": m.id},
        h("td", {}, h("span", {style: `color:${color(settingKey(m))}`}, "■ "), h("a", {href: Lab.runLink(m.id)}, m.id)),
        h("td", {}, Lab.badge(s.state), s.problem ? h("div", {class: "problem"}, s.problem) : null),
        h("td", {class: "settings"}, (s.swept || []).join(" ")),
        h("td", {class: "num"}, `${s.epoch}/${s.epochs}`),
        h("td", {}, Lab.progressBar(s.progress)),
        h("td", {class: "num"}, s.bestTestAccuracy == null ? "–" : `${Lab.pct(s.bestTestAccuracy)} (L${s.bestLayer})`),
        h("td", {class: "num"}, alphas || "–"));
    }));
  }

  let scheduled = false;
  function later() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => { scheduled = false; render(); }, 25);
  }

  layerSelect.addEventListener("change", render);
  Lab.live("api/sweep/events?id=" + encodeURIComponent(id), {
    snapshot: d => {
      if (d.error) { document.getElementById("problems").replaceChildren(h("div", {class: "problem"}, d.error)); return; }
      sweep = d.sweep; members.clear(); d.members.forEach(m => members.set(m.id, m)); render();
    },
    member: m => { members.set(m.id, m); later(); },
  }, Lab.connection);
})();
