"""The Python API (``import rightful``): light to import, runs registered as the CLI registers
them, tidy DataFrames, plots and reports, loading by id or folder, comparisons and ensembles as
bands over seeds, and the quickstart notebook executes.

Why: the API is how people use the model from a notebook; it must agree with the CLI (same runs,
same catalog, same numbers as the run-view) and its documented example must keep working.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import rightful
from rightful.runview import RunView

TINY = dict(seed=2, scale=0.001, until="2003-03-31")
NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "examples" / "quickstart.ipynb"


def test_import_is_light() -> None:
    code = ("import sys, rightful; heavy = [m for m in ('numba', 'matplotlib', 'dask', 'distributed', 'pandas', "
            "'pyarrow', 'rightful.api') if m in sys.modules]; print(heavy); rightful.run; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["[]", "ok"]


def test_run_returns_tidy_tables_and_registers(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    r = rightful.run("prd-2003-2010", out=tmp_path, set={"arbitration_fee": 0}, **TINY)
    assert isinstance(r, rightful.Result) and r.path.parent == tmp_path
    v = RunView.open(r.path)
    d = r.daily
    assert list(d.columns[:2]) == ["date", "city"] and len(d) == len(v.dates) * len(v.cities)
    assert set(r.series) <= set(d.columns)
    np.testing.assert_array_equal(r.totals["mean_wage"].to_numpy(), v.total("mean_wage"))
    assert {"outcome", "weight", "start", "city"} <= set(r.strikes.columns)
    assert r.meta["overrides"] == {"arbitration_fee": 0.0} and r.params["arbitration_fee"] == 0.0
    assert len(r.events) and "label" in r.events.columns
    y = r.period("M", by=None)
    assert len(y) == 3 and y["complaints"].sum() == pytest.approx(v.total("complaints").sum(), rel=1e-9)
    ax = r.plot("strikers", by="city")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [*v.cities, "all cities"] and ax.get_title(loc="left")
    from rightful.store.catalog import Catalog

    with Catalog(tmp_path, read_only=True) as cat:
        assert cat.get(r.run_id)["status"] == "completed"


def test_load_by_id_and_by_folder(written_run) -> None:
    root = Path(written_run.path).parent
    a = rightful.load(written_run.path)
    b = rightful.load(written_run.run_id, out=root)
    c = rightful.load(written_run.run_id[:6], out=root)
    assert a.run_id == b.run_id == c.run_id == written_run.run_id
    assert a.daily.equals(b.daily)
    with pytest.raises(FileNotFoundError, match="no run"):
        rightful.load("rnosuchrun", out=root)


def test_compare_and_ensemble_return_bands(tmp_path: Path) -> None:
    until = TINY["until"]
    b = rightful.compare(["prd-2003-2010", "law-2008-earlier"], seeds=1, scale=0.001, until=until, out=tmp_path,
                         series=["arb_filed", "mean_wage"], outcomes=["arb_filed"], report=False)
    assert {"scenario", "series", "date", "median", "q10", "q90"} <= set(b.columns)
    assert set(b.scenario) == {"prd-2003-2010", "law-2008-earlier"} and set(b.series) == {"arb_filed", "mean_wage"}
    assert (b["median"] == b["q50"]).all()
    rows = b.attrs["outcomes"]
    assert {r["scenario"] for r in rows} == {"prd-2003-2010", "law-2008-earlier"}
    e = rightful.ensemble("prd-2003-2010", seeds=[1, 2], scale=0.001, until=until, out=tmp_path,
                          series=["complaints"], report=False)
    assert set(e.series) == {"complaints"} and (e.runs == 2).all() and (e.q10 <= e.q90).all()
    assert "complaints" in e.attrs["outcomes"]


def test_quickstart_notebook_executes(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert (tmp_path / "runs" / "catalog.duckdb").is_file()
    assert len(list((tmp_path / "runs").glob("r*/report.html"))) == 1  # Result.report() wrote it
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
