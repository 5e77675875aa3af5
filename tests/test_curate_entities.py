"""Curating entities (issue 16, point 4): edit a person or an organisation, merge two, add or rename a topic;
through the library, the command line, the curator's pages and a browser."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.serving import serving

from spacegraph.build import build_store
from spacegraph.cli import cli
from spacegraph.datafiles import data_files
from spacegraph.library import Spacegraph
from spacegraph.library.entities import add_topic, edit_entity, merge_entities, rename_topic
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.web import create_app
from spacegraph.web.curate.accounts import Accounts
from spacegraph.web.curate.auth import agent_for
from spacegraph.write import Writer, WriteRejected

PASSWORD = "correct horse battery"
BASE = "https://w3id.org/spacegraph/"
CURCIO, CHRISTENSEN = BASE + "id/person/blaine-curcio", BASE + "id/person/ian-christensen"
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def writable_settings(tmp_settings, tmp_path):
    """A writable copy of the data, built, with one curator account (alice)."""
    build_store(tmp_settings)
    settings = dataclasses.replace(tmp_settings, var=str(tmp_path / "var"), secret_key="")
    Accounts(settings).add("alice", "curator", PASSWORD)
    return settings


@pytest.fixture
def settings(tmp_settings, tmp_path):
    return writable_settings(tmp_settings, tmp_path)


def snapshot(settings) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in data_files(settings.data)}


def ask(settings, query: str) -> bool:
    with OxigraphStore(settings.store, read_only=True) as store:
        return bool(store.query(query))


def run(settings, *args):
    return CliRunner().invoke(cli, ["--store", str(settings.store), "--data", str(settings.data), *args])


def test_a_merge_moves_every_record_in_one_commit_and_keeps_the_old_iri(settings):
    by = agent_for("alice", settings)
    before = snapshot(settings)
    done = merge_entities(settings, by, "Blaine Curcio", "Ian Christensen", "person")
    assert done.iri == CHRISTENSEN and len(done.graphs) == 3  # the registry and the two editions he spoke at
    after = snapshot(settings)
    changed = {p for p in after if after[p] != before[p]}
    assert len(changed) == 3 and not (settings.data / ".journal.json").exists()
    mentions = [line for text in after.values() for line in text.decode().splitlines() if f"<{CURCIO}>" in line]
    assert mentions and all("sameAs" in line for line in mentions)  # only the old owl:sameAs new statement is left
    assert not ask(
        settings, f"ASK {{ ?r <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#isHeldBy> <{CURCIO}> }}"
    )
    assert ask(settings, f"ASK {{ <{CURCIO}> <http://www.w3.org/2002/07/owl#sameAs> <{CHRISTENSEN}> }}")
    # his names are aliases now; the graph changed is attributed to the curator
    assert ask(settings, f'ASK {{ <{CHRISTENSEN}> <http://www.w3.org/2004/02/skos/core#altLabel> "Blaine Curcio" }}')
    assert ask(settings, f"ASK {{ GRAPH <{BASE}graph/registry-people> {{ <{BASE}graph/registry-people> "
                         f"<http://www.w3.org/ns/prov#wasAttributedTo> <{by.iri}> }} }}")  # fmt: skip
    # each graph's history names the curator and the merge, and a build ignores data/history/
    records = sorted((settings.data / "history").rglob("*.json"))
    assert len(records) == 3 and all(json.loads(r.read_text())["by"]["label"] == "alice" for r in records)
    assert all("merged into" in json.loads(r.read_text())["note"] for r in records)
    # data/ is the truth: built again from it, the store says the same and conforms
    assert run(settings, "build").exit_code == 0
    assert ask(settings, f"ASK {{ <{CURCIO}> <http://www.w3.org/2002/07/owl#sameAs> <{CHRISTENSEN}> }}")
    again = run(settings, "merge", "Blaine Curcio", "Ian Christensen")
    assert again.exit_code == 1 and "are the same person" in again.output  # his name is an alias of the other now


def test_a_bad_value_writes_nothing_and_names_the_field(settings):
    by = agent_for("alice", settings)
    before = snapshot(settings)
    with pytest.raises(WriteRejected) as rejected:  # a code the shapes do not know
        edit_entity(settings, by, "Caelus Foundation", "organisation", country="ZZ")
    assert any("addressCountry" in (v.path or "") for v in rejected.value.report.violations)
    with pytest.raises(ValueError, match="unknown sector 'spaceport'"):
        edit_entity(settings, by, "Caelus Foundation", "organisation", sector="spaceport")
    with pytest.raises(ValueError, match="country 'USA' is not an ISO 3166-1 alpha-2 code"):
        edit_entity(settings, by, "Ian Christensen", "person", country="USA")
    with pytest.raises(LookupError, match="no person called 'Nobody At All'"):
        edit_entity(settings, by, "Nobody At All", "person", country="US")
    assert snapshot(settings) == before


def test_editing_a_person_renames_keeps_the_old_name_and_sets_each_side(settings):
    by = agent_for("alice", settings)
    edit_entity(settings, by, "CIU Yufu", "person", name="CUI Yufu", country="CN", side="China")
    people = (settings.data / "registry" / "people.trig").read_text()
    assert '"CUI Yufu"' in people and '"CIU Yufu"' in people  # the old form stays an alias
    assert ask(settings, f'ASK {{ <{BASE}id/person/ciu-yufu> <https://schema.org/familyName> "Cui" }}')
    assert not ask(settings, f"""ASK {{ ?r <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#isHeldBy>
        <{BASE}id/person/ciu-yufu> . FILTER NOT EXISTS {{ ?r <https://w3id.org/spacegraph/ontology#side>
        <https://w3id.org/spacegraph/ontology#sideChina> }} }}""")  # fmt: skip
    found = Spacegraph(settings).resolve("CUI Yufu")
    assert found.iri == f"{BASE}id/person/ciu-yufu"


def test_a_new_topic_counts_as_never_covered_and_can_be_renamed(settings):
    by = agent_for("alice", settings)
    assert "space weather services" not in run(settings, "coverage").output
    added = run(settings, "topic", "add", "--en", "space weather services", "--zh", "空间天气服务", "--broader",
                "space commercialization")  # fmt: skip
    assert added.exit_code == 0, added.output
    coverage = json.loads(run(settings, "coverage", "--json").output)
    assert "space weather services" in [t["label"] for t in coverage["never"]]
    duplicate = run(settings, "topic", "add", "--en", "Space Weather Services", "--zh", "x")
    assert duplicate.exit_code == 1 and "already has a topic" in duplicate.output
    rename_topic(settings, by, "space weather services", "space weather")
    coverage = json.loads(run(settings, "coverage", "--json").output)
    assert "space weather" in [t["label"] for t in coverage["never"]]
    with pytest.raises(LookupError, match="no topic called 'no such topic'"):
        add_topic(settings, by, "x", "y", ["no such topic"])


def test_the_commands_have_help_with_an_example(settings):
    for command in (["person", "edit"], ["organisation", "edit"], ["merge"], ["topic", "add"], ["topic", "rename"]):
        shown = run(settings, *command, "--help")
        assert shown.exit_code == 0 and "Example:" in shown.output


def curator_client(settings):
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    page = client.get("/curate/sign-in").get_data(as_text=True)
    client.post("/curate/sign-in", data={"csrf_token": token(page), "name": "alice", "password": PASSWORD})
    return client


def token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_edit_form_shows_the_shacl_message_next_to_its_field(settings):
    client = curator_client(settings)
    url = f"/curate/organisation/edit?iri={BASE}id/org/caelus-foundation"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Caelus Foundation"' in page
    before = snapshot(settings)
    form = {"csrf_token": token(page), "iri": f"{BASE}id/org/caelus-foundation", "name": "Caelus Foundation",
            "aliases": "CF", "country": "ZZ", "sector": "non-profit", "acronym": ""}  # fmt: skip
    refused = client.post("/curate/organisation/edit", data=form)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    field = text.index('id="country"')
    message = text.index('id="country-error"')
    assert field < message < text.index('<button type="submit">Save')  # next to its field
    shown = text[text.index(">", message) + 1 :][:400].split("</", 1)[0]  # the message's own text, not its tag
    assert "country" in shown.lower(), shown
    assert snapshot(settings) == before
    saved = client.post("/curate/organisation/edit", data=form | {"country": "US", "aliases": f"CF\n{PAYLOAD}"})
    assert saved.status_code == 200 and "Committed 1 graph" in saved.get_data(as_text=True)
    shown = client.get(url).get_data(as_text=True)
    assert PAYLOAD not in shown and "&lt;script&gt;alert(" in shown  # rendered as text
    assert PAYLOAD not in client.get("/id/org/caelus-foundation").get_data(as_text=True)


def test_the_second_of_two_curators_editing_one_person_is_refused_with_what_changed(settings):
    client = curator_client(settings)
    url = f"/curate/person/edit?iri={BASE}id/person/ian-christensen"
    page = client.get(url).get_data(as_text=True)
    edit_entity(settings, agent_for("bob", settings), "Ian Christensen", "person", country="US")  # meanwhile
    before = snapshot(settings)
    form = {"csrf_token": token(page), "iri": f"{BASE}id/person/ian-christensen", "name": "Ian Christensen",
            "aliases": "", "country": "CA", "side": "", "version": re.search(r'name="version" value="(\w+)"',
                                                                                page).group(1)}  # fmt: skip
    refused = client.post("/curate/person/edit", data=form)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "changed after you opened the form (bob at " in text
    assert snapshot(settings) == before
    again = client.get(url).get_data(as_text=True)
    assert 'name="country" size="4" value="US"' in again
    form["version"] = re.search(r'name="version" value="(\w+)"', again).group(1)
    assert client.post("/curate/person/edit", data=form).status_code == 200


def test_writes_are_refused_without_a_curator_or_a_csrf_token(settings):
    anonymous = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    assert anonymous.post("/curate/merge", data={"old": "Blaine Curcio", "new": "Ian Christensen"}).status_code in (
        400, 403)  # fmt: skip
    assert anonymous.get("/curate/topics").status_code == 302  # sent to sign in
    client = curator_client(settings)
    assert client.post("/curate/merge", data={"old": "Blaine Curcio", "new": "Ian Christensen"}).status_code == 400
    assert ask(settings, f"ASK {{ <{CURCIO}> a ?type }}")


def test_a_merged_iri_redirects_to_the_new_page(settings):
    client = curator_client(settings)
    page = client.get("/curate/merge").get_data(as_text=True)
    done = client.post("/curate/merge", data={"csrf_token": token(page), "kind": "person", "old": "Blaine Curcio",
                                               "new": "Ian Christensen"})  # fmt: skip
    assert done.status_code == 200, done.get_data(as_text=True)
    moved = client.get("/id/person/blaine-curcio")
    assert moved.status_code == 308 and moved.headers["Location"].endswith("/id/person/ian-christensen")
    assert client.get("/id/person/blaine-curcio.json").headers["Location"].endswith("/id/person/ian-christensen.json")
    anonymous = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    followed = anonymous.get("/id/person/blaine-curcio", follow_redirects=True)
    assert followed.status_code == 200 and "Ian Christensen" in followed.get_data(as_text=True)
    read_only = dataclasses.replace(settings, var=str(Path(settings.var) / "no-accounts"))  # no curator mode at all
    public = create_app({"SETTINGS": read_only, "TESTING": True}).test_client()
    assert public.get("/curate/merge").status_code == 404
    assert public.get("/id/person/blaine-curcio").headers["Location"].endswith("/id/person/ian-christensen")
    unknown = client.post("/curate/merge", data={"csrf_token": token(page), "kind": "person", "old": "Nobody At All",
                                                  "new": "Ian Christensen"})  # fmt: skip
    assert unknown.status_code == 422 and 'id="old-error"' in unknown.get_data(as_text=True)


def test_a_topic_added_in_the_browser_and_a_payload_renders_as_text(settings, browser):
    with serving(settings, workers=1, SPACEGRAPH_VAR=settings.var) as (_, url):
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url + "/curate/sign-in")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(url + "/curate/topics")
        page.fill("#en", "lunar night survival " + PAYLOAD)
        page.fill("#zh", "月夜生存")
        page.select_option("#broader", label="space commercialization")
        page.click("#add-topic button[type=submit]")
        assert "added" in page.locator("[role=status]").inner_text()
        page.goto(url + "/curate/topics")
        assert page.locator("#scheme-h + ul a", has_text="lunar night survival " + PAYLOAD).count() == 1
        page.goto(url + "/plan")
        assert page.get_by_text("lunar night survival " + PAYLOAD).count() >= 1  # never covered: a gap row
        page.goto(url + "/curate/merge")
        page.fill("#old", "Blaine Curcio")
        page.fill("#new", "Ian Christensen")
        page.click("form.curate-form button[type=submit]")
        page.goto(url + "/id/person/blaine-curcio")
        assert page.url.endswith("/id/person/ian-christensen")
        assert page.locator("h1").inner_text().startswith("Ian Christensen")
        assert dialogs == []
        page.close()


@pytest.mark.parametrize(("failpoint", "merged"), [("before-store", False), ("after-store", True)])
def test_a_kill_during_a_merge_leaves_data_and_the_store_both_before_or_both_after(settings, failpoint, merged):
    """The merge changes three graphs in one journaled commit: killed before its commit point, recovery puts every
    file back; killed after it, recovery finishes; either way data/ and the store agree."""
    before = snapshot(settings)
    env = {**os.environ, "SPACEGRAPH_FAILPOINT": failpoint}
    command = [sys.executable, "-m", "spacegraph", "--data", str(settings.data), "--store", str(settings.store),
               "merge", "Blaine Curcio", "Ian Christensen"]  # fmt: skip
    killed = subprocess.run(command, env=env, capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    with Writer(settings) as writer:  # the next writer settles the interrupted commit
        assert writer.recovered is not None
    after = snapshot(settings)
    assert (after == before) is not merged and len([p for p in after if after[p] != before[p]]) == (3 if merged else 0)
    same_as = f"ASK {{ <{CURCIO}> <http://www.w3.org/2002/07/owl#sameAs> <{CHRISTENSEN}> }}"
    assert ask(settings, same_as) is merged
    assert ask(settings, f"ASK {{ <{CURCIO}> a ?type }}") is not merged
    assert not [p for p in settings.data.rglob(".*") if p.is_file()]
    assert run(settings, "validate").exit_code == 0


CURATOR_PAGES = ["/curate/topics", "/curate/person/edit?iri=Ian+Christensen", "/curate/organisation/edit?iri=CF",
                 "/curate/merge", "/curate/proposals/", "/plan?draft=1&slots=4"]  # fmt: skip


def test_the_curators_pages_have_no_wcag_a_or_aa_violations(settings, browser):
    from tests.test_accessibility import AXE

    with serving(settings, workers=1, SPACEGRAPH_VAR=settings.var) as (_, url):
        page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)  # axe is an inline script
        page.goto(url + "/curate/sign-in")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        found = {}
        for path in CURATOR_PAGES:
            page.goto(url + path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', "
                                   "'wcag2aa', 'wcag21a', 'wcag21aa']}})")  # fmt: skip
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
            assert "Sign in" not in page.locator("h1").inner_text() and page.locator("form").count()
        page.close()
    assert found == {path: [] for path in CURATOR_PAGES}
