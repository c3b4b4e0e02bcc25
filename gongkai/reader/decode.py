"""Turn the bytes of a txt, HTML, docx or PDF report into plain text lines.

Every format ends as lines of text; a table row of a structured source (HTML,
docx, PDF) becomes one line with its cells joined by tabs, spanned positions
left empty, so the layout parser downstream sees the same shape as a
tab-separated copy-paste.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gongkai.reader.errors import ReaderError, too_large

MAX_BYTES = 25 * 1024 * 1024

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class Decoded:
    """Text lines of a report plus what the bytes were."""

    format: str  # txt, html, docx, pdf
    encoding: str | None
    lines: list[str]


def sniff_format(data: bytes, name: str = "") -> str:
    """Decide the format from the content; the file name is only a tie-breaker."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    lowered = name.lower()
    if lowered.endswith(".pdf"):
        return "pdf"
    if lowered.endswith(".docx"):
        return "docx"
    probe = head.replace(b"\x00", b"").lower()
    if re.search(rb"<(!doctype html|html|body|table|p[ >]|div|meta)", probe):
        return "html"
    if lowered.endswith((".html", ".htm")):
        return "html"
    return "txt"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a Chinese text file: BOMs, UTF-8, GB18030/GBK, UTF-16 without BOM, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    if data.count(b"\x00") > len(data) // 8:
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, encoding
        raise ReaderError("binary", "the file is binary data, not text")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
        break
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _looks_like_text(text):
            return text, best.encoding
    raise ReaderError(
        "encoding", "could not decode the text: not UTF-8, GB18030/GBK or UTF-16, or binary data"
    )


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReaderError("encoding", f"invalid {encoding} text at byte {exc.start}") from None


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    bad = len(_CONTROL.findall(text))
    return bad / len(text) < 0.01


def html_lines(text: str) -> list[str]:
    """Block elements become lines; each table row becomes one tab-joined line."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    for tag in soup(["script", "style", "noscript", "head", "template"]):
        tag.decompose()
    for table in reversed(soup.find_all("table")):
        rows = _html_table_grid(table)
        table.replace_with("\n" + "\n".join("\t".join(row) for row in rows) + "\n")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(
        ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "td"]
    ):
        block.append("\n")
    return soup.get_text().splitlines()


def decode_html_bytes(data: bytes) -> tuple[str, str]:
    """HTML declares its charset often wrongly; trust the bytes first, the meta tag last."""
    try:
        return decode_text(data)
    except ReaderError:
        match = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
        if match:
            encoding = match.group(1).decode("ascii")
            try:
                return data.decode(encoding), encoding
            except (LookupError, UnicodeDecodeError):
                pass
        raise


def _cell_text(cell) -> str:
    text = cell.get_text("", strip=False)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _html_table_grid(table) -> list[list[str]]:
    """Expand rowspan/colspan into a rectangular grid; spanned positions stay empty."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    own_rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for r, tr in enumerate(own_rows):
        row: list[str] = []
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            rowspan = _span(cell.get("rowspan"))
            colspan = _span(cell.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr == 0 and dc == 0:
                        row.append(_cell_text(cell))
                    elif dr == 0:
                        row.append("")
                    else:
                        pending[(r + dr, c + dc)] = ""
            c += colspan
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            c += 1
        grid.append(row)
    return grid


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1


def docx_lines(data: bytes) -> list[str]:
    """Paragraphs and tables in document order; merged cells read from the XML directly."""
    from docx import Document
    from docx.oxml.ns import qn

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReaderError("corrupt", f"not a readable Word (.docx) file: {exc}") from None
    except Exception as exc:  # python-docx raises assorted lxml/package errors on junk
        raise ReaderError("corrupt", f"not a readable Word (.docx) file: {exc}") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            lines.extend("\t".join(row) for row in _docx_table_grid(child, qn))
    return lines


def _docx_table_grid(tbl, qn) -> list[list[str]]:
    grid: list[list[str]] = []
    for tr in tbl.iter(qn("w:tr")):
        row: list[str] = []
        for tc in tr.iterchildren(qn("w:tc")):
            props = tc.find(qn("w:tcPr"))
            span = 1
            continued = False
            if props is not None:
                grid_span = props.find(qn("w:gridSpan"))
                if grid_span is not None:
                    span = _span(grid_span.get(qn("w:val")))
                v_merge = props.find(qn("w:vMerge"))
                if v_merge is not None and v_merge.get(qn("w:val")) in (None, "continue"):
                    continued = True
            paragraphs = [
                "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))
            ]
            text = "" if continued else "".join(paragraphs).replace("\xa0", " ").strip()
            row.append(text)
            row.extend([""] * (span - 1))
        grid.append(row)
    return grid


def pdf_lines(data: bytes) -> list[str]:
    """Rebuild lines from the characters' positions; wide gaps between characters become tabs."""
    lines: list[str] = []
    seen_text = False
    for page in _pdf_pages(data):
        rows = _pdf_rows(page)
        seen_text = seen_text or bool(rows)
        lines.extend(_pdf_row_text(row) for row in rows)
        lines.append("")
    if not seen_text:
        raise ReaderError(
            "no_text_layer",
            "the PDF has no text layer (a scanned image?): run OCR first, then read the text",
        )
    return _join_wrapped_pdf_lines(lines)


def _pdf_pages(data: bytes) -> list[Any]:
    """All pages laid out up front, so a damaged file fails here as a :class:`ReaderError`."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return list(extract_pages(io.BytesIO(data), laparams=LAParams()))
    except PDFSyntaxError as exc:
        raise ReaderError("corrupt", f"not a readable PDF: {exc}") from None
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise ReaderError("corrupt", f"not a readable PDF: {exc}") from None


def _pdf_chars(item: Any) -> Iterator[Any]:
    """Every character of a layout item, wherever pdfminer nested it."""
    from pdfminer.layout import LTChar, LTContainer

    if isinstance(item, LTChar):
        yield item
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _pdf_chars(child)


def _pdf_rows(page: Any) -> list[list[Any]]:
    """Visible characters in rows by height on the page (3 pt bands), top to bottom and each
    left to right, so that a table row comes out as one line."""
    rows: dict[int, list[Any]] = {}
    for ch in _pdf_chars(page):
        if not ch.get_text().strip():
            continue
        key = round((ch.y0 + ch.y1) / 2 / 3)
        rows.setdefault(key, []).append(ch)
    return [sorted(rows[key], key=lambda c: c.x0) for key in sorted(rows, reverse=True)]


def _pdf_row_text(row: list[Any]) -> str:
    """The text of one row, with a tab or a space where the gap between characters says so."""
    out: list[str] = []
    previous = None
    for ch in row:
        if previous is not None:
            out.append(_pdf_gap(previous, ch))
        out.append(ch.get_text())
        previous = ch
    return "".join(out)


def _pdf_gap(previous: Any, ch: Any) -> str:
    """A gap of 1.5 characters separates table cells; a smaller one next to ASCII is a space
    (CJK text is set without spaces, so its ordinary gaps are nothing)."""
    gap = ch.x0 - previous.x1
    size = max(previous.size, 1.0)
    if gap > 1.5 * size:
        return "\t"
    if gap > 0.25 * size and (ch.get_text().isascii() or previous.get_text().isascii()):
        return " "
    return ""


_SENTENCE_END = ("。", "；", ";", "：", ":", "！", "？", "”")


def _join_wrapped_pdf_lines(lines: list[str]) -> list[str]:
    """PDF text wraps paragraphs at the page margin; join a wrapped line to its continuation.

    A line wrapped by the layout is about as long as the longest lines of the document; a
    title, a heading or the last line of a paragraph is shorter, and is never joined.
    """
    lengths = sorted(len(line.strip()) for line in lines if line.strip() and "\t" not in line)
    if not lengths:
        return lines
    full = lengths[int(len(lengths) * 0.9)]
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        previous = out[-1].rstrip() if out else ""
        if (
            previous
            and stripped
            and "\t" not in line
            and "\t" not in previous
            and len(previous) >= 0.85 * full
            and not previous.endswith(_SENTENCE_END)
            and not re.match(r"^[(（]?[一二三四五六七八九十\d]+[)）、.．]|^编写说明", stripped)
        ):
            out[-1] = previous + stripped
        else:
            out.append(line)
    return out


def decode(data: bytes, name: str = "", max_bytes: int = MAX_BYTES) -> Decoded:
    """Bytes of any supported format → text lines; raises :class:`ReaderError` on bad input."""
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    if not data.strip(b" \t\r\n\x00"):
        raise ReaderError("empty", "the file is empty")
    fmt = sniff_format(data, name)
    if fmt == "pdf":
        return Decoded("pdf", None, pdf_lines(data))
    if fmt == "docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" not in archive.namelist():
                    raise ReaderError(
                        "unsupported", "a zip archive that is not a Word (.docx) document"
                    )
        except zipfile.BadZipFile:
            raise ReaderError("corrupt", "a damaged zip/docx file") from None
        return Decoded("docx", None, docx_lines(data))
    if fmt == "html":
        text, encoding = decode_html_bytes(data)
        return Decoded("html", encoding, html_lines(text))
    text, encoding = decode_text(data)
    if not _CJK.search(text):
        raise ReaderError("not_a_report", "the text contains no Chinese characters")
    return Decoded("txt", encoding, text.splitlines())
