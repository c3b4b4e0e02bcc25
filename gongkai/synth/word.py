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


def _docx_table(container: Any, grid: Grid, spec: ReportSpec) -> None:
    """``grid`` as a Word table in ``container`` (the document or a cell), merged cells
    merged; the ``docx_*`` flags nest it, nest a table in a label cell or use gridBefore."""
    from docx.shared import Pt

    flags = spec.flags
    if flags.docx_wrapper:
        outer = container.add_table(rows=1, cols=1)
        outer.style = "Table Grid"
        container = outer.cell(0, 0)
    table = container.add_table(rows=len(grid.rows), cols=grid.width)
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
            if flags.docx_nested and "予以公开" in c.text and not c.numeric:
                nested = cell.add_table(rows=1, cols=2)
                nested.cell(0, 0).text, nested.cell(0, 1).text = "X", "Y"
    if flags.docx_grid_before:
        _grid_before(table)


def _grid_before(table: Any) -> None:
    """Drop the merged-over cells that start a row and say ``w:gridBefore`` instead, as
    Word does for rows that begin further right."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for tr in table._tbl.tr_lst:
        skipped = 0
        for tc in list(tr.tc_lst):
            props = tc.tcPr
            merge = props.find(qn("w:vMerge")) if props is not None else None
            if merge is None or merge.get(qn("w:val")) not in (None, "continue"):
                break
            skipped += tc.grid_span
            tr.remove(tc)
        if skipped:
            tr_pr = tr.get_or_add_trPr()
            before = OxmlElement("w:gridBefore")
            before.set(qn("w:val"), str(skipped))
            tr_pr.insert(0, before)


def write_docx(spec: ReportSpec, path: str | Path) -> None:
    """Write ``spec`` as a Word file with real tables and merged cells."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = _new_document(spec)
    for b in blocks(spec):
        if b.kind == "table" and b.grid is not None:
            _docx_table(doc, b.grid, spec)
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
