"""The side tables: section 二 (主动公开, its columns name the template) and section 四
(行政复议, 行政诉讼: fifteen numbers in one row)."""

from __future__ import annotations

from collections import Counter

from gongkai.messages import Note
from gongkai.reader.align import expand_collapsed
from gongkai.reader.cells import (
    Segment,
    detect_layout,
    is_label,
    line_cells,
    normalize,
    parse_value,
    segments,
    squash,
)
from gongkai.reader.counts import DEFAULT_MAX_COUNT, cell_number, shown_values

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


def _proactive_row(label: str) -> str | None:
    text = squash(label)
    return next(
        (rid for rid, names in PROACTIVE_ROWS.items() if any(n in text for n in names)), None
    )


def parse_proactive_table(
    lines: list[str], template: str | None, max_count: int = DEFAULT_MAX_COUNT,
) -> tuple[dict[str, dict[str, int | float | None]], list[Note]]:
    """Rows of the 二 table keyed by stable ids; column names follow the detected template.

    Numbers go to columns by position where blank cells show; where they do not, a row
    with fewer numbers than columns is left null. Blank rows printed before a row run
    into its label path and stay blank. A figure over ``max_count`` is left null, noted.
    """
    rows: dict[str, dict[str, int | float | None]] = {}
    notes: list[Note] = []
    for segment in segments(lines):
        named = [rid for rid in map(_proactive_row, segment.labels) if rid]
        if not named or named[-1] in rows:
            continue
        names = PROACTIVE_COLUMNS.get(template or "", {}).get(named[-1])
        for blank in named[:-1]:
            columns = PROACTIVE_COLUMNS.get(template or "", {}).get(blank) or []
            rows.setdefault(blank, dict.fromkeys(columns))
        rows[named[-1]] = _proactive_values(named[-1], segment, names, notes, max_count)
    return rows, notes


def _proactive_values(
    row_id: str, segment: Segment, names: list[str] | None, notes: list[Note], max_count: int,
) -> dict[str, int | float | None]:
    cells = list(segment.cells)

    def number(column: str, cell: str) -> int | float | None:
        where = {"table": "proactive", "row": row_id, "column": column}
        value = parse_value(cell)  # letters in 二 stay null without a word, as before
        return None if value.invalid else cell_number(cell, where, max_count, notes, False)

    numbers = [c for c in cells if c.strip()]
    if names is None:
        return {f"value_{i + 1}": number(f"value_{i + 1}", c) for i, c in enumerate(numbers)}
    if segment.collapsed:  # its single trailing blank is exact: expand before trimming
        cells = expand_collapsed(cells + [""] * (len(names) - len(cells)), len(names)) or []
    while cells and not cells[-1].strip():
        cells.pop()
    if not segment.gaps_visible:
        cells = [c for c in cells if c.strip()] if len(numbers) == len(names) else []
    if (len(cells) > len(names) or not cells) and numbers:
        notes.append(Note("reader.warn.proactive_columns", {
            "row": row_id, "numbers": len(numbers), "columns": len(names),
            "values": shown_values(numbers)}))
        return dict.fromkeys(names)
    cells += [""] * (len(names) - len(cells))
    return {name: number(name, cell) for name, cell in zip(names, cells, strict=False)}


# --- 四 复议诉讼 -----------------------------------------------------------------------------

REVIEW_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def parse_review_table(
    lines: list[str], max_count: int = DEFAULT_MAX_COUNT,
) -> tuple[dict[str, dict[str, int | float | None]] | None, list[Note]]:
    """The 15 numbers of 四, after its header words; None when there is no such row.

    A line of exactly fifteen cells without a label (tabs, ``|`` rows, a Word, HTML or
    ruled PDF grid) is read by position, blank cells included; otherwise only fifteen
    numbers are placed.
    """
    layout = detect_layout(lines)
    grid = []
    for line, cells in zip(lines, line_cells(lines, layout), strict=True):
        if layout == "pipe_rows" and "|||" in line:
            cells = expand_collapsed(cells, 15) or []
        if len(cells) == 15 and not any(map(is_label, cells)):
            grid.append(cells)  # blank cells too: a row left blank is a row of blanks
    last = next((s for s in reversed(segments(lines, layout)) if s.cells), Segment(labels=[]))
    filled = [c for c in last.cells if c.strip()]
    if grid and layout in ("tab", "pipe_rows"):
        chosen = [normalize(c) for c in grid[-1]]
    elif len(last.cells) == 15 and last.gaps_visible and layout not in ("tab", "pipe_rows"):
        chosen = last.cells  # one cell per line, blank cells shown: by position
    elif len(filled) == 15:
        chosen = filled
    elif not filled:
        return None, []
    else:
        return None, [Note("reader.warn.review_columns", {
            "numbers": len(filled), "values": shown_values(filled)})]
    notes: list[Note] = []
    table: dict[str, dict[str, int | float | None]] = {}
    for b, block in enumerate(REVIEW_BLOCKS):
        table[block] = {
            column: cell_number(chosen[b * 5 + c], {
                "table": "review_litigation", "row": block, "column": column}, max_count, notes)
            for c, column in enumerate(REVIEW_COLUMNS)}
    return table, notes
