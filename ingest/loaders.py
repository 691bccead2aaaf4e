"""Turn corpus files and uploads into plain text, or refuse them with a clear message.

Every loader returns the text that chunk offsets refer to, so a citation can be shown by slicing
it. Parsers see only bounded input: uploads are size-checked, DOCX archives are checked for
their uncompressed size before any XML is parsed, and PDF/DOCX parser errors become
``UnreadableDocument`` instead of tracebacks.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from ingest.errors import InputTooLarge, UnreadableDocument

DocumentKind = Literal["text", "markdown", "html", "pdf", "docx"]

SUFFIX_KINDS: dict[str, DocumentKind] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
SUPPORTED_SUFFIXES = tuple(SUFFIX_KINDS)

# Corpus files are trusted more than uploads, but a 200 MB "notes.txt" is still a mistake.
DEFAULT_MAX_BYTES = 50_000_000
# A DOCX is a zip of XML; a legitimate document expands well under these bounds.
_DOCX_MAX_UNCOMPRESSED = 100_000_000
# Above this size, a compression ratio beyond _DOCX_MAX_RATIO is a bomb, not a document (small
# legitimate files can compress very well, so the ratio alone is not checked).
_DOCX_RATIO_FROM_BYTES = 20_000_000
_DOCX_MAX_RATIO = 100
_DOCX_MAX_ENTRIES = 2_000
# Text encodings tried in order. CP932 is Microsoft's superset of Shift_JIS (①, ㈱, NEC specials).
_TEXT_ENCODINGS = ("utf-8-sig", "cp932", "shift_jis")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


class LoadedDocument(BaseModel):
    """Extracted text of one document. Chunk offsets index into ``text``."""

    path: str
    kind: DocumentKind
    text: str
    title: str | None = None


def _unreadable(name: str, why_ja: str, why_en: str) -> UnreadableDocument:
    return UnreadableDocument(
        f"「{name}」を読み取れません: {why_ja}",
        f"cannot read '{name}': {why_en}",
    )


def kind_for(filename: str) -> DocumentKind:
    suffix = Path(filename).suffix.lower()
    try:
        return SUFFIX_KINDS[suffix]
    except KeyError:
        raise _unreadable(
            filename,
            f"対応していない形式です({suffix or '拡張子なし'})。{', '.join(SUPPORTED_SUFFIXES)} を使ってください。",
            f"unsupported file type '{suffix or 'none'}'; use one of {', '.join(SUPPORTED_SUFFIXES)}",
        ) from None


def load_path(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Read one corpus file. Raises ``UnreadableDocument`` with the file's name on any failure."""
    path = Path(path)
    kind = kind_for(path.name)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _unreadable(
                path.name,
                f"ファイルが大きすぎます({size:,} バイト、上限 {max_bytes:,})。",
                f"file too large ({size:,} bytes, limit {max_bytes:,})",
            )
        content = path.read_bytes()
    except OSError as err:
        raise _unreadable(path.name, f"ファイルを開けません({err.strerror})。", f"cannot open ({err})") from err
    text, title = _extract(path.name, kind, content)
    return LoadedDocument(path=str(path), kind=kind, text=text, title=title)


def extract_text(filename: str, content: bytes, *, max_bytes: int) -> str:
    """Text of an uploaded file (server uploads). Front matter is kept: a draft has none.

    Raises ``InputTooLarge`` over ``max_bytes`` and ``UnreadableDocument`` for anything unparsable.
    """
    if len(content) > max_bytes:
        raise InputTooLarge(
            f"ファイルが大きすぎます({len(content):,} バイト、上限 {max_bytes:,} バイト)。",
            f"file too large ({len(content):,} bytes, limit {max_bytes:,})",
        )
    kind = kind_for(filename)
    text, _ = _extract(filename, kind, content, strip_front_matter=False)
    if not text.strip():
        raise _unreadable(filename, "文字が含まれていません(画像だけのPDFかもしれません)。",
                          "no text found (perhaps a scanned, image-only PDF)")
    return text


def _extract(
    name: str, kind: DocumentKind, content: bytes, *, strip_front_matter: bool = True
) -> tuple[str, str | None]:
    if kind == "text":
        return _normalise_newlines(decode_text(name, content)), None
    if kind == "markdown":
        text = _normalise_newlines(decode_text(name, content))
        return (_blank_front_matter(text) if strip_front_matter else text), _front_matter_title(text)
    if kind == "html":
        return _html_text(name, content)
    if kind == "pdf":
        return _pdf_text(name, content), None
    return _docx_text(name, content), None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(name: str, content: bytes) -> str:
    """Decode UTF-8 (with or without BOM), then CP932/Shift_JIS; refuse binary junk."""
    if b"\x00" in content[:8192]:
        raise _unreadable(name, "テキストではなくバイナリのようです。", "looks like binary data, not text")
    for encoding in _TEXT_ENCODINGS:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise _unreadable(
        name,
        "文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。",
        "unknown text encoding; save it as UTF-8 or Shift_JIS",
    )


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    controls = sum(1 for c in text if (ord(c) < 32 and c not in "\n\r\t\f") or 0x7F <= ord(c) < 0xA0)
    return controls / len(text) < 0.01


def _blank_front_matter(text: str) -> str:
    """Replace YAML front matter with blank lines: the metadata is not content, but keeping the
    line count means offsets and line numbers still match the file as the user sees it."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return text
    blanked = "".join("\n" if c == "\n" else " " for c in m.group())
    return blanked + text[m.end():]


def _front_matter_title(text: str) -> str | None:
    m = _FRONT_MATTER.match(text)
    if not m:
        return None
    t = re.search(r"^title:\s*(.+)$", m.group(), re.MULTILINE)
    return t.group(1).strip().strip("\"'") if t else None


def _html_text(name: str, content: bytes) -> tuple[str, str | None]:
    from bs4 import BeautifulSoup

    try:
        html = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        html = decode_text(name, content)
    try:
        soup = BeautifulSoup(html, "lxml")
    except Exception as err:
        raise _unreadable(name, "HTMLを解析できません。", f"cannot parse HTML ({err})") from err
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    title_tag = soup.find("title")
    title = title_tag.get_text(strip=True) if title_tag else None
    # Block elements become paragraph breaks so headings stay on lines of their own.
    for tag in soup.find_all(["p", "div", "section", "article", "li", "tr", "br",
                              "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"]):
        tag.insert_before("\n\n" if tag.name.startswith("h") or tag.name in ("p", "section") else "\n")
        if tag.name.startswith("h") and len(tag.name) == 2:
            level = int(tag.name[1])
            tag.insert_before("#" * level + " ")
            tag.insert_after("\n\n")
    text = soup.get_text()
    text = re.sub(r"[ \t\u3000]*\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text, title


# Decompressed page content a PDF may carry in all (city plans with figures stay far below) and
# the inflation ratio over the file size beyond which a stream is treated as a bomb.
_PDF_MAX_INFLATED = 64_000_000
_PDF_RATIO_FLOOR = 1_000_000
_PDF_MAX_RATIO = 100


def _pdf_text(name: str, content: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise _unreadable(name, "パスワードで保護されたPDFです。保護を解除してから使ってください。",
                              "the PDF is encrypted; remove the password first")
        pages = []
        inflated = 0
        for page in reader.pages:
            # Text extraction costs CPU in proportion to the *decompressed* content stream, so a
            # few kilobytes that inflate to megabytes of drawing operators (a PDF bomb) would tie
            # up a worker for seconds. Measure the stream first and refuse what no document needs.
            contents = page.get_contents()
            inflated += len(contents.get_data()) if contents is not None else 0
            if inflated > _PDF_MAX_INFLATED or (inflated > _PDF_RATIO_FLOOR and inflated > _PDF_MAX_RATIO * len(content)):
                raise _unreadable(name, "PDFの中身が展開後に大きすぎます(圧縮爆弾の可能性)。テキストで保存し直してください。",
                                  f"the PDF's content inflates to {inflated:,} bytes (a compression bomb?); save it as text")
            pages.append(page.extract_text() or "")
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError,
            AttributeError, IndexError, ZeroDivisionError) as err:
        raise _unreadable(name, "PDFが壊れているか、読み取れない形式です。", f"corrupt or unsupported PDF ({err})") from err
    return _normalise_newlines("\n\n".join(p.strip() for p in pages)).strip() + "\n"


def _docx_text(name: str, content: bytes) -> str:
    _check_zip(name, content)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as err:
        raise _unreadable(name, "Word文書が壊れているか、DOCX形式ではありません。", f"corrupt or not a DOCX ({err})") from err
    except Exception as err:
        raise _unreadable(name, "Word文書のXMLを解析できません。", f"cannot parse the DOCX XML ({type(err).__name__})") from err
    return "\n\n".join(line for line in _docx_blocks(document) if line.strip()) + "\n"


def _docx_blocks(document) -> list[str]:
    """Paragraphs (headings as Markdown '#') and table rows, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            style = (item.style.name if item.style is not None else "") or ""
            m = re.match(r"Heading (\d)", style)
            if m and text:
                text = "#" * int(m.group(1)) + " " + text
            out.append(text)
        elif isinstance(item, Table):
            for row in item.rows:
                out.append("\t".join(cell.text.strip() for cell in row.cells))
    return out


def _check_zip(name: str, content: bytes) -> None:
    """Refuse zip bombs and non-zips before python-docx/lxml expand anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise _unreadable(name, "Word文書が壊れているか、DOCX形式ではありません。", f"corrupt or not a DOCX ({err})") from err
    if len(infos) > _DOCX_MAX_ENTRIES:
        raise _unreadable(name, "DOCXの構成が異常です(部品が多すぎます)。", "abnormal DOCX (too many parts)")
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > _DOCX_MAX_UNCOMPRESSED or (total > _DOCX_RATIO_FROM_BYTES and total / packed > _DOCX_MAX_RATIO):
        raise _unreadable(
            name,
            "展開後のサイズが異常に大きいDOCXです(圧縮爆弾の可能性)。",
            f"DOCX expands to {total:,} bytes (ratio {total / packed:.0f}); refusing a possible zip bomb",
        )
