"""Human-readable terminal rendering: a report (the default output of ``gongkai report``)
and one prediction (``gongkai classify TEXT``), in the command's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from gongkai.cli.common import console, emit
from gongkai.messages import Lang, check_details, say
from gongkai.models.predictions import ParagraphPrediction, RequestPrediction, Term
from gongkai.taxonomy import Taxonomy

if TYPE_CHECKING:  # the reader is imported by the commands that read, not by classify
    from gongkai.reader import Report
    from gongkai.reader.checks import Check

_VERDICT_STYLE = {True: ("verdict.ok", "green"), False: ("verdict.fail", "red"),
                  None: ("verdict.none", "dim")}
_SPARSE_GROUPS = ("withhold", "unable", "reject")  # rows printed only when given


def row_name(taxonomy: Taxonomy, row_id: str, lang: Lang) -> str:
    """The first column of the table: Chinese names, leaves indented; ids in English."""
    if lang == "en":
        return row_id
    for row in taxonomy.rows:
        if row.id == row_id:
            return row.name
    name = taxonomy.name(row_id)
    return f"  {name}" if "/" in row_id else name


def print_report(report: Report, taxonomy: Taxonomy, lang: Lang) -> None:
    title = escape(report.title or say("report.no_title", lang))
    console.print(f"[bold]{title}[/bold]  [dim]{escape(report.source)}[/dim]")
    unknown = say("report.unknown", lang)
    console.print(say("report.meta", lang, agency=report.agency or unknown,
                      year=report.year or unknown,
                      template=report.template or say("report.undetermined", lang),
                      paragraphs=len(report.paragraphs),
                      sections="".join(s["number"] for s in report.sections)
                      or say("report.none", lang)), highlight=False)
    if report.requests["found"]:
        console.print(_requests_table(report, taxonomy, lang))
    console.print(f"[bold]{say('report.checks', lang)}[/bold]")
    for check in report.checks:
        _print_check(check, lang)
    for warning in report.warnings:
        console.print(say("report.warning", lang, warning=warning), style="yellow",
                      highlight=False, markup=False, soft_wrap=True)


def _print_check(check: Check, lang: Lang) -> None:
    """A check that fails: its name, then each failure and the comparisons left out; any
    other: its verdict message, which names the check and what was (not) compared."""
    message_id, style = _VERDICT_STYLE[check.ok]
    verdict = f"  [{style}]{say(message_id, lang)}[/]  "
    if check.ok is not False:
        console.print(verdict + escape(check.note.text(lang)), highlight=False, soft_wrap=True)
        return
    console.print(verdict + escape(say(f"check.{check.id}", lang)), highlight=False)
    details = check_details(check.as_dict(lang), lang)
    if check.values.get("unusable"):
        details.append(say("check.cells_skipped", lang, skipped=check.note.values["skipped"],
                           cells=check.values["unusable"]))
    for line in details:
        console.print(f"      · {escape(line)}", highlight=False, soft_wrap=True)


def _requests_table(report: Report, taxonomy: Taxonomy, lang: Lang) -> Table:
    failing = _failing_cells(report)
    table = Table(title=say("report.table", lang), show_lines=False)
    table.add_column(say("report.row", lang), no_wrap=True, overflow="ellipsis", max_width=26)
    for column in taxonomy.columns:
        table.add_column(say(f"column.short.{column.id}", lang), justify="right", min_width=4)
    for row_id, cells in report.requests["rows"].items():
        if row_id in _SPARSE_GROUPS and all(v is None for v in cells.values()):
            continue
        rendered = []
        for column_id, value in cells.items():
            shown = "" if value is None else str(value)
            if (row_id, column_id) in failing or ("*", column_id) in failing:
                shown = f"[red]{shown or '·'}[/red]"
            rendered.append(shown)
        table.add_row(escape(row_name(taxonomy, row_id, lang)), *rendered)
    return table


def _failing_cells(report: Report) -> set[tuple[str, str]]:
    cells: set[tuple[str, str]] = set()
    for check in report.checks:
        for failure in check.values.get("failures", []):
            if check.id in ("identity", "outcome_sum"):
                cells.add(("*", failure["column"]))
            elif "row" in failure and "column" in failure:
                cells.add((failure["row"], failure["column"]))
            elif "row" in failure:
                cells.add((failure["row"], "total"))
    return cells


def _terms(explanation: list[Term]) -> str:
    return escape("、".join(item.term for item in explanation)) or "–"


def _fields(rows: list[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in rows:
        grid.add_row(name, value)
    return grid


def print_request(prediction: RequestPrediction, taxonomy: Taxonomy, lang: Lang) -> None:
    label, group = prediction.label, prediction.group
    emit(f"[bold]{label}[/bold]  {taxonomy.name(label)}")
    rows = [
        (say("show.group", lang), f"{group}  {taxonomy.name(group)}"),
        (say("show.score", lang), f"{prediction.score:.2f}"),
        (say("show.legal_basis", lang), escape(prediction.legal_basis)),
    ]
    article = taxonomy.article_text(label)
    if article:
        rows.append((say("show.article", lang), escape(article)))
    rows += [
        (say("show.top", lang),
         " · ".join(f"{item.label} {item.score:.2f}" for item in prediction.top)),
        (say("show.terms", lang), _terms(prediction.explanation)),
    ]
    if prediction.needs_record:
        rows.append((f"[yellow]{say('show.needs_record', lang)}[/yellow]",
                     escape(prediction.question or "")))
        best = prediction.text_label
        if best is not None:
            rows.append((say("show.text_alone", lang),
                         f"{best.label}  {taxonomy.name(best.label)}  {best.score:.2f}"))
    console.print(_fields(rows))


def print_paragraph(prediction: ParagraphPrediction, taxonomy: Taxonomy, lang: Lang) -> None:
    if not prediction.labels:
        emit(say("show.no_disposition", lang))
    for label in prediction.labels:
        terms = _terms(prediction.explanation.get(label, []))
        emit(f"[bold]{label}[/bold]  {taxonomy.name(label)}  {prediction.scores[label]:.2f}  "
             f"{escape(prediction.legal_basis[label])}  [dim]{terms}[/dim]")
    if prediction.counts:
        figures = ", ".join(f"{row} {value}" for row, value in prediction.counts.items())
        emit(f"  {say('show.counts', lang)}  {figures}")
