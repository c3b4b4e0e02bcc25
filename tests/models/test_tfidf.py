"""The model contract on the TF-IDF and rule kinds: fit/predict/predict_proba, determinism,
prediction shapes, odd inputs and safe persistence."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from datasets import DatasetDict

from gongkai.models.base import METADATA_FILE, DispositionModel, sha256
from gongkai.models.errors import ModelError
from gongkai.models.kinds import KINDS, model_class
from gongkai.models.labelsets import target_matrix
from gongkai.models.linear import ARRAYS_FILE, SPEC_FILE, LinearModel
from gongkai.models.predictions import ParagraphPrediction, RequestPrediction, Term
from gongkai.models.rules import RULES_FILE
from gongkai.models.tfidf import TfidfModel
from gongkai.models.tfidf_pipelines import paragraph_pipeline, request_pipeline
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
    assert {p.name for p in directory.iterdir()} == {SPEC_FILE, ARRAYS_FILE, METADATA_FILE,
                                                     "MODEL_CARD.md"}
    loaded = DispositionModel.load(directory)
    texts = ["申请公开2023年部门预算", "本年度予以公开5件，无法提供2件。", "要求确认文件是否真实"]
    assert loaded.classify(texts, explain=True) == model.classify(texts, explain=True)
    metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    assert metadata["taxonomy_sha256"] == load_taxonomy().sha256
    assert {"name", "task", "kind", "created", "labels", "versions", "seed"} <= set(metadata)
    assert set(metadata["files"]) == {SPEC_FILE, ARRAYS_FILE}
    assert metadata["estimator_sha256"] == metadata["files"][ARRAYS_FILE]
    card = (directory / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "pipeline_tag: text-classification" in card


@pytest.mark.parametrize("task", ["request", "paragraph"])
def test_the_stored_arrays_give_the_fitted_pipelines_probabilities(
        task: str, request_corpus: DatasetDict, paragraph_corpus: DatasetDict) -> None:
    corpus = request_corpus if task == "request" else paragraph_corpus
    model = TfidfModel(task)
    batch = model.batch(corpus["train"]["text"], corpus["train"]["record"]
                        if task == "request" else None)
    y = target_matrix(corpus["train"]["label" if task == "request" else "labels"], task,
                      model.labels, model.taxonomy)
    pipeline = (request_pipeline(3.0) if task == "request" else paragraph_pipeline(100.0))
    pipeline.fit(model._x(batch), np.asarray(model.labels)[y] if task == "request" else y)
    linear = LinearModel.from_pipeline(pipeline)
    texts = list(corpus["test"]["text"]) + ODD_TEXTS[:3]
    rows = model._x(model.batch(texts))
    expected = pipeline.predict_proba(rows)
    found = linear.predict_proba(linear.features(rows))
    assert np.abs(found - expected).max() <= 1e-9


def test_the_rule_model_round_trips_through_json(request_corpus: DatasetDict,
                                                 tmp_path: Path) -> None:
    rules = fit_model(request_corpus, "request", kind="rules")
    folder = rules.save(tmp_path / "rules")
    assert {p.name for p in folder.iterdir()} >= {RULES_FILE}
    texts = ["请公开涉密测绘成果", "要求重新盖章确认文件真伪"]
    assert DispositionModel.load(folder).classify(texts, explain=True) == rules.classify(
        texts, explain=True)


def test_rule_model_explains_with_its_keywords(request_corpus: DatasetDict) -> None:
    rules = fit_model(request_corpus, "request", kind="rules")
    [prediction] = rules.classify(["请公开涉密测绘成果"], explain=True)
    assert prediction.label == "withhold/state_secret"
    assert [item.term for item in prediction.explanation] == ["涉密", "测绘成果"]


@pytest.fixture
def saved(request_model: DispositionModel, tmp_path: Path) -> Path:
    return copy.deepcopy(request_model).save(tmp_path / "saved")


def _forge(directory: Path, name: str, content: bytes) -> None:
    """Swap a model file and make the checksums agree, as a careful forger would."""
    (directory / name).write_bytes(content)
    metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    metadata["files"][name] = sha256(directory / name)
    metadata["estimator_sha256"] = metadata["files"][ARRAYS_FILE]
    (directory / METADATA_FILE).write_text(json.dumps(metadata), encoding="utf-8")


def test_truncated_file_is_refused(saved: Path) -> None:
    data = (saved / ARRAYS_FILE).read_bytes()
    (saved / ARRAYS_FILE).write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="corrupted"):
        DispositionModel.load(saved)
    _forge(saved, ARRAYS_FILE, data[: len(data) // 2])
    with pytest.raises(ModelError, match="no readable linear model"):
        DispositionModel.load(saved)


class _Canary:
    """Unpickling this creates a file: proof that a pickle was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return open, (str(self.marker), "w")


def test_a_pickle_in_place_of_the_arrays_is_never_unpickled(saved: Path,
                                                             tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    _forge(saved, ARRAYS_FILE, pickle.dumps(_Canary(marker)))
    with pytest.raises(ModelError, match="no readable linear model"):
        DispositionModel.load(saved)
    assert not marker.exists()


def test_arrays_holding_objects_are_refused(saved: Path, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    with np.load(saved / ARRAYS_FILE) as arrays:
        content = {name: arrays[name] for name in arrays.files}
    content["coef"] = np.array([_Canary(marker)], dtype=object)
    forged = tmp_path / "forged.npz"
    np.savez(forged, **content)
    _forge(saved, ARRAYS_FILE, forged.read_bytes())
    with pytest.raises(ModelError, match="no readable linear model"):
        DispositionModel.load(saved)
    assert not marker.exists()


def test_a_spec_naming_an_unknown_analyzer_is_refused(saved: Path) -> None:
    spec = json.loads((saved / SPEC_FILE).read_text(encoding="utf-8"))
    spec["blocks"][0]["vectorizers"][0]["analyzer"] = "os.system"
    _forge(saved, SPEC_FILE, json.dumps(spec).encode())
    with pytest.raises(ModelError, match="unknown analyzer"):
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
