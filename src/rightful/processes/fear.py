"""Fear after repression: how a repressed strike frightens its city and its own district (a kernel
helper of ``strikes``; ``mobilisation`` and ``strikes`` read ``zones.fear``).

Chapter: "in the past, local governments had adopted a harsh approach towards labour protests, often
detaining their leaders". The police are the city's, so the news of a strike broken up in one
district reaches workers across the city (``fear_city``, docs/ODD.md 7.7, a stated assumption).

Why city-wide (issue 11): fear raises every threshold and strike odds are steep in it, so its noise
biases the mean (Jensen). At scale s a district has about s times the sampled strikes of the
region, each weighing 1/s: at 0.003 a few a year, and a district's fear jumps with each. Fear that
is the city's is fed by the strikes of two or three districts, so it is smoother at every scale;
``benchmarks/convergence.py`` measures what is left.
"""

from __future__ import annotations

from numba import njit


@njit(cache=True, inline="always")
def add(z, s, x, p, zn):
    """Add the fear of ``x`` region workers' worth of repression (already weighted by the firm's
    weight): the share ``fear_city`` over the workers of the zone's city, the rest over the zone's."""
    c = zn.city[z]
    cw = 0.0
    for zz in range(zn.city.shape[0]):
        if zn.city[zz] == c:
            cw += zn.workers[zz, 0] + zn.workers[zz, 1] + zn.workers[zz, 2]
    zw = zn.workers[z, 0] + zn.workers[z, 1] + zn.workers[z, 2]
    k = p.fear_city[z, s]
    wide = x * k / max(cw, 1.0)
    if wide > 0.0:
        for zz in range(zn.city.shape[0]):
            if zn.city[zz] == c:
                zn.fear[zz] += wide
    zn.fear[z] += x * (1.0 - k) / max(zw, 1.0)
