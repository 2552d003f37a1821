// The view of one run: key figures, series by city with dated events, claims, zones, strikes.
"use strict";

(function () {
  const lab = window.lab;
  const $ = (id) => document.getElementById(id);
  const WORDS = {
    ongoing: "still on", won: "won", partly_won: "partly won", lost: "lost", none: "none", ignore: "ignored",
    repress: "repressed", negotiate: "negotiated", force_and_negotiate: "forced back, and negotiated", concede: "conceded", partly_concede: "partly conceded",
    fire_leaders: "fired the leaders", call_police: "called the police", grievance: "grievance",
    wage_news: "news of a new minimum wage", arrears_new_year: "wages owed at the New Year",
    rejected_complaints: "rejected complaints", contagion: "a win nearby",
  };
  const words = (v) => WORDS[v] || (typeof v === "string" ? v.replace(/_/g, " ") : v);
  const yes = (v) => (v ? "yes" : "no");
  const FIGURES = [
    ["strikes_started", "strikes started"], ["strikers_started", "workers joining strikes"],
    ["complaints", "complaints to management"], ["arb_filed", "arbitration cases filed"],
    ["court_filed", "cases taken to court"], ["recovered", "yuan recovered through claims"],
    ["quits", "quits"], ["detentions", "detentions"],
  ];
  const STRIKE_COLS = [
    { key: "start", label: "start" }, { key: "end", label: "end" }, { key: "days", label: "days", num: true },
    { key: "city", label: "city" }, { key: "zone", label: "zone" },
    { key: "peak_size", label: "peak (simulated)", num: true, fmt: lab.count, title: "most simulated workers out at once" },
    { key: "workers_weighted", label: "workers", num: true, fmt: lab.count, title: "workers it stands for (weighted)" },
    { key: "escalated", label: "in the street", fmt: yes }, { key: "covered", label: "in the press", fmt: yes },
    { key: "official_response", label: "officials", fmt: words }, { key: "management_response", label: "management", fmt: words },
    { key: "outcome", label: "outcome", fmt: words },
    { key: "wage_change", label: "wage change", num: true, fmt: (v) => lab.signed(v, lab.pct) },
    { key: "cause", label: "cause", fmt: words },
    { key: "weight", label: "weight", num: true, fmt: lab.num, title: "how many real strikes this simulated one stands for" },
  ];
  const PAGE = 50;
  const state = { id: null, meta: null, events: [], sort: "start", desc: false, offset: 0 };

  async function drawChart() {
    const name = $("series-select").value;
    const freq = $("freq-select").value;
    const info = (lab.seriesInfo || []).find((s) => s.name === name);
    const daily = await lab.api(`/api/runs/${state.id}/daily?series=${encodeURIComponent(name)}&freq=${freq}`);
    const s = daily.series[name];
    lab.cityChart($("chart"), daily, name, state.events, info);
    const rule = s.kind === "flow" ? `summed per ${freq}` : s.time === "last" ? `at the end of each ${freq}` : `averaged over each ${freq}`;
    $("chart-note").textContent = `${s.label}, ${rule}; one line per city and the total. Dashed lines: the scenario's dated events, numbered as in the list below the chart.`;
    const fmt = lab.formatFor({ ...info, ...s, name });
    const cols = [{ key: "date", label: freq === "year" ? "year" : `${freq} from` }]
      .concat(daily.cities.map((c) => ({ key: c, label: c, num: true, fmt })))
      .concat(daily.cities.length > 1 ? [{ key: "total", label: "all cities", num: true, fmt }] : []);
    const rows = daily.dates.map((d, i) => Object.fromEntries([["date", d], ["total", s.total[i]]]
      .concat(daily.cities.map((c) => [c, s.by_city[c][i]]))));
    $("chart-table").replaceChildren(lab.table(cols, rows));
  }

  async function drawStrikes() {
    const q = `limit=${PAGE}&offset=${state.offset}&sort=${state.sort}&desc=${state.desc}`;
    const s = await lab.api(`/api/runs/${state.id}/strikes?${q}`);
    $("strikes-count").textContent = s.total
      ? `${lab.count(s.total)} simulated strikes, standing for ${lab.count(s.weighted_total)} strikes (weighted); click a heading to sort`
      : "no strike in this run";
    $("strikes-count").dataset.total = s.total;
    const onSort = (key) => {
      state.desc = state.sort === key ? !state.desc : false;
      state.sort = key;
      state.offset = 0;
      drawStrikes().catch(lab.showError);
    };
    $("strikes").replaceChildren(s.total ? lab.table(STRIKE_COLS, s.rows, { onSort, sort: state.sort, desc: state.desc }) : "");
    const last = Math.min(s.total, state.offset + PAGE);
    $("strikes-page").textContent = s.total ? `${state.offset + 1}–${last} of ${s.total}` : "";
    $("strikes-prev").disabled = state.offset === 0;
    $("strikes-next").disabled = last >= s.total;
  }

  function drawFunnel(stages) {
    const max = Math.max(1, ...stages.map((s) => s.count));
    $("funnel").replaceChildren(...stages.map((s) => lab.el("div", { class: "funnel-row", "data-stage": s.stage },
      lab.el("span", { class: "funnel-label" }, s.label),
      lab.el("span", { class: "funnel-bar" }, lab.el("span", { class: "funnel-fill", style: `width:${(100 * s.count) / max}%` })),
      lab.el("span", { class: "funnel-value num" }, lab.count(s.count)),
      lab.el("span", { class: "funnel-share num muted" }, s.share_of_first === null ? "" : lab.pct(s.share_of_first)))));
  }

  function drawZones(zones) {
    const cols = [
      { key: "zone", label: "zone" }, { key: "city", label: "city", fmt: (v) => v || "–" },
      { key: "strikes", label: "strikes", num: true, fmt: lab.count, title: "weighted" },
      { key: "strikers", label: "workers out", num: true, fmt: lab.count, title: "weighted" },
      { key: "escalated_share", label: "in the street", num: true, fmt: lab.pct },
      { key: "covered_share", label: "in the press", num: true, fmt: lab.pct },
      { key: "won_share", label: "won", num: true, fmt: lab.pct },
      { key: "mean_days", label: "mean days", num: true, fmt: lab.num },
    ];
    $("zones").replaceChildren(lab.table(cols, zones));
  }

  lab.showRun = async function showRun(id) {
    state.id = id;
    state.offset = 0;
    state.sort = "start";
    state.desc = false;
    $("run-title").textContent = `Run ${id}`;
    $("run-figures").replaceChildren(lab.el("p", { class: "muted" }, "loading…"));
    const [meta, events, funnel, zones] = await Promise.all([
      lab.api(`/api/runs/${id}`), lab.api(`/api/runs/${id}/events`), lab.api(`/api/runs/${id}/funnel`),
      lab.api(`/api/runs/${id}/zones`)]);
    state.meta = meta;
    state.events = events;
    const ov = Object.entries(meta.overrides || {}).map(([k, v]) => `${k} = ${v}`).join(", ");
    $("run-title").textContent = `${meta.scenario} · seed ${meta.seed} · scale ${meta.scale}`;
    $("run-sub").textContent = `${meta.start} to ${meta.until || meta.end} · ${lab.count(meta.agents)} simulated workers in ${lab.count(meta.firms)} firms · simulated in ${lab.seconds(meta.wall_s)} · run ${id}` + (ov ? ` · set: ${ov}` : "");
    const links = [lab.el("a", { href: "#/catalog", title: "tick this run and others in the catalog to compare them" }, "compare in the catalog")];
    if (meta.report) links.push(lab.el("a", { href: `/api/runs/${id}/report`, target: "_blank" }, "HTML report"));
    $("run-links").replaceChildren(...links);
    $("run-figures").replaceChildren(...FIGURES.filter(([k]) => k in meta.totals).map(([k, text]) =>
      lab.el("div", { class: "figure", "data-key": k }, lab.el("div", { class: "value" }, lab.count(meta.totals[k])),
        lab.el("div", { class: "label" }, text))));
    $("events-summary").textContent = `Dated events (${events.length})`;
    $("events-list").replaceChildren(...events.map((e) => lab.el("li", { value: e.n },
      lab.el("span", { class: "date" }, e.date), " ", e.label)));
    drawFunnel(funnel);
    drawZones(zones);
    await Promise.all([drawChart(), drawStrikes()]);
  };

  lab.initRunView = function initRunView() {
    const sel = $("series-select");
    const groups = { flow: lab.el("optgroup", { label: "flows (per period)" }), stock: lab.el("optgroup", { label: "stocks and means" }) };
    for (const s of lab.seriesInfo) groups[s.kind === "flow" ? "flow" : "stock"].append(lab.el("option", { value: s.name }, s.label));
    sel.replaceChildren(groups.flow, groups.stock);
    sel.value = "strikes_started";
    sel.onchange = $("freq-select").onchange = () => drawChart().catch(lab.showError);
    $("strikes-prev").onclick = () => { state.offset = Math.max(0, state.offset - PAGE); drawStrikes().catch(lab.showError); };
    $("strikes-next").onclick = () => { state.offset += PAGE; drawStrikes().catch(lab.showError); };
  };
})();
