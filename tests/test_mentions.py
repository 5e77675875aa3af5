"""The mention finder: participants found in text whose layout is gone (flattened speaker lists, agenda lines)."""

from __future__ import annotations

from spacegraph.ingest.flattened import flattened_entries, label_roles, split_entries
from spacegraph.ingest.page_entries import read_entries
from spacegraph.names.organisations import ends_organisation


def nobody_known(text: str) -> bool:
    return False


def people(text: str) -> list[tuple[str, str | None, str | None, list[str]]]:
    return [(m.name, m.title, m.organisation, m.roles) for m in flattened_entries(text, 0, nobody_known, [])]


def test_a_flattened_list_splits_where_an_organisation_ends_and_a_name_begins() -> None:
    text = (
        "Speakers Opening Remarks: Elsbeth Marrow-Quaid, Director, Ferncastle Institute Panelists: "
        "Tobias Renfrew-Aldo, Vice President, Government Affairs, Kestrel Launch Inc. Hanne Lykke-Obuya, Counsel at "
        "Brightwater & Crane LLP Desta Woldemariam, Founder and CEO, Ridgeline Aerospace Moderator: Ines Carvalho-Pratt"
        ", Correspondent, The Launch Courier"
    )
    assert people(text) == [
        ("Elsbeth Marrow-Quaid", "Director", "Ferncastle Institute", ["opening remarks"]),
        ("Tobias Renfrew-Aldo", "Vice President, Government Affairs", "Kestrel Launch Inc.", ["panelist"]),
        ("Hanne Lykke-Obuya", "Counsel", "Brightwater & Crane LLP", ["panelist"]),
        ("Desta Woldemariam", "Founder and CEO", "Ridgeline Aerospace", ["panelist"]),
        ("Ines Carvalho-Pratt", "Correspondent", "The Launch Courier", ["moderator"]),
    ]


def test_a_comma_inside_an_organisation_does_not_start_a_person() -> None:
    text = "Moderator: Ana Reyes-Holt, Partner, Dovetail Partners, LLC Bram Oosterhuis, Analyst, Polder Ventures BV"
    assert [p[:3] for p in people(text)] == [
        ("Ana Reyes-Holt", "Partner", "Dovetail Partners, LLC"),
        ("Bram Oosterhuis", "Analyst", "Polder Ventures BV"),
    ]


def test_a_numbered_panel_names_a_session_and_the_people_after_its_moderator_are_panelists() -> None:
    text = (
        "10:00 Panel 2: Paying for Ground Stations Moderator: Lena Vik-Osei, Editor, Orbit Weekly Press "
        "Tomas Reyna, Partner, Andes Capital Fund 11:30 Lunch 12:30 Closing Remarks Lena Vik-Osei"
    )
    assert [(p[0], p[3]) for p in people(text)] == [
        ("Lena Vik-Osei", ["moderator"]),
        ("Tomas Reyna", ["panelist"]),
        ("Lena Vik-Osei", ["closing remarks"]),
    ]


def test_two_names_run_together_are_two_entries() -> None:
    text = "Moderator: Dr. Imani Wekesa-Lund Joel Ambani, Founder, Tana Geodata Ltd"
    assert [p[0] for p in people(text)] == ["Imani Wekesa-Lund", "Joel Ambani"]


def test_a_keynote_talk_title_before_the_name_is_the_talk() -> None:
    text = '09:15 Keynote "Why Ground Segments Pay" Oren Malka-Fiske, Chief Economist, Negev Orbital Fund 10:00 Break'
    (mention,) = flattened_entries(text, 100, nobody_known, [])
    assert (mention.name, mention.talk_title, mention.roles) == (
        "Oren Malka-Fiske",
        "Why Ground Segments Pay",
        ["keynote"],
    )
    start, end = mention.span
    assert text[start - 100 : end - 100] == "Oren Malka-Fiske, Chief Economist, Negev Orbital Fund"


def test_semicolons_and_dots_separate_entries_and_labels_need_no_colon_after_a_time() -> None:
    text = "Chair -- Ruth Abara (Lagos Space Institute) · Kofi Mensah-Dahl (Volta Teleport SA) · Ama Serwaa, consultant"
    assert [(p[0], p[2]) for p in people(text)] == [
        ("Ruth Abara", "Lagos Space Institute"),
        ("Kofi Mensah-Dahl", "Volta Teleport SA"),
        ("Ama Serwaa", None),
    ]


def test_a_line_without_a_role_label_gives_nobody() -> None:
    assert people("Hundreds of small satellites wait for a licence, said Mara Quist, an analyst.") == []
    assert people("09:00 Registration and coffee") == []


def test_labels_map_to_the_ontology_roles() -> None:
    assert label_roles("Welcome Remarks") == ["opening remarks"]
    assert label_roles("Chair") == ["moderator"]
    assert label_roles("Panelists") == ["panelist"]
    assert label_roles("Discussants") == ["discussant"]


def test_entries_are_split_without_a_separator() -> None:
    text = "A Person-Name, Head, Sora Labs Inc. Bo Kim, Lead, Ridge Group"
    assert [text[s:e].strip(" ,") for s, e in split_entries(text)] == [
        "A Person-Name, Head, Sora Labs Inc.",
        "Bo Kim, Lead, Ridge Group",
    ]


def test_an_organisation_ends_with_a_legal_form_a_body_word_or_a_parenthesis() -> None:
    assert ends_organisation("Tessaract Orbital Inc.")
    assert ends_organisation("Holloway & Brisk LLP")
    assert ends_organisation("Lake Region Space Enterprise Network")
    assert ends_organisation("Kilimo Analytics (Arusha)")
    assert not ends_organisation("Vice President")
    assert not ends_organisation("")


def entry(text: str) -> tuple[str, str | None, str | None, str | None]:
    (m,) = read_entries(text, 0, nobody_known, ["speaker"])
    return m.name, m.title, m.organisation, m.talk_title


def test_a_dash_after_the_name_and_post_nominals_are_not_part_of_the_name() -> None:
    assert entry("K. L. Ambrose-Tate, PhD – Reader in Air Law, Universidad de Cuyo") == (
        "K. L. Ambrose-Tate",
        "Reader in Air Law",
        "Universidad de Cuyo",
        None,
    )
    assert entry("Oriel Fanshawe-Kim MBE – Partner, Tolland, Marsh & Vey, LLP")[::2] == (
        "Oriel Fanshawe-Kim",
        "Tolland, Marsh & Vey, LLP",
    )


def test_status_notes_placeholders_and_a_talk_before_the_name() -> None:
    assert entry("Dr. Luis Arriaga-Benn (invited) – Director, Pampas Orbital Foundation")[0] == "Luis Arriaga-Benn"
    assert read_entries("Moderator: TBC", 0, nobody_known, ["speaker"]) == []
    assert entry('"Pricing Collision Risk" – Mira Olsen-Hart, Fellow, Nordkapp Institute')[::3] == (
        "Mira Olsen-Hart",
        "Pricing Collision Risk",
    )


def test_a_one_word_name_before_a_job_title() -> None:
    assert entry("Wulandari – Policy Analyst, Borneo Space Foundation")[:3] == (
        "Wulandari",
        "Policy Analyst",
        "Borneo Space Foundation",
    )


def test_an_agenda_line_gives_the_talk_then_its_speaker() -> None:
    text = "Mapping Wetlands from Radar | Dr. Awa Seck-Holm, Remote Sensing Lead, Casamance Water Agency (remote)"
    assert [(m.name, m.organisation, m.talk_title) for m in flattened_entries(text, 0, nobody_known, [])] == [
        ("Awa Seck-Holm", "Casamance Water Agency", "Mapping Wetlands from Radar")
    ]
    assert flattened_entries("Dakar, Senegal | 4-6 May 2026 | Hybrid", 0, nobody_known, []) == []
    assert flattened_entries("Open Skies, Closed Doors | Policy Centre of the South", 0, nobody_known, []) == []


def prose(text: str) -> list[tuple[str, str | None, str | None, list[str]]]:
    from spacegraph.ingest.page_lines import Line
    from spacegraph.ingest.prose_people import people_in_prose

    return [(m.name, m.title, m.organisation, m.roles) for m in people_in_prose(Line(text, 0), nobody_known)]


def test_a_quote_attribution_names_a_participant_with_title_and_organisation() -> None:
    assert prose('"It works," said Liesl Amankwah-Roth, director of the Elbe Centre for Orbital Safety.') == [
        ("Liesl Amankwah-Roth", "director", "Elbe Centre for Orbital Safety", ["speaker"])
    ]
    assert prose("Tarek Ben Ammar-Lind, head of policy at Carthage Launch Systems in Tunis, warned that …") == [
        ("Tarek Ben Ammar-Lind", "head of policy", "Carthage Launch Systems", ["speaker"])
    ]


def test_who_did_the_role_in_a_sentence_of_a_story() -> None:
    assert prose("The keynote came from Dr. Anouk Vries-Baptiste, a licensing official who spoke freely.") == [
        ("Anouk Vries-Baptiste", "licensing official", None, ["keynote"])
    ]
    assert prose("The panel was chaired by Odile Mercer-Fahd of the Rhone Space Cluster.")[0][2:] == (
        "Rhone Space Cluster",
        ["moderator"],
    )


def test_people_who_were_not_there_or_only_mentioned_are_not_participants() -> None:
    assert prose("Reached later, Hugo Lenz-Amadi of Spree Debris Watch, who did not attend, said it was late.") == []
    assert prose("Its director, Dr. Pavel Orlov-Nkemdi, who was due to speak, could not travel; nobody stood in.") == []
    assert prose("A deputy minister, Rhoda Mbeki-Lowe, told a committee in June that a law would come.") == []
    assert prose("My predecessor, Alder Fennimore-Quist, said it would take a year.") == []


def test_a_profile_name_over_its_affiliation_under_a_keynote_heading() -> None:
    from spacegraph.ingest.headed import headed_entries
    from spacegraph.ingest.page_lines import Line

    heading = Line('10:00 | KEYNOTE: "Seeing Everything in Orbit"', 0)
    name = Line("Wg Cdr Dr. Tariq Hamdan-Oyelaran", 60)
    affiliation = Line("Senior Fellow, Dune Security Institute", 100)
    assert headed_entries([heading], name, nobody_known, ["speaker"], []) == []
    (m,) = headed_entries([heading, name], affiliation, nobody_known, ["speaker"], [])
    assert (m.name, m.title, m.organisation, m.roles, m.talk_title, m.span) == (
        "Tariq Hamdan-Oyelaran",
        "Senior Fellow",
        "Dune Security Institute",
        ["keynote"],
        "Seeing Everything in Orbit",
        (60, 138),
    )


def test_an_unbulleted_entry_under_an_opening_heading_and_prose_that_is_no_entry() -> None:
    from spacegraph.ingest.headed import headed_entries
    from spacegraph.ingest.page_lines import Line

    entry_line = Line("H.E. Amb. Rosa de la Serna-Quint, Honorary President, Andean Space Law Society", 10)
    (m,) = headed_entries([Line("Opening", 0)], entry_line, nobody_known, ["speaker"], [])
    assert (m.name, m.organisation, m.roles) == (
        "Rosa de la Serna-Quint",
        "Andean Space Law Society",
        ["opening remarks"],
    )
    prose_line = Line("Rosa de la Serna-Quint, who was president of the society, has retired.", 10)
    assert headed_entries([Line("Opening", 0)], prose_line, nobody_known, ["speaker"], []) == []


def test_a_body_without_a_body_word_is_the_organisation_but_a_department_is_a_title() -> None:
    assert entry("Noa Pike-Ruiz, Astronomer, Observatorio Cerro Blanco")[1:3] == (
        "Astronomer",
        "Observatorio Cerro Blanco",
    )
    assert entry("Noa Pike-Ruiz, Executive Director, SKYPA")[1:3] == ("Executive Director", "SKYPA")
    assert entry("Noa Pike-Ruiz, Vice President, Regulatory Affairs")[1:3] == (
        "Vice President, Regulatory Affairs",
        None,
    )


def test_a_story_names_a_moderator_by_a_possessive_title() -> None:
    assert prose("The forum's own policy lead, Oren Castell-Adu, moderated the discussion.") == [
        ("Oren Castell-Adu", "the forum's policy lead", None, ["moderator"])
    ]


def test_a_transcript_turn_is_no_role_label() -> None:
    assert people("Speaker 2: Thank you, Amara Osei-Lind, Director, Volta Space Institute, for the question.") == []


def test_the_hosts_possessive_title_names_the_host() -> None:
    from spacegraph.ingest.page_entries import Mention
    from spacegraph.ingest.prose_people import refer_to_hosts

    mention = Mention("Ana Bel", "Bel", "Ana", "the Council's secretary-general", None, ["speaker"], None, (0, 1))
    other = Mention("Bo Lin", "Lin", "Bo", "the board's chair", None, ["speaker"], None, (0, 1))
    refer_to_hosts([mention, other], ["Tromsø-based Fjell Orbital Council (FOC)", "Arctic Data Society"])
    assert (mention.title, mention.organisation) == ("secretary-general", "Fjell Orbital Council")
    assert (other.title, other.organisation) == ("chair", None)


def test_a_welcome_by_a_named_person_is_their_opening_remarks() -> None:
    assert prose(
        "Each day opens with a short welcome by Dr. Ilse Maarten-Oyelowo, President of the Vela Law Society."
    ) == [("Ilse Maarten-Oyelowo", "President", "Vela Law Society", ["opening remarks"])]


# ---------------------------------------------------------------- issue 15: forms the development pages lacked


def story(text: str) -> list[tuple[str, str | None, list[str]]]:
    from spacegraph.ingest.page_lines import Line
    from spacegraph.ingest.prose_people import people_in_prose

    return [(m.name, m.organisation, m.roles) for m in people_in_prose(Line(text, 0), nobody_known)]


def test_prose_reads_a_whole_panel_and_each_name_takes_the_role_of_its_own_clause() -> None:
    text = (
        "Following the keynote by Dr. Sunniva Hol of the Tromsø Ice Institute, on the panel were Mr. Arvid Lunde of "
        "Kvaløya Radar, Prof. Beatriz Salgado-Wint of the Andes Glacier Observation Collaborative, and Ms. Ruth "
        "Okello of Victoria Lake Mapping, moderated by Jonas Ebbesen of the Fjord Data Council."
    )
    assert story(text) == [
        ("Sunniva Hol", "Tromsø Ice Institute", ["keynote"]),
        ("Arvid Lunde", "Kvaløya Radar", ["panelist"]),
        ("Beatriz Salgado-Wint", "Andes Glacier Observation Collaborative", ["panelist"]),
        ("Ruth Okello", "Victoria Lake Mapping", ["panelist"]),
        ("Jonas Ebbesen", "Fjord Data Council", ["moderator"]),
    ]


def test_prose_at_the_start_of_a_sentence_and_with_an_honorific_in_the_enumeration() -> None:
    text = "Among the panelists were Dr. Ama Boateng of Accra Orbital and Mr. Yaw Darko of Kumasi Analytics."
    assert story(text) == [
        ("Ama Boateng", "Accra Orbital", ["panelist"]),
        ("Yaw Darko", "Kumasi Analytics", ["panelist"]),
    ]


def test_prose_an_organisation_after_of_is_never_a_person() -> None:
    assert story("Kwame Asante of Volta Geodata spoke on the panel, which was moderated by Efua Mensah.") == [
        ("Kwame Asante", "Volta Geodata", ["panelist"]),
        ("Efua Mensah", None, ["moderator"]),
    ]
    assert story("Lerato Dube of the Limpopo Basin Data Collaborative closed the event.") == [
        ("Lerato Dube", "Limpopo Basin Data Collaborative", ["closing remarks"])
    ]


def test_prose_an_opening_phrase_and_a_who_clause_give_role_and_organisation() -> None:
    text = "Closing the session, Amani Kariuki, who heads the Tana River Agritech Forum, thanked the speakers."
    assert story(text) == [("Amani Kariuki", "Tana River Agritech Forum", ["closing remarks"])]
    text = "The day began with welcoming words from Dr. Imke Brandt of the Elbe Coastal Office."
    assert story(text) == [("Imke Brandt", "Elbe Coastal Office", ["opening remarks"])]


def test_prose_a_possessive_title_after_the_name_is_resolved_with_the_hosts() -> None:
    from spacegraph.ingest.page_lines import Line
    from spacegraph.ingest.prose_people import people_in_prose, refer_to_hosts

    found = people_in_prose(Line("The panel was chaired by Noor Haddad, the institute's data lead.", 0), nobody_known)
    refer_to_hosts(found, ["Levant Water Institute"])
    assert [(m.name, m.title, m.organisation, m.roles) for m in found] == [
        ("Noor Haddad", "data lead", "Levant Water Institute", ["moderator"])
    ]


def agenda(text: str) -> list[tuple[str, str | None, list[str], str | None]]:
    return [(m.name, m.organisation, m.roles, m.talk_title) for m in flattened_entries(text, 0, nobody_known, [])]


def test_agenda_lines_with_the_talk_on_either_side_of_a_dash_or_the_speaker_in_brackets() -> None:
    assert agenda("14:10 “Tides Seen from Orbit” – Dr. Oona Virtanen, Saimaa Radar Oy") == [
        ("Oona Virtanen", "Saimaa Radar Oy", ["speaker"], "Tides Seen from Orbit")
    ]
    assert agenda('Kofi Ansah, Gulf Swath Ltd — "Ports After Dark"') == [
        ("Kofi Ansah", "Gulf Swath Ltd", ["speaker"], "Ports After Dark")
    ]
    assert agenda("15:00 Talk: Sand, Wind and Radar (Leila Amrani, Sahel Dune Observatory)") == [
        ("Leila Amrani", "Sahel Dune Observatory", ["speaker"], "Sand, Wind and Radar")
    ]
    assert agenda("11:00 Coffee and networking") == []


def test_a_talk_after_the_colon_of_an_entry_is_no_name() -> None:
    found = read_entries("Dr. Piet Mulder (Wadden Tide Services): Early Warning for Storm Surges", 0, nobody_known, [])
    assert [(m.name, m.organisation, m.talk_title) for m in found] == [
        ("Piet Mulder", "Wadden Tide Services", "Early Warning for Storm Surges")
    ]


def test_placeholders_are_nobody() -> None:
    for text in ("Speaker TBC", "TBA", "to be confirmed", "Speaker to be announced", "Moderator: TBD"):
        assert read_entries(text, 0, nobody_known, ["speaker"]) == [], text


def test_a_flattened_list_splits_at_honorifics_and_after_an_organisation_in_brackets() -> None:
    text = (
        "Panelists: Dr. Edda Fjeld-Ross Tromsø Maritim Advokatfirma Dr. Obi Nwosu Lagos Launch Ventures "
        "Moderator: Mr. Kenji Arai (Sapporo Suborbital K.K.) Tui Ngata (Aotearoa Orbit Office)"
    )
    assert [(name, organisation, roles) for name, _, organisation, roles in people(text)] == [
        ("Edda Fjeld-Ross", "Tromsø Maritim Advokatfirma", ["panelist"]),
        ("Obi Nwosu", "Lagos Launch Ventures", ["panelist"]),
        ("Kenji Arai", "Sapporo Suborbital K.K.", ["moderator"]),
        ("Tui Ngata", "Aotearoa Orbit Office", ["moderator"]),
    ]


def test_a_title_with_of_before_a_legal_form_leaves_the_organisation_after_the_comma() -> None:
    assert people("Keynote: Rosa Mamani, Head of Launch Range Safety, Altiplano Cohetes S.A.C.") == [
        ("Rosa Mamani", "Head of Launch Range Safety", "Altiplano Cohetes S.A.C.", ["keynote"])
    ]


def test_a_name_ending_in_a_body_noun_is_no_person() -> None:
    from spacegraph.names.split import looks_like_person

    assert not looks_like_person("Niger Delta Monitoring Collaborative")
    assert not looks_like_person("Han River Stewardship")
    assert looks_like_person("Clement Fleming") and looks_like_person("Florence Montgomery")


def test_a_flattened_list_of_names_with_bracketed_organisations_and_a_stop_word_inside_a_name() -> None:
    text = "Panelists: Mia Kowalski (Baltic Orbit Watch) Jonas Berg (Nordic Debris Tracking) Sara Lind (Kiruna Radar)"
    assert [(name, organisation) for name, _, organisation, _ in people(text)] == [
        ("Mia Kowalski", "Baltic Orbit Watch"),
        ("Jonas Berg", "Nordic Debris Tracking"),
        ("Sara Lind", "Kiruna Radar"),
    ]
    assert [p[0] for p in people("Speakers: Ana Ruiz, Director, Sol Orbital Ltd Register now Watch the recording")] == [
        "Ana Ruiz"
    ]


def test_between_two_job_titles_a_chunk_holds_an_organisation_and_the_next_name() -> None:
    text = "Panelists: Ouma Kibet, Senior Analyst, Rift Geodesy Kwabena Osei, Director, Volta Satellite Services"
    assert people(text) == [
        ("Ouma Kibet", "Senior Analyst", "Rift Geodesy", ["panelist"]),
        ("Kwabena Osei", "Director", "Volta Satellite Services", ["panelist"]),
    ]


def test_prose_cues_that_introduce_an_enumeration() -> None:
    text = "Speakers included Dr. Ines Kamali of the Lake Kivu Soil Institute and Ruth Moyo, an agronomist with Chobe Farm Data."
    assert story(text) == [
        ("Ines Kamali", "Lake Kivu Soil Institute", ["speaker"]),
        ("Ruth Moyo", "Chobe Farm Data", ["speaker"]),
    ]
    text = "Presentations were given by Dr. Ana Soto (Maule Reef Data) and Mr. Piri Hale (Tasman Ocean Imaging)."
    assert story(text) == [
        ("Ana Soto", "Maule Reef Data", ["speaker"]),
        ("Piri Hale", "Tasman Ocean Imaging", ["speaker"]),
    ]
    text = "Moderating the closing discussion was Dr. Samir Aziz of the Fes Remote Sensing Centre."
    assert story(text) == [("Samir Aziz", "Fes Remote Sensing Centre", ["moderator"])]
    text = (
        "The panel, chaired by Bo Dahl of Oslo Geodata, brought together Lin Wu of the Gansu Growers Union and Tom Rye."
    )
    assert story(text) == [
        ("Bo Dahl", "Oslo Geodata", ["moderator"]),
        ("Lin Wu", "Gansu Growers Union", ["panelist"]),
        ("Tom Rye", None, ["panelist"]),
    ]


def test_programme_lines_with_bars_or_a_dash_between_the_slot_and_its_speaker() -> None:
    assert agenda("09:00–09:15 | Opening | Prof. Eva Lang, Salzach Snow Institute") == [
        ("Eva Lang", "Salzach Snow Institute", ["opening remarks"], None)
    ]
    assert agenda('09:15 | "Snowpack from Radar" | Dr. Ugo Rossi, Adda Radar SA') == [
        ("Ugo Rossi", "Adda Radar SA", ["speaker"], "Snowpack from Radar")
    ]
    assert agenda("09:45 – 10:15  Avalanche Risk in a Warmer Valley — Nina Gruber (Lech Hazard Office)") == [
        ("Nina Gruber", "Lech Hazard Office", ["speaker"], "Avalanche Risk in a Warmer Valley")
    ]
    assert agenda("Panelists: Jon Aas (Voss Hydro AS), Ida Berg (Odda Sensing AS)") == [
        ("Jon Aas", "Voss Hydro AS", ["panelist"], None),
        ("Ida Berg", "Odda Sensing AS", ["panelist"], None),
    ]
