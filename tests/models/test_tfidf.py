"""The model contract on the TF-IDF and rule kinds: fit/predict/predict_proba, determinism,
prediction shapes, odd inputs and safe persistence."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
import shutil
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from datasets import DatasetDict

from gongkai.models.base import METADATA_FILE, DispositionModel, sha256
from gongkai.models.errors import ModelError
from gongkai.models.kinds import KINDS, model_class
from gongkai.models.predictions import ParagraphPrediction, RequestPrediction, Term
from gongkai.models.sklearn_model import ESTIMATOR_FILE
from gongkai.models.tfidf import TfidfModel
from gongkai.taxonomy import TAXONOMY_PATH, load_taxonomy
from gongkai.training.train import fit_model

REQUEST_KEYS = {"label", "group", "score", "top", "legal_basis", "explanation", "needs_record",
                "question", "text_label"}
PARAGRAPH_KEYS = {"labels", "groups", "scores", "counts", "legal_basis", "explanation"}
ODD_TEXTS = ["", "   ", "hello world 123 !!!", "政" * 100_000, "予以公开6件" * 20_000]


@pytest.mark.parametrize("task", ["request", "paragraph"])
def test_training_is_deterministic(task: str, request_corpus: DatasetDict,
                                   paragraph_corpus: DatasetDict) -> None:
    corpus = request_corpus if task == "request" else paragraph_corpus
    texts = corpus["test"]["text"]
    first, second = fit_model(corpus, task, seed=3), fit_model(corpus, task, seed=3)
    assert np.array_equal(first.predict_proba(texts), second.predict_proba(texts))
    assert first.classify(texts, explain=True) == second.classify(texts, explain=True)


def test_the_estimator_contract(request_corpus: DatasetDict, paragraph_corpus: DatasetDict,
                                ) -> None:
    requests = TfidfModel("request").fit(request_corpus["train"]["text"],
                                          request_corpus["train"]["label"])
    texts = request_corpus["test"]["text"][:5]
    proba = requests.predict_proba(texts)
    assert proba.shape == (5, len(requests.labels)) and np.allclose(proba.sum(axis=1), 1)
    assert requests.predict(texts) == [p.label for p in requests.classify(texts)]
    tagger = TfidfModel("paragraph").fit(paragraph_corpus["train"]["text"],
                                         paragraph_corpus["train"]["labels"])
    assert all(isinstance(labels, list) for labels in tagger.predict(texts))


def test_every_kind_is_registered_under_its_own_name() -> None:
    for name in ("tfidf", "rules"):
        assert model_class(name).kind == name
    assert set(KINDS) == {"tfidf", "rules", "e5", "e5-int8", "e5-lr", "ensemble"}


def test_request_prediction_shape(request_model: DispositionModel) -> None:
    taxonomy = load_taxonomy()
    [prediction] = request_model.classify(["申请公开邻居家的宅基地审批档案及身份证号"],
                                          top_k=3, explain=True)
    assert isinstance(prediction, RequestPrediction)
    assert set(dataclasses.asdict(prediction)) == REQUEST_KEYS
    assert prediction.label in taxonomy.leaf_ids
    assert prediction.group == taxonomy.group_of(prediction.label)
    assert prediction.legal_basis == taxonomy.legal_basis(prediction.label)
    assert len(prediction.top) == 3 and 0.0 <= prediction.score <= 1.0
    assert [item.score for item in prediction.top] == sorted(
        (item.score for item in prediction.top), reverse=True)
    assert all(isinstance(item, Term) for item in prediction.explanation)
    assert request_model.classify(["x"])[0].explanation == []


def test_paragraph_prediction_shape(paragraph_model: DispositionModel) -> None:
    taxonomy = load_taxonomy()
    [prediction] = paragraph_model.classify(
        ["本年度收到申请20件，予以公开12件，不予公开3件，其中涉及商业秘密2件。"], explain=True)
    assert isinstance(prediction, ParagraphPrediction)
    assert set(dataclasses.asdict(prediction)) == PARAGRAPH_KEYS
    assert prediction.counts["disclose"] == 12
    assert set(prediction.legal_basis) == set(prediction.labels)
    assert set(prediction.labels) <= set(prediction.scores)
    assert set(prediction.explanation) == set(prediction.labels)
    for label in prediction.labels:
        assert taxonomy.group_of(label) in prediction.groups
        if "/" in label:  # a group never stands beside one of its own leaves
            assert taxonomy.group_of(label) not in prediction.labels


@pytest.mark.parametrize("fixture", ["request_model", "paragraph_model"])
def test_odd_inputs_are_answered(fixture: str, request: pytest.FixtureRequest) -> None:
    model: DispositionModel = request.getfixturevalue(fixture)
    started = time.perf_counter()
    predictions = model.classify(ODD_TEXTS, explain=True)
    assert len(predictions) == len(ODD_TEXTS)
    assert time.perf_counter() - started < 20
    assert model.classify([]) == []


@pytest.mark.parametrize("fixture", ["request_model", "paragraph_model"])
def test_save_and_load_round_trip(fixture: str, request: pytest.FixtureRequest,
                                  tmp_path: Path) -> None:
    # A copy: saving records the new file's checksum in the metadata of the shared model.
    model: DispositionModel = copy.deepcopy(request.getfixturevalue(fixture))
    directory = model.save(tmp_path / "model")
    assert {p.name for p in directory.iterdir()} == {ESTIMATOR_FILE, METADATA_FILE, "MODEL_CARD.md"}
    loaded = DispositionModel.load(directory)
    texts = ["申请公开2023年部门预算", "本年度予以公开5件，无法提供2件。", "要求确认文件是否真实"]
    assert loaded.classify(texts, explain=True) == model.classify(texts, explain=True)
    metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    assert metadata["taxonomy_sha256"] == load_taxonomy().sha256
    assert {"name", "task", "kind", "created", "labels", "versions", "seed"} <= set(metadata)
    assert metadata["files"] == {ESTIMATOR_FILE: metadata["estimator_sha256"]}
    card = (directory / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "pipeline_tag: text-classification" in card


def test_rule_model_explains_with_its_keywords(request_corpus: DatasetDict) -> None:
    rules = fit_model(request_corpus, "request", kind="rules")
    [prediction] = rules.classify(["请公开涉密测绘成果"], explain=True)
    assert prediction.label == "withhold/state_secret"
    assert [item.term for item in prediction.explanation] == ["涉密", "测绘成果"]


@pytest.fixture
def saved(request_model: DispositionModel, tmp_path: Path) -> Path:
    return copy.deepcopy(request_model).save(tmp_path / "saved")


def _replace_estimator(directory: Path, content: bytes) -> None:
    """Swap the estimator file and make the checksum agree, as a careful forger would."""
    (directory / ESTIMATOR_FILE).write_bytes(content)
    metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    metadata["estimator_sha256"] = sha256(directory / ESTIMATOR_FILE)
    metadata["files"][ESTIMATOR_FILE] = metadata["estimator_sha256"]
    (directory / METADATA_FILE).write_text(json.dumps(metadata), encoding="utf-8")


def test_truncated_file_is_refused(saved: Path) -> None:
    data = (saved / ESTIMATOR_FILE).read_bytes()
    (saved / ESTIMATOR_FILE).write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="corrupted"):
        DispositionModel.load(saved)
    _replace_estimator(saved, data[: len(data) // 2])
    with pytest.raises(ModelError, match="not a skops model file"):
        DispositionModel.load(saved)


class _Canary:
    """Unpickling this creates a file: proof that a pickle was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return open, (str(self.marker), "w")


def test_a_pickle_under_the_skops_name_is_never_unpickled(saved: Path, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    _replace_estimator(saved, pickle.dumps(_Canary(marker)))
    with pytest.raises(ModelError, match="not a skops model file"):
        DispositionModel.load(saved)
    assert not marker.exists()


def test_a_skops_file_naming_foreign_types_is_refused(saved: Path, tmp_path: Path) -> None:
    archive = saved / ESTIMATOR_FILE
    with zipfile.ZipFile(archive) as source:
        members = {name: source.read(name) for name in source.namelist()}
    schema = members["schema.json"].decode()
    schema = schema.replace('"sklearn.pipeline"', '"os"').replace('"Pipeline"', '"system"', 1)
    members["schema.json"] = schema.encode()
    forged = tmp_path / "forged.skops"
    with zipfile.ZipFile(forged, "w") as target:
        for name, content in members.items():
            target.writestr(name, content)
    _replace_estimator(saved, forged.read_bytes())
    with pytest.raises(ModelError, match=r"refused: .*os\.system"):
        DispositionModel.load(saved)


def test_another_taxonomy_is_refused(saved: Path, tmp_path: Path) -> None:
    changed = tmp_path / "taxonomy.yaml"
    changed.write_bytes(TAXONOMY_PATH.read_bytes() + b"\n# a later edit\n")
    with pytest.raises(ModelError, match="another taxonomy"):
        DispositionModel.load(saved, taxonomy=load_taxonomy(changed))


def test_missing_and_foreign_directories_are_refused(saved: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model directory"):
        DispositionModel.load(tmp_path / "nowhere")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / METADATA_FILE).write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ModelError, match="not a gongkai model"):
        DispositionModel.load(foreign)
    shutil.copytree(saved, tmp_path / "copy")
    (tmp_path / "copy" / METADATA_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="unreadable"):
        DispositionModel.load(tmp_path / "copy")
