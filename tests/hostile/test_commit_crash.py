"""A commit killed at each of its steps, and the torn files such kills used to leave (issue 13, part 4).

Each kill is a real SIGKILL at a failpoint (``spacegraph.write.journal.failpoint``) in a real `spacegraph ingest`
process that replaces an existing graph, so every step has something to back up. Afterwards data/ and the store
must both be as before the commit or both as after it, the read-only commands must say that a commit is pending,
and the next writer must settle it and leave nothing behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from tests.test_ingest_commit import PAGE, graph_quads, run, snapshot

import spacegraph.cli
from spacegraph.store.oxigraph import generation_of
from spacegraph.write.journal import JOURNAL, _backup

# (failpoint, committed): the publication of the clone (between before-store and after-store) is the commit point.
STEPS = [("before-journal", False), ("mid-journal", False), ("after-journal", False), ("mid-backup", False),
         ("after-backups", False), ("before-store", False), ("after-store", True), ("mid-finish", True)]  # fmt: skip


@pytest.fixture
def ingested(tmp_settings, tmp_path):
    """The store built and PAGE ingested; returns the settings and an edit of PAGE that replaces its graph."""
    assert run(tmp_settings, "build").exit_code == 0
    assert run(tmp_settings, "ingest", "--yes", str(PAGE)).exit_code == 0
    edited = tmp_path / PAGE.name
    text = PAGE.read_text(encoding="utf-8")
    edited.write_text(text.replace(next(line for line in text.splitlines() if "Starlane" in line), ""), "utf-8")
    return tmp_settings, edited


def kill_during(settings, failpoint: str, *args: str) -> None:
    env = {**os.environ, "SPACEGRAPH_FAILPOINT": failpoint}
    command = [sys.executable, "-m", "spacegraph", "--data", str(settings.data), "--store", str(settings.store), *args]
    killed = subprocess.run(command, env=env, capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr  # SIGKILL at the failpoint: the step was reached


def page_graph(settings) -> str:
    return "https://w3id.org/spacegraph/graph/" + next((settings.data / "graphs").glob("*online-panel*.trig")).stem


def assert_nothing_left_behind(settings) -> None:
    assert not (settings.data / JOURNAL).exists()
    assert not [p for p in settings.data.rglob(".*") if p.is_file()], "temporaries or backups were left behind"
    published = generation_of(settings.store)
    assert published is not None
    number = lambda generation: int(generation.name.rsplit("-", 1)[1])  # noqa: E731
    clones = [g for g in settings.store.parent.glob(f"{settings.store.name}.gen-*") if g.is_dir()]
    stray = [g.name for g in clones if number(g) > number(published)]
    assert not stray, "an unpublished clone was left behind"
    assert not list(settings.store.parent.glob(f".{settings.store.name}.link-*"))


@pytest.mark.parametrize(("failpoint", "committed"), STEPS)
def test_a_kill_at_each_step_leaves_data_and_store_before_or_after(ingested, failpoint, committed):
    settings, edited = ingested
    before = snapshot(settings)
    kill_during(settings, failpoint, "ingest", "--yes", str(edited))
    assert (snapshot(settings)[0] != before[0]) == committed  # the store changed in one rename, or not at all

    journal_written = failpoint not in ("before-journal", "mid-journal")
    checked = run(settings, "validate")
    assert checked.exit_code == 0, checked.output
    assert ("a commit was interrupted" in checked.stderr) == journal_written

    recovered = run(settings, "ingest", "--dry-run", str(edited))  # the next writer settles the commit first
    assert recovered.exit_code == 0, recovered.output
    assert ("Recovered:" in recovered.stderr) == journal_written
    assert_nothing_left_behind(settings)
    if committed:
        assert not any("Starlane" in q for q in graph_quads(settings, page_graph(settings)))
        from_the_commit = snapshot(settings)
        assert run(settings, "build").exit_code == 0
        assert snapshot(settings) == from_the_commit  # data/ holds exactly what the store was given
    else:
        assert snapshot(settings) == before
        assert run(settings, "build").exit_code == 0
    after = run(settings, "validate")
    assert after.exit_code == 0 and "interrupted" not in after.stderr
    assert run(settings, "ingest", "--yes", str(edited)).exit_code == 0  # and the commit can be made again
    assert not any("Starlane" in q for q in graph_quads(settings, page_graph(settings)))


@pytest.mark.parametrize("torn", ["empty", "half", "incomplete"])
def test_a_torn_journal_is_dropped_and_every_command_still_works(ingested, torn):
    settings, edited = ingested
    before = snapshot(settings)
    kill_during(settings, "after-journal", "ingest", "--yes", str(edited))  # a journal, a clone, temporaries
    journal = settings.data / JOURNAL
    text = journal.read_bytes()
    journal.write_bytes({"empty": b"", "half": text[: len(text) // 2],
                         "incomplete": json.dumps({"graph": json.loads(text)["graph"]}).encode()}[torn])  # fmt: skip
    # what a kill inside `publish` leaves: the new link, made but not yet renamed over the store path
    os.symlink(generation_of(settings.store).name, settings.store.with_name(f".{settings.store.name}.link-1"))
    for command in (["validate"], ["stats"], ["query", "ASK { ?s ?p ?o }"]):
        result = run(settings, *command)
        assert result.exit_code == 0 and result.exception is None, result.output
        assert "Run `spacegraph build`" in result.stderr.replace("\n", " ")
    rebuilt = run(settings, "build")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert_nothing_left_behind(settings)
    assert snapshot(settings) == before
    assert run(settings, "ingest", "--yes", str(edited)).exit_code == 0
    assert not any("Starlane" in q for q in graph_quads(settings, page_graph(settings)))


def test_an_incomplete_backup_is_never_restored_over_an_intact_file(ingested):
    settings, edited = ingested
    before = snapshot(settings)
    kill_during(settings, "after-journal", "ingest", "--yes", str(edited))  # the journal names the targets
    target = next((settings.data / "graphs").glob("*online-panel*.trig"))
    intact = target.read_bytes()
    _backup(target).write_bytes(intact[:100])  # what a kill mid-copy left when backups were copied in place
    recovered = run(settings, "ingest", "--dry-run", str(edited))
    assert recovered.exit_code == 0 and "undid the interrupted commit" in recovered.stderr, recovered.output
    assert target.read_bytes() == intact
    assert_nothing_left_behind(settings)
    assert snapshot(settings) == before
    assert run(settings, "build").exit_code == 0


def test_the_warning_names_the_journal_the_commands_look_for():
    assert spacegraph.cli.JOURNAL == JOURNAL
