"""Figures read from report paragraphs, keyed by the statistics table's row ids."""

from __future__ import annotations

import pytest

from gongkai.figures import extract_counts, read_number, stated_figures


@pytest.mark.parametrize(("token", "value"), [
    ("127", 127), ("一百零五", 105), ("二十", 20), ("十五", 15), ("两千零一十", 2010), ("零", 0),
    ("一万二千", 12000), ("一万零五", 10005), ("十二万三千四百五十六", 123456), ("1,203", 1203),
    ("三百", 300),
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


@pytest.mark.parametrize(("text", "expected"), [
    ("全年新收申请一万二千件，办结一万二千件。", {"new_received": 12000, "total": 12000}),
    ("本年度新收政府信息公开申请1,203件，其中予以公开1,050件。",
     {"new_received": 1203, "disclose": 1050}),
    ("予以公开三百件，不予公开二十件。", {"disclose": 300, "withhold": 20}),
])
def test_numerals_with_wan_qian_bai_and_thousands_separators(text: str,
                                                             expected: dict[str, int]) -> None:
    assert extract_counts(text) == expected


@pytest.mark.parametrize("text", [
    "“县长信箱”全年受理来信512件，均已按期办结。",
    "全年承办12345政务服务便民热线转办工单1,199件，按时办结率100%。",
    "通过门户网站“网上留言”栏目收到群众留言101件，已全部答复。",
    "全年主动公开政府信息3200条，其中政策文件45件。",
    "全年收到人大代表建议15件、政协委员提案16件，均已按期办结。",
    "从申请内容看，涉及宗地权属和不动产登记资料的9件，涉及征地拆迁补偿的3件。",
    "其中涉及城乡建设方面的7件。",
])
def test_figures_that_are_not_dispositions(text: str) -> None:
    assert extract_counts(text) == {}


def test_a_topic_clause_leaves_the_rest_of_its_sentence() -> None:
    text = "本年度新收政府信息公开申请41件，其中涉及宗地权属的9件，予以公开18件。"
    assert extract_counts(text) == {"new_received": 41, "disclose": 18}
    assert extract_counts("因涉及国家秘密的3件不予公开。") == {"withhold/state_secret": 3}


def test_each_figure_knows_its_sentence() -> None:
    text = "“局长信箱”受理来信20件。本年度新收申请6件，予以公开5件；另有1件结转下年度办理。"
    figures = stated_figures(text)
    assert [(f.row, f.value) for f in figures] == [
        ("new_received", 6), ("disclose", 5), ("carried_forward", 1)]
    assert figures[0].sentence == "本年度新收申请6件,予以公开5件;"
    assert text.replace("，", ",").replace("；", ";")[figures[1].start:figures[1].end] == (
        "予以公开5件")
