"""Reduce runs across seeds: median and quantile bands per daily series, from the Parquet files.

Why from Parquet: the driver of a large ensemble never holds the runs; it re-reads only the chosen
columns of each run's ``daily.parquet`` through the run-view, which collapses the cities by each
series' declared rule (a sum, or a worker-weighted mean for per-worker means), and keeps one
(runs x days) array per series, which is small next to the runs themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..runview import RunView, S

QUANTILES = {"q05": 0.05, "q10": 0.10, "q25": 0.25, "q50": 0.50, "q75": 0.75, "q90": 0.90, "q95": 0.95}
SERIES = (S.strikes_started, S.strikers_started, S.strikes_active, S.arb_filed, S.arb_accepted, S.complaints,
          S.recovered, S.quits, S.workers, S.arrears, S.mean_wage, S.share_min_wage, S.awareness, S.grievance,
          S.trust_central, S.trust_local, S.gap, S.union_members, S.ngo_reach)

Bands = dict[str, dict[str, np.ndarray]]  # series -> quantile name -> daily values


def bands(paths: Sequence[Path | str], series: Iterable[str] | None = None) -> tuple[np.ndarray, Bands]:
    """Dates and, per series, the across-run quantiles (q05..q95) of each day's all-city value."""
    paths = list(paths)
    if not paths:
        raise ValueError("no completed runs to reduce")
    first = RunView.open(paths[0])
    names = [s for s in (series or SERIES) if first.has(s)]
    dates = first.dates
    arr = {s: np.full((len(paths), len(dates)), np.nan) for s in names}
    for r, p in enumerate(paths):
        d = first if r == 0 else RunView.open(p)
        if len(d.dates) != len(dates):
            raise ValueError(f"run {p} covers {len(d.dates)} days, not {len(dates)}: "
                             "reduce runs of the same span only")
        for s in names:
            arr[s][r] = d.total(s)
    out: Bands = {}
    for s in names:
        qs = np.nanquantile(arr[s], list(QUANTILES.values()), axis=0)
        out[s] = {k: qs[i] for i, k in enumerate(QUANTILES)}
    return dates, out


def bands_table(dates: np.ndarray, b: Bands, n_runs: int, scenario: str | None = None) -> pa.Table:
    """Long format, one row per series and date (easy to query with DuckDB or pandas)."""
    n = len(dates)
    cols: dict[str, Any] = {}
    if scenario is not None:
        cols["scenario"] = pa.array([scenario] * (n * len(b)), pa.string())
    cols["series"] = pa.array(np.repeat(np.array(list(b), dtype=object), n), pa.string())
    cols["date"] = pa.array(np.tile(dates.astype("datetime64[D]"), len(b)))
    for q in QUANTILES:
        cols[q] = pa.array(np.concatenate([b[s][q] for s in b]) if b else np.array([], float))
    cols["runs"] = pa.array(np.full(n * len(b), n_runs, dtype=np.int64))
    return pa.table(cols)


def write_table(path: Path, table: pa.Table) -> Path:
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(path)
    return path


def write_bands(path: Path, dates: np.ndarray, b: Bands, n_runs: int) -> Path:
    return write_table(path, bands_table(dates, b, n_runs))


def read_bands(path: Path) -> tuple[np.ndarray, Bands]:
    t = pq.read_table(path)
    series = t.column("series").to_numpy(zero_copy_only=False)
    dates_all = t.column("date").to_numpy().astype("datetime64[D]")
    out: Bands = {}
    dates = np.array([], dtype="datetime64[D]")
    for s in dict.fromkeys(series.tolist()):
        m = series == s
        dates = dates_all[m]
        out[s] = {q: t.column(q).to_numpy()[m] for q in QUANTILES}
    return dates, out


def outcome_summary(values: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """Median and quantiles across runs of each scalar outcome."""
    out: dict[str, dict[str, float]] = {}
    for k, v in values.items():
        a = np.asarray(v, dtype=float)
        if a.size == 0:
            continue
        out[k] = {q: float(np.nanquantile(a, p)) for q, p in QUANTILES.items()}
        out[k]["mean"] = float(np.nanmean(a))
    return out


def write_json(path: Path, data: Any) -> Path:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str))
    tmp.replace(path)
    return path
