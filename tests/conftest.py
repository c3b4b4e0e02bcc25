"""Shared fixtures: small corpora cut from the real ones, and models fitted on them once."""

from __future__ import annotations

from collections import defaultdict

import pytest
from datasets import Dataset, DatasetDict

from gongkai.models.base import DispositionModel
from gongkai.training.corpus import load_corpus
from gongkai.training.train import fit_model

# Per label and split: enough for 3-fold calibration, small enough to fit in a second.
PER_LABEL = {"train": 12, "validation": 4, "test": 4}


def _first_per_label(rows: Dataset, limit: int) -> Dataset:
    taken: dict[str, int] = defaultdict(int)
    keep = []
    for index, row in enumerate(rows):
        key = row["label"] if "label" in row else (row["labels"] or ["none"])[0]
        if taken[key] < limit:
            taken[key] += 1
            keep.append(index)
    return rows.select(keep)


def small_corpus(task: str) -> DatasetDict:
    corpus = load_corpus(task)
    return DatasetDict({split: _first_per_label(corpus[split], PER_LABEL[split])
                        for split in PER_LABEL})


@pytest.fixture(scope="session")
def request_corpus() -> DatasetDict:
    return small_corpus("request")


@pytest.fixture(scope="session")
def paragraph_corpus() -> DatasetDict:
    return small_corpus("paragraph")


@pytest.fixture(scope="session")
def request_model(request_corpus: DatasetDict) -> DispositionModel:
    return fit_model(request_corpus, "request", name="tfidf-request")


@pytest.fixture(scope="session")
def paragraph_model(paragraph_corpus: DatasetDict) -> DispositionModel:
    return fit_model(paragraph_corpus, "paragraph", name="tfidf-paragraph")


@pytest.fixture(scope="session")
def models_root(tmp_path_factory: pytest.TempPathFactory, request_model: DispositionModel,
                paragraph_model: DispositionModel):
    """A models/ folder holding both default models (saved from the small fits)."""
    root = tmp_path_factory.mktemp("models")
    for model in (request_model, paragraph_model):
        model.save(root / model.name)
    return root


@pytest.fixture
def use_models(models_root, monkeypatch: pytest.MonkeyPatch):
    """Point the registry at the fixture models for one test."""
    monkeypatch.setenv("GONGKAI_MODELS", str(models_root))
    return models_root
