"""Chinese names in Han characters, and the romanised (pinyin) names they are printed beside.

A bilingual page names one person twice: 邵明川 in the Chinese text, "SHAO Mingchuan" in the English. The two are
the same person when the Han name's pinyin (any reading of each character: 单 is read shan as a family name) spelt
out equals the romanised name's letters, family name first or last:

>>> han_matches("诸葛文澜", "ZHUGE Wenlan"), han_matches("诸葛文澜", "Wenlan Zhuge"), han_matches("王伟", "Wang Wu")
(True, True, False)
>>> split_han("诸葛文澜"), split_han("韦思远")
(('诸葛', '文澜'), ('韦', '思远'))

``HanNames`` finds, in a page's text, the Han name a romanised name spells: each Han character of the page is
read once (``MAX_HAN_CHARS`` at most), and a name is looked for where its first syllable starts a run (at most
``MAX_STARTS`` places per syllable), so looking up every participant of a page costs a bounded number of steps.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
HAN_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,4}$")
# Family names of two characters (the common ones); any other family name is the first character.
COMPOUND_FAMILY = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 长孙 宇文 司徒 端木 独孤 南宫 西门 百里 呼延 轩辕 钟离 闻人".split()
)
MAX_READINGS = 4  # readings of one character tried
MAX_HAN_CHARS = 50_000  # Han characters of one page indexed (a bilingual event page has a few thousand)
MAX_STARTS = 32  # places a reading starts a name, kept per reading: the first is the one a name is found at
MAX_SPELLINGS = 256  # spellings of one Han name tried


def split_han(name: str) -> tuple[str, str]:
    """(family name, given name) of a Han name written family name first."""
    cut = 2 if name[:2] in COMPOUND_FAMILY and len(name) > 2 else 1
    return name[:cut], name[cut:]


@lru_cache(maxsize=20_000)
def readings(char: str) -> tuple[str, ...]:
    """The pinyin readings of one Han character, without tones (pypinyin's table); () for any other character."""
    if not HAN.fullmatch(char):
        return ()
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    plain = [r.replace("ü", "v") for r in (found[0] if found else [])][:MAX_READINGS]
    # ü is printed v, u or yu: 吕 is Lv, Lu or Lyu
    return tuple(dict.fromkeys(s for r in plain for s in (r, r.replace("v", "u"), r.replace("v", "yu"))))


def spellings(romanised: str) -> tuple[str, ...]:
    """The letters of a romanised name, family name first: as printed, and with its last word first (a given name
    printed first: "Wenlan Zhuge")."""
    words = [_letters(w) for w in romanised.split()]
    words = [w for w in words if w]
    if not 2 <= len(words) <= 4:
        return ()
    return tuple(dict.fromkeys(["".join(words), "".join(words[-1:] + words[:-1])]))


def _letters(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", plain)


def han_matches(han: str, romanised: str) -> bool:
    """Whether the Han name ``han`` is spelt ``romanised`` in pinyin (family name first or last)."""
    return any(_spells(han, 0, spelling) for spelling in spellings(romanised))


def han_spellings(han: str) -> set[str]:
    """Every way the Han name ``han`` (at most four characters) is spelt in pinyin, family name first."""
    spelt = {""}
    for char in han[:4]:
        spelt = set(sorted(s + r for s in spelt for r in readings(char))[:MAX_SPELLINGS])
    return spelt


def _spells(han: str, at: int, rest: str) -> bool:
    if not han:
        return at == len(rest)
    return any(rest.startswith(r, at) and _spells(han[1:], at + len(r), rest) for r in readings(han[0]) if r)


class HanNames:
    """The Han names of a text that spell romanised names: each two to four Han characters long, bounded on each
    side by a character that is not Han or by the length that spells the name."""

    def __init__(self, text: str):
        self.text = text
        self.starts: dict[str, list[int]] = defaultdict(list)  # a character's reading -> where it starts a run
        self.found: dict[tuple[str, tuple[int, ...]], tuple[str, int] | None] = {}  # a page repeats its names
        count = 0
        for m in re.finditer(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}", text):
            for at in range(m.start(), m.end() - 1):
                for reading in readings(text[at]):
                    if len(starts := self.starts[reading]) < MAX_STARTS:
                        starts.append(at)
            count += m.end() - m.start()
            if count > MAX_HAN_CHARS:
                break

    def find(self, romanised: str) -> tuple[str, int] | None:
        """(the Han name, its offset) that spells ``romanised``, the first the text gives, or None."""
        for spelling in spellings(romanised):
            if found := self.spelt(spelling):
                return found
        return None

    def spelt(self, spelling: str, sizes: tuple[int, ...] = (2, 3, 4)) -> tuple[str, int] | None:
        """(the Han characters, their offset) that spell ``spelling`` (lower-case letters: "haikou"), or None."""
        if (spelling, sizes) not in self.found:
            self.found[(spelling, sizes)] = self._spelt(spelling, sizes)
        return self.found[(spelling, sizes)]

    def _spelt(self, spelling: str, sizes: tuple[int, ...]) -> tuple[str, int] | None:
        for length in range(1, 7):  # the first syllable, one to six letters
            for at in self.starts.get(spelling[:length], ()):
                for size in sizes:
                    han = self.text[at : at + size]
                    if len(han) == size and HAN_NAME.match(han) and _spells(han, 0, spelling):
                        return han, at
        return None
