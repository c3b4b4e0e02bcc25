"""Evaluation output: the metrics JSON and the confusion-matrix PNG."""

from __future__ import annotations

import json
from pathlib import Path

from datasets import DatasetDict

from gongkai.models.base import DispositionModel
from gongkai.training.confusion import tick_labels
from gongkai.training.evaluate import evaluate, write_report

REQUEST_METRICS = {"macro_f1", "accuracy", "group_accuracy", "ece", "per_label", "confusion"}
PARAGRAPH_METRICS = {"micro_f1", "group_micro_f1", "macro_f1", "ece", "per_label", "confusion",
                     "counts_exact"}


def test_request_metrics(request_model: DispositionModel, request_corpus: DatasetDict,
                         tmp_path: Path) -> None:
    metrics = evaluate(request_model, request_corpus["test"])
    assert set(metrics) >= REQUEST_METRICS
    assert metrics["n"] == len(request_corpus["test"])
    assert 0.0 <= metrics["macro_f1"] <= 1.0 and 0.0 <= metrics["ece"] <= 1.0
    assert metrics["group_accuracy"] >= metrics["accuracy"]
    matrix = metrics["confusion"]["matrix"]
    assert sum(map(sum, matrix)) == metrics["n"]
    out = write_report(metrics, tmp_path / "eval", "test")
    assert json.loads((out / "metrics.json").read_text(encoding="utf-8")) == metrics
    assert (out / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_paragraph_metrics(paragraph_model: DispositionModel,
                           paragraph_corpus: DatasetDict) -> None:
    metrics = evaluate(paragraph_model, paragraph_corpus["test"])
    assert set(metrics) >= PARAGRAPH_METRICS
    assert metrics["confusion"]["labels"][-1] == "none"
    assert set(metrics["per_label"]) == set(paragraph_model.labels)


def test_ids_stand_in_for_names_without_a_cjk_font() -> None:
    assert tick_labels(["disclose", "withhold/state_secret"], None) == [
        "disclose", "withhold/state_secret"]
