"""The scikit-learn pipelines a TF-IDF model is fitted with (training only: a fitted model
predicts from plain arrays, ``gongkai.models.linear``).

Words carry the domain terms whole (过程性信息, 不动产登记); character 1–3-grams catch the
typos, variant spellings and unseen compounds that segmentation splits differently. The
paragraph tagger also sees which of the statistics table's row wordings a paragraph
contains. A request model reads two blocks side by side, the text and its case record.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from gongkai.models.segment import jieba_words
from gongkai.models.thresholds import ThresholdedOneVsRest
from gongkai.models.wording import row_wording
from gongkai.text import normalize


class Field(TransformerMixin, BaseEstimator):
    """One field of the (text, record) pairs a request model reads, through its own
    transformer; a missing record is an empty string (all features zero)."""

    def __init__(self, index: int = 0, transformer: Any = None) -> None:
        self.index = index
        self.transformer = transformer

    def _column(self, X: Any) -> list[str]:
        return [pair[self.index] or "" for pair in X]

    def fit(self, X: Any, y: Any = None) -> Field:
        column = self._column(X)
        # A field that is always empty (no records in training) gives no features at all.
        self.transformer_ = clone(self.transformer).fit(column) if any(column) else None
        return self

    def transform(self, X: Any) -> Any:
        if self.transformer_ is None:
            return sparse.csr_matrix((len(X), 0))
        return self.transformer_.transform(self._column(X))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        if self.transformer_ is None:
            return np.array([], dtype=object)
        return self.transformer_.get_feature_names_out()


def text_features(min_char_df: int = 2, with_row_wording: bool = False) -> FeatureUnion:
    """Sub-linear TF-IDF of jieba words beside character 1–3-grams (each L2-normalised),
    optionally beside the row wordings."""
    blocks = [
        ("words", TfidfVectorizer(analyzer=jieba_words, sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=min_char_df,
                                  preprocessor=normalize, sublinear_tf=True)),
    ]
    if with_row_wording:
        blocks.append(("rows", TfidfVectorizer(analyzer=row_wording, sublinear_tf=True)))
    return FeatureUnion(blocks)


def request_pipeline(regularization: float = 3.0, calibration_folds: int = 3,
                     seed: int = 0) -> Pipeline:
    """Single-label leaf classifier over two feature blocks, the request text and its case
    record: multinomial logistic regression, classes re-weighted so the rarer dispositions
    are not drowned by 予以公开, then temperature-scaled on cross-validated scores (the raw
    model is far less confident than it is accurate)."""
    # saga at a loose tolerance: as accurate here as lbfgs, and several times faster.
    linear = LogisticRegression(C=regularization, class_weight="balanced", solver="saga",
                                tol=1e-3, max_iter=3000, random_state=seed)
    return Pipeline([
        ("features", FeatureUnion([("text", Field(0, text_features())),
                                   ("record", Field(1, text_features(min_char_df=1)))])),
        ("classifier", CalibratedClassifierCV(linear, method="temperature",
                                              cv=calibration_folds, ensemble=False)),
    ])


def paragraph_pipeline(regularization: float = 10.0, threshold_floor: float = 0.2,
                       seed: int = 0) -> Pipeline:
    """Multi-label tagger: one logistic regression per leaf or group label."""
    binary = LogisticRegression(C=regularization, class_weight="balanced", solver="liblinear",
                                random_state=seed)
    return Pipeline([
        ("features", text_features(with_row_wording=True)),
        ("classifier", ThresholdedOneVsRest(binary, threshold_floor=threshold_floor)),
    ])
