"""Figures read from report paragraphs, keyed by the statistics table's row ids."""

from __future__ import annotations

import pytest

from gongkai.figures import extract_counts, read_number


@pytest.mark.parametrize(("token", "value"), [
    ("127", 127), ("一百零五", 105), ("二十", 20), ("十五", 15), ("两千零一十", 2010), ("零", 0),
])
def test_read_number(token: str, value: int) -> None:
    assert read_number(token) == value


@pytest.mark.parametrize(("text", "expected"), [
    ("予以公开6件。", {"disclose": 6}),
    ("部分公开3件，不予公开2件。", {"partial": 3, "withhold": 2}),
    ("同意公开二十七件、无法提供信息八件、其他处理三件。",
     {"disclose": 27, "unable": 8, "other": 3}),
    ("予以公开１２件。", {"disclose": 12}),
    ("不予公开3件，其中涉及商业秘密2件。", {"withhold/third_party": 2, "withhold": 3}),
    ("不公开103件，全部属于人事、后勤等内部管理信息。",
     {"withhold/internal_affairs": 103, "withhold": 103}),
    ("本年度未收到政府信息公开申请。", {"new_received": 0}),
    ("依据条例第十四条作出不予公开答复。", {}),
    ("全年新收申请36件，上年结转1件，共办结37件。",
     {"new_received": 36, "carried_over": 1, "total": 37}),
    ("另有7件因尚在答复期限内，结转至2021年办理。", {"carried_forward": 7}),
])
def test_extract_counts(text: str, expected: dict[str, int]) -> None:
    assert extract_counts(text) == expected


def test_keys_follow_the_table_row_order() -> None:
    counts = extract_counts("其他处理1件，予以公开5件，本年新收申请6件。")
    assert list(counts) == ["new_received", "disclose", "other"]


def test_a_single_figure_goes_to_the_single_label() -> None:
    text = "全年有2件申请涉及他人隐私，我局依法答复。"
    assert extract_counts(text) == {}
    assert extract_counts(text, ["withhold/third_party"]) == {"withhold/third_party": 2}
    assert extract_counts(text, ["withhold/third_party", "disclose"]) == {}
