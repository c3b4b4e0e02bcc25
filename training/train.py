"""A training run: fit a model of one kind on the corpus split, evaluate it, save it.

Deterministic: the split, the estimators, the fine-tuning order and the threshold tuning
are all seeded or order-stable, so the same corpus and seed give the same predictions.
How a kind fits is the kind's own business (``gongkai.models``); this module reads the
corpus, records provenance and figures, and writes the model folder.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from datasets import DatasetDict

from gongkai.corrections import CorrectionStore
from gongkai.models.base import DispositionModel
from gongkai.models.kinds import model_class
from gongkai.models.store import load_model, model_dir, resolve
from gongkai.training.changelog import previous_model, record_revision
from gongkai.training.corpus import corpus_path, file_sha256, load_corpus
from gongkai.training.corrections import merge_corrections
from gongkai.training.evaluate import evaluate


def targets(rows: Any, task: str) -> list:
    """Leaf ids (requests) or label lists (paragraphs) of corpus rows."""
    return list(rows["label"] if task == "request" else rows["labels"])


def records(rows: Any) -> list[str | None] | None:
    """The case records of request rows (None for paragraphs)."""
    return list(rows["record"]) if "record" in rows.column_names else None


def fit_model(corpus: DatasetDict, task: str, kind: str = "tfidf", seed: int = 0,
              name: str | None = None, **params: Any) -> DispositionModel:
    """A model of ``kind`` fitted on ``train``, tuned on ``validation``; ``params`` go to the
    kind (``base_model``, ``epochs``, ``threads`` for the encoder kinds)."""
    model = model_class(kind)(task, seed=seed, name=name, **params)
    train, validation = corpus["train"], corpus["validation"]
    model.fit(train["text"], targets(train, task), records=records(train),
              validation=(validation["text"], targets(validation, task), records(validation)))
    model.metadata.split_sizes = {split: len(corpus[split]) for split in corpus}
    return model


def headline(metrics: dict[str, Any]) -> dict[str, Any]:
    """The metrics without the confusion matrix, for ``metadata.json``."""
    return {key: value for key, value in metrics.items() if key != "confusion"}


def train(task: str, kind: str = "tfidf", seed: int = 0, out: str | Path | None = None,
          corpus_file: str | Path | None = None, corrections: CorrectionStore | None = None,
          **params: Any) -> DispositionModel:
    """Train on the corpus split, evaluate on validation and test, save to ``out``
    (default: the models root's ``KIND-TASK``). With a ``corrections`` store the corpus
    takes its corrections first (``gongkai.training.corrections``). A model already in
    ``out`` is replaced by the next revision, with a changelog entry and the figures of
    both on ``data/eval/``."""
    path = Path(corpus_file or corpus_path(task))
    corpus = load_corpus(task, seed=seed, path=path)
    learned = None
    if corrections is not None:
        merged = merge_corrections(corpus, corrections.resolve(task), task)
        corpus, learned = merged.corpus, merged.summary
    out = Path(out) if out else model_dir(f"{kind}-{task}")
    started = time.perf_counter()
    model = fit_model(corpus, task, kind, seed, name=out.name, **params)
    seconds = round(time.perf_counter() - started, 2)
    model.metadata.encoder.update(model.held_out_figures(corpus["test"]["text"],
                                                         records(corpus["test"])))
    model.metadata.corpus_sha256 = file_sha256(path)
    model.metadata.metrics = {
        "validation": headline(evaluate(model, corpus["validation"])),
        "test": headline(evaluate(model, corpus["test"])),
        "train_seconds": seconds,
    }
    record_revision(model, previous_model(out, task), learned)
    model.save(out)
    return model


def default_model(task: str, notice: Callable[[str], None] | None = None) -> DispositionModel:
    """The task's default model, trained first when its folder is missing: the step the
    main job (``gongkai demo``) and the notebooks take, since loading alone never trains.
    ``notice`` is told before training starts."""
    directory = resolve(None, task)
    if not directory.exists():
        if notice:
            notice(f"no {task} model at {directory}; training the default one first "
                   f"(gongkai train --task {task})")
        _train_in_place(task, directory)
    return load_model(None, task)


def _train_in_place(task: str, directory: Path) -> None:
    """Train into a hidden scratch folder beside ``directory`` and move the finished model
    there whole, so that a process loading it never sees a half-written model; when
    another process got there first, its model stays."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{directory.name}-", dir=directory.parent) as tmp:
        trained = Path(tmp) / directory.name  # the folder name is the model's name
        train(task, out=trained)
        try:
            trained.rename(directory)
        except OSError:
            if not directory.is_dir():
                raise
