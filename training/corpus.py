"""The two labelled corpora as ``datasets.DatasetDict`` with writer-held-out splits.

A model learns its writers' habits, so validation and test are written by writers the
training split never saw (``HELD_OUT``): their figures predict how a model does on text
written elsewhere. A corpus without those writers (a file of your own) is split by
``source`` instead (an authored item and its rewrites stay together), stratified by
label. :func:`near_duplicate_rate` measures what leaks anyway.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from datasets import Dataset, DatasetDict
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import StratifiedGroupKFold

from gongkai.jsonl import InputError, read_jsonl, require_text
from gongkai.models.labelsets import collapse, paragraph_labels, request_labels
from gongkai.resources import data_path
from gongkai.taxonomy import Taxonomy, load_taxonomy

TASKS = ("request", "paragraph")
CORPUS_FILES = {
    "request": data_path("corpus", "requests.jsonl"),
    "paragraph": data_path("corpus", "paragraphs.jsonl"),
}
SPLITS = ("train", "validation", "test")
# Writers whose texts are held out of training (see data/README.md).
HELD_OUT = {
    "request": {"validation": ("c04", "c09"), "test": ("c07", "c12")},
    "paragraph": {"validation": ("p3",), "test": ("p5",)},
}
# One fold in seven for test, then one in six of the rest for validation: ~71/14/14.
TEST_FOLDS, VALIDATION_FOLDS = 7, 6


def corpus_path(task: str) -> Path:
    return CORPUS_FILES[task]


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_labelled(path: str | Path, task: str, taxonomy: Taxonomy | None = None) -> list[dict]:
    """Rows of a corpus-format file, checked: requests need a leaf ``label`` (and may carry
    a case ``record``), paragraphs a ``labels`` list of leaf or group ids. ``id`` and
    ``source`` default to the line number, ``writer`` to empty."""
    taxonomy = taxonomy or load_taxonomy()
    rows = []
    for row in read_jsonl(path):
        where = f"{path}:{row['_line']}"
        text = require_text(row, path)
        if task == "request":
            if row.get("label") not in request_labels(taxonomy):
                raise InputError(f"{where}: unknown label {row.get('label')!r}")
            record = row.get("record")
            if record is not None and not isinstance(record, str):
                raise InputError(f"{where}: 'record' must be a string or null")
            target = {"label": row["label"], "record": record or None}
        else:
            labels = row.get("labels")
            known = paragraph_labels(taxonomy)
            if not isinstance(labels, list) or any(label not in known for label in labels):
                raise InputError(f"{where}: 'labels' must be a list of leaf or group ids")
            target = {
                "labels": collapse(labels, taxonomy),
                "counts": json.dumps(row.get("counts") or {}, ensure_ascii=False, sort_keys=True),
            }
        rows.append({
            "id": str(row.get("id", f"line-{row['_line']}")),
            "text": text,
            **target,
            "source": str(row.get("source", f"line-{row['_line']}")),
            "writer": str(row.get("writer") or ""),
        })
    return rows


def stratum(row: dict) -> str:
    """The label a split is stratified by: the request label, or a paragraph's first label."""
    if "label" in row:
        return row["label"]
    return row["labels"][0] if row["labels"] else "none"


def _one_fold(rows: list[dict], n_splits: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    folds = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    strata = [stratum(row) for row in rows]
    groups = [row["source"] for row in rows]
    with warnings.catch_warnings():
        # Rare paragraph strata have fewer texts than folds; they are spread as well as can be.
        warnings.filterwarnings("ignore", message="The least populated class")
        return next(folds.split(np.zeros(len(rows)), strata, groups))


def split_rows(rows: list[dict], seed: int = 0,
               held_out: dict[str, tuple[str, ...]] | None = None) -> dict[str, list[dict]]:
    """train / validation / test: by writer when the held-out writers are present, else
    grouped by ``source`` and stratified by label."""
    writers = {row["writer"] for row in rows}
    if held_out and all(set(names) & writers for names in held_out.values()):
        split_of = {writer: split for split, names in held_out.items() for writer in names}
        return {split: [row for row in rows if split_of.get(row["writer"], "train") == split]
                for split in SPLITS}
    rest, test = _one_fold(rows, TEST_FOLDS, seed)
    rest_rows = [rows[i] for i in rest]
    train, validation = _one_fold(rest_rows, VALIDATION_FOLDS, seed)
    return {
        "train": [rest_rows[i] for i in train],
        "validation": [rest_rows[i] for i in validation],
        "test": [rows[i] for i in test],
    }


def load_corpus(task: str, seed: int = 0, path: str | Path | None = None) -> DatasetDict:
    """A corpus as a ``DatasetDict`` with train / validation / test splits."""
    rows = read_labelled(path or corpus_path(task), task)
    return DatasetDict({
        name: Dataset.from_list(part)
        for name, part in split_rows(rows, seed, HELD_OUT[task]).items()
    })


def _shingles(texts: list[str], size: int) -> CountVectorizer:
    return CountVectorizer(
        analyzer="char", ngram_range=(size, size), binary=True, lowercase=False
    ).fit(texts)


def near_duplicates(reference: list[str], texts: list[str], threshold: float = 0.8,
                    shingle: int = 5) -> dict[str, float]:
    """How many ``texts`` have a character-shingle Jaccard similarity above ``threshold``
    with some ``reference`` text; the shingle-by-text product is the inverted index."""
    reference = [text.ljust(shingle) for text in reference]
    texts = [text.ljust(shingle) for text in texts]
    vectorizer = _shingles(reference, shingle)
    index = vectorizer.transform(reference).T.tocsc()
    sizes = np.asarray(index.sum(axis=0)).ravel()
    own = np.asarray(_shingles(texts, shingle).transform(texts).sum(axis=1)).ravel()
    hits = 0
    for start in range(0, len(texts), 500):  # bounded memory: 500 texts × the reference
        shared = (vectorizer.transform(texts[start:start + 500]) @ index).toarray()
        union = own[start:start + 500, None] + sizes[None, :] - shared
        hits += int(((shared / np.maximum(union, 1)).max(axis=1, initial=0.0) > threshold).sum())
    return {"texts": len(texts), "near_duplicates": hits,
            "rate": round(hits / max(len(texts), 1), 4)}


def near_duplicate_rate(
    corpus: DatasetDict, threshold: float = 0.8, shingle: int = 5
) -> dict[str, dict[str, float]]:
    """:func:`near_duplicates` of the validation and test texts against the training texts."""
    train = list(corpus["train"]["text"])
    return {split: near_duplicates(train, list(corpus[split]["text"]), threshold, shingle)
            for split in ("validation", "test")}


def label_counts(corpus: DatasetDict, task: str) -> pd.DataFrame:
    """Texts per label and split (paragraphs count every label they carry, and "none")."""
    taxonomy = load_taxonomy()
    order = request_labels(taxonomy) if task == "request" else [
        *paragraph_labels(taxonomy), "none"]
    table = pd.DataFrame(0, index=order, columns=[*SPLITS, "total"])
    for split in SPLITS:
        for row in corpus[split]:
            for label in [row["label"]] if task == "request" else (row["labels"] or ["none"]):
                table.loc[label, split] += 1
    table["total"] = table[list(SPLITS)].sum(axis=1)
    return table
