"""The keyword / legal-basis rule baseline, shaped as a scikit-learn classifier.

It is the floor any learned model must beat and a fallback that needs no training data:
``fit`` only records the label set, probabilities come from cue-word hits and a prior.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self

import numpy as np

from gongkai.models.base import Batch
from gongkai.models.errors import ModelError
from gongkai.models.keywords import KEYWORDS
from gongkai.models.metadata import ModelMetadata
from gongkai.models.predictions import Term
from gongkai.models.sklearn_model import ScikitLearnModel
from gongkai.taxonomy import Taxonomy
from gongkai.text import normalize

EXPLAIN_TERMS = 8
RULES_FILE = "rules.json"


class KeywordRules:
    """Scores each label by how many of its cue words a text contains.

    Single-label (``y`` a vector): softmax of ``strength`` × hits plus a log prior that
    gives ``fallback`` (the usual answer when nothing matches) ``fallback_weight`` times
    the mass of any other label. Multi-label (``y`` an indicator matrix whose columns are
    ``labels``): each label independently ``1 - (1 - base_rate) · exp(-strength · hits)``.
    """

    def __init__(
        self,
        keywords: dict[str, tuple[str, ...]] | None = None,
        strength: float = 1.5,
        fallback: str | None = "disclose",
        fallback_weight: float = 3.0,
        base_rate: float = 0.05,
        labels: list[str] | None = None,
    ) -> None:
        self.keywords = keywords
        self.strength = strength
        self.fallback = fallback
        self.fallback_weight = fallback_weight
        self.base_rate = base_rate
        self.labels = labels

    def fit(self, X: Iterable[str], y: np.ndarray | list) -> KeywordRules:
        y = np.asarray(y)
        self.multilabel_ = y.ndim == 2
        if self.multilabel_:
            if self.labels is None or len(self.labels) != y.shape[1]:
                raise ValueError("multi-label fit needs `labels` naming each column of y")
            self.classes_ = np.asarray(self.labels)
        else:
            self.classes_ = np.unique(y)
        table = KEYWORDS if self.keywords is None else self.keywords
        self.keywords_ = {str(label): tuple(table.get(str(label), ())) for label in self.classes_}
        return self

    def hits(self, X: Iterable[str]) -> np.ndarray:
        """Number of distinct cue words of each label found in each text."""
        texts = [normalize(text) for text in X]
        return np.array(
            [[sum(word in text for word in self.keywords_[str(label)]) for label in self.classes_]
             for text in texts],
            dtype=float,
        ).reshape(len(texts), len(self.classes_))

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        hits = self.hits(X)
        if self.multilabel_:
            return 1.0 - (1.0 - self.base_rate) * np.exp(-self.strength * hits)
        prior = np.where(self.classes_ == self.fallback, self.fallback_weight, 1.0)
        logits = self.strength * hits + np.log(prior / prior.sum())
        logits -= logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        return weights / weights.sum(axis=1, keepdims=True)

    def predict(self, X: Iterable[str]) -> np.ndarray:
        proba = self.predict_proba(X)
        if self.multilabel_:
            return (proba >= 0.5).astype(int)
        return self.classes_[proba.argmax(axis=1)]

    def matched_terms(self, text: str, label: str) -> list[str]:
        """The cue words of ``label`` that ``text`` contains (the rule model's explanation)."""
        text = normalize(text)
        return [word for word in self.keywords_.get(label, ()) if word in text]


class RulesModel(ScikitLearnModel):
    """The rule baseline as a model kind: requests fall back to 予以公开 when no cue
    matches, paragraphs are tagged only on cues. Stored as ``rules.json``."""

    kind = "rules"

    def __init__(self, task: str, *, seed: int = 0, name: str | None = None,
                 taxonomy: Taxonomy | None = None) -> None:
        super().__init__(task, seed=seed, name=name, taxonomy=taxonomy)
        self.estimator = (KeywordRules(fallback="disclose") if task == "request"
                          else KeywordRules(fallback=None, labels=self.labels))

    def _x(self, batch: Batch) -> list[str]:
        return batch.joined()  # the cue words count wherever they stand

    def _fit(self, batch: Batch, y: np.ndarray,
             validation: tuple[Batch, np.ndarray] | None) -> None:
        self.estimator.fit(self._x(batch),
                           np.asarray(self.labels)[y] if self.task == "request" else y)

    def _classes(self) -> list[str]:
        return [str(label) for label in self.estimator.classes_]

    def _predict_proba(self, batch: Batch) -> np.ndarray:
        return self._in_label_order(self.estimator.predict_proba(self._x(batch)))

    def _explain(self, batch: Batch, features: Any,
                 columns: list[list[int]]) -> list[list[list[Term]]]:
        rules = self.estimator
        return [[[Term(term, rules.strength)
                  for term in rules.matched_terms(text, self.labels[j])[:EXPLAIN_TERMS]]
                 for j in chosen] for text, chosen in zip(self._x(batch), columns, strict=True)]

    def _save_files(self, directory: Path) -> tuple[list[str], str]:
        rules = self.estimator
        params = {key: getattr(rules, key) for key in (
            "keywords", "strength", "fallback", "fallback_weight", "base_rate", "labels")}
        state = {"params": params, "classes": self._classes(),
                 "keywords": {label: list(words) for label, words in rules.keywords_.items()},
                 "multilabel": bool(rules.multilabel_)}
        (directory / RULES_FILE).write_text(json.dumps(state, ensure_ascii=False, indent=1),
                                            encoding="utf-8")
        return [RULES_FILE], RULES_FILE

    @classmethod
    def _load_files(cls, directory: Path, metadata: ModelMetadata,
                    taxonomy: Taxonomy) -> Self:
        model = cls(metadata.task, seed=metadata.seed, name=metadata.name, taxonomy=taxonomy)
        model.metadata = metadata
        try:
            state = json.loads((directory / RULES_FILE).read_text(encoding="utf-8"))
            rules = KeywordRules(**{key: state["params"][key] for key in (
                "keywords", "strength", "fallback", "fallback_weight", "base_rate", "labels")})
            rules.classes_ = np.asarray([str(label) for label in state["classes"]])
            rules.keywords_ = {str(label): tuple(str(w) for w in words)
                               for label, words in state["keywords"].items()}
            rules.multilabel_ = bool(state["multilabel"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{directory / RULES_FILE} is unreadable: {exc}") from None
        model.estimator = rules
        return model
