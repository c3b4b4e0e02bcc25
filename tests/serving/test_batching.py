"""Micro-batching: concurrent requests share one model call and get their own answers back."""

from __future__ import annotations

import asyncio

from gongkai.models.predictions import RequestPrediction
from gongkai.serving.metrics import Metrics
from gongkai.serving.predictors import MicroBatcher


class EchoModel:
    """Answers each text with itself; records every call."""

    task = "request"

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[list[str], int, bool]] = []
        self.fail = fail

    def classify(self, texts: list[str], records: list | None = None, top_k: int = 3,
                 explain: bool = False) -> list[RequestPrediction]:
        self.calls.append((list(texts), top_k, explain))
        if self.fail:
            raise RuntimeError("model failed")
        return [RequestPrediction(label=text, group="", score=top_k, top=[], legal_basis="",
                                  explanation=[]) for text in texts]


async def run_batched(model: EchoModel, requests: list[tuple[list[str], int]],
                      max_texts: int = 64) -> list:
    batcher = MicroBatcher(model, Metrics(), window=0.05, max_texts=max_texts)
    loop = asyncio.create_task(batcher.run())
    try:
        return await asyncio.gather(
            *(batcher.predict(texts, top_k, False) for texts, top_k in requests),
            return_exceptions=True)
    finally:
        loop.cancel()


def test_concurrent_requests_share_one_call() -> None:
    model = EchoModel()
    answers = asyncio.run(run_batched(model, [(["a", "b"], 3), (["c"], 3), (["d", "e"], 3)]))
    assert model.calls == [(["a", "b", "c", "d", "e"], 3, False)]
    assert [[p.label for p in answer] for answer in answers] == [["a", "b"], ["c"], ["d", "e"]]


def test_requests_with_other_options_get_their_own_call() -> None:
    model = EchoModel()
    answers = asyncio.run(run_batched(model, [(["a"], 3), (["b"], 1), (["c"], 3)]))
    assert sorted(model.calls) == [(["a", "c"], 3, False), (["b"], 1, False)]
    assert [answer[0].score for answer in answers] == [3, 1, 3]


def test_a_batch_closes_at_max_texts_without_splitting_a_request() -> None:
    model = EchoModel()
    asyncio.run(run_batched(model, [(["a", "b", "c"], 3), (["d"], 3), (["e", "f"], 3)],
                            max_texts=3))
    assert [call[0] for call in model.calls] == [["a", "b", "c"], ["d", "e", "f"]]


def test_a_model_error_reaches_every_request_of_the_batch() -> None:
    answers = asyncio.run(run_batched(EchoModel(fail=True), [(["a"], 3), (["b"], 3)]))
    assert all(isinstance(answer, RuntimeError) for answer in answers)

