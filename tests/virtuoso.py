"""A Virtuoso Open Source server (Debian's virtuoso-opensource-7-bin) for the tests: on 127.0.0.1, free ports, its
own temporary database, stopped afterwards. `make test` installs the package when it is missing."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
"""


@dataclass(frozen=True)
class Virtuoso:
    url: str  # the HTTP root

    @property
    def query_url(self) -> str:
        return self.url + "/sparql"

    @property
    def update_url(self) -> str:  # updates need the authenticated endpoint (digest, dba)
        return self.url + "/sparql-auth"

    @property
    def graph_store_url(self) -> str:
        return self.url + "/sparql-graph-crud-auth"

    user = "dba"
    password = "dba"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_virtuoso(directory: Path) -> tuple[subprocess.Popen, Virtuoso]:
    http_port, sql_port = _free_port(), _free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(INI.format(dir=directory, http_port=http_port, sql_port=sql_port), encoding="utf-8")
    command = ["virtuoso-t", "+foreground", "+configfile", str(ini)]
    process = subprocess.Popen(command, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = Virtuoso(f"http://127.0.0.1:{http_port}")
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=2).close()
            return process, server
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log = (directory / "virtuoso.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"Virtuoso did not start:\n{log}")
            time.sleep(0.3)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    from tests.conftest import needs_system

    needs_system("Virtuoso (Debian package virtuoso-opensource-7-bin)", shutil.which("virtuoso-t") is not None)
    process, server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
