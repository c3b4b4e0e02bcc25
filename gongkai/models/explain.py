"""Which terms pushed a linear decision: coefficient × TF-IDF value, per feature.

Words and character n-grams come from two vectorizers; the same string can be both, so
their contributions are added up under one term. Only terms that are a word (or a cue
word) of the text, two characters or longer and not a figure, are shown: n-grams across a
word boundary (的身份, 及商) and single characters carry weight but tell a reader nothing.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from gongkai.models.predictions import Term
from gongkai.models.thresholds import ThresholdedOneVsRest

CHARACTER_BLOCK = "chars"
FIELDS = ("text", "record")  # the two blocks of a request model's (text, record) input


def term_names(features: FeatureUnion) -> tuple[np.ndarray, np.ndarray]:
    """Feature names without their block prefixes (``text__words__征收`` → 征收), and whether
    each is a word (not a character n-gram)."""
    names, words = [], []
    for name in features.get_feature_names_out():
        parts = name.split("__")
        nested = parts[0] in FIELDS
        block, term = parts[int(nested)], "__".join(parts[1 + int(nested):])
        names.append(term)
        words.append(block != CHARACTER_BLOCK)
    return np.array(names), np.array(words)


def class_weights(head: BaseEstimator, column: int) -> np.ndarray | None:
    """The weight vector that drives ``column`` of ``head.predict_proba``; None when the
    column has no linear model (a label never seen in training)."""
    if isinstance(head, CalibratedClassifierCV):
        head = head.calibrated_classifiers_[0].estimator
    if isinstance(head, LogisticRegression):
        coef = head.coef_
        if coef.shape[0] == 1:  # two classes: one vector for the second
            return coef[0] if column == 1 else -coef[0]
        # Softmax ignores a shift shared by all classes: compare with the average class.
        return coef[column] - coef.mean(axis=0)
    if isinstance(head, ThresholdedOneVsRest):
        model = head.model_.estimators_[column]
        return model.coef_[0] if hasattr(model, "coef_") else None
    raise TypeError(f"no linear weights in {type(head).__name__}")


def top_terms(row: sparse.spmatrix, weights: np.ndarray | None,
              names: tuple[np.ndarray, np.ndarray], limit: int) -> list[Term]:
    """The ``limit`` words of one text with the largest positive contribution."""
    if weights is None:
        return []
    terms, is_word = names
    row = sparse.csr_matrix(row)
    totals: dict[str, float] = {}
    words: set[str] = set()
    for index, value in zip(row.indices, row.data, strict=True):
        term = str(terms[index])
        totals[term] = totals.get(term, 0.0) + float(value * weights[index])
        if is_word[index]:
            words.add(term)
    ranked = sorted((item for item in totals.items()
                     if item[1] > 0 and item[0] in words and _readable(item[0])),
                    key=lambda item: -item[1])
    return [Term(term, round(weight, 4)) for term, weight in ranked[:limit]]


def _readable(term: str) -> bool:
    return len(term) >= 2 and not re.fullmatch(r"[\d.]+", term)
