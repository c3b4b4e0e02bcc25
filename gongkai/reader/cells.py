"""From the lines of a table region to labelled rows of cells, whatever the copy-paste layout.

Real reports reach us with their tables flattened in many ways (tabs, `` | `` rows,
one cell per line, cells between blank lines, collapsed ``|||||`` runs, spaces).
Every layout is first turned into one stream of cells; a row is then a run of
label cells (they hold Chinese text) followed by value cells (they do not).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNIT = re.compile(r"(件|个|条|项|次|人|宗|起|万元|元)$")
_BLANK_MARKS = {"", "-", "--", "—", "——", "–", "/", "\\", "无", "空", "null", "None", "/ "}
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_NUM = r"[+-]?\d[\d,]*(?:\.\d+)?"
_SPACED_NUMBERS = re.compile(rf"^(?:(?P<label>.*?[^\d\s.,-])\s+)?(?P<nums>{_NUM}(?:\s+{_NUM})*)$")


@lru_cache(maxsize=4096)  # a report repeats its cells and labels (0, 件, 总计 …)
def normalize(text: str) -> str:
    """NFKC (fullwidth → ASCII), non-breaking and ideographic spaces → plain spaces, trimmed."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\xa0", " ").replace("\u3000", " ").strip()


@lru_cache(maxsize=4096)
def squash(text: str) -> str:
    """Label text for matching: normalised, without any whitespace or quote marks."""
    return re.sub(r"[\s\"'“”‘’「」]", "", normalize(text))


_PUNCTUATION_ONLY = re.compile(r"[()\[\]【】\"'“”‘’、,.。:;]+")


def is_noise(cell: str) -> bool:
    """A stray bracket or comma left by a wrapped label (PDF, Word) carries nothing."""
    return bool(_PUNCTUATION_ONLY.fullmatch(cell.strip()))


def is_label(cell: str) -> bool:
    return bool(_CJK.search(_UNIT.sub("", cell)))


# More digits than any count has: Python refuses int() of 4,300 digits, and no table means it.
MAX_DIGITS = 1000
_FLOAT_DIGITS = 15  # whole digits a decimal (an amount) keeps exactly through float


@dataclass
class Value:
    """A value cell: a number, a blank (None) or something unreadable (``raw`` kept).

    ``oversized``: digits beyond any count (``number`` is None); ``figure`` is the number as
    printed, without spaces, separators or unit, for messages.
    """

    number: int | float | None
    raw: str
    invalid: bool = False
    oversized: bool = False
    figure: str = ""


def parse_value(cell: str) -> Value:
    """A cell's number, exact: whole numbers are ``int`` (never through ``float``), a decimal
    is a ``float`` only while it has the digits a float holds exactly."""
    text = normalize(cell)
    compact = re.sub(r"\s+", "", _UNIT.sub("", text)).replace(",", "")
    if compact in _BLANK_MARKS:
        return Value(None, text)
    if not _NUMBER.fullmatch(compact):
        return Value(None, text, invalid=True)
    whole, _, fraction = compact.lstrip("+-").partition(".")
    if len(whole) > MAX_DIGITS or (fraction and len(whole.lstrip("0")) > _FLOAT_DIGITS):
        return Value(None, text, oversized=True, figure=compact)
    number = float(compact) if fraction else int(compact)
    return Value(number, text, figure=compact)


@dataclass
class Segment:
    """One row as found: its label cells and the cells that follow up to the next label."""

    labels: list[str]
    cells: list[str] = field(default_factory=list)
    gaps_visible: bool = True  # False where blank cells are not represented at all (PDF, spaces)
    line: int = 0  # line number of the last label, to tell continuation lines apart
    start: int | None = None  # column of cells[0] on the label's line (one row per line)
    line_labels: list[int | None] = field(default_factory=list)  # label columns on that line
    collapsed: bool = False  # the line writes runs of blank cells as one ``|||||||``

    @property
    def label(self) -> str:
        return "".join(self.labels)

    @property
    def lone_label_at_zero(self) -> bool:
        """One label cell on its line, the first: the row sits in the heading's columns."""
        return self.line_labels == [0] and self.start is not None


def _split_pipe_line(line: str, framed: bool = True) -> list[str]:
    """Cells of a ``|``-joined row; outer pipes are a frame only when the table is framed."""
    stripped = line.strip()
    if framed and stripped.startswith("|"):
        stripped = stripped[1:]
    if framed and stripped.endswith("|"):
        stripped = stripped[:-1]
    return [cell.strip() for cell in stripped.split("|")]


def detect_layout(lines: list[str]) -> str:
    """One of ``tab``, ``pipe_rows``, ``pipe_stream``, ``lines``."""
    body = [line for line in lines if line.strip()]
    if not body:
        return "lines"
    if sum("\t" in line for line in body) >= max(2, len(body) // 4):
        return "tab"
    piped = [line for line in body if "|" in line]
    if len(piped) >= max(2, len(body) // 3):
        multi = sum(len(_split_pipe_line(line)) >= 2 for line in piped)
        return "pipe_rows" if multi >= len(piped) / 2 else "pipe_stream"
    return "lines"


class StreamCell(NamedTuple):
    text: str
    line: int
    gaps_visible: bool
    col: int | None = None  # its column on its line, for layouts with one row per line
    collapsed: bool = False  # its line writes blank runs as ``|||||||``


_COLLAPSED = re.compile(r"\|{3,}")


def _row_cells(lines: list[str], layout: str) -> list[StreamCell]:
    """Cells of one-row-per-line layouts (tabs, ``|``-joined rows), with their columns."""
    out: list[StreamCell] = []
    framed = _framed(lines)
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        cells = line.split("\t") if layout == "tab" else _split_pipe_line(line, framed)
        if layout == "tab" and len(cells) == 1:
            out.extend(StreamCell(c, number, False) for c in _split_spaced(cells[0]))
            continue
        collapsed = layout == "pipe_rows" and bool(_COLLAPSED.search(line))
        out.extend(
            StreamCell(normalize(c), number, True, col, collapsed)
            for col, c in enumerate(cells)
        )
    return out


def _is_blank_line(line: str) -> bool:
    """An empty line separates cells; one holding only a non-breaking or ideographic space
    is a blank cell (an ``&nbsp;`` cell copied as text)."""
    return not line.strip(" \t\r\n\f\v")


def stream_cells(lines: list[str], layout: str) -> list[StreamCell]:
    """The region as cells in reading order."""
    if layout in ("tab", "pipe_rows"):
        return _row_cells(lines, layout)
    out: list[StreamCell] = []
    if layout == "pipe_stream":
        text = "\n".join(lines)
        pieces = text.split("|")
        if pieces and not pieces[-1].strip():
            pieces.pop()
        line_no = 0
        for piece in pieces:
            out.append(StreamCell(normalize(piece.replace("\n", "")), line_no, True))
            line_no += piece.count("\n")
        return out
    # "lines": one cell per non-empty line; a run of k empty lines between cells holds k-1 blanks
    empties = 0
    started = False
    for number, line in enumerate(lines):
        if _is_blank_line(line):
            empties += 1
            continue
        if started and empties > 1:
            out.extend(StreamCell("", number, True) for _ in range(empties - 1))
        empties = 0
        started = True
        spaced = _split_spaced(line)
        out.extend(StreamCell(cell, number, len(spaced) == 1) for cell in spaced)
    return out


def _framed(lines: list[str]) -> bool:
    """(Nearly) every line starts and ends with ``|``: the outer pipes are a frame, not
    cells. Rows that start or end with an empty cell (`` | label | 3 | ``) look framed too,
    but the rows that start with their label never do."""
    body = [line.strip() for line in lines if line.strip()]
    framed = sum(line.startswith("|") and line.endswith("|") for line in body)
    return framed >= 0.95 * len(body)


def line_cells(lines: list[str], layout: str) -> list[list[str]]:
    """The cells of each line of a one-row-per-line layout (tabs, ``|`` rows), as written."""
    framed = _framed(lines)
    out: list[list[str]] = []
    for line in lines:
        text = line.rstrip("\r\n")
        if layout == "tab" and "\t" in text:
            out.append(text.split("\t"))
        elif layout == "pipe_rows" and "|" in text:
            out.append(_split_pipe_line(text, framed))
        else:
            out.append([text])
    return out


def trailing_cells_kept(lines: list[str], layout: str) -> bool:
    """True when the lines keep their empty last cells (some row ends in an empty cell), so
    a row's last cell is the table's last column; an editor that trims lines loses that."""
    if layout not in ("tab", "pipe_rows"):
        return True
    return any(len(cells) > 1 and not cells[-1].strip() for cells in line_cells(lines, layout))


_COLUMN_HEADINGS = {
    "自然人": 0, "商业企业": 1, "科研机构": 2, "社会公益组织": 3, "法律服务机构": 4, "其他": 5,
    "总计": 6,
}  # fmt: skip


def heading_column(lines: list[str], layout: str) -> int | None:
    """The column of the 自然人 heading, where the heading rows keep their columns (tabs,
    ``|`` rows) and every heading found agrees; None otherwise."""
    if layout not in ("tab", "pipe_rows"):
        return None
    found: set[int] = set()
    for cells in line_cells(lines, layout):
        if any(not parse_value(c).invalid and c.strip() for c in cells):
            break  # the first row with a number: the headings are above it
        for col, cell in enumerate(cells):
            offset = _COLUMN_HEADINGS.get(squash(cell))
            if offset is not None:
                found.add(col - offset)
    return found.pop() if len(found) == 1 else None


def _split_spaced(line: str) -> list[str]:
    """``label 0 0 3 0`` (a PDF or space-aligned row) → label and number cells.

    Two spaces or more always separate cells. Without a label, one space between two
    numbers is a stray space inside one (``1 2`` is 12), as a cell on its own line has.
    """
    text = normalize(line)
    match = _SPACED_NUMBERS.match(text)
    if not match:
        return [text]
    label = (match.group("label") or "").strip()
    numbers = match.group("nums")
    if re.search(r"\s{2,}", numbers):
        cells = re.split(r"\s{2,}", numbers)
    elif label or len(numbers.split()) > 2:
        cells = numbers.split()
    else:
        cells = [numbers]
    return ([label] if label else []) + cells


def segments(lines: list[str], layout: str | None = None) -> list[Segment]:
    """Group the cell stream into rows: label cells, then everything up to the next label."""
    layout = layout or detect_layout(lines)
    result: list[Segment] = []
    current: Segment | None = None
    for cell in stream_cells(lines, layout):
        text = cell.text
        if is_noise(text):
            continue
        if is_label(text):
            if current is not None and not any(c.strip() for c in current.cells):
                current.labels.append(text)  # label continues (split label, path of labels)
                current.cells.clear()
                if cell.line != current.line:
                    current.line_labels = []
            else:
                current = Segment(labels=[text])
                result.append(current)
            current.line_labels.append(cell.col)
            current.line = cell.line
            current.start, current.collapsed = None, cell.collapsed
            current.gaps_visible = True  # the cells after the last label decide
            continue
        if current is None:
            current = Segment(labels=[], line=cell.line)
            result.append(current)
        if not cell.gaps_visible:
            current.gaps_visible = False
        if layout in ("tab", "pipe_rows") and cell.line != current.line:
            if not text.strip():
                continue  # leading pads of a continuation line belong to no row
            current.start = None  # values from another line: their columns are not comparable
        elif not current.cells:
            current.start = cell.col
        current.cells.append(text)
    return result
