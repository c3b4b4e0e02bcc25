"""The report model and :func:`read_report`, the reader's one entry point."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gongkai.messages import DEFAULT_LANG, Note
from gongkai.reader import checks as checking
from gongkai.reader.counts import unusable_cells
from gongkai.reader.decode import decode
from gongkai.reader.errors import ReaderError, too_large, unexpected
from gongkai.reader.limits import ReaderLimits
from gongkai.reader.side_tables import (
    parse_proactive_table,
    parse_review_table,
    proactive_template_votes,
)
from gongkai.reader.structure import (
    Layout,
    Section,
    is_narrative,
    split_layout,
    split_table_region,
)
from gongkai.reader.tables import RequestsTable, parse_requests_table
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
    notes: list[Note] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[checking.Check]:
        return [c for c in self.checks if c.ok is False]

    @property
    def warnings(self) -> list[str]:
        """The warnings in Chinese; :meth:`as_dict` renders them in any language."""
        return [note.text() for note in self.notes]

    def as_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """The JSON contract, its messages in ``lang`` (``zh`` or ``en``)."""
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
            "checks": [c.as_dict(lang) for c in self.checks],
            "warnings": [note.text(lang) for note in self.notes],
            "notes": [note.as_dict(lang) for note in self.notes],
        }


def read_report(
    source: str | Path | bytes,
    name: str | None = None,
    taxonomy: Taxonomy | None = None,
    max_bytes: int | None = None,
    limits: ReaderLimits | None = None,
) -> Report:
    """Read a report from a path or from bytes.

    Raises :class:`ReaderError`, and nothing else, on any input that cannot be read, or
    whose reading would cost more than ``limits`` allow (by default ``ReaderLimits``
    with the ``GONGKAI_READER_*`` environment variables; ``max_bytes`` replaces its
    ``max_bytes``).
    """
    label = name or ("<bytes>" if isinstance(source, bytes) else str(source))
    try:
        limits = limits or ReaderLimits.from_env()
        if max_bytes is not None:
            limits = replace(limits, max_bytes=max_bytes)
        data = source if isinstance(source, bytes) else _read_file(Path(source), limits)
        decoded = decode(data, label, limits)
        return parse_lines(decoded.lines, label, decoded.format, decoded.encoding,
                           taxonomy or load_taxonomy(), limits)
    except ReaderError as exc:
        exc.values.setdefault("source", label)
        raise
    except Exception as exc:  # a reader bug must still end as one line, and be found
        raise unexpected(exc, label) from None


# An OSError reading the file → (error kind, message id); any other OSError is "unreadable".
_FILE_ERRORS = (
    (IsADirectoryError, "unsupported", "reader.is_directory"),
    (FileNotFoundError, "not_found", "reader.not_found"),
    (PermissionError, "unreadable", "reader.unreadable"),
)


def _read_file(path: Path, limits: ReaderLimits) -> bytes:
    """The bytes of a report file; too large or unreadable is a :class:`ReaderError`."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise too_large(size, limits.max_bytes)
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)  # it may grow while we read
    except OSError as exc:
        for error, kind, message_id in _FILE_ERRORS:
            if isinstance(exc, error):
                raise ReaderError(kind, str(exc), message_id=message_id) from None
        raise ReaderError("unreadable", str(exc)) from None
    if len(data) > limits.max_bytes:
        raise too_large(len(data), limits.max_bytes)
    return data


def parse_lines(
    lines: list[str], source: str, fmt: str, encoding: str | None, taxonomy: Taxonomy,
    limits: ReaderLimits | None = None,
) -> Report:
    """Decoded lines → a checked report; notes keep the order in which the steps find them."""
    max_count = (limits or ReaderLimits()).max_count
    layout = split_layout(lines)
    notes = list(layout.notes)
    by_number = {s.number: s for s in layout.sections}
    paragraphs, table_lines = _paragraphs_and_tables(layout)
    requests = _read_requests(table_lines, by_number, taxonomy, fmt in ("html", "docx", "pdf"),
                              max_count, notes)
    if layout.title is None and not layout.sections and not requests.found:
        raise ReaderError("not_a_report", "no title, no sections 一–六, no statistics table")
    template = _choose_template(table_lines.get("二", []), requests, notes)
    rows = _request_rows(taxonomy, template, requests, notes)
    proactive_rows, review = _read_side_tables(by_number, table_lines, template, max_count,
                                               notes)
    checks = _run_checks(taxonomy, rows, requests, review, [p.text for p in paragraphs], notes)
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
        notes=notes,
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
    by_number: dict[str, Section],
    taxonomy: Taxonomy,
    structured: bool,
    max_count: int,
    notes: list[Note],
) -> RequestsTable:
    """The 三 table; a missing section, or one without a table, is worth a warning."""
    if "三" not in by_number:
        notes.append(Note("reader.warn.no_section_three", {"sections": list(by_number)}))
        return parse_requests_table([], taxonomy)
    requests = parse_requests_table(table_lines.get("三", []), taxonomy, structured, max_count)
    notes += requests.notes
    if not requests.found:
        notes.append(Note("reader.warn.no_requests_table", {"title": by_number["三"].title}))
    return requests


def _choose_template(
    proactive_lines: list[str], requests: RequestsTable, notes: list[Note]
) -> str | None:
    """The 二 table's column headers name the template; the 三 table's (六) rows only decide
    when 二 says nothing, and a disagreement is reported."""
    votes = proactive_template_votes(proactive_lines)
    table_vote = _template_from_requests(requests.present, requests.rows)
    template = votes.most_common(1)[0][0] if votes else table_vote
    if votes and table_vote and table_vote != template:
        notes.append(Note("reader.warn.template_disagree",
                          {"template": template, "other": table_vote}))
    return template


def _request_rows(
    taxonomy: Taxonomy, template: str | None, requests: RequestsTable, notes: list[Note]
) -> checking.Rows:
    """Every row of the template, blank where not printed, then any other rows read; printed
    tables that lack rows are reported, since blank rows weaken the checks."""
    row_ids = taxonomy.request_row_ids(template)
    if requests.found:
        missing = [
            r for r in _expected_rows(taxonomy, row_ids, template) if r not in requests.present
        ]
        if missing:
            notes.append(Note("reader.warn.rows_missing", {"rows": missing}))
        if "carried_forward" not in requests.present:
            notes.append(Note("reader.warn.carried_forward_missing"))
    rows = {r: requests.rows.get(r, dict.fromkeys(taxonomy.column_ids)) for r in row_ids}
    for extra in sorted(requests.present - set(row_ids)):
        rows[extra] = requests.rows[extra]
    return rows


def _read_side_tables(
    by_number: dict[str, Section],
    table_lines: dict[str, list[str]],
    template: str | None,
    max_count: int,
    notes: list[Note],
) -> tuple[dict[str, Any], dict[str, dict[str, checking.Number]] | None]:
    """The 二 rows (named by the template's columns) and the 四 table, where those sections are."""
    proactive_rows: dict[str, Any] = {}
    if "二" in by_number:
        proactive_rows, more = parse_proactive_table(table_lines.get("二", []), template,
                                                     max_count)
        notes += more
    review, more = (
        parse_review_table(table_lines.get("四", []), max_count) if "四" in by_number
        else (None, [])
    )
    notes += more
    return proactive_rows, review


def _run_checks(
    taxonomy: Taxonomy,
    rows: checking.Rows,
    requests: RequestsTable,
    review: dict[str, dict[str, checking.Number]] | None,
    narrative: list[str],
    notes: list[Note],
) -> list[checking.Check]:
    """All checks in their documented order; rows read without their columns are skipped,
    cells the notes keep out (negative, over the limit) are left out and said."""
    unknown = frozenset(requests.unrecoverable)
    cells = unusable_cells(notes, "requests")
    return [
        *checking.check_requests(taxonomy, rows, requests.present, unknown, cells),
        checking.check_review(review, unusable_cells(notes, "review_litigation")),
        checking.check_narrative(taxonomy, rows, requests.present, narrative, unknown, cells),
    ]


def _template_from_requests(present: set[str], rows: dict) -> str | None:
    """2021 when (六) has sub-rows; 2019 when (六) is a single row with values, or one the
    table goes on past to (七)总计 without sub-rows (blank cells prove nothing either way)."""
    if present & {"other/no_correction", "other/no_fee", "other/other"}:
        return "2021"
    if "other" in present and (
        "total" in present or any(v is not None for v in rows.get("other", {}).values())
    ):
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
