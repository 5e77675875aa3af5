"""Bad data: every problem gets a message naming the file, line or entity and the fix, and the store is unchanged."""

from __future__ import annotations

import hashlib
import io

import pytest
from click.testing import CliRunner

from spacegraph.cli import cli
from spacegraph.store.oxigraph import OxigraphStore

FUZHOU = "graphs/swfound-2020-second-sino-us-space-commercialization-workshop.trig"
ORGS = "registry/organisations.trig"


def run(settings, *args):
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(settings.store), *args])


def store_digest(settings) -> str:
    store = OxigraphStore(settings.store, read_only=True)
    out = io.BytesIO()
    store.dump(out)
    return hashlib.sha256(b"\n".join(sorted(out.getvalue().splitlines()))).hexdigest()


@pytest.fixture
def built(tmp_settings):
    assert run(tmp_settings, "build").exit_code == 0
    return tmp_settings, store_digest(tmp_settings)


def edit(settings, relative: str, old: str, new: str) -> None:
    path = settings.data / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(settings, relative: str, text: str) -> None:
    with (settings.data / relative).open("a", encoding="utf-8") as f:
        f.write(text)


PREFIXES = "@prefix sg: <https://w3id.org/spacegraph/ontology#> .\n@prefix schema: <https://schema.org/> .\n"

CASES = {
    # name: (how to break the data, exit code, fragments the message must contain)
    "malformed turtle": (
        lambda s: edit(s, FUZHOU, 'schema:name "Second Sino-U.S. Space Commercialization Workshop"', 'schema:name "broken'),
        2,
        [FUZHOU, "line", "Fix: correct the TriG syntax"],
    ),
    "wrong datatype": (
        lambda s: edit(s, FUZHOU, '"2020-09-19"^^xsd:date', '"19 September 2020"'),
        1,
        [FUZHOU, "Workshop “Second Sino-U.S. Space Commercialization Workshop”",
         "Edition start date is not one xsd:date", "value: \"19 September 2020\""],
    ),
    "ill-formed date": (
        lambda s: edit(s, FUZHOU, '"2020-09-19"^^xsd:date', '"2020-09-31"^^xsd:date'),
        1,
        [FUZHOU, "Edition start date is not one xsd:date"],
    ),
    "unknown role": (
        lambda s: edit(s, FUZHOU, "conf:withRole sg:speaker", "conf:withRole sg:chairman"),
        1,
        [FUZHOU, "Participation role is missing, repeated or unknown", "sg:moderator", "ontology#chairman"],
    ),
    "unknown sector": (
        lambda s: edit(s, ORGS, "sg:sector sg:stateOwnedEnterprise", "sg:sector sg:militaryContractor"),
        1,
        [ORGS, "Organisation “China Rocket Co., Ltd.”", "Organisation sector is unknown, or there is more than one"],
    ),
    "country not ISO": (
        lambda s: edit(s, ORGS, 'schema:addressCountry "US"', 'schema:addressCountry "USA"'),
        1,
        [ORGS, "not an ISO 3166-1 alpha-2 code"],
    ),
    "named graph without a source": (
        lambda s: (s.data / "graphs" / "orphan.trig").write_text(
            PREFIXES + "<https://w3id.org/spacegraph/graph/orphan> {\n"
            "  <https://w3id.org/spacegraph/id/org/x> schema:name \"X\" .\n}\n", encoding="utf-8"),
        1,
        ["orphan.trig", "Named graph does not describe its source"],
    ),
    "triple outside any named graph": (
        lambda s: append(s, FUZHOU, "\n<https://w3id.org/spacegraph/id/x> <https://schema.org/name> \"x\" .\n"),
        2,
        [FUZHOU, "outside any named graph", "Fix: put every triple inside the file's named graph"],
    ),
    "two graphs in one file": (
        lambda s: append(s, FUZHOU, "\n<https://w3id.org/spacegraph/graph/other> { <https://w3id.org/spacegraph/id/x> "
                                    "<https://schema.org/name> \"x\" . }\n"),
        2,
        [FUZHOU, "holds 2 named graphs", "Fix: keep exactly one named graph per file"],
    ),
    "talk without speaker": (
        lambda s: edit(s, FUZHOU, "schema:performer <https://w3id.org/spacegraph/id/person/jeffrey-manber>", ""),
        1,
        ["Talk “Perspectives on US-China Commercial Engagement in Space Exploration” at Second Sino-U.S. Space "
         "Commercialization Workshop", "Talk has no speaker"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_bad_data_is_refused_and_the_store_is_unchanged(built, case):
    settings, before = built
    breaks, exit_code, fragments = CASES[case]
    breaks(settings)
    result = run(settings, "build")
    assert result.exit_code == exit_code, result.output
    for fragment in fragments:
        assert fragment in result.output
    assert "Traceback" not in result.output
    assert "store" in result.output and "unchanged" in result.output
    assert store_digest(settings) == before
    generations = list(settings.store.parent.glob("store.gen-*"))
    assert generations == [settings.store.resolve()], "a half-built store was left behind"
    # validate agrees with build, with its own exit codes (0 / 1 / 2)
    assert run(settings, "validate").exit_code == exit_code


def test_validate_one_file_reports_on_that_file_only(tmp_settings, tmp_path):
    candidate = tmp_path / "candidate.trig"
    text = (tmp_settings.data / FUZHOU).read_text(encoding="utf-8")
    candidate.write_text(text.replace("conf:withRole sg:speaker", "conf:withRole sg:chairman", 1), encoding="utf-8")
    result = run(tmp_settings, "validate", str(candidate))
    assert result.exit_code == 1
    assert str(candidate) in result.output and FUZHOU not in result.output
    assert run(tmp_settings, "validate", str(tmp_settings.data / FUZHOU)).exit_code == 0


def test_validate_missing_file_is_an_error(tmp_settings):
    result = run(tmp_settings, "validate", "nope.trig")
    assert result.exit_code == 2 and "nope.trig: no such file" in result.output
