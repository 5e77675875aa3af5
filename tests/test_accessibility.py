"""Accessibility of the pages, checked in headless Chromium with axe-core (from the npm registry, a devDependency
pinned in package-lock.json): the WCAG 2.1 A and AA rules, contrast included, on every kind of page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spacegraph.settings import PROJECT_ROOT

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts"
PAGES = [
    "/",
    "/id/person/jeffrey-manber",
    "/id/event/2020-second-sino-u-s-space-commercialization-workshop",
    "/id/org/china-rocket-co-ltd",
    "/id/topic/space-commercialization",
    "/side/china",
    "/country/CN",
    "/search?q=wang",
    "/path?a=Jeffrey+Manber&b=Blaine+Curcio",
    "/plan?draft=1&slots=6&balance_sides=on",
    "/queries",
    "/queries/fuzhou-2020-speakers",
    "/id/series/u-s-china-space-commercialization-dialogue-sino-u-s-space-commercialization-workshops-and-space-high-"
    "end-dialogue-series",
    "/network",
    "/id/person/nobody-here",
    "/analysis/rank",
    "/analysis/bridges",
    "/analysis/communities",
    "/analysis/continuity",
    "/?editions.year=2021",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_wcag_a_or_aa_violations(browser, live_server, path):
    assert AXE.exists(), "axe-core is missing: run `npm ci`"
    # bypass_csp: axe is added as an inline script, which the site's Content-Security-Policy forbids
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page.goto(live_server + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa']}})"
    )
    violations = [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    if violations:
        ARTIFACTS.mkdir(exist_ok=True)
        name = path.strip("/").replace("/", "-").split("?")[0] or "home"
        (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    assert violations == [], json.dumps(violations, indent=2)
    page.close()
