"""``DispositionModel``: a fitted estimator with its metadata, in the taxonomy's terms.

Whatever the estimator (rules, TF-IDF or a pretrained encoder), predictions come out in
one shape, with the legal basis read from the taxonomy and an explanation of the
decision. ``save`` / ``load`` keep a model directory: ``metadata.json``, ``MODEL_CARD.md``
and the estimator's files — ``estimator.skops``, or for the encoder kinds (dispatched on
metadata ``kind``) the tokenizer and safetensors or ONNX weights, each checksummed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from gongkai.figures import extract_counts
from gongkai.taxonomy import Taxonomy, load_taxonomy
from training.artifacts import ModelError, dump_estimator, load_estimator
from training.card import model_card
from training.explain import class_weights, term_names, top_terms
from training.labelsets import collapse, groups
from training.rules import KeywordRules
from training.transformer.kinds import TRANSFORMER_KINDS

ESTIMATOR_FILE = "estimator.skops"
METADATA_FILE = "metadata.json"
CARD_FILE = "MODEL_CARD.md"
MAX_CHARS = 10_000
EXPLAIN_TERMS = 8
REQUIRED_METADATA = ("name", "task", "kind", "labels", "taxonomy_sha256", "estimator_sha256")


class DispositionModel:
    """A fitted request classifier or paragraph tagger."""

    def __init__(self, estimator: Any, metadata: dict[str, Any],
                 taxonomy: Taxonomy | None = None) -> None:
        self.estimator = estimator
        self.metadata = metadata
        self.taxonomy = taxonomy or load_taxonomy()
        self._names: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def name(self) -> str:
        return self.metadata["name"]

    @property
    def task(self) -> str:
        return self.metadata["task"]

    @property
    def labels(self) -> list[str]:
        return self.metadata["labels"]

    @property
    def encoder_kind(self) -> bool:
        """Built on a pretrained encoder (saved as its own files, not skops)."""
        return self.metadata["kind"] in TRANSFORMER_KINDS

    # --- prediction -----------------------------------------------------------------------

    def _split(self) -> tuple[Any, Any]:
        if isinstance(self.estimator, Pipeline):
            return self.estimator[:-1], self.estimator[-1]
        return None, self.estimator

    def _explain(self, head: Any, text: str, row: Any, label: str, column: int) -> list[dict]:
        if self.encoder_kind:
            return head.explain(text, column, EXPLAIN_TERMS)
        if isinstance(head, KeywordRules):
            return [{"term": term, "weight": head.strength}
                    for term in head.matched_terms(text, label)[:EXPLAIN_TERMS]]
        if self._names is None:
            self._names = term_names(self.estimator.named_steps["features"])
        return top_terms(row, class_weights(head, column), self._names, EXPLAIN_TERMS)

    def predict(self, texts: Sequence[str], top_k: int = 3,
                explain: bool = False) -> list[dict[str, Any]]:
        """One dict per text (request or paragraph shape, see the README)."""
        texts = [text[:MAX_CHARS] for text in texts]
        if not texts:
            return []
        features, head = self._split()
        matrix = features.transform(texts) if features is not None else texts
        explained = explain and features is not None
        rows = [matrix[i] if explained else None for i in range(len(texts))]
        proba = head.predict_proba(matrix)
        if self.task == "request":
            return [self._request(head, texts[i], proba[i], rows[i], top_k, explain)
                    for i in range(len(texts))]
        # An encoder's thresholds are applied to the probabilities at hand, not recomputed.
        decisions = (proba >= head.thresholds_).astype(int) if self.encoder_kind else (
            head.predict(matrix))
        return [self._paragraph(head, texts[i], proba[i], decisions[i], rows[i], top_k, explain)
                for i in range(len(texts))]

    def _request(self, head: Any, text: str, proba: np.ndarray, row: Any, top_k: int,
                 explain: bool) -> dict[str, Any]:
        classes = [str(label) for label in head.classes_]
        by_group: dict[str, float] = {}
        for label, p in zip(classes, proba, strict=True):
            group = self.taxonomy.group_of(label)
            by_group[group] = by_group.get(group, 0.0) + float(p)
        group = max(self.taxonomy.group_ids, key=lambda g: by_group.get(g, 0.0))
        # The leaf is the best one inside the most probable group, so both always agree.
        column = max((i for i, label in enumerate(classes)
                      if self.taxonomy.group_of(label) == group), key=lambda i: proba[i])
        label = classes[column]
        ranked = np.argsort(-proba, kind="stable")[:max(top_k, 1)]
        return {
            "label": label,
            "group": group,
            "score": round(float(proba[column]), 4),
            "top": [{"label": classes[i], "score": round(float(proba[i]), 4)} for i in ranked],
            "legal_basis": self.taxonomy.legal_basis(label),
            "explanation": self._explain(head, text, row, label, column) if explain else [],
        }

    def _paragraph(self, head: Any, text: str, proba: np.ndarray, decision: np.ndarray,
                   row: Any, top_k: int, explain: bool) -> dict[str, Any]:
        labels = collapse([self.labels[j] for j in np.flatnonzero(decision)], self.taxonomy)
        ranked = [self.labels[j] for j in np.argsort(-proba, kind="stable")[:top_k]]
        shown = labels + [label for label in ranked if label not in labels]
        return {
            "labels": labels,
            "groups": groups(labels, self.taxonomy),
            "scores": {label: round(float(proba[self.labels.index(label)]), 4)
                       for label in shown},
            "counts": extract_counts(text, labels, self.taxonomy),
            "legal_basis": {label: self.taxonomy.legal_basis(label) for label in labels},
            "explanation": {
                label: self._explain(head, text, row, label, self.labels.index(label))
                for label in labels
            } if explain else {},
        }

    # --- persistence ----------------------------------------------------------------------

    def save(self, directory: str | Path) -> Path:
        """Write the model directory (estimator, metadata, model card); returns it."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        if self.encoder_kind:
            from training.transformer.persist import save_files

            self.metadata["files"] = save_files(self.estimator, directory)
            digest = self.metadata["files"][self.estimator.backend.weights_file]
        else:
            digest = dump_estimator(self.estimator, directory / ESTIMATOR_FILE)
        self.metadata["estimator_sha256"] = digest
        (directory / METADATA_FILE).write_text(
            json.dumps(self.metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (directory / CARD_FILE).write_text(model_card(self.metadata), encoding="utf-8")
        return directory

    @classmethod
    def load(cls, directory: str | Path, taxonomy: Taxonomy | None = None) -> DispositionModel:
        """Load a model directory; :class:`ModelError` when it is missing, foreign,
        corrupted or was trained with another taxonomy."""
        directory = Path(directory)
        taxonomy = taxonomy or load_taxonomy()
        if not directory.is_dir():
            raise ModelError(f"no model directory at {directory}")
        try:
            metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelError(f"{directory} has no {METADATA_FILE}; not a gongkai model") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{directory / METADATA_FILE} is unreadable: {exc}") from None
        missing = [key for key in REQUIRED_METADATA if key not in metadata] if isinstance(
            metadata, dict) else list(REQUIRED_METADATA)
        if missing:
            raise ModelError(f"{directory / METADATA_FILE} lacks {', '.join(missing)}; "
                             "not a gongkai model")
        if metadata["taxonomy_sha256"] != taxonomy.sha256:
            raise ModelError(
                f"model {metadata['name']!r} was trained with another taxonomy "
                f"(sha256 {metadata['taxonomy_sha256'][:12]}…, current {taxonomy.sha256[:12]}…); "
                f"retrain it: gongkai train --task {metadata['task']}")
        if metadata["kind"] in TRANSFORMER_KINDS:
            from training.transformer.persist import load_transformer

            return cls(load_transformer(directory, metadata), metadata, taxonomy)
        estimator = load_estimator(directory / ESTIMATOR_FILE, metadata["estimator_sha256"])
        return cls(estimator, metadata, taxonomy)
