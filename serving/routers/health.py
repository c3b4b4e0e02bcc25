"""Liveness, readiness and Prometheus metrics, for whatever runs the server."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from gongkai.serving.errors import error_responses
from gongkai.serving.runtime import MetricsDep, RuntimeDep
from gongkai.serving.schemas import Health, Ready

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> Health:
    """The process answers."""
    return Health(status="ok")


@router.get("/readyz", responses=error_responses(503))
async def readyz(runtime: RuntimeDep) -> Ready:
    """Both models are loaded (503 until they are)."""
    names = {task: model.name for task, model in runtime.models.items()}
    return Ready(status="ready", models=names)


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
async def metrics(metrics: MetricsDep) -> Response:
    """Prometheus text format: requests, latency, predictions, batch sizes, model info."""
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
