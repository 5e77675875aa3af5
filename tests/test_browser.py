"""In headless Chromium: the SPARQL editor (YASGUI from the npm registry, served by the app) runs a query."""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).parent / "artifacts"


def test_the_editor_runs_an_example_query(browser, live_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server + "/sparql")
    page.get_by_role("button", name="Who spoke at the 2020 Fuzhou workshop").click()
    page.locator(".yasqe_queryButton").click()
    page.get_by_text("9 results").wait_for(timeout=15_000)
    table = page.locator(".yasr table").inner_text()
    assert "ZHANG Dong" in table and "China Rocket Co., Ltd." in table
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sparql-editor.png"), full_page=True)
    assert errors == []
    page.close()


def test_home_page_on_a_phone(browser, live_server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(live_server + "/")
    assert page.get_by_role("table").is_visible()
    assert page.locator("body").evaluate("b => b.scrollWidth <= window.innerWidth + 1")  # nothing runs off screen
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-phone.png"), full_page=True)
    page.close()
