"""A fitted TF-IDF + linear model as plain arrays and JSON: how it is stored and how it
predicts, without scikit-learn, scipy or a pickle.

scikit-learn fits the model (``gongkai.models.tfidf``); :meth:`LinearModel.from_pipeline`
then reads what prediction needs off the fitted pipeline — each vectorizer's vocabulary
and idf, the linear head's coefficients, the softmax temperature or the per-label
thresholds — and from then on the model predicts with numpy alone
(``gongkai.models.sparse``), computing what the pipeline computes, in the same order.
Stored, that is ``linear.json`` (vocabularies and settings) and ``linear.npz`` (the arrays,
uncompressed so that loading is a read, with ``allow_pickle=False``): a model folder holds
data only, nothing that could run.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from gongkai.models.errors import ModelError
from gongkai.models.sparse import SparseRows

SPEC_FILE = "linear.json"
ARRAYS_FILE = "linear.npz"
FORMAT = 1
_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's character analyzer


def _analyzers() -> dict[str, Callable[[str], list[str]]]:
    """The named analyzers a stored vectorizer may use (never a name from the file); each
    reads the normalised text (``gongkai.text.normalize``) except ``words``, which
    segments the text as given."""
    from gongkai.models.segment import jieba_words
    from gongkai.models.wording import phrases_in

    return {"words": jieba_words, "rows": phrases_in}


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
    _tokens: Callable[[str], list[str]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._index = dict(zip(self.terms, range(len(self.terms)), strict=True))
        if self.analyzer != "chars":
            self._tokens = _analyzers()[self.analyzer]

    def tokens(self, text: str, normalized: str) -> list[str]:
        """The text's tokens; ``normalized`` is ``gongkai.text.normalize(text)``."""
        if self._tokens is None:
            return char_ngrams(normalized, *self.ngram)
        return self._tokens(text if self.analyzer == "words" else normalized)

    def transform(self, texts: Sequence[str], normalized: Sequence[str]) -> SparseRows:
        indptr, columns, counts = [0], [], []
        for text, plain in zip(texts, normalized, strict=True):
            # Each distinct token looked up once (a text repeats its characters and words).
            index = self._index
            found = {column: count for token, count in Counter(self.tokens(text, plain)).items()
                     if (column := index.get(token)) is not None}
            ordered = sorted(found)
            columns += ordered
            counts += map(found.__getitem__, ordered)
            indptr.append(len(columns))
        rows = SparseRows(np.array(indptr, dtype=np.int64), np.array(columns, dtype=np.int64),
                          np.array(counts, dtype=np.float64), len(self.terms))
        data = rows.data
        np.log(data, out=data)
        data += 1.0
        data *= self.idf[rows.indices]
        # Row norms summed as scipy sums a row (np.add.reduceat), for the same last bit.
        squares = np.zeros(len(rows))
        filled = np.flatnonzero(rows.lengths())
        if len(filled):
            squares[filled] = np.add.reduceat(data * data, rows.indptr[filled])
        norms = np.sqrt(squares)
        norms[norms == 0.0] = 1.0
        data /= np.repeat(norms, rows.lengths())
        return rows


@dataclass
class Block:
    """The vectorizers of one input field (0: the text, 1: a request's record; None: the
    input is the text itself)."""

    field: int | None
    vectorizers: list[Vectorizer]

    def transform(self, rows: Sequence[Any]) -> SparseRows:
        from gongkai.text import normalize

        texts = [row if self.field is None else (row[self.field] or "") for row in rows]
        normalized = ([normalize(text) for text in texts]
                      if any(v.analyzer != "words" for v in self.vectorizers) else texts)
        return SparseRows.side_by_side([v.transform(texts, normalized)
                                        for v in self.vectorizers], len(texts))


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

    def __post_init__(self) -> None:
        if self.blocks:  # column-major: a feature's weights for every class side by side,
            # as a product with sparse rows reads them (``coef.T`` is C-ordered)
            self.coef = np.asfortranarray(self.coef, dtype=np.float64)

    @cached_property
    def _class_mean(self) -> np.ndarray:
        """The classes' mean coefficients, summed class after class as numpy's mean of the
        row-major array sums them (the same last bit)."""
        total = self.coef[0].copy()
        for row in self.coef[1:]:
            total += row
        return total / len(self.coef)

    def features(self, rows: Sequence[Any]) -> SparseRows:
        return SparseRows.side_by_side([block.transform(rows) for block in self.blocks],
                                       len(rows))

    def predict_proba(self, matrix: SparseRows | np.ndarray) -> np.ndarray:
        """Probabilities of TF-IDF features (:meth:`features`) or of a dense matrix."""
        if isinstance(matrix, SparseRows):
            decision = matrix.dot(self.coef.T) + self.intercept
        else:
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

    def feature_names(self) -> tuple[list[str], np.ndarray]:
        """Every feature's term, and whether it is a word (not a character n-gram)."""
        vectorizers = [v for block in self.blocks for v in block.vectorizers]
        terms = [term for v in vectorizers for term in v.terms]
        words = np.repeat([v.analyzer != "chars" for v in vectorizers],
                          [len(v.terms) for v in vectorizers])
        return terms, words.astype(bool)

    def label_weights(self, column: int) -> np.ndarray | None:
        """The weight vector that drives ``column`` of the probabilities; None for a
        constant label."""
        if column in self.constants:
            return None
        if self.output == "softmax" and self.coef.shape[0] == 1:  # two classes: one vector
            return self.coef[0] if column == 1 else -self.coef[0]
        if self.output == "softmax":  # softmax ignores a shift shared by all classes
            return self.coef[column] - self._class_mean
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
            np.savez(handle, coef=self.coef, intercept=self.intercept, **idf, **scaler)
        return [SPEC_FILE, ARRAYS_FILE]

    @classmethod
    def load(cls, directory: Path) -> LinearModel:
        """The model of a folder; :class:`ModelError` for anything that does not fit."""
        try:
            spec = json.loads((directory / SPEC_FILE).read_text(encoding="utf-8"))
            with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
                return cls._build(spec, {name: arrays[name] for name in arrays.files})
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError,
                EOFError, zipfile.BadZipFile) as exc:  # AttributeError: a spec not an object
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
                terms = v["terms"]
                if not isinstance(terms, list) or not set(map(type, terms)) <= {str}:
                    raise ValueError("a vocabulary that is not a list of strings")
                if idf.shape != (len(terms),):
                    raise ValueError("idf and vocabulary differ in size")
                vectorizers.append(Vectorizer(str(v["analyzer"]), terms, idf,
                                              (int(v["ngram"][0]), int(v["ngram"][1]))))
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
