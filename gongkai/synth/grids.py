"""The three statistics tables as grids of (possibly merged) cells.

Every output format draws its tables from these grids, so a merged cell means
the same thing in HTML, Word, PDF and the text layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.synth.labels import (
    ACTIVE_HEADERS,
    ACTIVE_ROWS,
    COLUMN_NAMES,
    GROUP_LABELS,
    IDENTITY_NOTE,
    LEAF_LABELS,
    RESULT_LABEL,
    REVIEW_RESULTS,
    ROW_LABELS,
)
from gongkai.synth.printed import cell_text, fmt_number, printed_row_ids, punct
from gongkai.synth.spec import APPLICANT_COLUMNS, COLUMN_IDS, ReportSpec, leaf_groups

_MARKER_LABEL = re.compile(r"^([（(][一二三四五六七][）)])(.+)$")


@dataclass
class Cell:
    """One table cell placed at ``col``; spans go right and down."""

    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    numeric: bool = False


@dataclass
class Grid:
    """A table: ``rows[i]`` lists the cells that start in row ``i``."""

    kind: str
    width: int
    rows: list[list[Cell]]

    def full_rows(self) -> list[list[str]]:
        """Every grid position; positions covered by a merged cell are ''."""
        out = [[""] * self.width for _ in self.rows]
        for i, row in enumerate(self.rows):
            for cell in row:
                out[i][cell.col] = cell.text
        return out


@dataclass
class RequestRow:
    """One printed row of section 三 with the labels and spans around it."""

    row_id: str
    kind: str  # top | outcome | group | leaf
    label: str
    values: list[str]
    result_label: str = ""
    group_label: str = ""
    first_leaf: bool = False
    span: int = 1
    result_span: int = 1


def _marker_label(text: str, spec: ReportSpec) -> str:
    text = punct(text, spec.flags.fullwidth)
    if spec.flags.split_labels:
        m = _MARKER_LABEL.match(text)
        if m:
            head, rest = m.group(1), m.group(2)
            paren = rest.find("(") if "(" in rest else rest.find("（")
            if paren > 0:
                return f"{head}{rest[:paren]}\n{rest[paren:]}"
            return f"{head}\n{rest}"
    return text


def _leaf_label(spec: ReportSpec, row_id: str) -> str:
    label = LEAF_LABELS[row_id]
    if row_id == "withhold/law_forbidden" and spec.flags.short_law_label:
        label = "2.其他法律法规禁止公开"
    return punct(label, spec.flags.fullwidth)


def _request_row(spec: ReportSpec, rid: str, groups: dict[str, tuple[str, ...]]) -> RequestRow:
    values = [cell_text(spec, rid, c) for c in COLUMN_IDS]
    if rid in ("new_received", "carried_over", "carried_forward"):
        return RequestRow(rid, "top", ROW_LABELS[rid], values)
    if rid == "total":
        return RequestRow(rid, "outcome", _marker_label(ROW_LABELS[rid], spec), values)
    if rid in groups:
        return RequestRow(rid, "group", _marker_label(GROUP_LABELS[rid], spec), values)
    if rid in GROUP_LABELS:
        return RequestRow(rid, "outcome", _marker_label(GROUP_LABELS[rid], spec), values)
    return RequestRow(rid, "leaf", _leaf_label(spec, rid), values)


def request_rows(spec: ReportSpec) -> list[RequestRow]:
    """Printed rows of section 三, with the 办理结果 and group label spans set."""
    groups = leaf_groups(spec.template)
    rows = [_request_row(spec, rid, groups) for rid in printed_row_ids(spec)]
    body = [r for r in rows if r.kind != "top"]
    if body:
        body[0].result_label = RESULT_LABEL
        body[0].result_span = len(body)
    for group, members in groups.items():
        printed = [r for r in rows if r.row_id in members]
        if printed:
            printed[0].first_leaf = True
            printed[0].span = len(printed)
            if not spec.flags.group_subtotals:
                printed[0].group_label = _marker_label(GROUP_LABELS[group], spec)
    return rows


def _request_cells(r: RequestRow) -> list[Cell]:
    cells: list[Cell] = []
    if r.kind == "top":
        cells.append(Cell(0, r.label, colspan=3))
    else:
        if r.result_label:
            cells.append(Cell(0, r.result_label, rowspan=r.result_span))
        if r.kind in ("outcome", "group"):
            cells.append(Cell(1, r.label, colspan=2))
        else:
            if r.first_leaf:
                cells.append(Cell(1, r.group_label, rowspan=r.span))
            cells.append(Cell(2, r.label))
    cells.extend(Cell(3 + i, v, numeric=True) for i, v in enumerate(r.values))
    return cells


def requests_grid(spec: ReportSpec) -> Grid:
    """Section 三 table: 3 label columns, 7 number columns."""
    note = punct(IDENTITY_NOTE, spec.flags.fullwidth)
    names = [COLUMN_NAMES[c] for c in APPLICANT_COLUMNS[1:]]
    rows: list[list[Cell]] = [
        [
            Cell(0, note, rowspan=3, colspan=3),
            Cell(3, "申请人情况", colspan=6),
            Cell(9, "总计", rowspan=3),
        ],
        [Cell(3, "自然人", rowspan=2), Cell(4, "法人或其他组织", colspan=5)],
        [Cell(4 + i, name) for i, name in enumerate(names)],
    ]
    rows.extend(_request_cells(r) for r in request_rows(spec))
    return Grid("requests", 10, rows)


def active_grid(spec: ReportSpec) -> Grid:
    """Section 二 table, one block per 第二十条 item."""
    flags = spec.flags
    headers = ACTIVE_HEADERS[spec.template]
    rows: list[list[Cell]] = []
    current = ""
    for key, label, item in ACTIVE_ROWS[spec.template]:
        cols = headers[item]
        if item != current:
            current = item
            rows.append([Cell(0, punct(f"第二十条第{item}项", flags.fullwidth), colspan=4)])
            head = [Cell(0, "信息内容")]
            head += [Cell(1 + i, punct(h, flags.fullwidth)) for i, h in enumerate(cols)]
            if len(cols) < 3:
                head[-1].colspan = 4 - len(cols)
            rows.append(head)
        values = spec.active.get(key, [None] * len(cols))
        row = [Cell(0, label)]
        row += [Cell(1 + i, fmt_number(v, flags), numeric=True) for i, v in enumerate(values)]
        if len(values) < 3:
            row[-1].colspan = 4 - len(values)
        rows.append(row)
    return Grid("active", 4, rows)


def review_grid(spec: ReportSpec) -> Grid:
    """Section 四 table: 行政复议 and 行政诉讼, 15 numbers in one row."""
    res = REVIEW_RESULTS
    rows = [
        [Cell(0, "行政复议", colspan=5), Cell(5, "行政诉讼", colspan=10)],
        [Cell(i, res[i], rowspan=2) for i in range(5)]
        + [Cell(5, "未经复议直接起诉", colspan=5), Cell(10, "复议后起诉", colspan=5)],
        [Cell(5 + i, res[i % 5]) for i in range(10)],
        [
            Cell(i, fmt_number(v, spec.flags), numeric=True)
            for i, v in enumerate(spec.review_litigation)
        ],
    ]
    return Grid("review", 15, rows)
