"""Which predictions go to review: flagged first, then the least certain, and an audit."""

from __future__ import annotations

import pytest

from gongkai.review.items import ReviewError, review_items
from gongkai.review.select import Strategy, entropy, margin, select
from tests.review.conftest import request_item


def test_margin_and_entropy_rank_the_unsure_first() -> None:
    sure = request_item("sure", {"disclose": 0.9, "partial": 0.05})
    split = request_item("split", {"disclose": 0.45, "partial": 0.44})
    spread = request_item("spread", {"disclose": 0.3, "partial": 0.2, "other/other": 0.1})
    assert margin(split) < margin(spread) < margin(sure)
    assert entropy(spread) > entropy(split) > entropy(sure)
    by_margin = select([sure, split, spread], 1, Strategy.margin, audit=0)
    by_entropy = select([sure, split, spread], 1, Strategy.entropy, audit=0)
    assert [s.item.id for s in by_margin] == ["split"]
    assert [s.item.id for s in by_entropy] == ["spread"]
    assert by_margin[0].reasons == ("margin",)


def test_flagged_items_come_before_uncertain_ones() -> None:
    items = [request_item("unsure", {"disclose": 0.5, "partial": 0.49}),
             request_item("asks", {"other/no_correction": 0.95}, needs_record=True),
             request_item("differs", {"disclose": 0.99}, other=("partial",)),
             request_item("agrees", {"disclose": 0.99}, other=("disclose",))]
    chosen = select(items, 3, audit=0)
    assert [s.item.id for s in chosen] == ["differs", "asks", "unsure"]
    assert [s.reasons for s in chosen] == [("disagreement",), ("needs_record",), ("margin",)]


def test_the_audit_is_seeded_and_drawn_from_the_rest() -> None:
    items = [request_item(f"r{i}", {"disclose": 0.5 + i / 100, "partial": 0.4})
             for i in range(40)]
    first = select(items, 10, audit=0.3, seed=7)
    again = select(items, 10, audit=0.3, seed=7)
    other = select(items, 10, audit=0.3, seed=8)
    audited = [s.item.id for s in first if s.reasons == ("audit",)]
    assert len(first) == 10 and len(audited) == 3
    assert [s.item.id for s in first] == [s.item.id for s in again]
    assert audited != [s.item.id for s in other if s.reasons == ("audit",)]
    uncertain = {s.item.id for s in first if s.reasons != ("audit",)}
    assert uncertain == {f"r{i}" for i in range(7)} and not uncertain & set(audited)


def test_the_limit_is_capped_and_checked() -> None:
    items = [request_item("a", {"disclose": 0.6})]
    assert len(select(items, 5, audit=0.5)) == 1
    with pytest.raises(ValueError):
        select(items, 0)


def test_classify_output_is_joined_with_its_input() -> None:
    predictions = [{"id": 1, "label": "disclose", "score": 0.7,
                    "top": [{"label": "disclose", "score": 0.7},
                            {"label": "partial", "score": 0.2}], "needs_record": True}]
    texts = {"1": {"id": 1, "text": "请公开预算", "record": "已答复"}}
    [item] = review_items(predictions, "request", texts, "abc")
    assert (item.id, item.text, item.record, item.labels) == ("1", "请公开预算", "已答复",
                                                              ("disclose",))
    assert item.scores == {"disclose": 0.7, "partial": 0.2} and item.needs_record
    with pytest.raises(ReviewError, match="--input"):
        review_items(predictions, "request")


def test_tagged_paragraphs_of_either_shape_become_items() -> None:
    streamed = {"report_id": "r1", "index": 3, "text": "本年度予以公开6件。",
                "labels": ["disclose"], "scores": {"disclose": 0.8, "partial": 0.3}}
    archived = {**streamed, "index": 4,
                "scores": [{"label": "disclose", "score": 0.55}]}
    other = [{"report_id": "r1", "index": 3, "labels": ["disclose", "partial"]}]
    first, second = review_items([streamed, archived], "paragraph", other=other)
    assert (first.id, second.id) == ("r1#3", "r1#4")
    assert second.scores == {"disclose": 0.55}
    assert first.disagreement and not second.disagreement
    assert margin(second) < margin(first)
