"""The text of a PDF file, read with pypdf within limits: its size, its pages, the text it gives, and the time it
takes. The text then goes through the same repair as any text extracted from a PDF (``pdf_text.repair``).

A PDF is untrusted input like any page: it is never fetched (local bytes only), a file over ``PdfLimits.max_bytes``
or of more than ``PdfLimits.max_pages`` pages is refused before a page is read, and reading stops with an error
when the text grows past ``PdfLimits.max_chars``. pypdf reads it in a child process (``python -m
spacegraph.ingest.pdf_file``), stopped when it takes longer than ``PdfLimits.seconds``, whatever page it is on (pypdf
bounds each stream it decompresses on its own). Pages are read in layout mode, so two columns printed
side by side stay apart for the repair to read one after the other.
"""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from dataclasses import dataclass

MAX_PDF_BYTES = 20_000_000  # a programme booklet of a few dozen pages with pictures
MAX_PDF_PAGES = 100
MAX_PDF_CHARS = 2_000_000  # as much text as the largest text page ingest reads
PDF_SECONDS = 30.0


class PdfError(ValueError):
    """A PDF that cannot be read within the limits; the message names the file, the limit and the fix."""


@dataclass(frozen=True)
class PdfLimits:
    max_bytes: int = MAX_PDF_BYTES
    max_pages: int = MAX_PDF_PAGES
    max_chars: int = MAX_PDF_CHARS
    seconds: float = PDF_SECONDS


DEFAULT_LIMITS = PdfLimits()


def pdf_text(data: bytes, name: str, limits: PdfLimits = DEFAULT_LIMITS) -> str:
    """The text of the PDF ``data`` (named ``name`` in messages), its pages separated by form feeds, as pypdf
    extracts it (not yet repaired), read in a child process that is stopped after ``limits.seconds``. Raises
    ``PdfError`` for a file that is not a PDF, is encrypted, cannot be read, or is past a limit."""
    if len(data) > limits.max_bytes:
        raise PdfError(
            f"{name}: {len(data):,} bytes is more than the {limits.max_bytes:,} bytes a PDF may have "
            "(setting ingest_pdf_max_bytes): give the programme's pages alone, or raise the limit"
        )
    if not data.startswith(b"%PDF-"):
        raise PdfError(f"{name}: not a PDF file (it does not start with %PDF-): give the PDF as it was published")
    command = [sys.executable, "-m", "spacegraph.ingest.pdf_file", name, str(limits.max_pages), str(limits.max_chars)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=limits.seconds, check=False)
    except subprocess.TimeoutExpired:
        raise PdfError(f"{name}: reading the PDF took more than {limits.seconds:g} s: refused") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise PdfError(f"{name}: the PDF cannot be read ({tail[0]})") from None
    if "error" in answer:
        raise PdfError(answer["error"])
    return str(answer["text"])


def read_pdf(data: bytes, name: str, limits: PdfLimits) -> str:
    """What the child process does: the text of every page, within the page and text limits."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about damaged files are not ours to print
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfError(f"{name}: the PDF is encrypted: give a copy saved without a password")
        count = len(reader.pages)
        if count > limits.max_pages:
            raise PdfError(
                f"{name}: {count:,} pages is more than the {limits.max_pages:,} a PDF may have (setting "
                "ingest_pdf_max_pages): give the programme's pages alone, or raise the limit"
            )
        return _pages_text(reader, name, limits)
    except PdfError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise PdfError(f"{name}: the PDF cannot be read ({type(error).__name__}: {error})") from error


def _pages_text(reader: object, name: str, limits: PdfLimits) -> str:
    texts: list[str] = []
    size = 0
    for number, page in enumerate(reader.pages, 1):  # type: ignore[attr-defined]
        text = page.extract_text(extraction_mode="layout") or ""
        size += len(text)
        if size > limits.max_chars:
            raise PdfError(f"{name}: more than {limits.max_chars:,} characters of text by page {number}: not an event "
                           "programme; give the programme's pages alone")  # fmt: skip
        texts.append("\n".join(line.rstrip() for line in text.split("\n")))
    return "\n\f\n".join(texts)


def main() -> None:
    """The child process: the PDF's bytes on stdin; {"text": …} or {"error": …} as JSON on stdout."""
    name, pages, chars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    try:
        answer = {"text": read_pdf(sys.stdin.buffer.read(), name, PdfLimits(max_pages=pages, max_chars=chars))}
    except PdfError as error:
        answer = {"error": str(error)}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
