"""The library object, Spacegraph(settings): what it keeps per data version, shared by a web worker's threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacegraph.analysis import cache, questions
from spacegraph.cli import cli
from spacegraph.library import Spacegraph
from spacegraph.library.published import ANSWERS_KEPT, Published
from spacegraph.store.oxigraph import StoreMissing

CORPUS = Path(__file__).parent / "ingest_corpus"
LOCAL_COPIES = """
PREFIX sg: <https://w3id.org/spacegraph/ontology#>
SELECT ?local WHERE { ?document sg:localCopy ?local }
"""


def run(settings, *args):
    result = CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(settings.store), *args])
    assert result.exit_code == 0, result.output
    return result


def test_no_data_yet_is_store_missing(tmp_settings):
    with pytest.raises(StoreMissing, match="spacegraph build"):
        Spacegraph(tmp_settings).who_spoke_with("Jeffrey Manber")


def test_one_published_version_until_a_commit_publishes_another(tmp_settings):
    run(tmp_settings, "build")
    library = Spacegraph(tmp_settings)
    first = library.published()
    assert library.published() is first and first.version == library.version()
    editions = len(library.catalogue().editions)
    run(tmp_settings, "ingest", "--yes", str(CORPUS / "12-iac-2022-station-dialogue.html"))
    second = library.published()
    assert second is not first and second.version != first.version
    assert len(library.catalogue().editions) == editions + 1  # the catalogue of the new version, not the old one
    assert "YANG Yifan" in {c["name"] for c in library.who_spoke_with("Jeffrey Manber")["co_speakers"]}


def test_a_worker_s_threads_build_each_thing_once_per_version(tmp_settings, monkeypatch):
    """Eight threads ask a new library at once: the projections are built once (and their file written once), the
    name index and the catalogue read once, the betweenness scores computed once; all get the same objects."""
    run(tmp_settings, "build")
    built, scored = [], []
    build, centrality = cache.build_projections, questions.centrality
    monkeypatch.setattr(cache, "build_projections", lambda *a: built.append(a) or build(*a))
    monkeypatch.setattr(questions, "centrality", lambda *a: scored.append(a[1]) or centrality(*a))
    library = Spacegraph(tmp_settings)
    start = threading.Barrier(8)

    def ask(_: int) -> tuple:
        start.wait()
        ranking = library.rank("betweenness", top=5)["ranking"]
        return library.projections(), library.catalogue(), library.published().names, ranking

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, range(8)))
    assert len(built) == 1 and scored == ["betweenness"]
    for answer in answers:
        assert all(mine is first for mine, first in zip(answer[:3], answers[0][:3], strict=True))
        assert answer[3] == answers[0][3]


def test_a_reingested_page_s_text_is_read_anew(tmp_settings, tmp_path):
    """The evidence sentences are cut from the documents' texts: after a re-ingest, a running library reads the new
    text (issue 14: the web kept them by file name, across versions, and cut the old text at the new offsets)."""
    run(tmp_settings, "build")
    page = tmp_path / "13-space-economy-2030-online-panel.md"
    original = (CORPUS / page.name).read_text(encoding="utf-8")
    page.write_text(original, encoding="utf-8")
    run(tmp_settings, "ingest", "--yes", str(page))
    library = Spacegraph(tmp_settings)
    local = next(row["local"].value for row in library.store().query(LOCAL_COPIES) if "2030" in row["local"].value)
    assert "Wednesday, March 8, 2023" in (library.document_text(local) or "")
    page.write_text(original.replace("Wednesday, March 8, 2023", "Thursday, March 9, 2023"), encoding="utf-8")
    run(tmp_settings, "ingest", "--yes", str(page))
    text = library.document_text(local) or ""
    assert "Thursday, March 9, 2023" in text and "March 8" not in text
    assert library.document_text("../../../etc/passwd") is None  # only files under the data directory


def test_remembered_answers_are_bounded_and_kept_per_key(tmp_settings):
    run(tmp_settings, "build")
    published: Published = Spacegraph(tmp_settings).published()
    computed: list[int] = []
    for key in range(ANSWERS_KEPT + 1):
        assert published.remembered(("n", key), lambda key=key: computed.append(key) or key) == key
    assert published.remembered(("n", ANSWERS_KEPT), lambda: -1) == ANSWERS_KEPT  # kept
    assert published.remembered(("n", 0), lambda: -1) == -1  # the oldest went, and is computed anew
    assert computed == list(range(ANSWERS_KEPT + 1))


def test_bad_parameters_are_value_errors_that_say_what_to_give(built_settings):
    library = Spacegraph(built_settings)
    with pytest.raises(ValueError, match="unknown measure 'coolness': use one of degree, betweenness"):
        library.rank("coolness")
    with pytest.raises(ValueError, match="unknown network 'friends'"):
        library.network("friends")
    with pytest.raises(ValueError, match="at least 1"):
        library.ego("Jeffrey Manber", radius=0)
