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


def test_deadlines_and_denials_are_not_figures() -> None:
    text = "对内容不明确的申请，我局在收到申请之日起7个工作日内告知补正；全年未发生不予公开情形。"
    assert narrative_figures([text]) == []
