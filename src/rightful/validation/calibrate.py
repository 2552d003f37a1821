"""``rightful calibrate``: Optuna over a scenario's parameters against observed targets.

Why these choices:
- The study lives in an Optuna RDB storage beside the catalog (``sqlite:///<out>/calibration.db``)
  or a journal file (``journal:PATH``), under a name derived from its inputs, so re-running the
  command adds trials to the same study and several processes (or machines sharing the file) can
  work on one study at once.
- The objective is the sum over targets of each target's negative log-likelihood of the observed
  value given the simulated one, the simulated value being the mean over the trial's seeds.
  Every trial uses the same seeds (common random numbers), so differences between trials come
  from the parameters, not from noise.
- The population is built once per seed and reused: a prepared ``Simulation`` (world tables,
  networks, plan) is deep-copied for each trial and the trial's process parameters are written
  into the copy's parameter table before the first day. This is exact only for parameters that
  the population builder and the processes' ``setup`` do not read and that no event sets on day 0,
  so it is checked, not assumed: the first evaluation is also made the slow way (a fresh
  ``Simulation`` with the values as overrides) and reuse is switched off, with a warning, unless
  the two runs agree bit for bit; a parameter set by a day-0 event disables reuse up front.
- The best parameters are written as a scenario file that ``extends`` the calibrated one (its
  ``[parameters]`` table), so the calibrated model runs with every other command. Note: values in
  ``[parameters]`` are global; a city- or zone-level value in the parent scenario would still take
  precedence for that city (a trial's override did not), so such parameters are reported.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..model import RunResult, Simulation
from ..processes import all_params
from ..runview import RunView
from ..scenarios.loader import BUILTIN, Loaded
from .targets import Target


@dataclass(frozen=True)
class Dim:
    """One calibrated parameter and its range (log-uniform when ``log``)."""

    name: str
    low: float
    high: float
    log: bool = False


@dataclass
class CalibrationResult:
    study_name: str
    storage: str
    space: list[Dim]
    best_params: dict[str, float]
    best_value: float
    best_path: Path
    n_trials: int
    reused: bool
    rows: list[dict[str, Any]] = field(default_factory=list)
    folder: Path | None = None


def parse_params(text: str | None, loaded: Loaded) -> list[Dim]:
    """The search space: ``a,b`` (ranges from the parameter registry), ``a=lo:hi``, or by default
    the scenario's ``[[uncertainties]]``."""
    reg = {p.name: p for p in all_params()}
    if not text:
        from ..ensemble.designs import space

        try:
            unc = space(loaded, "uncertainties")  # a child's redeclared range replaces the parent's
        except ValueError as e:
            raise ValueError(f"{e}; give --params a,b") from None
        return [Dim(u.name, float(u.low), float(u.high), u.distribution == "loguniform") for u in unc]
    out = []
    for item in (x.strip() for x in text.split(",") if x.strip()):
        name, _, rng = item.partition("=")
        name = name.strip()
        if name not in reg:
            raise ValueError(f"--params: no parameter {name!r} (see 'rightful params')")
        if rng:
            try:
                lo, hi = (float(x) for x in rng.split(":"))
            except ValueError:
                raise ValueError(f"--params: {item!r}; expected name=low:high") from None
        else:
            p = reg[name]
            if p.low is None or p.high is None:
                raise ValueError(f"--params: {name} has no registered range; give {name}=low:high")
            lo, hi = float(p.low), float(p.high)
        if not lo < hi:
            raise ValueError(f"--params: {name} range {lo}:{hi} is empty")
        out.append(Dim(name, lo, hi, lo > 0 and hi / lo >= 100))
    if len({d.name for d in out}) != len(out):
        raise ValueError("--params: a parameter is named twice")
    return out


def pin(sim: Simulation, pinned: Sequence[str]) -> None:
    """Make a deep copy of a prepared simulation run as a fresh one with ``pinned`` as overrides
    (the copy's processes already see its own parameter table: ``Simulation.__deepcopy__``): the
    trial's parameters are pinned as an override pins them (dated events that would change them
    are skipped)."""
    sim.apply_events.pinned = frozenset(pinned)


class Evaluator:
    """Simulates a parameter point on every seed and scores it against the targets."""

    def __init__(self, loaded: Loaded, targets: Sequence[Target], seeds: Sequence[int], scale: float | None,
                 until: str | None, names: Sequence[str], reuse: bool = True) -> None:
        self.loaded, self.targets, self.seeds = loaded, list(targets), list(seeds)
        self.scale, self.until, self.names = scale, until, list(names)
        self.templates: dict[int, Simulation] = {}
        self.verified = False
        from ..population.build import geography
        from ..scenarios.events import compile_events

        sc = loaded.scenario
        events = compile_events(sc, geography(sc), loaded.path, str(loaded.path))
        day0 = {e.param for e in events if e.param is not None and e.day <= 0}
        blocked = sorted(set(self.names) & day0)
        if blocked and reuse:
            warnings.warn(f"{blocked} set by a day-0 event: the population is rebuilt for every trial", stacklevel=2)
        self.reuse = reuse and not blocked

    def _fresh(self, seed: int, values: dict[str, float]) -> RunResult:
        return Simulation(self.loaded, seed, self.scale, self.until, values).run()

    def _reused(self, seed: int, values: dict[str, float]) -> RunResult:
        if seed not in self.templates:
            self.templates[seed] = Simulation(self.loaded, seed, self.scale, self.until, None)
        sim = copy.deepcopy(self.templates[seed])
        for k, v in values.items():
            sim.params[k][:] = v
        pin(sim, values)
        return sim.run()

    def run(self, seed: int, values: dict[str, float]) -> RunResult:
        if not self.reuse:
            return self._fresh(seed, values)
        r = self._reused(seed, values)
        if not self.verified:
            f = self._fresh(seed, values)
            if not np.array_equal(r.series.daily, f.series.daily, equal_nan=True):
                warnings.warn("a reused population does not reproduce a fresh run for these parameters: the "
                              "population is rebuilt for every trial", stacklevel=2)
                self.reuse = False
                self.templates.clear()
                r = f
            self.verified = True
        return r

    def simulate(self, values: dict[str, float]) -> list[float]:
        """Each target's simulated value, averaged over the seeds."""
        sims = np.zeros((len(self.seeds), len(self.targets)))
        for i, s in enumerate(self.seeds):
            v = RunView.of_result(self.run(s, values))
            sims[i] = [t.simulated(v) for t in self.targets]
        return sims.mean(axis=0).tolist()

    def score(self, values: dict[str, float]) -> tuple[float, list[float], list[float]]:
        sims = self.simulate(values)
        nll = [t.nll(x) for t, x in zip(self.targets, sims, strict=True)]
        return float(sum(nll)), sims, nll


def check_span(loaded: Loaded, targets: Sequence[Target], until: str | None) -> None:
    import datetime as dt

    sc = loaded.scenario
    end = min(sc.end, dt.date.fromisoformat(until)) if until else sc.end
    for t in targets:
        a, b = t.span()
        if a < sc.start or b > end:
            raise ValueError(f"target {t.label} reads {a}..{b}, outside the runs ({sc.start}..{end})")


def storage_of(storage: str | None, out: Path) -> tuple[Any, str]:
    """An Optuna storage object and its description: an RDB URL, or ``journal:PATH``."""
    import optuna

    if storage is None:
        out.mkdir(parents=True, exist_ok=True)
        storage = f"sqlite:///{(out / 'calibration.db').resolve()}"
    if storage.startswith("journal:"):
        from optuna.storages.journal import JournalFileBackend, JournalStorage

        p = Path(storage[len("journal:"):])
        p.parent.mkdir(parents=True, exist_ok=True)
        return JournalStorage(JournalFileBackend(str(p))), storage
    return optuna.storages.RDBStorage(storage), storage


def default_study_name(loaded: Loaded, targets: Sequence[Target], space: Sequence[Dim], seeds: Sequence[int],
                       scale: float | None, until: str | None) -> str:
    blob = json.dumps([loaded.hash, [t.__dict__ for t in targets], [d.__dict__ for d in space], list(seeds),
                       scale, until], sort_keys=True, default=str).encode()
    return f"{loaded.name}-{hashlib.sha256(blob).hexdigest()[:10]}"


def extends_ref(loaded: Loaded) -> str:
    """How the best scenario refers to the calibrated one: a built-in name, else an absolute path."""
    p = Path(loaded.path).resolve()
    if p.parent == Path(str(BUILTIN)).resolve():
        return p.stem
    return str(p)


def write_best(path: Path, loaded: Loaded, best: dict[str, float], value: float, study: str, storage: str,
               n_trials: int, targets_file: str) -> Path:
    """The best parameters as a scenario that extends the calibrated one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    name = f"{loaded.name}-calibrated"
    lines = [
        f"# Written by 'rightful calibrate': best of {n_trials} trials of study {study!r} ({storage}).",
        f"# Targets: {targets_file}. Objective (sum of negative log-likelihoods): {value:.6g}.",
        f'name = "{name}"',
        f'title = "{loaded.name} calibrated to {Path(targets_file).name}"',
        f'description = """Parameters of {loaded.name} calibrated with Optuna (study {study})."""',
        f"extends = {json.dumps(extends_ref(loaded))}",
        "",
        "[parameters]",
        *(f"{k} = {float(v)!r}" for k, v in best.items()),
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def calibrate(loaded: Loaded, targets: Sequence[Target], space: Sequence[Dim], trials: int,
              seeds: Sequence[int] = (1,), scale: float | None = None, until: str | None = None,
              out: Path | str = "runs", storage: str | None = None, study_name: str | None = None,
              sampler_seed: int = 0, best_path: Path | None = None, reuse: bool = True,
              console: Any = None, targets_file: str = "") -> CalibrationResult:
    """Add ``trials`` trials to the study and write the best scenario; returns the study's best."""
    import optuna

    out = Path(out)
    check_span(loaded, targets, until)
    store, desc = storage_of(storage, out)
    name = study_name or default_study_name(loaded, targets, space, seeds, scale, until)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name=name, storage=store, direction="minimize", load_if_exists=True,
                                sampler=optuna.samplers.TPESampler(seed=sampler_seed))
    ev = Evaluator(loaded, targets, seeds, scale, until, [d.name for d in space], reuse)

    def objective(trial: Any) -> float:
        vals = {d.name: trial.suggest_float(d.name, d.low, d.high, log=d.log) for d in space}
        nll, sims, parts = ev.score(vals)
        trial.set_user_attr("simulated", sims)
        trial.set_user_attr("nll", parts)
        if console is not None:
            console.print(f"trial {trial.number}: {vals} -> {nll:.6g}")
        return nll

    study.optimize(objective, n_trials=trials)
    best = study.best_trial
    folder = out / "calibration" / name
    folder.mkdir(parents=True, exist_ok=True)
    bp = best_path or folder / f"{loaded.name}-calibrated.toml"
    n_done = len([t for t in study.trials if t.state.name == "COMPLETE"])
    write_best(Path(bp), loaded, best.params, float(best.value), name, desc, n_done,
               targets_file or "targets")
    _write_trials(folder / "trials.csv", study, [d.name for d in space])
    sims = best.user_attrs.get("simulated") or [float("nan")] * len(targets)
    parts = best.user_attrs.get("nll") or [float("nan")] * len(targets)
    rows = [{"target": t.label, "observed": t.value, "simulated": s, "likelihood": t.likelihood, "nll": p}
            for t, s, p in zip(targets, sims, parts, strict=True)]
    with open(folder / "best_fit.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["target", "observed", "simulated", "likelihood", "nll"])
        w.writeheader()
        w.writerows(rows)
    return CalibrationResult(name, desc, list(space), dict(best.params), float(best.value), Path(bp), n_done,
                             ev.reuse, rows, folder)


def _write_trials(path: Path, study: Any, names: Sequence[str]) -> None:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["trial", "state", "value", *names])
        for t in study.trials:
            w.writerow([t.number, t.state.name, t.value, *(t.params.get(n) for n in names)])


def rich_table(r: CalibrationResult) -> Any:
    from rich.table import Table

    t = Table(title=f"best of {r.n_trials} trials: {', '.join(f'{k}={v:.4g}' for k, v in r.best_params.items())} "
                    f"(objective {r.best_value:.4g})")
    for c in ("target", "observed", "simulated", "likelihood", "nll"):
        t.add_column(c, justify="left" if c in ("target", "likelihood") else "right")
    for row in r.rows:
        t.add_row(row["target"], f"{row['observed']:.4g}", f"{row['simulated']:.4g}", row["likelihood"],
                  f"{row['nll']:.4g}")
    return t
