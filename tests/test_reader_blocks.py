"""The reader that keeps a page's structure: HTML into blocks (one line each), Markdown tables as entries, and text
extracted from a PDF repaired; every block's offsets point into the document's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacegraph.ingest.blocks import name_like, render
from spacegraph.ingest.documents import DocumentError, read_document
from spacegraph.ingest.html_tree import parse_html
from spacegraph.ingest.pdf_text import looks_extracted, normalise_ligatures, repair
from spacegraph.ingest.tables import entry_cells, markdown_tables


def rendition(html: str) -> str:
    return render(parse_html(html))[0]


def lines(html: str) -> list[str]:
    return rendition(html).splitlines()


# ---------------------------------------------------------------- HTML blocks


def test_headings_paragraphs_and_items_are_one_line_each():
    got = lines(
        "<h2>Speakers</h2><p>The panel\n meets <b>twice</b>.</p><ul><li>Ana Ruiz-Bell, Director, X Lab</li></ul>"
    )
    assert got == ["Speakers", "The panel meets twice.", "• Ana Ruiz-Bell, Director, X Lab"]


def test_a_person_term_and_its_definitions_are_one_entry_with_the_talk_last():
    html = """<dl><dt>Dr. Tomasz Wielgus-Amari</dt><dd>Engineer, Orbit Works</dd>
              <dd class="talk">&ldquo;Counting Debris&rdquo;</dd></dl>"""
    assert lines(html) == ["• Dr. Tomasz Wielgus-Amari, Engineer, Orbit Works, “Counting Debris”"]


def test_a_label_term_goes_before_its_definition():
    html = "<dl><dt>Moderated by</dt><dd>Lena Okafor-Brandt, Editor, Orbit Weekly</dd></dl>"
    assert lines(html) == ["Moderated by: Lena Okafor-Brandt, Editor, Orbit Weekly"]


def test_a_speaker_card_is_one_entry_with_its_role_first_and_its_session_after():
    html = """<div class="grid"><div class="speaker-card"><img src="x.jpg" alt="">
      <h3>Prof. Ines Marchetti-Oduya</h3><p class="t">Professor of Space Law</p><span>University of Rivelle</span>
      <p class="tag">Panelist &middot; Day 2</p><p class="talk">&ldquo;Who Owns a Crater?&rdquo;</p></div>
      <div class="speaker-card"><h3>Karel Dvorak-Ames</h3><p>Analyst</p><span>Orbit Data, Inc.</span></div></div>"""
    assert lines(html) == [
        "Panelist: Prof. Ines Marchetti-Oduya, Professor of Space Law, University of Rivelle, “Who Owns a Crater?”",
        "Day 2",
        "• Karel Dvorak-Ames, Analyst, Orbit Data, Inc.",
    ]


def test_a_box_whose_heading_is_no_name_is_not_a_card():
    html = '<div class="mini-card"><h4>Cislunar Traffic Workshop 2023</h4><p>9 May 2023 · online</p></div>'
    assert lines(html) == ["Cislunar Traffic Workshop 2023", "9 May 2023 · online"]


def test_hidden_elements_scripts_and_navigation_are_not_read():
    html = """<nav>Home | Events</nav><script>var a = "Dr. Evil";</script><style>p {}</style>
      <div class="spk"><h3>Mira Solberg-Tan</h3><p>Counsel, Tarn LLP</p>
      <div class="bio" hidden>She worked for Judge Harold Brimley.</div>
      <p aria-hidden="true">Also Sam Hidden</p><p style="display: none">And Tom Gone</p></div>"""
    text = rendition(html)
    assert "Mira Solberg-Tan" in text
    for unseen in ("Home", "Evil", "Brimley", "Sam Hidden", "Tom Gone", "p {}"):
        assert unseen not in text


def test_an_html_table_with_a_header_becomes_entries_and_struck_text_is_dropped():
    html = """<table><tr><th>Role</th><th>Speaker</th><th>Affiliation</th><th>Talk</th></tr>
      <tr><td>Keynote</td><td><s>Dr. Old Name</s> Dr. Ravi Menon-Carr</td><td>Kite Institute</td>
      <td><em>Rules for Rendezvous</em></td></tr>
      <tr><td>Panelist</td><td>Jo Ekwueme-Fair</td><td>–</td><td></td></tr></table>"""
    assert lines(html) == [
        "Role | Speaker | Affiliation | Talk",
        "Keynote: Dr. Ravi Menon-Carr, Kite Institute, “Rules for Rendezvous”",
        "Panelist: Jo Ekwueme-Fair",
    ]


def test_a_table_without_a_known_header_keeps_its_cells_apart():
    assert lines("<table><tr><td>10:00</td><td>Coffee</td></tr></table>") == ["10:00 | Coffee"]


def test_block_offsets_point_into_the_rendition():
    html = "<h1>Forum 2024</h1><dl><dt>Dr. Tomasz Wielgus-Amari</dt><dd>Engineer, Orbit Works</dd></dl>"
    text, blocks = render(parse_html(html))
    assert [(b.kind, text[b.start : b.end]) for b in blocks] == [
        ("heading", "Forum 2024"),
        ("term", "• Dr. Tomasz Wielgus-Amari, Engineer, Orbit Works"),
    ]
    assert [text[s:e] for s, e in blocks[1].parts] == ["Dr. Tomasz Wielgus-Amari", "Engineer, Orbit Works"]


def test_deep_nesting_and_unclosed_tags_are_read_without_recursion():
    text = rendition("<div>" * 100 + "<p>Deep text" + "<ul><li>one<li>two")
    assert text.splitlines() == ["Deep text", "• one", "• two"]
    assert "Deeper text" in rendition("<div>" * 5_000 + "<p>Deeper text")  # read as part of an ancestor


def test_name_like_accepts_particles_and_refuses_labels():
    assert name_like("Nur Aisyah binti Kamarudin") and name_like("Amb. (ret.) Teresa Villa-Quint")
    assert not name_like("Speaker to be announced") and not name_like("Workshop 2021")


# ---------------------------------------------------------------- documents


def test_an_html_document_keeps_its_header_lines_its_h1_title_and_its_blocks(tmp_path: Path):
    page = tmp_path / "p.html"
    page.write_text(
        "source: https://example.org/e\ntitle: Site | Forum\n\n<html><body><h1>Orbit Forum 2024</h1>"
        "<ul><li>Ana Ruiz-Bell, Director, X Lab</li></ul></body></html>",
        encoding="utf-8",
    )
    document = read_document(page)
    assert document.source_url == "https://example.org/e" and document.title == "Orbit Forum 2024"
    assert [document.text[b.start : b.end] for b in document.blocks] == [
        "Orbit Forum 2024",
        "• Ana Ruiz-Bell, Director, X Lab",
    ]


def test_too_many_tags_is_refused(tmp_path: Path):
    page = tmp_path / "p.html"
    page.write_text("<b>x</b>" * 50_001, encoding="utf-8")
    with pytest.raises(DocumentError, match="tags"):
        read_document(page)


def test_a_markdown_table_becomes_entries(tmp_path: Path):
    text = """## Speakers

| Role | Name | Position | Organisation | Talk |
|------|------|----------|--------------|------|
| Opening | Prof. Ada Lindqvist-Obi | Rector | Tarn University | – |
| Panelist | ~~Dr. Gone Away~~ Dr. Sam Okoro-Hale | Editor | Kosmos, Inc. | *Law in Orbit* |
| Closing | Prof. Lindqvist-Obi | | | |

After the table."""
    assert markdown_tables(text).splitlines()[2:] == [
        "Role | Name | Position | Organisation | Talk",
        "Opening: Prof. Ada Lindqvist-Obi, Rector, Tarn University",
        "Panelist: Dr. Sam Okoro-Hale, Editor, Kosmos, Inc., “Law in Orbit”",
        "Closing: Prof. Lindqvist-Obi",
        "",
        "After the table.",
    ]


def test_a_markdown_table_without_a_name_column_stays_as_it_is():
    text = "| Time | Item |\n|---|---|\n| 10:00 | Coffee |"
    assert markdown_tables(text) == text


def test_entry_cells_needs_a_name_column():
    assert entry_cells(["Time", "Item"], ["10:00", "Coffee"]) is None
    assert entry_cells(["Speaker", "Organisation"], ["Li Wei", "—"]) == ("", ["Li Wei"])


# ---------------------------------------------------------------- PDF text

BOOKLET = """Orbit Safety Days 2023
                                                        1
OSD · Programme
Contents
Welcome ......................................... 2
Programme ....................................... 3

                                                        2
OSD · Programme
P R O G R A M M E

09:00  Opening
       Dr. Mariam Haddad-Voss, Chief Scientiﬁc Ofﬁcer, Orbit
       Safety Agency
09:30  Keynote: The Conﬂict of Two Rules
       Prof. Jonas Kiel-Abara, Professor of Astro-
       dynamics, Tarn University

We are glad to welcome you to the meeting in Lisbon, where the con-
ference brings together operators and regulators for two full days of
talks.
                                                        3
"""


def test_pdf_text_is_repaired():
    text = repair(BOOKLET)
    assert "OSD · Programme" not in text and "......" not in text
    assert "PROGRAMME" in text and "Scientific Officer" in text and "Conflict" in text
    assert "Dr. Mariam Haddad-Voss, Chief Scientific Officer, Orbit Safety Agency" in text
    assert "Prof. Jonas Kiel-Abara, Professor of Astrodynamics, Tarn University" in text
    assert "where the conference brings together operators and regulators for two full days of talks." in text
    assert not any(line.strip().isdigit() for line in text.splitlines())


def test_two_columns_are_read_one_after_the_other():
    page = """About                                   Programme
Small satellites watch the              10:00  Welcome – Ana Ruiz-Bell
ocean. Data are cheap.                  10:30  Talk – Tom Eze-Lund
Access is still hard.                   11:00  Closing – Ana Ruiz-Bell

Page footer                                                    page 1 of 2
Page footer                                                    page 2 of 2
"""
    got = [line.strip() for line in repair(page).splitlines() if line.strip()]
    assert got[:4] == [
        "About",
        "Small satellites watch the ocean. Data are cheap.",
        "Access is still hard.",
        "Programme",
    ]
    assert got[4:7] == [
        "10:00  Welcome – Ana Ruiz-Bell",
        "10:30  Talk – Tom Eze-Lund",
        "11:00  Closing – Ana Ruiz-Bell",
    ]


def test_a_talk_title_above_an_entry_goes_after_it_and_names_under_a_label_are_entries():
    page = """  – 1 –
       Screening Objects a Day
       Bea Nkemelu-Grant, Lead Engineer, Odysseus Tracking S.A.

       Panelists:
       Dr. Ahmed Ben Salah-Rousseau, Carthage Orbital Institute
       Aylin Demir-Frost
  – 2 –
"""
    got = [line.strip() for line in repair(page).splitlines() if line.strip()]
    assert got == [
        "• Bea Nkemelu-Grant, Lead Engineer, Odysseus Tracking S.A., “Screening Objects a Day”",
        "Panelists:",
        "• Dr. Ahmed Ben Salah-Rousseau, Carthage Orbital Institute",
        "• Aylin Demir-Frost",
    ]


def test_badges_become_entries():
    page = "SPEAKERS\n\nDr. Ana Ruiz-Bell\nHead of Data\nTarn Ocean Lab\n\nfooter\n   – 1 –\nfooter\n   – 2 –\n"
    assert "• Dr. Ana Ruiz-Bell, Head of Data, Tarn Ocean Lab" in repair(page)


def test_ordinary_text_is_left_alone_but_for_ligatures():
    text = "Workshop on Orbits\n\nThe co-\nordination meeting, 10\n- Ana Ruiz-Bell, Director, X Lab\n"
    assert not looks_extracted(text)
    assert repair(text) == text
    assert normalise_ligatures("ﬁrst ﬂight") == "first flight"


def test_repair_is_linear_on_a_hostile_page():
    page = ("x   " * 200 + "\n") * 2_000 + "1\n2\n"
    assert len(repair(page)) > 0


def test_pdf_talk_titles_over_dash_names_stay_one_entry_each():
    programme = (
        '14:50  Talks\n       "Who Owns an Ocean Image?"\n       – Prof. Siobhan Ni Bhriain\n'
        '       "Small Islands, Big Oceans"\n       – Tevita Holm\n'
    )
    got = [line.strip() for line in repair(programme, extracted=True).splitlines() if line.strip()]
    assert got == [
        "14:50  Talks",
        '"Who Owns an Ocean Image?" – Prof. Siobhan Ni Bhriain',
        '"Small Islands, Big Oceans" – Tevita Holm',
    ]


def test_a_session_column_gives_role_and_talk_and_a_cell_of_several_people_gives_each() -> None:
    html = """<table><tr><th>Time</th><th>Session</th><th>Speakers</th></tr>
      <tr><td>09:30</td><td>Keynote: Rivers from Space</td><td>Dr. Lina Sato, Kiso Hydro Institute</td></tr>
      <tr><td>10:00</td><td>Panel: Who Owns Flood Maps?</td>
        <td>Omar Fadel, Nile Swath Ltd<br>Ines Duarte, Tejo Data Cooperative</td></tr>
      <tr><td>11:00</td><td>Snow Cover Trends</td><td>Arne Bakke, Jotun Snow AS; Mei Lin, Yunnan Ice Labs</td></tr>
    </table>"""
    assert lines(html)[1:] == [
        "Keynote: Dr. Lina Sato, Kiso Hydro Institute, “Rivers from Space”",
        "Panelist: Omar Fadel, Nile Swath Ltd",
        "Panelist: Ines Duarte, Tejo Data Cooperative",
        "• Arne Bakke, Jotun Snow AS, “Snow Cover Trends”",
        "• Mei Lin, Yunnan Ice Labs, “Snow Cover Trends”",
    ]


def test_a_markdown_programme_with_a_speakers_column_and_a_break_row() -> None:
    text = (
        "| Time | Session | Speaker(s) |\n|---|---|---|\n"
        "| 09:00 | Farewell | Dr. Ada Quist, Lofoten Sea Institute |\n"
        "| 10:00 | Roundtable: Open Ports? | Bo Ek, Kalmar Radar AB and Dr. Ivo Pranjić, Split Coast Academy |\n"
        "| 11:00 | Coffee break | – |\n"
    )
    assert markdown_tables(text).splitlines()[1:] == [
        "Closing remarks: Dr. Ada Quist, Lofoten Sea Institute",
        "Panelist: Bo Ek, Kalmar Radar AB",
        "Panelist: Dr. Ivo Pranjić, Split Coast Academy",
    ]
