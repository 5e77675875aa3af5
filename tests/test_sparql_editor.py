"""The SPARQL editor in headless Chromium, as a researcher uses it: the server's messages, the declared prefixes, the
simple view, the chart and timeline views, example results opened in the editor, and tabs kept in the browser. Every
page runs under the Content-Security-Policy without a violation."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.test_csv_and_headers import open_page

ARTIFACTS = Path(__file__).parent / "artifacts"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # past the 3 s deadline
PER_PERSON = ("SELECT ?name (COUNT(DISTINCT ?e) AS ?events) WHERE { ?r conf:isHeldBy ?p ; conf:during ?e . "
              "?p schema:name ?name } GROUP BY ?name ORDER BY DESC(?events) ?name LIMIT 15")  # fmt: skip


def run(page, query: str) -> None:
    """Type ``query`` into the visible editor and run it."""
    page.evaluate("q => document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.setValue(q)", query)
    page.locator(".tabPanel.active .yasqe_queryButton").click()


def results_area(page):
    return page.locator(".tabPanel.active .yasr")


def per_person(browser, live_server):
    """The editor with the events per person run: the page, its errors and its result area."""
    page, errors = open_page(browser, live_server + "/sparql")
    run(page, PER_PERSON)
    area = results_area(page)
    area.get_by_text("15 results").wait_for(timeout=15_000)
    return page, errors, area


def test_the_servers_message_is_shown_for_an_error_and_a_timeout(browser, live_server):
    page, errors = open_page(browser, live_server + "/sparql")
    run(page, "SELECT ?name WHERE {\n  ?p ex:name ?name }")
    message = results_area(page).locator(".errorResult")
    message.get_by_text("the prefix ex: is not declared").wait_for(timeout=15_000)
    assert "line 2, column 6" in message.inner_text()
    run(page, SLOW)
    message.get_by_text("Query stopped").wait_for(timeout=30_000)
    assert "add LIMIT" in message.inner_text()
    assert page.evaluate("window.__violations") == [] and errors == []
    page.close()


def test_declared_prefixes_need_no_prefix_lines_and_cells_read_simply(browser, live_server):
    page, errors, area = per_person(browser, live_server)
    assert page.locator(".tabPanel.active .parseErrorIcon").count() == 0  # the editor knows sg:, conf:, schema:
    first = area.locator("table tbody tr").first.inner_text()
    assert "Secure World Foundation" in first and "7" in first and "^^" not in area.inner_text()  # the simple view
    area.get_by_text("Simple view").click()  # the full view: typed literals, and numbered rows
    area.locator(".rowNumber").first.wait_for()
    # where the row number's text ends and the first value's text begins, on screen
    number, value = area.locator("tbody tr").first.evaluate(
        """row => [row.cells[0], row.cells[1]].map((cell) => {
             const range = document.createRange();
             range.selectNodeContents(document.createTreeWalker(cell, NodeFilter.SHOW_TEXT).nextNode());
             return range.getBoundingClientRect();
           }).map((box, i) => (i === 0 ? box.right : box.left))"""
    )
    assert number + 4 < value  # a gap between them, not numbers running into the names
    assert "^^" in area.inner_text()
    assert page.evaluate("window.__violations") == [] and errors == []
    page.close()


def test_a_result_as_a_chart_and_as_a_timeline(browser, live_server):
    page, errors, area = per_person(browser, live_server)
    area.get_by_role("button", name="Shows Chart view").click()
    area.locator(".result-chart canvas").wait_for()
    assert page.evaluate("Chart.getChart(document.querySelector('.tabPanel.active .result-chart canvas')).data.labels[0]") == "Secure World Foundation"  # fmt: skip
    run(page, "SELECT ?edition ?date WHERE { ?e schema:name ?edition ; schema:startDate ?date }")
    area.get_by_role("button", name="Shows Timeline view").click()
    area.locator(".result-chart canvas").wait_for()
    points = page.evaluate("Chart.getChart(document.querySelector('.tabPanel.active .result-chart canvas')).data.datasets[0].data")  # fmt: skip
    assert len(points) >= 5 and all(2019 <= p["x"] < 2030 for p in points)  # a point a dated edition
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sparql-timeline.png"), full_page=True)
    assert page.evaluate("window.__violations") == [] and errors == []
    page.close()


def test_example_results_open_in_the_editor_and_tabs_are_kept(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server + "/queries/editions")
    page.get_by_role("link", name="Open in the editor and run").click()
    page.get_by_text("results in").wait_for(timeout=15_000)
    tab = page.locator(".tabsList .tab.active")
    assert "Editions at a glance" in tab.inner_text()
    run(page, "SELECT * WHERE { ?s ?p ?o } LIMIT 3 # mine")
    page.get_by_text("3 results").wait_for(timeout=15_000)
    page.goto(live_server + "/sparql")  # a later visit, in the same browser: the tab and its query are there
    assert "# mine" in page.locator(".tabPanel.active .CodeMirror").inner_text()
    context.close()
