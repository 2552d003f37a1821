"""Helpers of the web tests: a server on a free loopback port, the browser, the run's own numbers.

Why a real server in a subprocess: the browser tests follow what a user does (`rightful serve`,
a page, server-sent events, worker processes), so they start the same command on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(out: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`rightful serve` (as ``python -m rightful.web``) on a free port; yields its URL and process."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    log = open(out.parent / f"serve-{port}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "rightful.web", "--port", str(port), "--out", str(out), *args],
                            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=2):
                    break
            except OSError as e:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.close()
                    text = (out.parent / f"serve-{port}.log").read_text()
                    raise RuntimeError("the server did not start:\n" + text) from e
                time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def chromium() -> str:
    """Debian's Chromium (or RIGHTFUL_CHROMIUM). Missing in CI: fail loudly; elsewhere: skip."""
    path = os.environ.get("RIGHTFUL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    msg = "no Chromium found (apt-get install -y chromium, or set RIGHTFUL_CHROMIUM); test.sh installs it"
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)
    raise AssertionError("unreachable")


def monthly(run_dir: Path, series: str) -> tuple[list[str], dict[str, np.ndarray], np.ndarray]:
    """A flow's monthly sums by city and in total, straight from the run's daily.parquet."""
    t = pq.read_table(run_dir / "daily.parquet", columns=["date", "city", series])
    month = t.column("date").to_numpy().astype("datetime64[M]")
    city = np.array(t.column("city").to_pylist())
    v = t.column(series).to_numpy().astype(np.float64)
    months = np.unique(month)
    by = {str(c): np.array([v[(month == m) & (city == c)].sum() for m in months]) for c in dict.fromkeys(city)}
    return [f"{m}-01" for m in months.astype(str)], by, np.array([v[month == m].sum() for m in months])


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
