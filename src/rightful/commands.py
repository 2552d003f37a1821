"""Commands of the ensemble layer: ``rightful ensemble | sweep | compare | validate | calibrate``.

Why separate from cli.py: these commands need Dask, SALib and the batch machinery, which load
only when one of them runs (``rightful --help`` stays instant); ``cli.py`` calls ``register``.
This module imports nothing from cli.py (shared helpers live in cliutil and inputs). Every option
is checked before any run starts (``_check``): a bad value exits 2 naming the option.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .cliutil import err_console, fail, out_console


def _common(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options every batch command shares."""
    opts = [
        click.option("--scale", type=float, default=None,
                     help="Share of workers simulated (default: the scenario's)."),
        click.option("--until", default=None, help="Stop every run at this date (YYYY-MM-DD)."),
        click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True,
                     help="Folder for runs, the catalog and batches/<batch id>/."),
        click.option("--workers", type=int, default=None,
                     help="Local worker processes (default: all cores; 0 = run in this process)."),
        click.option("--scheduler", default=None, metavar="ADDRESS",
                     help="Run on a Dask cluster (e.g. tcp://127.0.0.1:8786) instead of local processes."),
        click.option("--threads", type=int, default=1, show_default=True, help="Numba threads per run."),
        click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
                     help="Override a parameter in every run."),
        click.option("--first-seed", type=int, default=1, show_default=True,
                     help="Seeds are first..first+N-1."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _overrides(sets: tuple[str, ...]) -> dict[str, float] | None:
    from .inputs import check_overrides, parse_sets

    return check_overrides(parse_sets(sets), "--set") or None


def _load(scenario: str) -> Any:
    from .scenarios.loader import load

    return load(scenario)


def _fail(e: BaseException | str) -> None:
    fail(e)


def _check(loaded: Any, seeds: int, first_seed: int, scale: float | None, until: str | None, out: Path,
           workers: int | None, threads: int | None) -> None:
    """The batch's options against their declared ranges, and the runs folder, before any run."""
    from .inputs import CLI, check_out, check_run, check_seeds, integer

    check_seeds(seeds, first_seed, CLI)
    for ld in loaded if isinstance(loaded, list) else [loaded]:
        check_run(ld, first_seed, scale, until, None, threads, CLI)
    if workers is not None:
        integer(workers, "--workers", 0, 4096)
    check_out(out, "--out")
    warn_scale(loaded, scale)


def warn_scale(loaded: Any, scale: float | None) -> None:
    """Say so (on stderr) when a batch runs below the smallest scale the convergence benchmark trusts."""
    from .inputs import scale_warning

    msg = scale_warning(loaded, scale)
    if msg:
        err_console().print(f"[yellow]warning:[/] {msg}")


def _outcome_names(items: tuple[str, ...], default: tuple[str, ...] | None) -> list[str] | None:
    from .ensemble import outcomes as O

    names = [n.strip() for it in items for n in it.split(",") if n.strip()]
    if not names:
        return list(default) if default is not None else None
    return O.check(names)


def register(main: click.Group) -> None:
    """Add ``ensemble``, ``sweep``, ``compare``, ``validate``, ``calibrate`` and ``outcomes`` to the CLI group."""

    @main.command()
    @click.argument("scenario")
    @click.option("--seeds", type=int, default=10, show_default=True, help="Number of seeds.")
    @_common
    @click.option("--series", multiple=True, help="Series to band (default: a standard set).")
    @click.option("--no-report", is_flag=True, help="Do not write the HTML report.")
    def ensemble(scenario: str, seeds: int, scale: float | None, until: str | None, out: Path,
                 workers: int | None, scheduler: str | None, threads: int, sets: tuple[str, ...],
                 first_seed: int, series: tuple[str, ...], no_report: bool) -> None:
        """Run SCENARIO over N seeds; write quantile bands, outcomes and a report to
        OUT/batches/<batch id>/. Re-running the command skips runs already completed."""
        from rich.table import Table

        from .ensemble.executors import make_executor
        from .ensemble.seeds import run_ensemble
        from .scenarios.loader import ScenarioError
        from .store.catalog import CatalogError

        console = err_console()
        try:
            loaded = _load(scenario)
            ov = _overrides(sets)
            _check(loaded, seeds, first_seed, scale, until, out, workers, threads)
        except (ScenarioError, CatalogError) as e:
            _fail(e)
        ex = make_executor(workers, scheduler)
        try:
            r = run_ensemble(loaded, range(first_seed, first_seed + seeds), out, ex, scale, until, ov,
                             list(series) or None, report=not no_report, console=console, threads=threads)
        finally:
            ex.close()
        t = Table(title=f"{loaded.name}: {r.summary['completed']} runs (batch {r.batch.batch_id})")
        for c in ("outcome", "q10", "median", "q90"):
            t.add_column(c, justify="left" if c == "outcome" else "right")
        for n, v in r.summary["outcomes"].items():
            t.add_row(n, f"{v['q10']:.4g}", f"{v['q50']:.4g}", f"{v['q90']:.4g}")
        out_console().print(t)
        _report_failures(console, r.batch)
        console.print(f"batch folder: [bold]{r.folder}[/]")

    @main.command()
    @click.argument("scenarios", nargs=-1, required=True)
    @click.option("--seeds", type=int, default=10, show_default=True, help="Seeds (common to all scenarios).")
    @click.option("--outcomes", "outcome_opts", multiple=True,
                  help="Outcomes to compare (default: the main ones; see 'rightful outcomes').")
    @_common
    @click.option("--series", multiple=True, help="Series to band in the report (default: a standard set).")
    @click.option("--no-report", is_flag=True, help="Do not write the HTML report.")
    def compare(scenarios: tuple[str, ...], seeds: int, outcome_opts: tuple[str, ...], scale: float | None,
                until: str | None, out: Path, workers: int | None, scheduler: str | None, threads: int,
                sets: tuple[str, ...], first_seed: int, series: tuple[str, ...], no_report: bool) -> None:
        """Run SCENARIOS (names or files; the first is the baseline) on the same seeds and report
        each one's median outcome and its paired difference from the baseline."""

        from .ensemble import outcomes as O
        from .ensemble.compare import rich_table, run_compare
        from .ensemble.executors import make_executor
        from .scenarios.loader import ScenarioError
        from .store.catalog import CatalogError

        console = err_console()
        try:
            loadeds = [_load(s) for s in scenarios]
            ov = _overrides(sets)
            names = _outcome_names(outcome_opts, O.MAIN)
            _check(loadeds, seeds, first_seed, scale, until, out, workers, threads)
        except (ScenarioError, CatalogError, click.BadParameter, ValueError) as e:
            _fail(e)
        ex = make_executor(workers, scheduler)
        try:
            r = run_compare(loadeds, range(first_seed, first_seed + seeds), out, ex, scale, until, ov, names,
                            list(series) or None, report=not no_report, console=console, threads=threads)
        finally:
            ex.close()
        out_console().print(rich_table(r.rows, f"baseline {r.labels[0]}; differences paired by seed "
                                           f"(median, 10% and 90%) over {seeds} seeds"))
        _report_failures(console, r.batch)
        console.print(f"batch folder: [bold]{r.folder}[/] (comparison.csv"
                      + (f", {r.report.name}" if r.report else "") + ")")

    @main.command()
    @click.option("--seeds", type=int, default=4, show_default=True, help="Seeds (common to all scenarios).")
    @click.option("--facts", "facts_opt", default=None, metavar="1,2,...",
                  help="Stylised facts to check (default: all eight, docs/ODD.md 1.2).")
    @click.option("--pass-share", type=float, default=0.7, show_default=True,
                  help="Share of seeds on which a check must pass for the verdict 'pass'.")
    @_common
    def validate(seeds: int, facts_opt: str | None, pass_share: float, scale: float | None, until: str | None,
                 out: Path, workers: int | None, scheduler: str | None, threads: int, sets: tuple[str, ...],
                 first_seed: int) -> None:
        """Check the stylised facts (docs/ODD.md 1.2): run the scenarios they need (the default and its
        experiments) on N common seeds; print and write (validation.csv, report.html in
        OUT/batches/<batch id>/) each fact's measure, threshold and share of seeds passing."""

        from .ensemble.executors import make_executor
        from .scenarios.loader import load
        from .store.catalog import CatalogError
        from .validation.facts import select
        from .validation.validate import rich_table, run_validation

        console = err_console()
        try:
            numbers = [int(x) for x in facts_opt.split(",") if x.strip()] if facts_opt else None
            select(numbers)
            if sets:
                raise click.BadParameter("validate runs the scenarios as they are; --set is not supported")
            _check(load("prd-2003-2010"), seeds, first_seed, scale, until, out, workers, threads)
        except (ValueError, CatalogError, click.BadParameter) as e:
            _fail(e)
        ex = make_executor(workers, scheduler)
        try:
            r = run_validation(numbers, range(first_seed, first_seed + seeds), out, ex, scale, until, pass_share,
                               console=console, threads=threads)
        finally:
            ex.close()
        title = f"stylised facts over {len(r.per_seed)} seeds (verdict 'pass' when >= {pass_share:g} of seeds pass)"
        out_console().print(rich_table(r.rows, title))
        _report_failures(console, r.batch)
        console.print(f"batch folder: [bold]{r.folder}[/] (validation.csv, validation_seeds.csv, {r.report.name})")

    @main.command()
    @click.argument("scenario")
    @click.option("--targets", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
                  help="CSV of observed targets (series, date_or_year, value, likelihood, aggregation).")
    @click.option("--trials", type=int, default=20, show_default=True, help="Optuna trials to add to the study.")
    @click.option("--params", "params_opt", default=None, metavar="a,b|a=lo:hi",
                  help="Parameters to calibrate (default: the scenario's [[uncertainties]]); ranges from "
                       "'rightful params' unless given as name=low:high.")
    @click.option("--seeds", type=int, default=1, show_default=True, help="Seeds per trial (mean over seeds).")
    @click.option("--first-seed", type=int, default=1, show_default=True)
    @click.option("--scale", type=float, default=None, help="Share of workers simulated (default: the scenario's).")
    @click.option("--until", default=None, help="Stop every run at this date (YYYY-MM-DD).")
    @click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True,
                  help="Folder of the catalog; the study goes to OUT/calibration.db.")
    @click.option("--storage", default=None,
                  help="Optuna storage URL (default sqlite:///OUT/calibration.db), or journal:PATH for a "
                       "JournalFileStorage; several 'rightful calibrate' processes may share it.")
    @click.option("--study", "study_name", default=None, help="Study name (default: derived from the inputs).")
    @click.option("--sampler-seed", type=int, default=0, show_default=True)
    @click.option("--best", "best_path", type=click.Path(path_type=Path), default=None,
                  help="Where to write the best scenario TOML (default OUT/calibration/<study>/).")
    def calibrate(scenario: str, targets: Path, trials: int, params_opt: str | None, seeds: int, first_seed: int,
                  scale: float | None, until: str | None, out: Path, storage: str | None, study_name: str | None,
                  sampler_seed: int, best_path: Path | None) -> None:
        """Calibrate SCENARIO's parameters to observed TARGETS with Optuna (TPE); write the best
        parameters as a scenario that extends SCENARIO. Re-running adds trials to the same study."""

        from .scenarios.loader import ScenarioError
        from .store.catalog import CatalogError
        from .validation.calibrate import calibrate as run_cal
        from .validation.calibrate import parse_params, rich_table
        from .validation.targets import read_targets

        console = err_console()
        try:
            loaded = _load(scenario)
            _check(loaded, seeds, first_seed, scale, until, out, None, None)
            tg = read_targets(targets)
            space = parse_params(params_opt, loaded)
        except (ScenarioError, CatalogError, ValueError) as e:
            _fail(e)
        r = run_cal(loaded, tg, space, trials, range(first_seed, first_seed + seeds), scale, until, out,
                    storage, study_name, sampler_seed, best_path, console=console, targets_file=str(targets))
        out_console().print(rich_table(r))
        console.print(f"study [bold]{r.study_name}[/] in {r.storage}; best scenario: [bold]{r.best_path}[/]"
                      + (" (population built once and reused)" if r.reused else ""))



def _report_failures(console: Any, batch: Any) -> None:
    for r in batch.failed:
        first = (r.error or "").strip().splitlines()[0] if r.error else ""
        console.print(f"[red]failed[/] {r.run_id} (seed {r.meta.get('seed')}): {first}")
