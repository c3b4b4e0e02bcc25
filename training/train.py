"""Train a request classifier or paragraph tagger, evaluate it and save it.

Deterministic: the split, the estimators, the fine-tuning order and the threshold tuning
are all seeded or order-stable, so the same corpus and seed give the same predictions.
The encoder kinds (``e5``, ``e5-int8``, ``e5-lr``) are built by
``training.transformer.recipes``, imported only when one is asked for.
"""

from __future__ import annotations

import platform
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from datasets import DatasetDict
from sklearn.base import BaseEstimator

from gongkai.taxonomy import Taxonomy, load_taxonomy
from training.corpus import corpus_path, file_sha256, load_corpus
from training.evaluate import evaluate
from training.labelsets import expand, paragraph_labels, request_labels
from training.model import MAX_CHARS, DispositionModel
from training.registry import model_dir
from training.rules import KeywordRules
from training.tfidf import paragraph_pipeline, request_pipeline
from training.transformer.kinds import TRANSFORMER_KINDS

KINDS = ("tfidf", "rules", *TRANSFORMER_KINDS)
LIBRARIES = ("scikit-learn", "numpy", "scipy", "jieba", "skops", "datasets")


def build_estimator(task: str, kind: str, seed: int, taxonomy: Taxonomy) -> BaseEstimator:
    if kind == "rules":
        if task == "request":
            return KeywordRules(fallback="disclose")
        return KeywordRules(fallback=None, labels=paragraph_labels(taxonomy))
    if kind != "tfidf":
        raise ValueError(f"unknown model kind {kind!r}; choose one of {', '.join(KINDS)}")
    return request_pipeline(seed=seed) if task == "request" else paragraph_pipeline(seed=seed)


def targets(rows: Any, task: str, taxonomy: Taxonomy) -> np.ndarray:
    """Leaf labels, or the expanded indicator matrix over the paragraph label space."""
    if task == "request":
        return np.asarray(rows["label"])
    space = paragraph_labels(taxonomy)
    return np.array([[label in expand(labels, taxonomy) for label in space]
                     for labels in rows["labels"]], dtype=int)


def fit_model(corpus: DatasetDict, task: str, kind: str = "tfidf", seed: int = 0,
              name: str | None = None, base_model: str | Path | None = None,
              epochs: int | None = None, threads: int | None = None) -> DispositionModel:
    """Fit on ``train``; a paragraph tagger then tunes its thresholds on ``validation``.

    ``base_model`` (an encoder folder), ``epochs`` and ``threads`` concern the encoder
    kinds only.
    """
    taxonomy = load_taxonomy()
    labels = request_labels(taxonomy) if task == "request" else paragraph_labels(taxonomy)
    extra: dict[str, Any] = {}
    libraries = LIBRARIES
    if kind in TRANSFORMER_KINDS:
        from training.transformer.recipes import LIBRARIES as ENCODER_LIBRARIES
        from training.transformer.recipes import fit_transformer

        estimator, extra["encoder"] = fit_transformer(
            corpus, task, kind, labels, taxonomy, seed=seed, base_model=base_model,
            epochs=epochs, threads=threads)
        libraries = LIBRARIES + ENCODER_LIBRARIES[kind]
    else:
        estimator = build_estimator(task, kind, seed, taxonomy)
        estimator.fit(corpus["train"]["text"], targets(corpus["train"], task, taxonomy))
    if task == "paragraph" and kind == "tfidf":
        features, head = estimator[:-1], estimator[-1]
        head.tune_thresholds(features.transform(corpus["validation"]["text"]),
                             targets(corpus["validation"], task, taxonomy))
    metadata = {
        "name": name or f"{kind}-{task}",
        "task": task,
        "kind": kind,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "labels": labels,
        "taxonomy_sha256": taxonomy.sha256,
        "corpus_sha256": None,  # known to train(), which reads the corpus file
        "seed": seed,
        "max_chars": MAX_CHARS,
        "split_sizes": {split: len(corpus[split]) for split in corpus},
        "versions": {"python": platform.python_version(),
                     **{library: version(library) for library in libraries}},
        **extra,
    }
    return DispositionModel(estimator, metadata, taxonomy)


def headline(metrics: dict[str, Any]) -> dict[str, Any]:
    """The metrics without the confusion matrix, for ``metadata.json``."""
    return {key: value for key, value in metrics.items() if key != "confusion"}


def train(task: str, kind: str = "tfidf", seed: int = 0, out: str | Path | None = None,
          corpus_file: str | Path | None = None, base_model: str | Path | None = None,
          epochs: int | None = None, threads: int | None = None) -> DispositionModel:
    """Train on the corpus split, evaluate on validation and test, save to ``out``."""
    path = Path(corpus_file or corpus_path(task))
    corpus = load_corpus(task, seed=seed, path=path)
    out = Path(out) if out else model_dir(f"{kind}-{task}")
    started = time.perf_counter()
    model = fit_model(corpus, task, kind, seed, name=out.name, base_model=base_model,
                      epochs=epochs, threads=threads)
    seconds = round(time.perf_counter() - started, 2)
    model.metadata["corpus_sha256"] = file_sha256(path)
    model.metadata["metrics"] = {
        "validation": headline(evaluate(model, corpus["validation"])),
        "test": headline(evaluate(model, corpus["test"])),
        "train_seconds": seconds,
    }
    model.save(out)
    return model
