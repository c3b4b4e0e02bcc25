"""Which of a row's cells are its seven value columns, or that this cannot be known.

Copies of the same table put a row's numbers in different places: a Word or HTML grid
keeps every column, so values end at the table's right edge (``right``); a copy like the
seed's pads after the label and ragged at the end, so values start a fixed number of
cells after the label (``left``). A row that fills its first and last value columns
shows where it sits; one that does not takes its place from the layout every row of its
table is consistent with, and from the column headings above it. Where the layouts that
fit disagree about a row, the row is left unplaced: the reader never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

N_VALUES = 7


@dataclass
class RowCells:
    """One table row as placement sees it."""

    cells: list[str]  # the cells after the row's last label cell
    start: int | None = None  # column of cells[0] in its line; None in one-cell-per-line text
    lone_label_at_zero: bool = False  # one label cell, first on its line, like the heading
    gaps_visible: bool = True  # False where blank cells leave no trace (spaced text)
    collapsed: bool = False  # runs of blank cells written as one ``|||||||``


Hypothesis = tuple[str, int]  # ("left", cells after the label) or ("right", cells after)


def filled(cells: list[str]) -> list[int]:
    return [i for i, c in enumerate(cells) if c.strip()]


def _window_starts(row: RowCells, end_trusted: bool) -> list[int]:
    """Starts of the seven-cell windows that hold every filled cell of the row."""
    positions = filled(row.cells)
    if not positions:
        return []
    first, last = positions[0], positions[-1]
    starts = range(max(0, last - N_VALUES + 1), first + 1)
    if end_trusted:
        return [s for s in starts if s + N_VALUES <= len(row.cells)]
    return list(starts)


def _start_of(row: RowCells, hypothesis: Hypothesis) -> int:
    kind, n = hypothesis
    return n if kind == "left" else len(row.cells) - N_VALUES - n


def _hypotheses(rows: list[RowCells], end_trusted: bool) -> list[Hypothesis]:
    """Layouts every placeable row fits: one left offset, or one right margin. A right
    margin needs lines that end where the table does; one cell per line has none (the
    empty cells before the next label may be that row's empty label cells)."""
    left: set[int] | None = None
    right: set[int] | None = None
    for row in rows:
        starts = _window_starts(row, end_trusted)
        if not starts or not row.gaps_visible or row.collapsed:
            continue
        left = set(starts) if left is None else left & set(starts)
        if end_trusted and row.start is not None:
            margins = {len(row.cells) - N_VALUES - s for s in starts}
            right = margins if right is None else right & margins
        else:
            right = set()
    out: list[Hypothesis] = [("left", k) for k in sorted(left or ())]
    return out + [("right", t) for t in sorted(right or ())]


def _agrees_with_heading(
    hypothesis: Hypothesis, rows: list[RowCells], heading_at: int
) -> bool:
    """False when a row printed like the heading (one label, first on its line) would
    put its values anywhere but under the column headings."""
    for row in rows:
        if row.start is None or not row.lone_label_at_zero or not filled(row.cells):
            continue
        if row.start + _start_of(row, hypothesis) != heading_at:
            return False
    return True


def expand_collapsed(cells: list[str], width: int = N_VALUES) -> list[str] | None:
    """A row with one collapsed run of blanks: the run is what ``width`` columns leave over.

    Two runs or more lose how the blanks split between them: None.
    """
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(cells):
        if cells[i].strip():
            i += 1
            continue
        j = i
        while j < len(cells) and not cells[j].strip():
            j += 1
        if j - i >= 2:
            runs.append((i, j))
        i = j
    if not runs:
        return cells if len(cells) == width else None
    if len(runs) > 1:
        return None
    i, j = runs[0]
    blanks = width - (len(cells) - (j - i))
    if blanks < 1:
        return None
    return cells[:i] + [""] * blanks + cells[j:]


def place_rows(
    rows: list[RowCells], heading_at: int | None, end_trusted: bool
) -> list[list[str] | None]:
    """The seven value cells of each row, or None where their columns cannot be proven.

    ``heading_at`` is the column of the 自然人 heading where the table's lines keep their
    columns; ``end_trusted`` says the lines keep their trailing empty cells.
    """
    hypotheses = _hypotheses(rows, end_trusted)
    if heading_at is not None:
        fitting = [h for h in hypotheses if _agrees_with_heading(h, rows, heading_at)]
        hypotheses = fitting or hypotheses
    return [_place(row, hypotheses, end_trusted) for row in rows]


def _place(row: RowCells, hypotheses: list[Hypothesis], end_trusted: bool) -> list[str] | None:
    cells = row.cells
    positions = filled(cells)
    if not positions:
        return [""] * N_VALUES
    if row.collapsed:
        cells = expand_collapsed(cells) or []
        return cells if len(cells) == N_VALUES else None
    if not row.gaps_visible:
        return [cells[i] for i in positions] if len(positions) == N_VALUES else None
    own = _window_starts(row, end_trusted)
    starts = set(own) if len(own) == 1 else {_start_of(row, h) for h in hypotheses}
    if len(starts) != 1 or not starts <= set(own):
        return None
    start = starts.pop()
    return (cells + [""] * N_VALUES)[start : start + N_VALUES]
