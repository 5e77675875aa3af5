"""`pip install` gives a working app: the wheel, installed in a fresh virtual environment and run from an empty
directory, builds the store with its packaged ontology, serves the example queries, and its pages load their
front-end files (the SPARQL editor runs; the network view's scripts load).

The wheel is built from this checkout (`pip wheel --no-deps`; hatchling from PyPI unless it is installed here)
and installed without its dependencies into a new environment that sees this environment's packages through a
.pth file (the checkout's own editable install is not among them: a .pth line adds a directory, it does not
process the .pth files in it). One test does it all, so that the build runs once.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from tests.conftest import CHROMIUM, DATA, needs_system
from tests.serving import free_port

from spacegraph.settings import PROJECT_ROOT


def run(command: list[str], cwd: Path, timeout: float = 180) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def build_wheel(into: Path) -> Path:
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *isolation, "-w", str(into), str(PROJECT_ROOT)],
        cwd=into)  # fmt: skip
    [wheel] = into.glob("spacegraph-*.whl")
    return wheel


def fresh_environment(root: Path, wheel: Path) -> Path:
    """A new virtual environment with the wheel installed, and this environment's packages visible beneath it."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=60)
    python = root / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    Path(purelib, "outer-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        cwd=root)  # fmt: skip
    return root / "bin"


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get_content_type(), response.read()


def assets(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/(?:vendor|static)/[^"]+)"', html)


def test_the_installed_wheel_builds_serves_and_loads_its_front_end(tmp_path, request):
    work = tmp_path / "empty"
    work.mkdir()
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("spacegraph/ontology/spacegraph.ttl", "spacegraph/ontology/shapes.ttl",
                    "spacegraph/queries/fuzhou-2020-speakers.rq", "spacegraph/web/vendor/yasgui.min.js",
                    "spacegraph/web/templates/ontology.html"):  # fmt: skip
        assert shipped in names
    bin_dir = fresh_environment(tmp_path / "venv", wheel)
    where = run([str(bin_dir / "python"), "-c", "import spacegraph.settings as s; print(s.__file__); "
                 "print(s.load_settings().ontology)"], cwd=work).split()  # fmt: skip
    assert all(path.startswith(str(tmp_path / "venv")) for path in where), where  # not the checkout

    data = shutil.copytree(DATA, tmp_path / "data")
    store = tmp_path / "store"
    built = run([str(bin_dir / "spacegraph"), "--data", str(data), "--store", str(store), "build"], cwd=work)
    assert "conforms to the shapes" in built
    missing = subprocess.run([str(bin_dir / "spacegraph"), "--data", str(data), "--ontology", str(work), "validate"],
                             cwd=work, capture_output=True, text=True)  # fmt: skip
    assert missing.returncode == 2 and f"{work}/spacegraph.ttl: no such file" in missing.stderr

    port = free_port()
    server = subprocess.Popen([str(bin_dir / "spacegraph"), "--data", str(data), "--store", str(store), "serve",
                               "--port", str(port), "--workers", "1"], cwd=work,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, server)
        check_pages(url)
        if Path(CHROMIUM).exists():
            check_in_the_browser(request.getfixturevalue("browser"), url)
    finally:
        server.terminate()
        server.wait(timeout=10)
    needs_system("Chromium (Debian package chromium)", Path(CHROMIUM).exists())


def wait_for(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            get(url + "/")
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"the installed app did not start:\n{server.stdout.read() if server.stdout else ''}")
            time.sleep(0.3)


def check_pages(url: str) -> None:
    """The example queries are listed, and every script and stylesheet of the editor and the network view loads."""
    assert "fuzhou-2020-speakers" in get(url + "/queries")[2].decode()
    for page in ("/sparql", "/network", "/ontology"):
        status, _, body = get(url + page)
        assert status == 200
        found = assets(body.decode())
        assert found or page == "/ontology"
        for asset in found:
            status, kind, content = get(url + asset)
            assert status == 200 and len(content) > 100, asset
            assert kind in ("text/javascript", "application/javascript", "text/css"), (asset, kind)
    assert any("yasgui.min.js" in a for a in assets(get(url + "/sparql")[2].decode()))


def check_in_the_browser(browser, url: str) -> None:
    """The editor runs a query; the network view's scripts load without an error."""
    page = browser.new_page()
    errors: list[str] = []
    failed: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url + "/sparql")
    page.locator(".yasqe_queryButton").click()
    page.locator(".yasr table").wait_for(timeout=15_000)
    page.goto(url + "/network", wait_until="networkidle")
    assert errors == [] and failed == []
    page.close()


def test_an_editable_install_runs_on_the_checkout_and_copies_nothing(tmp_path):
    """`pip install -e .` (as make does) puts no copy of the shipped files in site-packages: they would be a second,
    stale portion of the spacegraph namespace package."""
    root = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=60)
    python = root / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "-e", str(PROJECT_ROOT)],
        cwd=tmp_path)  # fmt: skip
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path)
                   .strip())  # fmt: skip
    assert not (purelib / "spacegraph").exists()
    found = run([str(python), "-c", "import spacegraph.settings as s; print(s.resource_dir('ontology'))"], cwd=tmp_path)
    assert found.strip() == str(PROJECT_ROOT / "ontology")
