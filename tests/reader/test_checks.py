"""Narrative figures: what counts as a statement about request outcomes."""

from __future__ import annotations

from gongkai.reader.checks import narrative_figures


def test_outcome_figures_are_found() -> None:
    figures = narrative_figures(["本年度收到申请12件，其中予以公开7件，不予公开2件，无法提供3件。"])
    assert {(f["row"], f["narrative"]) for f in figures} == {
        ("new_received", 12),
        ("disclose", 7),
        ("withhold", 2),
        ("unable", 3),
    }


def test_document_attribute_counts_are_not_outcomes() -> None:
    text = "全年发文186件，其中确定为主动公开的71件、依申请公开的98件、不予公开的17件。"
    assert narrative_figures([text]) == []


def test_deadlines_are_not_figures_but_stated_zeros_are() -> None:
    text = "对内容不明确的申请，我局在收到申请之日起7个工作日内告知补正；全年未发生不予公开情形。"
    assert [(f["row"], f["narrative"]) for f in narrative_figures([text])] == [("withhold", 0)]


def test_numerals_order_and_reasons_are_read() -> None:
    text = ("全年共收到申请二十三件，全部办结。其中12件予以公开；"
            "不予公开5件，全部属于内部管理信息。因本机关不掌握相关信息而答复无法提供的有3件。")
    assert {(f["row"], f["narrative"]) for f in narrative_figures([text])} == {
        ("new_received", 23), ("total", 23), ("disclose", 12), ("withhold", 5),
        ("withhold/internal_affairs", 5), ("unable/not_held", 3)}


def test_proactive_disclosure_is_not_a_request_outcome() -> None:
    assert narrative_figures(["本年度主动公开120件，其中通过政府网站公开98件。"]) == []
