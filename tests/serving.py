"""A real server for tests with HTTP clients: `spacegraph serve` (gunicorn) on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from spacegraph.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(settings: Settings, workers: int = 2, **env: str) -> tuple[subprocess.Popen, str]:
    """`spacegraph serve` (gunicorn) started on a free port, not asked anything yet: the process and its URL."""
    port = free_port()
    environment = {**os.environ, "SPACEGRAPH_STORE": str(settings.store), "SPACEGRAPH_DATA": str(settings.data),
                   **env}  # fmt: skip
    command = [sys.executable, "-m", "spacegraph", "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return process, f"http://127.0.0.1:{port}"


def stop(process: subprocess.Popen) -> None:
    """Stop a spawned server: politely, then for good."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def serving(settings: Settings, workers: int = 2, **env: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """`spacegraph serve` (gunicorn) on a free port, answering its home page, until the block ends: the process and
    its URL."""
    process, url = spawn(settings, workers, **env)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"the server did not start:\n{output}")
            time.sleep(0.2)
    try:
        yield process, url
    finally:
        stop(process)
