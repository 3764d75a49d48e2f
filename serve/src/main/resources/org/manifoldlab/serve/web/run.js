// A run's page: its curves, spectrum, attacks, settings and events, kept current by /api/run/events.
"use strict";
(() => {
  const {h, num} = Lab;
  const id = Lab.param("id");
  document.getElementById("run-id").textContent = id;
  document.title = "manifold-lab: " + id;
  // when this page first showed each trained epoch (ms since 1970): what the latency measurement reads
  const shown = window.labShown = {};
  let summary = null;
  const events = [];

  const layersOf = obj => Object.keys(obj || {}).map(Number).sort((a, b) => a - b);
  const zip = (xs, ys) => xs.map((x, i) => [num(x), num(ys[i])]);

  function renderSummary(s) {
    summary = s;
    const box = document.getElementById("summary");
    box.replaceChildren(Lab.badge(s.state), h("span", {}, `epoch ${s.epoch}/${s.epochs}`), Lab.progressBar(s.progress),
      h("span", {}, (100 * s.progress).toFixed(0) + "%"), h("span", {}, "ETA ", h("span", {id: "eta"}, s.state === "running" ? Lab.eta(s.etaAt) : "–")),
      h("span", {}, "best test accuracy ", s.bestTestAccuracy == null ? "–" : `${Lab.pct(s.bestTestAccuracy)} (layer ${s.bestLayer})`),
      h("span", {}, `restarts ${s.restarts}`), ...(s.reason ? [h("span", {class: "muted"}, s.reason)] : []));
  }

  function renderProgress(p) {
    const box = document.getElementById("progress");
    if (!p) { box.replaceChildren(); return; }
    const errs = Object.entries(p.localErrors || {}).map(([l, e]) => h("span", {style: `color:${Lab.layerColor(+l)}`},
      `L${l} ${Lab.fmt(e.loss, 3)} / ${Lab.pct(e.accuracy)}`));
    box.replaceChildren(h("span", {class: "muted"}, `step ${p.step}/${p.totalSteps} (epoch ${p.epoch}), ${p.samplesPerSecond} samples/s; latest batch:`), ...errs);
  }

  function renderProblems(list) {
    document.getElementById("problems").replaceChildren(...(list || []).map(p => h("div", {class: "problem"}, p)));
  }

  function renderTrain(train) {
    const layers = layersOf(train);
    const loss = [], acc = [];
    let latest = 0;
    for (const l of layers) {
      const t = train[l], c = Lab.layerColor(l);
      loss.push({name: `L${l} train`, color: c, points: zip(t.epoch, t.trainLoss)});
      loss.push({name: `L${l} test`, color: c, dash: true, noLegend: true, points: zip(t.epoch, t.testLoss)});
      acc.push({name: `L${l} test`, color: c, points: zip(t.epoch, t.testAccuracy)});
      acc.push({name: `L${l} train`, color: c, dash: true, noLegend: true, points: zip(t.epoch, t.trainAccuracy)});
      latest = Math.max(latest, ...t.epoch.map(Number));
    }
    LabChart.draw(document.getElementById("chart-loss"), {title: "local loss per layer (solid: train, dashed: test)", xLabel: "epoch", yLabel: "loss", series: loss});
    LabChart.draw(document.getElementById("chart-accuracy"), {title: "local accuracy per layer (solid: test, dashed: train)", xLabel: "epoch", yLabel: "accuracy", series: acc});
    const e = document.getElementById("latest-epoch");
    e.textContent = latest ? `latest epoch ${latest}` : "no epoch trained yet";
    e.dataset.epoch = latest;
    for (let k = 1; k <= latest; k++) if (!(k in shown)) shown[k] = Date.now();
  }

  function renderSpectra(summaryCurves, spectrum) {
    const layers = layersOf(summaryCurves);
    const alpha = [], pr = [];
    for (const l of layers) {
      const s = summaryCurves[l], c = Lab.layerColor(l);
      alpha.push({name: `L${l}`, color: c, points: zip(s.epoch, s.alpha), band: s.epoch.map((e, i) => [num(e), num(s.alphaLo[i]), num(s.alphaHi[i])])});
      pr.push({name: `L${l}`, color: c, points: zip(s.epoch, s.participationRatio), band: s.epoch.map((e, i) => [num(e), num(s.prLo[i]), num(s.prHi[i])])});
    }
    LabChart.draw(document.getElementById("chart-alpha"), {title: "alpha (bars: 95% jackknife interval)", xLabel: "epoch", yLabel: "alpha", series: alpha});
    LabChart.draw(document.getElementById("chart-pr"), {title: "participation ratio", xLabel: "epoch", yLabel: "(Σλ)² / Σλ²", series: pr});
    const spec = [], vlines = [];
    const sl = spectrum && spectrum.layers || {};
    for (const l of layersOf(sl)) {
      const s = sl[l], c = Lab.layerColor(l);
      spec.push({name: `L${l} α ${Lab.fmt(s.alpha, 2)}`, color: c, marks: false, points: zip(s.rank, s.eigenvalue)});
      const lo = num(s.fitLo), hi = num(s.fitHi), a = num(s.alpha), b = num(s.intercept);
      if (isFinite(lo) && isFinite(hi) && isFinite(a) && isFinite(b)) {
        spec.push({name: "", color: c, dash: true, marks: false, noLegend: true, points: [[lo, Math.pow(10, b - a * Math.log10(lo))], [hi, Math.pow(10, b - a * Math.log10(hi))]]});
        vlines.push({x: lo, color: c}, {x: hi, color: c});
      }
    }
    // eigenvalues past the numerical rank are rounding noise: the axis stops 8 decades below the largest
    const top = Math.max(...spec.flatMap(s => s.points.map(p => p[1])).filter(isFinite), 0);
    LabChart.draw(document.getElementById("chart-spectrum"), {title: "spectrum, log-log (dashed: power-law fit, dotted: its window)", xLabel: "rank n", yLabel: "eigenvalue λn",
      logX: true, logY: true, series: spec, vlines, yMin: top > 0 ? top * 1e-8 : undefined});
    document.getElementById("spectrum-epoch").textContent = spectrum && spectrum.epoch != null ? `latest analysis: epoch ${spectrum.epoch}` : "no analysis yet";
  }

  function renderAttacks(robustness) {
    const box = document.getElementById("attacks");
    const attacks = robustness && robustness.attacks || {};
    document.getElementById("attack-epoch").textContent = robustness && robustness.epoch != null ? `latest analysis: epoch ${robustness.epoch}` : "no attack yet";
    box.replaceChildren(...Object.entries(attacks).map(([name, byLayer]) => {
      const card = h("div", {class: "card"});
      const robust = name.startsWith("fgsm") || name.startsWith("pgd");
      LabChart.draw(card, {title: `${name}: ${robust ? "accuracy on x′ (dashed: right on x and x′)" : "accuracy under noise"}`,
        xLabel: name.startsWith("gaussian") ? "sigma" : "epsilon", yLabel: "accuracy", yMin: 0,
        series: layersOf(byLayer).flatMap(l => [{name: `L${l}`, color: Lab.layerColor(l), points: zip(byLayer[l].strength, byLayer[l].accuracy)},
          ...(robust ? [{name: "", noLegend: true, dash: true, color: Lab.layerColor(l), points: zip(byLayer[l].strength, byLayer[l].robustAccuracy)}] : [])])});
      return card;
    }));
    if (!Object.keys(attacks).length) box.append(h("div", {class: "card muted"}, "no attack results yet"));
  }

  function flatten(obj, prefix, out) {
    for (const [k, v] of Object.entries(obj || {})) {
      const key = prefix ? prefix + "." + k : k;
      if (v && typeof v === "object" && !Array.isArray(v)) flatten(v, key, out); else out.push([key, Array.isArray(v) ? JSON.stringify(v) : String(v)]);
    }
    return out;
  }

  function kv(target, pairs, highlight) {
    target.replaceChildren(...pairs.flatMap(([k, v]) => [h("dt", {class: highlight && highlight.has(k) ? "swept" : ""}, k), h("dd", {}, v)]));
  }

  function renderSettings(d) {
    const swept = new Set((d.summary.swept || []).map(s => s.split("=")[0]));
    const spec = flatten(d.spec, "", []);
    spec.sort((a, b) => (swept.has(b[0]) - swept.has(a[0])));
    kv(document.getElementById("settings"), spec, swept);
    const m = d.manifest || {};
    const prov = flatten(m.provenance, "", []);
    prov.unshift(["status", m.status], ["created", m.created], ["updated", m.updated], ["host / pid", `${m.host} / ${m.pid}`],
      ["fingerprint", m.fingerprint || "–"], ["format", m.format]);
    for (const [phase, s] of Object.entries(m.wallSeconds || {})) prov.push([`wall time: ${phase}`, Lab.fmt(s, 1) + " s"]);
    kv(document.getElementById("provenance"), prov.filter(([, v]) => v !== undefined));
    const files = document.getElementById("files");
    files.replaceChildren(
      d.report ? h("div", {}, h("a", {href: Lab.fileLink(id, d.report)}, "report"), " ", h("span", {class: "muted"}, "(lab report)")) : h("div", {class: "muted"}, "no report yet (lab report " + id + ")"),
      ...(d.files || []).map(f => h("div", {}, h("a", {href: Lab.fileLink(id, f.path)}, f.path), h("span", {class: "muted"}, ` ${f.bytes} bytes`))));
  }

  function eventLine(e) {
    const t = (e.ts || "").slice(11, 23);
    const rest = Object.entries(e).filter(([k]) => !["ts", "type", "experiment", "actor"].includes(k))
      .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`).join(" ");
    return `${t} ${e.type} ${rest.length > 240 ? rest.slice(0, 240) + "…" : rest}`;
  }

  function renderEvents() {
    document.getElementById("events").textContent = events.slice(-40).reverse().map(eventLine).join("\n");
  }

  function detail(d) {
    renderProblems(d.problems);
    renderSummary(d.summary);
    renderProgress(d.progress);
    if (d.train) {
      renderTrain(d.train);
      renderSpectra(d.spectrumSummary, d.spectrum);
      renderAttacks(d.robustness);
      renderSettings(d);
    }
    events.length = 0;
    events.push(...(d.events || []));
    renderEvents();
  }

  setInterval(() => { const e = document.getElementById("eta"); if (e && summary && summary.state === "running") e.textContent = Lab.eta(summary.etaAt); }, 1000);

  Lab.live("api/run/events?id=" + encodeURIComponent(id), {
    detail,
    summary: renderSummary,
    event: e => { events.push(e); if (events.length > 200) events.splice(0, events.length - 200); if (e.type === "progress") renderProgress(e); renderEvents(); },
    restarted: () => { events.length = 0; renderEvents(); },
    waiting: m => renderProblems([m.message]),
  }, Lab.connection);
})();
