"""The web laboratory: a FastAPI app serving the page and the JSON API under ``/api/`` it uses.

Why one JSON API for the page and for scripts: everything the page shows (scenarios, levers,
series, strikes, zones, claims, bands) comes from the same endpoints a user can call with curl,
so what the browser tests check is what the API returns. Every error is JSON ``{"error": ...}``
with a 4xx code and a sentence that says what was wrong.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from . import compare as cmp
from . import validate as v
from .config import Settings
from .data import FREQS, RunStore, series_info
from .jobs import JobQueue
from .validate import CompareRequest, RequestError, RunRequest

STATIC = Path(str(resources.files("rightful.web") / "static"))


def _words(err: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
    msg = err.get("msg", "invalid")
    if err.get("type") == "extra_forbidden":
        msg = "no such field"
    return f"{loc or 'request'}: {msg}"


def _ids(runs: str) -> list[str]:
    ids = [r for r in (x.strip() for x in runs.split(",")) if r]
    if not ids:
        raise RequestError("runs: give one or more run ids separated by commas")
    if len(ids) > 64:
        raise RequestError("runs: at most 64 runs at once")
    return ids


def _scenario_summary(name: str, detail: bool = False) -> dict[str, Any]:
    ld = v.scenario(name)
    sc = ld.scenario
    out: dict[str, Any] = {
        "name": name, "title": sc.title, "description": " ".join(sc.description.split()),
        "start": sc.start.isoformat(), "end": sc.end.isoformat(), "scale": sc.scale, "seed": sc.seed,
        "extends": sc.extends, "cities": [{"name": c.name, "zones": [z.name for z in c.zones]} for c in sc.cities],
        "n_events": len(sc.events), "levers": v.levers_of(sc),
    }
    if detail:
        out["parameters"] = dict(sc.parameters)
        out["events"] = [{"date": e.date.isoformat(), "label": e.label} for e in sc.events]
    return out


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for one runs folder; the job queue's workers start with the first run requested."""
    cfg = settings or Settings()
    store = RunStore(cfg.runs)
    queue = JobQueue(cfg, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        queue.shutdown()

    app = FastAPI(title="rightful web laboratory", lifespan=lifespan, docs_url=None,
                  openapi_url="/api/openapi.json", redoc_url=None)
    app.state.settings, app.state.store, app.state.queue = cfg, store, queue

    @app.exception_handler(RequestError)
    async def _request_error(_: Request, e: RequestError) -> JSONResponse:
        return JSONResponse({"error": str(e)}, status_code=e.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, e: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "; ".join(_words(x) for x in e.errors())}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, e: HTTPException) -> JSONResponse:
        text = e.detail if e.status_code != 404 or e.detail != "Not Found" else "no such page or endpoint"
        return JSONResponse({"error": text}, status_code=e.status_code)

    @app.exception_handler(KeyError)
    async def _missing(_: Request, e: KeyError) -> JSONResponse:
        return JSONResponse({"error": str(e.args[0]) if e.args else "not found"}, status_code=404)

    @app.exception_handler(ValueError)
    async def _bad_value(_: Request, e: ValueError) -> JSONResponse:
        return JSONResponse({"error": str(e)}, status_code=422)

    @app.exception_handler(LookupError)
    async def _bad_lookup(_: Request, e: LookupError) -> JSONResponse:
        return JSONResponse({"error": str(e)}, status_code=422)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "pending": queue.pending()}

    @app.get("/api/settings")
    def settings_() -> dict[str, Any]:
        return {"max_scale": cfg.max_scale, "max_seeds": cfg.max_seeds, "max_scenarios": cfg.max_scenarios,
                "max_jobs": cfg.max_jobs, "max_queue": cfg.max_queue, "runs": str(store.root)}

    @app.get("/api/scenarios")
    def scenarios() -> list[dict[str, Any]]:
        from ..scenarios.loader import builtin_names

        return [_scenario_summary(n) for n in builtin_names()]

    @app.get("/api/scenarios/{name}")
    def scenario_detail(name: str) -> dict[str, Any]:
        try:
            return _scenario_summary(name, detail=True)
        except RequestError as e:
            raise KeyError(str(e)) from None

    @app.get("/api/params")
    def params_() -> list[dict[str, Any]]:
        return [{"name": p.name, "default": p.default, "unit": p.unit, "source": p.source, "doc": p.doc,
                 "low": p.low, "high": p.high, "settable": p.low is not None and p.high is not None}
                for p in v.params().values()]

    @app.get("/api/series")
    def series() -> list[dict[str, Any]]:
        return series_info()

    @app.get("/api/runs")
    def runs(limit: int = Query(200, ge=1, le=5000), scenario: str | None = None) -> list[dict[str, Any]]:
        return store.runs(limit, scenario)

    @app.post("/api/runs", status_code=202)
    def start_runs(req: RunRequest) -> dict[str, Any]:
        job = queue.submit("ensemble" if req.seeds > 1 else "run", v.with_run_ids(v.run_specs(req, cfg)))
        return {"job": job.snapshot()}

    @app.post("/api/compare", status_code=202)
    def start_compare(req: CompareRequest) -> dict[str, Any]:
        return {"job": queue.submit("compare", v.with_run_ids(v.compare_specs(req, cfg))).snapshot()}

    @app.get("/api/runs/{run_id}")
    def run(run_id: str) -> dict[str, Any]:
        return {**store.meta(run_id), "totals": store.totals(run_id)}

    @app.get("/api/runs/{run_id}/daily")
    def daily(run_id: str, series: str = "strikes_started", freq: str = "month") -> dict[str, Any]:
        if freq not in FREQS:
            raise RequestError(f"freq: {freq!r} is not one of {', '.join(FREQS)}")
        names = [s for s in (x.strip() for x in series.split(",")) if s]
        if not names or len(names) > 12:
            raise RequestError("series: give one to twelve series names separated by commas")
        return store.daily(run_id, names, freq)

    @app.get("/api/runs/{run_id}/strikes")
    def strikes(run_id: str, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
                sort: str = "start", desc: bool = False) -> dict[str, Any]:
        return store.strikes(run_id, limit, offset, sort, desc)

    @app.get("/api/runs/{run_id}/events")
    def events(run_id: str) -> list[dict[str, Any]]:
        return store.events(run_id)

    @app.get("/api/runs/{run_id}/zones")
    def zones(run_id: str) -> list[dict[str, Any]]:
        return store.zones(run_id)

    @app.get("/api/runs/{run_id}/funnel")
    def funnel(run_id: str) -> list[dict[str, Any]]:
        return store.funnel(run_id)

    @app.get("/api/runs/{run_id}/report", include_in_schema=False)
    def report(run_id: str) -> FileResponse:
        p = store.folder(run_id) / "report.html"
        if not p.is_file():
            raise KeyError(f"run {run_id} has no report (write it with 'rightful report {p.parent}')")
        return FileResponse(p)

    @app.get("/api/bands")
    def bands(runs: str, series: str = "strikes_started", freq: str = "month") -> dict[str, Any]:
        if freq not in FREQS:
            raise RequestError(f"freq: {freq!r} is not one of {', '.join(FREQS)}")
        return cmp.bands(store, _ids(runs), series, freq)

    @app.get("/api/outcomes")
    def outcomes(runs: str) -> dict[str, Any]:
        return cmp.outcomes(store, _ids(runs))

    @app.get("/api/jobs")
    def jobs() -> list[dict[str, Any]]:
        return [j.snapshot() for j in reversed(queue.jobs.values())]

    @app.get("/api/jobs/{job_id}")
    def job(job_id: str) -> dict[str, Any]:
        return queue.get(job_id).snapshot()

    @app.get("/api/jobs/{job_id}/events")
    async def job_events(job_id: str, request: Request) -> StreamingResponse:
        job = queue.get(job_id)

        async def stream() -> AsyncIterator[str]:
            seen, idle = -1, 0.0
            yield "retry: 2000\n\n"
            while True:
                snap = job.snapshot()
                if snap["version"] != seen:
                    seen, idle = snap["version"], 0.0
                    kind = "progress" if snap["status"] in ("queued", "running") else snap["status"]
                    yield f"event: {kind}\ndata: {json.dumps(snap)}\n\n"
                    if kind != "progress":
                        return
                if await request.is_disconnected():
                    return
                await asyncio.sleep(0.2)
                idle += 0.2
                if idle >= 15:
                    idle = 0.0
                    yield ": still working\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
