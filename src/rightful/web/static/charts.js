// Charts over uPlot (vendored in static/vendor/uplot): series by city with dated events, and bands.
"use strict";

(function () {
  const lab = window.lab;
  const PALETTE = ["#1f6fb2", "#d1495b", "#2e9e5b", "#8e5fb5", "#e08a1e", "#7b5a45", "#4aa3b5", "#b5487f"];
  lab.PALETTE = PALETTE;

  const ts = (d) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 1000;
  lab.ts = ts;

  function width(el) {
    return Math.max(320, Math.floor(el.getBoundingClientRect().width || 900));
  }

  // Dated events: a thin dashed line each, numbered once above the plot, never over the data.
  function eventsPlugin(events) {
    const groups = [];
    for (const e of events || []) {
      const t = ts(e.date);
      const g = groups.find((x) => x.t === t);
      if (g) g.last = e.n;
      else groups.push({ t, first: e.n, last: e.n });
    }
    return {
      hooks: {
        draw: [(u) => {
          const { ctx } = u;
          const top = u.bbox.top;
          const bottom = u.bbox.top + u.bbox.height;
          const [x0, x1] = [u.scales.x.min, u.scales.x.max];
          ctx.save();
          ctx.font = `${Math.round(10 * devicePixelRatio)}px system-ui, sans-serif`;
          ctx.textAlign = "center";
          const rows = [];
          for (const g of groups) {
            if (g.t < x0 || g.t > x1) continue;
            const x = Math.round(u.valToPos(g.t, "x", true));
            ctx.strokeStyle = "rgba(90,90,110,0.35)";
            ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.lineWidth = devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, bottom);
            ctx.stroke();
            const text = g.first === g.last ? String(g.first) : `${g.first}–${g.last}`;
            const w = ctx.measureText(text).width + 6 * devicePixelRatio;
            let row = 0;
            while (rows[row] !== undefined && rows[row] > x - w / 2) row++;
            rows[row] = x + w / 2;
            const y = top - (4 + 12 * row) * devicePixelRatio;
            ctx.fillStyle = "#555a6e";
            ctx.fillText(text, x, y);
          }
          ctx.restore();
        }],
      },
    };
  }

  function baseOpts(el, yLabel, fmt, extraTop) {
    return {
      width: width(el),
      height: 340,
      padding: [12 + (extraTop || 0), 16, 0, 8],
      tzDate: (t) => uPlot.tzDate(new Date(t * 1e3), "Etc/UTC"),
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      scales: { x: { time: true } },
      axes: [
        { stroke: "#444", grid: { stroke: "#eceef3" } },
        { stroke: "#444", grid: { stroke: "#eceef3" }, size: 70, label: yLabel, labelSize: 18,
          values: (u, vals) => vals.map((v) => fmt(v)) },
      ],
      series: [{ label: "date", value: (u, v) => (v == null ? "–" : new Date(v * 1e3).toISOString().slice(0, 10)) }],
    };
  }

  function mount(el, opts, data) {
    if (el._chart) el._chart.destroy();
    el.innerHTML = "";
    const u = new uPlot(opts, data, el);
    el._chart = u;
    if (!el._resize) {
      el._resize = new ResizeObserver(() => el._chart && el._chart.setSize({ width: width(el), height: 340 }));
      el._resize.observe(el);
    }
    return u;
  }

  // daily: the API's /daily answer; name: the series; events: /events; info: the series' description
  lab.cityChart = function cityChart(el, daily, name, events, info) {
    const s = daily.series[name];
    const fmt = lab.formatFor({ ...info, ...s, name });
    const flow = s.kind === "flow";
    const yLabel = flow ? `per ${daily.freq}` : s.time === "last" ? `at the end of each ${daily.freq}` : `mean over each ${daily.freq}`;
    const nEventRows = Math.min(4, Math.max(1, Math.ceil((events || []).length / 12)));
    const opts = baseOpts(el, yLabel, fmt, nEventRows * 12 + 6);
    const data = [daily.dates.map(ts)];
    daily.cities.forEach((c, i) => {
      opts.series.push({ label: c, stroke: PALETTE[i % PALETTE.length], width: 1.5, value: (u, v) => fmt(v) });
      data.push(s.by_city[c]);
    });
    if (daily.cities.length > 1) {
      const lbl = s.cities_rule === "mean" ? "all cities (worker-weighted)" : "all cities";
      opts.series.push({ label: lbl, stroke: "#222", width: 2.5, value: (u, v) => fmt(v) });
      data.push(s.total);
    }
    opts.plugins = [eventsPlugin(events)];
    lab.chartData = { run_id: daily.run_id, series: name, freq: daily.freq, dates: daily.dates,
      lines: Object.fromEntries(daily.cities.map((c) => [c, s.by_city[c]]).concat([["total", s.total]])) };
    return mount(el, opts, data);
  };

  // bands: the API's /bands answer; one median line and one 10-90% band per group
  lab.bandChart = function bandChart(el, bands, info) {
    const fmt = lab.formatFor({ ...info, name: bands.series });
    const flow = !info || info.kind === "flow";
    const opts = baseOpts(el, flow ? `per ${bands.freq}` : `each ${bands.freq}`, fmt, 0);
    const data = [bands.dates.map(ts)];
    opts.bands = [];
    opts.legend = { show: false };  // one legend entry per group, drawn below
    const legend = lab.el("div", { class: "band-legend" });
    bands.groups.forEach((g, i) => {
      const col = PALETTE[i % PALETTE.length];
      const base = data.length;
      const pts = { show: false };
      opts.series.push({ label: `${g.label} median`, stroke: col, width: 2, points: pts });
      opts.series.push({ label: `${g.label} 90%`, stroke: col + "66", width: 0.5, points: pts });
      opts.series.push({ label: `${g.label} 10%`, stroke: col + "66", width: 0.5, points: pts });
      data.push(g.median, g.high, g.low);
      opts.bands.push({ series: [base + 1, base + 2], fill: col + "2e" });
      const n = g.runs.length;
      legend.append(lab.el("span", { class: "band-key" }, lab.el("span", { class: "swatch", style: `background:${col}` }),
        `${g.label}: median${n > 1 ? ` and 10–90% over ${n} seeds` : " (one seed)"}`));
    });
    lab.bandData = bands;
    const u = mount(el, opts, data);
    el.append(legend);
    return u;
  };
})();
