"""Epstein's civil-violence model (Model 1, Epstein 2002) on rightful's engine.

Why this exists: it is a peer benchmark. Mesa ships the same model as an example
(``mesa.examples.advanced.epstein_civil_violence``), so running both side by side measures what
rightful's engine -- structure-of-arrays `Table`s, counter-based random streams and Numba
kernels -- buys on a model everybody knows, and checks that the speed does not come from
simplifying the model.

The rules are copied from Mesa's example (mesa 3.x), not from the paper, so the two can be
compared like for like:

* torus grid, capacity one agent per cell; each cell independently holds a citizen with
  probability ``citizen_density``, a cop with ``cop_density``, else nothing;
* vision is a von Neumann diamond (Manhattan distance <= vision, centre excluded), which is what
  ``OrthogonalVonNeumannGrid.get_neighborhood(radius=vision)`` returns;
* every tick all agents (citizens and cops together) act once in a fresh uniformly random order,
  each seeing the effects of those who acted before it (Mesa's ``shuffle_do``);
* a jailed citizen only decrements its jail term (state stays ARRESTED and it keeps occupying
  its cell, exactly as in Mesa's example);
* a free citizen counts cops and ACTIVE citizens in vision (itself included among actives),
  estimates ``P = 1 - exp(-k * round(cops / actives))`` with Python's round-half-to-even, and is
  ACTIVE iff ``hardship * (1 - legitimacy) - risk_aversion * P > threshold``, else QUIET;
* a cop picks one ACTIVE citizen in vision uniformly at random, if any, and jails it for
  ``randint(0, max_jail_term)`` ticks (both ends inclusive);
* then the agent moves to a uniformly chosen cell in vision that was empty when it looked.

Every random decision has its own stream keyed by (seed, decision name); a draw is a function of
(stream, tick, agent), so a run is reproducible bit for bit and independent of how it is timed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

from rightful.engine import rng
from rightful.engine.tables import Table

ACTIVE = np.int8(1)
QUIET = np.int8(2)
ARRESTED = np.int8(3)

# Cell codes of the packed grid: two bits per cell, 32 cells per uint64 word.
# Why: the vision diamond is 15 row segments of at most 15 cells; with two bits a cell, one
# 64-bit window holds a whole segment, so a row costs one shift, a few masks and three popcounts
# instead of up to 15 byte loads. Rows are padded with a copy of the opposite edge (a halo of
# ``pad`` cells each side), so a torus window is a plain bit slice; a 200x200 grid is 12 KB.
EMPTY = 0
COP = 1
ACT = 2  # an ACTIVE citizen
OTHER = 3  # a QUIET or jailed citizen
_LO = np.uint64(0x5555555555555555)

CITIZEN_SCHEMA: dict[str, str] = {
    "x": "int16",
    "y": "int16",
    "hardship": "float32",
    "risk_aversion": "float32",
    "state": "int8",
    "jail_term": "int16",
}
COP_SCHEMA: dict[str, str] = {"x": "int16", "y": "int16"}


@dataclass(frozen=True)
class Params:
    """Parameters of Mesa's ``EpsteinCivilViolence`` with its defaults."""

    width: int = 40
    height: int = 40
    citizen_density: float = 0.7
    cop_density: float = 0.074
    citizen_vision: int = 7
    cop_vision: int = 7
    legitimacy: float = 0.8
    max_jail_term: int = 1000
    active_threshold: float = 0.1
    arrest_prob_constant: float = 2.3
    movement: bool = True


@intrinsic
def _popcount(typingctx, x):  # type: ignore[no-untyped-def]
    """Number of set bits of a uint64 (LLVM ctpop, one POPCNT instruction on x86-64)."""
    sig = types.uint64(types.uint64)

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        return builder.ctpop(args[0])

    return sig, codegen


@intrinsic
def _ctz(typingctx, x):  # type: ignore[no-untyped-def]
    """Index of the lowest set bit of a non-zero uint64 (LLVM cttz, one TZCNT/BSF)."""
    sig = types.uint64(types.uint64)

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        return builder.cttz(args[0], ir.Constant(ir.IntType(1), 1))

    return sig, codegen


_U1 = np.uint64(1)
_U0 = np.uint64(0)
_U3 = np.uint64(3)


@njit(cache=True, inline="always")
def _put(grid: np.ndarray, y: int, col: int, w: int, pad: int, code: int) -> None:
    """Write a cell's code, and its halo copy when the cell is within ``pad`` of an edge."""
    for q in range(2):
        if q == 0:
            pos = col + pad
        elif col < pad:
            pos = col + w + pad
        elif col >= w - pad:
            pos = col - w + pad
        else:
            break
        word = pos >> 5
        sh = np.uint64(2 * (pos & 31))
        grid[y, word] = (grid[y, word] & ~(_U3 << sh)) | (np.uint64(code) << sh)


def row_masks(vision: int, pad: int) -> np.ndarray:
    """Per diamond row, the low bits (even positions) of the cells it covers in a window.

    Why precomputed: a window's cell b is column x + b - pad, so row dy covers cells
    pad-r..pad+r with r = vision - |dy|; the centre cell (the agent itself) is excluded.
    """
    out = np.zeros(2 * vision + 1, dtype=np.uint64)
    for i in range(2 * vision + 1):
        r = vision - abs(i - vision)
        m = 0
        for b in range(pad - r, pad + r + 1):
            if not (i == vision and b == pad):
                m |= 1 << (2 * b)
        out[i] = np.uint64(m)
    return out


@njit(cache=True, inline="always")
def _scan(grid: np.ndarray, h: int, x: int, y: int, masks: np.ndarray,
          emp_rows: np.ndarray, act_rows: np.ndarray) -> tuple[int, int, int]:
    """Count cops, ACTIVE citizens and empty cells in the vision diamond around (x, y).

    Fills ``emp_rows[i]`` / ``act_rows[i]`` with the masked low bits of row ``y - vision + i``
    so that a uniform pick among them (`_pick`) needs no second pass over the grid.
    """
    vision = masks.shape[0] // 2
    n_cop = _U0
    n_act = _U0
    n_emp = _U0
    bitpos = 2 * x
    word = bitpos >> 6
    off = np.uint64(bitpos & 63)
    back = np.uint64(63) - off
    for i in range(2 * vision + 1):
        yy = y + i - vision
        if yy < 0:
            yy += h
        elif yy >= h:
            yy -= h
        # Branch-free funnel shift: bits bitpos.. bitpos+63 of the row.
        win = (grid[yy, word] >> off) | ((grid[yy, word + 1] << _U1) << back)
        lo = win & _LO
        hi = (win >> _U1) & _LO
        m = masks[i]
        cop = lo & ~hi & m
        act = hi & ~lo & m
        emp = m & ~(lo | hi)
        emp_rows[i] = emp
        act_rows[i] = act
        n_cop += _popcount(cop)
        n_act += _popcount(act)
        n_emp += _popcount(emp)
    return int(n_cop), int(n_act), int(n_emp)


@njit(cache=True, inline="always")
def _pick(rows: np.ndarray, k: int, x: int, y: int, pad: int, w: int, h: int) -> int:
    """Cell index of the k-th marked cell (row-major) among the masked row windows."""
    vision = rows.shape[0] // 2
    kk = np.uint64(k)
    for i in range(2 * vision + 1):
        m = rows[i]
        c = _popcount(m)
        if kk < c:
            for _ in range(int(kk)):
                m &= m - _U1
            col = x + int(_ctz(m) >> _U1) - pad
            if col < 0:
                col += w
            elif col >= w:
                col -= w
            yy = y + i - vision
            if yy < 0:
                yy += h
            elif yy >= h:
                yy -= h
            return yy * w + col
        kk -= c
    return -1


@njit(cache=True)
def run_ticks(seed: int, t0: int, n_ticks: int,
              cx: np.ndarray, cy: np.ndarray, hardship: np.ndarray, risk: np.ndarray,
              state: np.ndarray, jail: np.ndarray, kx: np.ndarray, ky: np.ndarray,
              grid: np.ndarray, ids: np.ndarray, w: int, h: int, pad: int,
              c_masks: np.ndarray, k_masks: np.ndarray, legitimacy: float, max_jail: int,
              threshold: float, k_arrest: float, movement: bool,
              s_order: int, s_move: int, s_pick: int, s_jail: int,
              n_active: int, out_active: np.ndarray, out_arrested: np.ndarray) -> int:
    """Advance the model ``n_ticks`` ticks from tick ``t0``; record counts after each tick.

    Why one function for many ticks: the whole simulation stays inside compiled code, so the
    measured rate is the engine's, not the interpreter's. Agents 0..nc-1 are citizens, nc.. are
    cops; ``ids`` maps a cell to the agent on it (-1 if none), ``grid`` holds the packed cell
    codes the vision scan reads. Returns the number of ACTIVE citizens after the last tick.
    """
    nc = cx.shape[0]
    n = nc + kx.shape[0]
    k_order = rng.key(seed, s_order)
    k_move = rng.key(seed, s_move)
    k_pick = rng.key(seed, s_pick)
    k_jail = rng.key(seed, s_jail)
    order = np.empty(n, dtype=np.int32)
    c_emp = np.empty(c_masks.shape[0], dtype=np.uint64)
    k_emp = np.empty(k_masks.shape[0], dtype=np.uint64)
    c_act = np.empty(c_masks.shape[0], dtype=np.uint64)
    k_act = np.empty(k_masks.shape[0], dtype=np.uint64)
    one_minus_l = 1.0 - legitimacy
    n_arrested = 0
    for i in range(nc):
        n_arrested += state[i] == ARRESTED
    for t in range(t0, t0 + n_ticks):
        # Fisher-Yates from the identity, with one draw per position from the order stream.
        for i in range(n):
            order[i] = i
        for i in range(n - 1, 0, -1):
            j = int(rng.uniform(k_order, t, i) * (i + 1))
            tmp = order[i]
            order[i] = order[j]
            order[j] = tmp
        for o in range(n):
            a = order[o]
            if a < nc:
                if jail[a] > 0:
                    jail[a] -= 1
                    continue
                x = np.int64(cx[a])
                y = np.int64(cy[a])
                n_cop, n_act, n_emp = _scan(grid, h, x, y, c_masks, c_emp, c_act)
                ratio = np.rint(n_cop / (n_act + 1.0))  # half-to-even, like Python's round
                p_arrest = 1.0 - np.exp(-k_arrest * ratio)
                old = state[a]
                grievance = np.float64(hardship[a]) * one_minus_l
                if grievance - np.float64(risk[a]) * p_arrest > threshold:
                    new = ACTIVE
                else:
                    new = QUIET
                if new != old:
                    n_active += (new == ACTIVE) - (old == ACTIVE)
                    n_arrested -= old == ARRESTED
                    state[a] = new
                    if new == ACTIVE or old == ACTIVE:
                        _put(grid, y, x, w, pad, ACT if new == ACTIVE else OTHER)
                if movement and n_emp > 0:
                    dest = _pick(c_emp, int(rng.uniform(k_move, t, a) * n_emp), x, y, pad, w, h)
                    ny = dest // w
                    nx = dest - ny * w
                    _put(grid, y, x, w, pad, EMPTY)
                    _put(grid, ny, nx, w, pad, ACT if new == ACTIVE else OTHER)
                    ids[y * w + x] = -1
                    ids[dest] = a
                    cy[a] = ny
                    cx[a] = nx
            else:
                b = a - nc
                x = np.int64(kx[b])
                y = np.int64(ky[b])
                n_cop, n_act, n_emp = _scan(grid, h, x, y, k_masks, k_emp, k_act)
                if n_act > 0:
                    cell = _pick(k_act, int(rng.uniform(k_pick, t, a) * n_act), x, y, pad, w, h)
                    v = ids[cell]
                    jail[v] = int(rng.uniform(k_jail, t, a) * (max_jail + 1))
                    state[v] = ARRESTED
                    _put(grid, cell // w, cell - (cell // w) * w, w, pad, OTHER)
                    n_active -= 1
                    n_arrested += 1
                if movement and n_emp > 0:
                    dest = _pick(k_emp, int(rng.uniform(k_move, t, a) * n_emp), x, y, pad, w, h)
                    ny = dest // w
                    nx = dest - ny * w
                    _put(grid, y, x, w, pad, EMPTY)
                    _put(grid, ny, nx, w, pad, COP)
                    ids[y * w + x] = -1
                    ids[dest] = a
                    ky[b] = ny
                    kx[b] = nx
        out_active[t - t0] = n_active
        out_arrested[t - t0] = n_arrested
    return n_active


@njit(cache=True)
def _build_grid(grid: np.ndarray, cells: np.ndarray, code: int, w: int, pad: int) -> None:
    """Write one code into many cells (population set-up and consistency checks)."""
    for c in cells:
        _put(grid, c // w, c - (c // w) * w, w, pad, code)


class CivilViolence:
    """The model state: a citizens `Table`, a cops `Table` and the occupancy grid.

    Why a thin class: building the population is one-off NumPy work; stepping is the compiled
    ``run_ticks``. Random streams are named after the decisions they drive.
    """

    def __init__(self, params: Params, seed: int) -> None:
        self.p = params
        self.seed = int(seed)
        self.tick = 0
        w, h = params.width, params.height
        self.pad = max(params.citizen_vision, params.cop_vision)
        if 2 * self.pad + 1 > 32 or w <= 2 * self.pad or h <= 2 * self.pad:
            raise ValueError("vision must be <= 15 and the grid wider than the vision diamond")
        n_cells = w * h
        u = rng.uniforms(self.seed, "civil_violence.cell_kind", n_cells)
        is_cit = u < params.citizen_density
        is_cop = (~is_cit) & (u < params.citizen_density + params.cop_density)
        cit_cells = np.flatnonzero(is_cit)
        cop_cells = np.flatnonzero(is_cop)
        nc, nk = len(cit_cells), len(cop_cells)
        self.citizens = Table("citizens", CITIZEN_SCHEMA, nc, fill={"state": QUIET})
        self.cops = Table("cops", COP_SCHEMA, nk)
        self.citizens["x"] = (cit_cells % w).astype(np.int16)
        self.citizens["y"] = (cit_cells // w).astype(np.int16)
        self.citizens["hardship"] = rng.uniforms(self.seed, "civil_violence.hardship", nc)
        self.citizens["risk_aversion"] = rng.uniforms(self.seed, "civil_violence.risk_aversion",
                                                      nc)
        self.cops["x"] = (cop_cells % w).astype(np.int16)
        self.cops["y"] = (cop_cells // w).astype(np.int16)
        self.ids = np.full(n_cells, -1, dtype=np.int32)
        self.ids[cit_cells] = np.arange(nc, dtype=np.int32)
        self.ids[cop_cells] = nc + np.arange(nk, dtype=np.int32)
        n_words = (w + 2 * self.pad + 31) // 32 + 1  # +1: a window may straddle the last word
        self.grid = np.zeros((h, n_words), dtype=np.uint64)
        _build_grid(self.grid, cit_cells, OTHER, w, self.pad)
        _build_grid(self.grid, cop_cells, COP, w, self.pad)
        self._masks = (row_masks(params.citizen_vision, self.pad),
                       row_masks(params.cop_vision, self.pad))
        self.n_active = 0
        self._streams = tuple(rng.stream_id(f"civil_violence.{d}")
                              for d in ("order", "move", "arrest_pick", "jail_term"))

    @property
    def n_agents(self) -> int:
        """Citizens plus cops: the agents activated each tick."""
        return self.citizens.n + self.cops.n

    def run(self, n_ticks: int) -> tuple[np.ndarray, np.ndarray]:
        """Run ``n_ticks`` ticks; return (ACTIVE count, ARRESTED count) after each tick."""
        p = self.p
        c = self.citizens
        out_a = np.empty(n_ticks, dtype=np.int32)
        out_j = np.empty(n_ticks, dtype=np.int32)
        self.n_active = run_ticks(
            self.seed, self.tick, n_ticks, c.x, c.y, c.hardship, c.risk_aversion, c.state,
            c.jail_term, self.cops.x, self.cops.y, self.grid, self.ids, p.width, p.height,
            self.pad, *self._masks, p.legitimacy, p.max_jail_term,
            p.active_threshold, p.arrest_prob_constant, p.movement, *self._streams,
            self.n_active, out_a, out_j)
        self.tick += n_ticks
        return out_a, out_j

    def check(self) -> None:
        """Assert that packed grid and tables agree (the bench calls it after its runs)."""
        c, k = self.citizens, self.cops
        w, h, pad = self.p.width, self.p.height, self.pad
        cells = c.y.astype(np.int64) * w + c.x
        assert np.all(self.ids[cells] == np.arange(c.n))
        kcells = k.y.astype(np.int64) * w + k.x
        assert np.all(self.ids[kcells] == c.n + np.arange(k.n))
        assert int((self.ids >= 0).sum()) == self.n_agents
        ref = np.zeros_like(self.grid)
        _build_grid(ref, cells, OTHER, w, pad)
        _build_grid(ref, cells[c.state == ACTIVE], ACT, w, pad)
        _build_grid(ref, kcells, COP, w, pad)
        assert np.array_equal(ref, self.grid), "packed grid out of sync with the tables"
        assert h == self.grid.shape[0]
        assert int((c.state == ACTIVE).sum()) == self.n_active
