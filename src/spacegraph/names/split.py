"""Person names as event pages print them: honorifics, family names in capitals, double surnames.

A family name written in capitals FIRST is Chinese order; capitals LAST keep given-family order:

>>> split_name("WANG Yiran")
PersonName(name='WANG Yiran', family='Wang', given='Yiran')
>>> split_name("Dr. Ian CHRISTENSEN")
PersonName(name='Ian CHRISTENSEN', family='Christensen', given='Ian')
>>> split_name("José Ocasio-Christian")
PersonName(name='José Ocasio-Christian', family='Ocasio-Christian', given='José')
>>> split_name("Gabriel GARCÍA MÁRQUEZ").family
'García Márquez'
>>> split_name("诸葛文澜")
PersonName(name='诸葛文澜', family='诸葛', given='文澜')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from spacegraph.names.han import HAN_NAME, split_han
from spacegraph.names.organisations import has_organisation_word, has_title_word

HONORIFICS = re.compile(
    r"^(?:(?:Dr|Dra|Sra|Sr|Lic|Mr|Mrs|Ms|Mx|Prof|Professor|Amb|Ambassador|H\.\s?E|Hon|Gen|Col|Capt|Sir|Dame|Rev|Adm|Maj|Lt|Brig|"
    r"Cdre|Cdr|Wg\s+Cdr|Sqn\s+Ldr|Gp\s+Capt|Lt\s+Col|Air\s+Cdre|Air\s+Marshal|Eng|Ing|Dipl\.-Ing|Mag|hab|in[zż])\.?\s+|\(ret(?:\.|ired)?\)\s*|Me\s+(?=[A-Z]))+",
    re.I,
)
# Letters after a name that are not part of it: degrees, orders, "Esq."
POST_NOMINALS = re.compile(
    r"(?:,?\s+(?:Ph\.?\s?D\.?|D\.?Phil|MBA|M\.?D\.|LL\.?[MB]|[KCMO]BE|FR[A-Z]{0,3}S|FRAeS|QC|KC|Esq\.?|J\.?D\.))+$"
)
PARTICLES = {
    "van",
    "von",
    "de",
    "der",
    "den",
    "da",
    "del",
    "della",
    "di",
    "du",
    "la",
    "le",
    "bin",
    "binti",
    "binte",
    "al",
    "ibn",
    "dos",
}
IBERIAN_SURNAME = re.compile(r"(?:ez|es|az|iz|oz)$|[áéíóúñ]", re.I)
SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?$")
# Vietnamese family names, written first ("Nguyễn Thị Minh Châu")
VIETNAMESE_FAMILY = {
    "Nguyễn",
    "Trần",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
}
NAME_TOKEN = re.compile(r"^[A-Z\u00C0-\u024F][\w\u00C0-\u024F'’.-]*$")


@dataclass(frozen=True)
class PersonName:
    name: str  # as printed, without honorific
    family: str
    given: str | None


def strip_honorific(text: str) -> str:
    """'H.E. Amb. Ana Ruiz' -> 'Ana Ruiz'; 'Gen. (ret.) Mark Hale Jr.' -> 'Mark Hale Jr.'; 'Lea Holm, PhD' -> 'Lea Holm'."""
    return POST_NOMINALS.sub("", HONORIFICS.sub("", strip_invisible(text).strip()).strip()).strip()


def strip_invisible(text: str) -> str:
    """``text`` without invisible format characters: zero-width spaces and joiners, direction marks, embeddings
    and isolates, soft hyphens (Unicode category Cf). A name pasted with them reads as the same name without.

    >>> strip_invisible("Ro\u200bb \u202eSmith\u202c")
    'Rob Smith'
    """
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


# Cyrillic and Greek letters that look like Latin ones, with the Latin letter they pass for
LOOKALIKES = str.maketrans(
    "АВЕКМНОРСТХУІЈЅаеорсухіјѕԁһԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαιοκνρυχ",
    "ABEKMHOPCTXYIJSaeopcyxijsdhqwABEZHIKMNOPTYXaiokvpux",
)
SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def mixed_scripts(text: str) -> tuple[str, ...]:
    """The scripts (Latin, Cyrillic, Greek) mixed within one word of ``text``: a name typed with a look-alike
    letter ("Rоb" with a Cyrillic о) reads like another but is not the same. Empty when no word mixes them.

    >>> mixed_scripts("R\u043eb Smith"), mixed_scripts("Rob Smith"), mixed_scripts("Борис Smith")
    (('Latin', 'Cyrillic'), (), ())
    """
    if text.isascii():
        return ()
    found: list[str] = []
    for word in re.findall(r"[^\W\d_]+", text):
        scripts = {unicodedata.name(c, "").split(" ")[0] for c in word} & set(SCRIPTS)
        if len(scripts) > 1:
            found += [s for s in SCRIPTS if s in scripts]
    return tuple(dict.fromkeys(s.title() for s in found))


def latin_lookalike(text: str) -> str:
    """``text`` with its Cyrillic and Greek look-alike letters read as the Latin ones they pass for."""
    return text.translate(LOOKALIKES)


def is_capitals(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def capitalise(token: str) -> str:
    """'OCASIO-CHRISTIAN' -> 'Ocasio-Christian', "O'NEILL" -> "O'Neill"."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower(), token)


def split_name(printed: str) -> PersonName:
    name = strip_honorific(printed)  # without invisible characters too
    tokens = name.split()
    if not tokens:
        raise ValueError(f"no name in {printed!r}")
    if len(tokens) == 1 and HAN_NAME.match(name):  # 诸葛文澜: the family name first, of one or two characters
        family, given = split_han(name)
        return PersonName(name, family, given)
    if len(tokens) == 1:
        return PersonName(name, capitalise(tokens[0]) if is_capitals(tokens[0]) else tokens[0], None)
    if len(tokens) > 2 and SUFFIX.match(tokens[-1]):  # "Marcus T. Hollingworth Jr.": Jr. is no family name
        inner = split_name(" ".join(tokens[:-1]))
        return PersonName(name, inner.family, inner.given)
    if len(tokens) >= 3 and tokens[0] in VIETNAMESE_FAMILY:
        return PersonName(name, tokens[0], " ".join(tokens[1:]))
    caps = [is_capitals(t) for t in tokens]
    if caps[0] and not all(caps):
        # Chinese order: FAMILY Given (the family name may be two tokens in capitals)
        n = next(i for i, c in enumerate(caps) if not c)
        return PersonName(name, " ".join(capitalise(t) for t in tokens[:n]), " ".join(tokens[n:]))
    if caps[-1] and not all(caps):
        n = next(i for i in range(len(tokens) - 1, -1, -1) if not caps[i]) + 1
        return PersonName(name, " ".join(capitalise(t) for t in tokens[n:]), " ".join(tokens[:n]))
    if all(caps):
        tokens = [capitalise(t) for t in tokens]
    # given-family order; particles ("van", "de") belong to the family name, and so does the first of two
    # Iberian surnames ("Lucía García Márquez")
    n = len(tokens) - 1
    if len(tokens) == 3 and all(IBERIAN_SURNAME.search(t) for t in tokens[1:]):
        n = 1
    while n > 1 and tokens[n - 1].lower() in PARTICLES:
        n -= 1
    first_particle = next((i for i in range(1, n) if tokens[i] in PARTICLES), None)
    if first_particle is not None:  # "Maite dos Anjos Ferreyra": the family name starts at its particle
        n = first_particle
    return PersonName(name, " ".join(tokens[n:]), " ".join(tokens[:n]))


# A last word shaped as a common noun no family name has ("Collaborative", "Geodynamics", "Stewardship",
# "Constellation"): a body's name, however capitalised
BODY_NOUN = re.compile(r"^[A-Z][a-z]{3,}(?:tive|tion|sion|ics|ship|ment|ware|ency|ancy|ities)$")


def looks_like_person(text: str) -> bool:
    """A plausible personal name: two to five name-like words, no digits, no organisation words."""
    name = strip_honorific(text)
    tokens = name.split()
    if not 2 <= len(tokens) <= 5 or any(ch.isdigit() for ch in name):
        return False
    if has_organisation_word(name) or re.search(r"[&:;()“”\"@/]", name) or BODY_NOUN.search(tokens[-1]):
        return False
    if has_title_word(name) or any(HONORIFICS.match(t + " ") for t in tokens):
        return False  # "Director LIANG Shu", "General Dr. WANG Yiran" are a title and a name
    if not NAME_TOKEN.match(tokens[0]) or not NAME_TOKEN.match(tokens[-1]):
        return False
    return all(NAME_TOKEN.match(t) or t in PARTICLES for t in tokens) and sum(t[0].isupper() for t in tokens) >= 2
