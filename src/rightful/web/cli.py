"""``rightful serve``: the web laboratory on uvicorn, on the loopback interface by default.

Why loopback: the page starts simulations on this machine; serving it to a network is a choice
the operator makes with ``--host``, and the ceilings on scale, seeds and queued runs hold either way.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8321, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs"), show_default=True,
              help="Folder of the runs and their catalog.")
@click.option("--max-scale", type=click.FloatRange(0, 1, min_open=True), default=0.05, show_default=True,
              help="Largest scale a request may ask for.")
@click.option("--max-seeds", type=click.IntRange(1, 1000), default=8, show_default=True,
              help="Most seeds in one request.")
@click.option("--max-jobs", type=click.IntRange(1, 64), default=None,
              help="Runs simulated at once (default: half the cores, at most 2).")
@click.option("--max-queue", type=click.IntRange(1, 10000), default=32, show_default=True,
              help="Most runs waiting or running at once.")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help="Numba threads per run (default: cores / max-jobs).")
def serve(host: str, port: int, out: Path, max_scale: float, max_seeds: int, max_jobs: int | None,
          max_queue: int, threads: int | None) -> None:
    """Serve the web laboratory: choose a scenario, set levers, run, watch, compare, browse runs."""
    try:
        import uvicorn

        from .app import create_app
        from .config import Settings
    except ImportError as e:  # the web extra is not installed
        raise click.ClickException(f"{e}; install the web extra: pip install 'rightful[web]'") from None
    kw = {"max_jobs": max_jobs} if max_jobs else {}
    cfg = Settings(runs=out, max_scale=max_scale, max_seeds=max_seeds, max_queue=max_queue, threads=threads, **kw)
    app = create_app(cfg)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    click.echo(f"rightful web laboratory on http://{host}:{port}/ (runs in {out.resolve()}); Ctrl-C stops it",
               err=True)
    server.run()


def main() -> None:
    """Run ``serve`` on its own (``python -m rightful.web``), before it is registered in the CLI."""
    serve()
