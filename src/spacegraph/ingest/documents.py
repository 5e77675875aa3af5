"""Reading a source document safely: local files only, bounded in size and time, as text with stable offsets.

The text of a document is what evidence spans index into: for .txt and .md the file itself (decoded), for .html
the text rendition made here (block elements become lines, list items become "• " bullets). Untrusted input is
refused before any parser sees it: not a regular file (a FIFO, a device, a directory), too large, not text, or
declaring XML entities (an entity bomb, whatever the file is called). The file is opened once and read with a
limit, whatever its size claims to be; the bytes read are kept on the document, to be committed as read.
"""

from __future__ import annotations

import os
import re
import stat
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
    raw: bytes = b""  # the file's bytes as read (once): what ingest keeps in data/sources/


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(f"{path}: unsupported file type {suffix!r}: give a .txt, .md or .html file")
    raw = read_bounded(path)
    if b"\x00" in raw:
        raise DocumentError(f"{path}: binary data, not a text page")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(f"{path}: not UTF-8 text (byte {error.start}): save the page as UTF-8") from error
    if re.search(r"<!ENTITY", text, re.I):  # in any file: a .txt holding an entity bomb is no event page either
        raise DocumentError(f"{path}: declares XML entities (<!ENTITY>), refused as unsafe")
    kind = SUFFIXES[suffix]
    title = None
    if kind == "html":
        text, title = html_text(text, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    url, header_title = _header(text)
    return Document(path, kind, text, url, header_title or title or _first_heading(text), raw)


def read_bounded(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path``, opened once and read up to ``limit`` + 1 bytes: a file that grows,
    or whose size is not what ``stat`` says, is still never read beyond the limit. A FIFO, a device or a directory
    is refused before it is opened (opening some devices does something), and again by the open file's own
    status (in case ``path`` was swapped in between)."""
    try:
        _regular_file(path, os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise DocumentError(f"{path}: cannot be read ({error.strerror})") from error
    with os.fdopen(fd, "rb", buffering=0) as file:
        status = os.fstat(file.fileno())
        _regular_file(path, status.st_mode)
        if status.st_size > limit:
            raise DocumentError(f"{path}: {status.st_size:,} bytes is too large for an event page (limit {limit:,})")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            try:
                chunk = file.read(limit + 1 - size)
            except OSError as error:
                raise DocumentError(f"{path}: cannot be read ({error.strerror})") from error
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > limit:
        raise DocumentError(f"{path}: more than {limit:,} bytes is too large for an event page (limit {limit:,})")
    return b"".join(chunks)


def _regular_file(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    what = (
        "a directory" if stat.S_ISDIR(mode)
        else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a special file"
    )  # fmt: skip
    raise DocumentError(f"{path}: is {what}, not a regular file: give the saved page as a .txt, .md or .html file")


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
