"""The report model and :func:`read_report`, the reader's one entry point."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.reader import checks as checking
from gongkai.reader.decode import MAX_BYTES, decode
from gongkai.reader.errors import ReaderError, too_large
from gongkai.reader.structure import (
    Layout,
    Section,
    is_narrative,
    split_layout,
    split_table_region,
)
from gongkai.reader.tables import (
    RequestsTable,
    parse_proactive_table,
    parse_requests_table,
    parse_review_table,
    proactive_template_votes,
)
from gongkai.taxonomy import Taxonomy, load_taxonomy


@dataclass
class Paragraph:
    index: int
    section: str | None
    text: str


@dataclass
class Report:
    """Everything read from one report; :meth:`as_dict` is the documented JSON contract."""

    source: str
    format: str
    encoding: str | None
    title: str | None
    agency: str | None
    year: int | None
    template: str | None
    sections: list[dict[str, str]]
    paragraphs: list[Paragraph]
    requests: dict[str, Any]
    proactive: dict[str, Any]
    review_litigation: dict[str, Any]
    checks: list[checking.Check]
    warnings: list[str] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[checking.Check]:
        return [c for c in self.checks if c.ok is False]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "agency": self.agency,
            "year": self.year,
            "template": self.template,
            "sections": self.sections,
            "paragraphs": [
                {"index": p.index, "section": p.section, "text": p.text} for p in self.paragraphs
            ],
            "tables": {
                "requests": self.requests,
                "proactive": self.proactive,
                "review_litigation": self.review_litigation,
            },
            "checks": [c.as_dict() for c in self.checks],
            "warnings": self.warnings,
        }


def read_report(
    source: str | Path | bytes,
    name: str | None = None,
    taxonomy: Taxonomy | None = None,
    max_bytes: int = MAX_BYTES,
) -> Report:
    """Read a report from a path or from bytes; raises :class:`ReaderError` on unreadable input."""
    if isinstance(source, bytes):
        data, label = source, name or "<bytes>"
    else:
        path = Path(source)
        label = name or str(source)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise too_large(size, max_bytes)
            data = path.read_bytes()
        except IsADirectoryError:
            raise ReaderError("unsupported", f"{label} is a directory, not a report file") from None
        except FileNotFoundError:
            raise ReaderError("not_found", f"no such file: {label}") from None
        except PermissionError:
            raise ReaderError("unreadable", f"permission denied: {label}") from None
        except OSError as exc:
            raise ReaderError("unreadable", f"cannot read {label}: {exc.strerror}") from None
    decoded = decode(data, label, max_bytes=max_bytes)
    return parse_lines(
        decoded.lines, label, decoded.format, decoded.encoding, taxonomy or load_taxonomy()
    )


def parse_lines(
    lines: list[str], source: str, fmt: str, encoding: str | None, taxonomy: Taxonomy
) -> Report:
    """Decoded lines → a checked report; warnings keep the order in which the steps find them."""
    layout = split_layout(lines)
    warnings = list(layout.warnings)
    by_number = {s.number: s for s in layout.sections}
    paragraphs, table_lines = _paragraphs_and_tables(layout)
    requests = _read_requests(
        table_lines, "三" in by_number, taxonomy, fmt in ("html", "docx"), warnings
    )
    template = _choose_template(table_lines.get("二", []), requests, warnings)
    rows = _request_rows(taxonomy, template, requests, warnings)
    proactive_rows, review = _read_side_tables(by_number, table_lines, template, warnings)
    checks = _run_checks(taxonomy, rows, requests, review, [p.text for p in paragraphs])
    if layout.title is None and not layout.sections and not requests.found:
        raise ReaderError(
            "not_a_report",
            "not an annual report: no title, no sections 一–六 and no statistics table found",
        )
    return Report(
        source=source,
        format=fmt,
        encoding=encoding,
        title=layout.title,
        agency=layout.agency,
        year=layout.year,
        template=template,
        sections=[{"number": s.number, "title": s.title} for s in layout.sections],
        paragraphs=paragraphs,
        requests={"found": requests.found, "rows": rows},
        proactive={"found": bool(proactive_rows), "rows": proactive_rows},
        review_litigation={"found": review is not None, "rows": review or {}},
        checks=checks,
        warnings=warnings,
    )


def _paragraphs_and_tables(layout: Layout) -> tuple[list[Paragraph], dict[str, list[str]]]:
    """Narrative paragraphs in reading order, and the table lines of sections 二, 三 and 四
    (the text around those tables is narrative too)."""
    texts: list[tuple[str | None, str]] = [
        (None, line) for line in layout.preamble if is_narrative(line)
    ]
    table_lines: dict[str, list[str]] = {}
    for section in layout.sections:
        body = section.lines
        if section.number in ("二", "三", "四"):
            before, table, after = split_table_region(section)
            table_lines[section.number] = table
            body = before + after
        texts += [(section.number, line) for line in body]
    paragraphs: list[Paragraph] = []
    for section_number, line in texts:
        text = " ".join(line.replace("\xa0", " ").replace("\u3000", " ").split())
        if text:
            paragraphs.append(Paragraph(len(paragraphs), section_number, text))
    return paragraphs, table_lines


def _read_requests(
    table_lines: dict[str, list[str]],
    has_section: bool,
    taxonomy: Taxonomy,
    structured: bool,
    warnings: list[str],
) -> RequestsTable:
    """The 三 table; a missing section, or one without a table, is worth a warning."""
    if not has_section:
        warnings.append("no section 三 (收到和处理政府信息公开申请情况) found")
        return parse_requests_table([], taxonomy)
    requests = parse_requests_table(table_lines.get("三", []), taxonomy, structured)
    warnings += requests.warnings
    if not requests.found:
        warnings.append("section 三 has no recognisable statistics table")
    return requests


def _choose_template(
    proactive_lines: list[str], requests: RequestsTable, warnings: list[str]
) -> str | None:
    """The 二 table's column headers name the template; the 三 table's (六) rows only decide
    when 二 says nothing, and a disagreement is reported."""
    votes = proactive_template_votes(proactive_lines)
    table_vote = _template_from_requests(requests.present, requests.rows)
    template = votes.most_common(1)[0][0] if votes else table_vote
    if votes and table_vote and table_vote != template:
        warnings.append(
            f"section 二 reads as the {template} template but section 三 as {table_vote}; "
            f"{template} kept"
        )
    return template


def _request_rows(
    taxonomy: Taxonomy, template: str | None, requests: RequestsTable, warnings: list[str]
) -> checking.Rows:
    """Every row of the template, blank where not printed, then any other rows read; printed
    tables that lack rows are reported, since blank rows weaken the checks."""
    row_ids = taxonomy.request_row_ids(template)
    if requests.found:
        missing = [
            r for r in _expected_rows(taxonomy, row_ids, template) if r not in requests.present
        ]
        if missing:
            warnings.append("missing rows in the 三 table: " + ", ".join(missing))
        if "carried_forward" not in requests.present:
            warnings.append(
                "row carried_forward (四、结转下年度继续办理) missing: counted as 0 in checks"
            )
    rows = {r: requests.rows.get(r, dict.fromkeys(taxonomy.column_ids)) for r in row_ids}
    for extra in requests.present - set(row_ids):
        rows[extra] = requests.rows[extra]
    return rows


def _read_side_tables(
    by_number: dict[str, Section],
    table_lines: dict[str, list[str]],
    template: str | None,
    warnings: list[str],
) -> tuple[dict[str, Any], dict[str, dict[str, checking.Number]] | None]:
    """The 二 rows (named by the template's columns) and the 四 table, where those sections are."""
    proactive_rows: dict[str, Any] = {}
    if "二" in by_number:
        proactive_rows, more = parse_proactive_table(table_lines.get("二", []), template)
        warnings += more
    review, more = (
        parse_review_table(table_lines.get("四", [])) if "四" in by_number else (None, [])
    )
    warnings += more
    return proactive_rows, review


def _run_checks(
    taxonomy: Taxonomy,
    rows: checking.Rows,
    requests: RequestsTable,
    review: dict[str, dict[str, checking.Number]] | None,
    narrative: list[str],
) -> list[checking.Check]:
    """All checks in their documented order; rows read without their columns are skipped."""
    unknown = frozenset(requests.unrecoverable)
    return [
        *checking.check_requests(taxonomy, rows, requests.present, unknown),
        checking.check_review(review),
        checking.check_narrative(taxonomy, rows, requests.present, narrative, unknown),
    ]


def _template_from_requests(present: set[str], rows: dict) -> str | None:
    """2021 when (六) has sub-rows; 2019 when (六) is a single row with values."""
    if present & {"other/no_correction", "other/no_fee", "other/other"}:
        return "2021"
    if "other" in present and any(v is not None for v in rows.get("other", {}).values()):
        return "2019"
    return None


def _expected_rows(taxonomy: Taxonomy, row_ids: list[str], template: str | None) -> list[str]:
    """Rows every filled-in table prints: leaves and core rows, not the bare group headers."""
    headers = {"withhold", "unable", "reject"}
    if template != "2019":
        headers.add("other")
    expected = [r for r in row_ids if r not in headers and r != "carried_forward"]
    if template is None:
        expected = [r for r in expected if r != "other" and not r.startswith("other/")]
    return expected
