"""Narrative figures: what counts as a statement about request outcomes."""

from __future__ import annotations

from gongkai.figures import extract_counts
from gongkai.reader.checks import Rows, check_narrative, check_requests, narrative_figures
from gongkai.taxonomy import load_taxonomy


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


def test_letters_hotlines_and_topics_are_not_outcomes() -> None:
    """The sample reports' false alarms (issue 14): the reader and the tagger agree."""
    text = ("“县长信箱”全年受理来信512件，均已按期办结。"
            "从申请内容看，涉及宗地权属和不动产登记资料的9件。本年度新收申请41件。")
    assert [(f["row"], f["narrative"]) for f in narrative_figures([text])] == [
        ("new_received", 41)]
    assert extract_counts(text) == {"new_received": 41}


def _table(**rows: dict) -> tuple[Rows, set[str]]:
    taxonomy = load_taxonomy()
    full = {r: dict.fromkeys(taxonomy.column_ids) for r in taxonomy.request_row_ids("2019")}
    for row, cells in rows.items():
        full[row].update(cells)
    return full, set(full)


def test_a_narrative_failure_names_the_sentence_the_figure_and_the_cell() -> None:
    rows, present = _table(disclose={"natural_person": 11, "total": 16})
    text = "截至年底，全部申请已办结，其中予以公开11件。"
    check = check_narrative(load_taxonomy(), rows, present, [text])
    assert check.ok is False
    [failure] = check.values["failures"]
    assert failure["sentence"] == "截至年底,全部申请已办结,其中予以公开11件。"
    assert failure["figure"] == "予以公开11件"
    assert failure["cell"] == {"row": "disclose", "column": "total"}
    assert failure["matches_column"] == "natural_person"
    assert "予以公开11件" in check.message and "16" in check.message


def test_a_side_made_only_of_blank_cells_is_not_checked() -> None:
    """A table that leaves every leaf 总计 blank fails no sum (README: blank cells count as 0
    once any cell of the sum is filled)."""
    taxonomy = load_taxonomy()
    rows, present = _table(
        new_received={"natural_person": 2, "total": 2},
        withhold={"natural_person": 1, "total": 1},
        **{"withhold/third_party": {"natural_person": 1}},
        total={"natural_person": 1},
        carried_forward={"natural_person": 1},
    )
    checks = {c.id: c for c in check_requests(taxonomy, rows, present)}
    assert checks["group_sum"].ok is True and checks["group_sum"].message.endswith("1 处全部相符")
    assert checks["identity"].ok is True and checks["identity"].note.text("en").endswith(
        "all 1 hold")
