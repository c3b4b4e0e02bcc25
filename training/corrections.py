"""Corrections of people merged into the corpus a model is trained on.

A correction wins over the corpus label for the same text (same normalised text and
record, ``gongkai.corrections.text_hash``), in whichever split that text is: a person
looked at it and said what it is. In the training split a corrected text counts
``CORRECTION_WEIGHT`` times (the fitting code takes no sample weights, so a weight is a
repetition). The weight is 1, measured with ``python -m gongkai.training.correction_curve``
on the writer-held-out validation split: with 50–200 corrections of the worst answers,
weights 2 and 3 gave the same macro-F1 as 1 (within 0.003) on the full corpus and cost
1.5–3 points on a small one, and at every weight every corrected text came out corrected;
repeating a text also puts copies of it on both sides of the calibration folds. A
correction of a text the corpus does not have joins the training split, never validation
or test, so that those still measure text the model never saw. Texts of the frozen
evaluation set (``data/eval/``) are never trained on: a correction of one is left out and
counted. Texts whose annotators disagree are left out too, until someone settles them
(the store reports them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from datasets import Dataset, DatasetDict

from gongkai.corrections import Correction, Resolution, text_hash
from gongkai.jsonl import InputError
from gongkai.models.labelsets import collapse
from gongkai.resources import data_path
from gongkai.taxonomy import load_taxonomy
from gongkai.training.corpus import read_labelled

CORRECTION_WEIGHT = 1
EVAL_FILES = {"request": ("eval", "requests.jsonl"), "paragraph": ("eval", "paragraphs.jsonl")}


@dataclass
class Merged:
    """The corpus with the corrections in, and what they did (``summary`` goes into the
    model's metadata as ``corrections``)."""

    corpus: DatasetDict
    summary: dict[str, Any] = field(default_factory=dict)


def eval_rows(task: str) -> list[dict] | None:
    """The frozen evaluation set of ``task``, or None where it is not shipped (a wheel)."""
    path = data_path(*EVAL_FILES[task])
    try:
        return read_labelled(path, task) if path.is_file() else None
    except InputError:
        return None


def frozen_hashes(task: str) -> set[str]:
    """Text hashes of the frozen evaluation set, which training must never see."""
    return {text_hash(row["text"], row.get("record")) for row in eval_rows(task) or []}


def _target(task: str, correction: Correction) -> dict[str, Any]:
    if task == "request":
        return {"label": correction.labels[0]}
    return {"labels": collapse(correction.labels, load_taxonomy())}


def _new_row(task: str, correction: Correction) -> dict[str, Any]:
    row = {"id": f"correction-{correction.item_id}", "text": correction.text,
           **_target(task, correction), "source": f"correction:{correction.text_hash[:16]}",
           "writer": "correction"}
    if task == "request":
        row["record"] = correction.record
    else:
        row["counts"] = json.dumps({})
    return row


def merge_corrections(corpus: DatasetDict, resolution: Resolution, task: str,
                      weight: int = CORRECTION_WEIGHT,
                      frozen: set[str] | None = None) -> Merged:
    """``corpus`` with ``resolution``'s corrections in (see the module docstring)."""
    frozen = frozen_hashes(task) if frozen is None else frozen
    usable = {c.text_hash: c for c in resolution.corrections if c.text_hash not in frozen}
    seen: set[str] = set()
    splits: dict[str, list[dict]] = {}
    for name in corpus:
        rows = []
        for row in corpus[name]:
            digest = text_hash(row["text"], row.get("record"))
            correction = usable.get(digest)
            if correction is None:
                rows.append(row)
                continue
            seen.add(digest)
            corrected = {**row, **_target(task, correction)}
            rows += [corrected] * (weight if name == "train" else 1)
        splits[name] = rows
    added = [c for digest, c in usable.items() if digest not in seen]
    splits["train"] += [_new_row(task, c) for c in added for _ in range(weight)]
    summary = {"count": len(usable), "weight": weight, "relabelled": len(seen),
               "added": len(added), "conflicts": len(resolution.conflicts),
               "eval_left_out": len(resolution.corrections) - len(usable)}
    features = corpus["train"].features
    return Merged(DatasetDict({name: Dataset.from_list(rows, features=features)
                               for name, rows in splits.items()}), summary)
