"""A started `spacegraph serve` loads its data version before any request needs it, says so, and loads the version a
commit publishes in the background (issue 17: at 10^6 quads the first request of a new worker took 38-55 s)."""

from __future__ import annotations

import pickle
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from tests.serving import spawn, stop
from tests.test_write_path import CURATOR, curated_graph

from spacegraph.build import build_store
from spacegraph.settings import Settings
from spacegraph.store.open import data_version
from spacegraph.write import write_graph


class Output:
    """The lines a server prints, read as they come."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 60) -> int:
        """The index of the first line containing ``text``, once printed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, line in enumerate(self.lines):
                if text in line:
                    return index
            time.sleep(0.1)
        raise AssertionError(f"the server did not print {text!r} within {timeout:g} s:\n{''.join(self.lines)}")


@contextmanager
def started(settings: Settings) -> Iterator[tuple[str, Output]]:
    """`spacegraph serve` with one worker, not requested anything: its URL and its output."""
    process, url = spawn(settings, workers=1)
    try:
        yield url, Output(process)
    finally:
        stop(process)


def test_a_started_server_loads_its_version_and_the_pages_before_any_request(built_settings):
    version = data_version(built_settings)
    with started(built_settings) as (url, output):
        loading = output.wait_for(f"loading the network projections for version {version} …")
        assert output.wait_for(f"loading the network view's catalogue for version {version}") > loading
        assert output.wait_for(f"loading the name index for version {version}") > loading
        ready = output.wait_for(f"pages of version {version} ready")
        assert "/network" in output.lines[ready] and "/api/network" in output.lines[ready]
        with urllib.request.urlopen(url + "/api/network", timeout=30) as answer:
            assert answer.status == 200
    assert sum("loading the network projections" in line for line in output.lines) == 1  # not again on a request


def test_a_commit_is_loaded_in_the_background_and_then_answered(tmp_settings):
    build_store(tmp_settings)
    before = data_version(tmp_settings)
    with started(tmp_settings) as (url, output):
        output.wait_for(f"pages of version {before} ready")
        graph, quads = curated_graph("curated-notes")
        write_graph(tmp_settings, graph, quads, file=tmp_settings.data / "graphs" / "curated-notes.trig", by=CURATOR)
        after = data_version(tmp_settings)
        assert after != before
        output.wait_for(f"loading the network projections for version {after} …")  # no request asked for it
        output.wait_for(f"pages of version {after} ready")
        with urllib.request.urlopen(url + "/graph/curated-notes.json", timeout=30) as answer:
            assert answer.status == 200


def test_the_catalogue_is_kept_beside_its_version_for_the_next_worker(built_settings):
    from spacegraph.library import Spacegraph

    version = data_version(built_settings)
    kept = built_settings.store.parent / f"{version}.catalogue.pickle"
    kept.unlink(missing_ok=True)
    first = Spacegraph(built_settings).catalogue()
    form, catalogue = pickle.loads(kept.read_bytes())
    assert catalogue == first and first.editions and first.presence["people"]
    catalogue.generation = "read from the file"
    kept.write_bytes(pickle.dumps((form, catalogue)))
    assert Spacegraph(built_settings).catalogue().generation == "read from the file"  # as a new worker would
    kept.write_bytes(pickle.dumps(((0, ()), catalogue)))  # of another form: computed again
    assert Spacegraph(built_settings).catalogue() == first


def test_a_loaded_version_is_kept_out_of_the_garbage_collectors_way(built_settings):
    """After the worker's loading thread has loaded a version, what it loaded is frozen (``gc.freeze``), so that a
    full collection no longer walks it (a pause of a second under load, bench/README.md, issue 19)."""
    import gc

    from spacegraph.web import create_app
    from spacegraph.web.server import keep_warm

    app = create_app({"SETTINGS": built_settings})
    said: list[str] = []
    gc.collect()  # earlier tests' garbage is not counted
    walked = len(gc.get_objects())  # what a full collection walks
    try:
        keep_warm(app, said.append, rounds=1)
        assert any("loaded in" in line for line in said)
        published = app.extensions["spacegraph"].published()  # what the loading thread loaded
        assert not any(kept is published for kept in gc.get_objects())  # frozen: no collection walks it
        assert gc.get_freeze_count() > walked // 2  # the app, its version's projections and caches
        assert len(gc.get_objects()) < walked  # less to walk than before anything was loaded
    finally:
        gc.unfreeze()
        app.extensions["sparql"].stop()
