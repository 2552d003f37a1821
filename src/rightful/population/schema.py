"""Column schemas of the agent tables (dtypes chosen to keep a worker under 64 bytes)."""

WORKER = {
    "firm": "i4", "home": "i2", "dorm": "i4", "status": "i1", "flags": "u1", "claim": "i1",
    "wage": "f4",  # total pay received on the last pay day (yuan/month)
    "gap": "f4",  # (legal entitlement - pay) / entitlement on the last pay day
    "arrears": "f4",  # wages owed to this worker (yuan)
    "aware": "f4",  # knowledge of current legal entitlements, 0..1
    "trust_c": "f4", "trust_l": "f4",  # trust in the central and in the local state, 0..1
    "griev": "f4",  # grievance, 0..~2
    "thresh": "f4",  # mobilisation threshold (risk aversion folded in)
    "claim_amt": "f4",  # amount claimed in the current claim (yuan)
    "claim_day": "i2",  # day the current claim stage resolves
    "claim_start": "i2",  # day the current claim began (filing limits run from here)
    "since": "i2",  # day the current status began
    "ngo": "i1",  # NGO contact: 0 none, 1 paternalist, 2 autonomy-fostering
}

FIRM = {
    "zone": "i2", "city": "i1", "sector": "i1", "own": "i1", "union": "i1", "payday": "i1",
    "start": "i4", "end": "i4", "weight": "f4",
    "base": "f4", "base_old": "f4", "ot": "f4", "ot_old": "f4", "hours": "f4", "hours_old": "f4",
    "dpw": "f4", "comply": "f4", "cash": "f4", "brand": "f4",
    "trig": "f4",  # mobilisation trigger intensity (decays)
    "attention": "f4",  # media spotlight on the firm (decays)
    "rejected": "f4",  # recent rejected complaints (decays)
    "gains_day": "i4",  # day the last won gains took effect (-1 none)
    "fire_day": "i4",  # day leaders are to be fired (-1 none)
    "cool_until": "i4",  # Shenzhen cooling order: management may not escalate until then
    "headcount": "i4",
    "aware": "f4",  # mean awareness of the firm's workers (information)
    "home_sig": "f4",  # mean hometown success signal of the firm's workers (mobilisation, weekly)
    "last_end": "i4",  # day the firm's last strike ended (-1 none)
    # the firm's active strike (at most one at a time)
    "s_start": "i4", "s_size": "f4", "s_peak": "f4", "s_esc": "i1", "s_cov": "i1",
    "s_off": "i1", "s_mgmt": "i1", "s_out": "i1", "s_end": "i1", "s_cause": "i1",
    "s_base0": "f4", "s_ot0": "f4", "s_ignored": "i2",
}

FIRM_FILL = {"last_end": -100000, "gains_day": -1, "fire_day": -1, "cool_until": -1, "s_start": -1}

ZONE = {
    "city": "i1", "area": "i1", "news": "f4", "aware": "f4", "fear": "f4",
    "agents": "i4",
    "arb_tail": "f8", "court_tail": "f8",
}

STRIKE_LOG = {
    "strike": "i4", "firm": "i4", "zone": "i2", "city": "i1", "start": "i4", "end": "i4",
    "peak": "f4", "workers_weighted": "f4", "escalated": "i1", "covered": "i1", "official": "i1",
    "management": "i1", "outcome": "i1", "wage_change": "f4", "ot_change": "f4", "cause": "i1", "weight": "f4",
}

# strike causes (what lit it)
CAUSES = ("grievance", "wage_news", "arrears_new_year", "rejected_complaints", "contagion")
