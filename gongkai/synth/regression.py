"""The regression corpus: generated reports in every layout, encoding and format, and the
score of a reader's output against what each one prints.

:func:`regression_cases` makes the same reports for the same seed: text layouts in UTF-8,
GB18030 and UTF-16, HTML, Word and PDF with and without ruling lines, with blank cells,
tables split across pages, merged and nested cells, narratives with distracting figures,
and one report in ten with broken arithmetic. :func:`score` compares one reader output
(``Report.as_dict()``) with the case's expected record; :class:`Tally` adds scores up.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.synth.checks import expected_record, failing_checks
from gongkai.synth.generate import random_spec
from gongkai.synth.layouts import render
from gongkai.synth.pdf import write_pdf
from gongkai.synth.printed import printed_requests, printed_review
from gongkai.synth.random_tables import random_requests
from gongkai.synth.spec import (
    APPLICANT_COLUMNS,
    COLUMN_IDS,
    LAYOUTS,
    ReportFlags,
    ReportSpec,
    RequestTable,
    Template,
    outcome_rows,
)
from gongkai.synth.word import write_docx

TEXT_LAYOUTS = tuple(layout for layout in LAYOUTS if layout != "html")
KINDS: tuple[str, ...] = (*TEXT_LAYOUTS, "html", "docx", "pdf_ruled", "pdf_unruled")
ENCODINGS = ("utf-8", "gb18030", "utf-16")
_LINE_LAYOUTS = ("cell_per_line", "cell_pipe_line", "blank_line_cells")
_PDF_BREAKS = (
    None, "partial", "withhold/third_party", "unable/not_held", "reject/duplicate", "total"
)


@dataclass(frozen=True)
class Case:
    """One generated report: its bytes and what a correct reader outputs for it."""

    name: str
    kind: str
    encoding: str | None
    data: bytes
    expected: dict[str, Any]


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def case_flags(rng: random.Random, kind: str) -> ReportFlags:
    """Print options drawn for one report of ``kind``; every number stays recoverable
    except where a layout loses it (collapsed runs), which the expected record says."""
    flags = ReportFlags(
        fullwidth=_chance(rng, 0.5),
        blank_zeros=_chance(rng, 0.35),
        total_column_only=_chance(rng, 0.08),
        blank_leaf_totals=_chance(rng, 0.08),
        omit_carried_forward=_chance(rng, 0.2),
        navigation=_chance(rng, 0.3),
        writing_notes=_chance(rng, 0.1),
        agency_prefix_headings=_chance(rng, 0.1),
        nbsp=_chance(rng, 0.15),
        indent=_chance(rng, 0.3),
        stray_number_spaces=_chance(rng, 0.1),
        split_title=_chance(rng, 0.1),
        requests_intro=_chance(rng, 0.15),
        group_subtotals=_chance(rng, 0.15),
        short_law_label=_chance(rng, 0.3),
        no_active_table=_chance(rng, 0.12),
        distractors=_chance(rng, 0.4),
        numerals=rng.choices(("arabic", "grouped", "chinese"), (6, 2, 2))[0],
        tight=_chance(rng, 0.1),
    )
    if kind in ("tab", "pipe_ragged"):
        flags.split_label_cells = _chance(rng, 0.3)
        flags.tab_page_break_at = rng.choice((None, None, "reject/confirm", "other", "total"))
    if kind in (*_LINE_LAYOUTS, "html", "docx", "pdf_ruled", "pdf_unruled"):
        flags.split_labels = _chance(rng, 0.3)
    if kind == "docx":
        flags.docx_nested = _chance(rng, 0.3)
        flags.docx_wrapper = _chance(rng, 0.2)
        flags.docx_grid_before = _chance(rng, 0.4)
    if kind.startswith("pdf"):
        flags.pdf_ruled = kind == "pdf_ruled"
        flags.pdf_page = rng.choices(("portrait", "landscape", "rotated"), (6, 2, 2))[0]
        flags.pdf_break_before = rng.choice(_PDF_BREAKS)
        flags.pdf_align = rng.choice(("left", "center", "center_right"))
    return flags


def _broken(rng: random.Random, template: Template) -> RequestTable:
    """A table with one typo: a cell one too high, in its row's 总计 too or only there."""
    table = random_requests(rng, template)
    row = rng.choice(("new_received", "carried_over", *outcome_rows(template), "total"))
    column = rng.choice(APPLICANT_COLUMNS)
    if _chance(rng, 0.5):
        table[row][column] = (table[row][column] or 0) + 1
    table[row]["total"] = (table[row]["total"] or 0) + 1
    return table


def case_spec(rng: random.Random, kind: str) -> ReportSpec:
    """A random report for ``kind``; one in ten has broken arithmetic."""
    template: Template = rng.choice(("2019", "2021"))
    requests = _broken(rng, template) if _chance(rng, 0.1) else None
    flags = case_flags(rng, kind)
    if requests is not None:
        flags.blank_leaf_totals = False  # a typo hidden in blank cells shows only in subtotals
    return random_spec(rng, template, requests=requests, flags=flags)


def _binary(spec: ReportSpec, kind: str) -> bytes:
    """A Word or PDF file written to a temporary folder and read back."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report"
        if kind == "docx":
            write_docx(spec, path)
        else:
            write_pdf(spec, path)
        return path.read_bytes()


_IDENTITY_ROWS = ("new_received", "carried_over", "total", "carried_forward")


def _expected(spec: ReportSpec, kind: str) -> dict[str, Any]:
    """The expected record, with ``unrecoverable``: rows printed whose columns a layout
    loses (collapsed runs); checks that need them cannot fail."""
    expected = expected_record(spec, "pdf" if kind.startswith("pdf") else kind)
    lost = [r for r in printed_requests(spec) if r not in expected["requests"]]
    expected["unrecoverable"] = lost
    if lost:
        review = printed_review(spec) if "四" in spec.sections else None
        failing = failing_checks(expected["requests"], spec.template, review)
        if set(lost) & set(_IDENTITY_ROWS):
            failing = [c for c in failing if c != "identity"]
        expected["failing_checks"] = failing
    return expected


def make_case(index: int, kind: str, rng: random.Random) -> Case:
    """Report ``index`` of ``kind`` with its bytes and expected record."""
    spec = case_spec(rng, kind)
    expected = _expected(spec, kind)
    if kind in TEXT_LAYOUTS:
        encoding = ENCODINGS[(index // len(KINDS)) % len(ENCODINGS)]
        data = render(spec, kind).encode(encoding)  # type: ignore[arg-type]
        return Case(f"{index:04d}-{kind}-{encoding}.txt", kind, encoding, data, expected)
    if kind == "html":
        data = render(spec, "html").encode("utf-8")
        return Case(f"{index:04d}-html.html", kind, "utf-8", data, expected)
    suffix = "docx" if kind == "docx" else "pdf"
    return Case(f"{index:04d}-{kind}.{suffix}", kind, None, _binary(spec, kind), expected)


def regression_cases(
    count: int, seed: int = 0, kinds: tuple[str, ...] = KINDS
) -> Iterator[Case]:
    """``count`` cases, the kinds in turn; the same seed gives the same bytes."""
    for index in range(count):
        kind = kinds[index % len(kinds)]
        yield make_case(index, kind, random.Random(f"{seed}-{index}-{kind}"))


# --- scoring --------------------------------------------------------------------------------


@dataclass
class Score:
    """How one reader output compares with the expected record."""

    cells: int = 0
    cells_exact: int = 0
    rows_wrong: int = 0
    template_ok: bool = True
    identity_ok: bool = True
    false_failures: list[str] = field(default_factory=list)
    missed_failures: list[str] = field(default_factory=list)
    wrong_rows: list[str] = field(default_factory=list)
    error: str | None = None


def _identity_expected(expected: dict[str, Any]) -> bool | None:
    if "identity" in expected["failing_checks"]:
        return False
    if set(expected.get("unrecoverable", ())) & set(_IDENTITY_ROWS):
        return None
    rows = expected["requests"]
    filled = [v for r in ("new_received", "total") for v in rows.get(r, {}).values()]
    if "new_received" in rows and "total" in rows and any(v is not None for v in filled):
        return True
    return None


def score(report: dict[str, Any] | None, expected: dict[str, Any], error: str | None = None
          ) -> Score:
    """Cells, rows, template and check verdicts of one output; ``report`` is None when
    the reader refused the file (``error`` says why)."""
    out = Score(error=error)
    rows = (report or {}).get("tables", {}).get("requests", {}).get("rows", {})
    for row_id, cells in expected["requests"].items():
        got = rows.get(row_id) or {}
        for column in COLUMN_IDS:
            out.cells += 1
            out.cells_exact += got.get(column) == cells.get(column)
        if any(got.get(c) is not None and got.get(c) != cells.get(c) for c in COLUMN_IDS):
            out.wrong_rows.append(row_id)
    for row_id, cells in rows.items():
        if row_id not in expected["requests"] and any(v is not None for v in cells.values()):
            out.wrong_rows.append(row_id)  # a row the report does not print, or cannot prove
    out.rows_wrong = len(out.wrong_rows)
    checks = {c["id"]: c["ok"] for c in (report or {}).get("checks", [])}
    failing = set(expected["failing_checks"])
    out.false_failures = [c for c, ok in checks.items() if ok is False and c not in failing]
    out.missed_failures = [c for c in failing if checks.get(c) is not False]
    out.template_ok = report is not None and report.get("template") == expected["template"]
    out.identity_ok = report is not None and checks.get("identity") == _identity_expected(
        expected
    )
    return out


@dataclass
class Tally:
    """Scores added up, for one format or for all."""

    reports: int = 0
    cells: int = 0
    cells_exact: int = 0
    templates_ok: int = 0
    identity_ok: int = 0
    false_failures: int = 0
    missed_failures: int = 0
    rows_wrong: int = 0
    errors: int = 0

    def add(self, s: Score) -> None:
        self.reports += 1
        self.cells += s.cells
        self.cells_exact += s.cells_exact
        self.templates_ok += s.template_ok
        self.identity_ok += s.identity_ok
        self.false_failures += len(s.false_failures)
        self.missed_failures += len(s.missed_failures)
        self.rows_wrong += s.rows_wrong
        self.errors += s.error is not None

    def row(self, name: str) -> str:
        """One Markdown table row: the figures the README quotes."""

        def pct(part: int, whole: int) -> str:
            return f"{100 * part / whole:.1f}" if whole else "–"

        return (
            f"| {name} | {self.reports} | {pct(self.cells_exact, self.cells)} | "
            f"{pct(self.templates_ok, self.reports)} | {pct(self.identity_ok, self.reports)} | "
            f"{self.false_failures} | {self.missed_failures} | {self.rows_wrong} | "
            f"{self.errors} |"
        )


TABLE_HEADER = (
    "| format | reports | cells exact % | templates % | identity verdicts % | "
    "false check failures | missed check failures | rows wrongly placed | refused |\n"
    "|---|---|---|---|---|---|---|---|---|"
)
