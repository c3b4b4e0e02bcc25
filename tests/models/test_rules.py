"""The keyword rule baseline behaves as a scikit-learn classifier."""

from __future__ import annotations

import numpy as np
import pytest

from gongkai.models.rules import KeywordRules


def test_single_label_rules() -> None:
    labels = ["disclose", "withhold/state_secret", "reject/complaint"]
    rules = KeywordRules().fit(["x", "y", "z"], labels)
    assert list(rules.classes_) == ["disclose", "reject/complaint", "withhold/state_secret"]
    texts = ["申请公开涉密测绘成果", "天气不错", "要求查处并严惩违法的负责人"]
    proba = rules.predict_proba(texts)
    assert proba.shape == (3, 3)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert list(rules.predict(texts)) == ["withhold/state_secret", "disclose", "reject/complaint"]
    terms = rules.matched_terms("申请公开涉密测绘成果", "withhold/state_secret")
    assert terms == ["涉密", "测绘成果"]


def test_multi_label_rules_need_column_names() -> None:
    Y = np.array([[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="labels"):
        KeywordRules().fit(["a", "b"], Y)
    rules = KeywordRules(fallback=None, labels=["withhold", "unable"]).fit(["a", "b"], Y)
    assert rules.predict(["不予公开3件", "其他"]).tolist() == [[1, 0], [0, 0]]
    assert rules.predict_proba(["其他"]).max() == pytest.approx(rules.base_rate)
