"""The report as a PDF with a text layer, and a blank scan-like PDF.

Text uses the built-in STSong-Light CID font; tables are drawn cell by cell at
fixed column x, which is what a PDF reader has to put back together.
reportlab is imported inside the functions, so ``import gongkai.synth`` stays
cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongkai.synth.blocks import blocks
from gongkai.synth.grids import Cell, Grid
from gongkai.synth.spec import ReportSpec

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

    def __init__(self, canvas: Any) -> None:
        from reportlab.pdfbase import pdfmetrics

        self.c = canvas
        self.width = pdfmetrics.stringWidth
        self.y = _PAGE_H - _MARGIN

    def _need(self, height: float) -> None:
        if self.y - height < _MARGIN:
            self.c.showPage()
            self.y = _PAGE_H - _MARGIN

    def wrap(self, text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
        """Lines of ``text`` no wider than ``width``; closing punctuation never starts one."""
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
        """Draw a wrapped paragraph ``gap`` below the last one."""
        c = self.c
        width = _PAGE_W - 2 * _MARGIN
        first = 2 * size if indent else 0.0
        lead = size * 1.6
        self.y -= gap
        for n, line in enumerate(self.wrap(text, width, size, first)):
            self._need(lead)
            self.y -= lead
            c.setFont(_PDF_FONT, size)
            if center:
                c.drawCentredString(_PAGE_W / 2, self.y, line)
            else:
                c.drawString(_MARGIN + (first if n == 0 else 0.0), self.y, line)

    def table(self, grid: Grid, size: float = 7.5) -> None:
        """Draw ``grid`` row by row; merged cells are ruled as they close."""
        xs = [_MARGIN]
        for w in _TABLE_WIDTHS[grid.kind]:
            xs.append(xs[-1] + w)
        self.y -= 6
        spans: list[list[int]] = []  # [col, colspan, rows_left]
        for row in grid.rows:
            spans = self._table_row(row, xs, size, spans)
        self.y -= 6

    def _table_row(
        self, row: list[Cell], xs: list[float], size: float, spans: list[list[int]]
    ) -> list[list[int]]:
        """Draw one row; returns the merged cells still open below it."""
        c = self.c
        lead = size * 1.35
        wrapped = {
            id(cell): self.wrap(cell.text, xs[cell.col + cell.colspan] - xs[cell.col] - 4, size)
            for cell in row
        }
        lines = max([len(wrapped[id(x)]) for x in row if x.rowspan == 1] or [1])
        height = lines * lead + 5
        self._need(height)
        top, bottom = self.y, self.y - height
        c.setFont(_PDF_FONT, size)
        c.setLineWidth(0.5)
        for cell in row:
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            for k, line in enumerate(wrapped[id(cell)]):
                base = top - size - 2 - k * lead
                if cell.numeric:
                    c.drawCentredString((x0 + x1) / 2, base, line)
                else:
                    c.drawString(x0 + 2, base, line)
            if cell.rowspan == 1:
                c.rect(x0, bottom, x1 - x0, height)
            else:
                c.line(x0, top, x1, top)
                spans.append([cell.col, cell.colspan, cell.rowspan])
        self._rule_spans(spans, xs, top, bottom)
        self.y = bottom
        return [s for s in spans if s[2] > 0]

    def _rule_spans(
        self, spans: list[list[int]], xs: list[float], top: float, bottom: float
    ) -> None:
        """Side rules of open merged cells; the bottom rule where one ends."""
        c = self.c
        for span in spans:
            x0, x1 = xs[span[0]], xs[span[0] + span[1]]
            c.line(x0, top, x0, bottom)
            c.line(x1, top, x1, bottom)
            span[2] -= 1
            if span[2] == 0:
                c.line(x0, bottom, x1, bottom)


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))


def write_pdf(spec: ReportSpec, path: str | Path) -> None:
    """Write ``spec`` as a PDF (STSong-Light CID font, tables drawn at column x)."""
    from reportlab.pdfgen import canvas as rl_canvas

    _register_font()
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
