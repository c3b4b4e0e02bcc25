"""What a report prints: number formatting and the section 三 table as printed.

A correct reader recovers exactly what these functions say is printed, so the
expected records (``checks``) are built from them rather than from the spec.
"""

from __future__ import annotations

import re
import zlib

from gongkai.synth.spec import (
    COLUMN_IDS,
    ReportFlags,
    ReportSpec,
    RequestTable,
    Value,
    group_of,
    group_sums,
    leaf_groups,
    outcome_rows,
    table_rows,
)

_FULLWIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "："})
_HALFWIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":"})
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)][^。；;]{0,30}$")


def punct(text: str, fullwidth: bool) -> str:
    """``text`` with fullwidth or ASCII brackets, commas and colons."""
    return text.translate(_FULLWIDTH) if fullwidth else text.translate(_HALFWIDTH)


def fmt_number(value: int | float | None, flags: ReportFlags, key: str = "") -> str:
    """Print one number as the report would (``key`` picks cells for stray spaces)."""
    if value is None:
        return ""
    if value == 0 and flags.blank_zeros:
        return ""
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:.4f}".rstrip("0").rstrip(".")
    else:
        text = str(int(value))
    digits = text.lstrip("-")
    stray = flags.stray_number_spaces and (not key or zlib.crc32(key.encode()) % 3 == 0)
    if stray and len(digits) >= 2 and digits.isdigit():
        cut = len(text) - len(digits) + 1
        text = text[:cut] + " " + text[cut:]
    return text


def _parse_printed(text: str) -> int | None:
    """Number a correct reader recovers from a printed cell (None: blank or junk)."""
    cleaned = re.sub(r"[\s\u00a0\u3000]", "", text)
    return int(cleaned) if cleaned.isdigit() else None


def is_subheading(paragraph: str) -> bool:
    """True for a short sub-heading paragraph such as （一）主动公开情况."""
    return bool(_SUBHEADING.match(paragraph.strip()))


def printed_row_ids(spec: ReportSpec) -> list[str]:
    """Row ids of section 三 in the order the report prints them."""
    flags = spec.flags
    groups = leaf_groups(spec.template)
    ids: list[str] = []
    for row in table_rows(spec.template):
        if row == "carried_forward" and flags.omit_carried_forward:
            continue
        group = group_of(row)
        if flags.group_subtotals and group in groups and row == groups[group][0]:
            ids.append(group)
        ids.append(row)
    if flags.truncate_after is not None and flags.truncate_after in ids:
        ids = ids[: ids.index(flags.truncate_after) + 1]
    return ids


def row_values(spec: ReportSpec, row_id: str) -> dict[str, Value]:
    """True values of a section 三 row; group rows are summed from their leaves."""
    if row_id in spec.requests:
        return spec.requests[row_id]
    return group_sums(spec.requests, spec.template).get(row_id, {})


def cell_text(spec: ReportSpec, row_id: str, column: str) -> str:
    """Text printed in one cell of the section 三 table."""
    flags = spec.flags
    if (row_id, column) in flags.cell_overrides:
        return flags.cell_overrides[(row_id, column)]
    if flags.total_column_only and column != "total":
        return ""
    if flags.blank_leaf_totals and column == "total" and row_id in outcome_rows(spec.template):
        return ""
    return fmt_number(row_values(spec, row_id).get(column), flags, f"{row_id}|{column}")


def printed_requests(spec: ReportSpec) -> RequestTable:
    """The section 三 table as printed: blank or junk cells None, missing rows absent."""
    if "三" not in spec.sections:
        return {}
    return {
        row: {c: _parse_printed(cell_text(spec, row, c)) for c in COLUMN_IDS}
        for row in printed_row_ids(spec)
    }


def printed_review(spec: ReportSpec) -> list[Value]:
    """The 15 numbers of section 四 as printed."""
    return [_parse_printed(fmt_number(v, spec.flags)) for v in spec.review_litigation]


def collapsed_recoverable(spec: ReportSpec, row_id: str) -> bool:
    """In the collapsed layout every run of blank cells becomes ``|||||||``, except one
    blank last cell (a single trailing ``|``). With one such run in a row its length is
    what the seven columns leave over; with two, how the blanks split is lost."""
    blanks = [cell_text(spec, row_id, c).strip() == "" for c in COLUMN_IDS]
    runs = sum(1 for i, blank in enumerate(blanks) if blank and (i == 0 or not blanks[i - 1]))
    if blanks[-1] and not blanks[-2]:
        runs -= 1  # a single blank 总计 cell keeps its own ``|``
    return runs <= 1
