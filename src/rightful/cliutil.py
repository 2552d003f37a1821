"""What every command of the command line shares: errors, the two consoles, the compile notice.

Why a module of its own: ``cli.py`` (the core commands) and ``commands.py`` (the batch commands,
registered into the same group) both need these; with them here neither imports the other's
internals, so there is no import circle.

Output rule: results (tables, paths) go to stdout, at the terminal's width, or at their full width
when stdout is a pipe or a file (nothing is cut to 80 columns); progress, notices and errors go to
stderr, so ``rightful run > out.txt`` captures exactly the results.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

FULL_WIDTH = 100_000  # a piped console: tables take their natural width


def fail(e: BaseException | str, code: int = 2) -> NoReturn:
    """Print ``error: <message>`` to stderr and exit (2: bad input or unusable folder)."""
    click.echo(click.style("error: ", fg="red", bold=True) + str(e), err=True)
    sys.exit(code)


def out_console() -> Any:
    """The console for results: stdout, full width when it is not a terminal."""
    from rich.console import Console

    if sys.stdout.isatty():
        return Console()
    return Console(width=FULL_WIDTH, soft_wrap=True)


def err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _cache_dirs(src: Path) -> list[Path]:
    dirs = [src.parent / "__pycache__"]
    extra = os.environ.get("NUMBA_CACHE_DIR")
    if extra:
        dirs.append(Path(extra))
    return dirs


def kernel_modules(root: Path | None = None) -> list[Path]:
    """The package's modules with cached Numba kernels."""
    root = root or Path(__file__).resolve().parent
    out = []
    for src in sorted(root.rglob("*.py")):
        if "__pycache__" in src.parts or src.name == "cliutil.py":
            continue
        try:
            text = src.read_text()
        except OSError:
            continue
        if "njit(" in text and "cache=True" in text:
            out.append(src)
    return out


def cold_kernels(root: Path | None = None) -> list[str]:
    """Modules whose compiled kernels are not in Numba's cache (or are older than their source):
    the first run after installing or changing the code compiles them. Numba keeps its cache in
    ``__pycache__`` next to each module (``<module>.<function>-<line>.py3XX.nbi``)."""
    root = root or Path(__file__).resolve().parent
    cold = []
    for src in kernel_modules(root):
        mtime = src.stat().st_mtime
        found = False
        for d in _cache_dirs(src):
            pattern = f"{src.stem}.*.nbi"
            hits = d.glob(pattern) if d.name == "__pycache__" else d.rglob(pattern)
            if any(h.stat().st_mtime >= mtime for h in hits):
                found = True
                break
        if not found:
            cold.append(str(src.relative_to(root)))
    return cold


COMPILE_ALL_S = 45.0  # measured: compiling every kernel takes about 45 s on two cores (issue 15)


def compile_notice() -> str | None:
    """A line saying that this run compiles, and for about how long, or ``None`` when cached."""
    cold = cold_kernels()
    if not cold:
        return None
    total = max(1, len(kernel_modules()))
    est = max(5, int(round(COMPILE_ALL_S * len(cold) / total / 5.0)) * 5)
    return (f"compiling the model's kernels ({len(cold)} modules) before the first run: about {est} s, "
            f"once; later runs load them from Numba's cache")
