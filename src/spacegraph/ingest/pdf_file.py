"""The text of a PDF file, read with pypdf within limits: its size, its pages, the text it gives, and the time it
takes. The text then goes through the same repair as any text extracted from a PDF (``pdf_text.repair``).

A PDF is untrusted input like any page: it is never fetched (local bytes only), a file over ``PdfLimits.max_bytes``
or of more than ``PdfLimits.max_pages`` pages is refused before a page is read, and reading stops with an error
when the text grows past ``PdfLimits.max_chars`` or takes longer than ``PdfLimits.seconds`` (checked after each
page; pypdf bounds each stream it decompresses on its own). Pages are read in layout mode, so two columns printed
side by side stay apart for the repair to read one after the other.
"""

from __future__ import annotations

import io
import logging
import time
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
    extracts it (not yet repaired). Raises ``PdfError`` for a file that is not a PDF, is encrypted, or is past a
    limit."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if len(data) > limits.max_bytes:
        raise PdfError(
            f"{name}: {len(data):,} bytes is more than the {limits.max_bytes:,} bytes a PDF may have "
            "(setting ingest_pdf_max_bytes): give the programme's pages alone, or raise the limit"
        )
    if not data.startswith(b"%PDF-"):
        raise PdfError(f"{name}: not a PDF file (it does not start with %PDF-): give the PDF as it was published")
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
    started = time.monotonic()
    texts: list[str] = []
    size = 0
    for number, page in enumerate(reader.pages, 1):  # type: ignore[attr-defined]
        text = page.extract_text(extraction_mode="layout") or ""
        size += len(text)
        if size > limits.max_chars:
            raise PdfError(f"{name}: more than {limits.max_chars:,} characters of text by page {number}: not an event "
                           "programme; give the programme's pages alone")  # fmt: skip
        if time.monotonic() - started > limits.seconds:
            raise PdfError(f"{name}: reading took more than {limits.seconds:g} s (by page {number}); refused as "
                           "not an event programme")  # fmt: skip
        texts.append("\n".join(line.rstrip() for line in text.split("\n")))
    return "\n\f\n".join(texts)
