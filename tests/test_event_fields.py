"""An event's own fields (issue 15, item 5): dates in the forms pages print them, never a posting or update date,
and the place, wherever the page gives it (a field, beside the date, a flattened line, prose, the title)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacegraph.ingest.dates import NOT_EVENT_DATE, date_range, date_span
from spacegraph.ingest.documents import Document
from spacegraph.ingest.pages import parse_page
from spacegraph.ingest.places import (
    Place,
    parse_place,
    place_after_date,
    place_beside_date,
    place_in_prose,
    place_line,
)

# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16–17 November 2021", ("2021-11-16", "2021-11-17")),
        ("16 to 17 Nov. 2021", ("2021-11-16", "2021-11-17")),
        ("Tuesday 9 April 2024, 09:30–17:00", ("2024-04-09", None)),
        ("May 10, 2016 — Nairobi, Kenya", ("2016-05-10", None)),
        ("On May 10, 2016, the council met", ("2016-05-10", None)),
        ("2024年5月14日", ("2024-05-14", None)),
        ("2024年5月14日至15日", ("2024-05-14", "2024-05-15")),
        ("2024年5月30日至6月1日", ("2024-05-30", "2024-06-01")),
        ("2021-11-16 to 2021-11-18", ("2021-11-16", "2021-11-18")),
        ("30 April – 2 May 2023", ("2023-04-30", "2023-05-02")),
    ],
)
def test_a_date_or_range_in_the_forms_pages_print(text, expected):
    assert date_range(text) == expected


def test_a_date_without_a_year_takes_the_year_nearest_the_page_date():
    assert date_range("On Thursday 19 October, the forum met") == (None, None)
    assert date_range("On Thursday 19 October, the forum met", "2023-10-24") == ("2023-10-19", None)
    assert date_range("last Tuesday (7 November)", "2017-11-13") == ("2017-11-07", None)
    assert date_range("held on 28 December", "2024-01-03") == ("2023-12-28", None)  # a report just after new year
    assert date_range("4月16日，对话会在海口举行", "2025-04-18") == ("2025-04-16", None)


@pytest.mark.parametrize(
    "text",
    [
        "Posted on May 1, 2016",
        "Last updated 4 September 2023",
        "Published 24 October 2023 · Updated 27 October 2023",
        "SPEAKERS (as of 15 November 2016)",
        "*By A. Writer · 13 November 2017 · 6 min read*",
        "Registration is open until 10 September 2025.",
        "Programme version of 10 March 2021",
        "发布时间：2025-04-18 10:32",
    ],
)
def test_posting_and_update_dates_are_not_event_dates(text):
    assert NOT_EVENT_DATE.search(text)


def test_an_event_sentence_is_not_taken_for_a_posting_date():
    assert not NOT_EVENT_DATE.search("The dialogue, organised by the council, was held on 3 May 2022 in Lima.")


# ---------------------------------------------------------------- places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Copernicus Room, Vistula University of Technology, Kraków, Poland, and online", ("Kraków", "PL", "hybrid")),
        ("Acacia Rise Hotel, Upper Hill, Nairobi, Kenya & online", ("Nairobi", "KE", "hybrid")),
        ("Wadi Qurum Conference Hall, Muscat", ("Muscat", "OM", None)),  # the gazetteer knows Muscat
        ("Sala Azul, Kraków", ("Kraków", "PL", None)),  # GeoNames' cities (gazetteer.cities.tsv) know Kraków
        ("Sala Azul, Nowhere Flats", ("Nowhere Flats", None, None)),  # a city no list knows: no country guessed
        ("Harlan Auditorium, Example Policy Institute, Washington, DC", ("Washington", "US", None)),
        ("Houston, TX", ("Houston", "US", None)),
        ("Hefei, Anhui, China", ("Hefei", "CN", None)),
        ("Level 5 Seminar Room, Marina Tower, Singapore", ("Singapore", "SG", None)),
        ("Buenos Aires, Argentina", ("Buenos Aires", "AR", None)),
        ("Trinidad and Tobago", (None, "TT", None)),
        ("Zoom webinar", (None, None, "online")),
        ("Room 4, Main Building", (None, None, None)),
    ],
)
def test_the_city_is_the_part_nearest_the_country_that_is_no_venue_or_region(text, expected):
    assert parse_place(text) == Place(*expected)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Buenos Aires, Argentina – Tuesday, 22 November 2016, 9:00 to 17:00", ("Buenos Aires", "AR")),
        ("May 10, 2016 — Nairobi, Kenya", ("Nairobi", "KE")),
        ("Dakar, Senegal | 4-6 February 2025 | Hybrid: in person at the Lagoon Centre and online", ("Dakar", "SN")),
        ("Athens, 14–15 June 2022", ("Athens", "GR")),
        ("Tuesday 9 April 2024, 09:30–17:00 · Sala Uno, Hotel Alto, Santiago, Chile", ("Santiago", "CL")),
    ],
)
def test_the_place_beside_the_date_on_one_line(line, expected):
    start, end, _ = date_span(line)
    place = place_beside_date(line, start, end)
    assert place is not None and (place.city, place.country) == expected


@pytest.mark.parametrize(
    "line", ["Wednesday, 17 September 2025, 10:00–15:30 CEST", "DAY 1 | TUESDAY, FEBRUARY 4, 2025"]
)
def test_a_time_or_a_day_number_beside_the_date_is_no_place(line):
    start, end, _ = date_span(line)
    assert place_beside_date(line, start, end) is None


def test_the_place_after_a_date_in_a_flattened_line():
    line = "Events Spectrum Talk Wednesday, March 8, 2017 10:00 am - 11:45 am EST Hall A, Example Institute, "
    line += "Washington, DC Hosted by the Example Institute"
    assert place_after_date(line, line.index("2017") + 4) == Place("Washington", "US", None)


@pytest.mark.parametrize(
    ("sentence", "city"),
    [
        ("The dialogue was held in the Kloof Room at the Harbour Hotel in Cape Town.", "Cape Town"),
        ("The 2025 forum was held in Haikou on 16 April 2025, co-hosted by two institutes.", "Haikou"),
        ("At a forum in Bremen, builders and lawyers tried to agree.", "Bremen"),
        ("Regulators meet in Lagos to discuss licensing", "Lagos"),
    ],
)
def test_the_place_in_prose_after_a_word_that_speaks_of_the_event(sentence, city):
    place = place_in_prose(sentence)
    assert place is not None and place.city == city


@pytest.mark.parametrize(
    "sentence",
    [
        "In Dar es Salaam our first customers were cooperatives.",  # no event word: a remark, not the venue
        "The workshop was held in April and in English.",
        "The panel met in the Main Hall.",
    ],
)
def test_no_place_from_prose_that_does_not_say_where_the_event_was(sentence):
    assert place_in_prose(sentence) is None


# ---------------------------------------------------------------- on a page


def parsed(text: str, title: str | None = None, source_url: str | None = None):
    document = Document(Path("page.txt"), "text", text, source_url, title)
    return parse_page(document, lambda _: False).events


def test_a_news_post_takes_the_date_from_its_prose_not_its_posting_date():
    (event,) = parsed(
        "Posted on 20 May 2016\n\nOn May 10, 2016, the Lakeside Orbital Council met in Kisumu, Kenya, to discuss "
        "ground stations.\n",
        "Council meets on ground stations",
    )
    assert (event.start_date, event.city, event.country) == ("2016-05-10", "Kisumu", "KE")


def test_a_day_of_a_multi_day_event_is_not_another_event():
    events = parsed(
        "Example Applications Conference 2025\nDakar, Senegal | 4-6 February 2025\n\n"
        "DAY 1 | TUESDAY, FEBRUARY 4, 2025\nOpening\n\nDAY 2 | WEDNESDAY, FEBRUARY 5, 2025\nPanels\n"
    )
    assert [(e.start_date, e.end_date, e.city) for e in events] == [("2025-02-04", "2025-02-06", "Dakar")]


def test_front_matter_dates_are_posting_dates():
    (event,) = parsed("+++\ntitle = \"x\"\ndate = 2025-08-29\n+++\n\n# Example Roundtable\n\n"
                      "**When:** Wednesday, 17 September 2025\n")  # fmt: skip
    assert event.start_date == "2025-09-17"


def test_fields_inside_a_flattened_line():
    (event,) = parsed(
        "Home About Events Example Finance Roundtable Date: 12 September 2023 Venue: Acacia Hotel, Upper Hill, "
        "Nairobi, Kenya & online Format: Hybrid Last updated 4 September 2023 Overview text follows here.\n"
    )
    assert (event.start_date, event.city, event.country) == ("2023-09-12", "Nairobi", "KE")


def test_a_year_from_the_posting_date_completes_a_day_in_prose():
    (event,) = parsed("Published 24 October 2023\n\nOn Thursday 19 October, the Example Forum brought forty "
                      "regulators together, held in the River Room at the Harbour Hotel in Cape Town.\n")  # fmt: skip
    assert (event.start_date, event.city) == ("2023-10-19", "Cape Town")


def test_the_title_places_an_event_the_page_does_not():
    (event,) = parsed("By A. Writer · 13 November 2017\n\nThe forum last Tuesday (7 November) was full.\n",
                      "Servicing satellites: industry and regulators meet in Bremen")  # fmt: skip
    assert (event.start_date, event.city, event.country) == ("2017-11-07", "Bremen", "DE")


def test_the_place_after_the_date_in_a_flattened_page():
    (event,) = parsed(
        "Skip to content Example Institute Events Spectrum Talk Wednesday, March 8, 2017 10:00 am - 11:45 am EST "
        "Hall A, Example Institute, Washington, DC Hosted by the Example Institute Register now Overview text.\n"
    )
    assert (event.start_date, event.city, event.country) == ("2017-03-08", "Washington", "US")


def test_a_second_line_with_the_event_date_gives_the_place_the_first_did_not():
    (event,) = parsed("Example Dialogue 2024\n2024年5月14日至15日，对话会举行。\nChengdu, China | 14–15 May 2024\n")
    assert (event.start_date, event.end_date, event.city) == ("2024-05-14", "2024-05-15", "Chengdu")


def test_a_label_alone_on_its_line_takes_the_next_line_as_its_value():
    (event,) = parsed("Example Ground Segment Forum\n\nDate\n12 May 2022\nVenue\nHarbour Hall, Mombasa, Kenya\n")
    assert (event.start_date, event.city, event.country) == ("2022-05-12", "Mombasa", "KE")


def test_a_line_that_is_only_a_place_places_the_event():
    (event,) = parsed(
        "Example Ground Segment Forum\n14 June 2023\nMombasa, Kenya\n\n- Ana Lind, Director, Example Co\n"
    )
    assert (event.city, event.country) == ("Mombasa", "KE")


@pytest.mark.parametrize(
    "line", ["Ana Lind, Director", "Ana Lind, Kenya", "Main Hall, Kenya", "Kenya, Uganda and Tanzania joined"]
)
def test_a_line_that_is_not_only_a_place_is_no_place_line(line):
    assert place_line(line) is None


def test_a_chinese_sentence_says_where_the_event_was_held():
    place = place_in_prose("2024年5月14日，遥感数据共享对话会在成都举行。")
    assert place == Place("Chengdu", "CN", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("When: 16 to 17 Nov. 2021, Accra, Ghana\n", ("2021-11-16", "2021-11-17", "Accra", "GH")),
        ("时间：2024年5月14日至15日\n地点：成都\n", ("2024-05-14", "2024-05-15", "Chengdu", "CN")),
        ("10 May 2016, Nairobi\n", ("2016-05-10", None, "Nairobi", "KE")),
    ],
    ids=["place-in-the-date-field", "chinese-fields", "city-after-date"],
)
def test_date_and_place_fields_in_other_forms(text, expected):
    (event,) = parsed("Example Ground Segment Forum\n" + text)
    assert (event.start_date, event.end_date, event.city, event.country) == expected


def test_a_title_without_latin_letters_gives_the_name_from_its_english_part():
    (event,) = parsed("时间：2023年11月2日\n", "卫星导航产业沙龙 | Satellite Navigation Industry Salon 2023")
    assert event.name == "Satellite Navigation Industry Salon 2023"


@pytest.mark.parametrize("line", ["On 5 May 2022 Ana Lind spoke.", "Launch day, 5 May 2022", "5 May 2022 — opening"])
def test_words_beside_a_date_that_are_no_city_are_no_place(line):
    start, end, _ = date_span(line)
    assert place_beside_date(line, start, end) is None


def test_a_submission_deadline_is_not_an_event_date():
    assert NOT_EVENT_DATE.search("Submit abstracts by 3 April 2024 to the committee.")


def test_a_day_after_the_city_is_no_part_of_it() -> None:
    assert parse_place("Recife on Thursday") == Place("Recife", "BR", None)
    assert parse_place("Bergen, Norway this Monday morning") == Place("Bergen", "NO", None)
