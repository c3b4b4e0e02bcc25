"""Turn the bytes of a txt, HTML, docx or PDF report into plain text lines.

Every format ends as lines of text; a table row of a structured source (HTML,
docx, PDF) becomes one line with its cells joined by tabs, spanned positions
left empty, so the layout parser downstream sees the same shape as a
tab-separated copy-paste.

Every bound of :class:`~gongkai.reader.limits.ReaderLimits` is checked before the work it
would cost (the size here, the rest in the format's module), and every failure, foreseen or
not, leaves as a :class:`ReaderError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.reader.docx import docx_lines
from gongkai.reader.errors import ReaderError, check_chars, too_large, unexpected
from gongkai.reader.limits import ReaderLimits
from gongkai.reader.markup import html_lines
from gongkai.reader.pdf import pdf_lines

MAX_BYTES = ReaderLimits().max_bytes  # the default, for callers that name it in messages

# What this module tells the user, by stable id.
MESSAGES = {
    "binary": "the file is binary data, not text",
    "encoding": "could not decode the text: not UTF-8, GB18030/GBK or UTF-16, or binary data",
    "encoding.at": "invalid {encoding} text at byte {byte}",
    "empty": "the file is empty",
    "no_chinese": "the text contains no Chinese characters",
}

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
        raise ReaderError("binary", MESSAGES["binary"])
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
    raise ReaderError("encoding", MESSAGES["encoding"])


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        message = MESSAGES["encoding.at"].format(encoding=encoding, byte=exc.start)
        raise ReaderError("encoding", message, message_id="reader.encoding_at",
                          values={"encoding": encoding, "byte": exc.start}) from None


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    bad = len(_CONTROL.findall(text))
    return bad / len(text) < 0.01


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


def decode(data: bytes, name: str = "", limits: ReaderLimits | None = None) -> Decoded:
    """Bytes of any supported format → text lines; raises :class:`ReaderError`, and nothing
    else, on bad input or on input that would cost more than ``limits`` allow."""
    limits = limits or ReaderLimits()
    try:
        return _decode(data, name, limits)
    except ReaderError:
        raise
    except Exception as exc:  # a bug, or a library's surprise: one line, never a traceback
        raise unexpected(exc, name) from None


def _decode(data: bytes, name: str, limits: ReaderLimits) -> Decoded:
    if len(data) > limits.max_bytes:
        raise too_large(len(data), limits.max_bytes)
    if not data.strip(b" \t\r\n\x00"):
        raise ReaderError("empty", MESSAGES["empty"])
    fmt = sniff_format(data, name)
    if fmt == "pdf":
        return Decoded("pdf", None, pdf_lines(data, limits))
    if fmt == "docx":
        return Decoded("docx", None, docx_lines(data, limits))
    if fmt == "html":
        text, encoding = decode_html_bytes(data)
        check_chars(len(text), limits)
        return Decoded("html", encoding, html_lines(text, limits))
    text, encoding = decode_text(data)
    check_chars(len(text), limits)
    if not _CJK.search(text):
        raise ReaderError("not_a_report", MESSAGES["no_chinese"])
    return Decoded("txt", encoding, text.splitlines())
