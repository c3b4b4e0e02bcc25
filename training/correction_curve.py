"""How the frozen evaluation figures move with 50, 100, 200 … corrections.

A slice of the training split, written by writers the model does not train on, stands in
for an office's own requests: the model is trained without it, classifies it, and the
texts it got worst (lowest probability of the true label; for paragraphs the largest
summed error over the labels) are corrected to their corpus labels, as a reviewer would.
Each size is retrained with those corrections (``gongkai.training.corrections``) at each
weight and scored on the validation split (writers held out of training, where the weight
was chosen) and on ``data/eval/``, which none of it touches and which only reports. A
control per size says what choosing the worst answers is worth: as many texts of the slice
drawn at random, corrected at the default weight.

    python -m gongkai.training.correction_curve --task request
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from typing import Any

import numpy as np
from datasets import Dataset, DatasetDict

from gongkai.corrections import Correction, Resolution
from gongkai.models.base import DispositionModel
from gongkai.models.labelsets import target_matrix
from gongkai.training.changelog import eval_figures
from gongkai.training.corpus import load_corpus
from gongkai.training.corrections import CORRECTION_WEIGHT, eval_rows, merge_corrections
from gongkai.training.train import fit_model

SLICE_WRITERS = {"request": ("c03", "c06", "c11", "r3"), "paragraph": ("p2",)}
SIZES = (50, 100, 200)


def _inputs(rows: Dataset) -> tuple[list[str], list[str | None] | None]:
    return list(rows["text"]), list(rows["record"]) if "record" in rows.column_names else None


def _truth(rows: Dataset, task: str) -> list:
    return list(rows["label"] if task == "request" else rows["labels"])


def worst_first(model: DispositionModel, rows: Dataset) -> list[int]:
    """Indices of ``rows``, the model's worst answers first."""
    proba = model.predict_proba(*_inputs(rows))
    y = target_matrix(_truth(rows, model.task), model.task, model.labels, model.taxonomy)
    if model.task == "request":
        badness = -proba[np.arange(len(rows)), y]
    else:
        badness = np.abs(y - proba).sum(axis=1)
    return [int(i) for i in np.argsort(-badness, kind="stable")]


def wrong_answers(model: DispositionModel, rows: Dataset) -> set[int]:
    predicted = model.predict(*_inputs(rows))
    return {i for i, (said, true) in enumerate(zip(predicted, _truth(rows, model.task),
                                                   strict=True))
            if (said != true if model.task == "request" else set(said) != set(true))}


def _corrections(rows: Dataset, chosen: Sequence[int], task: str) -> list[Correction]:
    return [Correction(task, row["id"], row["text"],
                       (row["label"],) if task == "request" else tuple(row["labels"]),
                       "curve", "2026-01-01", record=row.get("record"))
            for row in (rows[i] for i in chosen)]


def _scored(model: DispositionModel, corpus: DatasetDict,
            evaluation: list[dict]) -> dict[str, dict[str, float] | None]:
    """Figures on the validation split (writers held out of training: where a weight may
    be chosen) and on the frozen evaluation set (where it may only be reported)."""
    return {"validation": eval_figures(model, list(corpus["validation"])),
            "eval": eval_figures(model, evaluation)}


def _retrained(corpus: DatasetDict, task: str, fixes: list[Correction], weight: int,
               evaluation: list[dict]) -> dict[str, Any]:
    """The figures of a model retrained with ``fixes``, and the share of the corrected
    texts it now answers as corrected (what the reviewer expects to see)."""
    merged = merge_corrections(corpus, Resolution(fixes), task, weight=weight)
    model = fit_model(merged.corpus, task)
    said = model.predict([c.text for c in fixes], [c.record for c in fixes]
                         if task == "request" else None)
    kept = [set([answer] if task == "request" else answer) == set(c.labels)
            for answer, c in zip(said, fixes, strict=True)]
    return {**_scored(model, corpus, evaluation),
            "corrected_now_right": round(sum(kept) / len(kept), 4)}


def curve(task: str, sizes: Sequence[int] = SIZES, weights: Sequence[int] = (
        1, CORRECTION_WEIGHT), seed: int = 0) -> list[dict[str, Any]]:
    """One row per size (0 first): how many corrections fixed a wrong answer, and the
    figures with the worst answers corrected at each weight, and with as many texts of the
    slice drawn at random and corrected at ``CORRECTION_WEIGHT``."""
    corpus = load_corpus(task, seed=seed)
    writers = set(SLICE_WRITERS[task])
    held = corpus["train"].filter(lambda row: row["writer"] in writers)
    base = DatasetDict({**corpus, "train": corpus["train"].filter(
        lambda row: row["writer"] not in writers)})
    evaluation = eval_rows(task) or []
    model = fit_model(base, task, seed=seed)
    order, wrong = worst_first(model, held), wrong_answers(model, held)
    rows = [{"corrections": 0, "slice": len(held), "wrong_in_slice": len(wrong),
             "model": _scored(model, base, evaluation)}]
    draw = random.Random(seed)
    for size in sizes:
        fixes = _corrections(held, order[:size], task)
        row: dict[str, Any] = {"corrections": size,
                               "of_them_wrong": len(wrong.intersection(order[:size]))}
        for weight in weights:
            row[f"worst_weight_{weight}"] = _retrained(base, task, fixes, weight, evaluation)
        row["random"] = _retrained(base, task, _corrections(
            held, draw.sample(range(len(held)), size), task), CORRECTION_WEIGHT, evaluation)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=("request", "paragraph"), default="request")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--weights", type=int, nargs="+", default=[1, CORRECTION_WEIGHT])
    args = parser.parse_args()
    for row in curve(args.task, args.sizes, args.weights):
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
