// The page: routes (#/new, #/run/ID, #/compare, #/catalog), the run form with levers, comparisons, catalog.
"use strict";

(function () {
  const lab = window.lab;
  const $ = (id) => document.getElementById(id);
  const S = { settings: null, scenarios: [], params: {}, touched: new Map() };

  // ---- levers --------------------------------------------------------------------------------
  const UNITS = { "0..1": "", prob: "(probability)", "0/1": "(off or on)" };

  function leverRow(name, value, kind, lever) {
    const p = S.params[name];
    const step = (p.high - p.low) / 200;
    const range = lab.el("input", { type: "range", min: p.low, max: p.high, step, value, "aria-label": name });
    const box = lab.el("input", { type: "number", min: p.low, max: p.high, step: "any", value, "data-param": name, class: "lever-value" });
    const unit = UNITS[p.unit] !== undefined ? UNITS[p.unit] : p.unit;
    const notes = [];
    const local = Object.entries((lever && lever.local) || {});
    if (local.length) notes.push(`the scenario sets ${local.map(([k, v]) => `${k} ${lab.num(v)}`).join(", ")}`);
    if (lever && lever.events) notes.push(`changed by ${lever.events} dated event${lever.events > 1 ? "s" : ""}`);
    const row = lab.el("div", { class: "lever", "data-lever": name },
      lab.el("div", { class: "lever-name", title: `${p.doc}\nsource: ${p.source}` }, lab.el("code", {}, name),
        lab.el("span", { class: "lever-doc" }, p.doc),
        kind === "added" ? lab.el("button", { type: "button", class: "link", title: "remove", onclick: () => { S.touched.delete(name); row.remove(); } }, "remove") : null),
      lab.el("div", { class: "lever-input" }, range, box,
        lab.el("span", { class: "lever-range" }, `${lab.num(p.low)} to ${lab.num(p.high)}${unit ? " " + unit : ""}`)),
      notes.length ? lab.el("div", { class: "lever-note" }, notes.join("; ")) : null);
    const initial = Number(value);
    const set = (v, from) => {
      if (from !== range) range.value = v;
      if (from !== box) box.value = v;
      const num = Number(v);
      if (Number.isFinite(num) && num !== initial) { S.touched.set(name, num); row.classList.add("changed"); }
      else if (kind !== "added") { S.touched.delete(name); row.classList.remove("changed"); }
      else S.touched.set(name, num);
      const bad = !(num >= p.low && num <= p.high);
      box.classList.toggle("invalid", bad);
      box.title = bad ? `outside ${p.low} to ${p.high}` : "";
    };
    range.oninput = () => set(range.value, range);
    box.oninput = () => set(box.value, box);
    if (kind === "added") S.touched.set(name, initial);
    return row;
  }

  function scenarioChanged() {
    const sc = S.scenarios.find((s) => s.name === $("run-scenario").value);
    if (!sc) return;
    const cities = sc.cities.map((c) => `${c.name} (${c.zones.length} zone${c.zones.length > 1 ? "s" : ""})`).join(", ");
    $("run-scenario-about").replaceChildren(lab.el("strong", {}, sc.title), lab.el("br"),
      `${sc.start} to ${sc.end} · ${cities} · ${sc.n_events} dated events`, lab.el("br"),
      lab.el("span", { class: "muted" }, sc.description.length > 320 ? sc.description.slice(0, 317) + "…" : sc.description));
    $("run-until").min = sc.start;
    $("run-until").max = sc.end;
    $("run-until").value = sc.end;
    $("run-scale").value = Math.min(sc.scale, S.settings.max_scale);
    $("run-seed").value = sc.seed;
    S.touched.clear();
    const own = sc.levers.some((l) => l.kind !== "default");
    $("levers").replaceChildren(lab.el("p", { class: "hint" }, own ? "The scenario's declared levers and uncertainties:" : "Headline levers (the scenario declares none of its own):"),
      ...sc.levers.map((l) => leverRow(l.name, l.value, l.kind, l)));
  }

  function body(form) {
    const out = { seeds: Number($(`${form}-seeds`).value || 1) };
    const scale = $(`${form}-scale`).value;
    if (scale !== "") out.scale = Number(scale);
    const until = $(`${form}-until`).value;
    if (until) out.until = until;
    const seed = $(`${form}-seed`).value;
    if (seed !== "") out.seed = Number(seed);
    return out;
  }

  async function startRun(ev) {
    ev.preventDefault();
    lab.showError(null);
    const req = { scenario: $("run-scenario").value, ...body("run"), set: Object.fromEntries(S.touched) };
    const btn = $("run-start");
    btn.disabled = true;
    try {
      const { job } = await lab.api("/api/runs", { method: "POST", body: req });
      lab.refreshQueue();
      const snap = await lab.follow(job, $("run-progress"), lab.refreshQueue);
      loadRecent();
      location.hash = snap.total === 1 ? `#/run/${snap.run_ids[0]}` : `#/compare?runs=${snap.run_ids.join(",")}`;
    } catch (e) {
      lab.showError(e);
    } finally {
      btn.disabled = false;
      lab.refreshQueue();
    }
  }

  async function loadRecent() {
    const rows = await lab.api("/api/runs?limit=8");
    $("recent").replaceChildren(rows.length ? runTable(rows, false) : lab.el("p", { class: "muted" }, "The catalog is empty."));
  }

  function runTable(rows, selectable) {
    const cols = [
      { key: "run_id", label: "run", fmt: (v) => lab.el("a", { href: `#/run/${v}` }, v) },
      { key: "scenario", label: "scenario" }, { key: "seed", label: "seed", num: true },
      { key: "scale", label: "scale", num: true }, { key: "until", label: "until", fmt: (v) => v || "end" },
      { key: "overrides", label: "set", fmt: (v) => Object.entries(v || {}).map(([k, x]) => `${k}=${x}`).join(", ") },
      { key: "wall_s", label: "time", num: true, fmt: lab.seconds }, { key: "started", label: "started", fmt: (v) => (v || "").replace("T", " ") },
    ];
    if (selectable) cols.unshift({ key: "run_id", label: "", fmt: (v) => lab.el("input", { type: "checkbox", class: "pick", value: v, onclick: (e) => e.stopPropagation() }) });
    return lab.table(cols, rows, { onRow: (r, e) => { if (e.target.tagName !== "A" && e.target.tagName !== "INPUT") location.hash = `#/run/${r.run_id}`; } });
  }

  // ---- compare -------------------------------------------------------------------------------
  async function startCompare(ev) {
    ev.preventDefault();
    lab.showError(null);
    const scenarios = S.cmpOrder.slice();
    if (scenarios.length < 2) return lab.showError(new Error("choose at least two scenarios to compare"));
    const btn = $("cmp-start");
    btn.disabled = true;
    try {
      const { job } = await lab.api("/api/compare", { method: "POST", body: { scenarios, ...body("cmp") } });
      const snap = await lab.follow(job, $("cmp-progress"), lab.refreshQueue);
      location.hash = `#/compare?runs=${snap.run_ids.join(",")}`;
    } catch (e) {
      lab.showError(e);
    } finally {
      btn.disabled = false;
      lab.refreshQueue();
    }
  }

  async function drawCompare(runs) {
    $("cmp-result").hidden = false;
    const name = $("cmp-series").value;
    const info = lab.seriesInfo.find((s) => s.name === name);
    const [bands, out] = await Promise.all([
      lab.api(`/api/bands?runs=${runs}&series=${name}&freq=${$("cmp-freq").value}`),
      lab.api(`/api/outcomes?runs=${runs}`)]);
    const n = bands.groups[0].runs.length;
    const what = bands.groups.length > 1 ? "Comparison" : "Ensemble";
    $("cmp-title").textContent = `${what}: ${bands.groups.map((g) => g.label).join(" vs ")} (${n} seed${n > 1 ? "s" : ""}${bands.groups.length > 1 ? " each" : ""})`;
    $("cmp-runs").replaceChildren(...bands.groups.map((g) => lab.el("div", {}, `${g.label}: `,
      ...g.runs.flatMap((r, i) => [i ? ", " : "", lab.el("a", { href: `#/run/${r}` }, `seed ${g.seeds[i]}`)]))));
    lab.bandChart($("cmp-chart"), bands, info);
    const fmtOf = (n) => (/share/.test(n) ? lab.pct : /wage|gap|grievance/.test(n) ? lab.num : lab.count);
    const cols = [{ key: "description", label: "outcome" }];
    out.groups.forEach((g, i) => {
      cols.push({ key: `g${i}`, label: `${g.label} (median, 10–90%)`, num: true });
      if (i > 0) cols.push({ key: `d${i}`, label: `difference from ${out.groups[0].label} (paired)`, num: true });
    });
    const rows = out.outcomes.map((o) => {
      const f = fmtOf(o.outcome);
      const r = { description: o.description };
      o.groups.forEach((c, i) => {
        r[`g${i}`] = c.n > 1 ? `${f(c.median)} (${f(c.low)}–${f(c.high)})` : f(c.median);
        if (i > 0) r[`d${i}`] = lab.signed(c.paired_diff_median, f);
      });
      return r;
    });
    $("cmp-table").replaceChildren(lab.table(cols, rows));
    lab.outcomeData = out;
  }

  // ---- catalog -------------------------------------------------------------------------------
  async function showCatalog() {
    const sc = $("cat-scenario").value;
    const rows = await lab.api(`/api/runs?limit=500${sc ? `&scenario=${encodeURIComponent(sc)}` : ""}`);
    $("catalog").replaceChildren(rows.length ? runTable(rows, true) : lab.el("p", { class: "muted" }, "No runs yet: start one from “New run”."));
  }

  // ---- routes --------------------------------------------------------------------------------
  async function route() {
    lab.showError(null);
    const hash = location.hash || "#/new";
    const [path, query] = hash.slice(2).split("?");
    const parts = path.split("/");
    const view = parts[0] || "new";
    for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`;
    for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === view || (view === "run" && a.dataset.nav === "catalog"));
    try {
      if (view === "run") await lab.showRun(parts[1]);
      else if (view === "catalog") await showCatalog();
      else if (view === "compare") {
        const runs = new URLSearchParams(query || "").get("runs");
        if (runs) await drawCompare(runs);
        else $("cmp-result").hidden = true;
      } else await loadRecent();
    } catch (e) {
      lab.showError(e);
    }
  }

  async function init() {
    try {
      const [settings, scenarios, params, series] = await Promise.all([
        lab.api("/api/settings"), lab.api("/api/scenarios"), lab.api("/api/params"), lab.api("/api/series")]);
      Object.assign(S, { settings, scenarios });
      for (const p of params) S.params[p.name] = p;
      lab.seriesInfo = series;
      $("runs-dir").textContent = settings.runs;
      $("run-limits").textContent = `This server accepts scale up to ${settings.max_scale}, up to ${settings.max_seeds} seeds per request, and simulates ${settings.max_jobs} run${settings.max_jobs > 1 ? "s" : ""} at a time.`;
      for (const id of ["run-scale", "cmp-scale"]) $(id).max = settings.max_scale;
      for (const id of ["run-seeds", "cmp-seeds"]) $(id).max = settings.max_seeds;
      $("run-scenario").replaceChildren(...scenarios.map((s) => lab.el("option", { value: s.name }, `${s.name} — ${s.title}`)));
      $("run-scenario").value = scenarios.some((s) => s.name === "prd-2003-2010") ? "prd-2003-2010" : scenarios[0].name;
      $("run-scenario").onchange = scenarioChanged;
      scenarioChanged();
      $("param-list").replaceChildren(...params.filter((p) => p.settable).map((p) => lab.el("option", { value: p.name }, p.doc)));
      $("add-param").onchange = () => {
        const n = $("add-param").value.trim();
        if (!S.params[n] || !S.params[n].settable) return lab.showError(new Error(`${n} is not a parameter with a declared range`));
        if (!document.querySelector(`[data-lever="${n}"]`)) {
          const sc = S.scenarios.find((s) => s.name === $("run-scenario").value);
          $("levers").append(leverRow(n, n in (sc.parameters || {}) ? sc.parameters[n] : S.params[n].default, "added"));
        }
        $("add-param").value = "";
      };
      $("run-reset").onclick = scenarioChanged;
      $("run-form").onsubmit = startRun;
      S.cmpOrder = [];
      const ticked = (ev) => {
        const n = ev.target.value;
        S.cmpOrder = S.cmpOrder.filter((x) => x !== n).concat(ev.target.checked ? [n] : []);
        $("cmp-order").textContent = S.cmpOrder.length ? `In this order (differences are from the first): ${S.cmpOrder.join(" · ")}` : "";
      };
      $("cmp-scenarios").replaceChildren(...scenarios.map((s) => lab.el("label", { class: "check", title: s.title },
        lab.el("input", { type: "checkbox", value: s.name, onchange: ticked }), s.name)));
      $("cmp-form").onsubmit = startCompare;
      const cmpSel = $("cmp-series");
      cmpSel.replaceChildren(...series.filter((s) => s.kind === "flow").map((s) => lab.el("option", { value: s.name }, s.label)));
      cmpSel.value = "strikes_started";
      cmpSel.onchange = $("cmp-freq").onchange = () => route();
      $("cat-scenario").append(...scenarios.map((s) => lab.el("option", { value: s.name }, s.name)));
      $("cat-scenario").onchange = () => showCatalog().catch(lab.showError);
      $("cat-compare").onclick = () => {
        const ids = [...document.querySelectorAll("#catalog .pick:checked")].map((i) => i.value);
        if (!ids.length) return lab.showError(new Error("tick one or more runs to compare"));
        location.hash = `#/compare?runs=${ids.join(",")}`;
      };
      lab.initRunView();
    } catch (e) {
      lab.showError(e);
      return;
    }
    window.addEventListener("hashchange", route);
    lab.refreshQueue();
    setInterval(lab.refreshQueue, 5000);
    await route();
    document.body.dataset.ready = "1";
  }

  init();
})();
