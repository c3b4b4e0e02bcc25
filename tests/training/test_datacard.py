"""The corpus's surface cues do not give its labels away, and nothing of the evaluation
set is in the corpus."""

from __future__ import annotations

from gongkai.jsonl import read_jsonl
from gongkai.resources import data_path
from gongkai.training.corpus import corpus_path, near_duplicates
from gongkai.training.datacard import CUES, cue_shares, cue_spread, writer_balance

MAX_SPREAD = 0.30  # the largest allowed gap between two labels' shares of one cue


def test_no_surface_cue_marks_a_label() -> None:
    spread = cue_spread(cue_shares(read_jsonl(corpus_path("request"))))
    assert set(spread) == set(CUES)
    assert {cue: value for cue, value in spread.items() if value > MAX_SPREAD} == {}


def test_the_cue_check_sees_a_cue_that_marks_a_label() -> None:
    rows = [{"label": "disclose", "text": "申请人：张某某，申请公开预算"}] * 3 + [
        {"label": "partial", "text": "申请公开预算"}] * 3
    assert cue_spread(cue_shares(rows))["masked_name"] == 1.0


def test_most_writers_write_every_label() -> None:
    balance = writer_balance(read_jsonl(corpus_path("request")))
    complete = [writer for writer, counts in balance.items() if len(counts) == 21]
    assert len(complete) >= 12


def test_the_evaluation_set_is_not_in_the_corpus() -> None:
    corpus = [row["text"] for row in read_jsonl(corpus_path("request"))]
    evaluation = [row["text"] for row in read_jsonl(data_path("eval", "requests.jsonl"))]
    assert near_duplicates(corpus, evaluation)["near_duplicates"] == 0
