"""Records to RDF: role phrases, name resolution and the series file, with their error messages."""

from __future__ import annotations

import json

import pytest

from spacegraph.datafiles import write_graph_files
from spacegraph.ingest.roles import parse_roles
from spacegraph.ingest.series_json import SeriesFileError, load_series
from spacegraph.ingest.to_rdf import new_graph
from spacegraph.iris import Minter, slug
from spacegraph.names import UnknownName
from spacegraph.names.keys import name_key
from spacegraph.names.registry import Registry
from spacegraph.settings import PROJECT_ROOT
from spacegraph.vocab.records import OrganisationRecord, PersonRecord

REGISTRY = Registry(
    [
        OrganisationRecord("China Rocket Co., Ltd.", "state-owned enterprise", "CN", ("CHINAROCKERT CO., LTD",)),
        OrganisationRecord("Chinese Society of Astronautics", "non-profit", "CN", ("CSA",)),
    ],
    [PersonRecord("José Ocasio-Christian", "Ocasio-Christian", "José", ("Jose Ocasio-Christian",))],
)


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("CHINAROCKERT CO., LTD", "China Rocket Co., Ltd."),
        ("china rocket co ltd", "China Rocket Co., Ltd."),
        ("Chinese Society of Astronautics (CSA)", "Chinese Society of Astronautics"),
        ("CSA", "Chinese Society of Astronautics"),
    ],
)
def test_organisations_resolve_through_aliases_case_and_punctuation(printed, canonical):
    assert REGISTRY.organisation(printed).name == canonical


def test_people_resolve_through_diacritics():
    assert REGISTRY.person("JOSE OCASIO-CHRISTIAN").name == "José Ocasio-Christian"
    assert name_key("José") == name_key("Jose")


def test_unknown_organisation_names_the_nearest_and_the_fix():
    with pytest.raises(UnknownName) as error:
        REGISTRY.organisation("China Rockets Co Ltd")
    message = str(error.value)
    assert "unknown organisation 'China Rockets Co Ltd'" in message
    assert "Nearest known: 'China Rocket Co., Ltd.'" in message
    assert "add 'China Rockets Co Ltd' to its aliases" in message


def test_a_name_claimed_by_two_organisations_is_refused():
    with pytest.raises(UnknownName, match="claimed by both"):
        Registry(
            [OrganisationRecord("A", "non-profit", None, ("X",)), OrganisationRecord("B", "non-profit", None, ("x",))],
            [],
        )


def test_roles():
    assert parse_roles("Opening Remarks, Closing Remarks") == ("openingRemarks", "closingRemarks")
    assert parse_roles("Moderator and Panelist") == ("moderator", "panelist")
    with pytest.raises(ValueError, match="unknown role 'chairman' in 'Chairman'"):
        parse_roles("Chairman")


def test_iris_are_stable_and_from_names():
    minter = Minter("https://example.org/")
    assert minter.person("José Ocasio-Christian") == minter.person("Jose OCASIO-CHRISTIAN")
    assert str(minter.edition("Second Workshop", "2020-09-19")) == "https://example.org/id/event/2020-second-workshop"
    with pytest.raises(ValueError, match="no letters or digits"):
        slug("—")


def test_series_file_errors_name_the_file_and_fix(tmp_path):
    facts = json.loads((PROJECT_ROOT / "data" / "sources" / "series.json").read_text(encoding="utf-8"))
    facts["events"][0]["participants"][0]["organization"] = "Chinese Society of Astronautic"
    path = tmp_path / "series.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    with pytest.raises(SeriesFileError) as error:
        load_series(path, None, PROJECT_ROOT / "data")
    assert str(error.value).startswith(f"{path}: unknown organisation 'Chinese Society of Astronautic'")
    assert "Nearest known: 'Chinese Society of Astronautics'" in str(error.value)
    path.write_text('{"events": [\n  oops\n]}', encoding="utf-8")
    with pytest.raises(SeriesFileError, match=r"series.json, line 2: not valid JSON"):
        load_series(path, None, PROJECT_ROOT / "data")


def test_writing_data_is_all_or_nothing(tmp_path):
    good = new_graph(Minter().graph("good"))
    good.add((Minter().person("A B"), Minter().person("A B"), Minter().person("A B")))

    class Broken:
        identifier = Minter().graph("broken")

        def namespaces(self):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_graph_files(tmp_path, {"graphs/good.trig": good, "graphs/broken.trig": Broken()})  # type: ignore[dict-item]
    assert not list(tmp_path.rglob("*.trig")) and not list(tmp_path.rglob(".*.tmp"))
    write_graph_files(tmp_path, {"graphs/good.trig": good})
    assert (tmp_path / "graphs" / "good.trig").exists()
