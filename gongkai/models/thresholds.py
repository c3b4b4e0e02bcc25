"""Per-label decision thresholds for multi-label output, tuned on held-out data."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier


def best_threshold(scores: np.ndarray, truth: np.ndarray, floor: float,
                   default: float = 0.5) -> float:
    """The F1-maximising cut between two observed scores, never below ``floor``.

    Without a positive example there is nothing to tune, so ``default`` stays.
    """
    scores, truth = np.asarray(scores, dtype=float), np.asarray(truth).astype(bool)
    positives = int(truth.sum())
    if positives == 0:
        return default
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], np.cumsum(truth[order])
    f1 = 2 * hits / (np.arange(1, len(scores) + 1) + positives)
    best = int(f1.argmax())
    below = ranked[best + 1] if best + 1 < len(ranked) else 0.0
    return float(max(floor, (ranked[best] + below) / 2))


class ThresholdedOneVsRest(ClassifierMixin, BaseEstimator):
    """One binary classifier per label; a label is on when its probability reaches the
    label's own threshold (0.5 until :meth:`tune_thresholds` has seen validation data)."""

    def __init__(self, estimator: BaseEstimator | None = None,
                 threshold_floor: float = 0.2) -> None:
        self.estimator = estimator
        self.threshold_floor = threshold_floor

    def fit(self, X, Y: np.ndarray) -> ThresholdedOneVsRest:
        base = self.estimator if self.estimator is not None else LogisticRegression()
        self.model_ = OneVsRestClassifier(clone(base)).fit(X, Y)
        self.classes_ = self.model_.classes_
        self.thresholds_ = np.full(len(self.classes_), 0.5)
        return self

    def predict_proba(self, X) -> np.ndarray:
        return self.model_.predict_proba(X)

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= self.thresholds_).astype(int)

    def tune_thresholds(self, X, Y: np.ndarray) -> ThresholdedOneVsRest:
        """Set each label's threshold to the F1 maximum on ``(X, Y)`` (held-out data)."""
        proba, Y = self.predict_proba(X), np.asarray(Y)
        self.thresholds_ = np.array([
            best_threshold(proba[:, j], Y[:, j], self.threshold_floor)
            for j in range(proba.shape[1])
        ])
        return self
