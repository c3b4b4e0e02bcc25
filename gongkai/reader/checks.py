"""The arithmetic (勾稽关系) of the 三 and 四 tables, and narrative figures against the table.

Each check is one object ``{"id", "ok", "message", "values"}``; ``ok`` is ``None`` when
nothing could be checked (no table, every cell blank).  Blank cells count as 0 inside a
sum once any cell of that sum is filled, since reports write blanks for unused cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gongkai import figures
from gongkai.taxonomy import Taxonomy
from gongkai.text import normalize

Number = int | float | None
Rows = dict[str, dict[str, Number]]


@dataclass
class Check:
    id: str
    ok: bool | None
    message: str
    values: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ok": self.ok, "message": self.message, "values": self.values}


def _sum(values: list[Number]) -> Number:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _verdict(check_id: str, failures: list[dict], checked: int, what: str) -> Check:
    if checked == 0:
        return Check(check_id, None, f"{what}: nothing to check (blank cells)", {"failures": []})
    if failures:
        return Check(
            check_id, False, f"{what}: {len(failures)} of {checked} fail", {"failures": failures}
        )
    return Check(check_id, True, f"{what}: all {checked} hold", {"failures": []})


def outcome_rows(taxonomy: Taxonomy, rows: Rows, present: set[str]) -> list[str]:
    """The rows whose sum is (七)总计: each group's leaves where given, else the group row."""
    chosen: list[str] = []
    for group in taxonomy.groups:
        leaves = [leaf.id for leaf in taxonomy.leaves_of(group.id) if leaf.id != group.id]
        given = [leaf for leaf in leaves if leaf in present and _row_filled(rows.get(leaf))]
        if given:
            chosen += given
        elif group.id in present:
            chosen.append(group.id)
    return chosen


def _row_filled(row: dict[str, Number] | None) -> bool:
    return bool(row) and any(v is not None for v in row.values())


_REQUEST_CHECK_IDS = ("identity", "outcome_sum", "group_sum", "column_sum")
# rows outside the outcome sum: an unrecoverable one leaves (七)总计's parts known
_BALANCE_ROWS = frozenset({"new_received", "carried_over", "carried_forward"})
_IDENTITY_ROWS = frozenset({*_BALANCE_ROWS, "total"})


def check_requests(
    taxonomy: Taxonomy, rows: Rows, present: set[str], unknown: frozenset[str] = frozenset()
) -> list[Check]:
    """Table arithmetic; a sum that involves a row whose columns were unrecoverable is skipped."""
    if not present:
        return [
            Check(cid, None, "no 三 statistics table found", {"failures": []})
            for cid in _REQUEST_CHECK_IDS
        ]
    return [
        _check_identity(taxonomy.column_ids, rows, present, unknown),
        _check_outcome_sum(taxonomy, rows, present, unknown),
        _check_group_sum(taxonomy, rows, present, unknown),
        _check_column_sum(taxonomy, rows, present),
    ]


def _check_identity(
    columns: list[str], rows: Rows, present: set[str], unknown: frozenset[str]
) -> Check:
    """Requests in = requests out, per column; a missing 结转下年度 row counts as 0, noted."""
    forward_missing = "carried_forward" not in present
    failures: list[dict[str, Any]] = []
    checked = 0
    if _IDENTITY_ROWS.isdisjoint(unknown) and {"new_received", "total"} <= present:
        for column in columns:
            cells = [rows.get(r, {}).get(column) for r in ("new_received", "carried_over", "total")]
            forward = None if forward_missing else rows["carried_forward"].get(column)
            if all(v is None for v in [*cells, forward]):
                continue
            checked += 1
            left = (cells[0] or 0) + (cells[1] or 0)
            right = (cells[2] or 0) + (forward or 0)
            if left != right:
                failures.append(
                    {
                        "column": column,
                        "received_plus_carried_over": left,
                        "total_plus_carried_forward": right,
                    }
                )
    check = _verdict("identity", failures, checked, "本年新收 + 上年结转 = 总计 + 结转下年度")
    if forward_missing:
        check.values["note"] = "row 结转下年度继续办理 missing: counted as 0"
    return check


def _check_outcome_sum(
    taxonomy: Taxonomy, rows: Rows, present: set[str], unknown: frozenset[str]
) -> Check:
    """(七)总计 per column against its outcome rows; one unrecoverable outcome row voids all."""
    failures: list[dict[str, Any]] = []
    checked = 0
    if not unknown - _BALANCE_ROWS:
        outcomes = outcome_rows(taxonomy, rows, present)
        for column in taxonomy.column_ids:
            parts = [rows[r].get(column) for r in outcomes]
            total = rows.get("total", {}).get(column)
            if total is None or all(v is None for v in parts):
                continue
            checked += 1
            summed = _sum(parts) or 0
            if summed != total:
                failures.append({"column": column, "total": total, "sum_of_outcomes": summed})
    return _verdict("outcome_sum", failures, checked, "(七)总计 = sum of outcome rows")


def _check_group_sum(
    taxonomy: Taxonomy, rows: Rows, present: set[str], unknown: frozenset[str]
) -> Check:
    """A filled group row (三、不予公开 …) against the sub-rows printed under it."""
    failures: list[dict[str, Any]] = []
    checked = 0
    for group in taxonomy.groups:
        leaves = [leaf.id for leaf in taxonomy.leaves_of(group.id) if leaf.id != group.id]
        if group.id not in present or not leaves or not _row_filled(rows.get(group.id)):
            continue
        given = [leaf for leaf in leaves if leaf in present and _row_filled(rows.get(leaf))]
        if not given or ({group.id, *leaves} & unknown):
            continue
        for column in taxonomy.column_ids:
            value = rows[group.id].get(column)
            if value is None:
                continue
            checked += 1
            summed = _sum([rows[leaf].get(column) for leaf in given]) or 0
            if summed != value:
                failures.append(
                    {"row": group.id, "column": column, "group": value, "sum_of_leaves": summed}
                )
    return _verdict("group_sum", failures, checked, "group row = sum of its sub-rows")


def _check_column_sum(taxonomy: Taxonomy, rows: Rows, present: set[str]) -> Check:
    """Each row's 总计 cell against its six applicant columns."""
    failures: list[dict[str, Any]] = []
    checked = 0
    applicants = taxonomy.applicant_column_ids
    for row_id in taxonomy.request_row_ids():
        row = rows.get(row_id)
        if row_id not in present or not row or row.get("total") is None:
            continue
        parts = [row.get(c) for c in applicants]
        if all(v is None for v in parts):
            continue
        checked += 1
        summed = _sum(parts) or 0
        if summed != row["total"]:
            failures.append({"row": row_id, "total": row["total"], "sum_of_applicants": summed})
    return _verdict(
        "column_sum", failures, checked, "总计 column = sum of the six applicant columns"
    )


def check_review(table: dict[str, dict[str, Number]] | None) -> Check:
    if not table:
        return Check(
            "review_litigation_sum", None, "no 四 review/litigation table found", {"failures": []}
        )
    failures, checked = [], 0
    for block, cells in table.items():
        if cells.get("total") is None:
            continue
        checked += 1
        summed = _sum([cells.get(c) for c in ("upheld", "corrected", "other", "pending")]) or 0
        if summed != cells["total"]:
            failures.append({"block": block, "total": cells["total"], "sum_of_results": summed})
    return _verdict(
        "review_litigation_sum", failures, checked, "each block's 总计 = its four results"
    )


# --- narrative figures --------------------------------------------------------------------

# Sentences that count documents (by disclosure attribute, or proactively published), not
# requests by outcome.
_OTHER_COUNTS = re.compile(r"公文|发文|公开属性|规范性文件|主动公开")


def narrative_figures(paragraphs: list[str], taxonomy: Taxonomy | None = None,
                      ) -> list[dict[str, Any]]:
    """Figures that narrative sentences state for the table's rows (予以公开6件, 3件不予公开,
    未出现无法提供的情形 …), read by :mod:`gongkai.figures` one sentence at a time."""
    found: list[dict[str, Any]] = []
    for text in paragraphs:
        for sentence in re.split(r"(?<=[。;；])", normalize(text)):
            if _OTHER_COUNTS.search(sentence):
                continue
            for figure in figures.stated_figures(sentence, taxonomy=taxonomy):
                found.append({"row": figure.row, "narrative": figure.value,
                              "text": sentence[max(0, figure.start - 10):figure.end]})
    return found


def check_narrative(
    taxonomy: Taxonomy,
    rows: Rows,
    present: set[str],
    paragraphs: list[str],
    unknown: frozenset[str] = frozenset(),
) -> Check:
    if not present:
        return Check(
            "narrative",
            None,
            "no 三 table to compare narrative figures with",
            {"failures": [], "compared": []},
        )
    compared, failures = [], []
    for figure in narrative_figures(paragraphs, taxonomy):
        row_id = figure["row"]
        if row_id in unknown or taxonomy_group_members(taxonomy, row_id) & unknown:
            continue
        table_value = _table_figure(taxonomy, rows, present, row_id)
        if table_value is None:
            continue
        entry = {**figure, "table": table_value}
        compared.append(entry)
        if figure["narrative"] != table_value:
            columns = [
                c
                for c, v in rows.get(row_id, {}).items()
                if v == figure["narrative"] and c != "total"
            ]
            if columns:
                entry["matches_column"] = columns[0]
            failures.append(entry)
    if not compared:
        return Check(
            "narrative", None, "no narrative figures to compare", {"failures": [], "compared": []}
        )
    if failures:
        return Check(
            "narrative",
            False,
            f"{len(failures)} of {len(compared)} narrative figures disagree with the table",
            {"failures": failures, "compared": compared},
        )
    return Check(
        "narrative",
        True,
        f"all {len(compared)} narrative figures agree with the table",
        {"failures": [], "compared": compared},
    )


def taxonomy_group_members(taxonomy: Taxonomy, row_id: str) -> set[str]:
    return {leaf.id for leaf in taxonomy.leaves if leaf.group == row_id}


def _table_figure(taxonomy: Taxonomy, rows: Rows, present: set[str], row_id: str) -> Number:
    """The table's 总计 for a row; a group without its own row sums its leaves."""

    def total_of(rid: str) -> Number:
        row = rows.get(rid) or {}
        if row.get("total") is not None:
            return row["total"]
        return _sum([row.get(c) for c in taxonomy.applicant_column_ids])

    if row_id in present and _row_filled(rows.get(row_id)):
        return total_of(row_id)
    leaves = [leaf.id for leaf in taxonomy.leaves if leaf.group == row_id and leaf.id != row_id]
    given = [leaf for leaf in leaves if leaf in present and _row_filled(rows.get(leaf))]
    if given:
        return _sum([total_of(leaf) for leaf in given])
    return None
