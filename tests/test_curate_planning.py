"""Planning from the web (issue 16, point 6): a curator saves /plan's draft as a proposal, lists, opens, exports and
discards proposals, and keeps the longlist; anonymous visitors see the proposals but cannot write."""

from __future__ import annotations

import json

import pytest
from tests.test_curate_entities import PAYLOAD, curator_client, token, writable_settings

from spacegraph.web import create_app

DRAFT = "/plan?draft=1&slots=3&min_new=1&topics=https%3A%2F%2Fw3id.org%2Fspacegraph%2Fid%2Ftopic%2Fspace-tourism"


@pytest.fixture
def settings(tmp_settings, tmp_path):
    return writable_settings(tmp_settings, tmp_path)


@pytest.fixture
def client(settings):
    return curator_client(settings)


def add_to_longlist(client, name: str, **extra):
    page = client.get("/curate/proposals/").get_data(as_text=True)
    form = {"csrf_token": token(page), "action": "add", "name": name, "organisation": "Example Orbital Inc.",
            "side": "U.S.", "topics": "https://w3id.org/spacegraph/id/topic/space-tourism", **extra}  # fmt: skip
    return client.post("/curate/proposals/longlist", data=form)


def test_a_curator_saves_opens_exports_and_discards_a_proposal(client, settings):
    refused = client.get(DRAFT).get_data(as_text=True)
    assert "put people to invite on the longlist" in refused  # every person of the series has spoken
    assert add_to_longlist(client, "Ada Example").status_code == 303
    page = client.get(DRAFT).get_data(as_text=True)
    assert "Ada Example" in page and "(longlist)" in page
    assert "--slots 3 --min-new 1 --topics &#34;space tourism&#34;" in page  # the Request line, escaped
    assert "/curate/proposals/draft.csv?" in page
    draft_csv = client.get("/curate/proposals/draft.csv?" + DRAFT.split("?", 1)[1])
    assert draft_csv.status_code == 200 and draft_csv.mimetype == "text/csv" and b"Ada Example" in draft_csv.data
    form = {"csrf_token": token(page), "slots": "3", "min_new": "1", "name": "newcomers", "exclude": "",
            "topics": "https://w3id.org/spacegraph/id/topic/space-tourism"}  # fmt: skip
    saved = client.post("/curate/proposals/save", data=form)
    assert saved.status_code == 303
    shown = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Ada Example" in shown and "Saved" in shown and "by alice" in shown
    stem = saved.headers["Location"].rsplit("/", 1)[-1]
    assert (settings.data / "proposals" / f"{stem}.trig").exists()
    markdown = client.get(f"/curate/proposals/{stem}.md")
    assert markdown.mimetype == "text/markdown" and b"| Ada Example | U.S. |" in markdown.data
    printable = client.get(f"/curate/proposals/{stem}.html")
    assert printable.data.startswith(b"<!doctype html>") and "attachment" not in printable.headers.get(
        "Content-Disposition", "")  # fmt: skip
    assert "newcomers" in client.get("/plan").get_data(as_text=True)  # the list on /plan
    listing = client.get("/curate/proposals/").get_data(as_text=True)
    gone = client.post(f"/curate/proposals/{stem}/discard", data={"csrf_token": token(listing)})
    assert gone.status_code == 303 and not (settings.data / "proposals" / f"{stem}.trig").exists()
    assert client.get(f"/curate/proposals/{stem}").status_code == 404


def test_the_longlist_refuses_known_people_and_renders_payloads_as_text(client, settings):
    known = add_to_longlist(client, "Ian Christensen")
    assert known.status_code == 422 and "in the graph already" in known.get_data(as_text=True)
    bad_side = add_to_longlist(client, "Bea Example", side="Mars")
    text = bad_side.get_data(as_text=True)
    assert bad_side.status_code == 422 and 'id="side-error"' in text and "unknown side &#39;Mars&#39;" in text
    assert add_to_longlist(client, "Cy " + PAYLOAD, organisation=PAYLOAD).status_code == 303
    entries = json.loads((settings.data / "planning" / "longlist.json").read_text())
    assert [e["name"] for e in entries] == ["Cy " + PAYLOAD]
    for url in ("/curate/proposals/", "/plan?draft=1&slots=2&min_new=1"):
        page = client.get(url).get_data(as_text=True)
        assert PAYLOAD not in page and "&lt;script&gt;alert(" in page
    listing = client.get("/curate/proposals/").get_data(as_text=True)
    removed = client.post("/curate/proposals/longlist", data={"csrf_token": token(listing), "action": "remove",
                                                              "name": "Cy " + PAYLOAD})  # fmt: skip
    assert removed.status_code == 303 and json.loads((settings.data / "planning" / "longlist.json").read_text()) == []


def test_anonymous_visitors_see_proposals_but_cannot_save(settings):
    anonymous = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    page = anonymous.get(DRAFT).get_data(as_text=True)
    assert "Saved proposals" in page and "Save as a proposal" not in page and "draft.csv" not in page
    assert anonymous.post("/curate/proposals/save", data={"slots": "2", "name": "x"}).status_code in (400, 403)
    assert anonymous.get("/curate/proposals/draft.csv?slots=2").status_code == 302  # sent to sign in
    assert not (settings.data / "proposals").exists() or not list((settings.data / "proposals").glob("*.trig"))
