"""Training learns from corrections: a correction wins over the corpus label, weighs more
in training, never reaches the frozen evaluation set, and the model says what it learned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import DatasetDict

from gongkai.corrections import Correction, CorrectionStore, Resolution, text_hash
from gongkai.models.base import DispositionModel
from gongkai.training.corrections import (
    CORRECTION_WEIGHT,
    eval_rows,
    frozen_hashes,
    merge_corrections,
)
from gongkai.training.train import train


def _correct(row: dict, label: str, who: str = "甲") -> Correction:
    return Correction("request", row["id"], row["text"], (label,), who, "2026-01-01",
                      record=row["record"])


def _other(label: str) -> str:
    return "disclose" if label != "disclose" else "partial"


def test_a_correction_wins_and_weighs_as_told(request_corpus: DatasetDict) -> None:
    train_row, test_row = request_corpus["train"][0], request_corpus["test"][0]
    new = Correction("request", "n1", "请公开本街道2024年路灯维修合同", ("disclose",), "甲",
                     "2026-01-01")
    fixes = [_correct(train_row, _other(train_row["label"])),
             _correct(test_row, _other(test_row["label"])), new]
    merged = merge_corrections(request_corpus, Resolution(fixes), "request", weight=3,
                               frozen=set())
    corpus = merged.corpus
    assert merged.summary == {"count": 3, "weight": 3, "relabelled": 2,
                              "added": 1, "conflicts": 0, "eval_left_out": 0}
    trained = [row for row in corpus["train"] if row["text"] == train_row["text"]]
    assert [row["label"] for row in trained] == [_other(train_row["label"])] * 3
    tested = [row for row in corpus["test"] if row["text"] == test_row["text"]]
    assert [row["label"] for row in tested] == [_other(test_row["label"])]
    added = [row for row in corpus["train"] if row["writer"] == "correction"]
    assert len(added) == 3 and added[0]["label"] == "disclose"
    assert len(corpus["train"]) == len(request_corpus["train"]) + 2 + 3
    once = merge_corrections(request_corpus, Resolution(fixes), "request", frozen=set())
    assert once.summary["weight"] == CORRECTION_WEIGHT == 1
    assert len(once.corpus["train"]) == len(request_corpus["train"]) + 1
    assert len(corpus["validation"]) == len(request_corpus["validation"])


def test_eval_texts_and_conflicts_are_left_out(request_corpus: DatasetDict) -> None:
    evaluation = eval_rows("request")
    assert evaluation and text_hash(evaluation[0]["text"], evaluation[0]["record"]) in (
        frozen_hashes("request"))
    leak = Correction("request", "e", evaluation[0]["text"], ("disclose",), "甲",
                      "2026-01-01", record=evaluation[0]["record"])
    store = CorrectionStore("sqlite://")
    row = request_corpus["train"][1]
    store.add([leak, _correct(row, "disclose", "甲"), _correct(row, "partial", "乙")])
    merged = merge_corrections(request_corpus, store.resolve("request"), "request")
    assert merged.summary["eval_left_out"] == 1 and merged.summary["conflicts"] == 1
    assert merged.summary["count"] == 0
    assert len(merged.corpus["train"]) == len(request_corpus["train"])


def test_paragraph_corrections_keep_the_corpus_shape(paragraph_corpus: DatasetDict) -> None:
    new = Correction("paragraph", "p", "本年度未发生不予公开情形。", ("withhold",), "甲",
                     "2026-01-01")
    merged = merge_corrections(paragraph_corpus, Resolution([new]), "paragraph", frozen=set())
    [row, *_] = [r for r in merged.corpus["train"] if r["writer"] == "correction"]
    assert row["labels"] == ["withhold"] and json.loads(row["counts"]) == {}


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory, request_corpus: DatasetDict) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "requests.jsonl"
    rows = [row for split in request_corpus.values() for row in split]
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                    encoding="utf-8")
    return path


def test_retraining_with_corrections_bumps_the_revision(small_file: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "tfidf-request"
    first = train("request", out=out, corpus_file=small_file)
    assert first.metadata.revision == 1 and first.metadata.changelog == []
    text = "请把隔壁王家的不动产登记资料给我看看，他家占了我的宅基地"
    wrong = first.predict([text])[0]
    store = CorrectionStore("sqlite://")
    store.add([Correction("request", "x", text, ("withhold/third_party",), "甲", "2026-01-01",
                          old_labels=(wrong,))])
    second = train("request", out=out, corpus_file=small_file, corrections=store)
    assert second.predict([text]) == ["withhold/third_party"]
    saved = DispositionModel.load(out).metadata
    assert saved.revision == 2 and saved.corrections["count"] == 1
    [entry] = saved.changelog
    assert entry["previous_version"] == first.metadata.version
    assert set(entry["eval_before"]) == set(entry["eval_after"]) == {
        "macro_f1", "accuracy", "group_accuracy"}
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Learned from 1 corrections" in card and f"`{saved.version}`" in card
    third = train("request", out=out, corpus_file=small_file)
    assert third.metadata.revision == 3
    assert third.metadata.changelog[0]["version"] == saved.version
