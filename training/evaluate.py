"""Evaluate a ``DispositionModel`` on labelled rows: the metrics JSON and a confusion PNG."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gongkai.models.base import DispositionModel
from gongkai.models.labelsets import expand, groups, paragraph_labels
from gongkai.models.metrics import (
    count_scores,
    expected_calibration_error,
    macro_f1,
    per_label,
    set_scores,
)
from gongkai.records import split_record


def _request_scores(model: DispositionModel, rows: Sequence[dict],
                    records: list[str | None] | None) -> tuple[dict[str, Any], list]:
    """Leaf and group figures of the predictions for ``rows`` given ``records``."""
    taxonomy = model.taxonomy
    predictions = model.classify([row["text"] for row in rows], records)
    truth = np.array([row["label"] for row in rows])
    predicted = np.array([p.label for p in predictions])
    report = per_label(truth, predicted, taxonomy.leaf_ids)
    group_truth = [taxonomy.group_of(label) for label in truth]
    return {
        "macro_f1": macro_f1(report, Counter(predicted.tolist())),
        "accuracy": round(float(np.mean(truth == predicted)), 4),
        "group_accuracy": round(float(np.mean(
            [g == p.group for g, p in zip(group_truth, predictions, strict=True)])), 4),
        "ece": expected_calibration_error([p.score for p in predictions], truth == predicted),
        "per_label": report,
    }, predictions


def _without_records(model: DispositionModel, rows: Sequence[dict]) -> dict[str, Any]:
    """The same rows with every record removed: how often the model abstains
    (``needs_record``), how right it is where it does not, and whether it abstains on the
    requests that only a record can decide."""
    scores, predictions = _request_scores(
        model, [{**row, "text": split_record(row["text"])[0]} for row in rows],
        [None] * len(rows))
    decided_by_record = set(model.taxonomy.record_decided)
    asks = np.array([p.needs_record for p in predictions])
    right = np.array([p.label == row["label"] for p, row in zip(predictions, rows,
                                                                 strict=True)])
    needed = np.array([row["label"] in decided_by_record for row in rows])
    scores.update({
        "abstention_rate": round(float(asks.mean()), 4) if rows else 0.0,
        "accuracy_answered": round(float(right[~asks].mean()), 4) if (~asks).any() else None,
        "needs_record_recall": round(float(asks[needed].mean()), 4) if needed.any() else None,
        "false_abstention_rate": (round(float(asks[~needed].mean()), 4)
                                  if (~needed).any() else None),
    })
    scores["per_label"] = {label: value for label, value in scores["per_label"].items()
                           if label in decided_by_record}
    return scores


def evaluate_requests(model: DispositionModel, rows: Sequence[dict]) -> dict[str, Any]:
    """Figures with the rows' case records as given (records embedded in a text are split
    off), and under ``without_record`` the same with every record removed."""
    taxonomy = model.taxonomy
    scores, predictions = _request_scores(model, rows, [row.get("record") for row in rows])
    truth = [row["label"] for row in rows]
    return {
        "task": "request",
        "n": len(rows),
        "with_record": sum(1 for row in rows if row.get("record")),
        **scores,
        "without_record": _without_records(model, rows),
        "confusion": {"labels": taxonomy.leaf_ids, "matrix": _confusion(
            [[t] for t in truth], [[p.label] for p in predictions], taxonomy.leaf_ids)},
    }


def evaluate_paragraphs(model: DispositionModel, rows: Sequence[dict]) -> dict[str, Any]:
    taxonomy = model.taxonomy
    space = paragraph_labels(taxonomy)
    predictions = model.classify([row["text"] for row in rows], top_k=len(space))
    truth = [list(row["labels"]) for row in rows]
    predicted = [p.labels for p in predictions]

    def indicator(sets: list[list[str]]) -> np.ndarray:
        return np.array([[label in chosen for label in space] for chosen in sets], dtype=int)

    report = per_label(indicator(truth), indicator(predicted), space)
    probability = np.array([[p.scores.get(label, 0.0) for label in model.labels]
                            for p in predictions])
    expanded = np.array([[label in expand(t, taxonomy) for label in model.labels]
                         for t in truth], dtype=float)
    leaf = set_scores(truth, predicted)
    group = set_scores([groups(t, taxonomy) for t in truth], [p.groups for p in predictions])
    stated = [json.loads(row["counts"]) if isinstance(row.get("counts"), str)
              else row.get("counts") or {} for row in rows]
    counts = count_scores(stated, [p.counts for p in predictions])
    return {
        "task": "paragraph",
        "n": len(rows),
        "micro_f1": leaf["f1"],
        "micro_precision": leaf["precision"],
        "micro_recall": leaf["recall"],
        "group_micro_f1": group["f1"],
        "macro_f1": macro_f1(report, Counter(label for p in predicted for label in p)),
        "exact_match": round(float(np.mean([set(t) == set(p) for t, p in zip(
            truth, predicted, strict=True)])), 4) if rows else 0.0,
        "ece": expected_calibration_error(probability.ravel(), expanded.ravel()),
        "counts_exact": counts["exact"],
        "counts_precision": counts["precision"],
        "counts_recall": counts["recall"],
        "per_label": report,
        "confusion": {"labels": [*space, "none"],
                      "matrix": _confusion(truth, predicted, [*space, "none"])},
    }


def _confusion(truth: list[list[str]], predicted: list[list[str]],
               labels: list[str]) -> list[list[int]]:
    """Rows: true label, columns: predicted label. A found label counts on the diagonal, a
    missed one against each wrongly predicted label (or "none"), a wrongly predicted label
    with nothing missed against "none"; single-label input gives the usual matrix."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for true_labels, predicted_labels in zip(truth, predicted, strict=True):
        wrong = [p for p in predicted_labels if p not in true_labels]
        missed = [t for t in true_labels if t not in predicted_labels]
        for t in true_labels:
            for p in [t] if t not in missed else wrong or ["none"]:
                matrix[index[t], index[p]] += 1
        for p in [] if missed else wrong:
            matrix[index["none"], index[p]] += 1
        if not true_labels and not predicted_labels:
            matrix[index["none"], index["none"]] += 1
    return matrix.tolist()


def evaluate(model: DispositionModel, rows: Sequence[dict]) -> dict[str, Any]:
    """Metrics of ``model`` on labelled rows (corpus format)."""
    rows = list(rows)
    if model.task == "request":
        return evaluate_requests(model, rows)
    return evaluate_paragraphs(model, rows)


def write_report(metrics: dict[str, Any], out_dir: str | Path, title: str) -> Path:
    """``metrics.json`` and ``confusion.png`` in ``out_dir``; returns the directory."""
    from gongkai.training.confusion import plot_confusion  # matplotlib loads slowly; only here


    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    plot_confusion(metrics["confusion"], out_dir / "confusion.png", title)
    return out_dir
