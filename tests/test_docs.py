"""Documentation matches the code: settings, commands and example queries each have their description."""

from __future__ import annotations

import re

import pytest

from spacegraph.cli import cli
from spacegraph.settings import PROJECT_ROOT, SETTINGS

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_has_help_and_is_in_the_readme(setting):
    assert len(setting.help) > 20
    assert setting.env in README, f"README.md does not document {setting.env}"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme(command):
    assert f"spacegraph {command}" in README


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "queries").glob("*.rq")), ids=lambda p: p.name)
def test_every_example_query_has_a_title_and_description(path):
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^# title: \S", text, re.M), f"{path.name} has no '# title:' line"
    assert re.search(r"^# description: \S", text, re.M), f"{path.name} has no '# description:' line"


def test_readme_gives_the_two_commands():
    assert "make run" in README and "make test" in README
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
