"""Human-readable terminal rendering: a report (the default output of ``gongkai report``)
and one prediction (``gongkai classify TEXT``)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gongkai.cli.common import say
from gongkai.models.predictions import ParagraphPrediction, RequestPrediction, Term
from gongkai.reader import Report
from gongkai.taxonomy import Taxonomy

_SHORT = {
    "natural_person": "自然人",
    "commercial": "商业",
    "research": "科研",
    "nonprofit": "公益",
    "legal_services": "法律",
    "other_org": "其他",
    "total": "总计",
}
_VERDICT = {
    True: "[green]✓ 通过[/green]",
    False: "[red]✗ 不符[/red]",
    None: "[dim]– 无法核对[/dim]",
}


def row_name(taxonomy: Taxonomy, row_id: str) -> str:
    for row in taxonomy.rows:
        if row.id == row_id:
            return row.name
    name = taxonomy.name(row_id)
    return f"  {name}" if "/" in row_id else name


def print_report(report: Report, taxonomy: Taxonomy, console: Console) -> None:
    console.print(f"[bold]{report.title or '(无标题)'}[/bold]  [dim]{report.source}[/dim]")
    console.print(
        f"机关: {report.agency or '?'}   年度: {report.year or '?'}   "
        f"模板: {report.template or '未能判定'}   段落: {len(report.paragraphs)}   "
        f"章节: {''.join(s['number'] for s in report.sections) or '无'}"
    )
    rows = report.requests["rows"]
    failing_cells = _failing_cells(report)
    if report.requests["found"]:
        table = Table(title="三、收到和处理政府信息公开申请情况", show_lines=False)
        table.add_column("行", no_wrap=True, overflow="ellipsis", max_width=26)
        for column in taxonomy.columns:
            table.add_column(_SHORT.get(column.id, column.name), justify="right", min_width=4)
        for row_id, cells in rows.items():
            if all(v is None for v in cells.values()) and row_id in (
                "withhold",
                "unable",
                "reject",
            ):
                continue
            rendered = []
            for column_id, value in cells.items():
                text = "" if value is None else str(value)
                if (row_id, column_id) in failing_cells or ("*", column_id) in failing_cells:
                    text = f"[red]{text or '·'}[/red]"
                rendered.append(text)
            table.add_row(row_name(taxonomy, row_id), *rendered)
        console.print(table)
    checks = Table(title="勾稽关系核对", show_header=True)
    checks.add_column("检查")
    checks.add_column("结果")
    checks.add_column("说明")
    for check in report.checks:
        checks.add_row(check.id, _VERDICT[check.ok], check.message)
    console.print(checks)
    for warning in report.warnings:
        console.print(f"[yellow]注意:[/yellow] {warning}")


def _failing_cells(report: Report) -> set[tuple[str, str]]:
    cells: set[tuple[str, str]] = set()
    for check in report.checks:
        for failure in check.values.get("failures", []):
            if check.id in ("identity", "outcome_sum"):
                cells.add(("*", failure["column"]))
            elif "row" in failure and "column" in failure:
                cells.add((failure["row"], failure["column"]))
            elif "row" in failure and check.id == "column_sum":
                cells.add((failure["row"], "total"))
    return cells


def _terms(explanation: list[Term]) -> str:
    return escape("、".join(item.term for item in explanation)) or "–"


def print_request(prediction: RequestPrediction, taxonomy: Taxonomy) -> None:
    label, group = prediction.label, prediction.group
    say(f"[bold]{label}[/bold]  {taxonomy.name(label)}")
    say(f"  group        {group}  {taxonomy.name(group)}")
    say(f"  score        {prediction.score:.2f}")
    say(f"  legal basis  {prediction.legal_basis}")
    say(f"  top          {' · '.join(f'{item.label} {item.score:.2f}' for item in prediction.top)}")
    say(f"  terms        {_terms(prediction.explanation)}")
    if prediction.needs_record:
        best = prediction.text_label
        say(f"  [yellow]needs record[/yellow] {prediction.question}")
        if best is not None:
            say(f"  text alone   {best.label}  {taxonomy.name(best.label)}  {best.score:.2f}")


def print_paragraph(prediction: ParagraphPrediction, taxonomy: Taxonomy) -> None:
    if not prediction.labels:
        say("no disposition named")
    for label in prediction.labels:
        terms = _terms(prediction.explanation.get(label, []))
        say(f"[bold]{label}[/bold]  {taxonomy.name(label)}  {prediction.scores[label]:.2f}  "
            f"{prediction.legal_basis[label]}  [dim]{terms}[/dim]")
    if prediction.counts:
        figures = ", ".join(f"{row} {value}" for row, value in prediction.counts.items())
        say(f"  counts  {figures}")
