"""Parse the three statistics tables: 二 (主动公开), 三 (申请办理) and 四 (复议诉讼)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from gongkai.reader.cells import Segment, parse_value, segments, squash
from gongkai.taxonomy import Taxonomy

N_VALUES = 7
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
    warnings: list[str] = field(default_factory=list)


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
    for cell in labels:
        text = prefix + cell
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


def _group_of(taxonomy: Taxonomy, row_id: str) -> str | None:
    try:
        return taxonomy.group_of(row_id)
    except KeyError:
        return None


def _filled_positions(cells: list[str]) -> list[int]:
    return [i for i, c in enumerate(cells) if c.strip()]


def parse_requests_table(
    lines: list[str], taxonomy: Taxonomy, structured: bool = False
) -> RequestsTable:
    """Rows × columns of the 三 table; blank cells stay None and unrecoverable rows say so."""
    matcher = RowMatcher(taxonomy)
    table = RequestsTable(found=False, rows={})
    raw_rows = _labelled_rows(lines, matcher, table.warnings)
    if not raw_rows:
        return table
    table.found = True
    learned, width = _complete_row_shape(raw_rows)
    for row_id, segment in raw_rows:
        if row_id in table.present:
            table.warnings.append(f"row {row_id} appears twice; the first one is kept")
            continue
        table.present.add(row_id)
        _add_row(table, row_id, _align(segment, learned, width, structured), taxonomy.column_ids)
    return table


def _labelled_rows(
    lines: list[str], matcher: RowMatcher, warnings: list[str]
) -> list[tuple[str, Segment]]:
    """Segments with the row id their labels name; rows run together before one stay blank."""
    raw_rows: list[tuple[str, Segment]] = []
    context: str | None = None
    carry = ""
    for segment in segments(lines):
        labels = segment.labels
        if carry and labels:
            labels = [carry + labels[0], *labels[1:]]
        ids, context, carry = _identify_labels(matcher, labels, context)
        if not ids:
            if _filled_positions(segment.cells):
                warnings.append(
                    f"unknown row label {segment.label!r}: its values are ignored"
                    if segment.label
                    else "values without a row label are ignored"
                )
            continue
        raw_rows.extend((blank_id, Segment(labels=[blank_id], cells=[])) for blank_id in ids[:-1])
        raw_rows.append((ids[-1], segment))
    return raw_rows


def _is_complete(filled: list[int]) -> bool:
    """Seven adjacent filled cells: a row whose value columns need no guessing."""
    return len(filled) == N_VALUES and filled[-1] - filled[0] == N_VALUES - 1


def _complete_row_shape(raw_rows: list[tuple[str, Segment]]) -> tuple[int | None, int | None]:
    """Where values start and how wide lines are in the complete rows, to place the others."""
    offsets: Counter[int] = Counter()
    widths: Counter[int | None] = Counter()
    for _, segment in raw_rows:
        positions = _filled_positions(segment.cells)
        if _is_complete(positions):
            offsets[positions[0]] += 1
            widths[segment.line_width] += 1
    learned = offsets.most_common(1)[0][0] if offsets else None
    width = widths.most_common(1)[0][0] if widths else None
    return learned, width


def _add_row(
    table: RequestsTable, row_id: str, values: list[str] | None, columns: list[str]
) -> None:
    """Store a row's numbers by column; unplaceable or unreadable values become null, noted."""
    if values is None:
        table.unrecoverable.add(row_id)
        table.rows[row_id] = dict.fromkeys(columns)
        table.warnings.append(
            f"row {row_id}: the columns of its numbers cannot be recovered "
            f"(blank cells not represented); values left null"
        )
        return
    row: dict[str, int | float | None] = {}
    for column, cell in zip(columns, values, strict=True):
        value = parse_value(cell)
        if value.invalid:
            table.warnings.append(
                f"row {row_id}, column {column}: {value.raw!r} is not a number; left null"
            )
        row[column] = value.number
    table.rows[row_id] = row


def _align(
    segment: Segment, learned: int | None, width: int | None, structured: bool
) -> list[str] | None:
    """Pick the 7 value cells of a row, or None when their columns cannot be known.

    ``learned`` is where values start after the label in the table's complete rows and
    ``width`` how many cells the lines of those rows have; a ``|``-joined line of another
    width had its blank cells collapsed, so its numbers cannot be placed.
    """
    cells = segment.cells
    filled = _filled_positions(cells)
    if not filled:
        return [""] * N_VALUES
    complete = _is_complete(filled)
    if segment.layout == "pipe_rows" and width is not None and not complete:
        if segment.line_width != width:
            return None
        structured = True  # a rectangular | grid: the values are its last seven cells
    if not segment.gaps_visible:
        if len(filled) == N_VALUES:
            return [cells[i] for i in filled]
        return None
    first, last = filled[0], filled[-1]
    if last - first >= N_VALUES:
        values = [cells[i] for i in filled]
        return values[-N_VALUES:] if len(values) >= N_VALUES else None
    candidates = list(range(max(0, last - N_VALUES + 1), first + 1))
    padded = cells + [""] * N_VALUES

    def window(start: int) -> list[str]:
        return padded[start : start + N_VALUES]

    if len(candidates) == 1:
        return window(candidates[0])
    if structured:
        right = len(cells) - N_VALUES
        if right in candidates:
            return window(right)
    if learned is not None and learned in candidates:
        return window(learned)
    if len(cells) == N_VALUES:
        return window(0)
    consistent = [s for s in candidates if _total_consistent(window(s))]
    if len(consistent) == 1:
        return window(consistent[0])
    return None


def _total_consistent(values: list[str]) -> bool:
    numbers = [parse_value(v).number for v in values]
    if numbers[-1] is None:
        return False
    return sum(n or 0 for n in numbers[:-1]) == numbers[-1]


# --- 二 主动公开 -----------------------------------------------------------------------------

PROACTIVE_ROWS = {
    "regulations": ("规章",),
    "normative_documents": ("规范性文件",),
    "administrative_licensing": ("行政许可",),
    "other_services": ("其他对外管理服务事项", "其他对外管理服务"),
    "administrative_penalty": ("行政处罚",),
    "administrative_coercion": ("行政强制",),
    "administrative_fees": ("行政事业性收费",),
    "centralized_procurement": ("政府集中采购",),
}

PROACTIVE_COLUMNS = {
    "2019": {
        "regulations": ["new_made", "new_published", "total_published"],
        "normative_documents": ["new_made", "new_published", "total_published"],
        "administrative_licensing": ["previous_count", "change", "decisions"],
        "other_services": ["previous_count", "change", "decisions"],
        "administrative_penalty": ["previous_count", "change", "decisions"],
        "administrative_coercion": ["previous_count", "change", "decisions"],
        "administrative_fees": ["previous_count", "change"],
        "centralized_procurement": ["projects", "amount"],
    },
    "2021": {
        "regulations": ["issued", "repealed", "in_force"],
        "normative_documents": ["issued", "repealed", "in_force"],
        "administrative_licensing": ["decisions"],
        "other_services": ["decisions"],
        "administrative_penalty": ["decisions"],
        "administrative_coercion": ["decisions"],
        "administrative_fees": ["amount"],
        "centralized_procurement": ["projects", "amount"],
    },
}

TEMPLATE_MARKERS = {
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "采购项目数量",
        "采购总金额",
        "政府集中采购",
    ),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
}


def proactive_template_votes(lines: list[str]) -> Counter:
    text = squash("".join(lines))
    votes: Counter = Counter()
    for template, markers in TEMPLATE_MARKERS.items():
        for marker in markers:
            if squash(marker) in text:
                votes[template] += 1
    return votes


def parse_proactive_table(
    lines: list[str], template: str | None
) -> tuple[dict[str, dict[str, int | float | None]], list[str]]:
    """Rows of the 二 table keyed by stable ids; column names follow the detected template."""
    rows: dict[str, dict[str, int | float | None]] = {}
    warnings: list[str] = []
    for segment in segments(lines):
        label = squash(segment.label)
        row_id = next(
            (rid for rid, names in PROACTIVE_ROWS.items() if any(n in label for n in names)),
            None,
        )
        if row_id is None or row_id in rows:
            continue
        filled = [parse_value(c) for c in segment.cells if c.strip()]
        numbers = [v.number for v in filled]
        names = PROACTIVE_COLUMNS.get(template or "", {}).get(row_id)
        if names is None:
            names = [f"value_{i + 1}" for i in range(len(numbers))]
        if numbers and len(numbers) != len(names):
            warnings.append(
                f"proactive row {row_id}: {len(numbers)} numbers for {len(names)} columns"
            )
        rows[row_id] = {
            name: (numbers[i] if i < len(numbers) else None) for i, name in enumerate(names)
        }
    return rows, warnings


# --- 四 复议诉讼 -----------------------------------------------------------------------------

REVIEW_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def parse_review_table(
    lines: list[str],
) -> tuple[dict[str, dict[str, int | float | None]] | None, list[str]]:
    """The 15 numbers of 四, after its header words; None when there is no such row."""
    cells: list[str] = []
    gaps_visible = True
    for segment in segments(lines):
        if segment.cells and any(c.strip() for c in segment.cells):
            cells = segment.cells
            gaps_visible = segment.gaps_visible
    while cells and not cells[-1].strip():
        cells.pop()
    if not cells:
        return None, []
    filled = [c for c in cells if c.strip()]
    if len(filled) == 15:
        chosen = filled
    elif gaps_visible and len(cells) >= 15:
        chosen = cells[-15:]
    else:
        return None, [
            f"review/litigation table: {len(filled)} numbers for 15 columns; "
            "the columns cannot be recovered"
        ]
    warnings: list[str] = []
    table: dict[str, dict[str, int | float | None]] = {}
    for b, block in enumerate(REVIEW_BLOCKS):
        table[block] = {}
        for c, column in enumerate(REVIEW_COLUMNS):
            value = parse_value(chosen[b * 5 + c])
            if value.invalid:
                warnings.append(
                    f"review/litigation {block}.{column}: {value.raw!r} is not a number"
                )
            table[block][column] = value.number
    return table, warnings
