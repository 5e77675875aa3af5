"""Shared fixtures: settings on a temporary store, a store built from the real data, and a real server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.serving import serving

from spacegraph.settings import PROJECT_ROOT, Settings, load_settings

DATA = PROJECT_ROOT / "data"


def needs_system(component: str, available: bool) -> None:
    """Skip a test whose system component is missing on a laptop; in CI (CI=true) a missing component fails."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{component} is required in CI but is missing: `make test` should have installed it")
    pytest.skip(f"{component} is not installed")


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings with a copy of the real data and an empty store location, both under tmp_path."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    return load_settings(data=data, store=tmp_path / "store")


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A store built once per test session from the real data (read-only for the tests that use it)."""
    from spacegraph.build import build_store

    root = tmp_path_factory.mktemp("built")
    settings = load_settings(data=DATA, store=root / "store")
    build_store(settings)
    return settings


@pytest.fixture(scope="session")
def live_server(built_settings: Settings):
    """`spacegraph serve` (gunicorn) on a free port, for tests with real HTTP clients."""
    with serving(built_settings, SPACEGRAPH_QUERY_TIMEOUT="3") as (_, url):
        yield url


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from Debian's packages, driven by Playwright (no browser download)."""
    needs_system("Chromium (Debian package chromium)", Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
