"""Where a model goes wrong and whether its scores can be trusted, from its typed
predictions (:meth:`DispositionModel.classify`) and confusion matrices.

Predictions for these tables are made with ``top_k`` covering every label (as
:func:`gongkai.training.explore.models.predict_all` makes them), so that the score of
the true label is known even when the model did not choose it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from gongkai.models.base import DispositionModel
from gongkai.models.labelsets import expand
from gongkai.models.predictions import ParagraphPrediction, RequestPrediction, Term
from gongkai.taxonomy import load_taxonomy
from gongkai.training.explore.names import label_name

Prediction = RequestPrediction | ParagraphPrediction


def _requests(predictions: Sequence[Prediction]) -> bool:
    """Whether ``predictions`` are of the request task (an empty list counts as not)."""
    return bool(predictions) and isinstance(predictions[0], RequestPrediction)


def confusable_pairs(confusion: dict[str, Any], top: int = 10,
                     similarity: pd.DataFrame | None = None) -> pd.DataFrame:
    """The label pairs a model mixes up most, from a confusion matrix (``{"labels",
    "matrix"}``, rows true, columns predicted) in either direction. ``share`` is the
    mixed-up count over both labels' texts; ``similarity`` (from :func:`label_similarity`)
    adds how alike the two labels' wording is."""
    labels, matrix = confusion["labels"], np.asarray(confusion["matrix"])
    support = matrix.sum(axis=1)
    rows = []
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            mixed = int(matrix[i, j] + matrix[j, i])
            if mixed:
                rows.append({"a": labels[i], "b": labels[j], "a_as_b": int(matrix[i, j]),
                             "b_as_a": int(matrix[j, i]), "mixed": mixed,
                             "share": round(mixed / max(support[i] + support[j], 1), 3)})
    pairs = pd.DataFrame(rows, columns=["a", "b", "a_as_b", "b_as_a", "mixed", "share"])
    pairs = pairs.sort_values(["mixed", "share"], ascending=False, kind="stable").head(top)
    pairs.insert(2, "a_name", pairs["a"].map(label_name))
    pairs.insert(3, "b_name", pairs["b"].map(label_name))
    if similarity is not None:
        known = set(similarity.index)
        pairs["similarity"] = [similarity.at[a, b] if {a, b} <= known else np.nan
                               for a, b in zip(pairs["a"], pairs["b"], strict=True)]
    return pairs.reset_index(drop=True)


def confidence_outcomes(rows: Sequence[dict], predictions: Sequence[Prediction],
                        labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(confidence, correct) pairs for a calibration curve. Requests: the chosen label's
    score and whether it is right. Paragraphs: every label's score and whether the text
    carries it (a leaf implies its group), since a tagger decides on every label."""
    if _requests(predictions):
        confidence = [p.score for p in predictions]
        correct = [p.label == row["label"] for row, p in zip(rows, predictions, strict=True)]
    else:
        taxonomy = load_taxonomy()
        confidence = [[p.scores.get(label, 0.0) for label in labels] for p in predictions]
        correct = [[label in expand(row["labels"], taxonomy) for label in labels]
                   for row in rows]
    return np.asarray(confidence, dtype=float).ravel(), np.asarray(correct, dtype=bool).ravel()


def calibration_curve(confidence: Sequence[float], correct: Sequence[bool],
                      bins: int = 10) -> pd.DataFrame:
    """Reliability table: per equal-width confidence bin ``(b/bins, (b+1)/bins]`` (0 goes
    into the first, as in ``expected_calibration_error``), its mean confidence, accuracy
    and size; empty bins are left out."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    index = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    rows = [{"low": b / bins, "high": (b + 1) / bins,
             "confidence": float(confidence[index == b].mean()),
             "accuracy": float(correct[index == b].mean()), "count": int((index == b).sum())}
            for b in range(bins) if (index == b).any()]
    return pd.DataFrame(rows, columns=["low", "high", "confidence", "accuracy", "count"])


def _terms(explanation: Sequence[Term]) -> str:
    return " · ".join(f"{item.term} ({item.weight:.2f})" for item in explanation)


def _why(prediction: Prediction, labels: list[str]) -> str:
    """A request's explanation, or a paragraph's explanation of each of ``labels``."""
    if isinstance(prediction, RequestPrediction):
        return _terms(prediction.explanation)
    return "; ".join(f"{label}: {_terms(prediction.explanation.get(label, []))}"
                     for label in labels)


def worst_errors(rows: Sequence[dict], predictions: Sequence[Prediction], n: int = 10,
                 model: DispositionModel | None = None) -> pd.DataFrame:
    """The ``n`` most confident mistakes.

    Requests: a wrong label, ranked by its score. Paragraphs: labels predicted but absent
    (``extra``) or present but missed (``missed``), ranked by the worst of the extra
    labels' scores and one minus the missed labels' scores. ``why`` holds the words that
    drove the wrong labels: ``model`` is run again with ``explain=True`` on those ``n``
    texts only (explaining can be slow for an encoder), or without ``model`` the
    predictions' own explanations are used."""
    single = _requests(predictions)
    table = (_worst_requests if single else _worst_paragraphs)(rows, predictions, n)
    chosen = [predictions[position] for position in table.pop("position")]
    if model is not None and chosen:
        chosen = model.classify(list(table["text"]), top_k=len(model.labels), explain=True)
    wrong = [[] for _ in chosen] if single else list(table["extra"])
    table["why"] = [_why(p, labels) for p, labels in zip(chosen, wrong, strict=True)]
    return table


def _worst_requests(rows: Sequence[dict], predictions: Sequence[RequestPrediction],
                    n: int) -> pd.DataFrame:
    found = []
    for position, (row, p) in enumerate(zip(rows, predictions, strict=True)):
        if p.label != row["label"]:
            true_score = next((t.score for t in p.top if t.label == row["label"]), 0.0)
            found.append({"position": position, "id": row["id"], "text": row["text"],
                          "true": row["label"], "predicted": p.label, "score": p.score,
                          "true_score": true_score})
    table = pd.DataFrame(found, columns=["position", "id", "text", "true", "predicted", "score",
                                         "true_score"])
    return table.sort_values("score", ascending=False, kind="stable").head(n).reset_index(
        drop=True)


def _worst_paragraphs(rows: Sequence[dict], predictions: Sequence[ParagraphPrediction],
                      n: int) -> pd.DataFrame:
    found = []
    for position, (row, p) in enumerate(zip(rows, predictions, strict=True)):
        extra = [label for label in p.labels if label not in row["labels"]]
        missed = [label for label in row["labels"] if label not in p.labels]
        if extra or missed:
            severity = max([p.scores.get(label, 0.0) for label in extra]
                           + [1.0 - p.scores.get(label, 0.0) for label in missed])
            found.append({"position": position, "id": row["id"], "text": row["text"],
                          "true": list(row["labels"]), "predicted": p.labels,
                          "extra": extra, "missed": missed, "severity": round(severity, 4)})
    table = pd.DataFrame(found, columns=["position", "id", "text", "true", "predicted",
                                         "extra", "missed", "severity"])
    return table.sort_values("severity", ascending=False, kind="stable").head(n).reset_index(
        drop=True)


def prediction_table(prediction: Prediction) -> pd.DataFrame:
    """One prediction as a table: the labels it scored (``top_k`` of ``classify``) with
    name, score, whether it was chosen (for a paragraph, a chosen leaf chooses its group),
    the legal basis and the words that pushed it (labels the model decided on only)."""
    taxonomy = load_taxonomy()
    if isinstance(prediction, RequestPrediction):
        scores = {item.label: item.score for item in prediction.top}
        chosen = {prediction.label}
        explained = {prediction.label: prediction.explanation}
    else:
        scores, explained = prediction.scores, prediction.explanation
        chosen = expand(prediction.labels, taxonomy)
    return pd.DataFrame([
        {"label": label, "name": label_name(label, taxonomy), "score": score,
         "chosen": label in chosen, "legal_basis": taxonomy.legal_basis(label),
         "why": _terms(explained.get(label, []))}
        for label, score in scores.items()
    ], columns=["label", "name", "score", "chosen", "legal_basis", "why"])
