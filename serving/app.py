"""The FastAPI application: ``create_app()`` wires settings, limits, metrics and routers.

Run it with ``gongkai serve``, or ``uvicorn gongkai.serving.app:create_app --factory``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from gongkai.serving.errors import install_error_handlers
from gongkai.serving.limits import BodyMiddleware, InFlightLimitMiddleware
from gongkai.serving.metrics import Metrics, MetricsMiddleware
from gongkai.serving.predictors import DirectPredictor, MicroBatcher, Predictor
from gongkai.serving.reading import start_reader_server
from gongkai.serving.routers import (
    classify,
    docs,
    feedback,
    health,
    labels,
    models,
    page,
    reports,
)
from gongkai.serving.runtime import Runtime, model_ref, ready_models
from gongkai.serving.schemas import Task
from gongkai.serving.settings import Settings
from gongkai.taxonomy import load_taxonomy


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the taxonomy and both models once, before the first request is accepted, warm
    them, then freeze what start-up made (see ``runtime.ready_models``)."""
    settings: Settings = app.state.settings
    metrics: Metrics = app.state.metrics
    loaded = await run_in_threadpool(ready_models, settings)
    await run_in_threadpool(start_reader_server)
    for task, model in loaded.items():
        metrics.model.labels(task.value, model.name, model_ref(model).version,
                             model.metadata.kind).set(1)
    predictors: dict[Task, Predictor] = {}
    batching_tasks: list[asyncio.Task[None]] = []
    for task, model in loaded.items():
        if settings.batching:
            batcher = MicroBatcher(model, metrics, settings.batch_window_ms / 1000,
                                   settings.max_batch_texts)
            batching_tasks.append(asyncio.create_task(batcher.run()))
            predictors[task] = batcher
        else:
            predictors[task] = DirectPredictor(model, metrics)
    app.state.runtime = Runtime(load_taxonomy(), loaded, predictors)
    try:
        yield
    finally:
        app.state.runtime = None
        for batching_task in batching_tasks:
            batching_task.cancel()


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application; ``settings`` default to the ``GONGKAI_*`` environment."""
    settings = settings or Settings()
    app = FastAPI(
        title="gongkai 公开",
        summary="Classify 政府信息公开 requests; read, check and tag annual reports.",
        version=version("gongkai"),
        lifespan=lifespan,
        docs_url=None,  # served by routers.docs without a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.runtime = None
    install_error_handlers(app)
    # The last added runs first: metrics see every answer, limits refused ones included;
    # the body is read (with its deadline) before the request takes an in-flight slot.
    app.add_middleware(InFlightLimitMiddleware, limit=settings.max_in_flight)
    app.add_middleware(BodyMiddleware, max_bytes=settings.max_body_bytes,
                       timeout_s=settings.body_timeout_s)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    for module in (classify, reports, labels, models, health, page, docs, feedback):
        app.include_router(module.router)
    return app
