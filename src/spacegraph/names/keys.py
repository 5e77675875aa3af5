"""The keys names are compared by: case, diacritics, punctuation, spacing and a parenthesised acronym do not count.

>>> name_key("Chinese Society of Astronautics (CSA)") == name_key("chinese society of astronautics")
True
>>> name_key("陆文静（广西）") == name_key("陆 文静"), name_key("陆文静") == name_key("黄志坚")
(True, False)
>>> similarity_key("Secure World Fdn"), sorted_key("Yiran WANG") == sorted_key("WANG Yiran")
('secure world foundation', True)
"""

from __future__ import annotations

import re

from spacegraph.iris import fold
from spacegraph.names.organisations import strip_acronym

ABBREVIATIONS = {
    "fdn": "foundation", "found": "foundation", "intl": "international", "int'l": "international",
    "univ": "university", "inst": "institute", "natl": "national", "nat'l": "national", "assn": "association",
    "assoc": "association", "acad": "academy", "tech": "technology", "corp": "corporation", "dept": "department",
    "ctr": "center", "centre": "center", "soc": "society", "sci": "science", "admin": "administration",
}  # fmt: skip
PARENTHESES = re.compile(r"[(（][^)）]*[)）]")
NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
NOT_KEPT = re.compile(r"[^a-z0-9\u3400-\u4dbf\u4e00-\u9fff]+")  # Han characters are kept: 陆文静 is not 黄志坚
# Words too common in organisations' names to tell them apart: they make no block
BLOCK_STOPWORDS = {"co", "ltd", "inc", "llc", "the", "of", "and", "for", "company", "corporation", "limited", "group"}


def name_key(name: str) -> str:
    """The exact key: a name and its key-equal forms are the same name."""
    return NOT_KEPT.sub("", fold(PARENTHESES.sub(" ", name)))


def lookup_key(name: str) -> str:
    """``name_key(name)``, without decomposing and folding an ASCII name character by character (where folding is
    lower-casing): the key of every stretch of a page's entries is computed."""
    if name.isascii():
        return NOT_ALPHANUMERIC.sub("", PARENTHESES.sub(" ", name).lower())
    return name_key(name)


def similarity_key(name: str) -> str:
    """The words of ``name`` without its acronym, folded, common abbreviations written out: what typos are
    measured on."""
    words = re.findall(r"[a-z0-9']+", fold(strip_acronym(name)[0]))
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


def tokens_with_digits(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff]+", fold(name))


def sorted_key(name: str) -> str:
    """The key of a name's words in any order: "Yiran WANG" is "WANG Yiran"."""
    return "".join(sorted(tokens_with_digits(name)))


def word_set(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", fold(name)))


def blocks(similarity: str) -> set[str]:
    """The word prefixes a name is filed under, so that a lookup reads only the names sharing one."""
    return {w[:4] for w in similarity.split() if len(w) >= 2 and w not in BLOCK_STOPWORDS}
