"""Encoder models behind the estimator interface ``DispositionModel`` drives.

``predict_proba`` / ``classes_`` / ``thresholds_`` as scikit-learn gives them, plus
``save`` (the files of the model folder). A text
longer than one window is read window by window and pooled: request logits and
embeddings are averaged, paragraph logits take their maximum (a label named anywhere).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gongkai.models.encoder.backends import Backend
from gongkai.models.encoder.windows import Windower, batches
from gongkai.models.linear import LinearModel

TOKENIZER_FILE = "tokenizer.json"
# Special-token roles by their usual spellings (XLM-R / e5 and BERT vocabularies).
SPECIAL_ROLES = {"bos_token": ("<s>",), "eos_token": ("</s>",), "cls_token": ("<s>", "[CLS]"),
                 "sep_token": ("</s>", "[SEP]"), "pad_token": ("<pad>", "[PAD]"),
                 "unk_token": ("<unk>", "[UNK]"), "mask_token": ("<mask>", "[MASK]")}
BATCH_SIZE = 32


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))


def pool(rows: np.ndarray, owners: np.ndarray, count: int, how: str) -> np.ndarray:
    """Rows of the same owner combined by ``how`` ("mean" or "max")."""
    if how == "max":
        out = np.full((count, rows.shape[1]), -np.inf, dtype=rows.dtype)
        np.maximum.at(out, owners, rows)
        return out
    out = np.zeros((count, rows.shape[1]), dtype=rows.dtype)
    np.add.at(out, owners, rows)
    return out / np.bincount(owners, minlength=count)[:, None]


def save_tokenizer(windower: Windower, directory: Path) -> list[str]:
    """``tokenizer.json`` with its ``tokenizer_config.json``, so that ``AutoTokenizer``
    loads the folder; only ``tokenizer.json`` is read back here."""
    from transformers import PreTrainedTokenizerFast

    tokenizer = windower.tokenizer
    vocab = tokenizer.get_vocab()
    roles = {role: next((t for t in spellings if t in vocab), None)
             for role, spellings in SPECIAL_ROLES.items()}
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer,
                                   model_max_length=windower.spec.max_length,
                                   **{role: token for role, token in roles.items() if token})
    written = fast.save_pretrained(str(directory))
    return sorted({Path(name).name for name in written if Path(name).is_file()})


class EncoderEstimator:
    """Texts → token windows → backend outputs, pooled per text."""

    pooling = "mean"

    def __init__(self, windower: Windower, backend: Backend, task: str,
                 labels: Sequence[str]) -> None:
        self.windower = windower
        self.backend = backend
        self.task = task
        self.classes_ = np.asarray(labels)

    def outputs(self, texts: Sequence[str],
                records: Sequence[str | None] | None = None) -> np.ndarray:
        """One pooled output row per text (read with its record)."""
        windows, owners = self.windower.windows(texts, records)
        rows: np.ndarray | None = None
        for positions, ids, mask in batches(windows, BATCH_SIZE, self.windower.spec.pad_id):
            out = self.backend(ids, mask)
            if rows is None:
                rows = np.empty((len(windows), out.shape[1]), dtype=np.float32)
            rows[positions] = out
        return pool(rows, owners, len(texts), self.pooling)

    def predict_proba(self, texts: Sequence[str],
                      records: Sequence[str | None] | None = None) -> np.ndarray:
        raise NotImplementedError

    @property
    def thresholds_(self) -> np.ndarray:
        raise NotImplementedError

    def save(self, directory: Path) -> list[str]:
        """Write the tokenizer (as a Hugging Face fast tokenizer) and the backend's files;
        returns their names."""
        return [*save_tokenizer(self.windower, directory), *self.backend.save(directory)]


class FineTunedEstimator(EncoderEstimator):
    """Logits from a fine-tuned head: temperature-scaled softmax for requests, sigmoid and
    per-label thresholds for paragraphs."""

    def __init__(self, windower: Windower, backend: Backend, task: str,
                 labels: Sequence[str], temperature: float = 1.0,
                 thresholds: Sequence[float] | None = None) -> None:
        super().__init__(windower, backend, task, labels)
        self.pooling = "mean" if task == "request" else "max"
        self.temperature = float(temperature)
        self.thresholds = np.asarray(thresholds if thresholds is not None
                                     else [0.5] * len(labels), dtype=float)

    def logits(self, texts: Sequence[str],
               records: Sequence[str | None] | None = None) -> np.ndarray:
        return self.outputs(texts, records).astype(np.float64)

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        if self.task == "request":
            return softmax(logits / self.temperature)
        return sigmoid(logits)

    def predict_proba(self, texts: Sequence[str],
                      records: Sequence[str | None] | None = None) -> np.ndarray:
        return self.probabilities(self.logits(texts, records))

    @property
    def thresholds_(self) -> np.ndarray:
        return self.thresholds

    def settings(self) -> dict[str, Any]:
        return {"temperature": self.temperature, "thresholds": self.thresholds.tolist()}


class EmbeddingEstimator(EncoderEstimator):
    """Mean-pooled embeddings of a frozen encoder into a linear head (standardised
    embeddings, a logistic regression), stored as plain arrays (``LinearModel``)."""

    def __init__(self, windower: Windower, backend: Backend, task: str,
                 labels: Sequence[str], head: LinearModel) -> None:
        super().__init__(windower, backend, task, labels)
        self.head = head
        if task == "request":  # scikit-learn ordered the classes it saw by name
            self.classes_ = np.asarray(head.classes)

    def predict_proba(self, texts: Sequence[str],
                      records: Sequence[str | None] | None = None) -> np.ndarray:
        return self.head.predict_proba(self.outputs(texts, records))

    @property
    def thresholds_(self) -> np.ndarray:
        return self.head.thresholds

    def settings(self) -> dict[str, Any]:
        return {}

    def save(self, directory: Path) -> list[str]:
        return [*super().save(directory), *self.head.save(directory)]


def label_order(proba: np.ndarray, classes: Any, labels: list[str]) -> np.ndarray:
    """Columns rearranged from ``classes`` order to ``labels`` order (zeros for a label
    the head never saw)."""
    column = {str(label): j for j, label in enumerate(classes)}
    out = np.zeros((len(proba), len(labels)))
    for j, label in enumerate(labels):
        if label in column:
            out[:, j] = proba[:, column[label]]
    return out
