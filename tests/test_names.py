"""The names package on its own: how a printed name is split, and the one resolver of what a user types, on the
real series (14 people, 14 organisations) and on small made-up registries."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from spacegraph.cli import cli
from spacegraph.library import Spacegraph
from spacegraph.names import Resolution, Resolver, UnknownName
from spacegraph.names.database import add_records
from spacegraph.names.index import NameIndex
from spacegraph.names.split import PersonName, looks_like_person, split_name, strip_honorific
from spacegraph.vocab.records import OrganisationRecord, PersonRecord
from spacegraph.web import create_app

MANBER = "https://w3id.org/spacegraph/id/person/jeffrey-manber"
CHRISTENSEN = "https://w3id.org/spacegraph/id/person/ian-christensen"
OCASIO = "https://w3id.org/spacegraph/id/person/jose-ocasio-christian"
NANORACKS = "https://w3id.org/spacegraph/id/org/nanoracks"


# ---- how a name is split


@pytest.mark.parametrize(
    ("printed", "name", "family", "given"),
    [
        ("WANG Yiran", "WANG Yiran", "Wang", "Yiran"),  # family name in capitals first: Chinese order
        ("ZHANG Dong", "ZHANG Dong", "Zhang", "Dong"),
        ("OUYANG Zi Yuan", "OUYANG Zi Yuan", "Ouyang", "Zi Yuan"),
        ("Dr. Ian CHRISTENSEN", "Ian CHRISTENSEN", "Christensen", "Ian"),  # capitals last: given-family order
        ("Jeffrey Manber", "Jeffrey Manber", "Manber", "Jeffrey"),
        ("José Ocasio-Christian", "José Ocasio-Christian", "Ocasio-Christian", "José"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven", "van Beethoven", "Ludwig"),  # particles join the family
        ("Anna de la Cruz", "Anna de la Cruz", "de la Cruz", "Anna"),
        ("Lucía García Márquez", "Lucía García Márquez", "García Márquez", "Lucía"),  # two Iberian surnames
        ("Gabriel GARCÍA MÁRQUEZ", "Gabriel GARCÍA MÁRQUEZ", "García Márquez", "Gabriel"),
        ("BLAINE CURCIO", "BLAINE CURCIO", "Curcio", "Blaine"),  # all capitals: read as given-family
        ("SEAN O'NEILL", "SEAN O'NEILL", "O'Neill", "Sean"),
        ("Prof. Amb. Bhavya Lal", "Bhavya Lal", "Lal", "Bhavya"),  # honorifics, however many, are not the name
        ("Madonna", "Madonna", "Madonna", None),  # one word: a family name alone
        ("NASA", "NASA", "Nasa", None),
        ("  Rob\u200b Ronci ", "Rob Ronci", "Ronci", "Rob"),  # invisible characters and edge spaces dropped
    ],
)
def test_split_name(printed, name, family, given):
    assert split_name(printed) == PersonName(name, family, given)


@pytest.mark.parametrize("printed", ["", "   ", "\u200b"])
def test_split_name_refuses_text_without_a_name(printed):
    with pytest.raises(ValueError, match="no name"):
        split_name(printed)


def test_strip_honorific_keeps_a_name_that_starts_like_one():
    assert strip_honorific("Dr. Prof. Drew Collins") == "Drew Collins"
    assert strip_honorific("Gene Hon") == "Gene Hon"  # an honorific counts only before the name


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Jeffrey Manber", True),
        ("WANG Yiran", True),
        ("José Ocasio-Christian", True),
        ("Ludwig van Beethoven", True),
        ("Manber", False),  # one word
        ("Secure World Foundation", False),  # an organisation's word
        ("Director LIANG Shu", False),  # a title and a name
        ("Space Policy 2020", False),  # digits
        ("Jeffrey Manber & Partners", False),
        ("panel discussion on lunar law", False),  # not capitalised
        ("A B C D E F", False),  # too many words
    ],
)
def test_looks_like_person(text, person):
    assert looks_like_person(text) is person


# ---- the resolver on the real series


@pytest.fixture(scope="module")
def resolver(built_settings) -> Resolver:
    return Resolver.for_settings(built_settings)


@pytest.fixture(scope="module")
def people(built_settings):
    return Spacegraph(built_settings).network("people")


def test_a_unique_family_name_resolves_with_a_note(resolver, people):
    found = resolver.person("Manber", people)
    assert (found.iri, found.name, found.kind) == (MANBER, "Jeffrey Manber", "person")
    assert found.note == "'Manber' taken as Jeffrey Manber, the only person of that family name"


def test_the_full_name_resolves_without_a_note(resolver, people):
    assert resolver.person("Jeffrey Manber", people) == Resolution(MANBER, "Jeffrey Manber", "person")
    assert resolver.person("ian CHRISTENSEN", people).note is None  # case does not count
    assert resolver.person("Yiran Wang", people).name == "WANG Yiran"  # nor word order
    assert resolver.person(MANBER, people).note is None  # an IRI is itself


def test_a_one_candidate_match_is_not_ambiguous(resolver, people):
    # "christensen" was called ambiguous with one candidate; one candidate is an answer
    assert resolver.person("christensen", people).iri == CHRISTENSEN
    assert resolver.person("Ocasio", people).iri == OCASIO  # the only name containing it


@pytest.mark.parametrize(
    ("typed", "note"),
    [
        ("Jefrey Manber", "'Jefrey Manber' taken as Jeffrey Manber, the closest known name"),
        ("Jeffrey Manbre", "'Jeffrey Manbre' taken as Jeffrey Manber, the closest known name"),
        ("Manbr", "'Manbr' taken as Jeffrey Manber, the closest family name"),
    ],
)
def test_a_typo_resolves_with_a_note_of_what_was_assumed(resolver, people, typed, note):
    found = resolver.person(typed, people)
    assert (found.iri, found.note) == (MANBER, note)


def test_an_organisation_where_a_person_is_expected_says_so(resolver, people):
    with pytest.raises(UnknownName) as error:
        resolver.person("Nanoracks", people)
    assert str(error.value) == f"'Nanoracks' is an organisation (Nanoracks <{NANORACKS}>): use --organisations"
    assert [c.iri for c in error.value.candidates] == [NANORACKS]
    with pytest.raises(UnknownName, match=r"'CSA' is an organisation \(Chinese Society of Astronautics"):
        resolver.person("CSA", people)  # an alias counts as the name


def test_a_person_where_an_organisation_is_expected_says_so(built_settings, resolver):
    organisations = Spacegraph(built_settings).network("organisations")
    with pytest.raises(UnknownName, match="'Manber' is a person .*: leave out --organisations"):
        resolver.organisation("Manber", organisations)
    assert resolver.organisation("Secure World Fdn", organisations).name == "Secure World Foundation"


def test_without_a_switch_the_wrong_kind_says_what_it_is(built_settings, people):
    with pytest.raises(UnknownName, match=r"^'Nanoracks' is an organisation \(.*\), not a person$"):
        Resolver.for_settings(built_settings, switch=None).person("Nanoracks", people)


def test_an_ambiguous_name_lists_the_candidates(resolver, people):
    with pytest.raises(UnknownName) as error:
        resolver.person("Christ", people)
    assert {c.iri for c in error.value.candidates} == {CHRISTENSEN, OCASIO}
    message = str(error.value)
    assert message.startswith("'Christ' is ambiguous: it may be Ian Christensen <")
    assert "José Ocasio-Christian" in message and message.endswith("Give the full name or the IRI.")


def test_an_unknown_name_is_an_error_with_no_candidates(resolver, people):
    with pytest.raises(UnknownName, match="no person or organisation called 'Nobody Atall' took part") as error:
        resolver.person("Nobody Atall", people)
    assert error.value.candidates == ()
    with pytest.raises(UnknownName, match="give a name"):
        resolver.person(" -- ", people)


def test_only_the_network_asked_about_counts(resolver):
    with pytest.raises(UnknownName, match="'Jeffrey Manber' is Jeffrey Manber <.*>, who is not in the network"):
        resolver.person("Jeffrey Manber", within={CHRISTENSEN})
    # of two who share a part of a name, the one in the network is meant
    assert resolver.person("Christ", within={OCASIO}).iri == OCASIO


# ---- the same answers everywhere a name is typed


def test_the_cli_resolves_a_family_name_and_notes_it(built_settings):
    result = CliRunner().invoke(
        cli, ["--data", str(built_settings.data), "--store", str(built_settings.store), "who-spoke-with", "Manber",
              "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "Jeffrey Manber"
    assert "Note: 'Manber' taken as Jeffrey Manber, the only person of that family name." in result.stderr


def test_the_cli_tells_an_organisation_from_a_person(built_settings):
    settings = ["--data", str(built_settings.data), "--store", str(built_settings.store)]
    result = CliRunner().invoke(cli, [*settings, "path", "Nanoracks", "Caelus Foundation"])
    assert result.exit_code == 1 and "'Nanoracks' is an organisation" in result.stderr
    assert "use --organisations" in result.stderr
    result = CliRunner().invoke(cli, [*settings, "path", "--organisations", "Nanoracks", "Caelus Foundation", "--json"])
    assert result.exit_code == 0, result.output


def test_the_api_and_path_page_resolve_as_the_cli(built_settings):
    client = create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()
    assert client.get("/api/who-spoke-with?person=christensen").get_json()["name"] == "Ian Christensen"
    page = client.get("/path.json?a=Manber&b=Curcio").get_json()
    assert page["length"] == 2 and len(page["assumed"]) == 2
    html = client.get("/path?a=Manber&b=Blaine+Curcio").get_data(as_text=True)
    assert "&#39;Manber&#39; taken as Jeffrey Manber, the only person of that family name." in html
    ambiguous = client.get("/api/ego?node=Christ")
    assert ambiguous.status_code == 404
    assert {c["iri"] for c in ambiguous.get_json()["suggestions"]} == {CHRISTENSEN, OCASIO}


def test_search_puts_what_the_resolver_reads_first(built_settings):
    client = create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()
    found = client.get("/search.json?q=Jefrey+Manber").get_json()["results"]  # no name contains the typo
    assert [(r["iri"], r["note"]) for r in found] == [(MANBER, "'Jefrey Manber' taken as Jeffrey Manber, the closest "
                                                               "known name")]  # fmt: skip
    assert {r["iri"] for r in client.get("/search.json?q=Christ").get_json()["results"]} >= {CHRISTENSEN, OCASIO}


def test_the_network_find_box_reads_a_name_as_the_cli(browser, live_server):
    page = browser.new_page(bypass_csp=True)  # wait_for_function evaluates its string in the page, which CSP forbids
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server + "/network")
    page.wait_for_function("window.spacegraphNetwork && window.spacegraphNetwork.ready", timeout=120_000)
    page.fill("#search", "Manbr")  # no label contains it: the page asks /search
    page.press("#search", "Enter")
    page.wait_for_function("window.spacegraphNetwork.found !== null")  # the network view's found node (sigma.js)
    assert page.evaluate("window.spacegraphNetwork.found") == MANBER
    assert "the closest family name" in page.locator("#network-status").inner_text()
    assert errors == []


# ---- on a made-up registry


def _index(people: list[PersonRecord], organisations: list[OrganisationRecord] = ()) -> NameIndex:
    index = NameIndex.from_rows([], [])
    add_records(index.db, "person", people)
    add_records(index.db, "organisation", organisations)
    return index


def test_two_people_of_one_family_name_are_ambiguous_until_one_is_in_the_network():
    index = _index([PersonRecord("WANG Yiran", "Wang", "Yiran", (), "urn:p:1"),
                    PersonRecord("WANG Lei", "Wang", "Lei", (), "urn:p:2")])  # fmt: skip
    with pytest.raises(UnknownName, match="'wang' is ambiguous") as error:
        Resolver(index).person("wang")
    assert [c.name for c in error.value.candidates] == ["WANG Lei", "WANG Yiran"]
    assert Resolver(index).person("wang", within={"urn:p:2"}).name == "WANG Lei"


def test_a_known_alias_resolves_without_a_note():
    index = _index(
        [], [OrganisationRecord("China Rocket Co., Ltd.", None, "CN", ("CHINAROCKERT CO., LTD",), "urn:o:1")]
    )
    assert Resolver(index).organisation("Chinarockert Co Ltd") == Resolution("urn:o:1", "China Rocket Co., Ltd.",
                                                                              "organisation")  # fmt: skip


def test_node_takes_either_kind():
    index = _index([PersonRecord("Ada Lovelace", "Lovelace", "Ada", (), "urn:p:1")],
                   [OrganisationRecord("Analytical Engines Ltd.", None, "GB", (), "urn:o:1")])  # fmt: skip
    resolver = Resolver(index)
    assert resolver.node("lovelace").kind == "person"
    assert resolver.node("Analytical Engines").kind == "organisation"


def test_honorifics_post_nominals_suffixes_and_vietnamese_order() -> None:
    assert split_name("H.E. Amb. Carla de la Vega-Rui") == PersonName("Carla de la Vega-Rui", "de la Vega-Rui", "Carla")
    assert split_name("Gen. (ret.) Owen P. Marsh Jr.") == PersonName("Owen P. Marsh Jr.", "Marsh", "Owen P.")
    assert split_name("Air Cdre (ret.) Ian Voss-Hale").name == "Ian Voss-Hale"
    assert split_name("Prof. dr hab. inż. Zofia Kęs-Brand").name == "Zofia Kęs-Brand"
    assert split_name("Lena Moor-Ek, PhD").name == "Lena Moor-Ek"
    assert split_name("Sir Angus Kerr-Dale KBE").name == "Angus Kerr-Dale"
    assert split_name("Trần Văn Bình") == PersonName("Trần Văn Bình", "Trần", "Văn Bình")
