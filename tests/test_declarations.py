"""The units' declarations are complete and the code keeps the shape the project promises.

These check the structure that every other test relies on: each parameter has a unit, a source
and a range that holds its default; each column and each series has one owner; kernels take
named groups (at most 12 arguments); no source file grows past 400 lines; no module imports
another that imports it back; the ODD's generated tables are current.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from rightful import processes
from rightful.processes import COLUMNS, PLAN, RESULTS, param_index

SRC = Path(processes.__file__).resolve().parents[1]


def test_every_parameter_is_declared_with_unit_source_and_range() -> None:
    for name, (p, unit, _readers) in param_index().items():
        assert p.unit.strip(), f"{name} ({unit}) has no unit"
        assert p.source.strip(), f"{name} ({unit}) has no source"
        assert p.low is not None and p.high is not None, f"{name} ({unit}) has no range"
        assert p.low <= p.default <= p.high, f"{name} ({unit}): default {p.default} outside {p.low}..{p.high}"


def test_every_result_has_a_label_and_every_table_a_column_owner() -> None:
    for n, r in RESULTS.items():
        assert r.label.strip() and r.unit is not None, f"series {n} has no label"
        assert r.cities in ("sum", "mean") and r.time in ("sum", "mean", "last")
    assert {"workers", "firms", "zones", "hometowns", "ngos"} <= set(COLUMNS)


def _kernels() -> list[tuple[str, object]]:
    out = []
    for mod in {inspect.getmodule(p) for p in PLAN}:
        for name, obj in vars(mod).items():
            py = getattr(obj, "py_func", None)
            if py is not None and py.__module__ == mod.__name__:
                out.append((f"{mod.__name__}.{name}", py))
    return out


@pytest.mark.parametrize("name,func", _kernels(), ids=lambda v: v if isinstance(v, str) else "")
def test_kernels_take_named_groups(name: str, func) -> None:
    n = func.__code__.co_argcount
    assert n <= 12, f"{name} takes {n} arguments: pass named groups (engine.declare), not arrays"


def test_no_source_file_over_400_lines() -> None:
    long = {str(f.relative_to(SRC)): n for f in SRC.rglob("*.py") if (n := len(f.read_text().splitlines())) > 400}
    assert not long, f"files over 400 lines: {long}"


def _imports(path: Path, package: str) -> set[str]:
    """Modules of the package that ``path`` imports (anywhere in the file, functions included)."""
    mod = package + "." + ".".join(path.relative_to(SRC).with_suffix("").parts)
    mod = mod.removesuffix(".__init__")
    base = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base.split(".")
                root = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{root}.{node.module}" if node.module else root
            else:
                target = node.module or ""
            if target.startswith(package):
                out.add(target)
                for a in node.names:
                    out.add(f"{target}.{a.name}")
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith(package)}
    return out


def test_no_import_circles() -> None:
    package = SRC.name
    files = {}
    for f in SRC.rglob("*.py"):
        m = package + "." + ".".join(f.relative_to(SRC).with_suffix("").parts)
        files[m.removesuffix(".__init__")] = f
    graph = {m: {t for t in _imports(f, package) if t in files and t != m} for m, f in files.items()}
    # a package's __init__ re-exporting its modules is not a circle: only module-to-module edges count
    for m in list(graph):
        graph[m] = {t for t in graph[m] if not m.startswith(t + ".")}
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        seen[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            if seen.get(t) == 1:
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(t):] + [t]))
            if t not in seen:
                visit(t)
        stack.pop()
        seen[m] = 2

    for m in sorted(graph):
        if m not in seen:
            visit(m)


def test_odd_tables_are_current(tmp_path: Path) -> None:
    from rightful.odd import render

    odd = SRC.parents[1] / "docs" / "ODD.md"
    text = odd.read_text()
    assert render(text) == text, "docs/ODD.md is out of date: run python scripts/odd_params.py"


def test_every_draw_has_its_own_stream() -> None:
    """A draw is (stream, day, row): a second decision on one stream at an offset of the row index
    (``uniform(k, day, i + 7919)``) collides with another row's draw, so each decision has its
    own named stream."""
    import re

    pat = re.compile(r"\b(?:uniform|normal)\(\s*\w+\s*,\s*\w+\s*,\s*([^()]*)\)")
    bad = []
    for f in (SRC / "processes").glob("*.py"):
        for m in pat.finditer(f.read_text()):
            if not re.fullmatch(r"\s*\w+\s*", m.group(1)):
                bad.append(f"{f.name}: {m.group(0)}")
    assert not bad, f"draws at an offset of the row index: {bad}"
