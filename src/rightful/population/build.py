"""Synthetic population: cities -> zones -> firms -> workers, with dormitory and hometown ties.

Why each choice (details and sources in docs/ODD.md):
- The region's firms are drawn per zone and sector with lognormal sizes until the zone's migrant
  workforce is filled (the 1:1 list); a run at ``scale`` simulates a systematic sample of that list
  (``sample_firms``), large firms over-sampled, each firm weighted by its inverse inclusion odds.
  Firms keep their real size at any scale, so a sampled factory of 3,000 strikes like one
  (explicit case-study firms carry weight 1).
- Workers of a firm are contiguous rows, so firm-level kernels walk one block each, in parallel.
- Hometown (laoxiang) ties cross firms: each firm recruits most workers from a few core
  hometowns (chain migration) and the rest from a region-wide Zipf distribution.
- Dormitories: large firms house workers in their own dormitory blocks; workers of small firms
  share zone dormitories (urban villages), so dormitory ties cross small firms.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..engine.declare import Col
from ..engine.params import ParamTable
from ..engine.rng import normals, uniforms
from ..engine.tables import Table
from ..scenarios.schema import Scenario
from . import codes as C


@dataclass
class Geography:
    cities: list[str]
    zones: list[str]
    zone_city: np.ndarray
    areas: list[str]
    zone_area: np.ndarray


def geography(sc: Scenario) -> Geography:
    cities, zones, zc, areas, za = [], [], [], [], []
    for ci, c in enumerate(sc.cities):
        cities.append(c.name)
        for z in c.zones:
            zones.append(z.name)
            zc.append(ci)
            if z.wage_area not in areas:
                areas.append(z.wage_area)
            za.append(areas.index(z.wage_area))
    return Geography(cities, zones, np.array(zc, np.int16), areas, np.array(za, np.int16))


def _firm_sizes(seed: int, tag: str, target: int, median: float, sigma: float, cap: int) -> list[int]:
    """Lognormal firm sizes whose sum just reaches ``target`` workers."""
    if target <= 0:
        return []
    mean = median * math.exp(sigma * sigma / 2)
    n = max(8, int(3 * target / max(mean, 1.0)) + 8)
    z = normals(seed, f"pop.size.{tag}", n)
    sizes = np.clip(np.round(median * np.exp(sigma * z)), 5, cap).astype(np.int64)
    cum = np.cumsum(sizes)
    k = int(np.searchsorted(cum, target)) + 1
    out = sizes[: min(k, n)].tolist()
    if cum[min(k, n) - 1] < target:  # extremely unlikely; pad with median firms
        out += [int(median)] * int((target - cum[min(k, n) - 1]) // median + 1)
    return out


def sample_firms(full: list[int], scale: float, oversample_from: int, seed: int,
                 tag: str) -> list[tuple[int, float]]:
    """A sample of a zone-sector's firms at ``scale``, as (size, weight) in the list's order.

    Why: a run at scale s must estimate the 1:1 region (docs/ODD.md 7.7). The region's own list of
    firms is drawn (the 1:1 list, the same at every scale) and a systematic sample taken from it
    sorted by size, so every realisation keeps the size distribution and the firm count; a firm of
    n workers is included with odds pi = min(1, s x sqrt(max(1, n / oversample_from))) (large firms
    over-sampled: strikes of over 1,000 workers and collective cases have a usable variance at small
    scales) and weighs 1/pi: Horvitz-Thompson totals, unbiased for the firms and the workers of the
    zone-sector at every scale; at scale 1 every firm, weight 1. (A ratio adjustment to
    the exact worker total would bias the firm count upwards at small scales: E[1/x] > 1/E[x].)"""
    if not full:
        return []
    n = np.asarray(full, dtype=np.float64)
    pi = np.minimum(1.0, scale * np.sqrt(np.maximum(1.0, n / max(oversample_from, 1))))
    order = np.argsort(n, kind="stable")
    cum = np.concatenate([[0.0], np.cumsum(pi[order])])
    u = float(uniforms(seed, f"pop.sample.{tag}", 1)[0])
    hit = np.diff(np.floor(cum - u)) > 0  # the points u, u + 1, u + 2, ... fall in one firm's span each
    chosen = np.sort(order[hit])
    if chosen.size == 0:
        return []
    return [(int(n[i]), float(1.0 / pi[i])) for i in chosen]


def build(sc: Scenario, scale: float, seed: int, params: ParamTable, columns: Mapping[str, Mapping[str, Col]],
          kernel_types: Mapping[str, type]) -> tuple[dict[str, Table], dict[str, int]]:
    """Build the agent tables for a scenario at a scale (1.0 = one agent per worker); also return
    the rows of the scenario's explicit firms by name. ``columns`` are every unit's declared columns
    by table, ``kernel_types`` their namedtuple types (processes.TABLES)."""
    geo = geography(sc)
    pop = sc.population
    zone_of = {z: i for i, z in enumerate(geo.zones)}
    sect = {s: i for i, s in enumerate(C.SECTORS)}

    # ---- firms: (zone, sector, size, weight, explicit spec or None) in zone order
    specs: list[tuple[int, int, int, float, object]] = []
    for c in sc.cities:
        for z in c.zones:
            zi = zone_of[z.name]
            if z.generate and z.workers > 0:
                shares = z.sector_shares or pop.sector_shares.model_dump()
                tot = sum(shares.values())
                zone_firms: list[tuple[int, int, int, float, object]] = []
                for s, share in shares.items():
                    si = sect[s]
                    full = _firm_sizes(seed, f"{z.name}.{s}", int(round(z.workers * share / tot)),
                                       getattr(pop.firm_size_median, s), getattr(pop.firm_size_sigma, s),
                                       pop.firm_size_max)
                    zone_firms += [(zi, si, n, w, None) for n, w in
                                   sample_firms(full, scale, pop.oversample_from, seed, f"{z.name}.{s}")]
                specs += zone_firms
            for f in sc.firms:
                if f.zone == z.name:
                    specs.append((zi, sect[f.sector], f.workers, 1.0, f))
    nf = len(specs)
    firms = Table("firms", columns["firms"], nf, kernel_types["firms"])
    sizes = np.array([s[2] for s in specs], dtype=np.int64)
    firms.zone[:] = [s[0] for s in specs]
    firms.city[:] = geo.zone_city[firms.zone]
    firms.sector[:] = [s[1] for s in specs]
    firms.weight[:] = [s[3] for s in specs]
    ends = np.cumsum(sizes)
    firms.end[:] = ends
    firms.start[:] = ends - sizes
    nw = int(ends[-1]) if nf else 0

    u = uniforms(seed, "pop.firm.own", nf)
    fshare = np.array([getattr(pop.foreign_share, s) for s in C.SECTORS])[firms.sector]
    sshare = np.array([getattr(pop.state_share, s) for s in C.SECTORS])[firms.sector]
    firms.own[:] = np.where(u < fshare, C.FOREIGN, np.where(u < fshare + sshare, C.STATE, C.DOMESTIC))
    mw0 = params["min_wage"][firms.zone, firms.sector].astype(np.float64)
    zb = normals(seed, "pop.firm.base", nf)
    firms.base[:] = np.maximum(0.3, pop.base_wage_ratio_mean + pop.base_wage_ratio_sd * zb) * mw0
    hrs = np.array([getattr(pop.hours_per_day, s) for s in C.SECTORS])[firms.sector]
    firms.hours[:] = np.clip(hrs + 1.0 * normals(seed, "pop.firm.hours", nf), 8.0, 15.0)
    dpw = np.array([getattr(pop.days_per_week, s) for s in C.SECTORS])[firms.sector]
    firms.dpw[:] = np.clip(dpw + 0.4 * normals(seed, "pop.firm.dpw", nf), 5.0, 7.0)
    legal_hourly = mw0 / 174.0
    firms.ot[:] = np.maximum(0.3, pop.ot_rate_ratio_mean + pop.ot_rate_ratio_sd
                             * normals(seed, "pop.firm.ot", nf)) * 1.5 * legal_hourly
    firms.comply[:] = uniforms(seed, "pop.firm.comply", nf)
    cash_u = uniforms(seed, "pop.firm.cash", nf)
    firms.cash[:] = np.where(firms.sector == C.CONSTRUCTION, 0.3 + 0.6 * cash_u, 0.6 + 0.4 * cash_u)
    firms.brand[:] = np.where(firms.own == C.FOREIGN, 0.2 + 0.6 * uniforms(seed, "pop.firm.brand", nf), 0.0)
    firms.union[:] = np.where(firms.own == C.STATE, C.U_BRIDGE, C.U_NONE)
    firms.payday[:] = 1 + (uniforms(seed, "pop.firm.payday", nf) * 28).astype(np.int64)
    explicit: dict[str, int] = {}
    for i, s in enumerate(specs):  # explicit firms (few) override the draws
        f = s[4]
        if f is not None:
            explicit[f.name] = i
            firms.own[i] = C.OWNERSHIPS.index(f.ownership)
            firms.base[i], firms.hours[i], firms.dpw[i] = f.base_wage, f.hours_per_day, f.days_per_week
            firms.ot[i], firms.comply[i], firms.cash[i], firms.brand[i] = f.ot_rate, f.comply, f.cash, f.brand
            firms.union[i] = C.UNIONS.index(f.union)
    firms.base_old[:] = firms.base
    firms.ot_old[:] = firms.ot
    firms.hours_old[:] = firms.hours
    firms.headcount[:] = sizes

    # ---- workers, built in chunks of rows so that temporaries stay small at scale 1.0 (the draws
    # are functions of the row, so chunking does not change them)
    workers = Table("workers", columns["workers"], nw, kernel_types["workers"])
    H = pop.hometowns
    ranks = np.arange(1, H + 1, dtype=np.float64)
    zipf = np.cumsum(1.0 / ranks)
    zipf /= zipf[-1]
    core_n = np.array([getattr(s[4], "core_hometowns", pop.core_hometowns_per_firm) if s[4] else
                       pop.core_hometowns_per_firm for s in specs])
    kmax = int(core_n.max()) if nf else 1
    core = np.searchsorted(zipf, uniforms(seed, "pop.firm.core", nf * kmax)).reshape(nf, kmax)
    # dormitories: own blocks for large firms, shared zone blocks (urban villages) for small ones
    big = sizes >= pop.shared_dorm_below
    blocks = np.where(big, (sizes + pop.dorm_size - 1) // pop.dorm_size, 0)
    firm_dorm_base = np.concatenate([[0], np.cumsum(blocks)[:-1]]).astype(np.int64)
    next_id = int(blocks.sum())
    small_sizes = np.where(big, 0, sizes)
    small_offset = np.zeros(nf, dtype=np.int64)  # a small firm's first row among its zone's small-firm rows
    zone_small = np.zeros(len(geo.zones), dtype=np.int64)
    for f in range(nf):  # firms, not workers
        zf = int(firms.zone[f])
        small_offset[f] = zone_small[zf]
        zone_small[zf] += small_sizes[f]
    zone_base = next_id + np.concatenate([[0], np.cumsum((zone_small + pop.dorm_size - 1) // pop.dorm_size)[:-1]])
    chunk = 1 << 18  # rows: the chunk's temporaries stay near 1 byte per worker at scale 1.0
    for a in range(0, nw, chunk):
        b = min(nw, a + chunk)
        workers.firm[a:b] = np.searchsorted(ends, np.arange(a, b), side="right")
        fid = workers.firm[a:b]
        n = b - a
        uw = uniforms(seed, "pop.worker.home", n, offset=a)
        pick = (uniforms(seed, "pop.worker.homepick", n, offset=a) * core_n[fid]).astype(np.int64)
        glob = np.searchsorted(zipf, uniforms(seed, "pop.worker.homeglob", n, offset=a))
        workers.home[a:b] = np.minimum(np.where(uw < pop.core_hometown_share, core[fid, pick], glob), H - 1)
        pos = np.arange(a, b) - firms.start[fid]
        own = big[fid]
        workers.dorm[a:b] = np.where(own, firm_dorm_base[fid] + pos // pop.dorm_size,
                                     zone_base[firms.zone[fid]] + (small_offset[fid] + pos) // pop.dorm_size)
        init_worker_attributes(workers, firms, params, seed, np.arange(a, b), day=0)
    workers.status[:] = C.WORKING

    zones = Table("zones", columns["zones"], len(geo.zones), kernel_types["zones"])
    zones.city[:] = geo.zone_city
    zones.area[:] = geo.zone_area
    return {"workers": workers, "firms": firms, "zones": zones}, explicit


def init_worker_attributes(workers: Table, firms: Table, params: ParamTable, seed: int,
                           rows: np.ndarray, day: int) -> None:
    """Draw the attributes of newly arrived migrants (at start, and in Python-side setup only;
    the daily refill of vacancies does the same inside the labour-market kernel)."""
    f = workers.firm[rows]
    z, s = firms.zone[f], firms.sector[f]
    n = len(rows)
    off = int(rows[0]) if n else 0  # rows are a contiguous range: draws are functions of the row
    g = lambda name: params[name][z, s]  # noqa: E731
    aw = g("aware_init") + g("aware_sd") * normals(seed, "pop.worker.aware", n, day, off)
    workers.aware[rows] = np.clip(aw, 0.0, 1.0)
    workers.trust_c[rows] = np.minimum(1.0, g("trust_central_init") * g("legitimacy"))  # as a newcomer's
    workers.trust_l[rows] = g("trust_local_init")
    th = g("threshold_mean") + g("threshold_sd") * normals(seed, "pop.worker.thresh", n, day, off)
    workers.thresh[rows] = np.maximum(g("threshold_floor"), th)
    u = uniforms(seed, "pop.worker.flags", n, day, off)
    u2 = uniforms(seed, "pop.worker.flags2", n, day, off)
    flags = np.zeros(n, dtype=np.uint8)
    flags |= np.where(u < g("organiser_share"), C.ORGANISER, 0).astype(np.uint8)
    flags |= np.where(u2 < g("contract_share"), C.CONTRACT, 0).astype(np.uint8)
    flags |= np.where(uniforms(seed, "pop.worker.ins", n, day, off) < g("insured_share"), C.INSURED, 0).astype(np.uint8)
    workers.flags[rows] = flags
    workers.arrears[rows] = 0.0
    workers.griev[rows] = 0.0
    workers.gap[rows] = 0.0
    workers.wage[rows] = firms.base[f]
    workers.claim[rows] = C.C_NONE
    workers.since[rows] = day
