"""Sections 二 and 四: numbers by position where blank cells show, never shifted."""

from __future__ import annotations

from gongkai.reader.side_tables import parse_proactive_table, parse_review_table

HEAD = ["第二十条第(五)项\t\t\t", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量"]


def test_blank_cells_keep_their_columns_and_blank_rows_their_numbers() -> None:
    lines = [*HEAD, "行政许可\t\t\t", "其他对外管理服务事项\t12\t\t40"]
    rows, warnings = parse_proactive_table(lines, "2019")
    assert rows["administrative_licensing"] == dict.fromkeys(
        ["previous_count", "change", "decisions"])
    assert rows["other_services"] == {"previous_count": 12, "change": None, "decisions": 40}
    assert warnings == []


def test_a_collapsed_run_and_invisible_gaps() -> None:
    collapsed = ["信息内容|上一年项目数量|本年增/减|处理决定数量", "行政处罚|||||||-1|",
                 "行政强制|7|||||||2"]
    rows, _ = parse_proactive_table(collapsed, "2019")
    assert rows["administrative_penalty"] == {"previous_count": None, "change": -1,
                                              "decisions": None}
    assert rows["administrative_coercion"] == {"previous_count": 7, "change": None,
                                               "decisions": 2}
    spaced, warnings = parse_proactive_table(["行政许可  12  40"], "2019")
    assert spaced["administrative_licensing"] == dict.fromkeys(
        ["previous_count", "change", "decisions"])
    assert [note.text("en") for note in warnings] == [
        "proactive row administrative_licensing: 2 numbers (12, 40) for 3 columns; left null"]


def test_the_review_row_by_position() -> None:
    head = ["行政复议\t\t\t\t\t行政诉讼" + "\t" * 9,
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉"]
    values = ["1", "", "", "", "1", "", "", "", "", "", "", "", "", "", ""]
    table, warnings = parse_review_table([*head, "\t".join(values)])
    assert table is not None and warnings == []
    assert table["review"] == {"upheld": 1, "corrected": None, "other": None, "pending": None,
                               "total": 1}
    assert table["litigation_after_review"]["total"] is None
