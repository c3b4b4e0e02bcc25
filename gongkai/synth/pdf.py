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
from gongkai.synth.printed import printed_row_ids
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


_HEADER_ROWS = {"requests": 3, "review": 3, "active": 0}


class _PdfPages:
    """Minimal page flow for reportlab: wrapped text and tables, ruled or borderless.

    ``page`` is ``portrait``, ``landscape`` or ``rotated`` (portrait paper whose /Rotate 90
    shows it landscape: the content is drawn turned, as a PDF printer does). ``align``:
    text cells ``left`` and numbers centred, everything ``center``, or ``center_right``
    (numbers right-aligned).
    """

    def __init__(
        self, canvas: Any, page: str = "portrait", ruled: bool = True, align: str = "left"
    ) -> None:
        from reportlab.pdfbase import pdfmetrics

        self.c = canvas
        self.width = pdfmetrics.stringWidth
        self.page = page
        self.ruled = ruled
        self.centered = align in ("center", "center_right")
        self.numbers_right = align == "center_right"
        self.page_w, self.page_h = (
            (_PAGE_W, _PAGE_H) if page == "portrait" else (_PAGE_H, _PAGE_W)
        )
        self._start_page()

    def _start_page(self) -> None:
        if self.page == "rotated":
            self.c.setPageRotation(90)
            self.c.transform(0, 1, -1, 0, _PAGE_W, 0)
        self.y = self.page_h - _MARGIN

    def _need(self, height: float) -> bool:
        """Start a new page when ``height`` does not fit; True when it did."""
        if self.y - height < _MARGIN:
            self.new_page()
            return True
        return False

    def new_page(self) -> None:
        self.c.showPage()
        self._start_page()

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
        width = self.page_w - 2 * _MARGIN
        first = 2 * size if indent else 0.0
        lead = size * 1.6
        self.y -= gap
        for n, line in enumerate(self.wrap(text, width, size, first)):
            self._need(lead)
            self.y -= lead
            c.setFont(_PDF_FONT, size)
            if center:
                c.drawCentredString(self.page_w / 2, self.y, line)
            else:
                c.drawString(_MARGIN + (first if n == 0 else 0.0), self.y, line)

    def table(self, grid: Grid, size: float = 7.5, break_at: int | None = None) -> None:
        """Draw ``grid`` row by row; merged cells are ruled as they close. A table that runs
        over a page (or reaches row ``break_at``) goes on with its header rows repeated."""
        xs = [_MARGIN]
        for w in _TABLE_WIDTHS[grid.kind]:
            xs.append(xs[-1] + w)
        self.y -= 6
        header = grid.rows[: _HEADER_ROWS[grid.kind]]
        spans: list[list[int]] = []  # [col, colspan, rows_left]
        for i, row in enumerate(grid.rows):
            fits = self.y - self._row_height(row, xs, size) >= _MARGIN
            if i >= len(header) and (i == break_at or not fits):
                self._close_spans(spans, xs)
                self.new_page()
                for head_row in header:
                    self._table_row(head_row, xs, size, [])
            elif not fits:
                self._close_spans(spans, xs)
                self.new_page()
            spans = self._table_row(row, xs, size, spans)
        self.y -= 6

    def _wrapped(self, row: list[Cell], xs: list[float], size: float) -> dict[int, list[str]]:
        return {
            id(cell): self.wrap(cell.text, xs[cell.col + cell.colspan] - xs[cell.col] - 4, size)
            for cell in row
        }

    def _row_height(self, row: list[Cell], xs: list[float], size: float) -> float:
        wrapped = self._wrapped(row, xs, size)
        lines = max([len(wrapped[id(x)]) for x in row if x.rowspan == 1] or [1])
        return lines * size * 1.35 + 5

    def _table_row(
        self, row: list[Cell], xs: list[float], size: float, spans: list[list[int]]
    ) -> list[list[int]]:
        """Draw one row; returns the merged cells still open below it."""
        c = self.c
        lead = size * 1.35
        wrapped = self._wrapped(row, xs, size)
        height = self._row_height(row, xs, size)
        top, bottom = self.y, self.y - height
        c.setFont(_PDF_FONT, size)
        c.setLineWidth(0.5)
        for cell in row:
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            for k, line in enumerate(wrapped[id(cell)]):
                base = top - size - 2 - k * lead
                if cell.numeric and self.numbers_right:
                    c.drawRightString(x1 - 2, base, line)
                elif cell.numeric or self.centered:
                    c.drawCentredString((x0 + x1) / 2, base, line)
                else:
                    c.drawString(x0 + 2, base, line)
            if self.ruled and cell.rowspan == 1:
                c.rect(x0, bottom, x1 - x0, height)
            elif self.ruled:
                c.line(x0, top, x1, top)
            if cell.rowspan > 1:
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
            span[2] -= 1
            if not self.ruled:
                continue
            c.line(x0, top, x0, bottom)
            c.line(x1, top, x1, bottom)
            if span[2] == 0:
                c.line(x0, bottom, x1, bottom)

    def _close_spans(self, spans: list[list[int]], xs: list[float]) -> None:
        """A page break cuts the merged cells still open: rule their bottom on this page."""
        if self.ruled:
            for span in spans:
                self.c.line(xs[span[0]], self.y, xs[span[0] + span[1]], self.y)


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))


def write_pdf(spec: ReportSpec, path: str | Path) -> None:
    """Write ``spec`` as a PDF (STSong-Light CID font, tables drawn at column x; the
    ``pdf_*`` flags choose rules, page orientation and a page break inside section 三)."""
    from reportlab.pdfgen import canvas as rl_canvas

    _register_font()
    flags = spec.flags
    size = (_PAGE_H, _PAGE_W) if flags.pdf_page == "landscape" else (_PAGE_W, _PAGE_H)
    c = rl_canvas.Canvas(str(path), pagesize=size, invariant=1)
    c.setTitle(spec.title)
    c.setAuthor(spec.agency)
    pages = _PdfPages(c, flags.pdf_page, flags.pdf_ruled, flags.pdf_align)
    for b in blocks(spec):
        if b.kind == "table" and b.grid is not None:
            pages.table(b.grid, 6.5 if b.grid.kind == "review" else 7.5, _break_row(spec, b.grid))
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


def _break_row(spec: ReportSpec, grid: Grid) -> int | None:
    """The grid row where ``flags.pdf_break_before`` starts a new page, if it is printed."""
    ids = printed_row_ids(spec)
    row = spec.flags.pdf_break_before
    if grid.kind != "requests" or row not in ids:
        return None
    return _HEADER_ROWS["requests"] + ids.index(row)


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
