"""Prometheus metrics, kept in one registry per application so that apps never share counts.

A server of several worker processes (``gongkai serve --workers N``) runs prometheus-client's
multiprocess mode: ``serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` to a fresh folder before the
workers start, each worker keeps its values in files there, and ``/metrics`` — whichever
worker answers it — adds up the files of all of them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongkai.models.predictions import ParagraphPrediction, Prediction

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "gongkai_http_requests", "HTTP requests by route, method and status.",
            ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram(
            "gongkai_http_request_duration_seconds", "Time to answer, by route.",
            ["route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.predictions = Counter(
            "gongkai_predictions", "Labels predicted, by task.",
            ["task", "label"], registry=self.registry)
        self.batch_texts = Histogram(
            "gongkai_batch_texts", "Texts per model call, by task.",
            ["task"], buckets=BATCH_BUCKETS, registry=self.registry)
        # A gauge at 1 rather than an Info, which multiprocess mode cannot add up.
        self.model = Gauge(
            "gongkai_model_info", "The loaded model of each task.",
            ["task", "name", "version", "kind"], multiprocess_mode="max",
            registry=self.registry)

    def count_predictions(self, task: str, predictions: Iterable[Prediction]) -> None:
        for prediction in predictions:
            labels = (prediction.labels if isinstance(prediction, ParagraphPrediction)
                      else [prediction.label])
            for label in labels:
                self.predictions.labels(task, label).inc()

    def render(self) -> bytes:
        """The exposition: this application's registry, or every worker's files."""
        if MULTIPROCESS_ENV not in os.environ:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry)


class MetricsMiddleware:
    """Count every HTTP answer and time it, labelled by the route's path template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        # Each label set's child metrics, looked up once: ``labels()`` costs a lock and
        # a dict lookup per call otherwise.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            key = (path, scope["method"], status)
            children = self._children.get(key)
            if children is None:
                children = (self.metrics.requests.labels(path, scope["method"], str(status)),
                            self.metrics.latency.labels(path))
                self._children[key] = children
            requests, latency = children
            requests.inc()
            latency.observe(time.perf_counter() - started)
