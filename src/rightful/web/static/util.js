// Shared helpers of the page: the JSON API, errors in words, number formats, small DOM builders.
"use strict";

const lab = (window.lab = window.lab || {});

lab.api = async function api(path, opts = {}) {
  const init = { headers: { Accept: "application/json" }, ...opts };
  if (opts.body !== undefined && typeof opts.body !== "string") {
    init.body = JSON.stringify(opts.body);
    init.headers["Content-Type"] = "application/json";
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new Error("the server does not answer (is 'rightful serve' still running?)");
  }
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const msg = data && data.error ? data.error : `${res.status} ${res.statusText}`;
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return data;
};

lab.showError = function showError(e) {
  const box = document.getElementById("error");
  if (!e) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  box.innerHTML = "";
  box.append(lab.el("strong", {}, "Could not do that: "), document.createTextNode(e.message || String(e)));
  const close = lab.el("button", { class: "close", title: "dismiss", "aria-label": "dismiss" }, "×");
  close.onclick = () => lab.showError(null);
  box.append(close);
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
};

lab.el = function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
};

const nf0 = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const nf2 = new Intl.NumberFormat("en-GB", { maximumSignificantDigits: 3 });

// Counts are weighted sums (each simulated worker or strike stands for many): shown as whole numbers.
lab.count = (v) => (v === null || v === undefined || Number.isNaN(v) ? "–" : nf0.format(Math.round(v)));
lab.num = (v) => (v === null || v === undefined || Number.isNaN(v) ? "–" : Math.abs(v) >= 100 ? nf0.format(v) : nf2.format(v));
lab.pct = (v) => (v === null || v === undefined || Number.isNaN(v) ? "–" : v === 0 ? "0%" : `${(100 * v).toFixed(Math.abs(v) < 0.1 ? 1 : 0)}%`);
lab.signed = (v, f) => (v === null || v === undefined ? "–" : (v > 0 ? "+" : v < 0 ? "−" : "±") + f(Math.abs(v)));
lab.seconds = (s) => (s === null || s === undefined ? "–" : s < 60 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);

// The value format of a series: means and shares keep decimals, counts are rounded.
lab.formatFor = function formatFor(info) {
  if (!info) return lab.num;
  if (/share/.test(info.name)) return lab.pct;
  if (info.cities === "mean" || info.cities_rule === "mean") return lab.num;
  return lab.count;
};

lab.table = function table(columns, rows, opts = {}) {
  // columns: [{key, label, fmt, num, title}]; rows: objects
  const head = lab.el("tr", {}, columns.map((c) => {
    const th = lab.el("th", { class: c.num ? "num" : "", title: c.title || null }, c.label);
    if (opts.onSort && c.sortable !== false) {
      th.classList.add("sortable");
      if (opts.sort === c.key) th.classList.add(opts.desc ? "desc" : "asc");
      th.onclick = () => opts.onSort(c.key);
    }
    return th;
  }));
  const body = rows.map((r) => {
    const tr = lab.el("tr", { class: opts.rowClass ? opts.rowClass(r) : null },
      columns.map((c) => lab.el("td", { class: c.num ? "num" : "" }, c.fmt ? c.fmt(r[c.key], r) : r[c.key])));
    if (opts.onRow) {
      tr.classList.add("clickable");
      tr.onclick = (ev) => opts.onRow(r, ev);
    }
    return tr;
  });
  return lab.el("table", { class: "data" }, lab.el("thead", {}, head), lab.el("tbody", {}, body));
};

// Progress of one job, followed over server-sent events; resolves with the final snapshot.
lab.follow = function follow(job, container, onUpdate) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const draw = (snap) => {
      container.innerHTML = "";
      const secs = ((Date.now() - started) / 1000).toFixed(0);
      const head = snap.status === "done" ? `done: ${snap.total} run${snap.total > 1 ? "s" : ""}`
        : snap.status === "failed" ? "failed" : `${snap.status}: ${snap.done} of ${snap.total} runs done, ${secs} s`;
      container.append(lab.el("div", { class: `job-head ${snap.status}`, "data-testid": "job-status" }, head));
      for (const r of snap.runs) {
        const pc = Math.round(100 * r.fraction);
        let text = `${r.scenario}, seed ${r.seed}: `;
        if (r.status === "queued") text += "waiting for a worker";
        else if (r.status === "running" && !r.days) text += "starting (the first run of a worker loads or compiles the kernels: up to a minute)";
        else if (r.status === "running") text += `day ${r.day} of ${r.days}`;
        else if (r.status === "done") text += r.cached ? "already in the catalog" : "done";
        else text += `failed: ${r.error}`;
        container.append(lab.el("div", { class: `prog ${r.status}` },
          lab.el("div", { class: "bar" }, lab.el("div", { class: "fill", style: `width:${pc}%` })),
          lab.el("span", {}, text)));
      }
      (lab.progressLog = lab.progressLog || []).push({ job: snap.id, status: snap.status, fraction: snap.fraction,
        days: snap.runs.map((r) => r.day) });
      if (onUpdate) onUpdate(snap);
    };
    draw(job);
    if (job.status === "done") return resolve(job);
    const es = new EventSource(`/api/jobs/${job.id}/events`);
    const finish = (ev, ok) => {
      const snap = JSON.parse(ev.data);
      draw(snap);
      es.close();
      if (ok) resolve(snap);
      else reject(new Error(snap.error || "the job failed"));
    };
    es.addEventListener("progress", (ev) => draw(JSON.parse(ev.data)));
    es.addEventListener("done", (ev) => finish(ev, true));
    es.addEventListener("failed", (ev) => finish(ev, false));
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) reject(new Error("lost the connection to the server"));
    };
  });
};

lab.refreshQueue = async function refreshQueue() {
  try {
    const h = await lab.api("/api/health");
    document.getElementById("queue").textContent = h.pending ? `${h.pending} run${h.pending > 1 ? "s" : ""} in the queue` : "idle";
  } catch (e) {
    document.getElementById("queue").textContent = "server not answering";
  }
};
