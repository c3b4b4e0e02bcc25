"""The report as a Word (.docx) file with real tables and merged cells.

python-docx is imported inside the functions, so ``import gongkai.synth`` stays
cheap for callers that only render text.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path
from typing import Any

from gongkai.synth.blocks import blocks
from gongkai.synth.grids import Grid
from gongkai.synth.spec import ReportSpec

_FIXED_TIME = _dt.datetime(2023, 1, 15, 9, 30, 0)


def _stable_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return buf.getvalue()


def _new_document(spec: ReportSpec) -> Any:
    """An empty document: 宋体 12pt and fixed core properties (stable bytes)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    props = doc.core_properties
    props.title = spec.title
    props.author = spec.agency
    props.last_modified_by = spec.agency
    props.created = _FIXED_TIME
    props.modified = _FIXED_TIME
    props.last_printed = _FIXED_TIME
    props.revision = 1
    return doc


def _docx_table(doc: Any, grid: Grid) -> None:
    from docx.shared import Pt

    table = doc.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = "Table Grid"
    for i, row in enumerate(grid.rows):
        for c in row:
            cell = table.cell(i, c.col)
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(table.cell(i + c.rowspan - 1, c.col + c.colspan - 1))
            cell.text = c.text
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9)


def write_docx(spec: ReportSpec, path: str | Path) -> None:
    """Write ``spec`` as a Word file with real tables and merged cells."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = _new_document(spec)
    for b in blocks(spec):
        if b.kind == "table" and b.grid is not None:
            _docx_table(doc, b.grid)
            doc.add_paragraph()
            continue
        para = doc.add_paragraph()
        run = para.add_run(b.text)
        if b.kind == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(18)
        elif b.kind in ("heading", "subheading"):
            run.bold = True
        elif b.kind == "nav":
            run.font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    Path(path).write_bytes(_stable_zip(buf.getvalue()))
