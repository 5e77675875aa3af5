"""`spacegraph ingest --json`: stdout holds the JSON document and nothing else, whatever happens (issue 15).

Each test makes ingest produce one kind of extra output (warnings, a violation report, a refusal, a clash of graph
names, a missing store, a prompt, commit messages, a stray print in the library) and parses stdout with
``json.loads``: one document for one page, a list for several. The messages themselves are on stderr.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacegraph.cli import cli

CORPUS = Path(__file__).parent / "ingest_corpus"
PAGE = CORPUS / "13-space-economy-2030-online-panel.md"

# A page whose graph contradicts the curated 2020 edition (it says nothing of the nine participants): a violation.
NONCONFORMING = (
    "source: https://example.org/news/2020/fuzhou-report\n"
    "title: Second Sino-U.S. Space Commercialization Workshop\n\n"
    "Second Sino-U.S. Space Commercialization Workshop\n\nWhen: Saturday, September 19, 2020\n"
    "Where: Fuzhou, China\n\nThe workshop discussed commercial space.\n"
)


def run(settings, *args, store=None, input=None):
    store = store or settings.store
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(store), *args], input=input)


@pytest.fixture
def built(tmp_settings):
    assert run(tmp_settings, "build").exit_code == 0
    return tmp_settings


def page(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_dry_run_prints_one_document_and_its_warnings_on_stderr(built, tmp_path):
    path = page(tmp_path, "no-place.md", "title: Orbital Tidiness Seminar\n\nWhen: 3 March 2022\n\n"
                "- Dr. Ilse Varnhagen, Director, Example Space Agency\n")  # fmt: skip
    result = run(built, "ingest", "--dry-run", "--json", str(path))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["events"][0]["start_date"] == "2022-03-03"
    place = [w for w in document["warnings"] if "no place" in w]
    assert place, document["warnings"]
    assert f"{path}: warning: {place[0]}" in result.stderr
    assert "Dry run: nothing was written." in result.stderr


def test_a_violation_report_goes_to_stderr_and_into_the_document(built, tmp_path):
    path = page(tmp_path, "second-report.txt", NONCONFORMING)
    result = run(built, "ingest", "--dry-run", "--json", str(path))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["validation"]["conforms"] is False
    assert any("participant list is complete" in v["message"] for v in document["validation"]["violations"])
    assert "does not conform" in document["error"]
    assert "participant list is complete" in result.stderr and "does not conform" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the page is empty"), ("title: Notes\n\nNothing here but a thought.\n", "no event date, place")],
    ids=["empty", "no-event"],
)
def test_a_refused_page_is_a_document_with_its_error(built, tmp_path, text, message):
    path = page(tmp_path, "refused.txt", text)
    result = run(built, "ingest", "--dry-run", "--json", str(path))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["source"] == str(path) and document["events"] == []
    assert message in document["error"] and message in result.stderr


def test_a_refused_replacement_is_a_document_with_its_error(built):
    result = run(built, "ingest", "--dry-run", "--json", str(CORPUS / "00-fuzhou-2020.txt"))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["events"] and "--replace" in document["error"]


def test_several_pages_are_a_list_even_when_one_clashes(built, tmp_path):
    twin = page(tmp_path, PAGE.name, PAGE.read_text(encoding="utf-8"))
    result = run(built, "ingest", "--dry-run", "--json", str(PAGE), str(twin))
    assert result.exit_code == 1
    first, second = json.loads(result.stdout)
    assert first["events"] and "error" not in first
    assert "both name the graph" in second["error"] and "both name the graph" in result.stderr


def test_a_missing_store_is_a_document_with_its_error(built, tmp_path):
    result = run(built, "ingest", "--dry-run", "--json", str(PAGE), store=tmp_path / "nowhere")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["source"] == str(PAGE) and document["error"]


def test_no_confirmation_without_a_terminal_is_a_document_with_its_error(built):
    result = run(built, "ingest", "--json", str(PAGE), input="")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["events"] and "--yes" in document["error"]


def test_a_commit_prints_the_document_and_reports_on_stderr(built):
    result = run(built, "ingest", "--yes", "--json", str(PAGE))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["events"]
    assert "Committed" in result.stderr and "Committed" not in result.stdout


def test_whatever_the_library_prints_goes_to_stderr(built, monkeypatch):
    import spacegraph.ingest.ingest_page as ingest_page

    parse = ingest_page.parse_page

    def chatty(*args, **kwargs):
        print("a stray line from deep inside")
        return parse(*args, **kwargs)

    monkeypatch.setattr(ingest_page, "parse_page", chatty)
    result = run(built, "ingest", "--dry-run", "--json", str(PAGE))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["events"]
    assert "a stray line from deep inside" in result.stderr


def test_an_unexpected_error_still_leaves_a_document(built, monkeypatch):
    import spacegraph.ingest.ingest_page as ingest_page

    def broken(*args, **kwargs):
        raise RuntimeError("the parser broke")

    monkeypatch.setattr(ingest_page, "parse_page", broken)
    result = run(built, "ingest", "--dry-run", "--json", str(PAGE))
    assert result.exit_code != 0
    assert "the parser broke" in json.loads(result.stdout)["error"]


def test_the_installed_command_writes_only_json_to_its_stdout(built, tmp_path):
    path = page(tmp_path, "second-report.txt", NONCONFORMING)
    command = [sys.executable, "-m", "spacegraph", "--data", str(built.data), "--store", str(built.store),
               "ingest", "--dry-run", "--json", str(path)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert json.loads(done.stdout)["validation"]["conforms"] is False
    assert "does not conform" in done.stderr


def test_each_thing_the_page_did_not_give_is_a_warning(built, tmp_path):
    path = page(tmp_path, "bare.txt", "title: Example Orbital Tidiness Meeting 2022\n\nWhen: 3 March 2022\n"
                "Where: Tallinn, Estonia\n\nThe meeting was short.\n")  # fmt: skip
    result = run(built, "ingest", "--dry-run", "--json", str(path))
    document = json.loads(result.stdout)
    gaps = [w.split("the page gives ", 1)[1] for w in document["warnings"] if "the page gives" in w]
    event = document["events"][0]
    said_about = event.get("topics") or event.get("proposed_topics")
    assert gaps == ["no participants"] + ([] if said_about else ["no topics"])
    assert all(f"warning: event 'Example Orbital Tidiness Meeting 2022': the page gives {gap}" in result.stderr
               for gap in gaps)  # fmt: skip


def test_a_person_in_the_same_role_twice_keeps_one_evidence_span_and_conforms(built, tmp_path):
    path = page(tmp_path, "two-panels.txt", "title: Example Orbital Panels 2022\n\nWhen: 3 March 2022\n"
                "Where: Tallinn, Estonia\n\nPanel 1\nModerator: Dr. Ilse Varnhagen, Director, Example Space Agency\n"
                "\nPanel 2\nModerator: Dr. Ilse Varnhagen, Director, Example Space Agency\n")  # fmt: skip
    result = run(built, "ingest", "--dry-run", "--json", str(path))
    document = json.loads(result.stdout)
    assert result.exit_code == 0, document.get("validation")
    assert "validation" not in document and "error" not in document
