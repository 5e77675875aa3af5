"""The ingest parser on a corpus of event pages with known answers (tests/ingest_corpus/, written by hand).

Participants are compared as (name, organisation, role, talk title); precision and recall over the corpus must
both reach 0.95. Event fields are compared page by page.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spacegraph.ingest.ingest_page import prepare_page
from spacegraph.write import Writer

CORPUS = Path(__file__).parent / "ingest_corpus"
PAGES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".html") and p.stem[:2].isdigit())
EVENT_FIELDS = ("name", "start_date", "end_date", "city", "country", "hosts", "series", "co_located_with",
                "attendance_mode")  # fmt: skip


def participant_keys(report: dict) -> list[tuple]:
    return [
        (e["name"], p["name"], p["organization"], p["role"], p["talk_title"])
        for e in report["events"]
        for p in e["participants"]
    ]


@pytest.fixture(scope="module")
def reports(built_settings) -> dict[str, dict]:
    with Writer(built_settings) as writer:
        return {page.name: prepare_page(page, writer).report for page in PAGES}


def expected(page: Path) -> dict:
    return json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))


def test_the_corpus_is_large_enough():
    assert len(PAGES) >= 16
    assert sum(len(participant_keys(expected(p))) for p in PAGES) >= 120


def test_participant_precision_and_recall(reports):
    found = wanted = correct = 0
    misses = []
    for page in PAGES:
        got, want = participant_keys(reports[page.name]), participant_keys(expected(page))
        found, wanted = found + len(got), wanted + len(want)
        remaining = list(want)
        for key in got:
            if key in remaining:
                remaining.remove(key)
                correct += 1
            else:
                misses.append(f"{page.name}: unexpected {key}")
        misses += [f"{page.name}: missing {key}" for key in remaining]
    precision, recall = correct / found, correct / wanted
    print(f"participants: precision {precision:.3f}, recall {recall:.3f} ({correct}/{found} found, {wanted} wanted)")
    assert precision >= 0.95 and recall >= 0.95, "\n".join(misses)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_event_fields(reports, page):
    got = [{f: e[f] for f in EVENT_FIELDS} for e in reports[page.name]["events"]]
    want = [{f: e[f] for f in EVENT_FIELDS} for e in expected(page)["events"]]
    assert got == want


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_people_names_are_split(reports, page):
    def names(report):
        return sorted(
            {(p["name"], p["family_name"], p["given_name"]) for e in report["events"] for p in e["participants"]},
            key=str,
        )

    assert names(reports[page.name]) == names(expected(page))


def test_evidence_spans_point_at_the_entry(reports):
    for page in PAGES:
        from spacegraph.ingest.documents import read_document

        text = read_document(page).text
        for event in reports[page.name]["events"]:
            for p in event["participants"]:
                span = text[p["evidence"]["start"] : p["evidence"]["end"]]
                surname = (p["family_name"] or p["name"]).split()[0].lower()
                assert surname in span.lower(), f"{page.name}: {p['name']} not in evidence {span!r}"
