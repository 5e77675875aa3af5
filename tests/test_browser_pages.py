"""Entity pages in headless Chromium: from a person's page on to a path, by keyboard too, on a laptop and a phone."""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).parent / "artifacts"
MANBER = "/id/person/jeffrey-manber"


def _page(browser, width: int = 1280, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def test_from_a_person_page_on_to_a_path(browser, live_server):
    page, errors = _page(browser)
    page.goto(live_server + MANBER)
    assert page.get_by_role("heading", level=1).inner_text() == "Jeffrey Manber"
    co_speakers = page.get_by_role("region", name="Who this person spoke with", exact=True)
    assert "WANG Yiran" in co_speakers.inner_text()
    page.get_by_label("How is Jeffrey Manber connected to").fill("Blaine Curcio")
    page.get_by_role("button", name="Find the path").click()
    page.wait_for_url("**/path?**")
    assert page.get_by_role("heading", level=1).inner_text() == "From Jeffrey Manber to Blaine Curcio"
    connections = page.locator("section.path")
    assert connections.count() == 2
    text = page.locator("main").inner_text()
    assert "Ian Christensen" in text and "WANG Yiran" in text and "Second Sino-U.S. Space Commercialization" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "path-manber-curcio.png"), full_page=True)
    # on to the event of the first hop, and its programme
    connections.first.get_by_role("link", name="Second Sino-U.S. Space Commercialization Workshop").first.click()
    page.wait_for_url("**/id/event/2020-second-sino-u-s-space-commercialization-workshop")
    assert "ZHANG Dong" in page.get_by_role("region", name="Programme", exact=True).inner_text()
    page.screenshot(path=str(ARTIFACTS / "edition-fuzhou.png"), full_page=True)
    assert errors == []
    page.close()


def test_search_and_follow_a_result_with_the_keyboard_only(browser, live_server):
    page, errors = _page(browser)
    page.goto(live_server + "/")
    for _ in range(40):  # Tab until the search field has the focus: every control is reachable by keyboard
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("manber")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=manber")
    page.keyboard.press("Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.getAttribute('href')") == MANBER:
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + MANBER)
    assert errors == []
    page.close()


def test_unknown_person_gets_a_page_with_suggestions(browser, live_server):
    page, _ = _page(browser)
    response = page.goto(live_server + "/id/person/jefrey-manber")
    assert response is not None and response.status == 404
    page.get_by_role("link", name="Jeffrey Manber").click()
    page.wait_for_url("**" + MANBER)
    page.close()


def test_person_and_edition_pages_on_a_phone(browser, live_server):
    page, errors = _page(browser, 390, 844)
    for path, name in [(MANBER, "person-phone"), ("/id/event/2020-second-sino-u-s-space-commercialization-workshop",
                                                   "edition-phone")]:  # fmt: skip
        page.goto(live_server + path)
        # tables become stacked cards: nothing runs off the screen
        assert page.locator("body").evaluate("b => b.scrollWidth <= window.innerWidth + 1")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert errors == []
    page.close()


def test_drafting_a_programme_on_the_planning_page(browser, live_server):
    page, errors = _page(browser)
    page.goto(live_server + "/plan")
    assert page.get_by_role("region", name="Table: topics by edition").is_visible()
    page.get_by_label("For the topic").select_option(label="space tourism")
    page.get_by_role("button", name="Rank").click()
    page.wait_for_url("**/plan?topic=**")
    assert "spoke on this topic (space tourism)" in page.locator("ol.candidates").inner_text()
    page.get_by_label("Slots").fill("6")
    page.get_by_label("Balance the U.S. and Chinese sides").check()
    page.get_by_role("button", name="Draft the programme").click()
    page.wait_for_url("**draft=1**")
    draft = page.get_by_role("region", name="Table: draft programme")
    assert draft.locator("tbody tr").count() == 6
    assert "6 slots: 3 U.S., 3 China" in page.locator("#draft-h + form + p, #draft-h ~ p").all_inner_texts()[-1]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-draft.png"), full_page=True)
    page.get_by_label("Slots").fill("40")
    page.get_by_role("button", name="Draft the programme").click()
    page.wait_for_url("**slots=40**")
    assert "Cannot plan this: slots: 40 slots" in page.get_by_role("alert").inner_text()
    assert errors == []
    page.close()


EVERY_KIND = [  # one page of each kind the site has (issue 17: none wider than a phone's 390 px screen)
    "/", MANBER, "/id/event/2020-second-sino-u-s-space-commercialization-workshop", "/id/org/nanoracks",
    "/id/topic/space-tourism", "/id/place/fuzhou-cn", "/graph/registry-people", "/side/us", "/country/CN",
    "/id/series/u-s-china-space-commercialization-dialogue-sino-u-s-space-commercialization-workshops-and-space-"
    "high-end-dialogue-series", "/search?q=space", "/path?a=Jeffrey+Manber&b=Blaine+Curcio", "/plan", "/network",
    "/sparql", "/queries", "/analysis/rank", "/analysis/bridges", "/analysis/communities", "/analysis/continuity",
    "/id/person/nobody-at-all",
]  # fmt: skip


def test_no_page_is_wider_than_a_phone(browser, live_server):
    page, _ = _page(browser, 390, 844)
    wider = {}
    for path in EVERY_KIND:
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wider[path] = width
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server + "/")
    page.screenshot(path=str(ARTIFACTS / "home-phone.png"), full_page=True)
    page.close()
    assert wider == {}


def test_a_name_is_completed_as_it_is_typed_and_the_navigation_has_plan_and_path(browser, live_server):
    page, errors = _page(browser)
    page.goto(live_server + "/path")
    nav = page.get_by_role("navigation", name="Main")
    assert {"Plan", "Path", "Analysis"} <= set(nav.get_by_role("link").all_inner_texts())
    page.get_by_label("From").press_sequentially("manb", delay=30)
    options = page.locator("#a + datalist option")
    options.first.wait_for(state="attached", timeout=5000)
    assert options.evaluate_all("os => os.map(o => o.value)") == ["Jeffrey Manber"]
    page.goto(live_server + "/network")  # the Find box: the same resolver, not only the names drawn
    page.locator("#search").press_sequentially("manb", delay=30)
    found = page.locator("#search + datalist option")
    found.first.wait_for(state="attached", timeout=5000)
    assert found.evaluate_all("os => os.map(o => o.value)") == ["Jeffrey Manber"]
    page.goto(live_server + "/id/topic/space-tourism")
    assert page.locator('[lang="zh"]').count() >= 1  # the Chinese label is marked as Chinese
    assert errors == []
    page.close()
