"""The command line: ``rightful run | plan | scenarios | runs | report | compare | ...``.

Heavy imports (the model, Numba kernels, plotting, Dask) load inside the commands that need them,
so ``rightful --help`` answers at once.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .scenarios.loader import ScenarioError

DEFAULT_SCENARIO = "prd-2003-2010"


def _fail(e: Exception) -> None:
    click.echo(click.style("error: ", fg="red", bold=True) + str(e), err=True)
    sys.exit(2)


def _overrides(items: tuple[str, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    for it in items:
        if "=" not in it:
            raise click.BadParameter(f"{it!r}: expected NAME=VALUE")
        k, v = it.split("=", 1)
        try:
            out[k.strip()] = float(v)
        except ValueError:
            raise click.BadParameter(f"{it!r}: the value must be a number") from None
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rightful")
def main() -> None:
    """rightful: an agent-based laboratory of labour contention (China's migrant workers, 2003-2010)."""


@main.command()
@click.argument("scenario", default=DEFAULT_SCENARIO)
@click.option("--seed", type=int, default=None, help="Random seed (default: the scenario's).")
@click.option("--scale", type=float, default=None, help="Share of workers simulated (1.0 = one agent per worker).")
@click.option("--until", default=None, help="Stop at this date (YYYY-MM-DD).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True,
              help="Folder for results and the catalog.")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="Override a parameter everywhere.")
@click.option("--threads", type=int, default=None, help="Numba threads (default: all cores).")
@click.option("--no-report", is_flag=True, help="Do not write the HTML report.")
def run(scenario: str, seed: int | None, scale: float | None, until: str | None, out: Path,
        sets: tuple[str, ...], threads: int | None, no_report: bool) -> None:
    """Run SCENARIO (default: prd-2003-2010), write Parquet, a catalog row and an HTML report."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from .scenarios.loader import load
    from .store.catalog import Catalog

    console = Console(stderr=True)
    try:
        loaded = load(scenario, None)
        ov = _overrides(sets)
        if ov:
            from .processes import all_params

            names = {p.name for p in all_params()}
            for k in ov:
                if k not in names:
                    raise ScenarioError("--set", k, k, "a model parameter (see 'rightful params')")
    except (ScenarioError, click.BadParameter) as e:
        _fail(e)
    if threads:
        from .model import set_threads

        set_threads(threads)
    from .runner import execute

    sc = loaded.scenario
    console.print(f"[bold]{sc.name}[/]: {sc.title or ''}  seed={seed if seed is not None else sc.seed} "
                  f"scale={scale if scale is not None else sc.scale}")
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} days"), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=console, transient=False) as prog:
        task = prog.add_task("simulating", total=1)

        def cb(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        done = execute(loaded, seed, scale, until, out, ov or None, cb)
    with Catalog(out) as cat:
        cat.register(done.meta, path=str(done.path))
    from .summary import print_summary

    print_summary(done, console)
    if not no_report:
        from .report.html import write_report

        path = write_report(done.path)
        console.print(f"report: [bold]{path}[/]")
    console.print(f"run {done.run_id} -> {done.path}")


@main.command()
@click.argument("scenario", default=DEFAULT_SCENARIO)
def plan(scenario: str) -> None:
    """Print the plan of daily processes: order, cadence, what each reads and writes."""
    from rich.console import Console
    from rich.table import Table

    from .engine.plan import Plan
    from .processes import make_plan
    from .scenarios.loader import load

    try:
        load(scenario)
    except ScenarioError as e:
        _fail(e)
    t = Table(title=f"plan of {scenario} (dated events are applied first each day)")
    for c in ("order", "process", "cadence", "reads", "writes", "cites"):
        t.add_column(c, overflow="fold")
    for row in Plan(make_plan()).describe():
        t.add_row(*row.values())
    Console().print(t)


@main.command()
@click.argument("name", required=False)
def params(name: str | None) -> None:
    """List model parameters (default, unit, range, source), or show one."""
    from rich.console import Console
    from rich.table import Table

    from .processes import MODULES

    t = Table(title="parameters")
    for c in ("name", "default", "unit", "range", "process", "source"):
        t.add_column(c, overflow="fold")
    for m in MODULES:
        for p in getattr(m, "PARAMS", ()):
            if name and name != p.name:
                continue
            rng = f"{p.low}..{p.high}" if p.low is not None else ""
            t.add_row(p.name, f"{p.default:g}", p.unit, rng, m.__name__.rsplit(".", 1)[-1], p.source)
    Console().print(t)


@main.group()
def scenarios() -> None:
    """List or show scenarios."""


@scenarios.command("list")
def scenarios_list() -> None:
    from rich.console import Console
    from rich.table import Table

    from .scenarios.loader import builtin_names, load

    t = Table(title="built-in scenarios")
    for c in ("name", "title", "span", "scale"):
        t.add_column(c)
    for n in builtin_names():
        sc = load(n).scenario
        t.add_row(n, sc.title, f"{sc.start} .. {sc.end}", f"{sc.scale:g}")
    Console().print(t)


@scenarios.command("show")
@click.argument("scenario")
def scenarios_show(scenario: str) -> None:
    """Print the fully resolved scenario (extends merged) as TOML-like JSON."""
    import json

    from .scenarios.loader import load

    try:
        ld = load(scenario)
    except ScenarioError as e:
        _fail(e)
    click.echo(f"# {ld.path}  (content hash {ld.hash})")
    click.echo(json.dumps(ld.scenario.model_dump(mode="json"), indent=2))


@main.group()
def runs() -> None:
    """List runs in the catalog or show one."""


@runs.command("list")
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True)
@click.option("--limit", type=int, default=30)
def runs_list(out: Path, limit: int) -> None:
    from rich.console import Console
    from rich.table import Table

    from .store.catalog import Catalog

    try:
        cat = Catalog(out, read_only=True)
    except FileNotFoundError as e:
        _fail(e)
    t = Table(title=f"runs in {out}")
    for c in ("run_id", "scenario", "seed", "scale", "status", "wall_s", "started", "batch"):
        t.add_column(c)
    for r in cat.runs(limit):
        t.add_row(r["run_id"], r["scenario"], str(r["seed"]), f"{r['scale']:g}", r["status"],
                  f"{(r['wall_s'] or 0):.1f}", str(r["started"]), r["batch"] or "")
    cat.close()
    Console().print(t)


@runs.command("show")
@click.argument("run_id")
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True)
def runs_show(run_id: str, out: Path) -> None:
    """Show a run's record and a summary of its strikes."""
    from rich.console import Console

    from .store.catalog import Catalog
    from .summary import print_run_record

    try:
        cat = Catalog(out, read_only=True)
    except FileNotFoundError as e:
        _fail(e)
    row = cat.get(run_id)
    if row is None:
        cat.close()
        _fail(KeyError(f"no run {run_id!r} in {out}"))
    print_run_record(row, cat, Console())
    cat.close()


@main.command()
@click.argument("run_dir", type=click.Path(path_type=Path, exists=True))
def report(run_dir: Path) -> None:
    """(Re)write the HTML report of a run folder."""
    from .report.html import write_report

    click.echo(str(write_report(run_dir)))


def _register_optional() -> None:
    """Commands of later layers (compare, ensemble, sweep, calibrate, validate) register here."""
    try:
        from .commands import register
    except ImportError:
        return
    register(main)


_register_optional()

if __name__ == "__main__":
    main()
