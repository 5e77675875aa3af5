"""PDF input (issue 15): `spacegraph ingest page.pdf` reads the text with pypdf within size, page, text and time
limits, then repairs it as any text extracted from a PDF; ``upload_document`` is what the web curator's form calls.

pypdf reads in a child process stopped after the time limit (a limit too short for any PDF shows it is enforced).
The PDFs are written here by hand (objects, a content stream of text lines in Helvetica, the cross-reference
table), so each test knows exactly what the file says.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from spacegraph.cli import cli
from spacegraph.ingest.documents import DocumentError, read_document, upload_document
from spacegraph.ingest.pdf_file import PdfLimits

PROGRAMME = [
    [
        "Arctic Data Relay Dialogue 2025",
        "When: 12 March 2025",
        "Where: Bergen, Norway",
        "",
        "Speakers",
        "- Ingrid Solvang, Director, Polar Link AS",
        "- Tomas Aukrust, Analyst, Nordic Orbit Institute",
    ],
    ["Moderator: Kari Brekke, Senior Fellow, Fjord Policy Centre"],
]


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A PDF of ``pages``, each a list of text lines."""
    count = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * n} 0 R' for n in range(count))}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for n, lines in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {5 + 2 * n} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        shown = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
        stream = "\n".join(["BT /F1 11 Tf 14 TL 56 740 Td", *(f"({s}) Tj T*" for s in shown), "ET"]).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_a_pdf_is_read_as_its_text_lines_and_titled_by_its_first(tmp_path):
    path = tmp_path / "arctic-relay.pdf"
    path.write_bytes(pdf_bytes(PROGRAMME))
    document = read_document(path)
    assert document.kind == "pdf"
    assert document.title == "Arctic Data Relay Dialogue 2025"
    lines = [line.strip() for line in document.text.split("\n")]
    assert "- Ingrid Solvang, Director, Polar Link AS" in lines
    assert lines.index("Moderator: Kari Brekke, Senior Fellow, Fjord Policy Centre") > lines.index("Speakers")
    assert document.raw == path.read_bytes()  # the PDF itself is what is kept in data/sources/


def test_upload_document_gives_the_text_ingest_would_read(tmp_path):
    data = pdf_bytes(PROGRAMME)
    path = tmp_path / "programme.pdf"
    path.write_bytes(data)
    assert upload_document(data, "programme.pdf").text == read_document(path).text
    assert upload_document(b"title: A Workshop\n\nWhen: 1 May 2024\n", "page.txt").text.startswith("title: A Workshop")


@pytest.mark.parametrize(
    ("data", "filename", "limits", "says"),
    [
        (b"%PDF-1.4\nthis is no PDF at all", "broken.pdf", PdfLimits(), "broken.pdf: the PDF cannot be read"),
        (b"<html>not a pdf</html>", "page.pdf", PdfLimits(), "page.pdf: not a PDF file"),
        (pdf_bytes(PROGRAMME), "long.pdf", PdfLimits(max_pages=1), "2 pages is more than the 1"),
        (pdf_bytes(PROGRAMME), "big.pdf", PdfLimits(max_bytes=500), "(limit 500)"),
        (pdf_bytes(PROGRAMME), "wordy.pdf", PdfLimits(max_chars=50), "more than 50 characters of text by page 1"),
        (b"\x89PNG\r\n", "photo.png", PdfLimits(), "unsupported file type '.png'"),
        (pdf_bytes(PROGRAMME), "slow.pdf", PdfLimits(seconds=0.001), "reading the PDF took more than 0.001 s"),
    ],
)
def test_a_bad_or_too_large_upload_is_a_clear_value_error(data, filename, limits, says):
    with pytest.raises(ValueError, match=None) as error:
        upload_document(data, filename, limits)
    assert isinstance(error.value, DocumentError)
    assert says in str(error.value)
    assert str(error.value).startswith(filename)


def test_the_pdf_limits_are_settings(tmp_path, monkeypatch):
    from spacegraph.settings import load_settings

    monkeypatch.setenv("SPACEGRAPH_INGEST_PDF_MAX_PAGES", "1")
    settings = load_settings(data=tmp_path / "data", store=tmp_path / "store")
    assert settings.ingest_pdf_max_pages == 1
    assert settings.ingest_pdf_max_bytes > 1_000_000


def test_ingest_reads_a_pdf_programme_and_refuses_one_over_the_page_limit(tmp_settings, tmp_path):
    def run(*args, env=None):
        base = ["--data", str(tmp_settings.data), "--store", str(tmp_settings.store)]
        return CliRunner().invoke(cli, [*base, *args], env=env)

    assert run("build").exit_code == 0
    path = tmp_path / "arctic-relay.pdf"
    path.write_bytes(pdf_bytes(PROGRAMME))
    result = run("ingest", "--dry-run", "--json", str(path))
    assert result.exit_code == 0, result.stderr
    event = json.loads(result.stdout)["events"][0]
    assert (event["start_date"], event["city"]) == ("2025-03-12", "Bergen")
    people = {(p["name"], p["role"], p["organization"]) for p in event["participants"]}
    assert people == {
        ("Ingrid Solvang", "speaker", "Polar Link AS"),
        ("Tomas Aukrust", "speaker", "Nordic Orbit Institute"),
        ("Kari Brekke", "moderator", "Fjord Policy Centre"),
    }
    refused = run("ingest", "--dry-run", "--json", str(path), env={"SPACEGRAPH_INGEST_PDF_MAX_PAGES": "1"})
    assert refused.exit_code == 1
    error = json.loads(refused.stdout)["error"]
    assert f"{path}: 2 pages is more than the 1" in error and "ingest_pdf_max_pages" in error
