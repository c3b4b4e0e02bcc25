"""A table cell's number, exactly, and the cells the checks must leave out.

Numbers are read as Python integers (a decimal only where the cell prints one), never
through ``float``: ``100000000000000000001`` stays one more than ``10**20``. A count is
neither negative nor beyond all reason (``ReaderLimits.max_count``, 10^9 by default): a
figure over the limit is left ``null``, a negative one kept as printed, and both are noted
with the cell and the figure; the checks read those notes and leave such cells out, saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gongkai.messages import Note
from gongkai.reader.cells import parse_value

DEFAULT_MAX_COUNT = 10**9
_SHOWN_VALUES = 12  # numbers a warning quotes from one row
_KEPT_OUT = {"reader.warn.cell_negative": "negative", "reader.warn.cell_too_large": "too_large"}


def cell_number(text: str, cell: dict[str, str], max_count: int, notes: list[Note],
                counts: bool = True) -> int | float | None:
    """The number in a cell of the table ``cell["table"]``; what is wrong with it is noted.

    ``counts``: the column counts things (requests, cases), so a negative figure is noted;
    section 二's 本年增/减 may well be negative.
    """
    value = parse_value(text)
    if value.invalid:
        notes.append(Note("reader.warn.cell_not_a_number", {"cell": cell, "raw": value.raw}))
        return None
    number = value.number
    if value.oversized or (number is not None and abs(number) > max_count):
        notes.append(Note("reader.warn.cell_too_large", {
            "cell": cell, "figure": value.figure, "limit": max_count}))
        return None
    if counts and number is not None and number < 0:
        notes.append(Note("reader.warn.cell_negative", {"cell": cell, "figure": number}))
    return number


def unusable_cells(notes: Iterable[Note], table: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(row, column) → the cell, its figure and why, for every cell of ``table`` that the
    notes keep out of the checks."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for note in notes:
        reason = _KEPT_OUT.get(note.id)
        cell = note.values.get("cell", {})
        if reason and cell.get("table") == table:
            out[(cell["row"], cell["column"])] = {**cell, "figure": note.values["figure"],
                                                  "reason": reason}
    return out


def shown_values(cells: list[str]) -> list[str]:
    """The filled cells of a row, as a warning quotes them (a long run cut with …)."""
    values = [cell.strip() for cell in cells if cell.strip()]
    return [*values[:_SHOWN_VALUES], "…"] if len(values) > _SHOWN_VALUES else values
