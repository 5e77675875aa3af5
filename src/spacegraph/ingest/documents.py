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
from dataclasses import dataclass, replace
from pathlib import Path

from spacegraph.ingest.blocks import Block, render
from spacegraph.ingest.html_tree import MAX_TAGS, TooManyTags, parse_html
from spacegraph.ingest.pdf_file import DEFAULT_LIMITS, PdfError, PdfLimits, pdf_text
from spacegraph.ingest.pdf_text import normalise_ligatures, repair
from spacegraph.ingest.tables import markdown_tables

MAX_BYTES = 2_000_000  # event pages are a few kB; anything this large is not one
SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


class DocumentError(ValueError):
    """A document that cannot be read as an event page; the message names the file and what to do."""


@dataclass(frozen=True)
class Document:
    path: Path
    kind: str  # "text", "markdown", "html" or "pdf"
    text: str
    source_url: str | None
    title: str | None
    raw: bytes = b""  # the file's bytes as read (once): what ingest keeps in data/sources/
    blocks: tuple[Block, ...] = ()  # an HTML page's blocks (headings, items, rows, terms, cards), offsets into text


def read_document(path: Path, limits: PdfLimits = DEFAULT_LIMITS) -> Document:
    """The document in the local file ``path`` (.txt, .md, .html or .pdf), read within the limits."""
    if path.suffix.lower() not in SUFFIXES:
        raise DocumentError(
            f"{path}: unsupported file type {path.suffix.lower()!r}: give a .txt, .md, .html or .pdf file"
        )
    pdf = SUFFIXES[path.suffix.lower()] == "pdf"
    return document_from_bytes(read_bounded(path, limits.max_bytes if pdf else MAX_BYTES), path, limits)


def upload_document(data: bytes, filename: str, limits: PdfLimits = DEFAULT_LIMITS) -> Document:
    """An uploaded document (the web curator's form): ``data`` read as the file ``filename`` (.txt, .md, .html or
    .pdf) would be, within the same limits. Raises ``DocumentError`` (a ValueError) naming the file, what is wrong
    and the limit, for a file of another type, too large, not text, or a PDF that cannot be read."""
    path = Path(Path(filename).name or "upload")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(f"{filename}: unsupported file type {suffix!r}: give a .txt, .md, .html or .pdf file")
    limit = limits.max_bytes if SUFFIXES[suffix] == "pdf" else MAX_BYTES
    if len(data) > limit:
        raise DocumentError(f"{filename}: {len(data):,} bytes is too large for an event page (limit {limit:,})")
    return document_from_bytes(data, path, limits)


def document_from_bytes(raw: bytes, path: Path, limits: PdfLimits = DEFAULT_LIMITS) -> Document:
    """The document whose bytes are ``raw``, read as the file ``path`` (by its suffix)."""
    kind = SUFFIXES[path.suffix.lower()]
    if kind == "pdf":
        try:
            text = repair(pdf_text(raw, str(path), limits), extracted=True)
        except PdfError as error:
            raise DocumentError(str(error)) from error
        url, title = _header(text)
        return Document(path, kind, text, url, title or _first_heading(text), raw)
    if b"\x00" in raw:
        raise DocumentError(f"{path}: binary data, not a text page")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(f"{path}: not UTF-8 text (byte {error.start}): save the page as UTF-8") from error
    if re.search(r"<!ENTITY", text, re.I):  # in any file: a .txt holding an entity bomb is no event page either
        raise DocumentError(f"{path}: declares XML entities (<!ENTITY>), refused as unsafe")
    title = None
    blocks: list[Block] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if kind == "html":
        text, blocks, title = html_blocks(text, path)
    elif kind == "markdown":
        text = markdown_tables(normalise_ligatures(text))
    else:
        text = repair(text)  # text extracted from a PDF: furniture, columns, hyphens, ligatures
    url, header_title = _header(text)
    title = (title or header_title) if kind == "html" else (header_title or title)  # a page's <h1> names its event
    return Document(path, kind, text, url, title or _first_heading(text), raw, tuple(blocks))


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


def html_blocks(html: str, path: Path) -> tuple[str, list[Block], str | None]:
    """The rendition of an HTML page, its blocks (offsets into the rendition), and its title: the first <h1>,
    else the <title> without the site's name."""
    head = re.match(r"(?:[ \t]*(?:source|url|title):[^\n<]*\n)+", html, re.I)  # a saved page's header lines
    header = "\n".join(line.strip() for line in head.group().strip().split("\n")) + "\n" if head else ""
    try:
        page = parse_html(html[head.end() :] if head else html)
    except TooManyTags:
        raise DocumentError(f"{path}: more than {MAX_TAGS:,} tags, refused as not an event page") from None
    text, blocks = render(page)
    if page.canonical and not re.match(r"(?:source|url):", header, re.I):
        header = f"source: {page.canonical}\n" + header
    if header:
        n = len(header)
        text = header + text
        blocks = [replace(b, start=b.start + n, end=b.end + n, parts=tuple((s + n, e + n) for s, e in b.parts))
                  for b in blocks]  # fmt: skip
    heading = next((text[b.start : b.end] for b in blocks if b.kind == "heading" and b.level == 1), "")
    title = heading or re.split(r"\s+[|–—-]\s+(?=[^|–—-]+$)", " ".join(page.title.split()))[0] or None
    return text, blocks, title
