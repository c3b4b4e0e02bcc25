"""Synthetic 政府信息公开工作年度报告 written for gongkai's tests and benchmarks.

A :class:`ReportSpec` holds everything a report says: title, agency, year,
template, narrative paragraphs per section and the three statistics tables.
:func:`render` writes the whole report as text in one of the layouts seen when
real reports are copied out of web pages, Word files and PDFs
(see ``LAYOUTS``); :func:`write_docx` and :func:`write_pdf` write binary
documents.  :func:`random_spec` makes a consistent random report, and
:func:`expected_requests` / :func:`failing_checks` say what a correct reader
must recover from a rendered report.

Table semantics used throughout:

* ``spec.requests`` is ``{row_id: {column_id: int | None}}`` with the taxonomy
  ids; ``None`` is a cell printed blank.  Group rows (``withhold``,
  ``unable``, ``reject`` and, for 2021, ``other``) are optional subtotal rows;
  they are printed only with ``flags.group_subtotals``.
* ``spec.review_litigation`` holds the 15 numbers of section 四 (行政复议,
  未经复议直接起诉, 复议后起诉; each 维持/纠正/其他/尚未审结/总计).
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import random
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Template = Literal["2019", "2021"]
Layout = Literal[
    "tab",
    "pipe_rows",
    "cell_per_line",
    "cell_pipe_line",
    "blank_line_cells",
    "collapsed",
    "html",
]
Value = int | None
RequestTable = dict[str, dict[str, Value]]
ActiveTable = dict[str, list[int | float | None]]

LAYOUTS: tuple[Layout, ...] = (
    "tab",
    "pipe_rows",
    "cell_per_line",
    "cell_pipe_line",
    "blank_line_cells",
    "collapsed",
    "html",
)
SECTION_IDS: tuple[str, ...] = ("一", "二", "三", "四", "五", "六")
COLUMN_IDS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "nonprofit",
    "legal_services",
    "other_org",
    "total",
)
APPLICANT_COLUMNS: tuple[str, ...] = COLUMN_IDS[:6]
COLUMN_NAMES: dict[str, str] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
CHECK_IDS: tuple[str, ...] = (
    "identity",
    "outcome_sum",
    "column_sum",
    "review_litigation_sum",
    "narrative",
    "group_sum",
)

# Printed labels, ASCII punctuation as in the seed report; ``_punct`` turns them
# fullwidth.  Group id -> (marker + name).
GROUP_LABELS: dict[str, str] = {
    "disclose": "(一)予以公开",
    "partial": "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    "withhold": "(三)不予公开",
    "unable": "(四)无法提供",
    "reject": "(五)不予处理",
    "other": "(六)其他处理",
}
GROUP_LEAVES: dict[str, tuple[str, ...]] = {
    "withhold": (
        "withhold/state_secret",
        "withhold/law_forbidden",
        "withhold/three_safety",
        "withhold/third_party",
        "withhold/internal_affairs",
        "withhold/process_info",
        "withhold/enforcement_file",
        "withhold/admin_query",
    ),
    "unable": ("unable/not_held", "unable/needs_creation", "unable/unclear"),
    "reject": (
        "reject/complaint",
        "reject/duplicate",
        "reject/publication",
        "reject/excessive",
        "reject/confirm",
    ),
    "other": ("other/no_correction", "other/no_fee", "other/other"),
}
LEAF_LABELS: dict[str, str] = {
    "withhold/state_secret": "1.属于国家秘密",
    "withhold/law_forbidden": "2.其他法律行政法规禁止公开",
    "withhold/three_safety": "3.危及“三安全一稳定”",
    "withhold/third_party": "4.保护第三方合法权益",
    "withhold/internal_affairs": "5.属于三类内部事务信息",
    "withhold/process_info": "6.属于四类过程性信息",
    "withhold/enforcement_file": "7.属于行政执法案卷",
    "withhold/admin_query": "8.属于行政查询事项",
    "unable/not_held": "1.本机关不掌握相关政府信息",
    "unable/needs_creation": "2.没有现成信息需要另行制作",
    "unable/unclear": "3.补正后申请内容仍不明确",
    "reject/complaint": "1.信访举报投诉类申请",
    "reject/duplicate": "2.重复申请",
    "reject/publication": "3.要求提供公开出版物",
    "reject/excessive": "4.无正当理由大量反复申请",
    "reject/confirm": "5.要求行政机关确认或重新出具已获取信息",
    "other/no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other/no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other/other": "3.其他",
}
ROW_LABELS: dict[str, str] = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "total": "(七)总计",
    "carried_forward": "四、结转下年度继续办理",
}
RESULT_LABEL = "三、本年度办理结果"
IDENTITY_NOTE = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
SECTION_HEADINGS: dict[str, str] = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}
REVIEW_RESULTS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# Section 二: row key -> (label, article marker); per template.
ACTIVE_ROWS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "2019": (
        ("regulations", "规章", "(一)"),
        ("normative", "规范性文件", "(一)"),
        ("licensing", "行政许可", "(五)"),
        ("other_services", "其他对外管理服务事项", "(五)"),
        ("penalty", "行政处罚", "(六)"),
        ("coercion", "行政强制", "(六)"),
        ("fees", "行政事业性收费", "(八)"),
        ("procurement", "政府集中采购", "(九)"),
    ),
    "2021": (
        ("regulations", "规章", "(一)"),
        ("normative", "行政规范性文件", "(一)"),
        ("licensing", "行政许可", "(五)"),
        ("penalty", "行政处罚", "(六)"),
        ("coercion", "行政强制", "(六)"),
        ("fees", "行政事业性收费", "(八)"),
    ),
}
ACTIVE_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "2019": {
        "(一)": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        "(五)": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "(六)": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "(八)": ("上一年项目数量", "本年增/减"),
        "(九)": ("采购项目数量", "采购总金额(单位:万元)"),
    },
    "2021": {
        "(一)": ("本年制发件数", "本年废止件数", "现行有效件数"),
        "(五)": ("本年处理决定数量",),
        "(六)": ("本年处理决定数量",),
        "(八)": ("本年收费金额(单位:万元)",),
    },
}


def outcome_rows(template: Template) -> tuple[str, ...]:
    """Leaf outcome row ids of section 三 in printed order."""
    rows: list[str] = ["disclose", "partial"]
    for group in ("withhold", "unable", "reject"):
        rows.extend(GROUP_LEAVES[group])
    if template == "2019":
        rows.append("other")
    else:
        rows.extend(GROUP_LEAVES["other"])
    return tuple(rows)


def leaf_groups(template: Template) -> dict[str, tuple[str, ...]]:
    """Groups that have sub-rows in ``template``."""
    groups = {g: GROUP_LEAVES[g] for g in ("withhold", "unable", "reject")}
    if template == "2021":
        groups["other"] = GROUP_LEAVES["other"]
    return groups


def table_rows(template: Template) -> tuple[str, ...]:
    """All leaf-level row ids of section 三 in printed order."""
    return ("new_received", "carried_over", *outcome_rows(template), "total", "carried_forward")


def group_of(row_id: str) -> str | None:
    """Group id of an outcome row, None for the other rows."""
    if row_id in ("disclose", "partial", "other"):
        return row_id
    if "/" in row_id:
        return row_id.split("/", 1)[0]
    return None


@dataclass
class ReportFlags:
    """How a report is printed; the defaults give a clean report."""

    fullwidth: bool = False
    """Fullwidth （一）、，： in table labels and sub-headings instead of ASCII."""
    blank_zeros: bool = False
    """Leave cells blank instead of printing 0."""
    total_column_only: bool = False
    """Only the 总计 column of section 三 carries numbers."""
    blank_leaf_totals: bool = False
    """Leave the 总计 cell of every outcome sub-row blank."""
    omit_carried_forward: bool = False
    """Leave out the row 四、结转下年度继续办理."""
    navigation: bool = False
    """Site navigation lines before the title."""
    writing_notes: bool = False
    """The template's 编写说明 left in after the title."""
    agency_prefix_headings: bool = False
    """Headings 二/三/四 read 二、行政机关主动公开政府信息情况 etc."""
    nbsp: bool = False
    """Non-breaking spaces: paragraph indents and blank cells."""
    indent: bool = False
    """Paragraphs indented with two ideographic spaces."""
    stray_number_spaces: bool = False
    """Some numbers of two digits or more printed with a space inside (``1 2``)."""
    split_labels: bool = False
    """Group labels split over two lines (``(三)`` then ``不予公开``)."""
    split_title: bool = False
    """Title printed on two lines: agency, then year and the rest."""
    requests_intro: bool = False
    """A paragraph with the outcome figures between the 三 heading and its table."""
    group_subtotals: bool = False
    """Print subtotal rows for 不予公开/无法提供/不予处理 (and 2021 其他处理)."""
    tab_page_break_at: str | None = None
    """Tab layout: rows from this row id on lose their leading empty cells."""
    truncate_after: str | None = None
    """Section 三 table stops after this row id (rows missing at the end)."""
    tight: bool = False
    """No blank lines between headings, paragraphs and tables."""
    short_law_label: bool = False
    """Print 2.其他法律法规禁止公开 instead of 2.其他法律行政法规禁止公开."""
    cell_overrides: dict[tuple[str, str], str] = field(default_factory=dict)
    """Raw text printed in a section 三 cell instead of its number."""


@dataclass
class ReportSpec:
    """Everything one annual report says."""

    title: str
    agency: str
    year: int
    template: Template
    narrative: dict[str, list[str]]
    """Paragraphs per section id 一..六; sub-headings such as （一）主动公开 are
    paragraphs of their own.  Paragraphs of 二/三/四 come before the table."""
    requests: RequestTable
    active: ActiveTable
    review_litigation: list[Value]
    flags: ReportFlags = field(default_factory=ReportFlags)
    preamble: list[str] = field(default_factory=list)
    """Paragraphs between the title and section 一."""
    sections: tuple[str, ...] = SECTION_IDS
    """Sections printed, in order."""
    headings: dict[str, str] = field(default_factory=dict)
    """Heading overrides per section id."""


# ---------------------------------------------------------------------------
# Table arithmetic
# ---------------------------------------------------------------------------


def group_sums(requests: RequestTable, template: Template) -> RequestTable:
    """Group subtotal rows computed from the leaves."""
    out: RequestTable = {}
    for group, leaves in leaf_groups(template).items():
        out[group] = {
            c: sum(requests.get(leaf, {}).get(c) or 0 for leaf in leaves) for c in COLUMN_IDS
        }
    return out


def complete_table(requests: RequestTable, template: Template) -> RequestTable:
    """Fill total row and total column from the applicant columns of the leaves."""
    table = {row: dict(cols) for row, cols in requests.items()}
    for row in ("new_received", "carried_over", *outcome_rows(template), "carried_forward"):
        cols = table.setdefault(row, {})
        for c in APPLICANT_COLUMNS:
            cols.setdefault(c, 0)
        cols["total"] = sum(cols[c] or 0 for c in APPLICANT_COLUMNS)
    table["total"] = {c: sum(table[r][c] or 0 for r in outcome_rows(template)) for c in COLUMN_IDS}
    return {row: table[row] for row in table_rows(template)}


def _all_blank(values: list[Value]) -> bool:
    return all(v is None for v in values)


def _compare(left: list[Value], right: list[Value]) -> bool:
    """True when the sums differ; sides made only of blank cells are skipped."""
    if _all_blank(left) or _all_blank(right):
        return False
    return sum(v or 0 for v in left) != sum(v or 0 for v in right)


def failing_checks(
    requests: RequestTable, template: Template, review_litigation: list[Value] | None = None
) -> list[str]:
    """Arithmetic checks that fail on a printed table.

    ``requests`` is the table as printed (blank cells None, missing rows
    absent).  A comparison whose one side is made only of blank cells is
    skipped; otherwise blanks count as 0.  ``outcome_sum`` adds the leaf
    outcome rows, never the optional group subtotal rows, which ``group_sum``
    checks against their leaves.  A missing 结转下年度 row counts as 0.
    """
    failed: list[str] = []
    leaves = outcome_rows(template)
    if "new_received" in requests and "total" in requests:
        cf = requests.get("carried_forward", {})
        co = requests.get("carried_over", {})
        for c in COLUMN_IDS:
            left = [requests["new_received"].get(c), co.get(c)]
            right = [requests["total"].get(c), cf.get(c, 0 if not cf else None)]
            if _compare(left, right):
                failed.append("identity")
                break
    if "total" in requests and all(r in requests for r in leaves):
        for c in COLUMN_IDS:
            if _compare([requests[r].get(c) for r in leaves], [requests["total"].get(c)]):
                failed.append("outcome_sum")
                break
    for row in requests.values():
        if _compare([row.get(c) for c in APPLICANT_COLUMNS], [row.get("total")]):
            failed.append("column_sum")
            break
    for group, members in leaf_groups(template).items():
        if group not in requests or not all(m in requests for m in members):
            continue
        if any(
            _compare([requests[m].get(c) for m in members], [requests[group].get(c)])
            for c in COLUMN_IDS
        ):
            failed.append("group_sum")
            break
    if review_litigation is not None and len(review_litigation) == 15:
        for start in (0, 5, 10):
            block = review_litigation[start : start + 5]
            if block[4] is not None and sum(v or 0 for v in block[:4]) != block[4]:
                failed.append("review_litigation_sum")
                break
    return [c for c in CHECK_IDS if c in failed]


# ---------------------------------------------------------------------------
# What a report prints
# ---------------------------------------------------------------------------

_FULLWIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "："})
_HALFWIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":"})
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)][^。；;]{0,30}$")
_MARKER = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
_MARKER_LABEL = re.compile(r"^([（(][一二三四五六七][）)])(.+)$")


def _punct(text: str, fullwidth: bool) -> str:
    return text.translate(_FULLWIDTH) if fullwidth else text.translate(_HALFWIDTH)


def _fmt_number(value: int | float | None, flags: ReportFlags, key: str = "") -> str:
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


def _row_values(spec: ReportSpec, row_id: str) -> dict[str, Value]:
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
    return _fmt_number(_row_values(spec, row_id).get(column), flags, f"{row_id}|{column}")


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
    return [_parse_printed(_fmt_number(v, spec.flags)) for v in spec.review_litigation]


def collapsed_recoverable(spec: ReportSpec, row_id: str) -> bool:
    """In the collapsed layout a row is recoverable when none or all cells are blank."""
    blanks = [cell_text(spec, row_id, c).strip() == "" for c in COLUMN_IDS]
    return all(blanks) or not any(blanks)


def expected_requests(spec: ReportSpec, layout: str) -> RequestTable:
    """Rows and cells a correct reader recovers from ``spec`` rendered in ``layout``."""
    table = printed_requests(spec)
    if layout == "collapsed":
        table = {r: v for r, v in table.items() if collapsed_recoverable(spec, r)}
    return table


def report_failing_checks(spec: ReportSpec) -> list[str]:
    """Arithmetic checks that fail on what ``spec`` prints (narrative not included)."""
    review = printed_review(spec) if "四" in spec.sections else None
    return failing_checks(printed_requests(spec), spec.template, review)


def is_subheading(paragraph: str) -> bool:
    """True for a short sub-heading paragraph such as （一）主动公开情况."""
    return bool(_SUBHEADING.match(paragraph.strip()))


def expected_record(spec: ReportSpec, layout: str) -> dict[str, object]:
    """What a correct reader outputs for ``spec`` rendered in ``layout``."""
    has_tables = "二" in spec.sections or "三" in spec.sections
    paragraphs = sum(
        1
        for sec in spec.sections
        for p in spec.narrative.get(sec, [])
        if p.strip() and not is_subheading(p)
    )
    if spec.flags.requests_intro and "三" in spec.sections:
        paragraphs += 1
    return {
        "template": spec.template if has_tables else None,
        "title": spec.title,
        "agency": spec.agency,
        "year": spec.year,
        "sections": list(spec.sections),
        "min_paragraphs": paragraphs,
        "requests": expected_requests(spec, layout),
        "failing_checks": report_failing_checks(spec),
        "warnings_contain": [],
        "error": None,
    }


# ---------------------------------------------------------------------------
# Tables as grids of (possibly merged) cells
# ---------------------------------------------------------------------------


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
    header_rows: int = 0

    def full_rows(self) -> list[list[str]]:
        """Every grid position; positions covered by a merged cell are ''."""
        out = [[""] * self.width for _ in self.rows]
        for i, row in enumerate(self.rows):
            for cell in row:
                out[i][cell.col] = cell.text
        return out


@dataclass
class _ReqRow:
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
    text = _punct(text, spec.flags.fullwidth)
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
    return _punct(label, spec.flags.fullwidth)


def _request_rows(spec: ReportSpec) -> list[_ReqRow]:
    groups = leaf_groups(spec.template)
    ids = printed_row_ids(spec)
    rows: list[_ReqRow] = []
    for rid in ids:
        values = [cell_text(spec, rid, c) for c in COLUMN_IDS]
        if rid in ("new_received", "carried_over", "carried_forward"):
            rows.append(_ReqRow(rid, "top", ROW_LABELS[rid], values))
        elif rid == "total":
            rows.append(_ReqRow(rid, "outcome", _marker_label(ROW_LABELS[rid], spec), values))
        elif rid in groups:
            rows.append(_ReqRow(rid, "group", _marker_label(GROUP_LABELS[rid], spec), values))
        elif rid in GROUP_LABELS:
            rows.append(_ReqRow(rid, "outcome", _marker_label(GROUP_LABELS[rid], spec), values))
        else:
            rows.append(_ReqRow(rid, "leaf", _leaf_label(spec, rid), values))
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


def requests_grid(spec: ReportSpec) -> Grid:
    """Section 三 table: 3 label columns, 7 number columns."""
    note = _punct(IDENTITY_NOTE, spec.flags.fullwidth)
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
    for r in _request_rows(spec):
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
        rows.append(cells)
    return Grid("requests", 10, rows, header_rows=3)


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
            rows.append([Cell(0, _punct(f"第二十条第{item}项", flags.fullwidth), colspan=4)])
            head = [Cell(0, "信息内容")]
            head += [Cell(1 + i, _punct(h, flags.fullwidth)) for i, h in enumerate(cols)]
            if len(cols) < 3:
                head[-1].colspan = 4 - len(cols)
            rows.append(head)
        values = spec.active.get(key, [None] * len(cols))
        row = [Cell(0, label)]
        row += [Cell(1 + i, _fmt_number(v, flags), numeric=True) for i, v in enumerate(values)]
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
            Cell(i, _fmt_number(v, spec.flags), numeric=True)
            for i, v in enumerate(spec.review_litigation)
        ],
    ]
    return Grid("review", 15, rows, header_rows=3)


def _tab_requests(spec: ReportSpec) -> list[str]:
    """Section 三 in the seed's tab layout: ragged rows, labels across cells."""
    note = _punct(IDENTITY_NOTE, spec.flags.fullwidth)
    names = [COLUMN_NAMES[c] for c in APPLICANT_COLUMNS[1:]]
    lines = [
        "\t".join([note, "", "申请人情况", "", "", "", "", "", "总计", "", ""]),
        "\t".join(["", "", "自然人", "法人或其他组织"] + [""] * 7),
        "\t".join(["", "", "", *names, "", "", ""]),
    ]
    broken = False
    for r in _request_rows(spec):
        if spec.flags.tab_page_break_at == r.row_id:
            broken = True
        if r.kind == "top":
            label = [r.label]
        elif r.kind in ("outcome", "group"):
            label = [r.result_label, r.label]
        else:
            label = ["", r.group_label, r.label]
        if broken:
            label = [x for x in label if x]
        cells = [*label, "", *(_blank(spec, v) for v in r.values)]
        cells += [""] * (11 - len(cells))
        lines.append("\t".join(cells))
    return lines


# ---------------------------------------------------------------------------
# Document blocks
# ---------------------------------------------------------------------------


@dataclass
class Block:
    """One element of a rendered report."""

    kind: str  # nav | title | note | heading | subheading | para | table
    text: str = ""
    grid: Grid | None = None


_NOTES = (
    "编写说明：",
    "1.本报告各部分标题及表格栏目依照全国统一格式设置，填报时不得增减或改动。",
    "2.表格数据的统计期限为报告年度1月1日至12月31日，没有发生的事项填写“0”。",
    "3.第三部分表格须满足表头注明的勾稽关系，自然人与法人或其他组织各列相加应等于总计列。",
    "4.正文中引用的数字须与表格保持一致，报告定稿后请删除本说明。",
)


def _spec_rng(spec: ReportSpec) -> random.Random:
    return random.Random(zlib.crc32(f"{spec.title}|{spec.year}".encode()))


def navigation_lines(spec: ReportSpec) -> list[str]:
    """Site navigation text that precedes the title on a web page."""
    rng = _spec_rng(spec)
    trail = rng.choice(
        (
            ["首页", "政务公开", "政府信息公开年报"],
            ["首页", "信息公开", "法定主动公开内容", "政府信息公开工作年度报告"],
            ["网站首页", "政务公开", "政府信息公开", "年度报告"],
        )
    )
    sep = rng.choice((" > ", ">", " >> ", " / "))
    prefix = rng.choice(("", "当前位置：", "您的位置："))
    day = rng.randint(10, 31)
    views = rng.randint(37, 2600)
    return [
        prefix + sep.join(trail),
        f"发布日期：{spec.year + 1}-01-{day:02d}　　来源：{spec.agency}　　浏览次数：{views}",
        "【字体：大 中 小】　打印本页　关闭窗口",
    ]


def _heading(spec: ReportSpec, sec: str) -> str:
    text = spec.headings.get(sec, SECTION_HEADINGS[sec])
    if spec.flags.agency_prefix_headings and sec in ("二", "三", "四") and sec not in spec.headings:
        head, rest = text.split("、", 1)
        text = f"{head}、行政机关{rest}"
    return text


def _para_text(spec: ReportSpec, text: str, sub: bool) -> str:
    m = _MARKER.match(text)
    if m:
        marker = f"（{m.group(1)}）" if spec.flags.fullwidth else f"({m.group(1)})"
        text = marker + text[m.end() :]
    if sub:
        return text
    if spec.flags.nbsp:
        return "\u00a0" * 4 + text
    if spec.flags.indent:
        return "\u3000\u3000" + text
    return text


def requests_summary(spec: ReportSpec, rng: random.Random | None = None) -> str:
    """The paragraph printed by ``flags.requests_intro`` (figures of the 总计 column)."""
    return requests_paragraph(spec, rng or _spec_rng(spec), intro=True)


def blocks(spec: ReportSpec) -> list[Block]:
    """The report as a sequence of blocks, in printed order."""
    flags = spec.flags
    out: list[Block] = []
    if flags.navigation:
        out.extend(Block("nav", line) for line in navigation_lines(spec))
    title = spec.title
    if flags.split_title and spec.title.startswith(spec.agency):
        title = spec.agency + "\n" + spec.title[len(spec.agency) :]
    out.append(Block("title", title))
    if flags.writing_notes:
        out.extend(Block("note", line) for line in _NOTES)
    out.extend(Block("para", _para_text(spec, p, False)) for p in spec.preamble)
    for sec in spec.sections:
        out.append(Block("heading", _heading(spec, sec)))
        for p in spec.narrative.get(sec, []):
            sub = is_subheading(p)
            out.append(Block("subheading" if sub else "para", _para_text(spec, p, sub)))
        if sec == "二":
            out.append(Block("table", grid=active_grid(spec)))
        elif sec == "三":
            if flags.requests_intro:
                out.append(Block("para", _para_text(spec, requests_summary(spec), False)))
            out.append(Block("table", grid=requests_grid(spec)))
        elif sec == "四":
            out.append(Block("table", grid=review_grid(spec)))
    return out


# ---------------------------------------------------------------------------
# Text layouts
# ---------------------------------------------------------------------------


def _blank(spec: ReportSpec, text: str) -> str:
    return "\u00a0" if spec.flags.nbsp and not text else text


def _table_lines(spec: ReportSpec, grid: Grid, layout: Layout) -> list[str]:
    if layout == "tab":
        if grid.kind == "requests":
            return _tab_requests(spec)
        return ["\t".join(row) for row in grid.full_rows()]
    if layout == "pipe_rows":
        return [" | ".join(_blank(spec, t) for t in row) for row in grid.full_rows()]
    lines: list[str] = []
    for row in grid.rows:
        texts = [_blank(spec, c.text) for c in row]
        if layout == "cell_per_line":
            lines.extend(f"{t} |" if t else "|" for t in texts)
        elif layout == "cell_pipe_line":
            for t in texts:
                lines.extend((t, "|"))
        elif layout == "blank_line_cells":
            for t in texts:
                lines.extend((t, "") if t else ("",))
        elif layout == "collapsed":
            lines.append(re.sub(r"\|{2,}", "|" * 7, "|".join(c.text for c in row)))
        else:  # pragma: no cover - html handled elsewhere
            raise ValueError(layout)
    return lines


def render(spec: ReportSpec, layout: Layout) -> str:
    """The whole report as text in ``layout`` (``html`` gives a full page)."""
    if layout == "html":
        return render_html(spec)
    chunks: list[list[str]] = []
    for b in blocks(spec):
        if b.kind == "table":
            assert b.grid is not None
            chunks.append(_table_lines(spec, b.grid, layout))
        elif layout == "blank_line_cells":
            chunks.append([b.text, ""])
        else:
            chunks.append([b.text])
    single = spec.flags.tight or layout in ("blank_line_cells", "pipe_rows", "collapsed")
    sep = "\n" if single else "\n\n"
    text = sep.join("\n".join(chunk) for chunk in chunks)
    return text.rstrip("\n") + "\n"


def _html_text(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def render_html(spec: ReportSpec) -> str:
    """A complete HTML page: breadcrumb, title, paragraphs, merged-cell tables."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_html_text(spec.title)}</title>",
        "<style>table{border-collapse:collapse;margin:8px 0}"
        "td{border:1px solid #666;padding:3px 5px;font-size:13px;text-align:center}"
        ".crumb{color:#666;font-size:12px}.content p{line-height:1.8}</style>",
        "</head>",
        "<body>",
    ]
    indent = "&nbsp;" * 4 if spec.flags.nbsp else ""
    in_content = False
    for b in blocks(spec):
        if b.kind == "nav":
            parts.append(f'<div class="crumb">{_html_text(b.text)}</div>')
            continue
        if not in_content:
            parts.append('<div class="article">')
            in_content = True
        if b.kind == "title":
            parts.append(f'<h1 class="title">{_html_text(b.text)}</h1>')
            parts.append('<div class="content">')
        elif b.kind == "note":
            parts.append(f'<p class="note" style="color:#c00">{_html_text(b.text)}</p>')
        elif b.kind == "heading":
            parts.append(f"<p><strong>{_html_text(b.text)}</strong></p>")
        elif b.kind == "subheading":
            parts.append(f'<p style="text-indent:2em"><strong>{_html_text(b.text)}</strong></p>')
        elif b.kind == "para":
            text = b.text.lstrip("\u00a0")
            parts.append(f'<p style="text-indent:2em">{indent}{_html_text(text)}</p>')
        elif b.grid is not None:
            parts.append(_html_table(b.grid))
    parts.extend(["</div>", "</div>", "</body>", "</html>"])
    return "\n".join(parts) + "\n"


def _html_table(grid: Grid) -> str:
    lines = ['<table border="1" cellspacing="0" cellpadding="0">', "<tbody>"]
    for row in grid.rows:
        cells = []
        for c in row:
            attrs = ""
            if c.rowspan > 1:
                attrs += f' rowspan="{c.rowspan}"'
            if c.colspan > 1:
                attrs += f' colspan="{c.colspan}"'
            text = _html_text(c.text) if c.text else "&nbsp;"
            cells.append(f"<td{attrs}>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.extend(["</tbody>", "</table>"])
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Word and PDF
# ---------------------------------------------------------------------------

_FIXED_TIME = _dt.datetime(2023, 1, 15, 9, 30, 0)


def _stable_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return buf.getvalue()


def write_docx(spec: ReportSpec, path: str | Path) -> None:
    """Write ``spec`` as a Word file with real tables and merged cells."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    props = doc.core_properties
    props.title = spec.title
    props.author = spec.agency
    props.last_modified_by = spec.agency
    props.created = _FIXED_TIME
    props.modified = _FIXED_TIME
    props.last_printed = _FIXED_TIME
    props.revision = 1
    for b in blocks(spec):
        if b.kind == "table" and b.grid is not None:
            _docx_table(doc, b.grid)
            doc.add_paragraph()
            continue
        para = doc.add_paragraph()
        run = para.add_run(b.text)
        if b.kind == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(18)
        elif b.kind in ("heading", "subheading"):
            run.bold = True
        elif b.kind == "nav":
            run.font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    Path(path).write_bytes(_stable_zip(buf.getvalue()))


def _docx_table(doc: object, grid: Grid) -> None:
    from docx.shared import Pt

    table = doc.add_table(rows=len(grid.rows), cols=grid.width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for i, row in enumerate(grid.rows):
        for c in row:
            cell = table.cell(i, c.col)
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(table.cell(i + c.rowspan - 1, c.col + c.colspan - 1))
            cell.text = c.text
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9)


_PDF_FONT = "STSong-Light"
_NO_LINE_START = "。，、；：？！）》」”’"
_PAGE_W, _PAGE_H = 595.27, 841.89
_MARGIN = 56.0
_TABLE_WIDTHS: dict[str, list[float]] = {
    "requests": [46.0, 70.0, 112.0] + [36.0] * 7,
    "active": [150.0, 110.0, 110.0, 110.0],
    "review": [32.0] * 15,
}


class _PdfPages:
    """Minimal page flow for reportlab: wrapped text and ruled tables."""

    def __init__(self, canvas: object) -> None:
        from reportlab.pdfbase import pdfmetrics

        self.c = canvas
        self.width = pdfmetrics.stringWidth
        self.y = _PAGE_H - _MARGIN

    def _need(self, height: float) -> None:
        if self.y - height < _MARGIN:
            self.c.showPage()  # type: ignore[attr-defined]
            self.y = _PAGE_H - _MARGIN

    def wrap(self, text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
        lines: list[str] = []
        cur = ""
        avail = width - indent
        for ch in text:
            if ch == "\n":
                lines.append(cur)
                cur, avail = "", width
                continue
            too_wide = self.width(cur + ch, _PDF_FONT, size) > avail
            if cur and too_wide and ch not in _NO_LINE_START:
                lines.append(cur)
                cur, avail = ch, width
            else:
                cur += ch
        lines.append(cur)
        return lines

    def text(
        self,
        text: str,
        size: float,
        *,
        center: bool = False,
        indent: bool = False,
        gap: float = 4.0,
    ) -> None:
        c = self.c
        width = _PAGE_W - 2 * _MARGIN
        first = 2 * size if indent else 0.0
        lead = size * 1.6
        self.y -= gap
        for n, line in enumerate(self.wrap(text, width, size, first)):
            self._need(lead)
            self.y -= lead
            c.setFont(_PDF_FONT, size)  # type: ignore[attr-defined]
            if center:
                c.drawCentredString(_PAGE_W / 2, self.y, line)  # type: ignore[attr-defined]
            else:
                c.drawString(_MARGIN + (first if n == 0 else 0.0), self.y, line)  # type: ignore[attr-defined]

    def table(self, grid: Grid, size: float = 7.5) -> None:
        c = self.c
        widths = _TABLE_WIDTHS[grid.kind]
        xs = [_MARGIN]
        for w in widths:
            xs.append(xs[-1] + w)
        lead = size * 1.35
        self.y -= 6
        spans: list[list[int]] = []  # [col, colspan, rows_left]
        for row in grid.rows:
            wrapped = {
                id(cell): self.wrap(cell.text, xs[cell.col + cell.colspan] - xs[cell.col] - 4, size)
                for cell in row
            }
            lines = max([len(wrapped[id(x)]) for x in row if x.rowspan == 1] or [1])
            height = lines * lead + 5
            self._need(height)
            top, bottom = self.y, self.y - height
            c.setFont(_PDF_FONT, size)  # type: ignore[attr-defined]
            c.setLineWidth(0.5)  # type: ignore[attr-defined]
            for cell in row:
                x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
                for k, line in enumerate(wrapped[id(cell)]):
                    base = top - size - 2 - k * lead
                    if cell.numeric:
                        c.drawCentredString((x0 + x1) / 2, base, line)  # type: ignore[attr-defined]
                    else:
                        c.drawString(x0 + 2, base, line)  # type: ignore[attr-defined]
                if cell.rowspan == 1:
                    c.rect(x0, bottom, x1 - x0, height)  # type: ignore[attr-defined]
                else:
                    c.line(x0, top, x1, top)  # type: ignore[attr-defined]
                    spans.append([cell.col, cell.colspan, cell.rowspan])
            for span in spans:
                x0, x1 = xs[span[0]], xs[span[0] + span[1]]
                c.line(x0, top, x0, bottom)  # type: ignore[attr-defined]
                c.line(x1, top, x1, bottom)  # type: ignore[attr-defined]
                span[2] -= 1
                if span[2] == 0:
                    c.line(x0, bottom, x1, bottom)  # type: ignore[attr-defined]
            spans = [s for s in spans if s[2] > 0]
            self.y = bottom
        self.y -= 6


def write_pdf(spec: ReportSpec, path: str | Path) -> None:
    """Write ``spec`` as a PDF (STSong-Light CID font, tables drawn at column x)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as rl_canvas

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    c = rl_canvas.Canvas(str(path), pagesize=(_PAGE_W, _PAGE_H), invariant=1)
    c.setTitle(spec.title)
    c.setAuthor(spec.agency)
    pages = _PdfPages(c)
    for b in blocks(spec):
        if b.kind == "table" and b.grid is not None:
            pages.table(b.grid, 6.5 if b.grid.kind == "review" else 7.5)
        elif b.kind == "title":
            for line in b.text.split("\n"):
                pages.text(line, 16, center=True, gap=6)
            pages.y -= 8
        elif b.kind == "nav":
            pages.text(b.text, 8, gap=1)
        elif b.kind in ("heading", "subheading"):
            pages.text(b.text, 11, indent=b.kind == "subheading", gap=8)
        else:
            pages.text(b.text.lstrip("\u00a0\u3000"), 10.5, indent=True, gap=5)
    c.save()


def write_blank_pdf(path: str | Path, pages: int = 1) -> None:
    """A PDF with ruled lines and boxes but no text layer, like a bare scan."""
    from reportlab.pdfgen import canvas as rl_canvas

    c = rl_canvas.Canvas(str(path), pagesize=(_PAGE_W, _PAGE_H), invariant=1)
    for _ in range(pages):
        c.setLineWidth(0.6)
        for k in range(24):
            y = _PAGE_H - _MARGIN - 20 - k * 28
            c.line(_MARGIN, y, _PAGE_W - _MARGIN, y)
        c.rect(_MARGIN, _MARGIN, _PAGE_W - 2 * _MARGIN, 120)
        c.showPage()
    c.save()


# ---------------------------------------------------------------------------
# Narrative material (composed from short phrases so reports differ)
# ---------------------------------------------------------------------------

# (department, self references, provincial form, areas of work)
_DEPARTMENTS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    (
        "自然资源局",
        ("我局", "本局"),
        "自然资源厅",
        ("国土空间规划", "建设用地审批", "不动产登记", "耕地保护", "土地征收", "矿产资源管理"),
    ),
    (
        "生态环境局",
        ("我局", "本局"),
        "生态环境厅",
        ("环境影响评价审批", "排污许可", "环境质量监测", "生态环境执法", "突发环境事件应对"),
    ),
    (
        "住房和城乡建设局",
        ("我局", "本局"),
        "住房和城乡建设厅",
        ("建筑工程施工许可", "保障性住房", "老旧小区改造", "物业管理", "建筑市场监管"),
    ),
    (
        "人力资源和社会保障局",
        ("我局", "本局"),
        "人力资源和社会保障厅",
        ("社会保险待遇", "就业创业补贴", "职业技能培训", "劳动保障监察", "事业单位公开招聘"),
    ),
    (
        "市场监督管理局",
        ("我局", "本局"),
        "市场监督管理局",
        ("食品安全抽检", "经营主体登记", "特种设备安全", "价格监督检查", "知识产权保护"),
    ),
    (
        "交通运输局",
        ("我局", "本局"),
        "交通运输厅",
        ("农村公路建设", "道路运输许可", "公交线路调整", "超限超载治理", "交通工程招投标"),
    ),
    (
        "教育局",
        ("我局", "本局"),
        "教育厅",
        ("义务教育招生", "学校收费", "学生资助", "校园安全", "教师招聘"),
    ),
    (
        "卫生健康委员会",
        ("我委", "本委"),
        "卫生健康委员会",
        ("医疗机构监管", "基本公共卫生服务", "计划生育奖励扶助", "传染病防控", "医疗卫生人才招聘"),
    ),
    (
        "农业农村局",
        ("我局", "本局"),
        "农业农村厅",
        ("耕地地力保护补贴", "高标准农田建设", "动物防疫", "农村集体资产管理", "农产品质量安全"),
    ),
    (
        "水利局",
        ("我局", "本局"),
        "水利厅",
        ("河湖长制", "取水许可", "水利工程建设", "防汛抗旱", "农村饮水安全"),
    ),
    (
        "财政局",
        ("我局", "本局"),
        "财政厅",
        ("预决算公开", "惠民惠农补贴资金", "政府采购监管", "国有资产管理", "政府债务管理"),
    ),
    (
        "应急管理局",
        ("我局", "本局"),
        "应急管理厅",
        ("安全生产执法", "应急预案管理", "自然灾害救助", "危险化学品监管", "防灾减灾宣传"),
    ),
    (
        "民政局",
        ("我局", "本局"),
        "民政厅",
        ("最低生活保障", "特困人员供养", "养老服务", "社会组织登记", "婚姻登记"),
    ),
    (
        "医疗保障局",
        ("我局", "本局"),
        "医疗保障局",
        ("医保待遇", "医药价格", "定点医药机构管理", "医保基金监管", "异地就医"),
    ),
    (
        "城市管理局",
        ("我局", "本局"),
        "住房和城乡建设厅",
        ("市容环境整治", "违法建设查处", "生活垃圾分类", "户外广告设置", "市政设施维护"),
    ),
    (
        "发展和改革委员会",
        ("我委", "本委"),
        "发展和改革委员会",
        ("重点项目建设", "价格管理", "粮食储备", "招标投标监管", "节能审查"),
    ),
    (
        "人民政府办公室",
        ("我办", "本办"),
        "人民政府办公厅",
        ("政策文件发布", "重大决策预公开", "政务服务", "政府常务会议", "12345热线办理"),
    ),
    (
        "统计局",
        ("我局", "本局"),
        "统计局",
        ("统计数据发布", "统计执法检查", "经济普查", "统计调查", "统计信息服务"),
    ),
    (
        "文化广电和旅游局",
        ("我局", "本局"),
        "文化和旅游厅",
        ("文化市场执法", "旅游景区管理", "文物保护", "公共文化服务", "广播电视管理"),
    ),
    (
        "退役军人事务局",
        ("我局", "本局"),
        "退役军人事务厅",
        ("优抚对象待遇", "退役士兵安置", "烈士褒扬", "就业创业扶持", "军休服务"),
    ),
)
_TOWN_AREAS = (
    "征地拆迁补偿",
    "低保救助",
    "乡村振兴",
    "农村人居环境整治",
    "村级财务公开",
    "惠农补贴发放",
    "网格化管理",
    "危房改造",
)
_PROVINCES = (
    "河北",
    "山西",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
)
_PLACE_A = "清临安东西南白青长永宁平泰兴和云华金石桃柳梅松溪丰凤龙桂玉"
_PLACE_B = "河川安平宁阳山江源城溪州丰林水昌德台湖泉峰口沟"
_TOWN_B = ("桥", "坪", "湾", "岭", "铺", "集", "店", "庄", "塘", "坝")

_INTRO = (
    "{year}年，{self}在{superior}的统一部署下，把政务公开作为转变作风、提升服务的重要抓手，围绕{area1}、{area2}等重点工作稳步推进政府信息公开，全年工作总体平稳有序。",
    "过去一年，{self}坚持以公开为常态、不公开为例外，把信息公开与业务工作同步谋划、同步落实，公开的及时性和准确性较往年有所提升。",
    "{year}年度，{self}对照《中华人民共和国政府信息公开条例》逐条梳理公开事项，调整了本单位公开目录和依申请公开办理流程，各项工作按计划推进。",
    "本年度，{self}以方便群众查询、回应群众关切为出发点，重点抓了公开目录动态更新、依申请公开规范办理和公开平台整合三项工作。",
    "{year}年，{self}按照年度政务公开工作要点的分工，结合{area1}工作实际细化了{n_tasks}项具体任务，逐项明确责任{unit}和完成时限。",
    "一年来，{self}在人员少、任务重的情况下，仍把政府信息公开摆在日常工作的重要位置，由{leader}牵头，{office}具体承办，各{units}分工配合。",
    "{self}高度重视政府信息公开工作，年初召开专题会议研究部署，将政务公开纳入年度目标考核，与{area1}、{area2}等业务工作一起安排、一起检查。",
    "{year}年是{self}推进政务公开标准化规范化的关键一年，{self}聚焦{area1}、{area2}、{area3}等群众关心的领域，持续加大信息发布力度。",
    "{year}年，{self}把群众看得懂、找得到、用得上作为检验公开成效的标准，在公开内容、解读方式和平台管理上都下了一番功夫。",
    "围绕全年中心工作，{self}坚持依法公开、真实公开、及时公开，政府信息公开在规范化、便利化方面有了新的进展。",
    "今年以来，{self}进一步理顺政务公开工作机制，明确{office}为政务公开工作机构，配备专职人员{n_staff}名、兼职信息员{n_liaison}名。",
    "对照上级通报的问题，{self}逐项建立整改台账，栏目设置不规范、信息更新不及时等问题已基本解决。",
    "{self}把政务公开与“放管服”改革、优化营商环境结合起来推进，让企业和群众办事更明白、更省心。",
    "{year}年，面对{area1}任务重、社会关注度高的实际，{self}坚持重要工作部署到哪里、信息公开就跟进到哪里。",
)
_ACTIVE = (
    "全年通过{site}主动公开各类政府信息{n_news}条，其中机构职能、政策文件、财政资金等法定公开内容{n_legal}条。",
    "在政策解读方面，坚持文件与解读材料同步起草、同步审签、同步发布，全年发布解读材料{n_interp}篇，其中采用图解、短视频等形式的{n_visual}篇。",
    "围绕{area1}，编制并公开办事指南{n_guides}份，办理条件、所需材料和承诺时限均可在网上直接查看。",
    "依托{wx}发布信息{n_wechat}条，对{area2}等群众关注度较高的事项做到一事一发、及时更新。",
    "本年度新制发{norm_label}{n_norm}件，均在印发之日起20个工作日内全文公开，并同步更新了现行有效文件目录。",
    "{self}对历年公开的信息开展了一次集中清理，对已失效或内容过时的{n_clean}条信息作了标注或撤回处理。",
    "行政许可、行政处罚等执法决定信息在作出决定后7个工作日内上网公示，全年公示行政许可决定{n_lic}件、行政处罚决定{n_pen}件。",
    "财政预算、决算和“三公”经费按规定时限在统一平台公开，表格和说明齐全，未出现漏报、迟报。",
    "召开新闻发布会{n_press}场，参加在线访谈{n_talk}次，由负责同志就群众关心的问题当面答疑。",
    "针对网上出现的{n_hot}起涉及本部门的热点舆情，{self}均在24小时内发布权威信息予以回应。",
    "对涉及群众切身利益的重要文件，起草阶段即通过{site}公开征求意见，全年开展意见征集{n_consult}次，收到意见建议{n_msg}条。",
    "结合{area3}工作，{self}在办事大厅、村（社区）公开栏等线下渠道同步张贴公告，方便不常上网的群众及时知晓。",
    "重点领域信息公开方面，{area1}、{area2}相关的项目批准、结果公示和监管信息均按要求进入专栏集中发布。",
    "全年共更新公开目录{n_dir}条，目录与信息内容一一对应，公开信息的可检索性有所改善。",
    "对各{units}报送的拟公开信息，{office}坚持先审后发，全年审核发布稿件{n_review}篇，未发生因信息发布引起的失泄密问题。",
    "对{area2}方面的新政策，{self}安排业务骨干走进社区、企业面对面宣讲，累计开展宣讲活动{n_talk2}场。",
)
_APPLY = (
    "收到申请后，{office}统一登记、分送承办{unit}，答复文书经{leader}审签后出具，办理过程全程留痕。",
    "对申请内容不明确的，{self}在收到申请之日起7个工作日内一次性告知需要补正的事项，避免申请人多次往返。",
    "答复时注意说明依据和理由，对不能提供的信息逐一告知申请人救济途径。",
    "所有申请均在法定期限内作出答复，未出现逾期答复的情况。",
    "为减少申请人跑腿，{self}开通了网上申请渠道，申请人可在线提交申请并查询办理进度。",
    "对属于其他机关职责范围的申请，{self}告知申请人负责公开的机关名称和联系方式。",
    "年底前对全年办理的申请案卷进行了归档整理，并对答复文书的规范性开展了一次自查。",
    "针对申请集中的{area1}类事项，{self}梳理了常见问题，将可以公开的内容转为主动公开。",
    "{self}参照上级印发的答复文书示范文本修订了本机关的答复模板，答复格式更加统一。",
    "对申请人当面提交的申请，工作人员当场出具登记回执，告知答复期限和联系方式。",
)
_MANAGE = (
    "严格执行公文公开属性源头认定制度，拟文时即明确主动公开、依申请公开或不予公开，全年标注公开属性的公文{n_docs}件。",
    "落实信息发布保密审查，坚持“先审查、后公开”和“一事一审”，确保公开内容不涉密、不泄露个人隐私。",
    "对本部门制发的规范性文件进行了全面清理，清理结果已向社会公布。",
    "建立政府信息公开工作台账，对主动公开信息和依申请公开办理情况按月统计、按季通报。",
    "按照上级要求修订了政府信息公开指南，更新了受理机构、联系方式和办理流程。",
    "对公开平台上的个人信息开展专项排查，对{n_priv}条含有身份证号码、手机号码等个人信息的内容作了技术处理。",
    "规范信息发布程序，明确拟稿、审核、签发、发布各环节责任人，做到谁公开、谁审查、谁负责。",
    "{self}把政府信息管理与档案管理衔接起来，已公开信息定期归档，便于查阅和追溯。",
    "动态调整主动公开基本目录，全年新增目录事项{n_add}项、调整{n_adj}项。",
    "对即将到期的政策文件提前评估，需要延续的及时重新发布，需要废止的及时公告。",
)
_PLATFORM = (
    "{site}是{self}发布政府信息的第一平台，本年度对政府信息公开专栏进行了优化，现设置{n_cols}个一级栏目。",
    "政务新媒体方面，{self}运营{wx}，年内发布信息{n_wechat2}条，关注人数达到{n_fans}人。",
    "按照政府网站集约化要求，{self}网站已整合迁移至统一平台，原有栏目内容全部完成迁移。",
    "在办公场所设置政府信息公开查阅点，配备电脑和纸质资料，方便群众现场查阅。",
    "坚持每日巡查网站和新媒体账号，及时修正错别字、断链等问题，全年未发生严重表述错误。",
    "“互动交流”栏目全年收到群众留言{n_msg2}条，均已按期答复，答复内容同步公开。",
    "利用政务服务大厅电子显示屏、公开栏等载体，定期发布办事指南和政策信息。",
    "对照政府网站年度报表要求，{self}按时公开了网站工作年度报表。",
    "开设{area1}专题专栏，集中发布相关政策文件、办理流程和结果信息。",
)
_SUPERVISE = (
    "{self}成立了由{leader}任组长的政务公开工作领导小组，定期听取工作汇报，研究解决存在的问题。",
    "将政府信息公开工作纳入各{units}年度绩效考核，考核结果与评先评优挂钩。",
    "全年组织政务公开业务培训{n_train}次，参训{n_people}人次，内容涵盖条例解读、依申请公开答复和保密审查等。",
    "主动接受社会监督，在{site}公布监督电话和电子邮箱，本年度未收到有关政府信息公开的投诉举报。",
    "邀请人大代表、政协委员和群众代表对政务公开工作进行评议，收集意见建议{n_sugg}条并逐条研究落实。",
    "对照第三方评估反馈的问题，{self}建立整改清单，已完成整改{n_fix}项。",
    "本年度未发生因政府信息公开工作不到位而被追究责任的情况。",
    "{office}每季度对各{units}信息公开情况检查一次，检查结果在内部通报。",
)
_PROBLEMS = (
    "政策解读的形式还比较单一，以文字解读为主，图解、视频等群众喜闻乐见的形式用得不多",
    "部分{units}对政务公开工作的重视程度不够，信息报送不够主动，更新不够及时",
    "信息公开工作人员多为兼职，业务培训不够系统，依申请公开答复的规范性有待提高",
    "公开内容与群众需求结合得还不够紧密，{area1}等领域信息的深度和广度有待拓展",
    "政务新媒体内容更新频率不稳定，互动回应还不够及时",
    "网站部分历史栏目信息零散，检索功能不够完善，群众查找信息仍不够方便",
    "基层公开标准目录的应用还不够充分，线上线下公开衔接不够顺畅",
    "个别信息发布前审核不够细致，出现过附件缺失、链接失效等问题",
    "对依申请公开中反映出的共性问题分析不够，依申请公开转主动公开的机制还没有真正建立",
    "公开工作的考核评价仍偏重数量，对公开质量和实际效果的评估不足",
)
_MEASURES = (
    "丰富解读方式，对重要政策同步制作图解或短视频，用通俗的语言讲清政策要点",
    "加强业务培训，每半年至少组织一次专题培训，重点提高依申请公开答复的规范化水平",
    "完善信息报送和考核机制，对信息更新不及时的{units}进行通报提醒",
    "围绕{area1}、{area2}等群众关注的事项，进一步细化公开内容，扩大公开范围",
    "加强网站和政务新媒体的日常管理，落实内容审核和巡查制度，确保信息准确规范",
    "优化网站检索和栏目设置，对历史信息分类整理，让群众查得到、看得懂",
    "建立依申请公开转主动公开机制，对多人多次申请的信息及时研究转为主动公开",
    "推进基层政务公开标准化规范化，把公开事项目录落实到具体办事环节",
    "健全政策发布后的回应机制，对群众的疑问及时作出解释说明",
    "把政务公开工作纳入{units}年度考核，强化考核结果运用",
)
_SIX = (
    "无。",
    "本年度{self}未收取政府信息公开信息处理费。",
    "{year}年度，{self}共办理人大代表建议{n_jy}件、政协委员提案{n_ta}件，办理结果已按要求公开。",
    "年度政务公开工作要点确定的各项任务已全部完成。",
    "本年度{self}无其他需要报告的事项。",
)
_SIX_2021 = (
    "依据《政府信息公开信息处理费管理办法》，{self}本年度未发出收费通知，未收取信息处理费。",
    "{self}{year}年度未收取信息处理费，也未发生因收费引起的争议。",
)
_CIRCULAR = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}
_SUBSECTIONS = (
    ("主动公开", "主动公开情况", "主动公开政府信息情况"),
    ("依申请公开", "依申请公开情况", "依申请公开办理情况"),
    ("政府信息管理", "政府信息管理情况", "政府信息管理"),
    ("政府信息公开平台建设", "平台建设情况", "政府信息公开平台建设情况"),
    ("监督保障", "监督保障情况", "监督保障"),
)
_NUMERALS = "一二三四五六七八九十"
_UNITS = ("科室", "股室", "处室", "下属单位")
_TOWN_UNITS = ("站所", "村（社区）")
_SITES = ("门户网站", "政府门户网站", "政府信息公开专栏", "政府网站政务公开专栏")
_NEW_MEDIA = ("政务微信公众号", "官方微博和微信公众号", "政务新媒体账号", "微信公众号和抖音号")


def _pick(rng: random.Random, pool: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(pool, min(k, len(pool)))


AGENCY_LEVELS: tuple[str, ...] = ("province", "city", "county", "district", "town", "street")


def random_agency(
    rng: random.Random, levels: tuple[str, ...] | None = None
) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    """A fictional agency: (name, self references, areas of work, superior).

    ``levels`` limits the administrative level (see ``AGENCY_LEVELS``).
    """

    def place() -> str:
        return rng.choice(_PLACE_A) + rng.choice(_PLACE_B)

    weights = dict(zip(AGENCY_LEVELS, (1, 3, 4, 3, 2, 1), strict=True))
    allowed = [lv for lv in AGENCY_LEVELS if levels is None or lv in levels]
    kind = rng.choices(allowed, [weights[lv] for lv in allowed])[0]
    dept, selves, prov_name, areas = rng.choice(_DEPARTMENTS)
    if kind == "province":
        prov = rng.choice(_PROVINCES)
        if prov_name.endswith("厅"):
            selves = ("我厅", "本厅")
        if prov_name == "人民政府办公厅":
            selves = ("我厅", "本厅")
        return f"{prov}省{prov_name}", selves, areas, "省委、省政府"
    if kind == "city":
        return f"{place()}市{dept}", selves, areas, "市委、市政府"
    if kind == "county":
        return f"{place()}县{dept}", selves, areas, "县委、县政府"
    if kind == "district":
        return f"{place()}市{place()}区{dept}", selves, areas, "区委、区政府"
    if kind == "town":
        town = rng.choice(_PLACE_A) + rng.choice(_TOWN_B)
        if rng.random() < 0.7:
            return f"{place()}县{town}镇人民政府", ("我镇", "镇政府"), _TOWN_AREAS, "县委、县政府"
        return f"{place()}县{town}乡人民政府", ("我乡", "乡政府"), _TOWN_AREAS, "县委、县政府"
    street = place()
    return (
        f"{place()}市{place()}区{street}街道办事处",
        ("本街道", "街道办事处"),
        _TOWN_AREAS,
        "区委、区政府",
    )


def _counts(rng: random.Random, n: int, weights: list[float]) -> list[int]:
    """Split ``n`` items over ``len(weights)`` bins."""
    out = [0] * len(weights)
    if n <= 0 or sum(weights) <= 0:
        return out
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        out[i] += 1
    return out


_LEAF_WEIGHTS: dict[str, float] = {
    "disclose": 0.36, "partial": 0.07,
    "withhold/state_secret": 0.004, "withhold/law_forbidden": 0.008, "withhold/three_safety": 0.008,
    "withhold/third_party": 0.03, "withhold/internal_affairs": 0.02, "withhold/process_info": 0.03,
    "withhold/enforcement_file": 0.015, "withhold/admin_query": 0.035,
    "unable/not_held": 0.2, "unable/needs_creation": 0.03, "unable/unclear": 0.02,
    "reject/complaint": 0.04, "reject/duplicate": 0.03, "reject/publication": 0.008,
    "reject/excessive": 0.01, "reject/confirm": 0.01,
    "other": 0.05, "other/no_correction": 0.02, "other/no_fee": 0.005, "other/other": 0.03,
}  # fmt: skip


def random_requests(
    rng: random.Random, template: Template, new_total: int | None = None
) -> RequestTable:
    """A consistent section 三 table (leaves, total row and total column)."""
    if new_total is None:
        scale = rng.choices((0, 1, 2, 3, 4), (2, 4, 5, 3, 1))[0]
        new_total = (
            0,
            rng.randint(1, 5),
            rng.randint(6, 40),
            rng.randint(41, 300),
            rng.randint(301, 2500),
        )[scale]
    col_w = [
        rng.uniform(3.0, 12.0),
        rng.uniform(0.2, 2.5),
        rng.uniform(0, 0.2),
        rng.uniform(0, 0.2),
        rng.uniform(0, 1.2),
        rng.uniform(0, 0.8),
    ]
    new = _counts(rng, new_total, col_w)
    carried = _counts(rng, rng.randint(0, max(0, new_total // 12)), col_w)
    leaves = outcome_rows(template)
    weights = [_LEAF_WEIGHTS[r] * rng.uniform(0.3, 2.0) for r in leaves]
    weights = [0.0 if w < 0.02 and rng.random() < 0.5 else w for w in weights]
    table: RequestTable = {
        "new_received": dict(zip(APPLICANT_COLUMNS, new, strict=True)),
        "carried_over": dict(zip(APPLICANT_COLUMNS, carried, strict=True)),
        "carried_forward": {},
    }
    for r in leaves:
        table[r] = {}
    for i, col in enumerate(APPLICANT_COLUMNS):
        avail = new[i] + carried[i]
        forward = min(avail, rng.randint(0, avail // 10)) if rng.random() < 0.4 else 0
        table["carried_forward"][col] = forward
        for r, n in zip(leaves, _counts(rng, avail - forward, weights), strict=True):
            table[r][col] = n
    return complete_table(table, template)


def random_review(rng: random.Random, requests_total: int) -> list[Value]:
    """Section 四: 15 consistent numbers, mostly zero for small agencies."""
    out: list[Value] = []
    for share in (25, 60, 80):
        n = (
            rng.randint(0, requests_total // share)
            if requests_total >= 10 and rng.random() < 0.5
            else 0
        )
        parts = _counts(rng, n, [0.55, 0.1, 0.15, 0.2])
        out.extend([*parts, n])
    return out


def random_active(rng: random.Random, template: Template, small: bool) -> ActiveTable:
    """Section 二 numbers for ``template``."""

    def few(hi: int) -> int:
        return 0 if small and rng.random() < 0.6 else rng.randint(0, hi)

    norm_new = few(12)
    if template == "2019":
        return {
            "regulations": [0, 0, 0],
            "normative": [norm_new, norm_new, norm_new + few(60)],
            "licensing": [few(40), rng.choice((0, 0, 1, -1, 2)), few(900)],
            "other_services": [few(30), rng.choice((0, 0, 1, -2)), few(200)],
            "penalty": [few(80), rng.choice((0, 0, 3, -1)), few(300)],
            "coercion": [few(10), 0, few(20)],
            "fees": [few(5), 0],
            "procurement": [few(12), round(rng.uniform(0, 3000), 4) if not small else 0],
        }
    return {
        "regulations": [0, 0, 0],
        "normative": [norm_new, few(4), norm_new + few(50)],
        "licensing": [few(1200)],
        "penalty": [few(400)],
        "coercion": [few(30)],
        "fees": [round(rng.uniform(0, 80), 2) if rng.random() < 0.3 else 0],
    }


def _printed_figure(spec: ReportSpec, row: str) -> int:
    """A figure as the report's own table shows it (true value where not printed)."""
    printed = printed_requests(spec)
    values = printed.get(row)
    members = leaf_groups(spec.template).get(row, ())
    if values is None and members and all(m in printed for m in members):
        values = group_sums(printed, spec.template)[row]
    if values is None:
        values = _row_values(spec, row) if row in spec.requests or members else {}
    total = values.get("total")
    if total is None:
        return sum(values.get(c) or 0 for c in APPLICANT_COLUMNS)
    return total


def requests_paragraph(
    spec: ReportSpec,
    rng: random.Random,
    *,
    intro: bool = False,
    mention: tuple[str, ...] | None = None,
) -> str:
    """Section 三 figures (总计 column as printed) in running text.

    ``intro`` leaves out the applicant split and the 复议/诉讼 sentence;
    ``mention`` limits the outcome groups quoted (default: all non-zero).
    """
    self_ref = _self_ref(spec)
    fig = {
        row: _printed_figure(spec, row)
        for row in ("new_received", "carried_over", "total", "carried_forward")
    }
    groups = {
        g: _printed_figure(spec, g)
        for g in ("disclose", "partial", "withhold", "unable", "reject", "other")
    }
    n, c, t, f = fig["new_received"], fig["carried_over"], fig["total"], fig["carried_forward"]
    if n == 0 and c == 0:
        return rng.choice(
            (
                f"{spec.year}年，{self_ref}未收到政府信息公开申请，也没有上年结转的申请。",
                f"本年度{self_ref}没有收到公民、法人或其他组织提出的政府信息公开申请。",
                f"{spec.year}年度{self_ref}政府信息公开申请数为零。",
            )
        )
    carry = f"，上年结转{c}件" if c else ""
    opening = rng.choice(
        (
            f"{spec.year}年，{self_ref}新收政府信息公开申请{n}件{carry}",
            f"全年共收到政府信息公开申请{n}件{'（另有上年结转' + str(c) + '件）' if c else ''}",
            f"本年度{self_ref}新收公民、法人和其他组织提出的政府信息公开申请{n}件{carry}",
        )
    )
    parts = [opening]
    new_row = printed_requests(spec).get("new_received", {})
    person = new_row.get("natural_person")
    if person is not None and n and rng.random() < 0.5 and not intro:
        parts.append(f"，其中自然人申请{person}件、法人或其他组织申请{n - person}件")
    if n >= 3 and rng.random() < 0.4 and not intro:
        a, b, d = _counts(rng, n, [6, 2, 1])
        chan = [f"网上申请{a}件", f"信函申请{b}件", f"当面申请{d}件"]
        parts.append(
            "。从提交方式看，" + "，".join(x for x, v in zip(chan, (a, b, d), strict=True) if v)
        )
    names = {
        "disclose": "予以公开",
        "partial": "部分公开",
        "withhold": "不予公开",
        "unable": "无法提供",
        "reject": "不予处理",
        "other": "其他处理",
    }
    listed = [
        f"{names[g]}{v}件" for g, v in groups.items() if v and (mention is None or g in mention)
    ]
    sep = rng.choice(("，", "、"))
    if listed:
        done = rng.choice(
            (
                f"。已办结{t}件，其中",
                f"。截至{spec.year}年12月31日，办结{t}件，其中",
                "。从办理结果看，",
            )
        )
        parts.append(done + sep.join(listed))
    if f:
        parts.append(
            rng.choice(
                (f"；另有{f}件尚在答复期内，结转下年度继续办理", f"，结转下年度继续办理{f}件")
            )
        )
    text = "".join(parts) + "。"
    if not intro:
        text += _review_sentence(spec, rng)
    return text


def _review_sentence(spec: ReportSpec, rng: random.Random) -> str:
    if "四" not in spec.sections:
        return ""
    rv = printed_review(spec)
    review, direct, after = rv[4] or 0, rv[9] or 0, rv[14] or 0
    if review == direct == after == 0:
        return rng.choice(
            (
                "全年未发生涉及政府信息公开的行政复议和行政诉讼案件。",
                "本年度没有因政府信息公开引起的行政复议、行政诉讼。",
                "",
            )
        )
    bits = [f"被申请行政复议{review}件" if review else "未被申请行政复议"]
    if direct:
        bits.append(f"未经复议直接提起行政诉讼{direct}件")
    if after:
        bits.append(f"复议后提起行政诉讼{after}件")
    return "本年度因政府信息公开" + "，".join(bits) + "。"


def _self_ref(spec: ReportSpec) -> str:
    for suffix, ref in (
        ("街道办事处", "本街道"),
        ("镇人民政府", "我镇"),
        ("乡人民政府", "我乡"),
        ("委员会", "我委"),
        ("厅", "我厅"),
        ("办公室", "我办"),
    ):
        if spec.agency.endswith(suffix):
            return ref
    return "我局"


def _fill(template_text: str, ctx: dict[str, object]) -> str:
    return template_text.format(**ctx)


def _context(
    rng: random.Random,
    agency: str,
    selves: tuple[str, ...],
    areas: tuple[str, ...],
    superior: str,
    year: int,
    active: ActiveTable,
    template: Template,
) -> dict[str, object]:
    a1, a2, a3 = rng.sample(areas, 3)
    town = agency.endswith(("人民政府", "街道办事处"))
    office = (
        rng.choice(("党政办", "党政综合办公室"))
        if town
        else rng.choice(("办公室", "综合科", "政策法规科", "办公室（政务公开办）"))
    )
    small = 0.3 if town else 1.0

    def n(lo: int, hi: int) -> int:
        return max(1, int(rng.randint(lo, hi) * small))

    normative = active.get("normative", [0])
    licensing = active.get("licensing", [0])
    penalty = active.get("penalty", [0])
    news = n(120, 3200)
    return {
        "year": year,
        "next_year": year + 1,
        "agency": agency,
        "self": selves[0],
        "superior": superior,
        "area1": a1,
        "area2": a2,
        "area3": a3,
        "office": office,
        "leader": rng.choice(("主要负责同志", "分管负责同志", "分管领导", "主要领导")),
        "unit": rng.choice(("科室", "股室", "处室")) if not town else "站所",
        "units": rng.choice(_TOWN_UNITS if town else _UNITS),
        "site": rng.choice(_SITES),
        "wx": rng.choice(_NEW_MEDIA),
        "norm_label": "行政规范性文件" if template == "2021" else "规范性文件",
        "n_news": news,
        "n_legal": max(1, news // rng.randint(3, 8)),
        "n_interp": n(3, 60),
        "n_visual": n(1, 12),
        "n_guides": n(5, 160),
        "n_wechat": n(40, 1500),
        "n_norm": normative[0] or 0,
        "n_clean": n(10, 400),
        "n_lic": licensing[-1] or 0,
        "n_pen": penalty[-1] or 0,
        "n_press": n(1, 12),
        "n_talk": n(1, 8),
        "n_hot": n(1, 9),
        "n_consult": n(1, 15),
        "n_msg": n(3, 120),
        "n_dir": n(20, 900),
        "n_review": n(50, 2000),
        "n_talk2": n(2, 40),
        "n_tasks": n(8, 45),
        "n_staff": rng.randint(1, 3),
        "n_liaison": n(4, 30),
        "n_docs": n(30, 1200),
        "n_priv": n(2, 80),
        "n_add": n(1, 20),
        "n_adj": n(1, 15),
        "n_cols": rng.randint(6, 14),
        "n_wechat2": n(40, 1500),
        "n_fans": n(800, 90000),
        "n_msg2": n(5, 600),
        "n_train": rng.randint(1, 6),
        "n_people": n(15, 400),
        "n_sugg": n(3, 40),
        "n_fix": n(2, 25),
        "n_jy": n(1, 40),
        "n_ta": n(1, 50),
    }


def _paragraphs(
    rng: random.Random, pool: tuple[str, ...], ctx: dict[str, object], paras: int, lo: int, hi: int
) -> list[str]:
    """``paras`` paragraphs of ``lo``..``hi`` sentences each, no sentence twice."""
    sizes = [rng.randint(lo, hi) for _ in range(paras)]
    chosen = _pick(rng, pool, sum(sizes))
    out: list[str] = []
    for size in sizes:
        part, chosen = chosen[:size], chosen[size:]
        if part:
            out.append(_join_sentences(rng, part, ctx))
    return out


def _join_sentences(rng: random.Random, chosen: list[str], ctx: dict[str, object]) -> str:
    if rng.random() < 0.3 and len(chosen) >= 2:
        order = "一二三四五六"
        body = "；".join(f"{order[i]}是{_fill(s, ctx).rstrip('。')}" for i, s in enumerate(chosen))
        return body + "。"
    return "".join(_fill(s, ctx) for s in chosen)


def random_narrative(
    rng: random.Random, spec: ReportSpec, ctx: dict[str, object]
) -> dict[str, list[str]]:
    """Narrative for sections 一..六 composed from the phrase pools."""
    out: dict[str, list[str]] = {s: [] for s in SECTION_IDS}
    intro = [_fill(s, ctx) for s in _pick(rng, _INTRO, rng.randint(1, 3))]
    if rng.random() < 0.5:
        out["一"].append("".join(intro))
    else:
        out["一"].extend(intro)
    style = (
        rng.choice(("separate", "separate", "inline", "plain"))
        if spec.template == "2019"
        else rng.choice(("separate", "inline"))
    )
    received = spec.requests.get("new_received", {}).get("total") or 0
    handling = _paragraphs(rng, _APPLY, ctx, 1, 1, 3) if received and rng.random() < 0.7 else []
    bodies: list[list[str]] = [
        _paragraphs(rng, _ACTIVE, ctx, rng.randint(1, 3), 2, 4),
        [requests_paragraph(spec, rng), *handling],
        _paragraphs(rng, _MANAGE, ctx, 1, 2, 4),
        _paragraphs(rng, _PLATFORM, ctx, 1, 2, 4),
        _paragraphs(rng, _SUPERVISE, ctx, 1, 1, 3),
    ]
    name_style = rng.randint(0, 2)
    for i, (names, body) in enumerate(zip(_SUBSECTIONS, bodies, strict=True)):
        marker = f"（{_NUMERALS[i]}）{names[name_style]}"
        if style == "separate":
            out["一"].append(marker)
            out["一"].extend(body)
        elif style == "inline":
            out["一"].append(f"{marker}。{body[0]}")
            out["一"].extend(body[1:])
        else:
            out["一"].extend(body)
    problems = [_fill(p, ctx) for p in _pick(rng, _PROBLEMS, rng.randint(2, 3))]
    measures = [_fill(m, ctx) for m in _pick(rng, _MEASURES, rng.randint(2, 4))]
    order = "一二三四五"
    form = rng.randint(0, 2)
    year, self_ref = ctx["year"], ctx["self"]
    if form == 0:
        out["五"].append(
            f"{year}年，{self_ref}政府信息公开工作取得了一定成效，但仍存在一些不足："
            + "；".join(f"{order[i]}是{p}" for i, p in enumerate(problems))
            + "。"
        )
        out["五"].append(
            f"{ctx['next_year']}年，{self_ref}将重点做好以下工作："
            + "；".join(f"{order[i]}是{m}" for i, m in enumerate(measures))
            + "。"
        )
    elif form == 1:
        out["五"].append(
            "对照条例要求和群众期待，工作中还存在一些差距，主要是" + "，".join(problems) + "。"
        )
        out["五"].append(f"针对上述问题，{self_ref}将从以下几个方面加以改进：")
        out["五"].extend(f"{order[i]}是{m}。" for i, m in enumerate(measures))
    else:
        out["五"].append("存在的主要问题：" + "；".join(problems) + "。")
        out["五"].append("改进措施：" + "；".join(measures) + "。")
    pool = _SIX + (_SIX_2021 if spec.template == "2021" else ())
    six = [_fill(s, ctx) for s in _pick(rng, pool, rng.randint(1, 3))]
    if "无。" in six and len(six) > 1:
        six.remove("无。")
    out["六"].extend(six)
    return out


def random_preamble(
    rng: random.Random, spec: ReportSpec, ctx: dict[str, object], circular: str | None = None
) -> list[str]:
    """The opening paragraphs before section 一 (may be empty)."""
    if rng.random() < 0.3:
        return []
    cited = circular or _CIRCULAR[spec.template]
    first = rng.choice(
        (
            f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{cited}文件要求编制，内容包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。",
            f"根据《中华人民共和国政府信息公开条例》第五十条规定和{cited}确定的格式，{ctx['self']}编制了本年度报告。",
            f"按照《中华人民共和国政府信息公开条例》和上级主管部门的统一要求，参照{cited}规定的格式，现将{spec.year}年度政府信息公开工作情况报告如下。",
        )
    )
    out = [first]
    if rng.random() < 0.7:
        out.append(f"报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。")
    if rng.random() < 0.5:
        tel = rng.randint(2000000, 8999999)
        phone = f"0{rng.randint(310, 939)}-{tel}"
        contact = f"{spec.agency}{ctx['office']}"
        out.append(
            f"本报告电子版可在{ctx['site']}查阅或下载。如对本报告有疑问，请与{contact}联系（电话：{phone}）。"
        )
    return out


def random_spec(
    rng: random.Random,
    template: Template,
    *,
    requests: RequestTable | None = None,
    requests_total: int | None = None,
    review: list[Value] | None = None,
    flags: ReportFlags | None = None,
    year: int | None = None,
    levels: tuple[str, ...] | None = None,
) -> ReportSpec:
    """A random report whose narrative figures agree with its printed tables.

    Without ``requests`` the section 三 table is consistent (all checks hold);
    a given ``requests``/``review`` is used as is, so a deliberately broken
    table gets a narrative that quotes the broken figures.
    """
    agency, selves, areas, superior = random_agency(rng, levels)
    years = (2019, 2019, 2020, 2020, 2021, 2022) if template == "2019" else (2021, 2022, 2023, 2024)
    year = year if year is not None else rng.choice(years)
    title = f"{agency}{year}年{'度' if rng.random() < 0.1 else ''}政府信息公开工作年度报告"
    small = agency.endswith(("人民政府", "街道办事处"))
    if requests is None:
        total = (
            requests_total if requests_total is not None else (rng.randint(0, 4) if small else None)
        )
        requests = random_requests(rng, template, total)
    active = random_active(rng, template, small)
    if review is None:
        review = random_review(rng, requests["new_received"].get("total") or 0)
    spec = ReportSpec(title, agency, year, template, {}, requests, active, review)
    spec.flags = flags or ReportFlags()
    ctx = _context(rng, agency, selves, areas, superior, year, active, template)
    spec.narrative = random_narrative(rng, spec, ctx)
    spec.preamble = random_preamble(rng, spec, ctx)
    return spec


def random_flags(rng: random.Random) -> ReportFlags:
    """Print options that keep every number recoverable and the arithmetic intact."""
    return ReportFlags(
        fullwidth=rng.random() < 0.5,
        blank_zeros=rng.random() < 0.2,
        omit_carried_forward=False,
        navigation=rng.random() < 0.3,
        writing_notes=rng.random() < 0.1,
        agency_prefix_headings=rng.random() < 0.1,
        indent=rng.random() < 0.3,
        requests_intro=rng.random() < 0.15,
        short_law_label=rng.random() < 0.3,
        tab_page_break_at=rng.choice((None, None, "reject/confirm", "other", "total")),
    )
