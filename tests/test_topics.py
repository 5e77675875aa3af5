"""Topics: the phrases a page gives for what its event is about, matched to the SKOS scheme or proposed for review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spacegraph.ingest.ingest_page import prepare_page
from spacegraph.ingest.topics import (
    TOPIC_THRESHOLD,
    Concept,
    TopicScheme,
    event_phrases,
    title_topic,
    topic_phrases,
)
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.write import Writer

STM = Concept("t:stm", "space traffic management", "空间交通管理", ("orbital traffic coordination",), ("t:safety",))
SAFETY = Concept("t:safety", "space safety and sustainability", "空间安全与可持续", (), ())
TOURISM = Concept("t:tourism", "space tourism", "太空旅游", (), ())
SCHEME = TopicScheme([STM, SAFETY, TOURISM])


def phrases(text: str) -> list[str]:
    found = topic_phrases(text, (0, len(text)))
    for phrase, (start, end) in found:
        assert text[start:end] == phrase  # every phrase keeps its exact span
    return [phrase for phrase, _ in found]


def test_a_topics_line_is_split_into_its_items() -> None:
    assert phrases("Intro.\nTopics: launch licensing; radio spectrum, and debris removal\n") == [
        "launch licensing",
        "radio spectrum",
        "debris removal",
    ]
    assert phrases("Key themes: Moon dust, cislunar law") == ["Moon dust", "cislunar law"]


def test_a_sentence_says_what_the_event_focused_on() -> None:
    text = "The dialogue focused on export rules for ground stations. Lunch was served at noon."
    assert phrases(text) == ["export rules for ground stations"]
    assert phrases("Discussions covered spectrum sharing and orbital debris.") == [
        "spectrum sharing and orbital debris"
    ]
    assert phrases("Lunch was served at noon.") == []


def test_an_intro_line_takes_the_bullets_below_it() -> None:
    text = "This year the workshop will look at:\n\n- ground stations;\n- data rules;\n\nSpeakers: TBC\n"
    assert phrases(text.replace("\n\n", "\n")) == ["ground stations", "data rules"]


def test_session_and_panel_titles_are_topics_but_lists_of_people_are_not() -> None:
    text = (
        "10:00  Session 1 – Conjunction Data and Its Users\n"
        "**11:00** Panel: *Licensing a Private Station*\n"
        "Panel II – Insurance Pools (panel)\n"
        "Panel -- Dr. Ada Quill (Foo Ltd) · Bo Lind\n"
        "Track B: Room Saloum\n"
    )
    assert phrases(text) == ["Conjunction Data and Its Users", "Licensing a Private Station", "Insurance Pools"]


def test_chinese_topics_are_read() -> None:
    assert phrases("会议主题：空间交通管理、太空旅游") == ["空间交通管理", "太空旅游"]
    assert phrases("嘉宾们围绕发射场共享、保险责任划分和国际客户合规等问题交换了意见并展开讨论。") != []


def test_a_phrase_matches_a_concept_by_label_alt_label_or_chinese_label() -> None:
    for phrase in (
        "Space Traffic Management",
        "the space traffic management",
        "orbital traffic coordination",
        "空间交通管理",
    ):
        match = SCHEME.match(phrase, (0, 1))
        assert match.concept == STM and match.sure, phrase


def test_a_phrase_holding_a_label_matches_it_less_surely() -> None:
    match = SCHEME.match("space traffic management in the Mediterranean", (0, 1))
    assert match.concept == STM and TOPIC_THRESHOLD <= match.score < 1.0


def test_a_phrase_that_fits_nothing_is_proposed_with_near_concepts() -> None:
    match = SCHEME.match("space safety rules for small operators", (0, 1))
    assert not match.sure
    assert match.concept is None or match.score < TOPIC_THRESHOLD
    near = [c.iri for c in ((match.concept,) if match.concept else ())] + [c.iri for c, _ in match.candidates]
    assert "t:safety" in near
    nothing = SCHEME.match("lunar water ice", (0, 1))
    assert nothing.concept is None and not nothing.sure


def test_a_title_names_a_concept() -> None:
    found = SCHEME.in_title("Mediterranean Space Traffic Management Conference 2022", (0, 10))
    assert [m.concept for m in found] == [STM]
    assert SCHEME.in_title("Annual Dinner", (0, 1)) == []


@pytest.fixture(scope="module")
def scheme(built_settings) -> TopicScheme:
    return TopicScheme.from_store(OxigraphStore(built_settings.store, read_only=True))


def test_the_scheme_is_read_from_the_store(scheme: TopicScheme) -> None:
    labels = {c.label for c in scheme.concepts}
    assert "space traffic management" in labels and "space tourism" in labels
    tourism = next(c for c in scheme.concepts if c.label == "space tourism")
    assert tourism.zh and tourism.broader  # its Chinese label and its broader topic
    assert scheme.match("Space Tourism", (0, 1)).concept == tourism


def test_topic_phrases_are_bounded_on_a_long_flattened_line() -> None:
    text = ("The panel discussed spectrum. " * 5000) + "x" * 10_000
    assert len(topic_phrases(text, (0, len(text)))) <= 40


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("Workshop on Export Controls for Commercial Space", "Export Controls for Commercial Space"),
        ("Lunar Resource Rights Summit 2021", "Lunar Resource Rights"),
        (
            "Space Dialogue Series 2023: Perspectives on Lunar Commercialization",
            "Perspectives on Lunar Commercialization",
        ),
        ("Workshop on Debris Liability – Speakers (updated)", "Debris Liability"),
        ("Third Dialogue on Polar Ground Stations announced", "Polar Ground Stations"),
        ("Regulators and launch firms compare notes in Cape Town", None),  # a headline, not an event's name
        ("AIST · MSTMC 2022", None),
    ],
)
def test_the_event_name_says_what_it_is_about(name: str, topic: str | None) -> None:
    text = f"header\n{name}\nbody"
    found = title_topic(name, text)
    assert (found[0] if found else None) == topic
    if found:
        assert text[found[1][0] : found[1][1]] == topic


def test_a_panel_title_inside_a_flattened_line_is_read() -> None:
    text = (
        "Register now 09:00 Welcome 10:00 Panel 1: Financing Ground Infrastructure Moderator: A. Person, X Ltd "
        "11:45 Panel 2: Data Markets and Local Customers 12:30 Lunch"
    )
    assert phrases(text) == ["Financing Ground Infrastructure", "Data Markets and Local Customers"]


CORPUS = Path(__file__).parent / "ingest_corpus"
TOPIC_PAGES = sorted(
    p
    for p in CORPUS.iterdir()
    if p.suffix in (".txt", ".md", ".html")
    and p.stem[:2].isdigit()
    and "topics" in json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8"))["events"][0]
)


@pytest.mark.parametrize("page", TOPIC_PAGES, ids=lambda p: p.name)
def test_corpus_pages_give_their_topics(built_settings, page: Path) -> None:
    """Corpus pages whose expected answer lists topics: matched ones and proposed ones, as a reader lists them."""
    want = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))["events"]
    with Writer(built_settings) as writer:
        got = prepare_page(page, writer).report["events"]
    assert [(e["topics"], e["proposed_topics"]) for e in got] == [(e["topics"], e["proposed_topics"]) for e in want]


def test_there_are_corpus_pages_with_topics() -> None:
    assert len(TOPIC_PAGES) >= 2


def test_event_phrases_add_the_name_and_the_talk_titles_once() -> None:
    text = "Workshop on Polar Ground Stations\nTopics: polar ground stations; data rules\n- A. B., X: “Data Rules”\n"
    entry = text.index("- A. B.")
    found = event_phrases(
        text, (0, len(text)), "Workshop on Polar Ground Stations", [("Data Rules", (entry, len(text)))]
    )
    assert [p for p, _ in found] == ["Polar Ground Stations", "data rules"]  # each phrase once, the first kept
    talks = event_phrases("x\n- A: “Orbits for All”\n", (0, 3), "Annual Dinner", [("Orbits for All", (2, 22))])
    assert talks == [("Orbits for All", (8, 22))]
