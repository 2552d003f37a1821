"""The command line: ``rightful run | plan | params | scenarios | runs | report | compare | ...``.

Heavy imports (the model, Numba kernels, plotting, Dask) load inside the commands that need them,
so ``rightful --help`` answers at once. Results go to stdout (full width when piped), progress and
notices to stderr (cliutil). A bad value exits with status 2 and a message naming it, before
anything runs or is written.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import commands
from .cliutil import compile_notice, err_console, fail, out_console
from .ensemble.cli_lab import register as register_lab
from .inputs import CLI, InputError, parse_sets
from .scenarios.loader import ScenarioError
from .web.cli import serve

DEFAULT_SCENARIO = "prd-2003-2010"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rightful")
def main() -> None:
    """rightful: an agent-based laboratory of labour contention (China's migrant workers, 2003-2010)."""


@main.command()
@click.argument("scenario", default=DEFAULT_SCENARIO)
@click.option("--seed", type=int, default=None, help="Random seed, 0 or more (default: the scenario's).")
@click.option("--scale", type=float, default=None,
              help="Share of workers simulated, 0.0001 to 1 (1.0 = one agent per worker). Every figure is "
                   "weighted to the region; the key series hold within 5% of the 1:1 region from 0.01 up, "
                   "but strikers (+9% at 0.01; within 5% from 0.03) (benchmarks/results/convergence.md); "
                   "below 0.01 strike figures are biased upwards.")
@click.option("--until", default=None, help="Stop at this date (YYYY-MM-DD, within the scenario's span).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True,
              help="Folder for results and the catalog.")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Pin a parameter everywhere for the whole run (events that would change it are skipped).")
@click.option("--threads", type=int, default=None, help="Numba threads (default: all cores).")
@click.option("--no-report", is_flag=True, help="Do not write the HTML report.")
def run(scenario: str, seed: int | None, scale: float | None, until: str | None, out: Path,
        sets: tuple[str, ...], threads: int | None, no_report: bool) -> None:
    """Run SCENARIO (default: prd-2003-2010), write Parquet, a catalog row and an HTML report."""
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from .engine.checks import NonPhysicalState
    from .inputs import check_out, check_run
    from .runner import execute, register
    from .scenarios.loader import load
    from .store.catalog import CatalogError

    err, res = err_console(), out_console()
    try:
        loaded = load(scenario, None)
        check_run(loaded, seed, scale, until, parse_sets(sets), threads, CLI)
        check_out(out, "--out")
    except (ScenarioError, CatalogError) as e:
        fail(e)
    sc = loaded.scenario
    err.print(f"[bold]{sc.name}[/]: {sc.title or ''}  seed={seed if seed is not None else sc.seed} "
              f"scale={scale if scale is not None else sc.scale}")
    notice = compile_notice()
    if notice:
        err.print(f"[yellow]{notice}[/]")
    t0 = time.perf_counter()
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} days"), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=err, transient=False) as prog:
        task = prog.add_task("simulating", total=1)

        def cb(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        try:
            done = execute(loaded, seed, scale, until, out, parse_sets(sets), cb, threads, CLI)
        except NonPhysicalState as e:
            prog.stop()
            fail(e, 1)
    if notice:
        err.print(f"done in {time.perf_counter() - t0:.0f} s, compiling included; the kernels are now cached")
    skipped = done.meta.get("events_skipped_for_overrides") or []
    if skipped:
        names = sorted({s["param"] for s in skipped})
        err.print(f"[yellow]note:[/] --set pins {', '.join(names)} for the whole run; {len(skipped)} dated "
                  f"event(s) that would change it were skipped (listed in run.json and 'rightful runs show')")
    try:
        register(done, out)
    except CatalogError as e:
        fail(f"{e}\nthe run itself is complete in {done.path}")
    from .summary import print_summary

    print_summary(done, res)
    if not no_report:
        from .report.html import write_report

        path = write_report(done.path)
        res.print(f"report: {path}", soft_wrap=True)
    res.print(f"run {done.run_id} -> {done.path}", soft_wrap=True)


@main.command()
@click.argument("scenario", default=DEFAULT_SCENARIO)
def plan(scenario: str) -> None:
    """Print the plan of daily processes: order, cadence, what each reads and writes."""
    from rich.table import Table

    from .model import plan_description
    from .scenarios.loader import load

    try:
        load(scenario)
    except ScenarioError as e:
        fail(e)
    t = Table(title=f"plan of {scenario}: the day's steps in order (the scenario's dated events first)")
    for c in ("order", "process", "cadence", "reads", "writes", "cites"):
        t.add_column(c, overflow="fold")
    for row in plan_description():
        t.add_row(*row.values())
    out_console().print(t)


def param_owners() -> dict[str, str]:
    """Parameter name -> the unit that declares it."""
    from .processes import param_index

    return {n: unit for n, (_, unit, _) in param_index().items()}


@main.command()
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print every field of each parameter as JSON.")
def params(name: str | None, as_json: bool) -> None:
    """List model parameters (default, unit, range, source), or show one (an unknown NAME exits 2)."""
    import dataclasses
    import json

    from rich.table import Table

    from .processes import all_params

    owners = param_owners()
    chosen = [p for p in all_params() if name in (None, p.name)]
    if name and not chosen:
        close = sorted(n for n in owners if name.lower() in n.lower())
        fail(f"params: got {name!r}; expected a model parameter"
             + (f" (did you mean {', '.join(close[:8])}?)" if close else " (see 'rightful params')"))
    if as_json:
        from .processes import param_index

        idx = param_index()
        rows = [{**dataclasses.asdict(p), "process": owners.get(p.name, ""), "read_by": list(idx[p.name][2])}
                for p in chosen]
        click.echo(json.dumps(rows[0] if name else rows, indent=1))
        return
    t = Table(title="parameters")
    for c in ("name", "default", "unit", "range", "process", "source"):
        t.add_column(c, overflow="fold")
    for p in chosen:
        rng = f"{p.low:g}..{p.high:g}" if p.low is not None and p.high is not None else ""
        t.add_row(p.name, f"{p.default:g}", p.unit, rng, owners.get(p.name, ""), p.source)
    out_console().print(t)


@main.group()
def scenarios() -> None:
    """List or show scenarios."""


@scenarios.command("list")
def scenarios_list() -> None:
    from rich.table import Table

    from .scenarios.loader import builtin_names, load

    t = Table(title="built-in scenarios")
    for c in ("name", "title", "span", "scale"):
        t.add_column(c)
    for n in builtin_names():
        sc = load(n).scenario
        t.add_row(n, sc.title, f"{sc.start} .. {sc.end}", f"{sc.scale:g}")
    out_console().print(t)


@scenarios.command("show")
@click.argument("scenario")
def scenarios_show(scenario: str) -> None:
    """Print the fully resolved scenario (extends merged) as TOML-like JSON."""
    import json

    from .scenarios.loader import load

    try:
        ld = load(scenario)
    except ScenarioError as e:
        fail(e)
    click.echo(f"# {ld.path}  (content hash {ld.hash})")
    click.echo(json.dumps(ld.scenario.model_dump(mode="json"), indent=2))


@main.group()
def runs() -> None:
    """List runs in the catalog, show one, or rebuild the catalog from the run folders."""


def _reading(out: Path):  # noqa: ANN202 - a context manager of store.catalog
    from .store.catalog import reading

    return reading(out)


@runs.command("list")
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True)
@click.option("--limit", type=int, default=30)
def runs_list(out: Path, limit: int) -> None:
    """The latest runs (the catalog is only read: this works while runs and ensembles write)."""
    from rich.table import Table

    from .store.catalog import CatalogError

    try:
        with _reading(out) as cat:
            rows = cat.runs(limit)
    except (FileNotFoundError, CatalogError) as e:
        fail(e)
    t = Table(title=f"runs in {out}")
    for c in ("run_id", "scenario", "seed", "scale", "status", "wall_s", "started", "batch"):
        t.add_column(c)
    for r in rows:
        t.add_row(r["run_id"], r["scenario"], str(r["seed"]), f"{r['scale']:g}", r["status"],
                  f"{(r['wall_s'] or 0):.1f}", str(r["started"]), r["batch"] or "")
    out_console().print(t)


@runs.command("show")
@click.argument("run_id")
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True)
def runs_show(run_id: str, out: Path) -> None:
    """Show a run's record (with the events its overrides skipped) and a summary of its strikes."""
    import json

    from rich.table import Table

    from .store.catalog import CatalogError
    from .summary import print_run_record

    con = out_console()
    try:
        with _reading(out) as cat:
            row = cat.get(run_id)
            if row is None:
                fail(f"runs show: got {run_id!r}; expected a run id (or its start) in {out}")
            print_run_record(row, cat, con)
    except (FileNotFoundError, CatalogError) as e:
        fail(e)
    ov = json.loads(row.get("overrides") or "{}")
    skipped = json.loads(row.get("events_skipped") or "[]")
    if ov or skipped:
        t = Table(title="overrides (pinned for the whole run) and the dated events they skipped")
        for c in ("parameter", "value", "events skipped"):
            t.add_column(c)
        for k, v in ov.items():
            evs = [f"{e['label']} (day {e['day']})" for e in skipped if e.get("param") == k]
            t.add_row(k, f"{v:g}", "; ".join(evs) or "none")
        con.print(t)


@runs.command("rebuild")
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True)
def runs_rebuild(out: Path) -> None:
    """Rebuild the catalog from the run folders (use it when the catalog is lost or corrupt; failed
    runs, which leave no folder, are not recovered). The previous file is kept as catalog.duckdb.old."""
    from .store.catalog import rebuild

    try:
        n, kept = rebuild(out)
    except (FileNotFoundError, OSError) as e:
        fail(e)
    out_console().print(f"catalog {out / 'catalog.duckdb'} rebuilt: {n} runs"
                        + (f" (previous file kept as {kept})" if kept else ""), soft_wrap=True)


@main.command()
@click.argument("run_dir", type=click.Path(path_type=Path, exists=True))
def report(run_dir: Path) -> None:
    """(Re)write the HTML report of a run folder."""
    from .report.html import write_report

    click.echo(str(write_report(run_dir)))


commands.register(main)
register_lab(main)  # sweep (levers, uncertainties, PRIM), discover, outcomes (built-ins and expressions)

main.add_command(serve)  # the web laboratory (FastAPI loads only when it runs)

__all__ = ["main", "InputError"]

if __name__ == "__main__":
    main()
