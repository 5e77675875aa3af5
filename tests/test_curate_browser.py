"""Curators in headless Chromium (issue 16): sign in, upload a page, correct it, add a participant, commit, and see
the appearance and its curator on the person's page; a bad value's SHACL message; refused POSTs; script payloads
shown as text; a kill -9 in the middle of a web commit."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from pathlib import Path

import pytest
from tests.serving import serving
from tests.test_curate_accounts import PASSWORD
from tests.test_ingest_commit import run

from spacegraph.iris import slug
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.web.curate.accounts import Accounts
from spacegraph.write import Writer

ARTIFACTS = Path(__file__).parent / "artifacts"
PAGE = Path(__file__).parent / "ingest_corpus" / "09-broomfield-ssa-roundtable.md"
GRAPH_FILE = "graphs/09-broomfield-ssa-roundtable.trig"
GRAPH = "https://w3id.org/spacegraph/graph/09-broomfield-ssa-roundtable"
PAYLOADS = ['<script>alert("name")</script>', '"><img src=x onerror=alert(1)>', "</textarea><svg onload=alert(2)>"]


@pytest.fixture
def curated(tmp_settings, tmp_path):
    assert run(tmp_settings, "build").exit_code == 0
    settings = dataclasses.replace(tmp_settings, var=str(tmp_path / "var"))
    Accounts(settings).add("alice", "curator", PASSWORD)
    return settings


@pytest.fixture
def server(curated):
    with serving(curated, workers=1, SPACEGRAPH_VAR=curated.var) as (_, url):
        yield url


def signed_in_page(browser, url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url + "/curate/sign-in")
    page.get_by_label("Name").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    return page, dialogs


def upload(page, url):
    page.goto(url + "/curate/editions/new")
    page.locator('input[name="page"]').set_input_files(str(PAGE))
    page.get_by_role("button", name="Read the page").click()
    page.locator("form.edition-form").wait_for()


def mark_new(page):
    """The curator's explicit choice: every participant the graph lacks is added as new."""
    for row in page.locator("tr.participant").all():
        if row.locator(".match-new").count():
            row.get_by_label("new").check()


def test_a_curator_uploads_corrects_adds_and_commits(browser, server, curated):
    page, dialogs = signed_in_page(browser, server)
    upload(page, server)
    row = page.locator("tr.participant", has=page.locator('input[value="Naomi Fischer"]'))
    row.get_by_label("title").fill("Chief Data Scientist")  # two corrections
    page.locator("#e0-end_date").fill("2023-09-14")
    row.get_by_label("title").focus()
    assert "current" in (page.locator("mark.current").get_attribute("class") or "")  # the span it was read from
    page.get_by_role("button", name="Add a participant").click()
    added = page.locator("tr.participant").last
    added.get_by_label("name").fill("Ada Quill")
    added.get_by_label("organisation").fill("Secure World Foundation")
    added.get_by_label("role").select_option("panelist")
    mark_new(page)
    added.get_by_label("new").check()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "curate-edition-form.png"), full_page=True)
    page.get_by_role("button", name="Commit").click()
    page.wait_for_url(re.compile(r"/id/event/2023-roundtable"))
    assert "2023-09-14" in page.content()
    page.goto(server + "/id/person/ada-quill")
    assert "Roundtable on Commercial Space Situational Awareness" in page.locator("main").inner_text()
    history = page.locator("#history").inner_text()
    assert "alice" in history and "added Roundtable" in history
    page.screenshot(path=str(ARTIFACTS / "curate-person-history.png"), full_page=True)
    assert "Chief Data Scientist" in (curated.data / GRAPH_FILE).read_text()
    assert dialogs == []


def test_a_bad_value_shows_its_shacl_message_and_writes_nothing(browser, server, curated):
    page, _ = signed_in_page(browser, server)
    upload(page, server)
    mark_new(page)
    page.locator("#e0-country").fill("USA")
    page.get_by_role("button", name="Commit").click()
    message = page.locator("#err-e0-country")
    message.wait_for()
    assert "Place country is not an ISO 3166-1 alpha-2 code" in message.inner_text()
    assert page.locator("#e0-country").get_attribute("aria-invalid") == "true"
    assert not (curated.data / GRAPH_FILE).exists()


def test_anonymous_tokenless_and_signed_out_posts_are_refused(browser, server):
    page = browser.new_page()
    page.goto(server + "/curate/sign-in")
    csrf = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert page.request.post(server + "/curate/editions/blank", form={"csrf_token": csrf, "name": "X",
                                                                     "source": "Y"}).status == 403  # fmt: skip
    assert page.request.post(server + "/curate/editions/blank", form={"name": "X", "source": "Y"}).status == 400
    page.close()
    page, _ = signed_in_page(browser, server)
    assert page.request.post(server + "/curate/editions/blank", form={"name": "X", "source": "Y"}).status == 400
    page.get_by_role("button", name="Sign out").click()
    page.goto(server + "/curate/sign-in")
    csrf = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert page.request.post(server + "/curate/editions/blank", form={"csrf_token": csrf, "name": "X",
                                                                     "source": "Y"}).status == 403  # fmt: skip


def test_script_payloads_typed_into_fields_render_as_text(browser, server, curated):
    page, dialogs = signed_in_page(browser, server)
    upload(page, server)
    page.locator("#e0-city").fill(PAYLOADS[0])
    page.locator("#e0-hosts").fill(PAYLOADS[2])
    page.locator("#e0-topics").fill(PAYLOADS[1])
    row = page.locator("tr.participant", has=page.locator('input[value="Naomi Fischer"]'))
    row.get_by_label("title").fill(PAYLOADS[1])
    row.get_by_label("talk").fill(PAYLOADS[2])
    added = page.locator("tr.participant").last
    added.get_by_label("name").fill(PAYLOADS[1])
    page.get_by_role("button", name="Check").click()
    page.locator("#err-e0-topics").wait_for()  # not a topic of the scheme: shown, as text
    assert PAYLOADS[1] in page.locator("#err-e0-topics").inner_text()
    page.locator("#e0-topics").fill("")
    mark_new(page)
    page.locator("tr.participant").last.get_by_label("new").check()
    page.get_by_role("button", name="Commit").click()
    page.wait_for_url(re.compile(r"/id/event/"))
    assert PAYLOADS[0] in page.locator("main").inner_text()
    edition = page.url
    shown = ["/id/person/naomi-fischer", "/id/person/" + slug(PAYLOADS[1]), "/curate/history/", "/curate/review/",
             "/search?q=img"]  # fmt: skip
    for path in shown:
        page.goto(server + path)
        assert page.locator("main").count() == 1
    page.goto(edition)
    page.get_by_role("button", name="Edit this edition in the browser").click()
    page.locator("form.edition-form").wait_for()
    values = page.locator("form.edition-form input").evaluate_all("inputs => inputs.map(input => input.value)")
    assert PAYLOADS[1] in values  # the edition opened again: the payloads are values, not markup
    assert dialogs == []


@pytest.mark.parametrize(("failpoint", "committed"), [("after-backups", False), ("after-store", True)])
def test_a_kill_during_a_web_commit_leaves_data_and_store_consistent(browser, curated, failpoint, committed):
    killed = Path(curated.var) / "failpoint.log"
    env = {"SPACEGRAPH_VAR": curated.var, "SPACEGRAPH_FAILPOINT": failpoint, "SPACEGRAPH_FAILPOINT_LOG": str(killed)}
    with serving(curated, workers=1, **env) as (_, url):
        page, _ = signed_in_page(browser, url)
        upload(page, url)
        mark_new(page)
        page.get_by_role("button", name="Commit").click(no_wait_after=True)
        deadline = time.monotonic() + 60
        while not killed.exists() and time.monotonic() < deadline:  # the worker is killed midway
            time.sleep(0.2)
        assert killed.read_text(encoding="utf-8").startswith(failpoint)
        time.sleep(1)  # Chromium may send the POST again: the next worker settles the commit first, then is killed
    with Writer(curated):  # the next writer settles what is pending: forward or back, never half
        pass
    in_store = bool(list(OxigraphStore(curated.store, read_only=True).quads(graph=_named(GRAPH))))
    assert (curated.data / GRAPH_FILE).exists() == in_store == committed
    assert not [p for p in curated.data.rglob(".*") if p.is_file()]
    assert bool(list((curated.data / "history").rglob("*.json"))) == committed


def _named(iri: str):
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def axe_violations(page) -> list[dict]:
    from tests.test_accessibility import AXE

    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa']}})"
    )
    return [{"rule": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]  # fmt: skip


def test_the_curator_pages_have_no_wcag_a_or_aa_violations(browser, server):
    page, _ = signed_in_page(browser, server)
    upload(page, server)
    draft = page.url
    found = {}
    for url in ("/curate/sign-in", "/curate/", draft, "/curate/editions/new", "/curate/review/", "/curate/history/"):
        checked = browser.new_page(viewport={"width": 1400, "height": 1000}, bypass_csp=True,
                                   storage_state=page.context.storage_state())  # fmt: skip
        checked.goto(url if url.startswith("http") else server + url)
        assert checked.url.endswith(url)  # signed in: not sent to the sign-in page
        found[url] = axe_violations(checked)
        checked.close()
    assert all(v == [] for v in found.values()), json.dumps(found, indent=2)
