"""Model calls, off the event loop: one per request, or gathered into micro-batches."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Protocol

from starlette.concurrency import run_in_threadpool

from gongkai.models.base import DispositionModel
from gongkai.models.predictions import Prediction
from gongkai.serving.metrics import Metrics

Predictions = list[Prediction]
Records = list[str | None] | None


class Predictor(Protocol):
    async def predict(self, texts: list[str], top_k: int, explain: bool,
                      records: Records = None) -> Predictions: ...


async def call_model(model: DispositionModel, metrics: Metrics, texts: list[str], top_k: int,
                     explain: bool, records: Records = None) -> Predictions:
    """One estimator call in the thread pool: inference is CPU-bound and would block the loop."""
    metrics.batch_texts.labels(model.task).observe(len(texts))
    predictions = await run_in_threadpool(model.classify, texts, records, top_k=top_k,
                                          explain=explain)
    metrics.count_predictions(model.task, predictions)
    return predictions


class DirectPredictor:
    """Every request calls the model with its own texts."""

    def __init__(self, model: DispositionModel, metrics: Metrics) -> None:
        self.model = model
        self.metrics = metrics

    async def predict(self, texts: list[str], top_k: int, explain: bool,
                      records: Records = None) -> Predictions:
        return await call_model(self.model, self.metrics, texts, top_k, explain, records)


@dataclass
class _Job:
    texts: list[str]
    records: list[str | None]
    top_k: int
    explain: bool
    done: asyncio.Future[Predictions]


class MicroBatcher:
    """Gathers the texts of concurrent requests into one model call.

    A batch opens with the first waiting request and closes ``window`` seconds later or at
    ``max_texts`` texts; while it runs, the next one fills up in the queue, so even a zero
    window batches under load without delaying a lone request. A request is never split
    across batches.
    """

    def __init__(self, model: DispositionModel, metrics: Metrics, window: float,
                 max_texts: int) -> None:
        self.model = model
        self.metrics = metrics
        self.window = window
        self.max_texts = max_texts
        self.queue: asyncio.Queue[_Job] = asyncio.Queue()

    async def predict(self, texts: list[str], top_k: int, explain: bool,
                      records: Records = None) -> Predictions:
        job = _Job(texts, list(records) if records is not None else [None] * len(texts),
                   top_k, explain, asyncio.get_running_loop().create_future())
        self.queue.put_nowait(job)
        return await job.done

    async def run(self) -> None:
        """The batching loop, run as a task for the application's lifetime."""
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            size = len(batch[0].texts)
            closes = loop.time() + self.window
            while size < self.max_texts:
                try:
                    async with asyncio.timeout_at(closes):
                        job = await self.queue.get()
                except TimeoutError:
                    break
                batch.append(job)
                size += len(job.texts)
            await self._run(batch)

    async def _run(self, batch: list[_Job]) -> None:
        # Requests asking for other options (top_k, explain) share the batch, not the call.
        by_options: dict[tuple[int, bool], list[_Job]] = {}
        for job in batch:
            by_options.setdefault((job.top_k, job.explain), []).append(job)
        for (top_k, explain), jobs in by_options.items():
            texts = [text for job in jobs for text in job.texts]
            records = [record for job in jobs for record in job.records]
            try:
                predictions = await call_model(self.model, self.metrics, texts, top_k, explain,
                                               records)
            except Exception as exc:  # handed to the waiting requests, which answer 500
                for job in jobs:
                    if not job.done.done():
                        job.done.set_exception(exc)
                continue
            start = 0
            for job in jobs:
                end = start + len(job.texts)
                if not job.done.done():  # the request may have been cancelled
                    job.done.set_result(predictions[start:end])
                start = end
