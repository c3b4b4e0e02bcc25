"""The models of a models folder side by side: what there is, loaded, evaluated, predicted.

Loading never trains (``gongkai.models.store``); :func:`default_model` is the one place
the notebooks train, so that they run on a fresh checkout whose ``models/`` is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from gongkai.models.base import METADATA_FILE, DispositionModel, read_metadata
from gongkai.models.errors import ModelError
from gongkai.models.metadata import ModelMetadata
from gongkai.models.store import DEFAULT_MODELS, load_model
from gongkai.resources import models_root
from gongkai.training.corpus import CORPUS_FILES, file_sha256
from gongkai.training.evaluate import evaluate
from gongkai.training.explore.names import with_names
from gongkai.training.explore.predictions import (
    Prediction,
    calibration_curve,
    confidence_outcomes,
)
from gongkai.training.train import default_model

LISTING = ["name", "task", "kind", "version", "created", "test_macro_f1", "corpus_changed",
           "note"]
HEADLINE = {
    "request": ("n", "macro_f1", "accuracy", "group_accuracy", "ece"),
    "paragraph": ("n", "micro_f1", "macro_f1", "group_micro_f1", "exact_match", "ece",
                  "counts_exact"),
}


def list_models(root: str | Path | None = None) -> pd.DataFrame:
    """Every folder of ``models/`` (or ``$GONGKAI_MODELS``): name, task, kind, version,
    creation time, the test macro-F1 saved at training time and whether the task's corpus
    has changed since (then its test split may overlap what the model learnt from); a
    folder that is no model (such as ``base/``, the encoder a transformer model starts
    from) is listed with a note; hidden folders (a model being trained) are left out."""
    root = Path(root) if root is not None else models_root()
    folders = sorted(path for path in root.iterdir()
                     if path.is_dir() and not path.name.startswith(".")) if root.is_dir() else []
    return pd.DataFrame([_model_row(folder) for folder in folders], columns=LISTING)


def _model_row(folder: Path) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(LISTING)
    row.update(name=folder.name, note="")
    if not (folder / METADATA_FILE).is_file():
        return {**row, "note": f"no {METADATA_FILE}: not a classifier"}
    try:
        metadata = read_metadata(folder)
    except ModelError as exc:
        return {**row, "note": str(exc)}
    test = metadata.metrics.get("test") or {}
    return {**row, "task": metadata.task, "kind": metadata.kind, "version": metadata.version,
            "created": metadata.created, "test_macro_f1": test.get("macro_f1"),
            "corpus_changed": _corpus_changed(metadata)}


def _corpus_changed(metadata: ModelMetadata) -> bool | None:
    """Whether the task's corpus file differs from the one the model was trained on;
    ``None`` when that cannot be told."""
    corpus = CORPUS_FILES.get(metadata.task)
    if corpus is None or not metadata.corpus_sha256 or not corpus.is_file():
        return None
    return metadata.corpus_sha256 != file_sha256(corpus)


def task_models(listing: pd.DataFrame, task: str) -> tuple[dict[str, DispositionModel],
                                                            pd.DataFrame]:
    """Load every listed model of ``task``, the default first (trained when missing).
    Returns the loaded models by name and a table of the ones that could not be loaded."""
    default = DEFAULT_MODELS[task]
    listed = [name for name, of in zip(listing["name"], listing["task"], strict=True)
              if of == task]
    loaded: dict[str, DispositionModel] = {}
    refused = []
    for name in dict.fromkeys([default, *listed]):
        try:
            model = default_model(task) if name == default else load_model(name, task)
        except ModelError as exc:
            refused.append({"name": name, "reason": str(exc)})
        except Exception as exc:  # one unusable model must not stop the comparison
            refused.append({"name": name, "reason": f"{type(exc).__name__}: {exc}"})
        else:
            loaded[model.name] = model
    return loaded, pd.DataFrame(refused, columns=["name", "reason"])


def evaluate_models(models: dict[str, DispositionModel],
                    datasets: dict[str, Sequence[dict]]) -> dict[str, dict[str, dict]]:
    """``evaluate`` of every model on every labelled dataset: dataset → model → metrics."""
    return {split: {name: evaluate(model, rows) for name, model in models.items()}
            for split, rows in datasets.items()}


def predict_all(models: dict[str, DispositionModel],
                texts: Sequence[str]) -> dict[str, list[Prediction]]:
    """Every model's typed predictions with every label's score (no explanations: they can
    be slow, and :func:`worst_errors` asks for the few it shows)."""
    return {name: model.classify(list(texts), top_k=len(model.labels))
            for name, model in models.items()}


def calibration_curves(models: dict[str, DispositionModel], rows: Sequence[dict],
                       predictions: dict[str, list[Prediction]],
                       bins: int = 10) -> dict[str, pd.DataFrame]:
    """:func:`calibration_curve` of each model's predictions (from :func:`predict_all`)."""
    return {name: calibration_curve(*confidence_outcomes(rows, predictions[name],
                                                         models[name].labels), bins=bins)
            for name in models}


def metrics_table(results: dict[str, dict[str, dict[str, Any]]]) -> pd.DataFrame:
    """Headline metrics of :func:`evaluate_models` output, one row per (dataset, model)."""
    rows = {(split, name): {key: metrics.get(key) for key in HEADLINE[metrics["task"]]}
            for split, by_model in results.items() for name, metrics in by_model.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.names = ["dataset", "model"]
    return table


def per_label_table(results: dict[str, dict[str, Any]], score: str = "f1") -> pd.DataFrame:
    """One per-label score (``f1``, ``precision`` or ``recall``) of several evaluations,
    side by side, with the label's support."""
    columns = {name: {label: values[score] for label, values in metrics["per_label"].items()}
               for name, metrics in results.items()}
    table = pd.DataFrame(columns)
    first = next(iter(results.values()))["per_label"]
    table["support"] = [first[label]["support"] for label in table.index]
    return with_names(table)
