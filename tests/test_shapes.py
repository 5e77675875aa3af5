"""Every constraint of ontology/shapes.ttl fires, with its own message, on the entity that breaks it.

The cases are a table (tests/shapes_fixtures.py): a valid base plus one defect each. The meta-tests read shapes.ttl
with rdflib, so a constraint added without a case, or a case left behind by a removed constraint, fails here.
"""

from __future__ import annotations

import pytest
from tests.shapes_fixtures import (
    CASES,
    EDITION_FILE,
    ENGINE_BUGS,
    ENGINES,
    REGISTRY_FILE,
    Case,
    Expected,
    base_files,
    iri,
    message_of,
    requirement_of,
    requirements,
    validate,
    validate_case,
)

# The defects the brief for these tests names; a case may be renamed, but not dropped.
REQUIRED_CASES = {
    "edition-without-name",
    "edition-start-date-plain-string",
    "edition-start-date-ill-formed",
    "edition-ends-before-it-starts",
    "participation-unknown-role",
    "organisation-unknown-sector",
    "organisation-country-not-iso",
    "participation-unknown-side",
    "participation-held-by-no-one",
    "talk-without-speaker",
    "affiliation-without-organisation",
    "person-without-family-name",
    "topic-with-only-an-english-label",
    "topic-with-two-english-labels",
    "source-graph-without-source",
    "named-graph-without-description",
    "source-document-copy-outside-sources",
    "topic-broader-not-a-concept",
}


def _signature(expected: Expected) -> tuple[str, str | None, str, str, str]:
    """How a violation of ``expected`` looks in a report: focus, path, component, message, severity."""
    _, path, component = expected.key
    requirement = requirement_of(expected)
    return iri(expected.focus), path, component, requirement.message, requirement.severity


def _signatures(report) -> set[tuple[str, str | None, str, str, str]]:
    return {(v.focus, v.path, v.component, v.message, v.severity) for v in report.violations}


def _params():
    for case in CASES:
        for engine in ENGINES:
            marks = []
            if (case.id, engine) in ENGINE_BUGS:
                reason, raises = ENGINE_BUGS[case.id, engine]
                marks.append(pytest.mark.xfail(strict=True, raises=raises, reason=reason))
            yield pytest.param(case, engine, id=f"{case.id}-{engine}", marks=marks)


@pytest.mark.parametrize("engine", ENGINES)
def test_base_conforms(engine: str) -> None:
    report = validate(base_files(), engine)
    assert report.conforms, report.render()


@pytest.mark.parametrize("case, engine", list(_params()))
def test_defect_fires_its_constraint(case: Case, engine: str) -> None:
    report = validate_case(case, engine)
    signature = _signature(case.expect)
    focus, path, component, message, severity = signature
    hits = [v for v in report.violations if (v.focus, v.path, v.component, v.message, v.severity) == signature]
    assert hits, f"{case.id}: expected {component} on <{focus}> {path} with\n  {message}\ngot:\n{report.render()}"
    if case.value is not None:
        assert case.value in {v.value for v in hits}, f"{case.id}: values {[v.value for v in hits]}"
    # The defect causes exactly the listed violations, nothing else.
    expected = {_signature(e) for e in (case.expect, *case.also)}
    found = _signatures(report)
    assert found == expected, f"{case.id}: unexpected {found - expected}, missing {expected - found}"
    assert report.conforms == all(s[-1] != "Violation" for s in expected)


def test_every_constraint_has_a_case() -> None:
    keys = [(r.shape, r.path, r.component) for r in requirements()]
    twice = sorted({k for k in keys if keys.count(k) > 1}, key=str)
    assert not twice, f"two property shapes share shape, path and component, so a case cannot name one: {twice}"
    covered = {case.expect.key for case in CASES}
    missing = [f"{r.shape} {r.path} {r.component} ({r.detail})" for r in requirements() if
               (r.shape, r.path, r.component) not in covered]  # fmt: skip
    assert not missing, "shape constraints without a case in tests/shapes_fixtures.py:\n" + "\n".join(missing)


def test_every_case_names_one_constraint_of_the_shapes() -> None:
    for case in CASES:
        for expected in (case.expect, *case.also):
            message_of(expected)  # raises unless exactly one constraint of shapes.ttl matches


def test_case_table_is_well_formed() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert REQUIRED_CASES <= set(ids), f"missing cases: {sorted(REQUIRED_CASES - set(ids))}"
    assert len(requirements()) >= 100  # the reader of shapes.ttl found them all (guards against reading nothing)
    for case_id, engine in ENGINE_BUGS:
        assert case_id in ids and engine in ENGINES


def test_constraint_reader_sees_every_parameter() -> None:
    # Spot checks that requirements() reads lists and booleans, not just the obvious parameters.
    details = {(r.path, r.component): r.detail for r in requirements()}
    role = details[iri("conf:withRole"), "InConstraintComponent"]
    assert iri("sg:contact") in role and iri("sg:speaker") in role
    assert details[iri("skos:prefLabel"), "UniqueLangConstraintComponent"].endswith("true")
    assert "en zh" in details[iri("skos:prefLabel"), "LanguageInConstraintComponent"]


# ---- the human report


def _case(case_id: str) -> Case:
    return next(case for case in CASES if case.id == case_id)


@pytest.mark.parametrize("engine", ENGINES)
def test_report_names_the_talk_and_its_edition(engine: str) -> None:
    case = _case("talk-without-speaker")
    report = validate_case(case, engine)
    lines = report.render().splitlines()
    assert lines[0].startswith("1 violation(s)") and lines[0].endswith(" in 1 file(s):"), lines[0]
    assert lines[1:] == [
        "",
        EDITION_FILE,
        "  Talk “Perspectives on Responsible Space Behavior” at Second Sino-U.S. Space Commercialization Workshop",
        f"    <{iri('t:talk')}>",
        f"    - {message_of(case.expect)}",
    ]


def test_report_groups_by_file() -> None:
    update = _case("talk-without-speaker").update + " ;\n" + _case("person-without-family-name").update
    report = validate(base_files(update), "sparql")
    text = report.render()
    assert text.startswith("2 violation(s)") and text.splitlines()[0].endswith(" in 2 file(s):")
    edition_at, registry_at = text.index(EDITION_FILE), text.index(REGISTRY_FILE)
    talk_at = text.index("  Talk “Perspectives on Responsible Space Behavior” at Second Sino-U.S.")
    person_at = text.index("  Person “Ian Christensen”\n")
    assert edition_at < talk_at < registry_at < person_at  # files in order, each entity under its own file
    assert message_of(_case("person-without-family-name").expect) in text[person_at:]
    assert message_of(_case("talk-without-speaker").expect) in text[talk_at:registry_at]
    assert report.files_of[iri("t:ian")] == [REGISTRY_FILE]
    assert report.files_of[iri("t:talk")] == [EDITION_FILE]


def test_report_shows_the_offending_value() -> None:
    report = validate_case(_case("participation-unknown-role"), "sparql")
    text = report.render()
    assert f"(value: {iri('sg:chairman')})" in text
    # a participation has no name of its own: the report names it by the name as printed, and its edition
    assert "  Participation “Ian Christensen” at Second Sino-U.S. Space Commercialization Workshop\n" in text


def test_report_marks_a_warning() -> None:
    case = _case("organisation-without-sector")
    report = validate_case(case, "sparql")
    assert requirement_of(case.expect).severity == "Warning"
    assert report.conforms and report.warnings == report.violations
    text = report.render()
    assert "  Organisation “Secure World Foundation”\n" in text
    assert f"    - warning: {message_of(case.expect)}" in text
