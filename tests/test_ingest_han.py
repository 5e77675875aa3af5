"""Chinese names in Han characters beside their pinyin (issue 15): one person, the Han name an alias; the Chinese
block's people read when they have no English twin; Chinese place and host fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacegraph.cli import cli
from spacegraph.ingest.han_entries import add_chinese_people, chinese_entries, pair_han_names
from spacegraph.ingest.page_entries import Mention
from spacegraph.ingest.page_lines import split_lines
from spacegraph.ingest.places import han_city, parse_place
from spacegraph.names.han import HanNames, han_matches, han_spellings, split_han
from spacegraph.names.keys import name_key
from spacegraph.names.split import split_name

CORPUS = Path(__file__).parent / "ingest_corpus"


@pytest.mark.parametrize(
    ("han", "romanised", "same"),
    [
        ("王伟", "WANG Wei", True),
        ("王伟", "Wei Wang", True),  # family name last
        ("诸葛文澜", "ZHUGE Wenlan", True),  # a family name of two characters
        ("单晓雯", "SHAN Xiaowen", True),  # 单 read shan as a family name, not dan
        ("曾宪林", "Zeng Xianlin", True),
        ("吕思", "LÜ Si", True),
        ("王伟", "WANG Weiming", False),
        ("王伟", "Wang", False),
        ("王伟明", "Wang Wei", False),
    ],
)
def test_a_han_name_matches_its_pinyin_family_name_first_or_last(han, romanised, same):
    assert han_matches(han, romanised) is same


def test_han_names_are_split_and_keyed_by_their_characters():
    assert split_han("欧阳启明") == ("欧阳", "启明") and split_han("马建国") == ("马", "建国")
    assert split_name("司马承宇") == split_name("司马承宇") and split_name("司马承宇").family == "司马"
    assert name_key("陆文静") != name_key("黄志坚") and name_key("陆文静") == name_key("陆 文静")
    assert "shanxiaowen" in han_spellings("单晓雯")


def test_the_han_name_of_each_romanised_participant_is_found_in_the_text():
    text = "研究院院长欧阳启明致开幕辞。长安大学副教授单晓雯作报告。Speakers: OUYANG Qiming; Xiaowen Shan; Ana Reyes"
    people = [Mention(n, None, None, None, None, ["speaker"], None, (0, 1)) for n in
              ("OUYANG Qiming", "Xiaowen Shan", "Ana Reyes")]  # fmt: skip
    pair_han_names(people, HanNames(text))
    assert [p.han_name for p in people] == ["欧阳启明", "单晓雯", None]
    assert HanNames(text).find("OUYANG Qiming") == ("欧阳启明", text.index("欧阳启明"))


LINES = """主持人：覃丽华（邕江航天保险研究中心主任）
主旨发言：司马承宇，八桂商业航天有限公司总经理
嘉宾：陆文静（广西财经学院教授）、黄志坚（邕江航天保险研究中心研究员）
圆桌嘉宾：玛丽亚·桑托斯（巴西航天局）
会议议程：待定
"""


def test_chinese_labelled_lines_give_people_with_role_title_and_organisation():
    found = chinese_entries(split_lines(LINES))
    assert [(m.name, m.roles, m.title, m.organisation) for m in found] == [
        ("覃丽华", ["moderator"], "主任", "邕江航天保险研究中心"),
        ("司马承宇", ["keynote"], "总经理", "八桂商业航天有限公司"),
        ("陆文静", ["speaker"], "教授", "广西财经学院"),
        ("黄志坚", ["speaker"], "研究员", "邕江航天保险研究中心"),
    ]  # a transliterated foreign name (玛丽亚·桑托斯) is no Han name: the English block names her
    assert [LINES[slice(*m.span)] for m in found][2] == "陆文静（广西财经学院教授）"
    assert (found[1].family_name, found[1].given_name) == ("司马", "承宇")


def test_a_chinese_entry_with_an_english_twin_is_one_person():
    english = [Mention("QIN Lihua", "Qin", "Lihua", "Director", "Yongjiang", ["moderator"], None, (0, 9))]
    people = add_chinese_people(english, chinese_entries(split_lines(LINES)))
    assert [p.name for p in people] == ["QIN Lihua", "司马承宇", "陆文静", "黄志坚"]
    assert people[0].han_name == "覃丽华"


def test_a_chinese_place_is_read_in_pinyin_and_in_china():
    assert han_city("海南省海口市") == "Haikou" and han_city("南溟大学") is None
    assert parse_place("南宁") == parse_place("南宁市")
    assert (parse_place("南宁").city, parse_place("南宁").country) == ("Nanning", "CN")


def test_ingest_keeps_the_han_name_as_an_alias_of_the_one_person(tmp_settings):
    def run(*args: str):
        base = ["--data", str(tmp_settings.data), "--store", str(tmp_settings.store)]
        return CliRunner().invoke(cli, [*base, *args])

    assert run("build").exit_code == 0
    page = CORPUS / "60-xian-bilingual-han-pinyin.html"
    dry = json.loads(run("ingest", "--dry-run", "--json", str(page)).stdout)
    people = {p["name"]: p for p in dry["events"][0]["participants"]}
    assert people["SHAN Xiaowen"]["han_name"] == "单晓雯" and "单晓雯" not in people
    assert people["曾宪林"]["role"] == "panelist"  # no English twin: read from the Chinese block
    assert run("ingest", "--yes", str(page)).exit_code == 0
    query = 'SELECT ?n WHERE { ?p schema:name ?n ; skos:altLabel "单晓雯"@zh }'
    assert "SHAN Xiaowen" in run("query", query, "--format", "csv").stdout
