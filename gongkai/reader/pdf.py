"""PDF text and tables as lines, with every table number in the column its geometry shows.

A ruled table is read by its ruling lines (pdfplumber's table finder): each row becomes one
tab-joined line with a cell for every column, blank cells and merged-over positions empty,
as in an HTML or Word table. Text outside ruled tables is rebuilt from the characters'
positions. A borderless section 三 table is placed by its column headings: a number goes
to the column whose heading it stands under. A borderless row whose numbers no heading
places is written with spaces between its cells, which says that its blank cells are
not represented: the reader then places it only when all seven numbers are there.
"""

from __future__ import annotations

import io
import itertools
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from gongkai.reader.cells import parse_value, squash
from gongkai.reader.errors import ReaderError, check_chars, mb
from gongkai.reader.limits import ReaderLimits

# What this module tells the user, by stable id.
MESSAGES = {
    "pdf.corrupt": "not a readable PDF: {error}",
    "pdf.no_text_layer": (
        "the PDF has no text layer (a scanned image?): run OCR first, then read the text"
    ),
}

_HEADINGS = {
    "自然人": 0, "商业企业": 1, "科研机构": 2, "社会公益组织": 3, "社会公益": 3,
    "法律服务机构": 4, "法律服务": 4, "其他": 5, "总计": 6,
}  # fmt: skip
_ROW_MARKER = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.．]")
_SECTION_HEADING = re.compile(r"^[一二三四五六]、.{2,40}(?:情况|事项|问题)$")
_PAGE_NUMBER = re.compile(r"^[-—－–\s第]*\d+[-—－–\s页]*(?:/\s*\d+)?$")
_SENTENCE_END = ("。", "；", ";", "：", ":", "！", "？", "”")


@dataclass
class _Chunk:
    """Characters of one row set close together: a cell's text, or a run of prose."""

    x0: float
    x1: float
    text: str

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Columns:
    """The seven value columns of a borderless 三 table, by the centres of their headings:
    a column runs from halfway to the heading on its left to halfway to the next.

    A digit left of the first column's widest possible start belongs to a label; label
    text never reaches the first heading's centre (it ends at the column's edge).
    """

    centers: list[float]
    page_width: float

    @property
    def values_from(self) -> float:
        return self.centers[0] - (self.centers[1] - self.centers[0]) / 2

    @property
    def labels_to(self) -> float:
        return self.centers[0]

    def column(self, x: float) -> int:
        edges = [(a + b) / 2 for a, b in itertools.pairwise(self.centers)]
        return sum(x >= edge for edge in edges)


@dataclass
class _Item:
    """One output line in the making: its height on the page, label cells and, for a
    borderless table row, the seven value slots."""

    top: float
    cells: list[str]
    slots: list[str] | None = None
    separator: str = "\t"
    labels_only: bool = False  # label text alone, in a borderless table's label columns

    def line(self) -> str:
        """The row as text (a ruled table's one cell holds all its lines)."""
        return self.separator.join(self.cells + (self.slots or []))


@dataclass
class _State:
    """What carries from page to page: the borderless table's columns, headings seen."""

    columns: _Columns | None = None
    seen: dict[int, float] = field(default_factory=dict)


def pdf_lines(data: bytes, limits: ReaderLimits | None = None) -> list[str]:
    """Lines of every page, ruled tables and borderless table rows placed by geometry.

    Before any page is laid out: the compressed streams are inflated (and dropped) up to
    ``limits.max_unzipped_bytes``, and the pages counted up to ``limits.max_pdf_pages``;
    the characters are counted page by page against ``limits.max_chars``.
    """
    import pdfplumber

    limits = limits or ReaderLimits()
    _check_streams(data, limits)
    lines: list[str] = []
    seen_text = False
    state = _State()
    chars_seen = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            _check_pages(pdf.doc, limits)
            for page in pdf.pages:
                chars = [c for c in page.chars if c["text"].strip()]
                chars_seen += len(page.chars)
                check_chars(chars_seen, limits)
                seen_text = seen_text or bool(chars)
                lines.extend(_page_lines(page, chars, state))
                lines.append("")
    except ReaderError:
        raise
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:  # pdfminer and pdfplumber raise many kinds of errors on damage
        raise ReaderError("corrupt", MESSAGES["pdf.corrupt"].format(error=exc)) from None
    if not seen_text:
        raise ReaderError("no_text_layer", MESSAGES["pdf.no_text_layer"])
    return _join_wrapped_lines(lines)


_STREAM = re.compile(rb"stream\r?\n")
_CHUNK = 1 << 16


def _check_streams(data: bytes, limits: ReaderLimits) -> None:
    """Inflate every stream that inflates (zlib), counting the bytes, never keeping them:
    a PDF can hold a bomb as well as a zip, and pdfminer inflates a stream whole."""
    total = 0
    match = _STREAM.search(data)
    while match is not None:
        end = data.find(b"endstream", match.end())
        end = len(data) if end == -1 else end
        inflater = zlib.decompressobj()
        try:
            piece = inflater.decompress(data[match.end():end], _CHUNK)
            while piece:
                total += len(piece)
                if total > limits.max_unzipped_bytes:
                    raise ReaderError(
                        "too_large", f"PDF streams inflate past {total} bytes",
                        message_id="reader.too_large_pdf_streams",
                        values={"size_mb": mb(total), "limit_mb": mb(limits.max_unzipped_bytes)})
                piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        except zlib.error:
            pass  # not zlib data (an image, text), or damaged: pdfminer will say
        match = _STREAM.search(data, end + len(b"endstream"))  # each byte looked at once


def _check_pages(document: Any, limits: ReaderLimits) -> None:
    """The page tree walked (no page laid out) up to one page past the limit."""
    from pdfminer.pdfpage import PDFPage

    pages = sum(1 for _ in itertools.islice(PDFPage.create_pages(document),
                                             limits.max_pdf_pages + 1))
    if pages > limits.max_pdf_pages:
        raise ReaderError("too_large", f"over {limits.max_pdf_pages} pages",
                          message_id="reader.too_many_pages",
                          values={"pages": pages, "limit": limits.max_pdf_pages})


def _page_lines(page: Any, chars: list[dict], state: _State) -> list[str]:
    """One page: ruled tables by their rules, the rest by character positions, in order."""
    tables = [
        t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2
    ]
    items = [_Item(t.bbox[1], [_ruled_line(t)]) for t in tables]
    outside = [c for c in chars if not any(_inside(c, t.bbox) for t in tables)]
    if state.columns is not None and state.columns.page_width != page.width:
        state.columns = None  # another page size: the columns are not those
    items += _text_items(_rows(outside), page, state)
    items.sort(key=lambda item: item.top)
    return [line for item in items for line in item.line().split("\n")]


def _ruled_line(table: Any) -> str:
    """A ruled table as tab-joined rows; text wrapped inside a cell is one cell."""
    rows = table.extract()
    return "\n".join(
        "\t".join((cell or "").replace("\n", "").strip() for cell in row) for row in rows
    )


def _inside(char: dict, bbox: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _rows(chars: list[dict]) -> list[tuple[float, list[dict]]]:
    """Characters in rows (centres within 0.4 of a character's height), top to bottom,
    each left to right."""
    rows: list[tuple[float, list[dict]]] = []
    for char in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        middle = (char["top"] + char["bottom"]) / 2
        if rows and abs(middle - rows[-1][0]) <= 0.4 * max(char["size"], 1.0):
            rows[-1][1].append(char)
        else:
            rows.append((middle, [char]))
    return [(top, sorted(row, key=lambda c: c["x0"])) for top, row in rows]


def _groups(row: list[dict]) -> list[list[dict]]:
    """A gap of 1.5 characters separates cells."""
    groups: list[list[dict]] = []
    for char in row:
        size = max(groups[-1][-1]["size"] if groups else char["size"], 1.0)
        if not groups or char["x0"] - groups[-1][-1]["x1"] > 1.5 * size:
            groups.append([char])
        else:
            groups[-1].append(char)
    return groups


def _chunks(row: list[dict]) -> list[_Chunk]:
    """The row's cells; inside one, a gap next to ASCII is a space (CJK text is set without
    spaces, so its ordinary gaps are nothing)."""
    chunks: list[_Chunk] = []
    for group in _groups(row):
        text = group[0]["text"]
        for previous, char in itertools.pairwise(group):
            gap = char["x0"] - previous["x1"]
            ascii_side = char["text"].isascii() or previous["text"].isascii()
            text += (" " if gap > 0.25 * max(previous["size"], 1.0) and ascii_side else "")
            text += char["text"]
        chunks.append(_Chunk(group[0]["x0"], group[-1]["x1"], text))
    return chunks


def _text_items(rows: list[tuple[float, list[dict]]], page: Any, state: _State) -> list[_Item]:
    """Rows of text outside ruled tables: prose, headings, and borderless table rows."""
    items: list[_Item] = []
    for top, row in rows:
        chunks = _chunks(row)
        if _page_furniture(chunks, top, page.height):
            continue
        _learn_headings(row, page.width, state)
        columns = state.columns
        if columns is not None and _ends_table(chunks, columns):
            state.columns = columns = None
        item = _table_item(top, row, columns) if columns else None
        if item is not None and not item.cells:  # numbers set between a label's lines
            if not (items and items[-1].labels_only):
                item = None
            else:
                items[-1].slots, items[-1].labels_only = item.slots, False
                continue
        if item is None and columns and _continues_label(chunks, columns, items):
            items[-1].cells[-1] += "".join(c.text for c in chunks)
            continue
        if item is None:
            item = _plain_item(top, chunks)
            item.labels_only = columns is not None and all(
                c.x1 <= columns.labels_to for c in chunks
            )
        items.append(item)
    return items


def _page_furniture(chunks: list[_Chunk], top: float, height: float) -> bool:
    """A lone page number in the top or bottom margin."""
    margin = top < 0.08 * height or top > 0.92 * height
    return margin and len(chunks) == 1 and bool(_PAGE_NUMBER.match(chunks[0].text.strip()))


def _heading_index(text: str) -> int | None:
    """The value column a heading names; a heading wrapped in its cell shows its start
    (社会公益 of 社会公益组织)."""
    label = squash(text)
    if label in _HEADINGS:
        return _HEADINGS[label]
    names = [name for name in _HEADINGS if len(label) >= 2 and name.startswith(label)]
    return _HEADINGS[names[0]] if len({_HEADINGS[n] for n in names}) == 1 else None


def _tokens(row: list[dict]) -> list[_Chunk]:
    """Runs of characters set solid: CJK text has no gaps, neighbouring headings do."""
    tokens: list[_Chunk] = []
    for char in row:
        if tokens and char["x0"] - tokens[-1].x1 <= 0.3 * max(char["size"], 1.0):
            tokens[-1].text += char["text"]
            tokens[-1].x1 = char["x1"]
        else:
            tokens.append(_Chunk(char["x0"], char["x1"], char["text"]))
    return tokens


def _learn_headings(row: list[dict], page_width: float, state: _State) -> None:
    """Collect the 三 table's column headings from the rows above its numbers; all seven,
    left to right, set the columns."""
    tokens = _tokens(row)
    found = [(i, t.center) for t in tokens if (i := _heading_index(t.text)) is not None]
    if not found and any(_is_value(t.text) for t in tokens):
        state.seen = {}  # a row of numbers: headings further up belong to another table
    for index, center in found:
        state.seen.setdefault(index, center)
    if len(state.seen) == len(set(_HEADINGS.values())):
        centers = [state.seen[i] for i in range(7)]
        if all(a < b for a, b in itertools.pairwise(centers)):
            state.columns = _Columns(centers, page_width)
        state.seen = {}


def _ends_table(chunks: list[_Chunk], columns: _Columns) -> bool:
    """Prose running into the value columns, or a section heading, ends the table."""
    if any(c.x0 < columns.values_from and c.x1 > columns.labels_to for c in chunks):
        return True
    return len(chunks) == 1 and bool(_SECTION_HEADING.match(chunks[0].text.strip()))


def _is_value(text: str) -> bool:
    value = parse_value(text)
    return value.number is not None or (not value.invalid and bool(text.strip()))


_VALUE_CHAR = re.compile(r"[\d.,+\-－—–/无空 ]")


def _table_item(top: float, row: list[dict], columns: _Columns) -> _Item | None:
    """A labelled row with numbers under the value headings: each digit goes to the column
    it stands under, so neighbouring numbers never run together. Text in the value
    columns (a heading row, prose) makes it no table row."""
    labels: list[str] = []
    slots = [""] * len(columns.centers)
    for group in _groups(row):
        label = ""
        for char in group:
            middle = _middle(char)
            if _VALUE_CHAR.fullmatch(char["text"]) and middle >= columns.values_from:
                slots[columns.column(middle)] += char["text"]
            elif middle < columns.labels_to:
                label += char["text"]
            else:
                return None
        if label:
            labels.append(label)
    filled = [slot for slot in slots if slot]
    if not filled or not all(_is_value(slot) for slot in filled):
        return None
    return _Item(top, labels, slots)


def _middle(char: dict) -> float:
    return (char["x0"] + char["x1"]) / 2


def _continues_label(chunks: list[_Chunk], columns: _Columns, items: list[_Item]) -> bool:
    """A label wrapped onto the next line: text only in the label columns, no row marker,
    right under a table row or under the first line of its label."""
    if not items or (items[-1].slots is None and not items[-1].labels_only):
        return False
    if any(c.x1 > columns.labels_to for c in chunks):
        return False
    return not _ROW_MARKER.match(chunks[0].text.strip())


def _plain_item(top: float, chunks: list[_Chunk]) -> _Item:
    """Prose is one cell; a row of cells with numbers whose columns nothing shows is
    written with spaces (blank cells invisible), other rows with tabs."""
    texts = [c.text for c in chunks]
    if any(_is_value(t) for t in texts[1:]):
        return _Item(top, texts, separator="  ")
    return _Item(top, texts)


def _join_wrapped_lines(lines: list[str]) -> list[str]:
    """PDF text wraps paragraphs at the page margin; join a wrapped line to its continuation.

    A line wrapped by the layout is about as long as the longest lines of the document; a
    title, a heading or the last line of a paragraph is shorter, and is never joined.
    """
    lengths = sorted(len(line.strip()) for line in lines if line.strip() and _prose(line))
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
            and _prose(line)
            and _prose(previous)
            and len(previous) >= 0.85 * full
            and not previous.endswith(_SENTENCE_END)
            and not re.match(r"^[(（]?[一二三四五六七八九十\d]+[)）、.．]|^编写说明", stripped)
        ):
            out[-1] = previous + stripped
        else:
            out.append(line)
    return out


def _prose(line: str) -> bool:
    return "\t" not in line and "  " not in line.strip()
