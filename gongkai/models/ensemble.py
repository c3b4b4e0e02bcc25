"""``ensemble``: TF-IDF and a trained encoder model, their probabilities averaged.

TF-IDF reads the words a request uses, the encoder its meaning; where they disagree an
average is often right when each alone is not. ``fit`` trains the TF-IDF member and takes
the encoder member from ``base_model`` (a trained ``e5`` or ``e5-int8`` folder); the weight
of each is chosen on the validation data given to ``fit``. The folder holds both members
whole, each checked as it loads, and ``ensemble.json`` with the weight.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Self

import numpy as np

from gongkai.models.base import Batch, DispositionModel
from gongkai.models.errors import ModelError
from gongkai.models.metadata import ModelMetadata
from gongkai.models.predictions import Term
from gongkai.models.tfidf import TfidfModel
from gongkai.taxonomy import Taxonomy

SETTINGS_FILE = "ensemble.json"
MEMBERS = ("tfidf", "encoder")
WEIGHTS = np.round(np.linspace(0.0, 1.0, 11), 2)  # the encoder member's share, tried


class EnsembleModel(DispositionModel):
    """TF-IDF and an encoder model with their probabilities averaged (module docstring)."""

    kind = "ensemble"
    libraries = (*TfidfModel.libraries, "torch", "transformers", "tokenizers", "onnxruntime")

    def __init__(self, task: str, *, base_model: str | Path | None = None, seed: int = 0,
                 name: str | None = None, taxonomy: Taxonomy | None = None) -> None:
        super().__init__(task, seed=seed, name=name, taxonomy=taxonomy)
        self.base_model = Path(base_model) if base_model else None
        self.members: dict[str, DispositionModel] = {}
        self.weight = 0.5  # the encoder's share of the average

    def _fit(self, batch: Batch, y: np.ndarray,
             validation: tuple[Batch, np.ndarray] | None) -> None:
        if self.base_model is None or validation is None:
            raise ModelError("an ensemble needs --base-model (a trained e5 or e5-int8 model "
                             "folder) and validation data")
        encoder = DispositionModel.load(self.base_model, self.taxonomy)
        if encoder.task != self.task or not encoder.kind.startswith("e5"):
            raise ModelError(f"{self.base_model} is a {encoder.kind} {encoder.task} model; "
                             f"an ensemble needs an e5 {self.task} model")
        tfidf = TfidfModel(self.task, seed=self.metadata.seed, taxonomy=self.taxonomy)
        tfidf._fit(batch, y, validation)
        self.members = {"tfidf": tfidf, "encoder": encoder}
        self.weight = self._best_weight(*validation)
        self.metadata.members = {key: {"name": model.name, "kind": model.kind,
                                       "version": model.metadata.version}
                                 for key, model in self.members.items()}
        self.metadata.members["encoder_weight"] = self.weight

    def _best_weight(self, batch: Batch, y: np.ndarray) -> float:
        """The encoder share with the best validation score (macro-F1 of the top label for
        requests, micro-F1 of the decisions at 0.5 for paragraphs); ties go to TF-IDF."""
        tfidf = self.members["tfidf"]._predict_proba(batch)
        encoder = self.members["encoder"]._predict_proba(batch)
        scores = [(_score(w * encoder + (1 - w) * tfidf, y, self.task), -w) for w in WEIGHTS]
        return float(-max(scores)[1])

    def _predict_proba(self, batch: Batch) -> np.ndarray:
        return (self.weight * self.members["encoder"]._predict_proba(batch)
                + (1 - self.weight) * self.members["tfidf"]._predict_proba(batch))

    def _explain(self, batch: Batch, features: Any,
                 columns: list[list[int]]) -> list[list[list[Term]]]:
        """The TF-IDF member's words: they are the ensemble's cheapest faithful reading."""
        member = self.members["tfidf"]
        _, matrix = member._scores(batch)
        return member._explain(batch, matrix, columns)

    def _save_files(self, directory: Path) -> tuple[list[str], str]:
        for key, model in self.members.items():
            target = directory / key
            shutil.rmtree(target, ignore_errors=True)
            model.save(target)
        (directory / SETTINGS_FILE).write_text(
            json.dumps({"encoder_weight": self.weight, "members": list(MEMBERS)}, indent=2)
            + "\n", encoding="utf-8")
        return [SETTINGS_FILE], SETTINGS_FILE

    @classmethod
    def _load_files(cls, directory: Path, metadata: ModelMetadata,
                    taxonomy: Taxonomy) -> Self:
        model = cls(metadata.task, seed=metadata.seed, name=metadata.name, taxonomy=taxonomy)
        model.metadata = metadata
        settings = json.loads((directory / SETTINGS_FILE).read_text(encoding="utf-8"))
        model.weight = float(settings["encoder_weight"])
        model.members = {key: DispositionModel.load(directory / key, taxonomy)
                         for key in MEMBERS}
        return model


def _score(proba: np.ndarray, y: np.ndarray, task: str) -> float:
    from collections import Counter

    from gongkai.models.metrics import macro_f1, per_label

    if task == "request":
        predicted = proba.argmax(axis=1)
        labels = list(range(proba.shape[1]))
        return macro_f1(per_label(y, predicted, labels), Counter(predicted.tolist()))
    decided = proba >= 0.5
    true_positive = float((decided & (y == 1)).sum())
    return 2 * true_positive / max(float(decided.sum() + (y == 1).sum()), 1.0)
