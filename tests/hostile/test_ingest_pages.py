"""Hostile pages for `spacegraph ingest`: what a page can do to the graph (issue 13, "Hardening").

A page's graph name comes from its `source:` line or its file name, both the page author's: it must not replace
the registry, a proposal, a graph kept in another file, a source document, or (without --replace) an edition
recorded from another source document. A text file that says nothing an event page says is refused, and so is
anything that is not a regular file, whatever it claims its size to be; the page is read once.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import needs_system

from spacegraph.cli import cli
from spacegraph.store.oxigraph import OxigraphStore

CORPUS = Path(__file__).parent.parent / "ingest_corpus"
FUZHOU_PAGE = CORPUS / "00-fuzhou-2020.txt"
FUZHOU_GRAPH = "swfound-2020-second-sino-us-space-commercialization-workshop"
GRAPH = "https://w3id.org/spacegraph/graph/"
PAGE = (
    "title: Commercial Space Roundtable\n\nCommercial Space Roundtable\n\nWhen: March 3, 2024\n"
    "Where: Paris, France\n\n"
    "  • Blaine Vincent CURCIO, Founder, Orbital Gateway Consulting: Opening Remarks\n"
    "  • Mara Quillfeather, Chief Engineer, Lunar Freight Systems: Speaker\n"
)
BOUNDED = 300  # seconds: what a command that reads without bound, or waits for a writer, would overrun


def run(settings, *args):
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(settings.store), *args])


def run_process(settings, *args) -> subprocess.CompletedProcess:
    """`spacegraph` in its own process, so that a read that never returns fails the test instead of hanging it."""
    command = [sys.executable, "-m", "spacegraph", "--data", str(settings.data), "--store", str(settings.store), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=BOUNDED, stdin=subprocess.DEVNULL)


def snapshot(settings) -> tuple[str, str]:
    """Digests of the store's quads and of every file under data/."""
    out = io.BytesIO()
    OxigraphStore(settings.store, read_only=True).dump(out)
    lines = re.sub(rb"_:[0-9a-f]+", b"_:b", out.getvalue()).splitlines()
    files = hashlib.sha256()
    for path in sorted(settings.data.rglob("*")):
        if path.is_file():
            files.update(str(path.relative_to(settings.data)).encode() + b"\0" + path.read_bytes())
    return hashlib.sha256(b"\n".join(sorted(lines))).hexdigest(), files.hexdigest()


def count(settings, where: str) -> int:
    rows = OxigraphStore(settings.store, read_only=True).query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(next(iter(rows))["n"].value)


def graph_files(settings) -> set[str]:
    return {p.name for p in (settings.data / "graphs").glob("*.trig")}


@pytest.fixture
def built(tmp_settings):
    assert run(tmp_settings, "build").exit_code == 0
    return tmp_settings


def refused(result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception  # no traceback
    for word in words:
        assert word in result.output, f"{word!r} not in {result.output}"
    assert "Nothing was written" in result.output or "nothing was written" in result.output


# ---------------------------------------------------------------- graph names belong to the project


def test_a_page_named_after_the_people_registry_is_refused_and_the_registry_is_unchanged(built, tmp_path):
    people = f"GRAPH <{GRAPH}registry-people> {{ ?p a <http://xmlns.com/foaf/0.1/Person> }}"
    assert count(built, people) == 14
    page = tmp_path / "registry-people.txt"
    page.write_text(PAGE, encoding="utf-8")
    before = snapshot(built)
    result = run(built, "ingest", "--yes", str(page))
    refused(result, str(page), "registry-people", "data/registry/people.trig", "data/graphs/", "Fix:")
    assert snapshot(built) == before
    assert count(built, people) == 14
    assert run(built, "validate").exit_code == 0 and run(built, "build").exit_code == 0
    # --replace does not hand the registry over either
    refused(run(built, "ingest", "--yes", "--replace", str(page)), "registry-people")
    assert snapshot(built) == before


@pytest.mark.parametrize("name", ["registry-series.md", "proposal-next-edition.txt"])
def test_the_registry_and_proposal_names_are_reserved(built, tmp_path, name):
    page = tmp_path / name
    page.write_text(PAGE, encoding="utf-8")
    before = snapshot(built)
    refused(run(built, "ingest", "--yes", str(page)), str(page), "belongs to the", "Fix: rename the page file")
    assert snapshot(built) == before


def test_a_source_line_naming_a_curated_edition_needs_replace(built, tmp_path):
    target = built.data / "graphs" / f"{FUZHOU_GRAPH}.trig"
    curated = target.read_bytes()
    before = snapshot(built)
    for args in (["--yes"], ["--dry-run"]):
        result = run(built, "ingest", *args, str(FUZHOU_PAGE))
        refused(
            result,
            str(FUZHOU_PAGE),
            f"would replace {target}",
            "Second Sino-U.S. Space Commercialization Workshop",
            "spacegraph import-series",
            "series-json",
            "--replace",
        )
        assert snapshot(built) == before
    replaced = run(built, "ingest", "--yes", "--replace", str(FUZHOU_PAGE))
    assert replaced.exit_code == 0, replaced.output
    assert f"Replacing {target}" in replaced.output
    now = target.read_bytes()
    assert now != curated and b"spacegraph-ingest" in now and b"series-json" not in now
    assert run(built, "build").exit_code == 0
    # the graph is now the page's: the same page again needs no flag
    again = run(built, "ingest", "--yes", str(FUZHOU_PAGE))
    assert again.exit_code == 0 and "unchanged" in again.output


def test_another_page_landing_on_an_ingested_graphs_name_needs_replace(built, tmp_path):
    first = tmp_path / "first.txt"
    first.write_text("source: https://example.org/events/2024/roundtable\n" + PAGE, encoding="utf-8")
    assert run(built, "ingest", "--yes", str(first)).exit_code == 0
    assert "example-2024-roundtable.trig" in graph_files(built)
    # the same address again, edited: the same source document, replaced without asking
    first.write_text(first.read_text(encoding="utf-8").replace("Mara Quillfeather", "Mara Quill"), encoding="utf-8")
    assert run(built, "ingest", "--yes", str(first)).exit_code == 0
    # a file whose name lands on that graph's name is another source document
    other = tmp_path / "example-2024-roundtable.txt"
    other.write_text(PAGE.replace("Mara Quillfeather", "Ada Orbison"), encoding="utf-8")
    before = snapshot(built)
    refused(run(built, "ingest", "--yes", str(other)), "would replace", "https://example.org/events/2024/roundtable")
    assert snapshot(built) == before
    assert run(built, "ingest", "--yes", "--replace", str(other)).exit_code == 0


def test_a_graph_kept_in_another_file_is_neither_replaced_nor_overwritten(tmp_settings, tmp_path):
    graphs = tmp_settings.data / "graphs"
    kept = graphs / "edition-2021.trig"  # holds the graph <…/swfound-2021-…paris-peace-forum>, under another name
    (graphs / "swfound-2021-us-sino-space-commercialization-dialogue-active-at-2021-paris-peace-forum.trig").rename(
        kept
    )
    assert run(tmp_settings, "build").exit_code == 0
    before = snapshot(tmp_settings)
    by_source = tmp_path / "paris.txt"
    by_source.write_text(
        "source: https://swfound.org/news/all-news/2021/11/us-sino-space-commercialization-dialogue-active-at-2021-paris-peace-forum\n"
        + PAGE,
        encoding="utf-8",
    )
    refused(run(tmp_settings, "ingest", "--yes", "--replace", str(by_source)), "already in the store", str(kept))
    by_file_name = tmp_path / "edition-2021.txt"
    by_file_name.write_text(PAGE, encoding="utf-8")
    refused(run(tmp_settings, "ingest", "--yes", "--replace", str(by_file_name)), f"{kept} holds the graph")
    assert snapshot(tmp_settings) == before


def test_a_page_named_after_a_source_document_does_not_overwrite_it(built, tmp_path):
    source = built.data / "sources" / "swf-2020-09-19-second-sino-us-space-commercialization-workshop.txt"
    original = source.read_bytes()
    page = tmp_path / source.name
    page.write_text(PAGE, encoding="utf-8")  # no source: line, so named after the file
    before = snapshot(built)
    refused(run(built, "ingest", "--yes", "--replace", str(page)), str(source), "does not overwrite a source document")
    assert source.read_bytes() == original and snapshot(built) == before


def test_two_pages_naming_one_graph_in_one_run_are_refused(built, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    pages = [tmp_path / d / "roundtable.txt" for d in ("a", "b")]
    for page in pages:
        page.write_text(PAGE, encoding="utf-8")
    before = snapshot(built)
    refused(run(built, "ingest", "--yes", *map(str, pages)), "both name the graph 'roundtable'")
    assert snapshot(built) == before


# ---------------------------------------------------------------- a page must say something an event page says


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "lolz.txt",
            '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
            "<lolz>&lol2;</lolz>\n",
            "declares XML entities",
        ),
        ("colons.txt", ":\n::\n:::: :: :\n" * 200, "no event date, place or participant could be read"),
        ("notes.md", "# Shopping list\n\nBread, milk and eggs.\n\nCall the plumber.\n", "no event date, place"),
        ("empty.txt", "\n \n", "is empty"),
    ],
    ids=["entity-bomb-as-txt", "page-of-colons", "prose-without-an-event", "empty"],
)
def test_a_text_file_that_is_not_an_event_page_is_refused(built, tmp_path, name, content, message):
    page = tmp_path / name
    page.write_text(content, encoding="utf-8")
    before = snapshot(built)
    refused(run(built, "ingest", "--yes", str(page)), str(page), message)
    assert snapshot(built) == before


def test_an_unnamable_title_is_a_clear_error(built, tmp_path):
    page = tmp_path / "untitled.txt"
    page.write_text("title: ---\n\n---\n\nWhen: March 3, 2024\nWhere: Paris, France\n", encoding="utf-8")
    before = snapshot(built)
    refused(run(built, "ingest", "--yes", str(page)), str(page), "'---' has no letters or digits", "title:")
    assert snapshot(built) == before


def test_an_unnamable_file_name_is_a_clear_error(built, tmp_path):
    page = tmp_path / "¿¡!.txt"
    page.write_text(PAGE, encoding="utf-8")
    refused(run(built, "ingest", "--yes", str(page)), "no graph name can be made from its file name", "rename")


# ---------------------------------------------------------------- reading: regular files only, once, bounded


def test_a_fifo_is_refused_and_the_command_returns(built, tmp_path):
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it for reading the ordinary way waits forever
    result = run_process(built, "ingest", "--yes", str(fifo))
    assert result.returncode == 1, result.stderr
    assert f"{fifo}: is a FIFO" in result.stderr and "Traceback" not in result.stderr


def test_a_link_to_dev_zero_is_refused(built, tmp_path):
    needs_system("/dev/zero", Path("/dev/zero").exists())
    link = tmp_path / "page.txt"
    link.symlink_to("/dev/zero")  # its size says 0 bytes; reading it never ends
    result = run_process(built, "ingest", "--dry-run", str(link))
    assert result.returncode == 1, result.stderr
    assert f"{link}: is a device" in result.stderr and "Traceback" not in result.stderr


def test_a_directory_is_refused(built, tmp_path):
    directory = tmp_path / "page.html"
    directory.mkdir()
    refused(run(built, "ingest", "--dry-run", str(directory)), f"{directory}: is a directory")


def test_a_size_lie_does_not_make_the_read_unbounded(tmp_path, monkeypatch):
    """A file whose status claims it is small (as /proc and some network file systems do) is still read only
    up to the limit, and refused."""
    from spacegraph.ingest import documents

    page = tmp_path / "page.txt"
    page.write_bytes(b"When: March 3, 2024\n" * 150_000)  # 3 MB
    real_stat, real_fstat = os.stat, os.fstat

    def small(status: os.stat_result) -> os.stat_result:
        fields = list(status)
        fields[6] = 100  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(documents.os, "stat", lambda path: small(real_stat(path)))
    monkeypatch.setattr(documents.os, "fstat", lambda fd: small(real_fstat(fd)))
    with pytest.raises(documents.DocumentError, match="more than 2,000,000 bytes is too large"):
        documents.read_document(page)


def test_the_page_is_read_once_and_committed_as_read(built, tmp_path):
    """commit_page writes the bytes prepare_page read, not whatever the file holds by then."""
    from spacegraph.ingest.ingest_page import commit_page, prepare_page
    from spacegraph.write import Writer

    page = tmp_path / "roundtable.md"
    page.write_text(PAGE, encoding="utf-8")
    read = page.read_bytes()
    with Writer(built) as writer:
        prepared = prepare_page(page, writer)
        page.write_text(PAGE.replace("Mara Quillfeather", "Someone Else Entirely"), encoding="utf-8")
        commit_page(prepared, writer)
    assert (built.data / "sources" / "roundtable.md").read_bytes() == read
    assert b"Quillfeather" in (built.data / "graphs" / "roundtable.trig").read_bytes()


def test_commit_page_refuses_a_replacement_it_was_not_asked_for(built):
    from spacegraph.ingest.ingest_page import ReplaceRefused, commit_page, prepare_page
    from spacegraph.write import Writer

    before = snapshot(built)
    with Writer(built) as writer:
        prepared = prepare_page(FUZHOU_PAGE, writer)
        assert prepared.replaces and "spacegraph import-series" in prepared.replaces
        with pytest.raises(ReplaceRefused, match="--replace"):
            commit_page(prepared, writer)
    assert snapshot(built) == before


def test_han_text_is_indexed_and_paired_within_bounds():
    """A page of Han characters and thousands of romanised names: each reading keeps at most MAX_STARTS places,
    at most MAX_HAN_CHARS characters are read, and at most MAX_PAIRED participants are looked up (issue 15)."""
    from spacegraph.ingest.han_entries import MAX_PAIRED, pair_han_names
    from spacegraph.ingest.page_entries import Mention
    from spacegraph.names.han import MAX_HAN_CHARS, MAX_STARTS, HanNames

    text = "王伟李明" * 40_000 + "。最后张三"
    index = HanNames(text)
    assert max(len(places) for places in index.starts.values()) <= MAX_STARTS
    assert max(at for places in index.starts.values() for at in places) <= MAX_HAN_CHARS
    people = [Mention("Wang Wei", None, None, None, None, ["speaker"], None, (0, 1)) for _ in range(MAX_PAIRED + 5)]
    pair_han_names(people, index)
    assert all(p.han_name == "王伟" for p in people[:MAX_PAIRED])
    assert all(p.han_name is None for p in people[MAX_PAIRED:])
    assert index.find("Zhang San") is None  # beyond the characters read


def test_a_pdf_over_the_size_setting_is_refused_before_it_is_parsed(built, tmp_path, monkeypatch):
    page = tmp_path / "programme.pdf"
    page.write_bytes(b"%PDF-1.4\n" + b"%" * 5_000)
    monkeypatch.setenv("SPACEGRAPH_INGEST_PDF_MAX_BYTES", "1000")
    result = run(built, "ingest", "--dry-run", str(page))
    assert result.exit_code == 1
    assert f"{page}: 5,009 bytes is too large for an event page (limit 1,000)" in result.output
