"""Plain-text layouts: the shapes tables take when copied out of web pages,
Word files and PDFs (see ``LAYOUTS``), and :func:`render`."""

from __future__ import annotations

import re

from gongkai.synth.blocks import blocks
from gongkai.synth.grids import Grid, request_rows
from gongkai.synth.html_page import render_html
from gongkai.synth.labels import COLUMN_NAMES, IDENTITY_NOTE
from gongkai.synth.printed import punct
from gongkai.synth.spec import APPLICANT_COLUMNS, Layout, ReportSpec


def _blank(spec: ReportSpec, text: str) -> str:
    return "\u00a0" if spec.flags.nbsp and not text else text


_SPLIT_AT = re.compile(r"(?<=、)(?=行政机关不再处理)|(?=\((?:区分|只计))|(?=（(?:区分|只计))")


def _split_label(spec: ReportSpec, label: str) -> list[str]:
    """A long label over two cells where ``flags.split_label_cells`` asks for it."""
    if not spec.flags.split_label_cells:
        return [label]
    parts = _SPLIT_AT.split(label, maxsplit=1)
    return [p for p in parts if p]


def _tab_requests(spec: ReportSpec, sep: str = "\t") -> list[str]:
    """Section 三 in the seed's tab layout: ragged rows, labels across cells, trailing empty
    cells; ``sep`` joins the cells (the seed's tab, or `` | ``)."""
    note = punct(IDENTITY_NOTE, spec.flags.fullwidth)
    names = [COLUMN_NAMES[c] for c in APPLICANT_COLUMNS[1:]]
    lines = [
        sep.join([note, "", "申请人情况", "", "", "", "", "", "总计", "", ""]),
        sep.join(["", "", "自然人", "法人或其他组织"] + [""] * 7),
        sep.join(["", "", "", *names, "", "", ""]),
    ]
    broken = False
    for r in request_rows(spec):
        if spec.flags.tab_page_break_at == r.row_id:
            broken = True
        own = _split_label(spec, r.label)
        if r.kind == "top":
            label = own
        elif r.kind in ("outcome", "group"):
            label = [r.result_label, *own]
        else:
            label = ["", r.group_label, *own]
        if broken:
            label = [x for x in label if x]
        cells = [*label, "", *(_blank(spec, v) for v in r.values)]
        cells += [""] * (11 - len(cells))
        lines.append(sep.join(cells))
    return lines


def _cell_lines(spec: ReportSpec, grid: Grid, layout: Layout) -> list[str]:
    """Layouts that print the cells that start in a row, one by one."""
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


def _table_lines(spec: ReportSpec, grid: Grid, layout: Layout) -> list[str]:
    if layout == "tab":
        if grid.kind == "requests":
            return _tab_requests(spec)
        return ["\t".join(row) for row in grid.full_rows()]
    if layout == "pipe_rows":
        return [" | ".join(_blank(spec, t) for t in row) for row in grid.full_rows()]
    if layout == "pipe_ragged":
        if grid.kind == "requests":
            return _tab_requests(spec, " | ")
        return [" | ".join(row) for row in grid.full_rows()]
    return _cell_lines(spec, grid, layout)


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
    single = spec.flags.tight or layout in (
        "blank_line_cells", "pipe_rows", "pipe_ragged", "collapsed"
    )
    sep = "\n" if single else "\n\n"
    text = sep.join("\n".join(chunk) for chunk in chunks)
    return text.rstrip("\n") + "\n"
