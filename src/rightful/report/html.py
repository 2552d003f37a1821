"""Self-contained HTML reports: one run, several scenarios compared, one scenario's ensemble.

Why: a run folder holds Parquet tables that need code to read; a newcomer (or a reviewer checking a
claim) needs one file that opens offline in any browser and shows what happened, when the dated
policies struck, and what produced the run. Every plot is inline SVG made by matplotlib
(``figures.py``), there is no script, no CDN and no external URL, so the file can be mailed or
archived with the run and still read in ten years.

Public functions
----------------
``write_report(run_dir: Path) -> Path``
    Read ``run_dir`` (``daily.parquet`` required; ``strikes.parquet``, ``events.parquet``,
    ``ngo_events.parquet``, ``policy.parquet`` and ``run.json`` used when present) and write
    ``run_dir / "report.html"``. Raises ``FileNotFoundError`` naming ``daily.parquet`` when the run
    has no daily table. Called by ``rightful run`` after each run and by ``rightful report``.

``write_comparison_report(path: Path, title: str, table_rows: list[dict], bands: dict[str, dict[str,
dict[str, np.ndarray]]], dates: np.ndarray, events: list[tuple[str, str]]) -> Path``
    Several scenarios side by side. ``table_rows`` is a list of dict rows rendered as a table, with
    the columns in the order of the keys as first seen. ``bands[series][scenario]`` is
    ``{"q10": arr, "q50": arr, "q90": arr}``, arrays aligned with ``dates`` (datetime64 or ISO
    strings); each series gets a plot with one median line and a shaded 10-90% band per scenario.
    ``events`` are ``(date, label)`` pairs marked on every plot by number. Writes ``path``.

``write_ensemble_report(path: Path, title: str, bands_for_one_scenario: dict[str, dict[str,
np.ndarray]], dates: np.ndarray, events: list[tuple[str, str]], table_rows: list[dict] | None = None)
-> Path``
    The same for one scenario's seeds: ``bands_for_one_scenario[series] = {"q10", "q50", "q90"}``.

Aggregation rules: series that are means over workers (``MEAN_SERIES``) are combined across
cities weighted by ``workers``; every other series is summed. Stocks are plotted daily for short
runs and as weekly means for long ones; flows are plotted as rates per week (runs under a year) or
per month, scaled so that partial first/last periods are not mistaken for dips.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from ..processes.observe import MEAN_STOCKS

MEAN_SERIES = MEAN_STOCKS
DEFAULT_STOCKS = (
    "workers",
    "striking",
    "in_dispute",
    "seeking",
    "gone_home",
    "detained",
    "mean_wage",
    "share_min_wage",
    "arrears",
    "awareness",
    "grievance",
    "trust_central",
    "trust_local",
    "gap",
    "union_members",
    "union_branches",
    "ngo_reach",
    "ngos_open",
    "strikes_active",
    "strikers",
    "population",
)
SERIES_TITLES = {
    "workers": "Migrant workers employed",
    "mean_wage": "Mean monthly wage (yuan)",
    "share_min_wage": "Share paid at least the legal minimum wage",
    "arrears": "Wages owed (arrears, yuan)",
    "quits": "Quits",
    "awareness": "Rights awareness",
    "grievance": "Grievance",
    "trust_central": "Trust in the central state",
    "trust_local": "Trust in the local state",
    "gap": "The rights gap: promised vs enforced",
    "strikes_started": "Strikes started",
    "strikers": "Workers on strike",
    "escalated": "Strikes escalated to the street",
    "covered": "Strikes covered by the press",
    "complaints": "Complaints",
    "arb_filed": "Arbitration cases filed",
    "arb_won": "Arbitration cases won",
    "arb_enforced": "Arbitration awards enforced",
    "court_filed": "Court cases filed",
    "recovered": "Wages recovered (yuan)",
    "union_members": "Union members",
    "ngo_reach": "Workers reached by NGOs",
}
NGO_EVENT_NAMES = ("founded", "closed", "coopted")
NGO_KINDS = {1: "paternalist", 2: "autonomy-fostering"}
OUTCOME_ORDER = ("won", "partly_won", "lost", "ongoing")
OUTCOME_COLORS = {"won": "#2ca02c", "partly_won": "#ffbf00", "lost": "#d62728", "ongoing": "#7f7f7f"}

HOW_TO_READ = """
<p>This page describes <b>one simulated history</b> of migrant workers' labour contention in the
cities listed below, produced by the <i>rightful</i> agent-based model. Each simulated worker and
firm stands for many real ones (the <i>scale</i> above): counts are already multiplied back to the
size of the region, so they read as regional totals. One run is one draw of chance; compare several
seeds (an ensemble) before trusting a difference smaller than the noise you see between months.</p>
<p><b>Stocks</b> (workers, wages, awareness, trust ...) are states on a day; <b>flows</b> (quits,
complaints, strikes started ...) are counts of things that happened, shown per week or per month.
Averages such as the mean wage or trust are weighted by the number of workers in each city.
Dated policy events (new minimum wages, laws, campaigns) are drawn on the time plots as dotted
lines with a <span class="num">number</span> at the top; the numbers refer to the
<a href="#events">event table</a>. Figures marked <i>assumption</i> in event labels or parameters are
modelling choices, not facts from the study.</p>
"""

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;color:#222;
background:#fafafa;line-height:1.45}
main{max-width:1120px;margin:0 auto;padding:1rem 1.5rem 4rem;background:#fff}
h1{font-size:1.6rem;margin:.6rem 0 .2rem}h2{font-size:1.25rem;border-bottom:2px solid #ddd;margin-top:2.2rem}
h3{font-size:1.05rem;margin-top:1.4rem}
table{border-collapse:collapse;font-size:.82rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.2rem .45rem;text-align:right;vertical-align:top}
th{background:#f1f1f1}td.l,th.l{text-align:left}
tr:nth-child(even) td{background:#fbfbfb}
.meta td{text-align:left}.meta th{text-align:left}
nav{font-size:.85rem;background:#f4f6f8;padding:.5rem .8rem;border-radius:6px}
nav a{margin-right:.9rem}
.num{display:inline-block;min-width:1.1em;padding:0 .2em;border:1px solid #999;border-radius:3px;
background:#fff8dc;font-size:.8em;text-align:center}
.note{color:#555;font-size:.85rem}.warn{color:#a33}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:.5rem}
figure{margin:.6rem 0}figcaption{font-size:.8rem;color:#555}
details{margin:.6rem 0}summary{cursor:pointer;font-weight:600}
.scroll{overflow-x:auto}.ev td:nth-child(2){white-space:nowrap}
"""


# --------------------------------------------------------------------------------------------- data
@dataclass
class RunData:
    """A run folder loaded into arrays: daily series as (days x cities) plus the event tables."""

    path: Path
    meta: dict[str, Any]
    dates: np.ndarray
    cities: list[str]
    series: dict[str, np.ndarray]
    stocks: set[str]
    strikes: dict[str, np.ndarray] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    ngo_events: dict[str, np.ndarray] | None = None
    policy: dict[str, np.ndarray] | None = None
    missing: list[str] = field(default_factory=list)

    def total(self, name: str) -> np.ndarray:
        """All cities together: worker-weighted mean for mean series, sum for the rest."""
        v = self.series[name]
        if name in MEAN_SERIES and "workers" in self.series:
            w = self.series["workers"]
            den = np.nansum(np.where(np.isnan(v), 0.0, w), axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(den > 0, np.nansum(v * w, axis=1) / den, np.nan)
        if name in MEAN_SERIES:
            return np.nanmean(v, axis=1)
        out = np.nansum(v, axis=1)
        out[np.all(np.isnan(v), axis=1)] = np.nan
        return out

    def has(self, *names: str) -> bool:
        return all(n in self.series for n in names)


def _table_dict(path: Path) -> dict[str, np.ndarray]:
    t = pq.read_table(path)
    return {c: t.column(c).to_numpy(zero_copy_only=False) for c in t.column_names}


def load_run(run_dir: Path) -> RunData:
    """Read a run folder. Only ``daily.parquet`` is required: without it there is nothing to show,
    so the error names the file; the other tables are optional and their absence is reported."""
    run_dir = Path(run_dir)
    daily_path = run_dir / "daily.parquet"
    if not daily_path.is_file():
        raise FileNotFoundError(
            f"cannot write the report: {daily_path} is missing (daily.parquet holds the "
            f"daily series of the run; is {run_dir} a finished run folder?)"
        )
    missing: list[str] = []
    meta: dict[str, Any] = {}
    if (run_dir / "run.json").is_file():
        meta = json.loads((run_dir / "run.json").read_text())
    else:
        missing.append("run.json")
    d = _table_dict(daily_path)
    if "date" not in d or "city" not in d:
        raise ValueError(f"{daily_path} lacks the 'date' and 'city' columns")
    dates_all = np.asarray(d.pop("date")).astype("datetime64[D]")
    city_all = np.asarray(d.pop("city")).astype(str)
    dates = np.unique(dates_all)
    cities = [c for c in meta.get("cities") or [] if c in set(city_all.tolist())]
    for c in city_all.tolist():
        if c not in cities:
            cities.append(c)
    di = np.searchsorted(dates, dates_all)
    pos = {c: i for i, c in enumerate(cities)}
    ci = np.array([pos[c] for c in city_all.tolist()], dtype=np.int64)
    series: dict[str, np.ndarray] = {}
    for name, col in d.items():
        arr = np.full((len(dates), len(cities)), np.nan)
        arr[di, ci] = np.asarray(col, dtype=float)
        series[name] = arr
    stocks = set(meta.get("stocks") or DEFAULT_STOCKS)
    rd = RunData(run_dir, meta, dates, cities, series, stocks, missing=missing)
    if (run_dir / "strikes.parquet").is_file():
        rd.strikes = _table_dict(run_dir / "strikes.parquet")
    else:
        missing.append("strikes.parquet")
    if (run_dir / "events.parquet").is_file():
        ev = _table_dict(run_dir / "events.parquet")
        n = len(ev.get("label", []))
        rd.events = [{k: ev[k][i] for k in ev} for i in range(n)]
    else:
        missing.append("events.parquet")
    for name, attr in (("ngo_events", "ngo_events"), ("policy", "policy")):
        p = run_dir / f"{name}.parquet"
        if p.is_file():
            setattr(rd, attr, _table_dict(p))
        else:
            missing.append(p.name)
    return rd


# ----------------------------------------------------------------------------------- resampling
def resample(dates: np.ndarray, values: np.ndarray, freq: str, how: str) -> tuple[np.ndarray, np.ndarray]:
    """Aggregate daily values into periods ('D', 'W', 'M', 'Q', 'Y').

    ``how``: 'mean' (stocks), 'last', 'sum' or 'rate' (sum scaled to a full period, so that a
    run starting or stopping mid-month does not show a spurious dip at its edges). Returns the
    first day of each period and the values, with one row per period (2-D input keeps columns).
    """
    dates = np.asarray(dates).astype("datetime64[D]")
    if freq == "D":
        return dates, values
    if freq == "W":
        keys = dates.astype("datetime64[W]").astype("datetime64[D]")
        full = 7.0
    elif freq == "M":
        keys = dates.astype("datetime64[M]").astype("datetime64[D]")
        full = 365.25 / 12
    elif freq == "Q":
        m = dates.astype("datetime64[M]").astype(int)
        keys = (m - m % 3).astype("datetime64[M]").astype("datetime64[D]")
        full = 365.25 / 4
    elif freq == "Y":
        keys = dates.astype("datetime64[Y]").astype("datetime64[D]")
        full = 365.25
    else:
        raise ValueError(f"unknown frequency {freq!r}")
    uk, inv = np.unique(keys, return_inverse=True)
    v = np.asarray(values, dtype=float)
    two_d = v.ndim == 2
    v2 = v if two_d else v[:, None]
    out = np.full((len(uk), v2.shape[1]), np.nan)
    for j in range(v2.shape[1]):
        col = v2[:, j]
        ok = ~np.isnan(col)
        s = np.bincount(inv[ok], weights=col[ok], minlength=len(uk))
        n = np.bincount(inv[ok], minlength=len(uk)).astype(float)
        if how == "sum":
            out[:, j] = np.where(n > 0, s, np.nan)
        elif how == "rate":
            out[:, j] = np.where(n > 0, s / np.maximum(n, 1) * full, np.nan)
        elif how == "mean":
            out[:, j] = np.where(n > 0, s / np.maximum(n, 1), np.nan)
        elif how == "last":
            last = np.full(len(uk), -1)
            idx = np.nonzero(ok)[0]
            last[inv[idx]] = idx  # later rows overwrite earlier ones: the last day wins
            out[:, j] = np.where(last >= 0, col[np.maximum(last, 0)], np.nan)
        else:
            raise ValueError(f"unknown aggregation {how!r}")
    return uk, out if two_d else out[:, 0]


def midpoints(starts: np.ndarray, freq: str) -> np.ndarray:
    """Where to plot a period's value: its middle, so a monthly point sits under the weeks it sums
    and the last period of a run is not drawn a month before the run ends."""
    half = {"D": 0, "W": 3, "M": 14, "Q": 45, "Y": 182}[freq]
    return np.asarray(starts).astype("datetime64[D]") + np.timedelta64(half, "D")


# ------------------------------------------------------------------------------------ formatting
def fmt(v: Any) -> str:
    """Human-readable numbers for tables (12.3k, 4.56M), text passed through escaped."""
    if v is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        if np.isnan(f):
            return "–"
        a = abs(f)
        if a >= 1e9:
            return f"{f / 1e9:.2f}G"
        if a >= 1e6:
            return f"{f / 1e6:.2f}M"
        if a >= 1e4:
            return f"{f / 1e3:.1f}k"
        if f == int(f):
            return f"{int(f):,}"
        if a >= 100:
            return f"{f:,.0f}"
        if a >= 1:
            return f"{f:.2f}"
        return f"{f:.3f}"
    return html.escape(str(v))


def esc(s: Any) -> str:
    return html.escape(str(s))


def table_html(
    header: Sequence[str], rows: Iterable[Sequence[Any]], left_cols: int = 1, raw: bool = False
) -> str:
    """An HTML table; the first ``left_cols`` columns are left-aligned text. ``raw`` cells are
    trusted HTML (already escaped by the caller)."""
    h = "".join(f'<th class="{"l" if i < left_cols else ""}">{esc(c)}</th>' for i, c in enumerate(header))
    body = []
    for r in rows:
        cells = []
        for i, c in enumerate(r):
            txt = c if (raw and isinstance(c, str)) else fmt(c)
            cells.append(f'<td class="{"l" if i < left_cols else ""}">{txt}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table><thead><tr>{h}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def figure_html(svg: str, caption: str = "") -> str:
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{svg}{cap}</figure>"


# -------------------------------------------------------------------------------------- events
@dataclass
class EventGroup:
    """All events on one date, shown under one number (several policies often share a day)."""

    number: int
    date: np.datetime64
    items: list[tuple[str, str]]  # (label, what changed)


def _zones_text(zones: Any, zone_names: Sequence[str]) -> str:
    z = [int(x) for x in (list(zones) if zones is not None else [])]
    if not z or (zone_names and sorted(set(z)) == list(range(len(zone_names)))):
        return "all zones"
    return ", ".join(zone_names[i] if i < len(zone_names) else str(i) for i in sorted(set(z)))


def _zlist(z: Any) -> list[int]:
    """Zones of an event as a plain list (Parquet gives an array, callers may give None)."""
    return [] if z is None else [int(x) for x in list(z)]


def group_events(
    events: Sequence[dict[str, Any]], start: np.datetime64, end: np.datetime64, zone_names: Sequence[str]
) -> tuple[list[EventGroup], list[dict[str, Any]], list[dict[str, Any]]]:
    """Split events into numbered groups inside the run span, those dated before it (in force from
    the first day) and those after it (never reached); duplicates per zone are merged."""
    merged: dict[tuple[Any, str], dict[str, Any]] = {}
    for e in events:
        d = np.datetime64(e["date"], "D")
        key = (d, str(e.get("label")))
        what = ""
        if e.get("param") is not None:
            what = f"{e['param']} {e.get('op') or ''} {fmt(e.get('value'))}".strip()
        if key in merged:
            merged[key]["zones"] = list(merged[key]["zones"]) + _zlist(e.get("zones"))
            if what and what not in merged[key]["whats"]:
                merged[key]["whats"].append(what)
        else:
            merged[key] = {
                "date": d,
                "label": str(e.get("label")),
                "zones": _zlist(e.get("zones")),
                "whats": [what] if what else [],
            }
    items = sorted(merged.values(), key=lambda x: (x["date"], x["label"]))
    for it in items:
        it["where"] = _zones_text(it["zones"], zone_names)
        it["what"] = "; ".join(it["whats"])
    before = [it for it in items if it["date"] < start]
    after = [it for it in items if it["date"] > end]
    inside = [it for it in items if start <= it["date"] <= end]
    groups: list[EventGroup] = []
    for it in inside:
        if not groups or groups[-1].date != it["date"]:
            groups.append(EventGroup(len(groups) + 1, it["date"], []))
        groups[-1].items.append((it["label"], f"{it['what']} ({it['where']})"))
    return groups, before, after


def events_section(
    groups: list[EventGroup], before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> str:
    """The numbered event table the plot markers refer to, plus collapsed lists of events outside
    the run (so a reader sees what the scenario holds but the run never reached)."""
    rows = []
    for g in groups:
        for i, (label, what) in enumerate(g.items):
            num = f'<span class="num">{g.number}</span>' if i == 0 else ""
            rows.append((num, str(g.date) if i == 0 else "", esc(label), esc(what)))
    out = [
        '<h2 id="events">Dated events</h2>',
        '<p class="note">Policy events of the scenario applied during the run, numbered as on the plots. '
        "Events sharing a date share a number.</p>",
    ]
    out.append(
        '<div class="ev">'
        + table_html(["#", "date", "event", "what changed (where)"], rows, left_cols=4, raw=True)
        + "</div>"
        if rows
        else '<p class="note">No dated events fell inside the run span.</p>'
    )
    for title, lst in (
        ("dated before the run start (in force from the first day)", before),
        ("scheduled after the run end (not reached)", after),
    ):
        if lst:
            r = [(str(it["date"]), esc(it["label"]), esc(f"{it['what']} ({it['where']})")) for it in lst]
            out.append(
                f"<details><summary>{len(lst)} event{'s' if len(lst) != 1 else ''} {title}</summary>"
                + table_html(["date", "event", "what changed (where)"], r, left_cols=3, raw=True)
                + "</details>"
            )
    return "\n".join(out)


def scenario_text(meta: dict[str, Any]) -> tuple[str, str]:
    """Title and description of the run's scenario.

    run.json stores the scenario's name and content hash, not its prose; the prose is read back
    from the scenario file, but only when that file still hashes to what was run, so a report never
    describes a scenario other than the one simulated.
    """
    if meta.get("title"):
        return str(meta["title"]), str(meta.get("description") or "")
    name = meta.get("scenario")
    if not name:
        return "", ""
    try:
        from ..scenarios.loader import load

        loaded = load(name)
    except Exception:  # noqa: BLE001 - prose is optional: a renamed or broken file must not stop a report
        return "", ""
    if meta.get("scenario_hash") and loaded.hash != meta["scenario_hash"]:
        return "", ""
    return loaded.scenario.title, " ".join(loaded.scenario.description.split())


# ---------------------------------------------------------------------------------- the run report
class _Report:
    """Builds the sections of one run's report; holds the loaded data and plotting choices."""

    def __init__(self, rd: RunData) -> None:
        from . import figures as F

        self.F = F
        self.rd = rd
        self.n_days = len(rd.dates)
        self.start = rd.dates[0] if self.n_days else np.datetime64("2000-01-01")
        self.end = rd.dates[-1] if self.n_days else self.start
        self.stock_freq = "D" if self.n_days <= 400 else "W"
        self.flow_freq = "W" if self.n_days < 365 else "M"
        self.flow_unit = "per week" if self.flow_freq == "W" else "per month"
        zones = rd.meta.get("zones") or []
        self.zone_names = [str(z) for z in zones]
        self.groups, self.before, self.after = group_events(rd.events, self.start, self.end, self.zone_names)
        self.marks = [F.EventMark(g.date, g.number) for g in self.groups]
        self.city_colors = {c: F.PALETTE[(i + 1) % len(F.PALETTE)] for i, c in enumerate(rd.cities)}

    # -- helpers
    def lines(
        self,
        name: str,
        per_city: bool = True,
        total: bool = True,
        flow: bool | None = None,
        label: str | None = None,
        color: str | None = None,
    ) -> list[Any]:
        """Lines for one series: each city thin, all cities thick (resampled for plotting)."""
        F, rd = self.F, self.rd
        if name not in rd.series:
            return []
        is_flow = (name not in rd.stocks) if flow is None else flow
        freq, how = (self.flow_freq, "rate") if is_flow else (self.stock_freq, "mean")
        out = []
        if per_city and len(rd.cities) > 1:
            x, y = resample(rd.dates, rd.series[name], freq, how)
            x = midpoints(x, freq)
            for j, c in enumerate(rd.cities):
                out.append(F.Line(c, x, y[:, j], self.city_colors[c], width=1.0, alpha=0.9))
        if total:
            x, y = resample(rd.dates, rd.total(name), freq, how)
            x = midpoints(x, freq)
            lab = label or ("all cities" if per_city and len(rd.cities) > 1 else name)
            out.append(F.Line(lab, x, y, color or "#111111", width=1.8))
        return out

    def ts(self, panels: list[Any], caption: str = "", **kw: Any) -> str:
        panels = [p for p in panels if p.lines or p.bands]
        if not panels:
            return ""
        return figure_html(self.F.timeseries(panels, self.marks, span=(self.start, self.end), **kw), caption)

    # -- sections
    def header(self) -> str:
        m, rd = self.rd.meta, self.rd
        sc_title, sc_desc = scenario_text(m)
        title = sc_title or m.get("scenario") or rd.path.name
        rows = [
            ("scenario", m.get("scenario")),
            ("seed", m.get("seed")),
            ("scale", m.get("scale")),
            ("run id", m.get("run_id") or rd.path.name),
            ("simulated span", f"{self.start} to {self.end} ({self.n_days} days)"),
            ("cities", ", ".join(rd.cities)),
            ("agents / firms", f"{fmt(m.get('agents'))} / {fmt(m.get('firms'))}"),
            ("version", m.get("version")),
            ("git commit", m.get("git_commit")),
            ("scenario hash", m.get("scenario_hash")),
            ("started / ended", f"{m.get('started')} / {m.get('ended')}"),
            ("wall time", f"{m['wall_s']:.1f} s" if isinstance(m.get("wall_s"), (int, float)) else None),
            ("parameter overrides", json.dumps(m.get("overrides")) if m.get("overrides") else "none"),
        ]
        meta_rows = "".join(
            f"<tr><th>{esc(k)}</th><td>{esc(v if v is not None else '–')}</td></tr>" for k, v in rows
        )
        miss = (
            f'<p class="warn">Missing from the run folder: {esc(", ".join(rd.missing))}; '
            f"the sections that need them are left out.</p>"
            if rd.missing
            else ""
        )
        nav = (
            '<nav><a href="#figures">key figures</a><a href="#workers">workers &amp; wages</a>'
            '<a href="#minds">awareness &amp; trust</a><a href="#strikes">strikes</a>'
            '<a href="#claims">claims</a><a href="#unions">unions &amp; NGOs</a><a href="#events">events</a>'
            '<a href="#cpu">CPU</a><a href="#params">parameters</a></nav>'
        )
        return (
            f'<h1>{esc(title)}</h1><p class="note">rightful run report, written '
            f"{dt.datetime.now().isoformat(timespec='seconds')}</p>"
            f'<p>{esc(sc_desc)}</p><table class="meta">{meta_rows}</table>{miss}'
            f"<h2>How to read this report</h2>{HOW_TO_READ}{nav}"
        )

    def key_figures(self) -> str:
        rd = self.rd
        years = rd.dates.astype("datetime64[Y]").astype(int) + 1970
        uy = sorted(set(years.tolist()))
        spec = [  # (row label, series, how)
            ("migrant workers (year end)", "workers", "last"),
            ("mean monthly wage, yuan", "mean_wage", "mean"),
            ("share paid at least the minimum", "share_min_wage", "mean"),
            ("wages owed, yuan (year end)", "arrears", "last"),
            ("arrears accrued, yuan", "arrears_accrued", "sum"),
            ("wages recovered, yuan", "recovered", "sum"),
            ("quits", "quits", "sum"),
            ("complaints", "complaints", "sum"),
            ("arbitration cases filed", "arb_filed", "sum"),
            ("arbitration: accepted", "arb_accepted", "sum"),
            ("arbitration: won", "arb_won", "sum"),
            ("arbitration: enforced", "arb_enforced", "sum"),
            ("court cases filed", "court_filed", "sum"),
            ("collective cases", "collective_cases", "sum"),
            ("strikes started", "strikes_started", "sum"),
            ("strikers (at start)", "strikers_started", "sum"),
            ("strikes escalated to the street", "escalated", "sum"),
            ("strikes covered by the press", "covered", "sum"),
            ("strikes won", "strikes_won", "sum"),
            ("strikes repressed", "repressed", "sum"),
            ("rights awareness (mean)", "awareness", "mean"),
            ("grievance (mean)", "grievance", "mean"),
            ("trust in the central state", "trust_central", "mean"),
            ("trust in the local state", "trust_local", "mean"),
            ("promised-vs-enforced gap", "gap", "mean"),
            ("union members (year end)", "union_members", "last"),
            ("workers reached by NGOs (year end)", "ngo_reach", "last"),
            ("NGOs open (year end)", "ngos_open", "last"),
        ]
        rows = []
        for label, name, how in spec:
            if name not in rd.series:
                continue
            _, vals = resample(rd.dates, rd.total(name), "Y", how)
            rows.append((label, *vals))
        hdr = []
        for y in uy:
            n = int((years == y).sum())
            full = 366 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 365
            hdr.append(f"{y}" if n >= full else f"{y} ({n} d)")
        return (
            '<h2 id="figures">Key figures per year</h2><p class="note">All cities together. Flows are totals '
            "over the simulated days of each year (a year shown with its number of days is partial); "
            "means are worker-weighted averages over the year.</p>" + table_html(["", *hdr], rows)
        )

    def workers_wages(self) -> str:
        P = self.F.Panel
        rd = self.rd
        out = ['<h2 id="workers">Workers and wages</h2>']
        out.append(self.ts([P("Migrant workers employed", "workers", self.lines("workers"))]))
        out.append(
            self.ts(
                [
                    P("Mean monthly wage", "yuan", self.lines("mean_wage")),
                    P(
                        "Share paid at least the legal minimum wage",
                        "",
                        self.lines("share_min_wage"),
                        percent=True,
                    ),
                ],
                "Worker-weighted averages; each city thin, all cities thick.",
            )
        )
        out.append(
            self.ts(
                [
                    P("Wages owed (arrears)", "yuan", self.lines("arrears")),
                    P(f"Quits ({self.flow_unit})", self.flow_unit, self.lines("quits")),
                ],
                "Arrears build up over the year and peak before the New Year; quits are workers "
                "'voting with their feet'.",
            )
        )
        money = [
            ln
            for name, lab in (
                ("arrears_accrued", "arrears accrued"),
                ("arrears_repaid", "repaid"),
                ("recovered", "recovered by claims"),
            )
            for ln in self.lines(name, per_city=False, label=lab, color=None)
        ]
        for i, ln in enumerate(money):
            ln.color = self.F.PALETTE[i]
        if money:
            out.append(self.ts([self.F.Panel(f"Money flows, all cities ({self.flow_unit})", "yuan", money)]))
        if rd.has("striking", "in_dispute", "seeking", "gone_home"):
            sit = [
                ln
                for name in ("striking", "in_dispute", "seeking", "gone_home", "detained")
                for ln in self.lines(name, per_city=False, label=name)
            ]
            for i, ln in enumerate(sit):
                ln.color = self.F.PALETTE[i]
            out.append(
                self.ts(
                    [P("Workers not at work, by situation (all cities)", "workers", sit, logy=True)],
                    "Log scale.",
                )
            )
        return "\n".join(out)

    def minds(self) -> str:
        P = self.F.Panel
        out = ['<h2 id="minds">Rights awareness, grievance and trust</h2>']
        out.append(
            self.ts(
                [
                    P("Rights awareness", "mean (0-1)", self.lines("awareness")),
                    P("Grievance", "mean", self.lines("grievance")),
                ],
                "Awareness: does the worker know what the law entitles her to. Grievance: the gap "
                "between what the law promises and what she gets, weighted by awareness and "
                "legitimacy, plus arrears and injuries.",
            )
        )
        trust: list[Any] = []
        for name, lab, style in (("trust_central", "central", "-"), ("trust_local", "local", "--")):
            for ln in self.lines(name, label=f"{lab}: all cities"):
                if ln.label in self.rd.cities:
                    ln.label = f"{lab}: {ln.label}"
                    ln.alpha = 0.7
                ln.style = style
                trust.append(ln)
        out.append(
            self.ts(
                [P("Trust in the central state (solid) vs the local state (dashed)", "mean (0-1)", trust)],
                "Rightful resistance rests on this split: claims are framed in the centre's words "
                "against local officials who do not enforce them.",
            )
        )
        out.append(self.ts([P("The rights gap: promised vs enforced", "mean", self.lines("gap"))]))
        return "\n".join(out)

    def strikes(self) -> str:
        F, rd = self.F, self.rd
        out = ['<h2 id="strikes">Strikes</h2>']
        out.append(
            self.ts(
                [
                    F.Panel(f"Strikes started ({self.flow_unit})", "strikes", self.lines("strikes_started")),
                    F.Panel(
                        f"Workers on strike ({'weekly mean' if self.stock_freq == 'W' else 'daily'})",
                        "strikers",
                        self.lines("strikers"),
                    ),
                ],
                "Counts weighted to the size of the region.",
            )
        )
        s = rd.strikes
        if s is None:
            out.append('<p class="warn">strikes.parquet is missing: no per-strike figures.</p>')
            return "\n".join(out)
        n = len(s.get("strike", []))
        if n == 0:
            out.append('<p class="note">No strike in this run.</p>')
            return "\n".join(out)
        w = np.asarray(s.get("weight", np.ones(n)), dtype=float)
        start = np.asarray(s["start"]).astype("datetime64[D]")
        grid = []
        grid.append(
            F.histogram(
                np.asarray(s["peak_size"], dtype=float),
                w,
                "Strike size (peak strikers)",
                "peak strikers (log scale)",
                "strikes (weighted)",
                log_bins=True,
            )
        )
        grid.append(
            F.histogram(
                np.asarray(s["days"], dtype=float),
                w,
                "Strike duration",
                "days",
                "strikes (weighted)",
                integer_bins=True,
            )
        )
        out.append('<div class="grid">' + "".join(figure_html(g) for g in grid) + "</div>")
        # share escalated / covered over time
        freq = "Q" if self.n_days >= 365 else "M"
        period = "quarter" if freq == "Q" else "month"
        lines = []
        for i, (col, lab) in enumerate(
            (("escalated", "escalated to the street"), ("covered", "covered by the press"))
        ):
            if col in s:
                x, num = resample(start, w * np.asarray(s[col], dtype=float), freq, "sum")
                x = midpoints(x, freq)
                _, den = resample(start, w, freq, "sum")
                with np.errstate(invalid="ignore", divide="ignore"):
                    lines.append(F.Line(lab, x, num / den, F.PALETTE[i], width=1.6, marker="o"))
        if lines:
            out.append(
                self.ts(
                    [
                        F.Panel(
                            f"Share of strikes escalated / covered (by {period} of start)",
                            "share",
                            lines,
                            percent=True,
                        )
                    ],
                    panel_height=2.8,
                )
            )
        # outcomes per year
        yrs = start.astype("datetime64[Y]").astype(int) + 1970
        uy = sorted(set(yrs.tolist()))
        outc = np.asarray(s.get("outcome", np.array([], dtype=object))).astype(str)
        present = [o for o in OUTCOME_ORDER if o in set(outc.tolist())]
        shares: dict[str, list[float]] = {o: [] for o in present}
        totals = []
        for y in uy:
            m = yrs == y
            tot = w[m].sum()
            totals.append(tot)
            for o in present:
                shares[o].append(w[m & (outc == o)].sum() / tot if tot else 0.0)
        out.append(
            figure_html(
                F.bars(
                    [str(y) for y in uy],
                    shares,
                    "Strike outcomes by year of start",
                    "share of strikes",
                    percent=True,
                    annotate=[fmt(t) for t in totals],
                    colors=OUTCOME_COLORS,
                    height=2.8,
                ),
                "Numbers above the bars: strikes started that year (weighted).",
            )
        )
        # tables: by city, responses, causes
        city = np.asarray(s.get("city", np.array(["?"] * n))).astype(str)
        rows = []
        for c in sorted(set(city.tolist())):
            m = city == c
            rows.append(
                (
                    c,
                    int(m.sum()),
                    w[m].sum(),
                    F.weighted_median(np.asarray(s["days"], float)[m], w[m]),
                    F.weighted_median(np.asarray(s["peak_size"], float)[m], w[m]),
                    *(np.average(np.asarray(s[k], float)[m], weights=w[m]) for k in ("escalated", "covered")),
                    *(w[m & (outc == o)].sum() / w[m].sum() for o in ("won", "partly_won", "lost")),
                )
            )
        out.append(
            "<h3>Strikes by city</h3>"
            + table_html(
                [
                    "city",
                    "simulated strikes",
                    "strikes (weighted)",
                    "median days",
                    "median peak size",
                    "escalated",
                    "covered",
                    "won",
                    "partly won",
                    "lost",
                ],
                rows,
            )
        )
        small = []
        for col, title in (
            ("cause", "Cause"),
            ("official_response", "Official response"),
            ("management_response", "Management response"),
        ):
            if col in s:
                v = np.asarray(s[col]).astype(str)
                r = sorted(
                    ((k, w[v == k].sum(), w[v == k].sum() / w.sum()) for k in set(v.tolist())),
                    key=lambda t: -t[1],
                )
                small.append(
                    f"<div><h3>{title}</h3>"
                    + table_html([col.replace("_", " "), "strikes (weighted)", "share"], r)
                    + "</div>"
                )
        out.append('<div class="grid">' + "".join(small) + "</div>")
        return "\n".join(out)

    def claims(self) -> str:
        F, rd = self.F, self.rd
        out = ['<h2 id="claims">Individual claims: the legal pipeline</h2>']
        pipe = [
            ("complaints", "complaints (management)"),
            ("bureau_complaints", "labour bureau"),
            ("redirected", "redirected by the bureau"),
            ("arb_filed", "arbitration filed"),
            ("arb_accepted", "arbitration accepted"),
            ("arb_won", "arbitration won"),
            ("arb_enforced", "award enforced"),
            ("court_filed", "court filed"),
        ]
        lines = []
        for i, (name, lab) in enumerate(pipe):
            for ln in self.lines(name, per_city=False, label=lab, color=F.PALETTE[i]):
                ln.y = np.where(ln.y > 0, ln.y, np.nan)  # log scale: zero months are gaps, not cliffs
                lines.append(ln)
        out.append(
            self.ts(
                [
                    F.Panel(
                        f"Claims pipeline, all cities ({self.flow_unit}, log scale)",
                        "claims",
                        lines,
                        logy=True,
                    )
                ],
                panel_height=3.4,
            )
        )
        stages = [
            ("complaints", "complaints to management"),
            ("bureau_complaints", "complaints to the bureau"),
            ("redirected", "redirected by the bureau"),
            ("ngo_helped", "helped by an NGO"),
            ("arb_filed", "arbitration filed"),
            ("arb_rejected", "arbitration rejected"),
            ("arb_time_barred", "time-barred"),
            ("arb_accepted", "accepted"),
            ("arb_mediated", "mediated"),
            ("arb_awarded", "awarded"),
            ("arb_won", "won"),
            ("arb_partly", "partly won"),
            ("arb_lost", "lost"),
            ("arb_enforced", "enforced"),
            ("court_filed", "court filed"),
            ("court_won", "court won"),
            ("court_enforced", "court enforced"),
            ("claims_dropped", "claims dropped"),
        ]
        st = [(lab, float(np.nansum(rd.total(n)))) for n, lab in stages if n in rd.series]
        if st:
            out.append(
                figure_html(
                    F.bars(
                        [a for a, _ in st],
                        {"total": [b for _, b in st]},
                        "Claims over the whole run, by stage (all cities)",
                        "claims",
                        horizontal=True,
                        annotate=[fmt(b) for _, b in st],
                        height=0.25 * len(st) + 0.9,
                    )
                )
            )
        out.append(
            self.ts(
                [
                    F.Panel(f"Collective cases ({self.flow_unit})", "cases", self.lines("collective_cases")),
                    F.Panel(
                        f"Workers in collective cases ({self.flow_unit})",
                        "workers",
                        self.lines("collective_workers"),
                    ),
                ]
            )
        )
        out.append(
            self.ts(
                [
                    F.Panel(
                        "Workers in a dispute (left the job to pursue a claim)",
                        "workers",
                        self.lines("in_dispute"),
                    )
                ]
            )
        )
        return "\n".join(out)

    def unions_ngos(self) -> str:
        F, rd = self.F, self.rd
        out = ['<h2 id="unions">Unions and NGOs</h2>']
        out.append(
            self.ts(
                [
                    F.Panel("Union members", "members", self.lines("union_members")),
                    F.Panel("Union branches", "branches", self.lines("union_branches")),
                ]
            )
        )
        out.append(
            self.ts(
                [
                    F.Panel("Workers reached by NGOs", "workers", self.lines("ngo_reach")),
                    F.Panel("NGOs open", "NGOs", self.lines("ngos_open")),
                    F.Panel(f"NGO contacts ({self.flow_unit})", "contacts", self.lines("ngo_contacts")),
                ]
            )
        )
        ng = rd.ngo_events
        if ng is not None and len(ng.get("day", [])):
            rows = []
            for i in range(len(ng["day"])):
                d = self.start + np.timedelta64(int(ng["day"][i]), "D")
                z = int(ng["zone"][i])
                ev = int(ng["event"][i])
                rows.append(
                    (
                        str(d),
                        self.zone_names[z] if z < len(self.zone_names) else z,
                        NGO_KINDS.get(int(ng["kind"][i]), ng["kind"][i]),
                        NGO_EVENT_NAMES[ev] if 0 <= ev < len(NGO_EVENT_NAMES) else ev,
                        int(ng["ngo"][i]),
                    )
                )
            out.append(
                f"<details><summary>NGO events ({len(rows)}: foundings, closures, co-optations)"
                "</summary>"
                + table_html(["date", "zone", "kind", "event", "NGO id"], rows, left_cols=4)
                + "</details>"
            )
        pol = rd.policy
        if pol is not None and len(pol.get("day", [])):
            rows = [
                (
                    str(self.start + np.timedelta64(int(pol["day"][i]), "D")),
                    pol["wave"][i],
                    pol["advocacy"][i],
                )
                for i in range(len(pol["day"]))
            ]
            out.append(
                '<h3>Central-state adjustments (feedback)</h3><p class="note">Dates when protest waves '
                "or NGO advocacy moved policy ('consultative Leninism').</p>"
                + table_html(["date", "protest wave (strikes / 10k workers, 30 d)", "advocacy NGOs"], rows)
            )
        return "\n".join(out)

    def cpu(self) -> str:
        m = self.rd.meta
        cpu = m.get("cpu_per_process") or {}
        out = ['<h2 id="cpu">CPU time per process</h2>']
        if not cpu:
            out.append('<p class="note">run.json has no CPU timings.</p>')
            return "\n".join(out)
        names = list(cpu)
        cs = [float(cpu[k].get("cpu_s", 0.0)) for k in names]
        total = sum(cs)
        order = np.argsort(cs)[::-1]
        names = [names[i] for i in order]
        cs = [cs[i] for i in order]
        out.append(
            figure_html(
                self.F.bars(
                    names,
                    {"cpu s": cs},
                    "CPU seconds per process",
                    "CPU seconds",
                    horizontal=True,
                    height=0.25 * len(names) + 0.9,
                    annotate=[f"{c:.2f} s ({c / total:.0%})" if total else "" for c in cs],
                ),
                f"Total {total:.1f} CPU s over processes; wall time of the run "
                f"{fmt(m.get('wall_s'))} s; {fmt(m.get('bytes_per_worker'))} bytes per worker.",
            )
        )
        rows = [(k, cpu[k].get("cpu_s"), cpu[k].get("wall_s"), cpu[k].get("calls")) for k in names]
        out.append(
            "<details><summary>timings table</summary>"
            + table_html(["process", "CPU s", "wall s", "calls"], rows)
            + "</details>"
        )
        return "\n".join(out)

    def params(self) -> str:
        params = self.rd.meta.get("params") or {}
        specs: dict[str, Any] = {}
        try:  # descriptions live with the processes; a report must still render if that import fails
            from ..processes import all_params

            specs = {p.name: p for p in all_params()}
        except Exception:  # noqa: BLE001 - optional enrichment only
            specs = {}
        rows = []
        for k in sorted(params):
            sp = specs.get(k)
            rows.append(
                (
                    esc(k),
                    esc(self._param_value(params[k])),
                    esc(getattr(sp, "unit", "")),
                    esc(getattr(sp, "doc", "")),
                    esc(getattr(sp, "source", "")),
                )
            )
        return (
            f'<h2 id="params">Parameters</h2><details><summary>All {len(rows)} parameters (values at the end '
            "of the run, after dated events)</summary>"
            + table_html(["parameter", "value", "unit", "meaning", "source"], rows, left_cols=5, raw=True)
            + "</details>"
        )

    def _param_value(self, v: Any) -> str:
        """Compact text: one number when uniform, per zone when it varies by zone, else the array."""
        try:
            a = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            return json.dumps(v, default=str)
        if a.size == 0:
            return "[]"
        if np.all(a == a.flat[0]) or np.all(np.isnan(a)):
            return fmt(a.flat[0]) if a.ndim else fmt(float(a))
        if a.ndim == 2 and np.all(a == a[:, :1]):
            zn = (
                self.zone_names if len(self.zone_names) == a.shape[0] else [str(i) for i in range(a.shape[0])]
            )
            return ", ".join(f"{z}: {fmt(x)}" for z, x in zip(zn, a[:, 0], strict=True))
        return json.dumps(np.round(a, 4).tolist())

    def render(self) -> str:
        m = self.rd.meta
        rid = m.get("run_id", self.rd.path.name)
        title = f"rightful — {m.get('scenario', '')} seed {m.get('seed', '')} ({rid})"
        parts = [
            self.header(),
            self.key_figures(),
            self.workers_wages(),
            self.minds(),
            self.strikes(),
            self.claims(),
            self.unions_ngos(),
            events_section(self.groups, self.before, self.after),
            self.cpu(),
            self.params(),
        ]
        return page(title, "\n".join(parts))


def page(title: str, body: str) -> str:
    """Wrap a body in a complete, self-contained HTML document (inline CSS, no scripts)."""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>{body}"
        '<p class="note" style="margin-top:3rem">Generated by rightful; self-contained (no external '
        "resources).</p></main></body></html>\n"
    )


def _write_atomic(path: Path, text: str) -> Path:
    """Write then rename, so a crash never leaves half a report where a good one was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_report(run_dir: Path) -> Path:
    """Write ``run_dir/report.html`` for one run and return its path (see the module docstring)."""
    rd = load_run(Path(run_dir))
    return _write_atomic(Path(run_dir) / "report.html", _Report(rd).render())


# ---------------------------------------------------------------------- comparison and ensembles
def _as_dates(dates: np.ndarray) -> np.ndarray:
    return np.asarray(dates).astype("datetime64[D]")


def _band_panels(bands: dict[str, dict[str, dict[str, np.ndarray]]], dates: np.ndarray) -> list[Any]:
    """One panel per series, one median line and 10-90% band per scenario; long daily series are
    averaged per week for display (the quantiles are those of the daily values)."""
    from . import figures as F

    d = _as_dates(dates)
    freq = "W" if len(d) > 600 else "D"
    scen_order: list[str] = []
    for per in bands.values():
        for sc in per:
            if sc not in scen_order:
                scen_order.append(sc)
    colors = {sc: F.PALETTE[i % len(F.PALETTE)] for i, sc in enumerate(scen_order)}
    panels = []
    for series, per in bands.items():
        bl = []
        for sc, q in per.items():
            x, lo = resample(d, np.asarray(q["q10"], dtype=float), freq, "mean")
            x = midpoints(x, freq)
            _, mid = resample(d, np.asarray(q["q50"], dtype=float), freq, "mean")
            _, hi = resample(d, np.asarray(q["q90"], dtype=float), freq, "mean")
            bl.append(F.Band(sc, x, lo, mid, hi, colors[sc]))
        pct = series in ("share_min_wage",) or series.startswith("share")
        title = SERIES_TITLES.get(series, series)
        panels.append(F.Panel(title if title == series else f"{title} ({series})", "", bands=bl, percent=pct))
    return panels


def _band_report(
    path: Path,
    title: str,
    table_rows: list[dict[str, Any]] | None,
    bands: dict[str, dict[str, dict[str, np.ndarray]]],
    dates: np.ndarray,
    events: list[tuple[str, str]],
    intro: str,
) -> Path:
    from . import figures as F

    d = _as_dates(dates)
    start, end = (d[0], d[-1]) if len(d) else (np.datetime64("2000-01-01"), np.datetime64("2000-01-01"))
    groups, before, after = group_events(
        [{"date": a, "label": b, "zones": []} for a, b in events], start, end, []
    )
    for g in groups:  # no parameter detail is passed in: show the label alone
        g.items = [(lab, "") for lab, _ in g.items]
    marks = [F.EventMark(g.date, g.number) for g in groups]
    body = [
        f'<h1>{esc(title)}</h1><p class="note">written {dt.datetime.now().isoformat(timespec="seconds")}'
        f"; span {start} to {end}</p>",
        intro,
    ]
    rows = table_rows or []
    if rows:
        cols: list[str] = []
        for r in rows:
            for k in r:
                if k not in cols:
                    cols.append(k)
        body.append(
            '<h2 id="table">Summary table</h2>' + table_html(cols, [[r.get(c) for c in cols] for r in rows])
        )
    body.append('<h2 id="series">Outcome series</h2>')
    for p in _band_panels(bands, d):
        body.append(figure_html(F.timeseries([p], marks, panel_height=2.8)))
    rows_ev = [
        (f'<span class="num">{g.number}</span>', str(g.date), esc("; ".join(lab for lab, _ in g.items)))
        for g in groups
    ]
    body.append(
        '<h2 id="events">Dated events</h2>'
        + (
            table_html(["#", "date", "event"], rows_ev, left_cols=3, raw=True)
            if rows_ev
            else '<p class="note">No dated events inside the span.</p>'
        )
    )
    if before or after:
        body.append(
            f'<p class="note">{len(before)} events dated before and {len(after)} after the span are not '
            "marked.</p>"
        )
    return _write_atomic(Path(path), page(title, "\n".join(body)))


def write_comparison_report(
    path: Path,
    title: str,
    table_rows: list[dict[str, Any]],
    bands: dict[str, dict[str, dict[str, np.ndarray]]],
    dates: np.ndarray,
    events: list[tuple[str, str]],
) -> Path:
    """Several scenarios compared: a table and median/10-90% band plots (see the module docstring)."""
    intro = (
        "<p>Each line is the median over seeds of one scenario; the shaded band spans the 10th to "
        "90th percentile across seeds, so where bands overlap the scenarios are not told apart by this "
        "ensemble. Dotted numbered lines mark dated events (table at the end).</p>"
    )
    return _band_report(path, title, table_rows, bands, dates, events, intro)


def write_ensemble_report(
    path: Path,
    title: str,
    bands_for_one_scenario: dict[str, dict[str, np.ndarray]],
    dates: np.ndarray,
    events: list[tuple[str, str]],
    table_rows: list[dict[str, Any]] | None = None,
) -> Path:
    """One scenario over many seeds: median and 10-90% band per series (see the module docstring)."""
    bands = {series: {"median over seeds": q} for series, q in bands_for_one_scenario.items()}
    intro = (
        "<p>The line is the median over seeds; the shaded band spans the 10th to 90th percentile, "
        "i.e. the spread that chance alone produces in this scenario.</p>"
    )
    return _band_report(path, title, table_rows, bands, dates, events, intro)
