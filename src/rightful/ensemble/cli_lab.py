"""Commands of the laboratory layer: ``rightful sweep`` (uncertainties and levers, named outcomes,
PRIM, an HTML report), ``rightful discover`` (PRIM over a finished sweep) and ``rightful outcomes``
(the built-in outcomes and the named expressions), and the options that let ``compare``,
``ensemble`` and ``calibrate`` take named outcomes too.

Why a module of its own: these commands grow with the sweep, the expressions and PRIM, which live
in this package; ``commands.py`` keeps the batch commands' shared options, which are reused here.

Wiring: after ``commands.register(main)``, ``register(main)`` adds ``discover`` and replaces
``sweep`` and ``outcomes``. For another command, stack ``@expression_options`` on it and call
``define_expressions(outcome_defs, outcome_files)`` before its outcomes are checked (and, for a batch,
pass ``worker=expressions.worker_for(names, batch.run_one)`` so worker processes know them).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import commands as C


def expression_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--outcome NAME=SQL`` and ``--outcomes-file FILE`` (TOML ``[[outcomes]]`` with name, sql)."""
    f = click.option("--outcomes-file", "outcome_files", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="TOML file of named outcomes: [[outcomes]] name = '...', sql = '...'.")(f)
    return click.option("--outcome", "outcome_defs", multiple=True, metavar="NAME=SQL",
                        help="Define a named outcome: SQL over the run's views daily, total and strikes that "
                             "returns one number (see 'rightful outcomes').")(f)


def define_expressions(outcome_defs: tuple[str, ...], outcome_files: tuple[Path, ...]) -> list[str]:
    """Define the expressions given on the command line; their names, in order."""
    from . import expressions as X

    names = [e.name for f in outcome_files for e in X.read_file(f)]
    names += [X.parse_definition(d).name for d in outcome_defs]
    return list(dict.fromkeys(names))


@click.command()
@click.argument("scenario")
@click.option("--design", type=click.Choice(["grid", "lhs", "sobol", "morris"]), default="morris", show_default=True)
@click.option("--n", "n", type=int, default=8, show_default=True,
              help="LHS points, Sobol base samples (a power of 2) or Morris trajectories.")
@click.option("--levels", type=int, default=4, show_default=True, help="Levels per axis (grid, Morris).")
@click.option("--seeds", type=int, default=1, show_default=True, help="Seeds per design point.")
@click.option("--design-seed", type=int, default=0, show_default=True, help="Seed of the design's sampler.")
@click.option("--over", type=click.Choice(["uncertainties", "levers", "both"]), default="uncertainties",
              show_default=True, help="Sweep the scenario's [[uncertainties]], its [[levers]] or both.")
@click.option("--factors", default=None, metavar="a,b", help="Only these of them.")
@click.option("--outcomes", "outcome_opts", multiple=True,
              help="Outcomes to analyse (default: all built-in outcomes and expressions).")
@expression_options
@click.option("--prim", "rules", multiple=True, metavar="OUTCOME>VALUE",
              help="Scenario discovery: PRIM boxes where OUTCOME > VALUE (or <); VALUE a number or a quantile "
                   "such as q80.")
@click.option("--no-report", is_flag=True, help="Do not write the HTML report.")
@C._common
def sweep(scenario: str, design: str, n: int, levels: int, seeds: int, design_seed: int, over: str,
          factors: str | None, outcome_opts: tuple[str, ...], outcome_defs: tuple[str, ...],
          outcome_files: tuple[Path, ...], rules: tuple[str, ...], no_report: bool, scale: float | None,
          until: str | None, out: Path, workers: int | None, scheduler: str | None, threads: int,
          sets: tuple[str, ...], first_seed: int) -> None:
    """Sweep SCENARIO's uncertainties and/or levers with a design, on common seeds. Writes
    OUT/batches/<batch id>/ (points.csv, outcomes.csv, summary.json, report.html; Morris and Sobol
    designs add sensitivity indices, --prim adds PRIM boxes). Re-running resumes."""
    from rich.console import Console

    from ..scenarios.loader import ScenarioError
    from . import designs
    from . import prim as P
    from . import sensitivity as S
    from .executors import make_executor
    from .sweep import default_outcomes, run_sweep

    console = Console(stderr=True)
    try:
        loaded = C._load(scenario)
        ov = C._overrides(sets)
        defined = define_expressions(outcome_defs, outcome_files)
        names = C._outcome_names(outcome_opts, None) or [*default_outcomes(), *defined]
        only = [f.strip() for f in factors.split(",") if f.strip()] if factors else None
        designs.make(design, designs.space(loaded, over, only), n, levels, design_seed)  # fail early
        C.warn_scale(loaded, scale)
        for r in rules:
            if P.parse_rule(r)[0] not in names:
                raise ValueError(f"--prim {r!r}: its outcome is not among the sweep's outcomes")
    except (ScenarioError, click.BadParameter, ValueError) as e:
        C._fail(e)
    ex = make_executor(workers, scheduler)
    try:
        r = run_sweep(loaded, design, range(first_seed, first_seed + seeds), out, ex, n, levels, scale, until, ov,
                      names, design_seed, console=console, threads=threads, over=over, prim=rules,
                      report=not no_report, factors=only)
    finally:
        ex.close()
    out_console = Console()
    for o, rows in r.indices.items():
        out_console.print(S.table(rows, f"{design}: {o}"))
    for d in r.discoveries:
        _print_discovery(out_console, d)
    if r.error:
        console.print(f"[yellow]no sensitivity analysis:[/] {r.error}")
    C._report_failures(console, r.batch)
    console.print(f"batch folder: [bold]{r.folder}[/]" + (f"  report: [bold]{r.report}[/]" if r.report else ""))


@click.command()
@click.argument("batch_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rule", "rules", multiple=True, required=True, metavar="OUTCOME>VALUE",
              help="Cases of interest: OUTCOME > VALUE (or <, >=, <=); VALUE a number or a quantile such as q80.")
@click.option("--min-density", type=float, default=0.8, show_default=True,
              help="The box chosen on the peeling trajectory: the largest coverage with at least this density.")
@click.option("--boxes", type=int, default=2, show_default=True, help="Boxes to look for, one after the other.")
def discover(batch_dir: Path, rules: tuple[str, ...], min_density: float, boxes: int) -> None:
    """Scenario discovery over a finished sweep (BATCH_DIR, e.g. runs/batches/s...): PRIM boxes of
    parameter values where the outcome of interest happens; adds them to its summary.json, prim.csv
    and report.html."""
    from rich.console import Console

    from .sweep import discover_folder

    if not (batch_dir / "points.csv").is_file():
        C._fail(FileNotFoundError(f"{batch_dir} has no points.csv: is it a sweep's batch folder?"))
    try:
        found = discover_folder(batch_dir, rules, min_density, boxes)
    except ValueError as e:
        C._fail(e)
    con = Console()
    for d in found:
        _print_discovery(con, d)
    Console(stderr=True).print(f"report: [bold]{batch_dir / 'report.html'}[/]")


def _print_discovery(con: Any, d: Any) -> None:
    from rich.table import Table

    t = Table(title=f"PRIM {d.rule}: {d.cases} of {d.points} points are cases (threshold {d.threshold:.4g})"
                    + (f"; {d.note}" if d.note else ""))
    for c in ("box", "coverage", "density", "mass", "restriction", "quasi-p"):
        t.add_column(c, justify="left" if c in ("box", "restriction") else "right")
    for i, b in enumerate(d.boxes, start=1):
        head = [str(i), f"{b.coverage:.0%}", f"{b.density:.0%}", f"{b.mass:.0%}"]
        for j, (k, (lo, hi)) in enumerate(b.limits.items()):
            t.add_row(*(head if j == 0 else [""] * 4), f"{k} {lo:.4g}..{hi:.4g}", f"{b.qp.get(k, float('nan')):.3g}")
    if not d.boxes:
        t.add_row("-", "", "", "", "no box found", "")
    con.print(t)


@click.command("outcomes")
@expression_options
def outcomes_cmd(outcome_defs: tuple[str, ...], outcome_files: tuple[Path, ...]) -> None:
    """List the named outcomes: built-in ones and expressions (SQL over a run's views daily, total and
    strikes; --outcome and --outcomes-file define and check more)."""
    from rich.console import Console
    from rich.table import Table

    from . import expressions as X
    from . import outcomes as O

    try:
        define_expressions(outcome_defs, outcome_files)
    except ValueError as e:
        C._fail(e)
    t = Table(title="outcomes (a run's number; usable by compare, ensemble, sweep, calibrate and the web page)")
    for c in ("name", "kind", "description", "main"):
        t.add_column(c, overflow="fold")
    for o in O.OUTCOMES.values():
        t.add_row(o.name, "built-in", o.description, "yes" if o.name in O.MAIN else "")
    for row in X.catalogue():
        t.add_row(row["name"], row["kind"] + ("" if row["builtin"] else ", defined here"),
                  f"{row['description']}\n[dim]{row['text']}[/]", "")
    Console().print(t)
    Console(stderr=True).print("Views for SQL outcomes: daily (date, city, series...), total (date, series over "
                               "all cities), strikes (one row per strike; count them as sum(weight)).")


def register(main: click.Group) -> None:
    """Add ``discover`` and (re)place ``sweep`` and ``outcomes`` on the CLI group."""
    main.add_command(sweep)
    main.add_command(discover)
    main.add_command(outcomes_cmd, "outcomes")
