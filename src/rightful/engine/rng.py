"""Counter-based random numbers: a draw is a pure function of (seed, stream, day, agent).

Why: common random numbers. Every random decision of the model has its own stream id, so a
policy run and its baseline see the same draw for the same (decision, day, agent) and differ only
downstream of the policy. Because no generator state is carried between draws, results do not
depend on the order agents are visited, hence not on the number of threads either.

The hash is SplitMix64's finaliser applied three times (seed+stream, day, agent); it passes
BigCrush as a counter-based generator when keyed this way (Steele et al. 2014). All arithmetic is
on uint64 so Numba never silently promotes to float.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0  # 2**-53


@njit(inline="always", cache=True)
def _mix(z: np.uint64) -> np.uint64:
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(inline="always", cache=True)
def key(seed: int, stream: int) -> np.uint64:
    """Key of one decision stream for one run; compute once per kernel call."""
    return _mix(np.uint64(seed) * _GOLDEN + np.uint64(stream) + np.uint64(1))


@njit(inline="always", cache=True)
def uniform(k: np.uint64, day: int, agent: int) -> float:
    """U[0,1) draw for (stream key, day, agent)."""
    h = _mix(k ^ (np.uint64(day) * _GOLDEN))
    h = _mix(h + np.uint64(agent) * _M1 + np.uint64(0x632BE59BD9B4E019))
    return float(h >> _S11) * _INV53


@njit(inline="always", cache=True)
def normal(k: np.uint64, day: int, agent: int) -> float:
    """Standard normal draw (Box-Muller on two counter draws)."""
    u1 = uniform(k, day, 2 * agent)
    u2 = uniform(k, day, 2 * agent + 1)
    if u1 < 1e-300:
        u1 = 1e-300
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(6.283185307179586 * u2)


def stream_id(name: str) -> int:
    """Stable stream id from a decision's name (FNV-1a 32-bit), so ids never shift when
    decisions are added elsewhere."""
    h = 0x811C9DC5
    for b in name.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


@njit(cache=True)
def _fill_uniform(seed: int, stream: int, day: int, offset: int, out: np.ndarray) -> None:
    k = key(seed, stream)
    for i in range(out.shape[0]):
        out[i] = uniform(k, day, offset + i)


def uniforms(seed: int, name: str, n: int, day: int = 0, offset: int = 0) -> np.ndarray:
    """Vector of n draws for agents offset..offset+n-1 (used when building populations, in chunks
    that give the same draws as one call)."""
    out = np.empty(n, dtype=np.float64)
    _fill_uniform(seed, stream_id(name), day, offset, out)
    return out


@njit(cache=True)
def _fill_normal(seed: int, stream: int, day: int, offset: int, out: np.ndarray) -> None:
    k = key(seed, stream)
    for i in range(out.shape[0]):
        out[i] = normal(k, day, offset + i)


def normals(seed: int, name: str, n: int, day: int = 0, offset: int = 0) -> np.ndarray:
    out = np.empty(n, dtype=np.float64)
    _fill_normal(seed, stream_id(name), day, offset, out)
    return out
