"""What turns validation outputs into decisions: the validation score that early stopping
and the vocabulary check compare, a softmax temperature and per-label thresholds."""

from __future__ import annotations

from collections import Counter

import numpy as np

from gongkai.models.metrics import macro_f1, per_label
from gongkai.models.thresholds import best_threshold

THRESHOLD_FLOOR = 0.2  # as the TF-IDF tagger
TEMPERATURES = np.exp(np.linspace(np.log(0.05), np.log(20.0), 241))


def request_score(proba: np.ndarray, truth: np.ndarray, labels: list[str]) -> float:
    """Leaf macro-F1 of the most probable label."""
    predicted = np.asarray(labels)[proba.argmax(axis=1)]
    return macro_f1(per_label(truth, predicted, labels), Counter(predicted.tolist()))


def tune_thresholds(proba: np.ndarray, indicator: np.ndarray) -> np.ndarray:
    return np.array([best_threshold(proba[:, j], indicator[:, j], THRESHOLD_FLOOR)
                     for j in range(proba.shape[1])])


def paragraph_score(proba: np.ndarray, indicator: np.ndarray, labels: list[str],
                    thresholds: np.ndarray | None = None) -> float:
    """Label macro-F1 with the given thresholds (tuned on these rows when omitted)."""
    cut = tune_thresholds(proba, indicator) if thresholds is None else thresholds
    decided = (proba >= cut).astype(int)
    counts = Counter({label: int(decided[:, j].sum()) for j, label in enumerate(labels)})
    return macro_f1(per_label(indicator, decided, labels), counts)


def fit_temperature(logits: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature with the lowest validation log-loss (a fixed grid, so the
    choice is deterministic)."""
    def log_loss(temperature: float) -> float:
        scaled = logits / temperature
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        return float(np.mean(log_norm - scaled[np.arange(len(truth)), truth]))

    return float(min(TEMPERATURES, key=log_loss))
