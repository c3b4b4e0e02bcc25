"""Metric functions on hand-made examples with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from gongkai.models.metrics import (
    count_scores,
    expected_calibration_error,
    macro_f1,
    per_label,
    set_scores,
)
from gongkai.training.evaluate import _confusion


def test_ece_of_two_miscalibrated_bins() -> None:
    # 0.9 and 0.6 fall into different bins: |0.9 - 0.5| / 2 + |0.6 - 1.0| / 2 = 0.4
    assert expected_calibration_error([0.9, 0.9, 0.6, 0.6], [1, 0, 1, 1]) == pytest.approx(0.4)


def test_ece_is_zero_when_confidence_matches_accuracy() -> None:
    assert expected_calibration_error([1.0, 1.0, 0.5, 0.5], [1, 1, 1, 0]) == 0.0
    assert expected_calibration_error([], []) == 0.0


def test_per_label_and_macro_f1() -> None:
    report = per_label(np.array(["a", "a", "b", "b"]), np.array(["a", "b", "b", "b"]),
                       ["a", "b", "c"])
    assert report["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert report["b"]["f1"] == pytest.approx(0.8)
    # "c" is neither true nor predicted anywhere: it does not drag the mean down.
    assert macro_f1(report, {"a": 1, "b": 3}) == pytest.approx((0.6667 + 0.8) / 2, abs=1e-4)


def test_set_scores_pool_over_items() -> None:
    scores = set_scores([["a", "b"], ["c"]], [["a"], ["c", "d"]])
    assert scores == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert set_scores([[]], [[]])["f1"] == 1.0


def test_count_scores() -> None:
    truth = [{"disclose": 6}, {}]
    predicted = [{"disclose": 6}, {"partial": 1}]
    assert count_scores(truth, predicted) == {"exact": 0.5, "precision": 0.5, "recall": 1.0}


def test_confusion_single_and_multi_label() -> None:
    assert _confusion([["a"], ["a"], ["b"]], [["a"], ["b"], ["b"]], ["a", "b"]) == [
        [1, 1], [0, 1]]
    multi = _confusion([["a"], []], [["a", "b"], []], ["a", "b", "none"])
    assert multi == [[1, 0, 0], [0, 0, 0], [0, 1, 1]]
