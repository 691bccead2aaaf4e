"""Loaders: every supported format, real parsers (pypdf, python-docx, BeautifulSoup), and the
ways files go wrong (corrupt, encrypted, zip bomb, wrong encoding, binary junk)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ingest.errors import InputTooLarge, UnreadableDocument
from ingest.loaders import extract_text, load_path

JA = "官民共創は、行政と民間が対等なパートナーとして課題を解決することです。"


def _pdf_bytes(lines: list[str], *, password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    if password is None:
        return data
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("提案の概要", level=1)
    document.add_paragraph(JA)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "役割"
    table.rows[0].cells[1].text = "市は実証フィールドを提供する"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "shift_jis"])
def test_text_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str):
    path = tmp_path / "note.txt"
    path.write_bytes((JA + "\n①㈱の扱い\n" if encoding == "cp932" else JA + "\n").encode(encoding))
    doc = load_path(path)
    assert doc.kind == "text"
    assert doc.text.startswith(JA)
    assert "\ufeff" not in doc.text


def test_binary_junk_is_refused_with_the_file_name(tmp_path: Path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(UnreadableDocument) as err:
        load_path(path)
    assert "junk.txt" in err.value.message_ja and "junk.txt" in err.value.message_en


def test_undecodable_text_is_refused(tmp_path: Path):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"\x81\x39\xff\xfe" * 50)
    with pytest.raises(UnreadableDocument):
        load_path(path)


def test_markdown_front_matter_is_metadata_not_content(tmp_path: Path):
    raw = "---\ntitle: テスト文書\nsources:\n  - a\n---\n\n# 見出し\n\n本文です。\n"
    path = tmp_path / "doc.md"
    path.write_text(raw, encoding="utf-8")
    doc = load_path(path)
    assert doc.title == "テスト文書"
    assert "title:" not in doc.text and "sources" not in doc.text
    # Front matter is blanked, not cut, so offsets still line up with the file.
    assert len(doc.text) == len(raw)
    assert doc.text.index("# 見出し") == raw.index("# 見出し")


def test_html_drops_script_and_style_and_keeps_headings(tmp_path: Path):
    html = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<script>alert('x')</script><h2>提案の入口</h2><p>" + JA + "</p></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    doc = load_path(path)
    assert "alert" not in doc.text and "color" not in doc.text
    assert "## 提案の入口" in doc.text
    assert JA in doc.text


def test_pdf_text_is_extracted(tmp_path: Path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(_pdf_bytes(["Shared Risk and Shared Reward", "Proposal timeline: by October"]))
    doc = load_path(path)
    assert doc.kind == "pdf"
    assert "Shared Risk and Shared Reward" in doc.text
    assert "by October" in doc.text


def test_corrupt_pdf_is_unreadable(tmp_path: Path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(_pdf_bytes(["hello"])[:200])
    with pytest.raises(UnreadableDocument) as err:
        load_path(path)
    assert "broken.pdf" in err.value.message


def test_encrypted_pdf_is_refused_with_a_clear_reason(tmp_path: Path):
    path = tmp_path / "secret.pdf"
    path.write_bytes(_pdf_bytes(["classified"], password="pw"))
    with pytest.raises(UnreadableDocument) as err:
        load_path(path)
    assert "encrypted" in err.value.message_en


def test_docx_paragraphs_headings_and_tables(tmp_path: Path):
    path = tmp_path / "draft.docx"
    path.write_bytes(_docx_bytes())
    doc = load_path(path)
    assert "# 提案の概要" in doc.text
    assert JA in doc.text
    assert "役割\t市は実証フィールドを提供する" in doc.text


def test_corrupt_docx_is_unreadable(tmp_path: Path):
    path = tmp_path / "broken.docx"
    path.write_bytes(_docx_bytes()[:300])
    with pytest.raises(UnreadableDocument):
        load_path(path)


def test_docx_zip_bomb_is_refused_before_parsing():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * 60_000_000 + b"/>")
    with pytest.raises(UnreadableDocument) as err:
        extract_text("bomb.docx", buf.getvalue(), max_bytes=10_000_000)
    assert "zip bomb" in err.value.message_en


def test_docx_with_deeply_nested_xml_is_unreadable():
    buf = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:x>" * 5000 + b"</w:x>" * 5000, 1)
            archive.writestr(info, data)
    # libxml2 refuses depth > 256 unless huge_tree is on: a clean error, not a crash or a hang.
    with pytest.raises(UnreadableDocument):
        extract_text("deep.docx", buf.getvalue(), max_bytes=10_000_000)


def test_upload_size_limit_and_unsupported_type():
    with pytest.raises(InputTooLarge):
        extract_text("big.txt", b"a" * 101, max_bytes=100)
    with pytest.raises(UnreadableDocument) as err:
        extract_text("image.png", b"\x89PNG", max_bytes=100)
    assert ".png" in err.value.message


def test_upload_text_keeps_everything_and_empty_upload_is_refused():
    raw = "---\n件名: 提案\n---\n" + JA
    assert extract_text("draft.md", raw.encode("utf-8"), max_bytes=10_000) == raw
    with pytest.raises(UnreadableDocument):
        extract_text("blank.txt", b"   \n", max_bytes=100)
