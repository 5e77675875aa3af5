"""A page's text as lines and sentences, each with its offset in the document, so evidence spans stay exact."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lines.append(Line(stripped, offset + raw.index(stripped)))
        offset += len(raw) + 1
    return lines


def is_header(text: str) -> bool:
    return bool(re.match(r"^(?:source|url|title):\s", text, re.I))


def clean_markdown(line: Line) -> Line:
    """Drop Markdown markup from a line, keeping the offset of what remains."""
    text = line.text
    m = re.match(r"^(#{1,6}\s+|>\s+)", text)
    start = line.start
    if m:
        start += m.end()
        text = text[m.end() :]
    text = re.sub(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return Line(text.strip(), start)


# A sentence ends at . ! ? before a capital, but not after an honorific or an abbreviation ("Dr. WANG", "Co. Ltd").
SENTENCE_END = re.compile(
    r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bProf\.)(?<!\bSt\.)(?<!\bNo\.)(?<!\bCo\.)(?<!\bJr\.)"
    r"(?<!\bSr\.)(?<!\bGen\.)(?<!\bAmb\.)(?<!\bHon\.)(?<!\b[A-Z]\.)(?<=[.!?])\s+(?=[A-Z“\"(])"
)


def sentences_of(line: Line) -> list[Line]:
    out, start = [], 0
    for m in SENTENCE_END.finditer(line.text):
        out.append(Line(line.text[start : m.start()], line.start + start))
        start = m.end()
    out.append(Line(line.text[start:], line.start + start))
    return out
