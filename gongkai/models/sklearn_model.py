"""The kinds whose whole estimator is one scikit-learn object (rules, TF-IDF): how it
fits, how its columns map onto the model's labels, and how it is stored (one skops file
behind the allow-list of ``gongkai.models.artifacts``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

import numpy as np

from gongkai.models.base import Batch, DispositionModel
from gongkai.models.metadata import ModelMetadata
from gongkai.taxonomy import Taxonomy

ESTIMATOR_FILE = "estimator.skops"


class ScikitLearnModel(DispositionModel):
    """A model around ``self.estimator``, a scikit-learn classifier: single-label on leaf
    ids for requests, multi-label on the indicator matrix for paragraphs. Its input rows
    are (text, record) pairs for requests and texts for paragraphs."""

    estimator: Any

    def _x(self, batch: Batch) -> list:
        if self.task == "request":
            return list(zip(batch.texts, batch.records, strict=True))
        return batch.texts

    def _fit(self, batch: Batch, y: np.ndarray,
             validation: tuple[Batch, np.ndarray] | None) -> None:
        self.estimator.fit(self._x(batch),
                           np.asarray(self.labels)[y] if self.task == "request" else y)

    def _label_columns(self) -> np.ndarray:
        """For each label, its column in the estimator's output (-1: never seen)."""
        if self.task == "paragraph":
            return np.arange(len(self.labels))
        seen = {str(label): j for j, label in enumerate(self.estimator.classes_)}
        return np.array([seen.get(label, -1) for label in self.labels])

    def _in_label_order(self, raw: np.ndarray) -> np.ndarray:
        """The estimator's probabilities with one column per label (zeros for a label it
        never saw)."""
        columns = self._label_columns()
        proba = np.zeros((raw.shape[0], len(self.labels)))
        present = columns >= 0
        proba[:, present] = raw[:, columns[present]]
        return proba

    def _save_files(self, directory: Path) -> tuple[list[str], str]:
        from gongkai.models.artifacts import dump_estimator

        dump_estimator(self.estimator, directory / ESTIMATOR_FILE)
        return [ESTIMATOR_FILE], ESTIMATOR_FILE

    @classmethod
    def _load_files(cls, directory: Path, metadata: ModelMetadata,
                    taxonomy: Taxonomy) -> Self:
        from gongkai.models.artifacts import load_estimator

        model = cls(metadata.task, seed=metadata.seed, name=metadata.name, taxonomy=taxonomy)
        model.metadata = metadata
        model.estimator = load_estimator(directory / ESTIMATOR_FILE)
        return model
