"""What the kinds fitted with scikit-learn (rules, TF-IDF) share: their input rows and how
their classes map onto the model's labels.

scikit-learn is a training device here: a fitted model predicts from plain arrays and
stores them as data (``gongkai.models.linear``, ``rules.json``), so loading one imports
neither scikit-learn nor anything that could run code from the folder.
"""

from __future__ import annotations

import numpy as np

from gongkai.models.base import Batch, DispositionModel


class ScikitLearnModel(DispositionModel):
    """Input rows are (text, record) pairs for requests and texts for paragraphs; the
    classes an estimator saw are mapped onto ``labels`` (a label it never saw gets 0)."""

    def _x(self, batch: Batch) -> list:
        if self.task == "request":
            return list(zip(batch.texts, batch.records, strict=True))
        return batch.texts

    def _classes(self) -> list[str]:
        """The fitted estimator's classes, in its column order."""
        raise NotImplementedError

    def _label_columns(self) -> np.ndarray:
        """For each label, its column in the estimator's output (-1: never seen)."""
        if self.task == "paragraph":
            return np.arange(len(self.labels))
        seen = {label: j for j, label in enumerate(self._classes())}
        return np.array([seen.get(label, -1) for label in self.labels])

    def _in_label_order(self, raw: np.ndarray) -> np.ndarray:
        """The estimator's probabilities with one column per label."""
        columns = self._label_columns()
        proba = np.zeros((raw.shape[0], len(self.labels)))
        present = columns >= 0
        proba[:, present] = raw[:, columns[present]]
        return proba
