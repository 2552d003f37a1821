"""The web laboratory in a real browser (Debian's Chromium driven by Playwright), offline.

The server is `rightful serve` on a free loopback port; every request the page makes must go to
it (anything else is refused and fails the test). The page launches a small run, follows its
progress over server-sent events to the end, and must then show that run's numbers (compared
with its Parquet files); then it compares two scenarios over seeds. A screenshot of the run's
page is saved (set RIGHTFUL_SCREENSHOT=docs/img/web.png to refresh the README's).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install -e '.[web]')")
if os.environ.get("CI"):  # in CI a missing browser stack is an error, never a skip
    import playwright.sync_api  # noqa: F401
else:
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from rightful.ensemble.outcomes import compute  # noqa: E402

from .web_support import ROOT, chromium, monthly, serve  # noqa: E402

UNTIL = "2005-06-30"  # 30 months at scale 0.001: a few strikes, a couple of seconds once compiled
SLOW = 300_000  # ms: the first run of a fresh checkout compiles the kernels


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    out = tmp_path_factory.mktemp("web-browser") / "runs"
    with serve(out, "--max-jobs", "1", "--threads", "1", "--max-scale", "0.01", "--max-seeds", "4") as (url, _):
        yield url, out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    exe = chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser, server: tuple[str, Path]) -> Iterator[Page]:
    ctx = browser.new_context(viewport={"width": 1360, "height": 900}, device_scale_factor=1)
    pg = ctx.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def guard(route, request) -> None:  # noqa: ANN001 - Playwright's callback types
        if request.url.startswith(server[0]):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    pg.route("**/*", guard)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()
    assert not outside, f"the page reached outside the server: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")


def _num(text: str) -> float:
    return float(re.sub(r"[^\d.\-]", "", text.replace("−", "-")))


def test_run_from_the_page_and_see_its_numbers(page: Page, server: tuple[str, Path], tmp_path: Path) -> None:
    url, out = server
    _open(page, url + "/#/new")
    page.select_option("[data-testid=scenario]", "prd-2003-2010")
    page.fill("[data-testid=scale]", "0.001")
    page.fill("[data-testid=until]", UNTIL)
    page.fill("[data-lever=repression] input[type=number]", "0.3")
    expect(page.locator("[data-lever=repression]")).to_have_class(re.compile("changed"))
    page.click("[data-testid=start]")
    expect(page.locator("[data-testid=job-status]")).to_be_visible()
    page.wait_for_url(re.compile(r"#/run/r[0-9a-f]+$"), timeout=SLOW)
    log = page.evaluate("window.lab.progressLog")
    assert log[-1]["status"] == "done" and log[-1]["fraction"] == 1
    assert any(e["status"] in ("queued", "running") for e in log), log  # progress was followed
    rid = page.url.rsplit("/", 1)[-1]
    run = out / rid
    meta = json.loads((run / "run.json").read_text())
    assert meta["overrides"] == {"repression": 0.3} and meta["scale"] == 0.001 and meta["until"] == UNTIL

    # the chart shows this run's monthly numbers, by city and in total
    page.wait_for_selector("[data-testid=chart] canvas")
    expect(page.locator("#run-title")).to_contain_text("prd-2003-2010")
    months, by_city, total = monthly(run, "strikes_started")
    chart = page.evaluate("window.lab.chartData")
    assert chart["run_id"] == rid and chart["series"] == "strikes_started" and chart["dates"] == months
    np.testing.assert_allclose(chart["lines"]["total"], total, rtol=1e-9)
    for c, v in by_city.items():
        np.testing.assert_allclose(chart["lines"][c], v, rtol=1e-9)
    # ... and so do the figures and the table of the chart's numbers, rounded as counts
    fig = page.locator("[data-key=strikes_started] .value").inner_text()
    assert _num(fig) == round(total.sum())
    page.click("text=The numbers in the chart")
    last_row = page.locator("[data-testid=chart-table] tbody tr").last
    assert _num(last_row.locator("td").last.inner_text()) == round(total[-1])

    # another series, by the menu
    page.select_option("[data-testid=series]", "complaints")
    page.wait_for_function("window.lab.chartData.series === 'complaints'")
    _, _, comp = monthly(run, "complaints")
    np.testing.assert_allclose(page.evaluate("window.lab.chartData.lines.total"), comp, rtol=1e-9)

    # the strikes table is the run's strike log
    import pyarrow.parquet as pq

    strikes = pq.read_table(run / "strikes.parquet").to_pylist()
    expect(page.locator("[data-testid=strikes-count]")).to_have_attribute("data-total", str(len(strikes)))
    rows = page.locator("[data-testid=strikes] tbody tr")
    assert rows.count() == min(50, len(strikes))
    if strikes:
        first = min(strikes, key=lambda r: (str(r["start"]), r["strike"]))
        assert rows.first.locator("td").first.inner_text() == str(first["start"])
        page.click("[data-testid=strikes] th:has-text('peak (simulated)')")
        page.click("[data-testid=strikes] th:has-text('peak (simulated)')")  # descending
        expect(rows.first.locator("td").nth(5)).to_have_text(f"{round(max(r['peak_size'] for r in strikes)):,}")
    # claims funnel and zones
    complaints = page.locator("[data-testid=funnel] [data-stage=complaints] .funnel-value").inner_text()
    assert _num(complaints) == round(comp.sum())
    assert page.locator("[data-testid=zones] tbody tr").count() == len(meta["zones"])

    page.locator("[data-testid=strikes]").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(tmp_path / "web.png"), full_page=True)
    target = os.environ.get("RIGHTFUL_SCREENSHOT")
    if target:  # the README's picture: the figures, the chart, the claims and the zones
        page.click("text=The numbers in the chart")  # folded again
        page.wait_for_timeout(300)
        page.screenshot(path=str(ROOT / target), full_page=True, clip={"x": 0, "y": 0, "width": 1360, "height": 1130})


def test_compare_two_scenarios_over_seeds(page: Page, server: tuple[str, Path], tmp_path: Path) -> None:
    url, out = server
    _open(page, url + "/#/compare")
    for name in ("prd-2003-2010", "media-open"):
        page.check(f"[data-testid=cmp-scenarios] input[value='{name}']")
    page.fill("[data-testid=cmp-seeds]", "2")
    page.fill("[data-testid=cmp-scale]", "0.001")
    page.fill("[data-testid=cmp-until]", UNTIL)
    page.click("[data-testid=cmp-start]")
    page.wait_for_url(re.compile(r"#/compare\?runs="), timeout=SLOW)
    page.wait_for_selector("[data-testid=cmp-chart] canvas")
    page.wait_for_selector("[data-testid=cmp-table] tbody tr")
    bands = page.evaluate("window.lab.bandData")
    assert [g["scenario"] for g in bands["groups"]] == ["prd-2003-2010", "media-open"]
    assert all(g["seeds"] == [1, 2] for g in bands["groups"])  # the same seeds: common random numbers
    for g in bands["groups"]:
        per_run = np.array([monthly(out / r, "strikes_started")[2] for r in g["runs"]])
        np.testing.assert_allclose(g["median"], np.median(per_run, axis=0), rtol=1e-9)
    # the outcome table shows each scenario's median over its seeds, side by side
    row = page.locator("[data-testid=cmp-table] tbody tr").filter(has_text="arbitration cases filed")
    for i, g in enumerate(bands["groups"]):
        med = np.median([compute(out / r, ["arb_filed"])["arb_filed"] for r in g["runs"]])
        cell = row.locator("td").nth(1 + i).inner_text()
        assert _num(cell.split("(")[0]) == round(med)
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)


def test_errors_are_shown_in_words_and_the_catalog_opens_runs(page: Page, server: tuple[str, Path]) -> None:
    url, out = server
    _open(page, url + "/#/new")
    page.fill("[data-testid=scale]", "0.5")
    page.click("[data-testid=start]")
    expect(page.locator("#error")).to_contain_text("above this server's ceiling of 0.01")
    page.fill("[data-testid=scale]", "0.001")
    page.fill("[data-lever=repression] input[type=number]", "7")
    expect(page.locator("[data-lever=repression] input[type=number]")).to_have_class(re.compile("invalid"))
    page.click("[data-testid=start]")
    expect(page.locator("#error")).to_contain_text("outside its declared range 0 to 1")
    _open(page, url + "/#/run/r0123456789ab")
    expect(page.locator("#error")).to_contain_text("no run r0123456789ab")

    _open(page, url + "/#/catalog")
    rows = page.locator("[data-testid=catalog] tbody tr")
    expect(rows.first).to_be_visible()
    ids = sorted(p.name for p in out.iterdir() if (p / "run.json").is_file())
    assert rows.count() == len(ids) >= 1
    rows.nth(1).locator("td").nth(3).click()
    page.wait_for_url(re.compile(r"#/run/r[0-9a-f]+$"))
    page.wait_for_selector("[data-testid=chart] canvas")
    assert page.url.rsplit("/", 1)[-1] in ids
