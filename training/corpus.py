"""The two labelled corpora as ``datasets.DatasetDict`` with grouped, stratified splits.

Splits keep every ``source`` (an authored item and its rewrites) inside one split, so
validation and test never share a template with training; :func:`near_duplicate_rate`
measures what leaks anyway.
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

from gongkai.taxonomy import DATA_DIR, Taxonomy, load_taxonomy
from training.jsonl import InputError, read_jsonl, require_text
from training.labelsets import collapse, paragraph_labels, request_labels

TASKS = ("request", "paragraph")
CORPUS_FILES = {
    "request": DATA_DIR / "corpus" / "requests.jsonl",
    "paragraph": DATA_DIR / "corpus" / "paragraphs.jsonl",
}
SPLITS = ("train", "validation", "test")
# One fold in seven for test, then one in six of the rest for validation: ~71/14/14.
TEST_FOLDS, VALIDATION_FOLDS = 7, 6


def corpus_path(task: str) -> Path:
    return CORPUS_FILES[task]


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_labelled(path: str | Path, task: str, taxonomy: Taxonomy | None = None) -> list[dict]:
    """Rows of a corpus-format file, checked: requests need a leaf ``label``, paragraphs a
    ``labels`` list of leaf or group ids. ``id`` and ``source`` default to the line number."""
    taxonomy = taxonomy or load_taxonomy()
    rows = []
    for row in read_jsonl(path):
        where = f"{path}:{row['_line']}"
        text = require_text(row, path)
        if task == "request":
            if row.get("label") not in request_labels(taxonomy):
                raise InputError(f"{where}: unknown label {row.get('label')!r}")
            target = {"label": row["label"]}
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


def split_rows(rows: list[dict], seed: int = 0) -> dict[str, list[dict]]:
    """train / validation / test, grouped by ``source`` and stratified by label."""
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
        name: Dataset.from_list(part) for name, part in split_rows(rows, seed).items()
    })


def _shingles(texts: list[str], size: int) -> CountVectorizer:
    return CountVectorizer(
        analyzer="char", ngram_range=(size, size), binary=True, lowercase=False
    ).fit(texts)


def near_duplicate_rate(
    corpus: DatasetDict, threshold: float = 0.8, shingle: int = 5
) -> dict[str, dict[str, float]]:
    """Share of validation / test texts whose character-shingle Jaccard similarity with some
    training text exceeds ``threshold``; the shingle-by-text product is the inverted index."""
    train = [text.ljust(shingle) for text in corpus["train"]["text"]]
    vectorizer = _shingles(train, shingle)
    train_matrix = vectorizer.transform(train).T.tocsc()
    train_sizes = np.asarray(train_matrix.sum(axis=0)).ravel()
    report = {}
    for split in ("validation", "test"):
        texts = [text.ljust(shingle) for text in corpus[split]["text"]]
        own = _shingles(texts, shingle).transform(texts)
        sizes = np.asarray(own.sum(axis=1)).ravel()
        shared = (vectorizer.transform(texts) @ train_matrix).toarray()
        jaccard = shared / np.maximum(sizes[:, None] + train_sizes[None, :] - shared, 1)
        hits = int((jaccard.max(axis=1, initial=0.0) > threshold).sum())
        report[split] = {"texts": len(texts), "near_duplicates": hits,
                         "rate": round(hits / max(len(texts), 1), 4)}
    return report


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
