"""TF-IDF on jieba words and character n-grams with linear heads, as scikit-learn Pipelines.

Words carry the domain terms whole (过程性信息, 不动产登记); character 1–3-grams catch the
typos, variant spellings and unseen compounds that segmentation splits differently. The
paragraph tagger also sees which of the statistics table's row wordings (names, variants
and keywords from the taxonomy) a paragraph contains: reports name the rows in that fixed
wording, and with a few hundred paragraphs the rows' own words lift the rare labels. The
rule baseline's wider cue words lift the corpus scores further but also tag proactive
disclosure paragraphs that mention 不动产登记 or 社会稳定, so they are left out.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from gongkai.models.base import Batch
from gongkai.models.explain import class_weights, term_names, top_terms
from gongkai.models.predictions import Term
from gongkai.models.segment import jieba_words
from gongkai.models.sklearn_model import ScikitLearnModel
from gongkai.models.thresholds import ThresholdedOneVsRest
from gongkai.taxonomy import Taxonomy, load_taxonomy
from gongkai.text import normalize

EXPLAIN_TERMS = 8


@cache
def _table_wording() -> tuple[str, ...]:
    taxonomy = load_taxonomy()
    phrases = {group.name for group in taxonomy.groups}
    for leaf in taxonomy.leaves:
        phrases.update((leaf.name, *leaf.variants, *leaf.keywords))
    return tuple(sorted({normalize(phrase) for phrase in phrases if len(phrase) >= 2}))


def row_wording(text: str) -> list[str]:
    """Analyzer: the statistics rows' own wordings found in ``text``."""
    text = normalize(text)
    return [phrase for phrase in _table_wording() if phrase in text]


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


class TfidfModel(ScikitLearnModel):
    """TF-IDF features into a linear head: a calibrated multinomial classifier for requests,
    one thresholded binary classifier per label for paragraphs (thresholds tuned on the
    validation data given to ``fit``)."""

    kind = "tfidf"

    def __init__(self, task: str, *, regularization: float | None = None, seed: int = 0,
                 name: str | None = None, taxonomy: Taxonomy | None = None) -> None:
        super().__init__(task, seed=seed, name=name, taxonomy=taxonomy)
        # Defaults chosen on the writer-held-out validation split (see data/README.md).
        self.estimator = (
            request_pipeline(regularization or 3.0, seed=seed) if task == "request"
            else paragraph_pipeline(regularization or 100.0, seed=seed))
        self._weights: dict[int, np.ndarray | None] = {}
        self._names: tuple[np.ndarray, np.ndarray] | None = None

    def _fit(self, batch: Batch, y: np.ndarray,
             validation: tuple[Batch, np.ndarray] | None) -> None:
        super()._fit(batch, y, validation)
        if self.task == "paragraph" and validation is not None:
            self.head.tune_thresholds(self.features.transform(self._x(validation[0])),
                                      validation[1])
        self._weights.clear()

    @property
    def features(self) -> FeatureUnion:
        return self.estimator[:-1]

    @property
    def head(self) -> Any:
        return self.estimator[-1]

    def _predict_proba(self, batch: Batch) -> np.ndarray:
        return self._scores(batch)[0]

    def _scores(self, batch: Batch) -> tuple[np.ndarray, Any]:
        matrix = self.features.transform(self._x(batch))
        return self._in_label_order(self.head.predict_proba(matrix)), matrix

    def thresholds(self) -> np.ndarray:
        return self.head.thresholds_ if self.task == "paragraph" else super().thresholds()

    def _label_weights(self, label: int) -> np.ndarray | None:
        """The weight vector behind one label's probability, computed once per label."""
        if label not in self._weights:
            column = int(self._label_columns()[label])
            self._weights[label] = None if column < 0 else class_weights(self.head, column)
        return self._weights[label]

    def _explain(self, batch: Batch, features: Any,
                 columns: list[list[int]]) -> list[list[list[Term]]]:
        if self._names is None:
            self._names = term_names(self.features)
        return [[top_terms(features[i], self._label_weights(j), self._names, EXPLAIN_TERMS)
                 for j in chosen] for i, chosen in enumerate(columns)]
