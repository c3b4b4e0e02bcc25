"""POST /v1/feedback on a small app of its own: the token guards it, bad input is refused
whole with a 4xx, and nothing stored before is lost."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from gongkai.corrections import CorrectionStore
from gongkai.models.base import DispositionModel
from gongkai.models.task import Task
from gongkai.serving.errors import install_error_handlers
from gongkai.serving.metrics import Metrics
from gongkai.serving.predictors import DirectPredictor
from gongkai.serving.routers import feedback
from gongkai.serving.runtime import Runtime
from gongkai.taxonomy import load_taxonomy

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GOOD = {"text": "请公开邻居的病历", "label": "withhold/third_party", "note": "涉及个人隐私"}


def _client(url: str, model: DispositionModel, token: str | None = TOKEN) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(feedback.router)
    app.state.settings = SimpleNamespace(
        api_token=SecretStr(token) if token else None, corrections_url=url)
    app.state.runtime = Runtime(load_taxonomy(), {Task.request: model},
                                {Task.request: DirectPredictor(model, Metrics())})
    return TestClient(app)


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'corrections.sqlite3'}"


@pytest.fixture
def client(url: str, request_model: DispositionModel) -> TestClient:
    return _client(url, request_model)


def test_a_correction_is_stored_with_the_models_answer(
        client: TestClient, url: str, request_model: DispositionModel) -> None:
    answer = client.post("/v1/feedback", json=GOOD, headers=AUTH)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["stored"] and body["corrections"] == 1
    assert body["labels"] == ["withhold/third_party"]
    assert body["old_labels"] == request_model.predict([GOOD["text"]])
    assert body["model_version"] == request_model.metadata.version
    [stored] = CorrectionStore(url).all()
    assert (stored.annotator, stored.note, stored.source) == ("api", "涉及个人隐私", "api")
    by_id = client.post("/v1/feedback", json={"id": body["id"], "label": "partial"},
                        headers=AUTH)
    assert by_id.status_code == 201 and by_id.json()["corrections"] == 2


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": TOKEN}])
def test_writes_need_the_token(client: TestClient, url: str, headers: dict) -> None:
    answer = client.post("/v1/feedback", json=GOOD, headers=headers)
    assert answer.status_code == 401 and answer.json()["error"]["type"] == "unauthorized"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert CorrectionStore(url).count() == 0


def test_no_token_configured_means_no_writes(url: str, request_model: DispositionModel) -> None:
    answer = _client(url, request_model, token=None).post("/v1/feedback", json=GOOD,
                                                          headers=AUTH)
    assert answer.status_code == 403 and answer.json()["error"]["type"] == "writes_disabled"


@pytest.mark.parametrize(("change", "field"), [
    ({"label": "no/such_label"}, "unknown"),
    ({"label": ["disclose", "partial"]}, "unknown"),
    ({"text": "   "}, "text"),
    ({"text": None}, "text"),
    ({"note": "很长的备注" * 1000}, "note"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_is_refused_whole_and_loses_nothing(
        client: TestClient, url: str, change: dict, field: str) -> None:
    assert client.post("/v1/feedback", json=GOOD, headers=AUTH).status_code == 201
    before = CorrectionStore(url).all()
    answer = client.post("/v1/feedback", json={**GOOD, **change}, headers=AUTH)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["type"] == "validation_error"
    if field != "unknown":
        assert error["message"].startswith(field)
    assert CorrectionStore(url).all() == before


def test_an_unknown_id_is_refused(client: TestClient, url: str) -> None:
    answer = client.post("/v1/feedback", json={"id": "nobody", "label": "disclose"},
                         headers={**AUTH, "Accept-Language": "en"})
    assert answer.status_code == 422
    assert answer.json()["error"] == {"type": "unknown_id", "id": "api.invalid",
                                      "message": "id: invalid value"}
    assert CorrectionStore(url).count() == 0
