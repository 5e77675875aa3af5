"""The vocabulary tables agree with the ontology, and ``fill`` writes values that cannot break out of their term."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection

from spacegraph.iris import DEFAULT_BASE, Minter, slug
from spacegraph.vocab import CONF, RDF, RDFS, SDO, SG, SH
from spacegraph.vocab.sparql import PREFIX_HEADER, edition_pattern, fill, sparql_iri
from spacegraph.vocab.terms import (
    ATTENDANCE_MODES,
    EDITION_KINDS,
    ROLES,
    SECTOR_BY_NAME,
    SECTORS,
    SIDES,
    find_side,
    side_of_country,
)

ONTOLOGY = Path(__file__).parent.parent / "ontology"
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "spacegraph.ttl", format="turtle")


def english_label(graph: Graph, term: URIRef) -> str | None:
    labels = [o for o in graph.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
    return str(labels[0]) if len(labels) == 1 else None


@pytest.mark.parametrize(
    ("cls", "table"), [(SG.EventRole, ROLES), (SG.Side, SIDES), (SG.Sector, SECTORS)], ids=["roles", "sides", "sectors"]
)
def test_each_closed_list_is_the_ontology_s(ontology: Graph, cls: URIRef, table) -> None:
    declared = set(ontology.subjects(RDF.type, cls))
    listed = {term.iri for term in table}
    assert listed == declared, f"in the table only: {listed - declared}; in the ontology only: {declared - listed}"
    for term in table:
        assert english_label(ontology, term.iri) == term.label, term.key
    # and the class's owl:oneOf names the same terms
    one_of = ontology.value(cls, URIRef("http://www.w3.org/2002/07/owl#oneOf"))
    assert set(Collection(ontology, one_of)) == declared


def test_roles_are_keyed_by_their_local_names() -> None:
    for role in ROLES:
        assert role.iri == SG[role.key]
    phrases = [p for role in ROLES for p in role.phrases]
    assert len(phrases) == len(set(phrases)), "a phrase names one role only"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


@pytest.mark.parametrize(
    ("path", "table"),
    [
        (CONF.withRole, ROLES),
        (SG.side, SIDES),
        (SG.sector, SECTORS),
        (SDO.eventAttendanceMode, ATTENDANCE_MODES),
        (SG.attendanceMode, ATTENDANCE_MODES),
    ],
    ids=["roles", "sides", "sectors", "edition attendance", "participant attendance"],
)
def test_the_shapes_allow_the_table_s_terms(shapes: Graph, path: URIRef, table) -> None:
    lists = [shapes.value(prop, SH["in"]) for prop in shapes.subjects(SH.path, path)]
    allowed = [set(Collection(shapes, members)) for members in lists if members is not None]
    assert allowed and all(terms == {term.iri for term in table} for terms in allowed)


def test_attendance_modes_of_our_own_are_declared(ontology: Graph) -> None:
    ours = [mode for mode in ATTENDANCE_MODES if str(mode.iri).startswith(str(SG))]  # schema.org's are not ours
    assert ours
    for mode in ours:
        assert (mode.iri, RDF.type, SDO.EventAttendanceModeEnumeration) in ontology
        assert english_label(ontology, mode.iri) == mode.label
    declared = set(ontology.subjects(RDF.type, SDO.EventAttendanceModeEnumeration))
    assert declared <= {mode.iri for mode in ATTENDANCE_MODES}


def test_edition_kinds_are_the_subclasses_of_edition(ontology: Graph) -> None:
    assert set(EDITION_KINDS.values()) == set(ontology.subjects(RDFS.subClassOf, SG.Edition))


def test_sides_of_countries_and_names() -> None:
    assert [side_of_country(c).key for c in ("US", "CN", "FR")] == ["US", "CN", "other"]
    assert find_side("u.s.") is find_side("US") is SIDES[0]
    assert find_side("CHINA") is SIDES[1]
    assert find_side("Mars") is None
    assert SECTOR_BY_NAME["foundation"].key == "non-profit"


# -- filling parameters into queries ---------------------------------------------------------------------------

STORE_DATA = """
<https://example.org/a> <https://schema.org/name> "a" .
<https://example.org/b> <https://schema.org/name> "b" .
"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(STORE_DATA.encode(), ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.parametrize(
    "iri",
    [
        "https://example.org/a> . ?s ?p ?o . <x:y",  # would close the IRI and add a pattern
        "https://example.org/a b",
        "https://example.org/a\n",
        'https://example.org/"a"',
        "https://example.org/{a}",
        "https://example.org/a\\u003E",
        "relative/path",
        "",
    ],
)
def test_an_iri_that_would_break_out_is_refused(iri: str) -> None:
    with pytest.raises(ValueError, match="not an absolute IRI"):
        fill("ASK { %x% ?p ?o }", x=URIRef(iri))
    with pytest.raises(ValueError):
        sparql_iri(iri)


@pytest.mark.parametrize(
    "text",
    [
        'a" } UNION { ?s ?p ?o } #',
        "a\\",
        'a\\" . ?s ?p ?o #',
        "line\nbreak\r\n",
        "tab\tand \\n not a newline",
        "\\u0022 stays six characters, \\U00000022 ten",
        "'single' \"double\" '''triple'''",
        "%x% and %y% are not placeholders here",
        "é 漢字 😀",
    ],
)
def test_a_literal_is_kept_exactly_whatever_it_holds(store: ox.Store, text: str) -> None:
    query = fill(
        "SELECT ?v ?n WHERE { BIND (%text% AS ?v) OPTIONAL { ?s <https://schema.org/name> ?n } }", text=Literal(text)
    )
    rows = list(store.query(query))
    assert {row["v"].value for row in rows} == {text}  # the value came through whole
    assert len(rows) == 2  # and the query's pattern is the one written: nothing was added to it


def test_a_literal_survives_a_server_that_decodes_escapes_before_parsing(store: ox.Store) -> None:
    """SPARQL 1.1 (19.2) decodes \\uXXXX anywhere in a query before parsing it; Oxigraph does it while parsing.
    Written by ``fill``, a text holding "\\u0022" means the same to both."""
    text = "a \\u0022 } UNION { ?s ?p ?o } # \\U0000000A"
    query = fill("SELECT ?v WHERE { BIND (%text% AS ?v) }", text=Literal(text))
    decoded_first = re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), query
    )
    for written in (query, decoded_first):
        assert [row["v"].value for row in store.query(written)] == [text]


def test_fill_writes_terms_lists_and_typed_literals(store: ox.Store) -> None:
    query = fill(
        "SELECT ?s WHERE { VALUES ?s { %iris% } ?s <https://schema.org/name> ?n FILTER (?n != %other% && %yes%) }",
        iris=[URIRef("https://example.org/a"), ox.NamedNode("https://example.org/b")],
        other=ox.Literal("b"),
        yes=True,
    )
    assert [row["s"].value for row in store.query(query)] == ["https://example.org/a"]
    assert fill("%n% %d%", n=3, d=Literal("2020-01-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))) == (
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer> "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    )
    assert fill("%t%", t=Literal("Raumfahrt", lang="de")) == '"Raumfahrt"@de'


def test_fill_refuses_plain_strings_and_misspelt_names() -> None:
    with pytest.raises(TypeError, match="URIRef"):
        fill("ASK { %x% ?p ?o }", x="https://example.org/a")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="%y%"):
        fill("ASK { %x% ?p ?o }", y=URIRef("https://example.org/a"))
    with pytest.raises(ValueError, match="language tag"):
        fill("%t%", t=Literal("x", lang="en } ?s"))
    # a placeholder given no value is left as it is: "%20%" in an IRI of the query is not a placeholder
    assert fill("<https://example.org/a%20%> %x%", x=1).startswith("<https://example.org/a%20%>")


def test_the_prefix_header_and_edition_pattern_run() -> None:
    store = ox.Store()
    store.load(
        b"<https://example.org/w> a <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#Workshop> .\n"
        b"<https://w3id.org/scholarlydata/ontology/conference-ontology.owl#Workshop> "
        b"<http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://w3id.org/spacegraph/ontology#Edition> .\n",
        ox.RdfFormat.TURTLE,
    )
    query = PREFIX_HEADER + f"SELECT ?edition WHERE {{ {edition_pattern()} }}"
    assert [row["edition"].value for row in store.query(query)] == ["https://example.org/w"]


# -- minting IRIs ------------------------------------------------------------------------------------------------


def slug_before_any_script(text: str) -> str:
    """iris.slug as it was before names in other scripts were transliterated: every IRI in data/ was minted so."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def test_every_iri_in_the_data_mints_as_before() -> None:
    """An IRI of data/ whose last segment is the old slug of one of its names or labels mints the same today."""
    dataset = Dataset()
    for path in sorted((DATA / "registry").glob("*.trig")) + sorted((DATA / "graphs").glob("*.trig")):
        dataset.parse(path, format="trig")
    checked = 0
    for subject, _, text, _ in dataset.quads((None, None, None, None)):
        if not (isinstance(subject, URIRef) and isinstance(text, Literal) and str(subject).startswith(DEFAULT_BASE)):
            continue
        tail = str(subject).rsplit("/", 1)[-1]
        old = slug_before_any_script(str(text))
        if old and tail.endswith(old):
            assert slug(str(text)) == old, f"<{subject}> would be minted differently from {str(text)!r}"
            checked += 1
    assert checked > 140  # people, organisations, editions, topics, places, talks


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王亦然", "wang-yi-ran"),  # Han: a syllable per character
        ("中国航天科技集团", "zhong-guo-hang-tian-ke-ji-ji-tuan"),
        ("Юрий Гагарин", "yurii-gagarin"),  # Cyrillic (the breve folds away, as José's accent does)
        ("Роскосмос", "roskosmos"),
        ("Νίκος Καζαντζάκης", "nikos-kazantzakis"),  # Greek, final sigma included (letter by letter: ου is "oy")
        ("Søren Ørsted", "soren-orsted"),  # Ø is a letter of its own in Unicode, not O with a mark: kept, as O
        ("Łukasz Żółć", "lukasz-zolc"),
        ("한국항공우주연구원", "han-gug-hang-gong-u-ju-yeon-gu-won"),
        ("José Ocasio-Christian", "jose-ocasio-christian"),  # unchanged
        ("CHINAROCKERT CO., LTD", "chinarockert-co-ltd"),
        ("Space – “the final” frontier 45°", "space-the-final-frontier-45"),  # punctuation still separates
    ],
)
def test_names_in_any_script_mint_an_iri(name: str, expected: str) -> None:
    assert slug(name) == expected
    assert Minter().person(name) == URIRef(f"{DEFAULT_BASE}id/person/{expected}")


def test_a_name_without_letters_or_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        slug(" – ° ")
