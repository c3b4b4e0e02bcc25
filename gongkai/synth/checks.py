"""What a correct reader must output for a rendered report.

:func:`expected_record` is the record a reader should produce;
:func:`failing_checks` are the arithmetic checks that fail on a printed table.
"""

from __future__ import annotations

from gongkai.synth.printed import (
    collapsed_recoverable,
    is_subheading,
    printed_requests,
    printed_review,
)
from gongkai.synth.spec import (
    APPLICANT_COLUMNS,
    CHECK_IDS,
    COLUMN_IDS,
    ReportSpec,
    RequestTable,
    Template,
    Value,
    leaf_groups,
    outcome_rows,
)


def _all_blank(values: list[Value]) -> bool:
    return all(v is None for v in values)


def _compare(left: list[Value], right: list[Value]) -> bool:
    """True when the sums differ; sides made only of blank cells are skipped."""
    if _all_blank(left) or _all_blank(right):
        return False
    return sum(v or 0 for v in left) != sum(v or 0 for v in right)


def _identity_fails(requests: RequestTable) -> bool:
    """新收 + 上年结转 = 总计 + 结转下年度; a missing 结转下年度 row counts as 0."""
    if "new_received" not in requests or "total" not in requests:
        return False
    cf = requests.get("carried_forward", {})
    co = requests.get("carried_over", {})
    return any(
        _compare(
            [requests["new_received"].get(c), co.get(c)],
            [requests["total"].get(c), cf.get(c, 0 if not cf else None)],
        )
        for c in COLUMN_IDS
    )


def _outcome_sum_fails(requests: RequestTable, template: Template) -> bool:
    """The leaf outcome rows (never the group subtotals) add up to 总计."""
    leaves = outcome_rows(template)
    if "total" not in requests or not all(r in requests for r in leaves):
        return False
    return any(
        _compare([requests[r].get(c) for r in leaves], [requests["total"].get(c)])
        for c in COLUMN_IDS
    )


def _column_sum_fails(requests: RequestTable) -> bool:
    """Every row's applicant columns add up to its 总计 column."""
    return any(
        _compare([row.get(c) for c in APPLICANT_COLUMNS], [row.get("total")])
        for row in requests.values()
    )


def _group_sum_fails(requests: RequestTable, template: Template) -> bool:
    """Printed group subtotal rows equal the sum of their printed leaves."""
    for group, members in leaf_groups(template).items():
        if group not in requests or not all(m in requests for m in members):
            continue
        if any(
            _compare([requests[m].get(c) for m in members], [requests[group].get(c)])
            for c in COLUMN_IDS
        ):
            return True
    return False


def _review_sum_fails(review_litigation: list[Value] | None) -> bool:
    """Each block of section 四 adds up to its printed 总计."""
    if review_litigation is None or len(review_litigation) != 15:
        return False
    for start in (0, 5, 10):
        block = review_litigation[start : start + 5]
        if block[4] is not None and sum(v or 0 for v in block[:4]) != block[4]:
            return True
    return False


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
    failed = {
        "identity": _identity_fails(requests),
        "outcome_sum": _outcome_sum_fails(requests, template),
        "column_sum": _column_sum_fails(requests),
        "group_sum": _group_sum_fails(requests, template),
        "review_litigation_sum": _review_sum_fails(review_litigation),
    }
    return [c for c in CHECK_IDS if failed.get(c)]


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


def expected_template(spec: ReportSpec) -> Template | None:
    """The template the tables prove: section 二's columns, else the rows of (六)其他处理."""
    if "二" in spec.sections and not spec.flags.no_active_table:
        return spec.template
    printed = printed_requests(spec)
    if any(r.startswith("other/") for r in printed):
        return "2021"
    if "other" in printed and "total" in printed:
        return "2019"
    return None


def expected_record(spec: ReportSpec, layout: str) -> dict[str, object]:
    """What a correct reader outputs for ``spec`` rendered in ``layout``."""
    paragraphs = sum(
        1
        for sec in spec.sections
        for p in spec.narrative.get(sec, [])
        if p.strip() and not is_subheading(p)
    )
    if spec.flags.requests_intro and "三" in spec.sections:
        paragraphs += 1
    return {
        "template": expected_template(spec),
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
