"""The page reader, module by module (lines, entries, prose, events), without the corpus: each test states what one
piece must read from one piece of text, with the exact span it must point at."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacegraph.ingest.documents import Document
from spacegraph.ingest.page_entries import known_span, read_entries, role_names, split_affiliation, strip_punctuation
from spacegraph.ingest.page_lines import Line, clean_markdown, sentences_of, split_lines
from spacegraph.ingest.page_prose import attendance_signals, decide_attendance, hosts_in, prose_participants, split_list
from spacegraph.ingest.pages import parse_page

KNOWN = {"Secure World Foundation", "China Academy of Space Technology", "SWF", "Caelus Foundation"}


def known(text: str) -> bool:
    return text in KNOWN


# ---------------------------------------------------------------- lines and sentences


def test_lines_keep_their_offsets_in_the_document():
    assert split_lines("  a\n\n b c \nd") == [Line("a", 2), Line("b c", 6), Line("d", 11)]


def test_sentences_do_not_end_after_an_honorific():
    assert sentences_of(Line("Dr. WANG spoke. Then Ms. Li closed it.", 10)) == [
        Line("Dr. WANG spoke.", 10),
        Line("Then Ms. Li closed it.", 26),
    ]


def test_markdown_markup_is_dropped_and_the_offset_follows_the_text():
    assert clean_markdown(Line("## **Bold** [link](http://x)", 5)) == Line("Bold link", 8)


# ---------------------------------------------------------------- one participant entry


@pytest.mark.parametrize(
    ("entry", "name", "title", "organisation", "roles", "talk"),
    [
        ("Ian Christensen, Senior Director, Secure World Foundation", "Ian Christensen", "Senior Director",
         "Secure World Foundation", ["speaker"], None),
        ("Moderator: Jane Doe (Caelus Foundation)", "Jane Doe", None, "Caelus Foundation", ["moderator"], None),
        ("Secure World Foundation Director, Ian Christensen", "Ian Christensen", "Director", "Secure World Foundation",
         ["speaker"], None),
        ('Dr. WANG Yiran, Vice President, China Academy of Space Technology: "Commercial launch in China"',
         "WANG Yiran", "Vice President", "China Academy of Space Technology", ["speaker"], "Commercial launch in China"),
        ("John Smith - Panelist", "John Smith", None, None, ["panelist"], None),
    ],
)  # fmt: skip
def test_an_entry_gives_its_participant_and_the_whole_entry_as_evidence(entry, name, title, organisation, roles, talk):
    [mention] = read_entries(entry, 100, known, ["speaker"])
    assert (mention.name, mention.title, mention.organisation, mention.roles, mention.talk_title) == (
        name,
        title,
        organisation,
        roles,
        talk,
    )
    assert mention.span == (100, 100 + len(entry))


def test_family_names_in_capitals_are_split_and_normalised():
    [mention] = read_entries("Dr. WANG Yiran, Vice President", 0, known, ["speaker"])
    assert (mention.family_name, mention.given_name) == ("Wang", "Yiran")


def test_an_entry_without_a_person_gives_nothing():
    assert read_entries("not a person at all", 0, known, ["speaker"]) == []


def test_the_longest_known_organisation_is_found_with_its_acronym():
    text = "Senior Director at Secure World Foundation (SWF) in DC"
    assert known_span(text, known) == (19, 48)
    assert text[19:48] == "Secure World Foundation (SWF)"
    assert split_affiliation("Director of Programs, Secure World Foundation (SWF)", known) == (
        "Director of Programs",
        "Secure World Foundation (SWF)",
    )


def test_role_phrases_become_the_ontologys_roles_in_order():
    assert role_names("Opening and closing remarks") == ["opening remarks", "closing remarks"]
    assert role_names("Moderators & Panelists") == ["moderator", "panelist"]


def test_an_abbreviations_period_is_kept():
    assert strip_punctuation("China Rocket Co., Ltd.,") == "China Rocket Co., Ltd."


# ---------------------------------------------------------------- prose


def test_hosts_are_the_known_organisations_of_a_hosted_by_sentence():
    sentence = "The workshop was co-hosted by Secure World Foundation and Caelus Foundation."
    assert hosts_in(sentence, known) == ["Secure World Foundation", "Caelus Foundation"]


def test_lists_keep_company_suffixes_whole():
    assert split_list("A, B, and the C (CX)") == ["A", "B", "the C (CX)"]
    assert split_list("China Rocket Co., Ltd. and SWF") == ["China Rocket Co., Ltd.", "SWF"]


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("held in person in Fuzhou with remote participants joining online", "hybrid"),
        ("The dialogue took place online.", "online"),
        ("The event was held entirely pre-recorded.", "prerecorded"),
        ("Participants gathered in Beijing.", "in-person"),
        ("A workshop on launch.", None),
    ],
)
def test_the_attendance_mode_is_decided_from_what_the_text_says(text, mode):
    assert decide_attendance(attendance_signals(text)) == mode


def test_moderated_by_in_a_sentence_names_a_moderator_with_the_span_of_the_phrase():
    sentence = Line("The panel was moderated by Jane Doe of Secure World Foundation.", 0)
    [mention] = prose_participants(sentence, known)
    assert (mention.name, mention.organisation, mention.roles) == ("Jane Doe", "Secure World Foundation", ["moderator"])
    assert sentence.text[mention.span[0] : mention.span[1]] == "Jane Doe of Secure World Foundation"


# ---------------------------------------------------------------- events on a page

TWO_EVENTS = """Title: Two events
Space Dialogue 2021
When: May 10, 2021
Where: Beijing, China
- Jane Doe, Director, Secure World Foundation

Space Workshop 2022
When: June 1-2, 2022
- John Smith, Caelus Foundation
The workshop was hosted by Secure World Foundation.
"""


def test_a_page_with_two_headed_events_gives_two_events_each_with_its_facts_and_evidence():
    page = parse_page(Document(Path("t.txt"), "text", TWO_EVENTS, "Two events", None), known)
    first, second = page.events
    assert (first.name, first.start_date, first.end_date, first.city, first.country) == (
        "Space Dialogue 2021",
        "2021-05-10",
        None,
        "Beijing",
        "CN",
    )
    assert (second.name, second.start_date, second.end_date, second.hosts) == (
        "Space Workshop 2022",
        "2022-06-01",
        "2022-06-02",
        ["Secure World Foundation"],
    )

    def said(span: tuple[int, int]) -> str:
        return TWO_EVENTS[span[0] : span[1]]

    assert said(first.evidence["start_date"]) == "When: May 10, 2021"
    assert said(first.evidence["place"]) == "Where: Beijing, China"
    assert said(second.evidence["hosts"]) == "The workshop was hosted by Secure World Foundation."
    assert [said(p.span) for p in first.participants] == ["Jane Doe, Director, Secure World Foundation"]
    assert [said(p.span) for p in second.participants] == ["John Smith, Caelus Foundation"]
    assert page.warnings == []


def test_facts_stated_once_for_the_page_apply_to_each_event():
    text = "Hosted by Secure World Foundation, the series met twice.\nMeeting One\nWhen: May 1, 2020\nMeeting Two\nWhen: May 1, 2021\n"
    page = parse_page(Document(Path("t.txt"), "text", text, None, None), known)
    assert [e.hosts for e in page.events] == [["Secure World Foundation"], ["Secure World Foundation"]]


def test_a_page_without_an_event_says_so():
    page = parse_page(Document(Path("t.txt"), "text", "", None, None), known)
    assert page.events == [] and page.warnings == ["no event found on the page"]


@pytest.mark.parametrize(
    ("entry", "name", "roles"),
    [
        ("Keynote conversation: Dr. Mara Velden, Chief Engineer, Caelus Foundation", "Mara Velden", ["keynote"]),
        ("Panel moderator: Tomas Eriksen, Secure World Foundation", "Tomas Eriksen", ["moderator"]),
        ("Fireside chat: Lena Okafor, Director, Caelus Foundation", "Lena Okafor", ["speaker"]),
    ],
)
def test_a_label_before_the_entry_is_not_part_of_the_name_and_a_role_word_in_it_counts(entry, name, roles):
    [mention] = read_entries(entry, 0, known, ["speaker"])
    assert (mention.name, mention.roles) == (name, roles)
    assert mention.organisation in KNOWN


@pytest.mark.parametrize("entry", ["Date: May 5, 2021", "Speaker 2: Hello everyone, thanks for coming"])
def test_a_label_before_something_that_is_no_person_gives_nothing(entry):
    assert read_entries(entry, 0, known, ["speaker"]) == []


# ---------------------------------------------------------------- judgement (issue 15)


@pytest.mark.parametrize(
    ("entry", "role"),
    [
        ("Chair: Dr. Ama Owusu, Director, Volta Space Institute", "moderator"),
        ("Co-chair: Dr. Ama Owusu, Director, Volta Space Institute", "moderator"),
        ("Master of Ceremonies: Kwesi Boateng, Volta Space Institute", "moderator"),
        ("Rapporteur: Efua Mensah, Analyst, Volta Space Institute", "speaker"),
        ("Discussant: Efua Mensah, Analyst, Volta Space Institute", "discussant"),
        ("Keynote: Efua Mensah, Analyst, Volta Space Institute", "keynote"),
    ],
)
def test_chairs_rapporteurs_and_masters_of_ceremonies_take_the_ontologys_roles(entry, role):
    assert [m.roles for m in read_entries(entry, 0, known, ["speaker"])] == [[role]]


ASIDE_PAGE = """title: Harmattan Spectrum Workshop

Harmattan Spectrum Workshop
When: 4 March 2024
Where: Accra, Ghana

Speakers
- Efua Mensah, Analyst, Volta Space Institute
- Kwesi Boateng, Engineer, Sahel Orbital Ltd

Past speakers in this series
- Adjoa Sarpong, Director, Volta Space Institute (2023)

Related events
- Kofi Annor, Harmattan Dialogue 2022
"""


def test_past_speakers_and_related_events_are_no_participants_and_a_warning_says_so():
    page = parse_page(Document(Path("t.txt"), "text", ASIDE_PAGE, "Harmattan Spectrum Workshop", None), known)
    assert [m.name for m in page.events[0].participants] == ["Efua Mensah", "Kwesi Boateng"]
    assert any("'Past speakers in this series': Adjoa Sarpong: not participants" in w for w in page.warnings)


def test_a_place_based_host_and_its_partner_are_the_hosts():
    sentence = "The Accra-based Volta Space Institute will hold its third workshop in Accra, together with the Sahel Orbital Society."
    assert hosts_in(sentence, known) == ["Volta Space Institute", "Sahel Orbital Society"]
    brought = (
        "On 4 March, the Volta Space Institute and the Harmattan Law Centre brought forty lawyers together in Accra."
    )
    assert hosts_in(brought, known) == ["Volta Space Institute", "Harmattan Law Centre"]


def test_a_plural_role_label_over_names_alone_gives_each_person():
    text = "Panelists: Tevita Fifita-Holm, Lasse Nyberg-Oduro and Dr. Amaru Quispe-Laine"
    found = read_entries(text, 10, known, ["speaker"])
    assert [(m.name, m.roles) for m in found] == [
        ("Tevita Fifita-Holm", ["panelist"]),
        ("Lasse Nyberg-Oduro", ["panelist"]),
        ("Amaru Quispe-Laine", ["panelist"]),
    ]
    assert [text[m.span[0] - 10 : m.span[1] - 10] for m in found][2] == "Dr. Amaru Quispe-Laine"
    assert read_entries("Panel: Slot Auctions and Their Critics", 0, known, ["speaker"]) == []  # a session title


def test_a_label_the_role_list_does_not_know_over_an_entry_names_a_participant_but_a_credit_does_not():
    text = (
        "title: Night Sky Conversation\n\nNight Sky Conversation\nWhen: 4 May 2024\n\n"
        "Introduction: Ignacio Pereda-Voss, President, Fundación Cielo Claro\n"
        "Photo: Marta Quiroga-Lind, Staff Photographer, Fundación Cielo Claro\n"
        "Report Launch: “The Cost of Bright Satellites”\n"
    )
    page = parse_page(Document(Path("t.txt"), "text", text, "Night Sky Conversation", None), known)
    assert [(m.name, m.organisation) for m in page.events[0].participants] == [
        ("Ignacio Pereda-Voss", "Fundación Cielo Claro")
    ]


def test_a_programmes_time_slot_gives_its_role_and_talk_to_the_entry_under_it():
    text = (
        "title: Aegean Traffic Conference\n\nAegean Traffic Conference\nWhen: 14 June 2022\n\n"
        "09:00  Opening\n• Prof. Dr. Nikos Arvanitis-Blum, Conference Chair\n"
        "09:20  Keynote: Traffic Rules for a Crowded Sky\n• Capt. Irini Lazarou-Pine, Senior Fellow, Delos Orbital Cluster\n"
        "12:30  Closing\n       Prof. Nikos Arvanitis-Blum and Dr. Eleni Sarri-Holt\n"
        "SPEAKERS\n• Eleni Sarri-Holt, Analyst, Delos Orbital Cluster\n"
    )
    page = parse_page(Document(Path("t.txt"), "text", text, "Aegean Traffic Conference", None), known)
    assert [(m.name, m.roles, m.talk_title) for m in page.events[0].participants] == [
        ("Nikos Arvanitis-Blum", ["opening remarks"], None),
        ("Irini Lazarou-Pine", ["keynote"], "Traffic Rules for a Crowded Sky"),
        ("Nikos Arvanitis-Blum", ["closing remarks"], None),  # names alone under a slot
        ("Eleni Sarri-Holt", ["closing remarks"], None),
        ("Eleni Sarri-Holt", ["speaker"], None),  # a role heading ends the slot
    ]
