"""The sweep's batch folder and HTML report: what was varied with its sources, the outcomes
(named expressions included) against each factor, PRIM boxes, self-contained; ``discover`` adds a
rule to a finished sweep without running anything; a sweep over levers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rightful.ensemble import expressions as X
from rightful.ensemble.cli_lab import register
from rightful.ensemble.executors import InProcess
from rightful.ensemble.sweep import discover_folder, run_sweep
from rightful.scenarios.loader import load

DATA = Path(__file__).parent / "data"
UNTIL = "2003-04-30"


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory):
    X.define("complaints_april", "SELECT coalesce(sum(complaints), 0) FROM daily WHERE month(date) = 4")
    try:
        out = tmp_path_factory.mktemp("sweep")
        r = run_sweep(load(DATA / "ens_small.toml"), "lhs", [1], out, InProcess(), n=10, until=UNTIL,
                      outcomes=["complaints", "arb_filed", "complaints_april", "mean_strike_size"], progress=False,
                      factors=["claim_rate", "feedback_rate"], prim=["complaints>q70"])
    finally:
        X.undefine("complaints_april")
    return r, out


def test_the_folder_holds_the_sweep(swept) -> None:
    r, _ = swept
    assert all(x.ok for x in r.batch.runs) and len(r.batch.runs) == 10
    s = json.loads((r.folder / "summary.json").read_text())
    assert s["over"] == "uncertainties" and [u["name"] for u in s["uncertainties"]] == ["claim_rate", "feedback_rate"]
    assert s["outcomes"][2] == "complaints_april" and (r.y["complaints_april"] > 0).any()
    assert (r.y["complaints_april"] <= r.y["complaints"]).all()  # April is part of the run's complaints
    (d,) = s["prim"]
    assert d["rule"] == "complaints>q70" and d["boxes"]
    assert set(d["boxes"][0]["limits"]) == {"claim_rate"}  # the inert feedback_rate is never restricted
    assert (r.folder / "prim.csv").read_text().count("claim_rate") >= 1


def test_the_report_reads_alone(swept) -> None:
    r, _ = swept
    page = r.report.read_text()
    for section in ("What was varied", "Outcomes against each factor", "Scenario discovery (PRIM)",
                    "Series across the sweep", "Every point"):
        assert section in page, section
    assert "complaints_april" in page and "complaints&gt;q70" in page
    assert "coverage" in page and "quasi-p" in page
    assert not re.search(r"(src|href)=[\"']https?:", page) and "<script" not in page  # self-contained
    assert page.count("<svg") >= 4


def test_discover_adds_a_rule_without_running(swept) -> None:
    r, out = swept
    before = {p.name for p in out.iterdir()}
    (d,) = discover_folder(r.folder, ["complaints<q30"])
    assert d.outcome == "complaints" and d.cases >= 1
    s = json.loads((r.folder / "summary.json").read_text())
    assert [x["rule"] for x in s["prim"]] == ["complaints>q70", "complaints<q30"]
    assert "complaints&lt;q30" in r.report.read_text()
    assert {p.name for p in out.iterdir()} == before  # no new run
    cli = click.Group()
    register(cli)
    res = CliRunner().invoke(cli, ["discover", str(r.folder), "--rule", "complaints>q50"])
    assert res.exit_code == 0, res.output
    assert "PRIM complaints>q50" in res.output
    res = CliRunner().invoke(cli, ["discover", str(r.folder), "--rule", "no_such>1"])
    assert res.exit_code == 2 and "no outcome" in res.output


def test_a_sweep_over_levers(tmp_path: Path) -> None:
    r = run_sweep(load(DATA / "ens_small.toml"), "grid", [1], tmp_path, InProcess(), levels=2, until="2003-02-28",
                  outcomes=["complaints"], progress=False, over="levers", factors=["arbitration_fee"])
    s = json.loads((r.folder / "summary.json").read_text())
    assert s["over"] == "levers" and s["uncertainties"][0]["kind"] == "lever"
    assert [p["arbitration_fee"] for p in r.design.points()] == [0.0, 600.0]
    assert "Arbitration law: no fee" in s["notes"]["arbitration_fee"]  # the event a pinned fee skips
    assert "lever" in r.report.read_text()
