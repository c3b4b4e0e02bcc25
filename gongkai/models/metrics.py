"""Metric functions on plain lists and arrays, so they can be checked on hand-made examples."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import precision_recall_fscore_support


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool],
                               bins: int = 15) -> float:
    """Σ over equal-width confidence bins of (share of items) × |mean confidence − accuracy|.

    Bin ``b`` holds confidences in ``(b/bins, (b+1)/bins]``; 0 goes into the first bin.
    """
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    if confidence.size == 0:
        return 0.0
    index = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    total = 0.0
    for b in np.unique(index):
        members = index == b
        total += members.mean() * abs(confidence[members].mean() - correct[members].mean())
    return round(float(total), 4)


def per_label(truth: np.ndarray, predicted: np.ndarray, labels: Sequence[str],
              ) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per label; ``truth``/``predicted`` are label
    vectors (single-label) or indicator matrices with one column per label."""
    if np.ndim(truth) == 1:
        precision, recall, f1, support = precision_recall_fscore_support(
            truth, predicted, labels=list(labels), zero_division=0)
    else:
        precision, recall, f1, support = precision_recall_fscore_support(
            truth, predicted, zero_division=0)
    return {
        label: {"precision": round(float(p), 4), "recall": round(float(r), 4),
                "f1": round(float(f), 4), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }


def macro_f1(report: dict[str, dict[str, float]], predicted_counts: dict[str, int]) -> float:
    """Mean F1 over the labels that occur in the truth or in the predictions."""
    present = [label for label, row in report.items()
               if row["support"] > 0 or predicted_counts.get(label, 0) > 0]
    return round(float(np.mean([report[label]["f1"] for label in present])), 4) if present else 0.0


def set_scores(truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]],
               ) -> dict[str, float]:
    """Micro precision, recall and F1 of label sets, pooled over all items."""
    hits = sum(len(set(t) & set(p)) for t, p in zip(truth, predicted, strict=True))
    claimed = sum(len(set(p)) for p in predicted)
    actual = sum(len(set(t)) for t in truth)
    precision = hits / claimed if claimed else 0.0
    recall = hits / actual if actual else 0.0
    f1 = 2 * hits / (claimed + actual) if claimed + actual else 1.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def count_scores(truth: Sequence[dict[str, int]], predicted: Sequence[dict[str, int]],
                 ) -> dict[str, float]:
    """How well stated figures were read: exact dicts, and (row, value) pair precision/recall."""
    pairs = set_scores([list(t.items()) for t in truth], [list(p.items()) for p in predicted])
    exact = np.mean([t == p for t, p in zip(truth, predicted, strict=True)]) if truth else 0.0
    return {"exact": round(float(exact), 4), "precision": pairs["precision"],
            "recall": pairs["recall"]}
