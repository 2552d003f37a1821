"""Fear after repression: how a repressed strike frightens the region, its city and its own district
(a kernel helper of ``strikes``; ``mobilisation`` and ``strikes`` read ``zones.fear``).

Chapter: "in the past, local governments had adopted a harsh approach towards labour protests, often
detaining their leaders". The police are the city's, so the news of a strike broken up in one
district reaches workers across the city (``fear_city``, docs/ODD.md 7.7, a stated assumption).

Why city-wide (issue 11): fear raises every threshold and strike odds are steep in it, so its noise
biases the mean (Jensen). At scale s a district has about s times the sampled strikes of the
region, each weighing 1/s: at 0.003 a few a year, and a district's fear jumps with each. Fear that
is the city's is fed by the strikes of two or three districts, so it is smoother at every scale;
``benchmarks/convergence.py`` measures what is left.

With the city's fear a run at 0.01 still had 9% more strikers than 1:1. A probe on common seeds
(stop 22: strikers 2003-2008, 12 seeds at 0.003 over 4 at 0.03) found the rest in fear too: 1.11-1.14
with the city's fear, whether contagion, hometown news or the zone's deterrence after fines were on or
off; 1.03 with fear pooled over the region, 1.02 with half of it (``fear_region`` = 0.5, docs/ODD.md
7.7 point 4, a stated assumption). It is 0 by default until the model is re-calibrated with it: at 0.5
three stylised-fact tests failed, and strikers at 0.01 were still 7.7% above 1:1.
"""

from __future__ import annotations

from numba import njit


@njit(cache=True, inline="always")
def add(z, s, x, p, zn):
    """Add the fear of ``x`` region workers' worth of repression (already weighted by the firm's
    weight): the share ``fear_region`` over the region's workers, of the rest the share ``fear_city``
    over the workers of the zone's city, the remainder over the zone's."""
    spread(zn.fear, z, x, p.fear_city[z, s], p.fear_region[z, s], zn)


@njit(cache=True, inline="always")
def spread(arr, z, x, k, r, zn):
    """Add ``x`` region workers' worth to the per-zone state ``arr`` as a share of workers: the share
    ``r`` over the whole region's workers, of the rest the share ``k`` over the workers of zone
    ``z``'s city (every zone of the city gets the same), the remainder over the zone's own workers."""
    c = zn.city[z]
    cw = 0.0
    rw = 0.0
    for zz in range(zn.city.shape[0]):
        t = zn.workers[zz, 0] + zn.workers[zz, 1] + zn.workers[zz, 2]
        rw += t
        if zn.city[zz] == c:
            cw += t
    zw = zn.workers[z, 0] + zn.workers[z, 1] + zn.workers[z, 2]
    reg = x * r / max(rw, 1.0)
    wide = x * (1.0 - r) * k / max(cw, 1.0)
    for zz in range(zn.city.shape[0]):
        if zn.city[zz] == c:
            arr[zz] += wide + reg
        elif reg > 0.0:
            arr[zz] += reg
    arr[z] += x * (1.0 - r) * (1.0 - k) / max(zw, 1.0)
