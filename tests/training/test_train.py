"""Training runs: the default model is trained only by an explicit step, and aside."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from gongkai.models.base import DispositionModel
from gongkai.training import train as training


def test_default_model_is_trained_only_when_missing(
        request_model: DispositionModel, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    trained, told = [], []

    def train(task: str, out: Path) -> DispositionModel:
        trained.append((task, out))
        return copy.deepcopy(request_model).save(out)

    monkeypatch.setenv("GONGKAI_MODELS", str(tmp_path))
    monkeypatch.setattr(training, "train", train)
    first = training.default_model("request", told.append)
    second = training.default_model("request", told.append)
    assert [(task, out.name) for task, out in trained] == [("request", "tfidf-request")]
    assert trained[0][1].parent.name.startswith(".")  # trained aside, then moved into place
    assert [path.name for path in tmp_path.iterdir()] == ["tfidf-request"]
    assert len(told) == 1 and "gongkai train --task request" in told[0]
    assert first.name == second.name == "tfidf-request"
    assert first.predict(["请公开本单位预算"]) == request_model.predict(["请公开本单位预算"])
