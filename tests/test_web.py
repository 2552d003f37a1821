"""The web laboratory's JSON API: every request validated, errors in words, the run's own numbers.

These use FastAPI's TestClient (no browser, no worker process): one small run is made in-process
and registered, and every read endpoint is compared with that run's Parquet files.
"""

from __future__ import annotations

import json
import os
import signal
import time
import warnings
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install -e '.[web]')")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from rightful.runner import run_and_register  # noqa: E402
from rightful.web.app import create_app  # noqa: E402
from rightful.web.config import Settings  # noqa: E402

from .web_support import alive, children, monthly, serve  # noqa: E402

RUN = dict(seed=2, scale=0.001, until="2005-03-31")


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("web-runs")
    run_and_register("prd-2003-2010", out=out, **RUN)
    return out


@pytest.fixture(scope="module")
def client(runs_dir: Path) -> TestClient:
    with TestClient(create_app(Settings(runs=runs_dir, max_scale=0.01, max_seeds=3, max_queue=4))) as c:
        yield c


@pytest.fixture(scope="module")
def run_id(client: TestClient) -> str:
    return client.get("/api/runs").json()[0]["run_id"]


def _error(r, status: int, *words: str) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and isinstance(body["error"], str)
    for w in words:
        assert w in body["error"], body["error"]
    return body["error"]


@pytest.mark.parametrize("body,status,words", [
    ({"scenario": "nowhere"}, 422, ("not a built-in scenario", "prd-2003-2010")),
    ({"scenario": "../../etc/passwd.toml"}, 422, ("not a built-in scenario",)),
    ({"scenario": "prd-2003-2010", "scale": 0.5}, 422, ("ceiling of 0.01",)),
    ({"scenario": "haiyan-2004"}, 422, ("default scale", "ceiling")),  # its default scale is 1.0
    ({"scenario": "prd-2003-2010", "scale": 0}, 422, ("scale",)),
    ({"scenario": "prd-2003-2010", "scale": 0.001, "seeds": 0}, 422, ("seeds",)),
    ({"scenario": "prd-2003-2010", "scale": 0.001, "seeds": 4}, 422, ("ceiling of 3 seeds",)),
    ({"scenario": "prd-2003-2010", "scale": 0.001, "set": {"repression": 1.5}}, 422,
     ("repression", "outside its declared range 0 to 1")),
    ({"scenario": "prd-2003-2010", "scale": 0.001, "set": {"no_such": 1}}, 422, ("not a model parameter",)),
    ({"scenario": "prd-2003-2010", "scale": 0.001, "set": {"standard_hours": 1000}}, 422,
     ("standard_hours", "outside its declared range")),
    ({"scenario": "prd-2003-2010", "scale": 0.001, "set": {"repression": "high"}}, 422, ("set.repression",)),
    ({"scenario": "prd-2003-2010", "scale": 0.001, "until": "2012-01-01"}, 422, ("outside", "span")),
    ({"scenario": "prd-2003-2010", "scale": 0.001, "until": "soon"}, 422, ("until",)),
    ({"scenario": "prd-2003-2010", "scale": 0.001, "speed": "fast"}, 422, ("speed", "no such field")),
    ({}, 422, ("scenario",)),
])
def test_run_requests_are_validated(client: TestClient, body: dict, status: int, words: tuple[str, ...]) -> None:
    _error(client.post("/api/runs", json=body), status, *words)


def test_compare_requests_are_validated(client: TestClient) -> None:
    _error(client.post("/api/compare", json={"scenarios": []}), 422, "scenarios")
    _error(client.post("/api/compare", json={"scenarios": ["prd-2003-2010"] * 2, "scale": 0.001}), 422, "once")
    many = ["prd-2003-2010", "media-open", "media-closed", "ngo-none", "ngo-both"]
    _error(client.post("/api/compare", json={"scenarios": many, "scale": 0.001}), 422, "ceiling of 4 scenarios")
    _error(client.post("/api/compare", json={"scenarios": ["prd-2003-2010", "haiyan-2004"], "scale": 0.001,
                                             "until": "2003-06-30"}), 422, "haiyan-2004", "span")


def test_the_queue_is_bounded(client: TestClient) -> None:
    body = {"scenario": "prd-2003-2010", "scale": 0.001, "until": "2003-02-28", "seeds": 3, "seed": 900}
    app_queue = client.app.state.queue
    app_queue.settings = Settings(runs=app_queue.settings.runs, max_seeds=3, max_queue=2)
    try:
        _error(client.post("/api/runs", json=body), 429, "queue is full")
    finally:
        app_queue.settings = client.app.state.settings
    assert app_queue.pending() == 0 and app_queue._pool is None  # refused before anything started


def test_reads_of_unknown_or_malformed_runs(client: TestClient, run_id: str) -> None:
    _error(client.get("/api/runs/r000000000000"), 404, "no run r000000000000")
    _error(client.get("/api/runs/..%2F..%2Fetc/daily"), 404)
    _error(client.get("/api/runs/not-a-run/daily"), 422, "not a run id")
    _error(client.get(f"/api/runs/{run_id}/daily?series=nope"), 422, "unknown series")
    _error(client.get(f"/api/runs/{run_id}/daily?freq=fortnight"), 422, "freq")
    _error(client.get(f"/api/runs/{run_id}/strikes?sort=shoe_size"), 422, "cannot sort by")
    _error(client.get(f"/api/runs/{run_id}/strikes?limit=0"), 422, "limit")
    _error(client.get("/api/jobs/jdeadbeef/events"), 404, "no job")
    _error(client.get("/api/bands?runs="), 422, "runs")
    _error(client.get("/api/no/such/thing"), 404, "no such")


def test_catalogue_endpoints(client: TestClient, run_id: str) -> None:
    sc = client.get("/api/scenarios").json()
    prd = next(s for s in sc if s["name"] == "prd-2003-2010")
    assert prd["start"] == "2003-01-01" and prd["levers"] and all(lv["low"] <= lv["value"] <= lv["high"]
                                                                    for lv in prd["levers"])
    params = {p["name"]: p for p in client.get("/api/params").json()}
    assert params["repression"]["settable"] and params["standard_hours"]["settable"]  # every parameter has a range
    assert client.get("/api/scenarios/haiyan-2004").json()["events"]
    _error(client.get("/api/scenarios/nowhere"), 404, "not a built-in scenario")
    series = {s["name"]: s for s in client.get("/api/series").json()}
    assert series["in_dispute"]["label"] == "workers in a dispute" and series["arb_filed"]["kind"] == "flow"
    rows = client.get("/api/runs").json()
    assert [r["run_id"] for r in rows] == [run_id] and rows[0]["seed"] == RUN["seed"]
    assert client.get("/").headers["content-type"].startswith("text/html")
    js = client.get("/static/vendor/uplot/uPlot.iife.min.js")
    assert js.status_code == 200 and "uPlot" in js.text


def test_daily_series_are_the_runs_numbers(client: TestClient, runs_dir: Path, run_id: str) -> None:
    d = client.get(f"/api/runs/{run_id}/daily?series=strikes_started,complaints,workers,mean_wage").json()
    months, by_city, total = monthly(runs_dir / run_id, "complaints")
    assert d["dates"] == months and set(d["cities"]) == set(by_city)
    np.testing.assert_allclose(d["series"]["complaints"]["total"], total, rtol=1e-9)
    for c, v in by_city.items():
        np.testing.assert_allclose(d["series"]["complaints"]["by_city"][c], v, rtol=1e-9)
    raw = pq.read_table(runs_dir / run_id / "daily.parquet").to_pydict()
    last = [i for i, day in enumerate(raw["date"]) if str(day) == "2005-03-31"]
    assert d["series"]["workers"]["total"][-1] == pytest.approx(sum(raw["workers"][i] for i in last))
    w = np.array([raw["workers"][i] for i in last])
    mw = np.array([raw["mean_wage"][i] for i in last])
    assert 0 < d["series"]["mean_wage"]["total"][-1] < 10_000 and np.isfinite((w * mw).sum())
    y = client.get(f"/api/runs/{run_id}/daily?series=complaints&freq=year").json()
    assert y["dates"] == ["2003-01-01", "2004-01-01", "2005-01-01"]
    assert sum(y["series"]["complaints"]["total"]) == pytest.approx(total.sum())


def test_strikes_zones_funnel_events(client: TestClient, runs_dir: Path, run_id: str) -> None:
    t = pq.read_table(runs_dir / run_id / "strikes.parquet").to_pylist()
    s = client.get(f"/api/runs/{run_id}/strikes?limit=5&sort=peak_size&desc=true").json()
    assert s["total"] == len(t) and len(s["rows"]) == min(5, len(t))
    if t:
        assert s["rows"][0]["peak_size"] == max(r["peak_size"] for r in t)
        assert s["weighted_total"] == pytest.approx(sum(r["weight"] for r in t))
    zones = client.get(f"/api/runs/{run_id}/zones").json()
    meta = json.loads((runs_dir / run_id / "run.json").read_text())
    assert [z["zone"] for z in zones] == meta["zones"]
    assert sum(z["strikes"] for z in zones) == pytest.approx(sum(r["weight"] for r in t))
    f = client.get(f"/api/runs/{run_id}/funnel").json()
    raw = pq.read_table(runs_dir / run_id / "daily.parquet").to_pydict()
    assert [x["stage"] for x in f] == ["complaints", "arb_filed", "arb_accepted", "arb_won", "court_filed"]
    for x in f:
        assert x["count"] == pytest.approx(sum(raw[x["stage"]]))
    ev = client.get(f"/api/runs/{run_id}/events").json()
    assert [e["n"] for e in ev] == list(range(1, len(ev) + 1))
    assert all("2003-01-01" <= e["date"] <= RUN["until"] for e in ev)
    one = client.get(f"/api/runs/{run_id}").json()
    assert one["totals"]["complaints"] == pytest.approx(sum(raw["complaints"]))


def test_a_finished_run_is_not_run_again_and_its_events_stream_ends(client: TestClient, run_id: str) -> None:
    body = {"scenario": "prd-2003-2010", **RUN}
    r = client.post("/api/runs", json=body)
    assert r.status_code == 202, r.text
    job = r.json()["job"]
    assert job["status"] == "done" and job["run_ids"] == [run_id] and job["runs"][0]["cached"]
    with client.stream("GET", f"/api/jobs/{job['id']}/events") as es:
        assert es.headers["content-type"].startswith("text/event-stream")
        text = "".join(es.iter_text())
    assert "event: done" in text and run_id in text
    assert client.get(f"/api/jobs/{job['id']}").json()["done"] == 1
    b = client.get(f"/api/bands?runs={run_id}&series=complaints").json()
    assert b["groups"][0]["median"] == client.get(f"/api/runs/{run_id}/daily?series=complaints").json()[
        "series"]["complaints"]["total"]
    o = client.get(f"/api/outcomes?runs={run_id}").json()
    assert o["groups"][0]["seeds"] == [RUN["seed"]] and o["outcomes"]


def _events(client: TestClient, job_id: str) -> list[dict]:
    with client.stream("GET", f"/api/jobs/{job_id}/events") as es:
        text = "".join(es.iter_text())
    return [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]


def _wait(client: TestClient, job_id: str, ok, timeout: float = 240) -> dict:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snap = client.get(f"/api/jobs/{job_id}").json()
        if ok(snap):
            return snap
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never got there: {snap}")


def test_live_progress_and_a_worker_that_dies(tmp_path: Path) -> None:
    """A run in a worker process streams its progress to the end and is registered; a worker killed
    mid-run fails its run in words, and the next run gets a fresh worker."""
    with TestClient(create_app(Settings(runs=tmp_path, max_jobs=1, threads=1))) as c:
        base = {"scenario": "prd-2003-2010", "scale": 0.001}
        job = c.post("/api/runs", json={**base, "until": "2003-04-30", "seed": 11}).json()["job"]
        events = _events(c, job["id"])
        assert events[-1]["status"] == "done" and events[-1]["fraction"] == 1
        # progress counts the days simulated: the default's 730-day burn-in, then 120 recorded days
        assert any(e["status"] == "running" and e["runs"][0]["days"] == 730 + 120 for e in events)
        rid = events[-1]["run_ids"][0]
        assert (tmp_path / rid / "run.json").is_file() and c.get("/api/runs").json()[0]["run_id"] == rid

        queue = c.app.state.queue
        doomed = c.post("/api/runs", json={**base, "seed": 12}).json()["job"]
        _wait(c, doomed["id"], lambda s: s["runs"][0]["day"] > 0)
        for p in list(queue._pool._processes.values()):
            os.kill(p.pid, signal.SIGKILL)
        snap = _wait(c, doomed["id"], lambda s: s["status"] == "failed")
        assert "worker process died" in snap["error"] and queue.pending() == 0
        assert not (tmp_path / doomed["run_ids"][0] / "run.json").exists()

        again = c.post("/api/runs", json={**base, "until": "2003-02-28", "seed": 13}).json()["job"]
        assert _events(c, again["id"])[-1]["status"] == "done"


def test_workers_end_with_their_server(tmp_path: Path) -> None:
    """`rightful serve` killed outright (SIGKILL) leaves no worker process behind."""
    import urllib.request

    with serve(tmp_path / "runs", "--max-jobs", "1", "--threads", "1") as (url, proc):
        body = json.dumps({"scenario": "prd-2003-2010", "scale": 0.001, "seed": 31}).encode()
        req = urllib.request.Request(url + "/api/runs", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            job = json.loads(r.read())["job"]
        deadline = time.monotonic() + 120
        while not children(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        kids = children(proc.pid)
        assert kids, "no worker process started"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 20
        while any(alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(k) for k in kids), f"workers outlived their server (job {job['id']})"
