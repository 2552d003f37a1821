"""The population's own columns of the agent tables, and the strike log's schema."""

from ..engine.declare import Col

# Columns the population builder owns (each process declares its own: engine.declare). dtypes
# are chosen to keep a worker under 64 bytes at one agent per worker.
STATES: dict[str, tuple[Col, ...]] = {
    "workers": (
        Col("firm", "i4", "the firm whose job slot this row is"),
        Col("home", "i2", "hometown (laoxiang ties across firms)"),
        Col("dorm", "i4", "dormitory block"),
        Col("flags", "u1", "bits: contract, insured, injured, organiser, barefoot lawyer, NGO contact, union, leader"),
    ),
    "firms": (
        Col("zone", "i2", "zone"), Col("city", "i1", "city"), Col("sector", "i1", "sector"),
        Col("own", "i1", "ownership: domestic private, state, foreign-invested"),
        Col("payday", "i1", "day of the month wages are paid"),
        Col("start", "i4", "first worker row"), Col("end", "i4", "one past the last worker row"),
        Col("weight", "f4", "firms of the region this sampled firm stands for"),
        Col("base", "f4", "monthly base wage (yuan)"), Col("ot", "f4", "overtime pay (yuan/hour)"),
        Col("hours", "f4", "hours a day"), Col("dpw", "f4", "days a week"),
        Col("comply", "f4", "propensity to comply with the law, 0..1"),
        Col("cash", "f4", "ability to pay, 0..1"), Col("brand", "f4", "exposure to brand codes of conduct, 0..1"),
    ),
    "zones": (
        Col("city", "i1", "city"), Col("area", "i1", "wage area"),
        Col("workers", "f8", "the region's workers by firm ownership (weighted)", shape=(3,)),
    ),
    "hometowns": (
        Col("workers", "f8", "the region's workers of each (city, hometown) (weighted)"),
    ),
}

STRIKE_LOG = {
    "strike": "i4", "firm": "i4", "zone": "i2", "city": "i1", "start": "i4", "end": "i4",
    "peak": "f4", "workers_weighted": "f4", "escalated": "i1", "covered": "i1", "press": "i1", "organised": "i1",
    "official": "i1",
    "management": "i1", "outcome": "i1", "wage_change": "f4", "ot_change": "f4", "cause": "i1", "weight": "f4",
}

# strike causes (what lit it)
CAUSES = ("grievance", "wage_news", "arrears_new_year", "rejected_complaints", "contagion")
