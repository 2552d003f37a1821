"""The Python API, for notebooks and scripts: run a scenario, load a run, compare scenarios, make
an ensemble, and get tidy pandas DataFrames back.

Why a thin layer: every run made here goes through the same path as ``rightful run`` (the runner:
simulated, written to Parquet, registered in the catalog with what produced it), and every
table comes from the one run-view (``rightful.runview``), so a figure in a notebook is the figure
in the report and in the catalog. Comparisons and ensembles are the CLI's batches (resumable,
on common random numbers) returned as long DataFrames of median and quantile bands.

Example::

    import rightful

    r = rightful.run("prd-2003-2010", seed=1, scale=0.001, until="2004-12-31")
    r.daily.head()                                  # date, city, one column per series
    r.totals[["date", "strikes_started", "mean_wage"]]   # all cities, by each series' rule
    r.strikes.groupby("outcome")["weight"].sum()    # one row per strike, codes as names
    r.plot("mean_wage", by="city")                  # matplotlib Axes
    r.report()                                      # path of the self-contained HTML report
    same = rightful.load(r.run_id)                  # a run id, or a run folder

    bands = rightful.compare(["ngo-none", "ngo-autonomy"], seeds=3, scale=0.001, until="2004-12-31")
    bands[bands.series == "arb_filed"]              # scenario, series, date, median, q05..q95
    bands.attrs["outcomes"]                         # per outcome: median, paired difference
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .runview import RunView, is_share, label

__all__ = ["Result", "run", "load", "compare", "ensemble"]


class Result:
    """One run: tidy tables (``daily``, ``totals``, ``strikes``, ``events``), ``params``,
    ``meta``, ``plot`` and ``report``. ``view`` is the underlying ``RunView`` (arrays)."""

    def __init__(self, view: RunView) -> None:
        self.view = view
        self._frames: dict[str, Any] = {}

    def __repr__(self) -> str:
        m = self.meta
        return (f"<rightful.Result {self.run_id}: {m.get('scenario')} seed {m.get('seed')} scale {m.get('scale')}, "
                f"{self.view.dates[0]} to {self.view.dates[-1]}, {len(self.view.strikes)} strikes>")

    def _repr_html_(self) -> str:
        import html

        m, v = self.meta, self.view
        rows = [("run", self.run_id), ("scenario", m.get("scenario")), ("seed", m.get("seed")),
                ("scale", m.get("scale")), ("span", f"{v.dates[0]} to {v.dates[-1]}"), ("cities", ", ".join(v.cities)),
                ("agents", m.get("agents")), ("strikes (simulated firms)", len(v.strikes)), ("folder", self.path)]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(str(k))}</th><td style='text-align:left'>"
                       f"{html.escape(str(x))}</td></tr>" for k, x in rows)
        return f"<table>{body}</table>"

    # -- what produced it
    @property
    def run_id(self) -> str:
        return self.view.run_id

    @property
    def path(self) -> Path | None:
        """The run folder (Parquet files, run.json, report.html)."""
        return self.view.path

    @property
    def meta(self) -> dict[str, Any]:
        """Everything run.json records: scenario and hash, seed, scale, version, commit, timings..."""
        return self.view.meta

    @property
    def params(self) -> dict[str, Any]:
        """Resolved parameters at the end of the run (after dated events): name -> value, or a
        (zones x sectors) list where a parameter varies by place."""
        return self.view.params

    @property
    def series(self) -> list[str]:
        """Names of the daily series (columns of ``daily``); ``rightful.processes.RESULTS`` says
        what each is."""
        return list(self.view.names)

    # -- tables
    def _frame(self, key: str, make: Any) -> Any:
        if key not in self._frames:
            self._frames[key] = make()
        return self._frames[key]

    @property
    def daily(self) -> Any:
        """Tidy daily series per city: columns ``date``, ``city``, then one per series."""
        return self._frame("daily", self.view.daily_frame)

    @property
    def totals(self) -> Any:
        """Daily series over all cities (``city`` = 'all'): sums, or worker-weighted means for
        per-worker means, as each series declares."""
        return self._frame("totals", lambda: self.view.daily_frame(total=True))

    @property
    def strikes(self) -> Any:
        """One row per strike: firm, zone, city, start, end, days, peak, escalated, covered,
        official and management response, outcome, wage change, cause, weight (real strikes it
        stands for). Codes are names (``partly_won``); ``rightful.runview.words`` gives words."""
        return self._frame("strikes", self.view.strikes.frame)

    @property
    def events(self) -> Any:
        """The scenario's dated events: date, day, label, param, op, value, zones."""
        return self._frame("events", self.view.events_frame)

    def period(self, freq: str = "M", by: str | None = "city") -> Any:
        """Series per period ('W', 'M', 'Q', 'Y'), each combined over days by its declared rule
        (flows summed, stocks at the period's end, means averaged): date (first day), city, series."""
        import numpy as np
        import pandas as pd

        v = self.view
        x, _ = v.period(v.names[0], freq)
        if by == "city":
            cols: dict[str, Any] = {"date": pd.to_datetime(np.repeat(x, len(v.cities))),
                                    "city": np.tile(np.array(v.cities, dtype=object), len(x))}
            cols.update({n: v.period(n, freq, by_city=True)[1].reshape(-1) for n in v.names})
        else:
            cols = {"date": pd.to_datetime(x), "city": "all"}
            cols.update({n: v.period(n, freq)[1] for n in v.names})
        return pd.DataFrame(cols)

    # -- pictures
    def plot(self, series: str | Sequence[str], by: str | None = "city", freq: str | None = None,
             events: bool = True, ax: Any = None) -> Any:
        """Plot one or more series over time and return the matplotlib Axes.

        ``by="city"``: a thin line per city and a thick one for all cities; ``by=None``: all
        cities only. ``freq`` ('W', 'M', 'Q', 'Y'; default: months for flows, days for stocks)
        combines days by each series' declared rule. ``events`` draws the dated events as faint
        dotted lines. Example: ``r.plot(["strikes_started", "arb_filed"], by=None, freq="Q")``.
        """
        import matplotlib.pyplot as plt
        import numpy as np
        from matplotlib.ticker import PercentFormatter

        v = self.view
        names = [series] if isinstance(series, str) else list(series)
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 3.2), layout="constrained")
        for name in names:
            f = freq or ("M" if v.rule(name).kind == "flow" else "D")
            x, tot = (v.dates, v.total(name)) if f == "D" else v.period(name, f)
            prefix = f"{label(name)}: " if len(names) > 1 else ""
            if by == "city" and len(v.cities) > 1:
                per = v.city(name) if f == "D" else v.period(name, f, by_city=True)[1]
                for j, c in enumerate(v.cities):
                    ax.plot(x, per[:, j], lw=1.0, alpha=0.8, label=prefix + c)
            ax.plot(x, tot, lw=2.0, color="black" if len(names) == 1 else None,
                    label=prefix + ("all cities" if by == "city" else label(name)))
        if events:
            for e in v.events:
                d = np.datetime64(e["date"], "D")
                if v.dates[0] <= d <= v.dates[-1]:
                    ax.axvline(d, color="#999999", lw=0.6, ls=":", zorder=0)
        first = v.rule(names[0])
        ax.set_title(", ".join(label(n) for n in names), loc="left")
        ax.set_ylabel(first.unit if first.unit and first.unit != "per day" else "")
        if all(is_share(n) for n in names):
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set_ylim(0, 1)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        return ax

    def report(self) -> Path:
        """Write the run's HTML report (``report.html`` in its folder) and return its path."""
        from .report.html import write_report

        if self.path is None:
            raise ValueError("this run has no folder to write a report into")
        return write_report(self.path)


def _out(out: Path | str | None) -> Path:
    from .runner import DEFAULT_OUT

    return Path(out) if out is not None else DEFAULT_OUT


def run(scenario: str | Path, seed: int | None = None, scale: float | None = None, until: str | None = None,
        set: dict[str, float] | None = None, out: Path | str | None = None) -> Result:
    """Run a scenario as ``rightful run`` does (simulate, write the run folder, register it in the
    catalog of ``out``, default ``runs/``) and return its ``Result``.

    ``scenario`` is a built-in name (``rightful scenarios list``) or a TOML file; ``seed``,
    ``scale`` (share of the region's workers simulated) and ``until`` (an ISO date) default to
    the scenario's; ``set`` overrides parameters by name (``{"arbitration_fee": 0}``).
    The first run of a session compiles the model's kernels (tens of seconds; cached on disk).

    >>> r = rightful.run("prd-2003-2010", seed=1, scale=0.001, until="2003-06-30")  # doctest: +SKIP
    >>> r.daily.groupby("city")["complaints"].sum()  # doctest: +SKIP
    """
    from .runner import run_and_register

    done = run_and_register(scenario, seed, scale, until, _out(out), _overrides(set))
    return Result(RunView.open(done.path))


def load(run: str | Path, out: Path | str | None = None) -> Result:
    """A finished run, by its folder or by its id (or a prefix of it) in the catalog of ``out``
    (default ``runs/``).

    >>> rightful.load("runs/r644c785c726e").strikes.head()  # doctest: +SKIP
    >>> rightful.load("r644c")  # doctest: +SKIP
    """
    p = Path(run)
    if (p / "daily.parquet").is_file():
        return Result(RunView.open(p))
    root = _out(out)
    if (root / str(run) / "daily.parquet").is_file():
        return Result(RunView.open(root / str(run)))
    row = None
    if (root / "catalog.duckdb").is_file():
        from .store.catalog import Catalog

        with Catalog(root, read_only=True) as cat:
            row = cat.get(str(run))
    if row and row.get("path"):
        for cand in (Path(row["path"]), root / Path(row["path"]).name):
            if (cand / "daily.parquet").is_file():
                return Result(RunView.open(cand))
    raise FileNotFoundError(f"no run {str(run)!r}: neither a run folder nor a run id in the catalog of {root}")


def _overrides(values: dict[str, float] | None) -> dict[str, float] | None:
    """Parameter overrides as the CLI's ``--set NAME=VALUE`` makes them (floats, or None)."""
    return {k: float(v) for k, v in values.items()} or None if values else None


def _seeds(seeds: int | Iterable[int]) -> list[int]:
    return list(range(1, int(seeds) + 1)) if isinstance(seeds, int) else [int(s) for s in seeds]


def _executor(workers: int, scheduler: str | None) -> Any:
    from .ensemble.executors import make_executor

    return make_executor(workers, scheduler)


def _bands_frame(path: Path, attrs: dict[str, Any]) -> Any:
    """The batch's bands.parquet as a DataFrame (dates as datetimes, ``median`` beside the quantiles)."""
    import pandas as pd
    import pyarrow.parquet as pq

    if path.is_file():
        df = pq.read_table(path).to_pandas()
        df["date"] = pd.to_datetime(df["date"])
        df.insert(df.columns.get_loc("q05"), "median", df["q50"])
    else:  # no run completed
        df = pd.DataFrame(columns=["scenario", "series", "date", "median"])
    df.attrs.update(attrs)
    return df


def compare(scenarios: Sequence[str | Path], seeds: int | Iterable[int] = 3, scale: float | None = None,
            until: str | None = None, set: dict[str, float] | None = None,
            outcomes: Sequence[str] | None = None, series: Sequence[str] | None = None,
            out: Path | str | None = None, workers: int = 0, scheduler: str | None = None,
            report: bool = True) -> Any:
    """Run scenarios on the same seeds (common random numbers), as ``rightful compare`` does, and
    return the bands: a long DataFrame with one row per scenario, series and day, columns
    ``scenario, series, date, median, q05, q10, q25, q50, q75, q90, q95, runs`` (all cities,
    each series combined by its declared rule). ``attrs["outcomes"]`` holds the outcome table
    (per outcome and scenario: median, paired difference from the first scenario with its 10-90%
    range), ``attrs["report"]`` the HTML report, ``attrs["folder"]`` the batch folder.

    ``seeds``: a count (seeds 1..N) or the seeds; ``workers``: 0 runs in this process, N in N
    local processes; ``scheduler``: a Dask scheduler address.

    >>> b = rightful.compare(["prd-2003-2010", "law-2008-earlier"], seeds=3, scale=0.001)  # doctest: +SKIP
    >>> b[b.series == "arb_filed"].groupby("scenario")["median"].sum()  # doctest: +SKIP
    """
    from .ensemble.compare import run_compare
    from .scenarios.loader import load as load_scenario

    loadeds = [load_scenario(s) for s in scenarios]
    ex = _executor(workers, scheduler)
    try:
        r = run_compare(loadeds, _seeds(seeds), _out(out), ex, scale, until, _overrides(set), outcomes, series,
                        report=report, progress=False)
    finally:
        ex.close()
    return _bands_frame(r.folder / "bands.parquet", {"outcomes": r.rows, "report": str(r.report or ""),
                                                     "folder": str(r.folder), "scenarios": r.labels})


def ensemble(scenario: str | Path, seeds: int | Iterable[int] = 10, scale: float | None = None,
             until: str | None = None, set: dict[str, float] | None = None,
             series: Sequence[str] | None = None, outcomes: Sequence[str] | None = None,
             out: Path | str | None = None, workers: int = 0, scheduler: str | None = None,
             report: bool = True) -> Any:
    """Run one scenario over many seeds, as ``rightful ensemble`` does, and return its bands: a
    long DataFrame (``scenario, series, date, median, q05 ... q95, runs``); ``attrs["outcomes"]``
    holds each outcome's quantiles over the runs, ``attrs["report"]`` and ``attrs["folder"]``.

    >>> e = rightful.ensemble("prd-2003-2010", seeds=5, scale=0.001, until="2004-12-31")  # doctest: +SKIP
    >>> e[e.series == "strikes_started"].plot(x="date", y=["q10", "median", "q90"])  # doctest: +SKIP
    """
    from .ensemble.seeds import run_ensemble
    from .scenarios.loader import load as load_scenario

    loaded = load_scenario(scenario)
    ex = _executor(workers, scheduler)
    try:
        r = run_ensemble(loaded, _seeds(seeds), _out(out), ex, scale, until, _overrides(set), series, outcomes,
                         report=report, progress=False)
    finally:
        ex.close()
    df = _bands_frame(r.folder / "bands.parquet", {"outcomes": r.summary.get("outcomes", {}),
                                                    "report": str(r.report or ""), "folder": str(r.folder)})
    if "scenario" not in df.columns:
        df.insert(0, "scenario", loaded.name)
    return df
