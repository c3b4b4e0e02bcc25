"""Per-label thresholds tuned for F1 on held-out data."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from gongkai.models.thresholds import ThresholdedOneVsRest, best_threshold


def test_cut_falls_between_the_last_positive_and_the_next_score() -> None:
    assert best_threshold([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0], floor=0.2) == pytest.approx(0.55)


def test_floor_and_default() -> None:
    assert best_threshold([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0], floor=0.6) == 0.6
    # Catching the weak positive would need a cut at 0.125: the floor holds it at 0.2.
    assert best_threshold([0.9, 0.15, 0.1], [1, 1, 0], floor=0.2) == 0.2
    assert best_threshold([0.9, 0.1], [0, 0], floor=0.2) == 0.5


def test_tuned_thresholds_change_decisions() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 1.0]).astype(int)
    model = ThresholdedOneVsRest(LogisticRegression(C=0.01), threshold_floor=0.05).fit(X, Y)
    assert np.all(model.thresholds_ == 0.5)
    before = model.predict(X)
    model.tune_thresholds(X, Y)
    after = model.predict(X)
    assert model.thresholds_.shape == (2,)
    assert np.all(model.thresholds_ >= 0.05)
    assert (after == Y).mean() >= (before == Y).mean()
