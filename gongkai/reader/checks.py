"""The arithmetic (勾稽关系) of the 三 and 四 tables, and narrative figures against the table.

Each check is one object ``{"id", "ok", "message", "message_id", "values"}``; ``ok`` is
``None`` when nothing could be checked (no table, every cell blank), or when nothing failed
but a comparison had to be left out because a cell it needs cannot be used (a negative
count, a figure over the limit: ``values["unusable"]`` names them, and so does the message).
Blank cells count as 0 inside a sum once any cell of that sum is filled, since reports write
blanks for unused cells. The message is a :class:`~gongkai.messages.Note`, rendered in the
caller's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gongkai import figures
from gongkai.messages import DEFAULT_LANG, Note, failure_note
from gongkai.taxonomy import Taxonomy
from gongkai.text import normalize

Number = int | float | None
Rows = dict[str, dict[str, Number]]
Cell = tuple[str, str]  # (row id or review block, column id)
# A cell kept out of the checks → what the reader noted about it (table, row, column, figure,
# reason), for the messages.
Unusable = Mapping[Cell, Mapping[str, Any]]
_NONE: Unusable = {}


@dataclass
class Check:
    id: str
    ok: bool | None
    note: Note
    values: dict[str, Any]

    @property
    def message(self) -> str:
        """The verdict in Chinese; :meth:`as_dict` renders it in any language."""
        return self.note.text()

    @property
    def message_id(self) -> str:
        return self.note.id

    def as_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        return {"id": self.id, "ok": self.ok, "message": self.note.text(lang),
                "message_id": self.note.id, "values": self.values}


@dataclass
class _Tally:
    """What one check compared: failures, comparisons made, comparisons left out because a
    cell they need cannot be used (and those cells)."""

    check_id: str
    unusable: Unusable
    failures: list[dict[str, Any]] = field(default_factory=list)
    checked: int = 0
    skipped: int = 0
    cells: list[dict[str, Any]] = field(default_factory=list)

    def usable(self, cells: Iterable[Cell]) -> bool:
        """False (and the comparison counted as left out) when it needs an unusable cell."""
        bad = [self.unusable[cell] for cell in cells if cell in self.unusable]
        if not bad:
            return True
        self.skipped += 1
        self.cells += [dict(cell) for cell in bad if cell not in self.cells]
        return False

    def verdict(self, **extra: Any) -> Check:
        values: dict[str, Any] = {"failures": self.failures, **extra}
        said: dict[str, Any] = {"check": self.check_id, "checked": self.checked}
        if self.skipped:
            values["unusable"] = self.cells
            said |= {"skipped": self.skipped, "cells": self.cells}
        if self.failures:
            first = failure_note(self.check_id, self.failures[0])
            said |= {"count": len(self.failures),
                     "first": {"id": first.id, "values": first.values}}
            message_id = "check.failed_partly" if self.skipped else "check.failed"
            return Check(self.check_id, False, Note(message_id, said), values)
        if self.skipped:
            message_id = "check.partly" if self.checked else "check.unusable"
            return Check(self.check_id, None, Note(message_id, said), values)
        if self.checked == 0:
            return Check(self.check_id, None, Note("check.unchecked", said), values)
        return Check(self.check_id, True, Note("check.held", said), values)


def _unchecked(check_id: str, message_id: str, **values: Any) -> Check:
    return Check(check_id, None, Note(message_id, {"check": check_id}),
                 {"failures": [], **values})


def _sum(values: list[Number]) -> Number:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def outcome_rows(taxonomy: Taxonomy, rows: Rows, present: set[str],
                 unusable: Unusable = _NONE) -> list[str]:
    """The rows whose sum is (七)总计: each group's leaves where given, else the group row."""
    chosen: list[str] = []
    for group in taxonomy.groups:
        leaves = [leaf.id for leaf in taxonomy.leaves_of(group.id) if leaf.id != group.id]
        given = [leaf for leaf in leaves
                 if leaf in present and _row_filled(rows, leaf, unusable)]
        if given:
            chosen += given
        elif group.id in present:
            chosen.append(group.id)
    return chosen


def _row_filled(rows: Rows, row_id: str, unusable: Unusable = _NONE) -> bool:
    """A row with a number in it (a cell kept out of the checks counts: it was printed)."""
    row = rows.get(row_id) or {}
    return any(v is not None or (row_id, c) in unusable for c, v in row.items())


_REQUEST_CHECK_IDS = ("identity", "outcome_sum", "group_sum", "column_sum")
# rows outside the outcome sum: an unrecoverable one leaves (七)总计's parts known
_BALANCE_ROWS = frozenset({"new_received", "carried_over", "carried_forward"})
_IDENTITY_ROWS = frozenset({*_BALANCE_ROWS, "total"})


def check_requests(
    taxonomy: Taxonomy, rows: Rows, present: set[str], unknown: frozenset[str] = frozenset(),
    unusable: Unusable = _NONE,
) -> list[Check]:
    """Table arithmetic; a sum that involves a row whose columns were unrecoverable is skipped,
    one that involves an unusable cell is left out and said."""
    if not present:
        return [_unchecked(cid, "check.no_table") for cid in _REQUEST_CHECK_IDS]
    return [
        _check_identity(taxonomy.column_ids, rows, present, unknown, unusable),
        _check_outcome_sum(taxonomy, rows, present, unknown, unusable),
        _check_group_sum(taxonomy, rows, present, unknown, unusable),
        _check_column_sum(taxonomy, rows, present, unusable),
    ]


def _check_identity(
    columns: list[str], rows: Rows, present: set[str], unknown: frozenset[str],
    unusable: Unusable,
) -> Check:
    """Requests in = requests out, per column; a missing 结转下年度 row counts as 0, noted."""
    forward_missing = "carried_forward" not in present
    tally = _Tally("identity", unusable)
    if _IDENTITY_ROWS.isdisjoint(unknown) and {"new_received", "total"} <= present:
        for column in columns:
            names = ["new_received", "carried_over", "total", "carried_forward"]
            cells = [rows.get(r, {}).get(column) for r in names]
            if forward_missing:
                cells[3] = 0
            if not tally.usable((r, column) for r in names):
                continue
            if all(v is None for v in cells[:2]) or all(v is None for v in cells[2:]):
                continue  # a side made only of blank cells says nothing
            tally.checked += 1
            left = (cells[0] or 0) + (cells[1] or 0)
            right = (cells[2] or 0) + (cells[3] or 0)
            if left != right:
                tally.failures.append({"column": column, "received_plus_carried_over": left,
                                       "total_plus_carried_forward": right})
    extra = {"carried_forward_missing": True} if forward_missing else {}
    return tally.verdict(**extra)


def _check_outcome_sum(
    taxonomy: Taxonomy, rows: Rows, present: set[str], unknown: frozenset[str],
    unusable: Unusable,
) -> Check:
    """(七)总计 per column against its outcome rows; one unrecoverable outcome row voids all."""
    tally = _Tally("outcome_sum", unusable)
    if not unknown - _BALANCE_ROWS:
        outcomes = outcome_rows(taxonomy, rows, present, unusable)
        for column in taxonomy.column_ids:
            parts = [rows[r].get(column) for r in outcomes]
            total = rows.get("total", {}).get(column)
            if not tally.usable((r, column) for r in ["total", *outcomes]):
                continue
            if total is None or all(v is None for v in parts):
                continue
            tally.checked += 1
            summed = _sum(parts) or 0
            if summed != total:
                tally.failures.append({"column": column, "total": total,
                                       "sum_of_outcomes": summed})
    return tally.verdict()


def _check_group_sum(
    taxonomy: Taxonomy, rows: Rows, present: set[str], unknown: frozenset[str],
    unusable: Unusable,
) -> Check:
    """A filled group row (三、不予公开 …) against the sub-rows printed under it."""
    tally = _Tally("group_sum", unusable)
    for group in taxonomy.groups:
        leaves = [leaf.id for leaf in taxonomy.leaves_of(group.id) if leaf.id != group.id]
        if group.id not in present or not leaves or not _row_filled(rows, group.id, unusable):
            continue
        given = [leaf for leaf in leaves
                 if leaf in present and _row_filled(rows, leaf, unusable)]
        if not given or ({group.id, *leaves} & unknown):
            continue
        for column in taxonomy.column_ids:
            value = rows[group.id].get(column)
            parts = [rows[leaf].get(column) for leaf in given]
            if not tally.usable((r, column) for r in [group.id, *given]):
                continue
            if value is None or all(v is None for v in parts):
                continue
            tally.checked += 1
            summed = _sum(parts) or 0
            if summed != value:
                tally.failures.append({"row": group.id, "column": column, "group": value,
                                       "sum_of_leaves": summed})
    return tally.verdict()


def _check_column_sum(taxonomy: Taxonomy, rows: Rows, present: set[str],
                      unusable: Unusable) -> Check:
    """Each row's 总计 cell against its six applicant columns."""
    tally = _Tally("column_sum", unusable)
    applicants = taxonomy.applicant_column_ids
    for row_id in taxonomy.request_row_ids():
        row = rows.get(row_id)
        if row_id not in present or not row:
            continue
        if not tally.usable((row_id, c) for c in [*applicants, "total"]):
            continue
        parts = [row.get(c) for c in applicants]
        if row.get("total") is None or all(v is None for v in parts):
            continue
        tally.checked += 1
        summed = _sum(parts) or 0
        if summed != row["total"]:
            tally.failures.append({"row": row_id, "total": row["total"],
                                   "sum_of_applicants": summed})
    return tally.verdict()


_RESULTS = ("upheld", "corrected", "other", "pending")


def check_review(table: dict[str, dict[str, Number]] | None,
                 unusable: Unusable = _NONE) -> Check:
    """Each 复议/诉讼 block's 总计 against its four results."""
    if not table:
        return _unchecked("review_litigation_sum", "check.no_review_table")
    tally = _Tally("review_litigation_sum", unusable)
    for block, cells in table.items():
        if not tally.usable((block, c) for c in [*_RESULTS, "total"]):
            continue
        if cells.get("total") is None:
            continue
        tally.checked += 1
        summed = _sum([cells.get(c) for c in _RESULTS]) or 0
        if summed != cells["total"]:
            tally.failures.append({"block": block, "total": cells["total"],
                                   "sum_of_results": summed})
    return tally.verdict()


# --- narrative figures --------------------------------------------------------------------


def narrative_figures(paragraphs: list[str], taxonomy: Taxonomy | None = None,
                      ) -> list[dict[str, Any]]:
    """Figures that narrative sentences state for the table's rows (予以公开6件, 3件不予公开,
    未出现无法提供的情形 …), read by :mod:`gongkai.figures`, which also decides which
    sentences count requests at all."""
    found: list[dict[str, Any]] = []
    for text in paragraphs:
        plain = normalize(text)
        for figure in figures.stated_figures(text, taxonomy=taxonomy):
            found.append({"row": figure.row, "narrative": figure.value,
                          "text": plain[max(0, figure.start - 10):figure.end],
                          "figure": plain[figure.start:figure.end],
                          "sentence": figure.sentence})
    return found


def check_narrative(
    taxonomy: Taxonomy,
    rows: Rows,
    present: set[str],
    paragraphs: list[str],
    unknown: frozenset[str] = frozenset(),
    unusable: Unusable = _NONE,
) -> Check:
    """Each figure the narrative states against the 总计 cell of its row; a failure names
    the sentence, the figure and the cell."""
    if not present:
        return _unchecked("narrative", "check.no_table", compared=[])
    tally = _Tally("narrative", unusable)
    compared: list[dict[str, Any]] = []
    for figure in narrative_figures(paragraphs, taxonomy):
        row_id = figure["row"]
        if row_id in unknown or taxonomy_group_members(taxonomy, row_id) & unknown:
            continue
        if not tally.usable(_figure_cells(taxonomy, rows, present, row_id, unusable)):
            continue
        table_value = _table_figure(taxonomy, rows, present, row_id)
        if table_value is None:
            continue
        entry = {**figure, "table": table_value, "cell": {"row": row_id, "column": "total"}}
        compared.append(entry)
        tally.checked += 1
        if figure["narrative"] != table_value:
            columns = [
                c
                for c, v in rows.get(row_id, {}).items()
                if v == figure["narrative"] and c != "total"
            ]
            if columns:
                entry["matches_column"] = columns[0]
            tally.failures.append(entry)
    if not compared and not tally.skipped:
        return _unchecked("narrative", "check.no_figures", compared=[])
    return tally.verdict(compared=compared)


def taxonomy_group_members(taxonomy: Taxonomy, row_id: str) -> set[str]:
    return {leaf.id for leaf in taxonomy.leaves if leaf.group == row_id}


def _figure_rows(taxonomy: Taxonomy, rows: Rows, present: set[str], row_id: str,
                 unusable: Unusable = _NONE) -> list[str]:
    """The rows whose 总计 make the table's figure for ``row_id``: the row itself where it is
    filled in, else the leaves of its group that are."""
    if row_id in present and _row_filled(rows, row_id, unusable):
        return [row_id]
    leaves = [leaf.id for leaf in taxonomy.leaves if leaf.group == row_id and leaf.id != row_id]
    return [leaf for leaf in leaves if leaf in present and _row_filled(rows, leaf, unusable)]


def _figure_cells(taxonomy: Taxonomy, rows: Rows, present: set[str], row_id: str,
                  unusable: Unusable) -> list[Cell]:
    """The cells the table's figure for ``row_id`` is read from: each row's 总计, or its
    applicant columns where the 总计 is blank."""
    cells: list[Cell] = []
    for rid in _figure_rows(taxonomy, rows, present, row_id, unusable):
        cells.append((rid, "total"))
        if (rows.get(rid) or {}).get("total") is None:
            cells += [(rid, c) for c in taxonomy.applicant_column_ids]
    return cells


def _table_figure(taxonomy: Taxonomy, rows: Rows, present: set[str], row_id: str) -> Number:
    """The table's 总计 for a row; a group without its own row sums its leaves."""

    def total_of(rid: str) -> Number:
        row = rows.get(rid) or {}
        if row.get("total") is not None:
            return row["total"]
        return _sum([row.get(c) for c in taxonomy.applicant_column_ids])

    given = _figure_rows(taxonomy, rows, present, row_id)
    if given == [row_id]:
        return total_of(row_id)
    if given:
        return _sum([total_of(leaf) for leaf in given])
    return None
