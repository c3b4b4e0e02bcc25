"""The report as a complete HTML page with merged-cell tables."""

from __future__ import annotations

import html

from gongkai.synth.blocks import Block, blocks
from gongkai.synth.grids import Grid
from gongkai.synth.spec import ReportSpec

_HEAD = (
    "<!DOCTYPE html>",
    '<html lang="zh-CN">',
    "<head>",
    '<meta charset="utf-8">',
)
_STYLE = (
    "<style>table{border-collapse:collapse;margin:8px 0}"
    "td{border:1px solid #666;padding:3px 5px;font-size:13px;text-align:center}"
    ".crumb{color:#666;font-size:12px}.content p{line-height:1.8}</style>"
)


def _html_text(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


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


def _content_html(b: Block, indent: str) -> list[str]:
    """HTML of one block inside the article (nav blocks are printed before it)."""
    if b.kind == "title":
        return [f'<h1 class="title">{_html_text(b.text)}</h1>', '<div class="content">']
    if b.kind == "note":
        return [f'<p class="note" style="color:#c00">{_html_text(b.text)}</p>']
    if b.kind == "heading":
        return [f"<p><strong>{_html_text(b.text)}</strong></p>"]
    if b.kind == "subheading":
        return [f'<p style="text-indent:2em"><strong>{_html_text(b.text)}</strong></p>']
    if b.kind == "para":
        text = b.text.lstrip("\u00a0")
        return [f'<p style="text-indent:2em">{indent}{_html_text(text)}</p>']
    if b.grid is not None:
        return [_html_table(b.grid)]
    return []


def render_html(spec: ReportSpec) -> str:
    """A complete HTML page: breadcrumb, title, paragraphs, merged-cell tables."""
    parts = [*_HEAD, f"<title>{_html_text(spec.title)}</title>", _STYLE, "</head>", "<body>"]
    indent = "&nbsp;" * 4 if spec.flags.nbsp else ""
    in_content = False
    for b in blocks(spec):
        if b.kind == "nav":
            parts.append(f'<div class="crumb">{_html_text(b.text)}</div>')
            continue
        if not in_content:
            parts.append('<div class="article">')
            in_content = True
        parts.extend(_content_html(b, indent))
    parts.extend(["</div>", "</div>", "</body>", "</html>"])
    return "\n".join(parts) + "\n"
