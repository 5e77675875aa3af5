"""Adding an edition in the browser (issue 16), through the Flask client: upload, the form beside the page,
explicit new names, SHACL messages next to their fields, two curators at once, review, history and undo."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from html.parser import HTMLParser

import pytest
from tests.test_curate_accounts import PASSWORD, sign_in, token
from tests.test_ingest_commit import run

from spacegraph.web import create_app
from spacegraph.web.curate.accounts import Accounts
from spacegraph.write.history import history

PAGE = "tests/ingest_corpus/09-broomfield-ssa-roundtable.md"
GRAPH = "https://w3id.org/spacegraph/graph/09-broomfield-ssa-roundtable"


class FormFields(HTMLParser):
    """The values a browser would post from a page's form (text inputs, checked boxes, selected options)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") != "radio":
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.fields):
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        self._select = None if tag == "select" else self._select
        self._textarea = None if tag == "textarea" else self._textarea

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_of(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html[html.index('class="curate-form edition-form"') :])
    return parser.fields


@pytest.fixture
def curated(tmp_settings, tmp_path):
    assert run(tmp_settings, "build").exit_code == 0
    settings = dataclasses.replace(tmp_settings, var=str(tmp_path / "var"))
    Accounts(settings).add("alice", "curator", PASSWORD)
    Accounts(settings).add("bob", "curator", PASSWORD)
    return settings


def client_of(settings, name="alice"):
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    assert sign_in(client, name).status_code == 302
    return client


def open_draft(client, path=PAGE) -> tuple[str, str]:
    """Upload the page; the draft's URL and its form page."""
    form = {"csrf_token": token(client.get("/curate/editions/new").get_data(as_text=True)),
            "page": (io.BytesIO(open(path, "rb").read()), path.rsplit("/", 1)[-1])}  # fmt: skip
    answer = client.post("/curate/editions/read", data=form, content_type="multipart/form-data")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    url = answer.headers["Location"]
    return url, client.get(url).get_data(as_text=True)


def all_new(fields: dict[str, str]) -> dict[str, str]:
    """Every participant the graph does not know marked as new (the curator's explicit choice)."""
    return {**fields, **{k.removesuffix("-name") + "-new": "1" for k, v in fields.items()
                         if re.fullmatch(r"e0-p\d+-name", k) and v}}  # fmt: skip


def row_of(fields: dict[str, str], name: str) -> str:
    return next(k.removesuffix("-name") for k, v in fields.items() if k.endswith("-name") and v == name)


def test_the_form_shows_what_the_importer_read_beside_the_page(curated):
    _, page = open_draft(client_of(curated))
    fields = form_of(page)
    assert fields["e0-name"] == "Roundtable on Commercial Space Situational Awareness"
    assert fields["e0-start_date"] == "2023-09-12" and fields["e0-city"] == "Broomfield"
    row = row_of(fields, "Naomi Fischer")
    assert fields[f"{row}-organisation"] == "Orbital Horizons Group"
    # the value is marked at its evidence span in the page's text
    mark = re.search(rf'<mark id="span-{row}" data-field="{row}">([^<]*)</mark>', page)
    assert mark and "Naomi Fischer, Chief Scientist, Orbital Horizons Group" in mark.group(1)
    assert "Bhavya Lal" in page and 'list="names-person"' in page


def test_a_curator_corrects_adds_and_commits_as_herself(curated):
    client = client_of(curated)
    url, page = open_draft(client)
    fields = all_new(form_of(page))
    row = row_of(fields, "Naomi Fischer")
    fields[f"{row}-title"] = "Chief Data Scientist"  # two corrections
    fields["e0-city"] = "Broomfield"
    fields["e0-end_date"] = "2023-09-14"
    blank = f"e0-p{int(fields['e0-rows']) - 2}"  # the first empty row: a participant the page left out
    fields.update({f"{blank}-name": "Ada Quill", f"{blank}-new": "1", f"{blank}-role": "panelist",
                   f"{blank}-organisation": "Secure World Foundation", f"{blank}-side": "US", "action": "commit"})  # fmt: skip
    answer = client.post(url, data=fields)
    assert answer.status_code == 302, re.findall(r'role="alert"[^>]*>([^<]*)', answer.get_data(as_text=True))
    edition = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "2023-09-14" in edition
    person = client.get("/id/person/ada-quill").get_data(as_text=True)
    assert "Roundtable on Commercial Space Situational Awareness" in person
    assert re.search(r'id="history".*<td>alice</td>', person, re.S)
    trig = (curated.data / "graphs" / "09-broomfield-ssa-roundtable.trig").read_text()
    assert "Chief Data Scientist" in trig and "agent/curator-alice" in trig and "prov:Person" in trig
    [change] = history(curated, graph=GRAPH)
    assert change.by["label"] == "alice" and change.before is None


def test_a_name_the_graph_lacks_needs_the_curators_choice_and_nothing_is_written(curated):
    client = client_of(curated)
    url, page = open_draft(client)
    fields = {**form_of(page), "action": "commit"}
    answer = client.post(url, data=fields)
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    row = row_of(fields, "Naomi Fischer")
    assert re.search(rf'id="err-{row}-name" role="alert">No person named “Naomi Fischer”', text)
    assert not (curated.data / "graphs" / "09-broomfield-ssa-roundtable.trig").exists()
    assert history(curated) == []


def test_a_bad_value_shows_its_shacl_message_next_to_the_field_and_writes_nothing(curated):
    client = client_of(curated)
    url, page = open_draft(client)
    fields = {**all_new(form_of(page)), "e0-country": "USA", "e0-topics": "Underwater basket weaving",
              "action": "commit"}  # fmt: skip
    answer = client.post(url, data=fields)
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert re.search(r'id="err-e0-country" role="alert">Place country is not an ISO 3166-1 alpha-2 code', text)
    assert re.search(r'id="err-e0-topics" role="alert">“Underwater basket weaving” is not in the topic scheme', text)
    assert not (curated.data / "graphs" / "09-broomfield-ssa-roundtable.trig").exists()
    assert form_of(text)["e0-country"] == "USA"  # the curator's input is kept


def test_the_second_of_two_curators_is_refused_with_what_changed_and_keeps_her_form(curated):
    alice, bob = client_of(curated, "alice"), client_of(curated, "bob")
    url_a, page_a = open_draft(alice)
    url_b, page_b = open_draft(bob)
    assert bob.post(url_b, data={**all_new(form_of(page_b)), "action": "commit"}).status_code == 302
    committed = (curated.data / "graphs" / "09-broomfield-ssa-roundtable.trig").read_bytes()
    fields = {**all_new(form_of(page_a)), "e0-city": "Boulder", "action": "commit"}
    answer = alice.post(url_a, data=fields)
    assert answer.status_code == 409
    text = answer.get_data(as_text=True)
    assert "Somebody changed this edition after you opened the form (bob at " in text
    assert form_of(text)["e0-city"] == "Boulder"
    assert (curated.data / "graphs" / "09-broomfield-ssa-roundtable.trig").read_bytes() == committed


def test_anonymous_and_tokenless_posts_are_refused(curated):
    anonymous = create_app({"SETTINGS": curated, "TESTING": True}).test_client()
    csrf = token(anonymous.get("/curate/sign-in").get_data(as_text=True))
    for path in ("/curate/editions/read", "/curate/editions/blank", "/curate/review/", "/curate/history/"):
        assert anonymous.post(path, data={"csrf_token": csrf, "name": "x", "source": "y"}).status_code == 403
        assert anonymous.post(path, data={"name": "x"}).status_code == 400
    client = client_of(curated)
    answer = client.post("/curate/editions/blank", data={"name": "Edition X", "source": "a letter"})
    assert answer.status_code == 400 and "CSRF" in answer.get_data(as_text=True)
    assert not (curated.var_dir / "drafts").exists()


def test_undo_in_the_browser_and_the_history_on_the_entity_page(curated):
    client = client_of(curated)
    url, page = open_draft(client)
    assert client.post(url, data={**all_new(form_of(page)), "action": "commit"}).status_code == 302
    [change] = history(curated, graph=GRAPH)
    listing = client.get("/curate/history/").get_data(as_text=True)
    answer = client.post("/curate/history/", data={"csrf_token": token(listing), "change": change.id})
    assert answer.status_code == 200 and f"undid {change.id}" in answer.get_data(as_text=True)
    assert not (curated.data / "graphs" / "09-broomfield-ssa-roundtable.trig").exists()
    assert not (curated.data / "sources" / "09-broomfield-ssa-roundtable.md").exists()
    again = client.post("/curate/history/", data={"csrf_token": token(listing), "change": change.id})
    assert again.status_code == 409 and "changed after" in again.get_data(as_text=True)
    assert client.get("/id/person/naomi-fischer").status_code == 404


def test_review_in_the_browser_is_decided_in_the_curators_name(curated):
    client = client_of(curated)
    url, page = open_draft(client)
    assert client.post(url, data={**all_new(form_of(page)), "action": "commit"}).status_code == 302
    listing = client.get("/curate/review/").get_data(as_text=True)
    item = re.search(r'name="item" value="([^"]+)"', listing).group(1)
    answer = client.post("/curate/review/", data={"csrf_token": token(listing), "item": item, "decision": "accept",
                                                  "candidate": "1"})  # fmt: skip
    assert answer.status_code == 200, answer.get_data(as_text=True)
    reviews = json.loads(run(curated, "review", "--json").output)
    assert item not in {i["id"] for i in reviews}
    latest = history(curated, graph=GRAPH)[0]
    assert latest.by["label"] == "alice" and len(history(curated, graph=GRAPH)) == 2


def test_a_blank_form_records_an_edition_that_has_no_page(curated):
    client = client_of(curated)
    page = client.get("/curate/editions/new").get_data(as_text=True)
    answer = client.post("/curate/editions/blank", data={"csrf_token": token(page), "name": "Fifth Dialogue",
                                                         "source": "the organisers' e-mail of 3 May 2024"})  # fmt: skip
    assert answer.status_code == 302
    url = answer.headers["Location"]
    fields = form_of(client.get(url).get_data(as_text=True))
    fields.update({"e0-start_date": "2024-05-20", "e0-city": "Vienna", "e0-country": "AT", "e0-p0-name": "Bhavya Lal",
                   "e0-p0-role": "moderator", "action": "commit"})  # fmt: skip
    answer = client.post(url, data=fields)
    assert answer.status_code == 302, re.findall(r'role="alert"[^>]*>([^<]*)', answer.get_data(as_text=True))
    trig = (curated.data / "graphs" / "curated-fifth-dialogue.trig").read_text()
    assert "Vienna" in trig and "bhavya-lal" in trig and "the organisers' e-mail" in trig
    assert "Fifth Dialogue" in client.get("/id/person/bhavya-lal").get_data(as_text=True)
    assert [p.name for p in (curated.var_dir / "drafts").iterdir()] == ["committed"]  # kept as the graph's form


def test_a_pdf_upload_and_pasted_text_are_read_like_ingest_reads_them(curated):
    from tests.test_ingest_pdf import PROGRAMME, pdf_bytes

    client = client_of(curated)
    page = client.get("/curate/editions/new").get_data(as_text=True)
    form = {"csrf_token": token(page), "page": (io.BytesIO(pdf_bytes(PROGRAMME)), "arctic-relay.pdf")}
    answer = client.post("/curate/editions/read", data=form, content_type="multipart/form-data")
    fields = form_of(client.get(answer.headers["Location"]).get_data(as_text=True))
    assert fields["e0-city"] == "Bergen" and "Kari Brekke" in fields.values()
    pasted = "Orbit Law Forum 2025\nWhen: 3 June 2025\nWhere: Lisbon, Portugal\n\n- Rui Matos, Partner, Lex Orbit\n"
    answer = client.post("/curate/editions/read", data={"csrf_token": token(page), "text": pasted,
                                                        "source": "https://example.org/2025/orbit-law-forum"})  # fmt: skip
    fields = form_of(client.get(answer.headers["Location"]).get_data(as_text=True))
    assert fields["e0-city"] == "Lisbon" and "Rui Matos" in fields.values()
    empty = client.post("/curate/editions/read", data={"csrf_token": token(page), "text": " "})
    assert empty.status_code == 400 and "Paste the page" in empty.get_data(as_text=True)
    exe = client.post("/curate/editions/read", data={"csrf_token": token(page), "page": (io.BytesIO(b"MZ"), "x.exe")},
                      content_type="multipart/form-data")  # fmt: skip
    assert exe.status_code == 400 and ".txt, .md, .html or .pdf" in exe.get_data(as_text=True)


def test_an_edition_is_edited_again_from_its_last_form_or_from_its_saved_page(curated):
    client = client_of(curated)
    url, page = open_draft(client)
    fields = all_new(form_of(page))
    fields[f"{row_of(fields, 'Naomi Fischer')}-title"] = "Chief Data Scientist"
    edition = client.post(url, data={**fields, "action": "commit"}).headers["Location"]
    shown = client.get(edition).get_data(as_text=True)
    assert "Edit this edition in the browser" in shown
    edit = "/curate/editions/edit/09-broomfield-ssa-roundtable"
    assert client.get(edit).status_code == 405  # a draft is made by a POST only
    assert client.post(edit).status_code == 400  # and only with the token: another site cannot make one
    again = client.post(edit, data={"csrf_token": token(shown)})
    fields = form_of(client.get(again.headers["Location"]).get_data(as_text=True))
    assert fields[f"{row_of(fields, 'Naomi Fischer')}-title"] == "Chief Data Scientist"  # the curator's correction
    assert run(curated, "undo", history(curated, graph=GRAPH)[0].id).exit_code == 0  # removed elsewhere
    assert client.post(edit, data={"csrf_token": token(shown)}).status_code == 404  # no page is kept
    assert run(curated, "ingest", "--yes", PAGE).exit_code == 0  # recorded again, from the command line
    again = client.post(edit, data={"csrf_token": token(shown)})
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "The form shows what the importer reads from the saved page" in page
    assert form_of(page)[f"{row_of(form_of(page), 'Naomi Fischer')}-title"] == "Chief Scientist"


def test_a_curator_may_upload_a_page_larger_than_the_apps_limit_and_others_may_not(curated):
    text = open(PAGE, encoding="utf-8").read() + "\n" + "Notes on the venue. " * 20_000  # about 400 kB
    client = client_of(curated)
    page = client.get("/curate/editions/new").get_data(as_text=True)
    form = {"csrf_token": token(page), "page": (io.BytesIO(text.encode()), "09-broomfield-ssa-roundtable.md")}
    answer = client.post("/curate/editions/read", data=form, content_type="multipart/form-data")
    assert answer.status_code == 302
    pasted = client.post("/curate/editions/read", data={"csrf_token": token(page), "text": text})
    assert pasted.status_code == 302
    anonymous = create_app({"SETTINGS": curated, "TESTING": True}).test_client()
    assert anonymous.post("/curate/editions/read", data={"text": text}).status_code == 413
