"""``tfidf``: TF-IDF on jieba words and character n-grams with linear heads.

Words carry the domain terms whole (过程性信息, 不动产登记); character 1–3-grams catch the
typos, variant spellings and unseen compounds that segmentation splits differently. The
paragraph tagger also sees which of the statistics table's row wordings (names, variants
and keywords from the taxonomy) a paragraph contains: reports name the rows in that fixed
wording, and with a few hundred paragraphs the rows' own words lift the rare labels. A
request model reads the text and its case record as two blocks. The model is fitted with
scikit-learn (``gongkai.models.tfidf_pipelines``) and predicts from plain arrays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

import numpy as np

from gongkai.models.base import Batch
from gongkai.models.explain import top_terms
from gongkai.models.linear import ARRAYS_FILE, LinearModel
from gongkai.models.metadata import ModelMetadata
from gongkai.models.predictions import Term
from gongkai.models.sklearn_model import ScikitLearnModel
from gongkai.taxonomy import Taxonomy

EXPLAIN_TERMS = 8


class TfidfModel(ScikitLearnModel):
    """TF-IDF features into a linear head: a calibrated multinomial classifier for requests,
    one thresholded binary classifier per label for paragraphs (thresholds tuned on the
    validation data given to ``fit``). Fitted with scikit-learn, it then predicts and is
    stored as a :class:`~gongkai.models.linear.LinearModel`."""

    kind = "tfidf"

    def __init__(self, task: str, *, regularization: float | None = None, seed: int = 0,
                 name: str | None = None, taxonomy: Taxonomy | None = None) -> None:
        super().__init__(task, seed=seed, name=name, taxonomy=taxonomy)
        # Defaults chosen on the writer-held-out validation split (see data/README.md).
        self.regularization = regularization or (3.0 if task == "request" else 100.0)
        self.linear: LinearModel | None = None
        self._weights: dict[int, np.ndarray | None] = {}
        self._names: tuple[list[str], np.ndarray] | None = None

    def _fit(self, batch: Batch, y: np.ndarray,
             validation: tuple[Batch, np.ndarray] | None) -> None:
        from gongkai.models.tfidf_pipelines import paragraph_pipeline, request_pipeline

        seed = self.metadata.seed
        pipeline = (request_pipeline(self.regularization, seed=seed) if self.task == "request"
                    else paragraph_pipeline(self.regularization, seed=seed))
        pipeline.fit(self._x(batch), np.asarray(self.labels)[y] if self.task == "request"
                     else y)
        if self.task == "paragraph" and validation is not None:
            pipeline[-1].tune_thresholds(pipeline[:-1].transform(self._x(validation[0])),
                                         validation[1])
        self.linear = LinearModel.from_pipeline(pipeline)
        self._weights.clear()
        self._names = None

    def _classes(self) -> list[str]:
        return self.linear.classes

    def _predict_proba(self, batch: Batch) -> np.ndarray:
        return self._scores(batch)[0]

    def _scores(self, batch: Batch) -> tuple[np.ndarray, Any]:
        matrix = self.linear.features(self._x(batch))
        return self._in_label_order(self.linear.predict_proba(matrix)), matrix

    def thresholds(self) -> np.ndarray:
        if self.task == "paragraph" and self.linear.thresholds is not None:
            return self.linear.thresholds
        return super().thresholds()

    def _label_weights(self, label: int) -> np.ndarray | None:
        """The weight vector behind one label's probability, computed once per label."""
        if label not in self._weights:
            column = int(self._label_columns()[label])
            self._weights[label] = None if column < 0 else self.linear.label_weights(column)
        return self._weights[label]

    def _explain(self, batch: Batch, features: Any,
                 columns: list[list[int]]) -> list[list[list[Term]]]:
        if self._names is None:
            self._names = self.linear.feature_names()
        return [[top_terms(*features.row(i), self._label_weights(j), self._names,
                           EXPLAIN_TERMS) for j in chosen] for i, chosen in enumerate(columns)]

    def _save_files(self, directory: Path) -> tuple[list[str], str]:
        names = self.linear.save(directory)
        return names, ARRAYS_FILE

    @classmethod
    def _load_files(cls, directory: Path, metadata: ModelMetadata,
                    taxonomy: Taxonomy) -> Self:
        model = cls(metadata.task, seed=metadata.seed, name=metadata.name, taxonomy=taxonomy)
        model.metadata = metadata
        model.linear = LinearModel.load(directory)
        return model
