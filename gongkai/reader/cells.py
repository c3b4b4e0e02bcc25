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
from typing import NamedTuple

_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNIT = re.compile(r"(件|个|条|项|次|人|宗|起|万元|元)$")
_BLANK_MARKS = {"", "-", "--", "—", "——", "–", "/", "\\", "无", "空", "null", "None", "/ "}
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_SPACED_NUMBERS = re.compile(
    r"^(?P<label>.*?[^\d\s.,-])?\s*(?P<nums>(?:[+-]?\d[\d,]*(?:\.\d+)?\s+)+[+-]?\d[\d,]*(?:\.\d+)?)$"
)


def normalize(text: str) -> str:
    """NFKC (fullwidth → ASCII), non-breaking and ideographic spaces → plain spaces, trimmed."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\xa0", " ").replace("\u3000", " ").strip()


def squash(text: str) -> str:
    """Label text for matching: normalised, without any whitespace or quote marks."""
    return re.sub(r"[\s\"'“”‘’「」]", "", normalize(text))


_PUNCTUATION_ONLY = re.compile(r"[()\[\]【】\"'“”‘’、,.。:;]+")


def is_noise(cell: str) -> bool:
    """A stray bracket or comma left by a wrapped label (PDF, Word) carries nothing."""
    return bool(_PUNCTUATION_ONLY.fullmatch(cell.strip()))


def is_label(cell: str) -> bool:
    return bool(_CJK.search(_UNIT.sub("", cell)))


@dataclass
class Value:
    """A value cell: a number, a blank (None) or something unreadable (``raw`` kept)."""

    number: int | float | None
    raw: str
    invalid: bool = False


def parse_value(cell: str) -> Value:
    text = normalize(cell)
    compact = re.sub(r"\s+", "", _UNIT.sub("", text)).replace(",", "")
    if compact in _BLANK_MARKS:
        return Value(None, text)
    if _NUMBER.fullmatch(compact):
        number = float(compact)
        return Value(int(number) if number.is_integer() and "." not in compact else number, text)
    return Value(None, text, invalid=True)


@dataclass
class Segment:
    """One row as found: its label cells and the cells that follow up to the next label."""

    labels: list[str]
    cells: list[str] = field(default_factory=list)
    gaps_visible: bool = True  # False where blank cells are not represented at all (PDF, spaces)
    layout: str = "lines"
    line: int = 0  # line number of the last label, to tell continuation lines apart
    line_width: int | None = None  # cells on that line, where one line holds one row

    @property
    def label(self) -> str:
        return "".join(self.labels)


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
    line_width: int | None = None  # cells on its line, for layouts with one row per line


def stream_cells(lines: list[str], layout: str) -> list[StreamCell]:
    """The region as cells in reading order."""
    out: list[StreamCell] = []
    if layout in ("tab", "pipe_rows"):
        body = [line.strip() for line in lines if line.strip()]
        framed = sum(line.startswith("|") and line.endswith("|") for line in body) > len(body) / 2
        for number, line in enumerate(lines):
            if not line.strip():
                continue
            cells = line.split("\t") if layout == "tab" else _split_pipe_line(line, framed)
            if layout == "tab" and len(cells) == 1:
                out.extend(StreamCell(c, number, False) for c in _split_spaced(cells[0]))
                continue
            out.extend(StreamCell(normalize(c), number, True, len(cells)) for c in cells)
        return out
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
        if not line.strip():
            empties += 1
            continue
        if started and empties > 1:
            out.extend(StreamCell("", number, True) for _ in range(empties - 1))
        empties = 0
        started = True
        spaced = _split_spaced(line)
        out.extend(StreamCell(cell, number, len(spaced) == 1) for cell in spaced)
    return out


def _split_spaced(line: str) -> list[str]:
    """``label 0 0 3 0`` (a PDF or space-aligned row) → label and number cells."""
    text = normalize(line)
    match = _SPACED_NUMBERS.match(text)
    if not match:
        return [text]
    label = (match.group("label") or "").strip()
    numbers = match.group("nums").split()
    return ([label] if label else []) + numbers


def segments(lines: list[str], layout: str | None = None) -> list[Segment]:
    """Group the cell stream into rows: label cells, then everything up to the next label."""
    layout = layout or detect_layout(lines)
    result: list[Segment] = []
    current: Segment | None = None
    for cell, line_no, gaps_visible, line_width in stream_cells(lines, layout):
        if is_noise(cell):
            continue
        if is_label(cell):
            if current is not None and not any(c.strip() for c in current.cells):
                current.labels.append(cell)  # label continues (split label, path of labels)
                current.cells.clear()
            else:
                current = Segment(labels=[cell], gaps_visible=gaps_visible, layout=layout)
                result.append(current)
            current.line = line_no
            current.line_width = line_width
            continue
        if current is None:
            current = Segment(labels=[], gaps_visible=gaps_visible, layout=layout, line=line_no)
            result.append(current)
        if not gaps_visible:
            current.gaps_visible = False
        if layout in ("tab", "pipe_rows") and line_no != current.line and not cell.strip():
            continue  # leading pads of a continuation line belong to no row
        current.cells.append(cell)
    return result
