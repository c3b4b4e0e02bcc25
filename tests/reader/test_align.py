"""Placing a row's numbers in their columns, or saying that they cannot be placed."""

from __future__ import annotations

from gongkai.reader import read_report
from gongkai.reader.align import RowCells, expand_collapsed, place_rows

SEVEN = ["1", "2", "3", "4", "5", "6", "21"]


def _seed_row(kind: str, values: list[str]) -> RowCells:
    """A row as the seed's tab copy prints it: label, one pad, values, ragged end (11 cells)."""
    label_cells = {"top": 1, "outcome": 2, "leaf": 3}[kind]
    cells = ["", *values]
    cells += [""] * (11 - label_cells - len(cells))
    return RowCells(cells, start=label_cells, lone_label_at_zero=kind == "top")


def test_a_row_that_fills_its_first_and_last_column_places_itself() -> None:
    row = RowCells(["", *SEVEN, ""], start=1)
    assert place_rows([row], None, end_trusted=True) == [SEVEN]


def test_total_only_rows_ending_in_empty_cells_take_the_tables_left_offset() -> None:
    total = ["", "", "", "", "", "", "9"]
    rows = [_seed_row("top", total), _seed_row("outcome", total), _seed_row("leaf", total)]
    assert place_rows(rows, heading_at=2, end_trusted=True) == [total, total, total]


def test_a_layout_the_heading_contradicts_is_dropped() -> None:
    """Left offset 1 and right margin 0 both fit these rows; the 自然人 heading at column 2
    shows which: right-aligned values would put 总计's number under 法律服务机构."""
    total = ["", "", "", "", "", "", "9"]
    rows = [_seed_row("top", total), _seed_row("outcome", total)]
    assert place_rows(rows, heading_at=None, end_trusted=True) == [None, None]
    assert place_rows(rows, heading_at=2, end_trusted=True) == [total, total]


def test_a_rectangular_grid_is_right_aligned() -> None:
    grid = [
        RowCells(["", "", "5", "", "", "", "", "", "5"], start=1, lone_label_at_zero=True),
        RowCells(["", "2", "", "", "", "", "", ""], start=2),
        RowCells(["3", "", "", "", "", "", "3"], start=3),
    ]
    placed = place_rows(grid, heading_at=3, end_trusted=True)
    assert placed == [
        ["5", "", "", "", "", "", "5"],
        ["2", "", "", "", "", "", ""],
        ["3", "", "", "", "", "", "3"],
    ]


def test_trimmed_lines_leave_a_lone_number_unplaced() -> None:
    """Without trailing empty cells and with no row that shows the offset, a lone number
    could sit in any column: it stays unplaced."""
    rows = [RowCells(["", "", "", "", "", "", "", "9"], start=1) for _ in range(3)]
    assert place_rows(rows, heading_at=None, end_trusted=False) == [None, None, None]


def test_blank_rows_and_invisible_gaps() -> None:
    blank = RowCells(["", "", ""], start=1)
    spaced = RowCells(["1", "2", "3"], gaps_visible=False)
    full = RowCells(SEVEN, gaps_visible=False)
    assert place_rows([blank, spaced, full], None, True) == [[""] * 7, None, SEVEN]


def test_one_collapsed_run_is_what_seven_columns_leave_over() -> None:
    assert expand_collapsed(["4", "2", "", "", "", "", "", "", "1", "1", "8"]) == [
        "4", "2", "", "", "1", "1", "8",
    ]
    assert expand_collapsed(["", "", "", "", "", "", "151"]) == ["", "", "", "", "", "", "151"]
    last_blank = ["1", "0", "0", "0", "0", "0", ""]
    assert expand_collapsed(last_blank) == last_blank
    assert expand_collapsed(["2", "", "", "", "", "", "", "1", "", "", "", "", "", "", "3"]) is None


SEED_HEADER = (
    "三、收到和处理政府信息公开申请情况\n"
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\t\t申请人情况"
    "\t\t\t\t\t\t总计\t\t\n"
    "\t\t自然人\t法人或其他组织\t\t\t\t\t\t\t\n"
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t\t\n"
)


def test_the_seeds_tab_layout_with_only_the_total_column_filled() -> None:
    """Issue 14: rows that end in empty cells were left null; nothing is ambiguous."""
    text = (
        "某县统计局2020年政府信息公开工作年度报告\n" + SEED_HEADER
        + "一、本年新收政府信息公开申请数量\t\t\t\t\t\t\t\t5\t\t\n"
        "二、上年结转政府信息公开申请数量\t\t\t\t\t\t\t\t1\t\t\n"
        "三、本年度办理结果\t(一)予以公开\t\t\t\t\t\t\t\t4\t\n"
        "\t(二)部分公开(区分处理的,只计这一情形,不计其他情形)\t\t\t\t\t\t\t\t\t\n"
        "\t(四)无法提供\t1.本机关不掌握相关政府信息\t\t\t\t\t\t\t\t2\n"
        "(七)总计\t\t\t\t\t\t\t\t6\t\t\n"
    )
    rows = read_report(text.encode(), name="t.txt").as_dict()["tables"]["requests"]["rows"]
    for row, total in (("new_received", 5), ("carried_over", 1), ("disclose", 4),
                       ("unable/not_held", 2), ("total", 6)):
        assert rows[row] == {**dict.fromkeys(rows[row]), "total": total}, row
