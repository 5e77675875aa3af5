"""Telling organisations from job titles, when a page prints them side by side."""

from __future__ import annotations

import re

ORG_WORDS = re.compile(
    r"\b(?:foundation|fdn|society|institute|institution|university|college|academy|school|center|centre|"
    r"co\.?|ltd\.?|limited|inc\.?|llc|corp\.?|corporation|company|group|agency|administration|ministry|department|"
    r"office|bureau|commission|council|association|forum|federation|consultants?|consulting|partners|laboratory|"
    r"labs?|technologies|technology|systems|aerospace|aeronautics|astronautics|satellite|space|rocket|"
    r"enterprises?|holdings|industries|ventures|capital|nasa|esa|cnsa|casc|casic|nssc|un|unoosa|oecd|"
    r"club|alliance|network|observatory|station|program|programme|initiative|fund|bank|press|media|news|"
    r"llp|plc|gmbh|ltda|sarl|srl|bv|npc|trust|consortium|authority|board|avocats|rechtsanw\w+|universidad|"
    r"universit[äée]t?|universiteit|universidade|universitas|instituto|istituto|institut|sociedad|"
    r"asociaci[óo]n|associa[çc][ãa]o|fundaci[óo]n|funda[çc][ãa]o|centro|agencia|ag[êe]ncia|hochschule|"
    r"academia|acad[ée]mie|stiftung|verein|gesellschaft|insurance|assurance|mutual|bureau|studios?|works|"
    r"observatorio|observatoire|osservatorio|revista|journal|magazine|quarterly|review|times|ledger|services|"
    r"solutions)\b",
    re.I,
)
TITLE_WORDS = re.compile(
    r"\b(?:director|president|vice|ceo|cto|coo|cfo|chief|chair|chairman|chairwoman|chairperson|co-chair|founder|"
    r"co-founder|head|manager|engineer|secretary|general|professor|lecturer|researcher|fellow|member|"
    r"officer|analyst|advisor|adviser|consultant|counsel|partner|principal|lead|leader|dean|deputy|assistant|"
    r"associate|senior|executive|scientist|specialist|coordinator|editor|ambassador|minister|administrator|"
    r"representative|staff|designer|architect|strategist|owner|commissioner|attorney|economist|student|"
    r"counselor|commander|captain|pilot|astronaut|board|committee|programs?|programmes?|correspondent|journalist|"
    r"reporter|actuary|hydrologist|candidate|astronomer|physicist|lawyer|underwriter|historian|entrepreneur|"
    r"investor|official)\b",
    re.I,
)


INSTITUTION_WORDS = re.compile(
    r"\b(?:foundation|fdn|society|institute|university|college|academy|school|center|centre|co\.?|ltd\.?|limited|"
    r"inc\.?|llc|corp\.?|corporation|company|group|agency|administration|ministry|department|office|bureau|"
    r"commission|council|association|forum|federation|consultants?|consulting|partners|laboratory|labs?|"
    r"technologies|systems|enterprises?|holdings|industries|club|alliance|observatory|fund|bank|"
    r"(?-i:Trust|Consortium|Cooperative|Co-operative|Collaborative))\b",
    re.I,
)


def has_institution_word(text: str) -> bool:
    """Words only a body's name has ("Foundation", "Co., Ltd."), unlike "space" or "programme"."""
    return bool(INSTITUTION_WORDS.search(text))


def has_organisation_word(text: str) -> bool:
    return bool(ORG_WORDS.search(text))


def has_title_word(text: str) -> bool:
    return bool(TITLE_WORDS.search(text))


def strip_acronym(name: str) -> tuple[str, str | None]:
    """'Chinese Society of Astronautics (CSA)' -> ('Chinese Society of Astronautics', 'CSA')."""
    m = re.match(r"^(.*?)\s*\(([^()]{1,20})\)\s*$", name)
    if m and m.group(1):
        return m.group(1).strip(), m.group(2).strip()
    return name.strip(), None


LEGAL_FORMS = re.compile(
    r"(?:\b(?i:inc|ltd|llc|llp|plc|corp|gmbh|sarl|srl|ltda|npc|fz-llc|pty|pte|limited)\.?|"
    r"\b(?:SA|SAS|SAC|AG|AB|AS|ASA|BV|NV|Oy|Oyj|KK|KG|SpA|LP|Co|Lda|Bhd|ApS|A/S|S\.A|S\.A\.C|S\.A\.S|S\.L|K\.K|B\.V|N\.V|S\.r\.l|"
    r"S\.p\.A|Sp\.\s*z\s*o\.o)\.?|\))$"
)


def ends_organisation(text: str) -> bool:
    """Whether ``text`` ends as an organisation's name does: a legal form ("Inc.", "LLP", "A/S"), a word only a
    body's name has ("Institute", "Network"), or a parenthesis ("(SOI)", "(Dar es Salaam)").

    >>> ends_organisation("Tessaract Orbital Inc."), ends_organisation("Vice President")
    (True, False)
    """
    text = text.strip(" ,;")
    if not text:
        return False
    if LEGAL_FORMS.search(text):
        return True
    last = text.split()[-1]
    return bool(ORG_WORDS.fullmatch(last.rstrip(".")) or ORG_WORDS.fullmatch(last))
