"""NGOs: paternalist (Beijing-style) and autonomy-fostering (Shenzhen-style) organisations, with a
zone, a kind and a capacity; they reach workers, may be closed, and paternalist ones may be
co-opted (awards), which protects them.

Chapter: NGOs "offer free conciliation with employers, but also facilitate migrants' access to
administrative arbitration and tribunals by giving procedural advice, helping build up a judicial
record"; "Beijing NGOs indeed admit that one of their aims is to prevent workers from taking to
the streets"; the Shenzhen organisation "spreads legal and job security information among workers
and encourages them to go to court and help one another by acting as legal representatives for
each other" (barefoot lawyers); "NGOs run by migrants, especially those with such an international
exposure, are politically very sensitive and are even more likely than other organisations to be
banned at any time"; "the state thus tries to prevent NGOs from growing more autonomous ... by
combining repression with cooptation" (awards in 2004 and 2005); "around twenty organisations made
up of migrant workers in the Pearl River Delta".

Their effects live where they act: awareness (information), conciliation, case building, fees,
court (claims), thresholds (mobilisation). This process opens, closes and co-opts NGOs and
decides whom they reach.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numba import njit, prange

from ..engine.calendar import MONTHLY
from ..engine.declare import Col, Flow
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.tables import Table
from ..engine.world import World
from ..population import codes as C

PARS = (
    Param("ngo_paternalist", 0.0, "NGOs per zone", "chapter: Beijing NGOs (Migrant Women's Club, "
          "Facilitator); none assumed in the PRD by default", "paternalist NGOs the zone can sustain", 0.0, 8.0),
    Param("ngo_autonomy", 0.0, "NGOs per zone", "chapter: ~20 migrant-run NGOs in the PRD by 2008 "
          "(events found them from 2003)", "autonomy-fostering NGOs the zone can sustain", 0.0, 8.0),
    Param("ngo_paternalist_scale", 1.0, "x", "experiment lever", "multiplies ngo_paternalist", 0.0, 10.0),
    Param("ngo_autonomy_scale", 1.0, "x", "experiment lever", "multiplies ngo_autonomy", 0.0, 10.0),
    Param("ngo_capacity", 5000.0, "workers/month", "assumption", "workers an NGO newly reaches per month", 0.0, 5000.0),
    Param("ngo_grievance_pull", 4.0, "x per unit", "chapter: 'Workers in Shenzhen generally join labour "
          "organisations because they are aggrieved'", "reach odds multiplied by (1 + this*grievance)", 0.0, 20.0),
    Param("ngo_close_paternalist", 0.004, "1/month", "chapter: insecure status; assumption", "monthly "
          "closure odds of a paternalist NGO", 0.0, 0.2),
    Param("ngo_close_autonomy", 0.02, "1/month", "chapter: 'more likely ... to be banned at any time'",
          "monthly closure odds of an autonomy-fostering NGO", 0.0, 0.3),
    Param("ngo_cooptation", 0.03, "1/month", "chapter: awards of 2004-2005", "monthly odds a paternalist "
          "NGO is co-opted", 0.0, 0.5),
    Param("cooptation_protection", 0.75, "share", "chapter: co-optation as 'token of obedience'",
          "cut in closure odds of a co-opted NGO", 0.0, 1.0),
    Param("ngo_founding", 0.1, "1/month", "assumption", "monthly odds a closed or missing NGO slot "
          "is (re)founded while the zone can sustain it", 0.0, 1.0),
    Param("barefoot_share", 0.05, "share", "chapter: 'a new breed of citizen agents ... barefoot lawyers'",
          "share of autonomy NGO contacts who become barefoot lawyers", 0.0, 1.0),
)
MAX_PER_KIND = 8  # NGO rows per zone and kind: the table's capacity (ngo_paternalist, ngo_autonomy <= 8)
NGO_LOG = {"day": "i4", "ngo": "i4", "zone": "i2", "kind": "i1", "event": "i1"}
NGO_EVENTS = ("founded", "closed", "coopted")
EVENT_FLOWS = ("ngo_foundings", "ngo_closures", "ngo_cooptations")  # by event code
S_LIFE, S_REACH, S_BARE = (stream_id(s) for s in ("ngo.life", "ngo.reach", "ngo.barefoot"))


def make_table(n_zones: int, columns: Mapping[str, Col], kernel_type: type) -> Table:
    t = Table("ngos", columns, n_zones * 2 * MAX_PER_KIND, kernel_type)
    t.zone[:] = np.repeat(np.arange(n_zones), 2 * MAX_PER_KIND)
    t.kind[:] = np.tile(np.repeat([1, 2], MAX_PER_KIND), n_zones)
    return t


@njit(cache=True)
def _odds(ng, capacity, real, p_pat, p_aut):
    """Each zone's odds that a worker is newly reached this month by a paternalist or an
    autonomy-fostering NGO: open NGOs x capacity / the region's workers in the zone."""
    p_pat[:] = 0.0
    p_aut[:] = 0.0
    for j in range(ng.zone.shape[0]):  # count the open NGOs of each kind per zone
        if ng.open[j] == 1:
            if ng.kind[j] == 1:
                p_pat[ng.zone[j]] += 1.0
            elif ng.kind[j] == 2:
                p_aut[ng.zone[j]] += 1.0
    for z in range(p_pat.shape[0]):
        p_pat[z] = p_pat[z] * capacity[z, 0] / real[z]
        p_aut[z] = p_aut[z] * capacity[z, 0] / real[z]


@njit(parallel=True, cache=True)
def _reach(seed, day, p, fm, wk, p_pat, p_aut, out):
    # arrays written in the prange loop are bound first, one a statement (engine.declare)
    w_ngo = wk.ngo
    w_flags = wk.flags
    o_contacts = out.ngo_contacts
    kr, kb = key(seed, S_REACH), key(seed, S_BARE)
    for f in prange(fm.zone.shape[0]):
        z, s = fm.zone[f], fm.sector[f]
        pp, pa = p_pat[z], p_aut[z]
        if pp <= 0.0 and pa <= 0.0:
            continue
        n = 0.0
        for i in range(fm.start[f], fm.end[f]):
            if w_ngo[i] != 0 or wk.status[i] == C.HOME:
                continue
            u = uniform(kr, day, i) / (1.0 + p.ngo_grievance_pull[z, s] * wk.griev[i])
            if u < pp:
                w_ngo[i] = 1
                n += 1.0
            elif u < pp + pa:
                w_ngo[i] = 2
                n += 1.0
                if uniform(kb, day, i) < p.barefoot_share[z, s]:
                    w_flags[i] |= C.BAREFOOT
        o_contacts[f] += n


class NGOs(Process):
    name = "ngos"
    cadence = MONTHLY
    cites = "Beijing paternalist NGOs vs the Shenzhen autonomy-fostering NGO; closures and co-optation"
    pars = PARS
    states = {"workers": (Col("ngo", "i1", "NGO contact: 0 none, 1 paternalist, 2 autonomy-fostering"),),
              "ngos": (Col("zone", "i2", "zone the NGO works in"),
                       Col("kind", "i1", "1 paternalist, 2 autonomy-fostering"),
                       Col("open", "i1", "open now"), Col("coopted", "i1", "co-opted (awards)"),
                       Col("founded", "i4", "day founded (-1 never)", fill=-1),
                       Col("closed", "i4", "day closed (-1 not closed)", fill=-1)),
              "zones": (Col("ngos_open", "f4", "NGOs open in the zone (their advocacy frees detained leaders)"),)}
    results = (Flow("ngo_contacts", "workers newly reached by an NGO", "workers per day"),
               Flow("ngo_closures", "NGOs closed", "NGOs per day"),
               Flow("ngo_cooptations", "NGOs co-opted", "NGOs per day"),
               Flow("ngo_foundings", "NGOs founded", "NGOs per day"))
    # it also writes workers.flags (barefoot lawyers)
    reads = ("workers.status", "workers.griev", "workers.flags")

    def setup(self, w: World) -> None:
        # real workers represented in each zone (agents x weights), at least one
        f = w.firms
        zone_real = np.bincount(f.zone, weights=(f.end - f.start) * f.weight.astype(np.float64),
                                minlength=w.zones.n)
        self.real = np.maximum(zone_real, 1.0)
        self.p_pat = np.zeros(w.zones.n)
        self.p_aut = np.zeros(w.zones.n)
        self.event_cols = [w.series.index[c] for c in EVENT_FLOWS]
        self.step(w, 0, opening=True)

    def step(self, w: World, day: int, opening: bool = False) -> None:
        p = self.p
        t = w.ngos
        ev: dict[str, list] = {c: [] for c in NGO_LOG}
        for j in range(t.n):  # a few dozen NGO rows: their lives are decided here, in order
            z, kind = int(t.zone[j]), int(t.kind[j])
            slot = j % MAX_PER_KIND
            if kind == 1:
                cap = p.ngo_paternalist[z, 0] * p.ngo_paternalist_scale[z, 0]
            else:
                cap = p.ngo_autonomy[z, 0] * p.ngo_autonomy_scale[z, 0]
            u = _scalar(w.seed, S_LIFE, day, 2 * j)
            if t.open[j]:
                close = (p.ngo_close_paternalist if kind == 1 else p.ngo_close_autonomy)[z, 0] \
                    * (1 - p.cooptation_protection[z, 0] * t.coopted[j])
                if slot >= cap or u < close:
                    t.open[j], t.closed[j] = 0, day
                    _log(ev, day, j, z, kind, 1)
                elif kind == 1 and not t.coopted[j] and \
                        _scalar(w.seed, S_LIFE, day, 2 * j + 1) < p.ngo_cooptation[z, 0]:
                    t.coopted[j] = 1
                    _log(ev, day, j, z, kind, 2)
            elif slot < cap and (opening or u < p.ngo_founding[z, 0]):
                t.open[j], t.coopted[j], t.founded[j], t.closed[j] = 1, 0, day, -1
                _log(ev, day, j, z, kind, 0)
        if ev["day"]:
            w.logs["ngos"].append({c: np.asarray(v) for c, v in ev.items()})
            w.zones.ngos_open[:] = 0.0
            np.add.at(w.zones.ngos_open, t.zone[t.open == 1].astype(np.int64), 1.0)
        _odds(t.cols, p.ngo_capacity, self.real, self.p_pat, self.p_aut)
        _reach(w.seed, day, p, w.firms.cols, w.workers.cols, self.p_pat, self.p_aut, self.flows())
        self.add_flows(w)
        city = w.zones.city
        for e_z, e_ev in zip(ev["zone"], ev["event"], strict=True):
            w.series.flows[city[e_z], self.event_cols[e_ev]] += 1.0


@njit(cache=True)
def _scalar(seed, stream, day, agent):
    return uniform(key(seed, stream), day, agent)


def _log(ev: dict[str, list], day: int, j: int, z: int, kind: int, code: int) -> None:
    ev["day"].append(day)
    ev["ngo"].append(j)
    ev["zone"].append(z)
    ev["kind"].append(kind)
    ev["event"].append(code)
