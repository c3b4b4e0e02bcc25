"""The report spec: ids, row order per template, print flags and table arithmetic.

Table semantics used throughout the package:

* ``spec.requests`` is ``{row_id: {column_id: int | None}}`` with the taxonomy
  ids; ``None`` is a cell printed blank.  Group rows (``withhold``,
  ``unable``, ``reject`` and, for 2021, ``other``) are optional subtotal rows;
  they are printed only with ``flags.group_subtotals``.
* ``spec.review_litigation`` holds the 15 numbers of section 四 (行政复议,
  未经复议直接起诉, 复议后起诉; each 维持/纠正/其他/尚未审结/总计).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

Template = Literal["2019", "2021"]
Layout = Literal[
    "tab",
    "pipe_rows",
    "pipe_ragged",
    "cell_per_line",
    "cell_pipe_line",
    "blank_line_cells",
    "collapsed",
    "html",
]
Value = int | None
RequestTable = dict[str, dict[str, Value]]
ActiveTable = dict[str, list[int | float | None]]

LAYOUTS: tuple[Layout, ...] = get_args(Layout)
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
CHECK_IDS: tuple[str, ...] = (
    "identity",
    "outcome_sum",
    "column_sum",
    "review_litigation_sum",
    "narrative",
    "group_sum",
)
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
    no_active_table: bool = False
    """Section 二 prints its heading and paragraphs but no table."""
    split_label_cells: bool = False
    """Tab and pipe layouts: long row labels split over two cells."""
    distractors: bool = False
    """Narrative figures that are not dispositions: 信箱 letters, hotline calls, topics."""
    numerals: str = "arabic"
    """How the 三 paragraph writes its figures: ``arabic``, ``grouped`` (1,203) or
    ``chinese`` (一千二百零三)."""
    pdf_ruled: bool = True
    """PDF: tables drawn with ruling lines (False: borderless, text only)."""
    pdf_page: str = "portrait"
    """PDF page: ``portrait``, ``landscape`` or ``rotated`` (portrait paper, /Rotate 90)."""
    pdf_align: str = "left"
    """PDF table text: ``left`` (numbers centred), ``center`` or ``center_right``."""
    pdf_break_before: str | None = None
    """PDF: the 三 table breaks to a new page before this row id, header rows repeated."""
    docx_nested: bool = False
    """Word: a small table nested in the 予以公开 label cell."""
    docx_wrapper: bool = False
    """Word: every statistics table sits inside a one-cell layout table."""
    docx_grid_before: bool = False
    """Word: rows under a merged label start with ``w:gridBefore`` instead of merged cells."""


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
