"""The people of a bilingual page's Chinese block, and their English twins.

A page in Chinese and English names each person twice: 邵明川 in the Chinese text, "SHAO Mingchuan" in the English.
``pair_han_names`` gives each romanised participant the Han name the page spells them with (``names.han``), kept as
an alias of the one person. ``chinese_entries`` reads the Chinese block's labelled lines
("主持人：韦思远（南溟大学法学院教授）", "嘉宾：邵明川，椰风商业航天研究中心主任；符海燕…"), and ``add_chinese_people``
adds those who have no English twin on the page.
"""

from __future__ import annotations

import re

from spacegraph.ingest.event_fields import ParsedEvent
from spacegraph.ingest.page_entries import Mention
from spacegraph.ingest.page_lines import Line
from spacegraph.names.han import HAN, HAN_NAME, HanNames, han_spellings, spellings, split_han

# A Chinese role label, its role (one of the ontology's role phrases)
LABELS = (
    (r"主持人?|主持嘉宾|主席|联席主席|司仪", "moderator"),
    (r"(?:开幕|欢迎)?致辞(?:嘉宾)?", "opening remarks"),
    (r"闭幕致辞|总结致辞", "closing remarks"),
    (r"主旨(?:演讲|发言|报告)(?:嘉宾)?", "keynote"),
    (r"点评(?:嘉宾|人)?|评议人?", "discussant"),
    (r"圆桌嘉宾|对话嘉宾|与谈(?:嘉宾|人)|讨论嘉宾", "panelist"),
    (r"联系人", "contact"),
    (r"(?:演讲|发言|报告|主讲)(?:嘉宾|人)?|嘉宾|报告人", "speaker"),
)
LABEL_LINE = re.compile(r"^\W*(?P<label>" + "|".join(p for p, _ in LABELS) + r")\s*[：:]\s*(?P<rest>\S.*)$")
ITEM_SPLIT = re.compile(r"[、；;]|(?<=[）)])\s*[，,]")
# "韦思远（南溟大学法学院教授）", "邵明川，椰风商业航天研究中心主任", "符海燕 椰风商业航天研究中心研究员"
ITEM = re.compile(
    r"^\s*(?P<name>[\u3400-\u9fff]{2,4})\s*(?:[（(](?P<bracketed>[^）)]{2,60})[）)]|[，, ]\s*(?P<after>.{2,60}))?\s*$"
)
# An affiliation is the organisation, then the title: the organisation ends with a body word.
BODY_WORDS = "大学|学院|研究院|研究所|研究中心|中心|公司|集团|协会|学会|论坛|基金会|委员会|实验室|航天局|管理局|研究会"
CHINESE_BODY = re.compile(rf"(?:{BODY_WORDS})$")  # the end of a Chinese organisation's name
ORGANISATION_END = re.compile(rf"^(?P<org>.+(?:{BODY_WORDS}))(?P<title>.*)$")


MAX_PAIRED = 500  # participants of one event given their Han name (a bilingual page names a few dozen)
HOST_LINE = re.compile(r"^\W*(?:联合|共同)?主办(?:单位|方)?\s*[：:]\s*(?P<rest>\S.*)$")


def chinese_hosts(event: ParsedEvent, lines: list[Line]) -> None:
    """The hosts a Chinese field names ("主办：邕江航天保险研究中心、八桂商业航天有限公司"), added to the event's."""
    for line in lines:
        if m := HOST_LINE.match(line.text):
            for host in re.split(r"[、，,；;]|\s+和\s*", m.group("rest")):
                if (host := host.strip(" 。.")) and host not in event.hosts:
                    event.hosts.append(host)
                    event.evidence.setdefault("hosts", (line.start, line.end))


def chinese_entries(lines: list[Line]) -> list[Mention]:
    """The participants of the Chinese labelled lines among ``lines``."""
    found: list[Mention] = []
    for line in lines:
        m = LABEL_LINE.match(line.text)
        if not m:
            continue
        role = next(r for p, r in LABELS if re.fullmatch(p, m.group("label")))
        offset = line.start + m.start("rest")
        for part in _items(m.group("rest"), offset):
            if mention := _entry(*part, role):
                found.append(mention)
    return found


def _items(text: str, offset: int) -> list[tuple[str, int]]:
    items, at = [], 0
    for sep in ITEM_SPLIT.finditer(text):
        items.append((text[at : sep.start()], offset + at))
        at = sep.end()
    items.append((text[at:], offset + at))
    return items


def _entry(text: str, start: int, role: str) -> Mention | None:
    m = ITEM.match(text)
    if not m or not HAN_NAME.match(m.group("name")):
        return None
    name = m.group("name")
    affiliation = (m.group("bracketed") or m.group("after") or "").strip(" 。.")
    title = organisation = None
    if found := ORGANISATION_END.match(affiliation):
        organisation, title = found.group("org"), found.group("title").strip() or None
    elif affiliation:
        title = affiliation
    family, given = split_han(name)
    lead = len(text) - len(text.lstrip())
    span = (start + lead, start + len(text.rstrip()))
    return Mention(name, family, given, title, organisation, [role], None, span)


def pair_han_names(mentions: list[Mention], index: HanNames) -> None:
    """Each romanised participant's Han name, where the page spells it (kept as the person's alias)."""
    for mention in mentions[:MAX_PAIRED]:
        if mention.is_organisation or mention.han_name or HAN.search(mention.name):
            continue
        if found := index.find(mention.name):
            mention.han_name = found[0]


def add_chinese_people(mentions: list[Mention], chinese: list[Mention]) -> list[Mention]:
    """``mentions`` and the Chinese block's people who have no English twin among them."""
    by_han: dict[str, Mention | None] = {m.han_name: m for m in mentions if m.han_name}
    by_spelling = {s: m for m in mentions if not m.han_name and not m.is_organisation for s in spellings(m.name)}
    added: dict[tuple[str, tuple[str, ...]], Mention] = {}
    for person in chinese:
        if person.name not in by_han:
            twin = next((by_spelling[s] for s in han_spellings(person.name) if s in by_spelling), None)
            if twin is not None:
                twin.han_name = twin.han_name or person.name
            by_han[person.name] = twin
        if by_han[person.name] is None:
            added.setdefault((person.name, tuple(person.roles)), person)  # a name listed twice in one role: once
    return mentions + list(added.values())


def read_bilingual(events: list[ParsedEvent], lines: list[Line], text: str) -> None:
    """On a page with Han characters: each participant's Han name, and the Chinese block's people with no English
    twin (on a page of several events, those of the event's own lines)."""
    if not HAN.search(text):
        return
    index = HanNames(text)
    chinese = chinese_entries(lines)
    for event in events:
        chinese_hosts(
            event, lines if len(events) == 1 else [x for x in lines if event.span[0] <= x.start < event.span[1]]
        )
        if event.city and not event.country and index.spelt(re.sub(r"[^a-z]", "", event.city.lower()), (2, 3)):
            event.country = "CN"  # "Haikou" on a page that writes 海口: a Chinese city the gazetteer does not list
        pair_han_names(event.participants, index)
        own = chinese if len(events) == 1 else [m for m in chinese if event.span[0] <= m.span[0] < event.span[1]]
        event.participants = add_chinese_people(event.participants, own)
