"""Loading, splitting and auditing the corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import Dataset, DatasetDict

from gongkai.taxonomy import load_taxonomy
from training.corpus import label_counts, load_corpus, near_duplicate_rate, read_labelled
from training.jsonl import InputError


@pytest.mark.parametrize("task", ["request", "paragraph"])
def test_grouped_split_keeps_each_source_in_one_split(task: str) -> None:
    corpus = load_corpus(task, seed=0)
    sources = {split: set(corpus[split]["source"]) for split in corpus}
    assert not sources["train"] & sources["validation"]
    assert not sources["train"] & sources["test"]
    assert not sources["validation"] & sources["test"]
    total = sum(len(corpus[split]) for split in corpus)
    assert 0.6 < len(corpus["train"]) / total < 0.8
    assert 0.1 < len(corpus["test"]) / total < 0.2


def test_split_is_seeded() -> None:
    first, again = load_corpus("request", seed=0), load_corpus("request", seed=0)
    other = load_corpus("request", seed=1)
    assert first["test"]["id"] == again["test"]["id"]
    assert first["test"]["id"] != other["test"]["id"]


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
