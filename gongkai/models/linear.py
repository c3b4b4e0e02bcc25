"""A fitted TF-IDF + linear model as plain arrays and JSON: how it is stored and how it
predicts, without scikit-learn and without a pickle.

scikit-learn fits the model (``gongkai.models.tfidf``); :meth:`LinearModel.from_pipeline`
then reads what prediction needs off the fitted pipeline — each vectorizer's vocabulary
and idf, the linear head's coefficients, the softmax temperature or the per-label
thresholds — and from then on the model predicts with numpy and scipy alone, computing
what the pipeline computes (the same probabilities, to rounding). Stored, that is
``linear.json`` (vocabularies and settings) and ``linear.npz`` (the arrays, read with
``allow_pickle=False``): a model folder holds data only, nothing that could run.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from gongkai.models.errors import ModelError

SPEC_FILE = "linear.json"
ARRAYS_FILE = "linear.npz"
FORMAT = 1
_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's character analyzer


def _analyzers() -> dict[str, Callable[[str], list[str]]]:
    """The named analyzers a stored vectorizer may use (never a name from the file)."""
    from gongkai.models.segment import jieba_words
    from gongkai.models.wording import row_wording

    return {"words": jieba_words, "rows": row_wording}


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams as scikit-learn's ``analyzer="char"`` cuts them."""
    text = _WHITE_SPACES.sub(" ", text)
    grams = list(text) if low == 1 else []
    for n in range(max(low, 2), min(high + 1, len(text) + 1)):
        grams += [text[i:i + n] for i in range(len(text) - n + 1)]
    return grams


@dataclass
class Vectorizer:
    """One TF-IDF block: sublinear term frequency × idf, each row L2-normalised."""

    analyzer: str  # "words", "rows" (named analyzers) or "chars" (character n-grams)
    terms: list[str]
    idf: np.ndarray
    ngram: tuple[int, int] = (1, 1)
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {term: j for j, term in enumerate(self.terms)}

    def tokens(self, text: str) -> list[str]:
        if self.analyzer == "chars":
            from gongkai.text import normalize

            return char_ngrams(normalize(text), *self.ngram)
        return _analyzers()[self.analyzer](text)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows, columns, values = [], [], []
        for i, text in enumerate(texts):
            counts = Counter(j for token in self.tokens(text)
                             if (j := self._index.get(token)) is not None)
            for j, count in sorted(counts.items()):
                rows.append(i)
                columns.append(j)
                values.append(count)
        matrix = sparse.csr_matrix((np.asarray(values, dtype=np.float64), (rows, columns)),
                                   shape=(len(texts), len(self.terms)))
        np.log(matrix.data, out=matrix.data)
        matrix.data += 1.0
        matrix.data *= self.idf[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
        return matrix


@dataclass
class Block:
    """The vectorizers of one input field (0: the text, 1: a request's record; None: the
    input is the text itself)."""

    field: int | None
    vectorizers: list[Vectorizer]

    def transform(self, rows: Sequence[Any]) -> sparse.csr_matrix:
        texts = [row if self.field is None else (row[self.field] or "") for row in rows]
        return sparse.hstack([v.transform(texts) for v in self.vectorizers] or
                             [sparse.csr_matrix((len(texts), 0))], format="csr")


@dataclass
class LinearModel:
    """Features of every block side by side, then one linear head: a temperature-scaled
    softmax over the classes, or one sigmoid per label (constant where a label had only one
    value in training)."""

    blocks: list[Block]  # none: the input is already a dense feature matrix
    classes: list[str]
    coef: np.ndarray  # classes × features (one row for a two-class softmax)
    intercept: np.ndarray
    output: str  # "softmax" or "sigmoid"
    beta: float = 1.0  # the softmax's inverse temperature
    constants: dict[int, float] = field(default_factory=dict)  # sigmoid label → probability
    thresholds: np.ndarray | None = None  # sigmoid: per-label decision thresholds
    mean: np.ndarray | None = None  # dense input: standardised first, (x - mean) / scale
    scale: np.ndarray | None = None

    def features(self, rows: Sequence[Any]) -> sparse.csr_matrix:
        return sparse.hstack([block.transform(rows) for block in self.blocks], format="csr")

    def predict_proba(self, matrix: Any) -> np.ndarray:
        if self.mean is not None:
            matrix = (np.asarray(matrix, dtype=np.float64) - self.mean) / self.scale
        decision = np.asarray(matrix @ self.coef.T) + self.intercept
        if self.output == "sigmoid":
            proba = 1.0 / (1.0 + np.exp(-decision))
            for column, value in self.constants.items():
                proba[:, column] = value
            return proba
        logits = _as_logits(decision)
        shifted = self.beta * logits
        shifted -= shifted.max(axis=1, keepdims=True)
        proba = np.exp(shifted)
        proba /= proba.sum(axis=1, keepdims=True)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def feature_names(self) -> tuple[np.ndarray, np.ndarray]:
        """Every feature's term, and whether it is a word (not a character n-gram)."""
        terms = [t for block in self.blocks for v in block.vectorizers for t in v.terms]
        words = [v.analyzer != "chars" for block in self.blocks for v in block.vectorizers
                 for _ in v.terms]
        return np.array(terms, dtype=object), np.array(words, dtype=bool)

    def label_weights(self, column: int) -> np.ndarray | None:
        """The weight vector that drives ``column`` of the probabilities; None for a
        constant label."""
        if column in self.constants:
            return None
        if self.output == "softmax" and self.coef.shape[0] == 1:  # two classes: one vector
            return self.coef[0] if column == 1 else -self.coef[0]
        if self.output == "softmax":  # softmax ignores a shift shared by all classes
            return self.coef[column] - self.coef.mean(axis=0)
        return self.coef[column]

    # --- storage --------------------------------------------------------------------------

    def save(self, directory: Path) -> list[str]:
        spec = {"format": FORMAT, "classes": self.classes, "output": self.output,
                "beta": self.beta, "constants": {str(k): v for k, v in self.constants.items()},
                "thresholds": None if self.thresholds is None else self.thresholds.tolist(),
                "blocks": [{"field": block.field, "vectorizers": [
                    {"analyzer": v.analyzer, "ngram": list(v.ngram), "terms": v.terms}
                    for v in block.vectorizers]} for block in self.blocks]}
        (directory / SPEC_FILE).write_text(json.dumps(spec, ensure_ascii=False),
                                           encoding="utf-8")
        idf = {f"idf_{b}_{i}": v.idf for b, block in enumerate(self.blocks)
               for i, v in enumerate(block.vectorizers)}
        scaler = {} if self.mean is None else {"mean": self.mean, "scale": self.scale}
        with open(directory / ARRAYS_FILE, "wb") as handle:
            np.savez_compressed(handle, coef=self.coef, intercept=self.intercept, **idf,
                                **scaler)
        return [SPEC_FILE, ARRAYS_FILE]

    @classmethod
    def load(cls, directory: Path) -> LinearModel:
        """The model of a folder; :class:`ModelError` for anything that does not fit."""
        try:
            spec = json.loads((directory / SPEC_FILE).read_text(encoding="utf-8"))
            with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
                return cls._build(spec, {name: arrays[name] for name in arrays.files})
        except (OSError, ValueError, KeyError, TypeError, IndexError, EOFError,
                zipfile.BadZipFile) as exc:
            raise ModelError(f"{directory} holds no readable linear model: "
                             f"{type(exc).__name__}: {exc}") from None

    @classmethod
    def _build(cls, spec: dict[str, Any], arrays: dict[str, np.ndarray]) -> LinearModel:
        if spec.get("format") != FORMAT or spec.get("output") not in ("softmax", "sigmoid"):
            raise ValueError("unknown linear model format")
        known = {"chars", *_analyzers()}
        blocks = []
        for b, block in enumerate(spec["blocks"]):
            vectorizers = []
            for i, v in enumerate(block["vectorizers"]):
                if v["analyzer"] not in known:
                    raise ValueError(f"unknown analyzer {v['analyzer']!r}")
                idf = np.asarray(arrays[f"idf_{b}_{i}"], dtype=np.float64)
                if idf.shape != (len(v["terms"]),):
                    raise ValueError("idf and vocabulary differ in size")
                vectorizers.append(Vectorizer(str(v["analyzer"]), [str(t) for t in v["terms"]],
                                              idf, (int(v["ngram"][0]), int(v["ngram"][1]))))
            blocks.append(Block(None if block["field"] is None else int(block["field"]),
                                vectorizers))
        thresholds = spec.get("thresholds")
        model = cls(blocks, [str(c) for c in spec["classes"]],
                    np.asarray(arrays["coef"], dtype=np.float64),
                    np.asarray(arrays["intercept"], dtype=np.float64), spec["output"],
                    float(spec["beta"]), {int(k): float(v) for k, v in spec["constants"].items()},
                    None if thresholds is None else np.asarray(thresholds, dtype=np.float64),
                    *(np.asarray(arrays[key], dtype=np.float64) if key in arrays else None
                      for key in ("mean", "scale")))
        width = (sum(len(v.terms) for block in blocks for v in block.vectorizers) if blocks
                 else len(model.mean) if model.mean is not None else model.coef.shape[1])
        if model.coef.ndim != 2 or model.coef.shape[1] != width:
            raise ValueError("coefficients and features differ in size")
        return model

    # --- from a fitted scikit-learn pipeline -------------------------------------------------

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearModel:
        """What prediction needs, read off a fitted TF-IDF pipeline of gongkai's."""
        return cls.from_head(pipeline[-1], _blocks(pipeline[:-1].steps[-1][1]))

    @classmethod
    def from_head(cls, head: Any, blocks: list[Block], scaler: Any = None) -> LinearModel:
        """A fitted head (a temperature-calibrated logistic regression, or gongkai's
        thresholded one-vs-rest), after ``blocks`` or a fitted standard scaler."""
        mean = None if scaler is None else np.asarray(scaler.mean_, dtype=np.float64)
        scale = None if scaler is None else np.asarray(scaler.scale_, dtype=np.float64)
        if hasattr(head, "calibrated_classifiers_"):
            calibrated = head.calibrated_classifiers_[0]
            linear = calibrated.estimator
            return cls(blocks, [str(c) for c in head.classes_], linear.coef_.copy(),
                       np.atleast_1d(linear.intercept_).copy(), "softmax",
                       float(calibrated.calibrators[0].beta_), mean=mean, scale=scale)
        estimators = head.model_.estimators_
        width = (sum(len(v.terms) for b in blocks for v in b.vectorizers) if blocks
                 else len(mean))
        coef, intercept = np.zeros((len(estimators), width)), np.zeros(len(estimators))
        constants = {}
        for j, estimator in enumerate(estimators):
            if hasattr(estimator, "coef_"):
                coef[j], intercept[j] = estimator.coef_[0], estimator.intercept_[0]
            else:  # a label with one value in training: a constant probability
                constants[j] = float(estimator.predict_proba(np.zeros((1, 1)))[0, 1])
        return cls(blocks, [str(c) for c in head.classes_], coef, intercept, "sigmoid",
                   constants=constants, thresholds=np.asarray(head.thresholds_, dtype=float),
                   mean=mean, scale=scale)


def _as_logits(decision: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Decision values as (n, classes) logits, the way scikit-learn's temperature scaling
    reads them."""
    if decision.ndim == 1 or decision.shape[1] == 1:
        column = decision.reshape(-1, 1)
        return np.concatenate([-column, column], axis=1)
    if np.all((decision >= 0) & (decision <= 1)) and np.allclose(decision.sum(axis=1), 1.0):
        return np.log(decision + eps)
    return decision


def _blocks(union: Any) -> list[Block]:
    """The blocks of a fitted feature union: per field for a request model's (text, record)
    pairs, one block of the text otherwise."""
    if all(hasattr(step, "index") for _, step in union.transformer_list):
        return [Block(step.index, [] if step.transformer_ is None
                      else _vectorizers(step.transformer_)) for _, step in union.transformer_list]
    return [Block(None, _vectorizers(union))]


def _vectorizers(union: Any) -> list[Vectorizer]:
    found = []
    for name, vectorizer in union.transformer_list:
        analyzer = "chars" if vectorizer.analyzer == "char" else name
        if not vectorizer.sublinear_tf or vectorizer.norm != "l2" or not vectorizer.use_idf:
            raise ValueError(f"vectorizer {name} is not sublinear, idf-weighted and l2")
        terms = [str(t) for t in vectorizer.get_feature_names_out()]
        found.append(Vectorizer(analyzer, terms, np.asarray(vectorizer.idf_, dtype=np.float64),
                                tuple(vectorizer.ngram_range)))
    return found
