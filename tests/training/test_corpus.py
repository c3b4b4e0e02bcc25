"""Loading, splitting and auditing the corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import Dataset, DatasetDict

from gongkai.jsonl import InputError
from gongkai.taxonomy import load_taxonomy
from gongkai.training.corpus import (
    HELD_OUT,
    label_counts,
    load_corpus,
    near_duplicate_rate,
    read_labelled,
)


@pytest.mark.parametrize("task", ["request", "paragraph"])
def test_validation_and_test_are_written_by_writers_training_never_saw(task: str) -> None:
    corpus = load_corpus(task, seed=0)
    writers = {split: set(corpus[split]["writer"]) for split in corpus}
    assert writers["validation"] == set(HELD_OUT[task]["validation"])
    assert writers["test"] == set(HELD_OUT[task]["test"])
    assert not writers["train"] & (writers["validation"] | writers["test"])
    total = sum(len(corpus[split]) for split in corpus)
    assert 0.7 < len(corpus["train"]) / total < 0.9


def _file_without_writers(tmp_path: Path) -> Path:
    """A corpus of one's own: no writer field, so the split falls back to sources."""
    rows = [{"text": f"申请公开第{i}号文件（{label}）", "label": label, "source": f"s{i // 2}"}
            for i, label in enumerate(["disclose", "partial", "reject/complaint"] * 40)]
    path = tmp_path / "own.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_a_corpus_without_writers_is_split_by_source_and_seeded(tmp_path: Path) -> None:
    path = _file_without_writers(tmp_path)
    first, again = load_corpus("request", seed=0, path=path), load_corpus("request", 0, path)
    other = load_corpus("request", seed=1, path=path)
    assert first["test"]["id"] == again["test"]["id"]
    assert first["test"]["id"] != other["test"]["id"]
    sources = {split: set(first[split]["source"]) for split in first}
    assert not sources["train"] & sources["validation"]
    assert not sources["train"] & sources["test"]
    assert not sources["validation"] & sources["test"]


def test_every_request_label_reaches_every_split() -> None:
    table = label_counts(load_corpus("request"), "request")
    assert list(table.index) == load_taxonomy().leaf_ids
    assert (table[["train", "validation", "test"]] > 0).all().all()
    assert table["total"].sum() == sum(table[s].sum() for s in ("train", "validation", "test"))


def test_near_duplicates_are_found_across_splits() -> None:
    train = ["今天市政府召开新闻发布会介绍全年的工作情况",
             "申请公开本村土地征收的批复文件和补偿方案"]
    validation = [train[1] + "。", "完全不同的另一段文字内容在这里"]
    corpus = DatasetDict({
        "train": Dataset.from_dict({"text": train}),
        "validation": Dataset.from_dict({"text": validation}),
        "test": Dataset.from_dict({"text": ["请问怎么办理户口迁移手续"]}),
    })
    report = near_duplicate_rate(corpus)
    assert report["validation"] == {"texts": 2, "near_duplicates": 1, "rate": 0.5}
    assert report["test"]["near_duplicates"] == 0


def test_bad_label_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    rows = [{"text": "申请公开预算", "label": "disclose"}, {"text": "文字", "label": "nonsense"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with pytest.raises(InputError, match=r"rows\.jsonl:2: unknown label 'nonsense'"):
        read_labelled(path, "request")


def test_paragraph_rows_are_collapsed(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    row = {"text": "不予公开3件", "labels": ["withhold", "withhold/third_party"], "counts": {}}
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    assert read_labelled(path, "paragraph")[0]["labels"] == ["withhold/third_party"]
