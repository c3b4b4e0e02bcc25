"""Parse the three statistics tables: 二 (主动公开), 三 (申请办理) and 四 (复议诉讼)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.messages import Note
from gongkai.reader.align import RowCells, filled, place_rows
from gongkai.reader.cells import (
    Segment,
    detect_layout,
    heading_column,
    segments,
    squash,
    trailing_cells_kept,
)
from gongkai.reader.counts import DEFAULT_MAX_COUNT, cell_number, shown_values
from gongkai.taxonomy import Taxonomy

_MARKER_ONLY = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.,]|\([一二三四五六七八九十]+\)|\d+[.、]?)$"
)
_HEADER_WORDS = (
    "勾稽",
    "本列数据",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "信息内容",
)


@dataclass
class RequestsTable:
    found: bool
    rows: dict[str, dict[str, int | float | None]]
    present: set[str] = field(default_factory=set)
    unrecoverable: set[str] = field(default_factory=set)
    notes: list[Note] = field(default_factory=list)


class RowMatcher:
    """Recognise a row label of the 三 table from the taxonomy's keywords."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.row_keywords = [(row.id, row.keywords) for row in taxonomy.rows]
        self.leaf_keywords = [
            (leaf.id, tuple(squash(k) for k in leaf.keywords))
            for leaf in taxonomy.leaves
            if leaf.id != "other/other"
        ]
        self.group_names = [(g.id, g.name) for g in taxonomy.groups]

    def match(self, text: str, group_context: str | None) -> str | None:
        label = squash(text)
        is_header = not label or any(word in label for word in _HEADER_WORDS)
        if is_header and not any(
            k in label for _, ks in self.row_keywords for k in ks if k != "总计"
        ):
            return None
        for row_id in ("carried_forward", "carried_over", "new_received"):
            keywords = dict(self.row_keywords)[row_id]
            if any(k in label for k in keywords):
                return row_id
        bare_total = label.startswith("总计") and len(label) <= 4 and group_context is not None
        if "总计" in label and ("(七)" in label or bare_total):
            return "total"
        hits = [
            (max(label.rfind(k) for k in keywords if k in label), leaf_id)
            for leaf_id, keywords in self.leaf_keywords
            if any(k in label for k in keywords)
        ]
        if hits:
            return max(hits)[1]
        for group_id, name in self.group_names:
            if name in label:
                return group_id
        if group_context == "other" and re.fullmatch(r"(\d+[.、]?)?其他", label):
            return "other/other"
        return None


def _identify_labels(
    matcher: RowMatcher, labels: list[str], context: str | None
) -> tuple[list[str], str | None, str]:
    """Row ids named by a label path (several when blank rows ran together), new context, rest."""
    found: list[str] = []
    prefix = ""
    in_heading = False
    for cell in labels:
        text = prefix + cell
        if _is_heading(text, in_heading):
            in_heading, prefix = True, ""
            continue  # a heading row, also one repeated after a page break
        in_heading = False
        row_id = matcher.match(text, context)
        if row_id is None and prefix:
            row_id = matcher.match(cell, context)
        if row_id is None:
            prefix = text if _MARKER_ONLY.match(squash(text)) else ""
            continue
        prefix = ""
        group = _group_of(matcher.taxonomy, row_id)
        if group:
            context = group
        if found and found[-1] == row_id:
            continue
        if found and _group_of(matcher.taxonomy, found[-1]) == row_id == found[-1]:
            continue
        found.append(row_id)
    # a group row followed by its first leaf is one row path: (三)不予公开 1.属于国家秘密
    collapsed: list[str] = []
    for row_id in found:
        if collapsed and collapsed[-1] == _group_of(matcher.taxonomy, row_id) != row_id:
            collapsed[-1] = row_id
        else:
            collapsed.append(row_id)
    return collapsed, context, prefix


_COLUMN_WORDS = ("总计", "其他", "合计")


def _is_heading(text: str, in_heading: bool) -> bool:
    """A column heading (申请人情况, 自然人 …); a bare 总计 or 其他 is one right after one."""
    label = squash(text)
    if any(word in label for word in _HEADER_WORDS):
        return not any(k in label for k in ("本年新收", "上年结转", "结转下年"))
    return in_heading and label in _COLUMN_WORDS


def _group_of(taxonomy: Taxonomy, row_id: str) -> str | None:
    try:
        return taxonomy.group_of(row_id)
    except KeyError:
        return None


def parse_requests_table(
    lines: list[str], taxonomy: Taxonomy, structured: bool = False,
    max_count: int = DEFAULT_MAX_COUNT,
) -> RequestsTable:
    """Rows × columns of the 三 table; blank cells stay None and unrecoverable rows say so.

    ``structured``: the lines come from a grid (HTML, Word, a ruled PDF table) that keeps
    every column of every row. A cell over ``max_count`` is left None, a negative one kept;
    both are noted (and so kept out of the checks).
    """
    matcher = RowMatcher(taxonomy)
    table = RequestsTable(found=False, rows={})
    layout = detect_layout(lines)
    kept: list[tuple[str, Segment]] = []
    for row_id, segment in _labelled_rows(lines, layout, matcher, table.notes):
        if row_id in table.present:
            table.notes.append(Note("reader.warn.row_twice", {"row": row_id}))
            continue
        table.present.add(row_id)
        kept.append((row_id, segment))
    if not kept:
        return table
    table.found = True
    placed = place_rows(
        [_placement(segment) for _, segment in kept],
        heading_column(lines, layout),
        structured or trailing_cells_kept(lines, layout),
    )
    for (row_id, _), values in zip(kept, placed, strict=True):
        _add_row(table, row_id, values, taxonomy.column_ids, max_count, segment)
    return table


def _placement(segment: Segment) -> RowCells:
    return RowCells(
        cells=segment.cells,
        start=segment.start,
        lone_label_at_zero=segment.lone_label_at_zero,
        gaps_visible=segment.gaps_visible,
        collapsed=segment.collapsed,
    )


def _labelled_rows(
    lines: list[str], layout: str, matcher: RowMatcher, notes: list[Note]
) -> list[tuple[str, Segment]]:
    """Segments with the row id their labels name; rows run together before one stay blank."""
    raw_rows: list[tuple[str, Segment]] = []
    context: str | None = None
    carry = ""
    for segment in segments(lines, layout):
        labels = segment.labels
        if carry and labels:
            labels = [carry + labels[0], *labels[1:]]
        ids, context, carry = _identify_labels(matcher, labels, context)
        if not ids:
            if filled(segment.cells):
                values = shown_values(segment.cells)
                notes.append(
                    Note("reader.warn.row_unknown_label", {"label": segment.label,
                                                           "values": values})
                    if segment.label
                    else Note("reader.warn.row_no_label", {"values": values})
                )
            continue
        raw_rows.extend((blank_id, Segment(labels=[blank_id], cells=[])) for blank_id in ids[:-1])
        raw_rows.append((ids[-1], segment))
    return raw_rows


def _add_row(
    table: RequestsTable, row_id: str, values: list[str] | None, columns: list[str],
    max_count: int, segment: Segment,
) -> None:
    """Store a row's numbers by column; unplaceable or unreadable values become null, noted."""
    if values is None:
        table.unrecoverable.add(row_id)
        table.rows[row_id] = dict.fromkeys(columns)
        table.notes.append(Note("reader.warn.row_unplaced", {
            "row": row_id, "values": shown_values(segment.cells)}))
        return
    table.rows[row_id] = {
        column: cell_number(cell, {"table": "requests", "row": row_id, "column": column},
                            max_count, table.notes)
        for column, cell in zip(columns, values, strict=True)
    }
