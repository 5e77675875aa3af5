"""Reading a source document safely: local files only, bounded in size and time, as text with stable offsets.

The text of a document is what evidence spans index into: for .txt and .md the file itself (decoded), for .html
the text rendition made here (block elements become lines, list items become "• " bullets). Untrusted input is
refused before any parser sees it: too large, not text, or declaring XML entities (an entity bomb).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MAX_BYTES = 2_000_000  # event pages are a few kB; anything this large is not one
MAX_TAGS = 50_000
SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "br", "tr", "table", "blockquote", "dd", "dt", "dl", "hr", "title",
}  # fmt: skip
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "form", "button", "select", "iframe"}


class DocumentError(ValueError):
    """A document that cannot be read as an event page; the message names the file and what to do."""


@dataclass(frozen=True)
class Document:
    path: Path
    kind: str  # "text", "markdown" or "html"
    text: str
    source_url: str | None
    title: str | None


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(f"{path}: unsupported file type {suffix!r}: give a .txt, .md or .html file")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DocumentError(f"{path}: cannot be read ({error.strerror})") from error
    if size > MAX_BYTES:
        raise DocumentError(f"{path}: {size:,} bytes is too large for an event page (limit {MAX_BYTES:,})")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise DocumentError(f"{path}: binary data, not a text page")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(f"{path}: not UTF-8 text (byte {error.start}): save the page as UTF-8") from error
    kind = SUFFIXES[suffix]
    title = None
    if kind == "html":
        if re.search(r"<!ENTITY", text, re.I):
            raise DocumentError(f"{path}: declares XML entities (<!ENTITY>), refused as unsafe")
        text, title = html_text(text, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    url, header_title = _header(text)
    return Document(path, kind, text, url, header_title or title or _first_heading(text))


def _header(text: str) -> tuple[str | None, str | None]:
    """`source: URL` and `title: …` lines at the top of a saved page (as in data/sources)."""
    url = title = None
    for line in text.split("\n")[:5]:
        if m := re.match(r"\s*(?:source|url):\s*(https?://\S+)\s*$", line, re.I):
            url = m.group(1)
        elif m := re.match(r"\s*title:\s*(.+?)\s*$", line, re.I):
            title = m.group(1)
    if url is None:
        m = re.search(r"<link rel=\"canonical\" href=\"(https?://[^\"]+)\"", text)
        url = m.group(1) if m else None
    return url, title


def _first_heading(text: str) -> str | None:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line
    return None


class _TextRendition(HTMLParser):
    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.parts: list[str] = []
        self.skipping = 0
        self.tags = 0
        self.title: list[str] = []
        self.in_title = False
        self.canonical: str | None = None
        self.heading: list[str] | None = None  # the first <h1>
        self.in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if self.tags > MAX_TAGS:
            raise DocumentError(f"{self.path}: more than {MAX_TAGS:,} tags, refused as not an event page")
        if tag in SKIP_TAGS:
            self.skipping += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "h1" and self.heading is None and not self.skipping:
            self.heading, self.in_heading = [], True
        elif tag == "link" and dict(attrs).get("rel") == "canonical":
            self.canonical = dict(attrs).get("href")
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li" and not self.skipping:
            self.parts.append("• ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self.skipping:
            self.skipping -= 1
        elif tag == "title":
            self.in_title = False
        elif tag == "h1":
            self.in_heading = False
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))
            if self.in_heading and self.heading is not None:
                self.heading.append(data)


def html_text(html: str, path: Path) -> tuple[str, str | None]:
    """The text rendition of an HTML page, and its <title>."""
    parser = _TextRendition(path)
    parser.feed(html)
    parser.close()
    lines = [re.sub(r" {2,}", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    if parser.canonical:
        text = f"source: {parser.canonical}\n" + text
    heading = " ".join("".join(parser.heading or []).split())
    title = heading or re.split(r"\s+[|–—-]\s+(?=[^|–—-]+$)", " ".join("".join(parser.title).split()))[0] or None
    return text, title
