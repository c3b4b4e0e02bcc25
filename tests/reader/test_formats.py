"""Word and PDF specifics: nested tables, skipped grid columns, merges, damaged files."""

from __future__ import annotations

import io

import pytest

from gongkai.reader import ReaderError
from gongkai.reader.docx import docx_lines
from gongkai.reader.pdf import pdf_lines


def _docx(build) -> bytes:
    from docx import Document

    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_row_skip(row, name: str, count: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(f"w:{name}")
    element.set(qn("w:val"), str(count))
    row._tr.get_or_add_trPr().append(element)


def test_a_table_nested_in_a_cell_does_not_leak_into_its_row() -> None:
    def build(document) -> None:
        table = document.add_table(rows=1, cols=3)
        label, first, total = table.rows[0].cells
        label.text, first.text, total.text = "(一)予以公开", "6", "6"
        nested = label.add_table(rows=1, cols=2)
        nested.cell(0, 0).text, nested.cell(0, 1).text = "X", "Y"

    assert docx_lines(_docx(build)) == ["(一)予以公开\t6\t6"]


def test_a_one_column_frame_gives_its_tables_in_place() -> None:
    def build(document) -> None:
        frame = document.add_table(rows=1, cols=1).cell(0, 0)
        frame.text = "三、收到和处理政府信息公开申请情况"
        inner = frame.add_table(rows=1, cols=2)
        inner.cell(0, 0).text, inner.cell(0, 1).text = "(七)总计", "9"

    assert docx_lines(_docx(build)) == ["三、收到和处理政府信息公开申请情况", "(七)总计\t9", ""]


def test_grid_before_and_after_keep_the_columns() -> None:
    def build(document) -> None:
        table = document.add_table(rows=2, cols=4)
        for cell, text in zip(table.rows[0].cells, ("(三)不予公开", "1.属于国家秘密", "1", "1"),
                              strict=True):
            cell.text = text
        row = table.rows[1]._tr
        for tc in row.tc_lst[:1] + row.tc_lst[-1:]:
            row.remove(tc)
        _set_row_skip(table.rows[1], "gridBefore", 1)
        _set_row_skip(table.rows[1], "gridAfter", 1)
        table.rows[1].cells[0].text, table.rows[1].cells[1].text = "2.其他法律行政法规禁止公开", "3"

    lines = docx_lines(_docx(build))
    assert lines[-1] == "\t2.其他法律行政法规禁止公开\t3\t"


def test_a_vertical_merge_continuation_is_empty() -> None:
    def build(document) -> None:
        table = document.add_table(rows=2, cols=2)
        merged = table.cell(0, 0).merge(table.cell(1, 0))
        merged.text = "(四)无法提供"
        table.cell(0, 1).text, table.cell(1, 1).text = "1.本机关不掌握", "2.没有现成信息"

    assert docx_lines(_docx(build))[-2:] == ["(四)无法提供\t1.本机关不掌握", "\t2.没有现成信息"]


def test_a_damaged_pdf_is_corrupt_not_a_traceback() -> None:
    from pathlib import Path

    pdf = (Path(__file__).parents[1] / "fixtures" / "reports" / "13_pdf_2019.pdf").read_bytes()
    with pytest.raises(ReaderError) as info:
        pdf_lines(pdf[: len(pdf) // 3])
    assert info.value.kind == "corrupt"


def test_html_nested_tables_and_frames() -> None:
    from gongkai.reader.markup import html_lines

    page = (
        "<table><tr><td><p>三、收到和处理政府信息公开申请情况</p>"
        "<table><tr><td>(一)予以公开<table><tr><td>X</td><td>Y</td></tr></table></td>"
        "<td>6</td><td>6</td></tr></table></td></tr></table>"
    )
    lines = [line for line in html_lines(page) if line.strip()]
    assert lines == ["三、收到和处理政府信息公开申请情况", "(一)予以公开\t6\t6"]
