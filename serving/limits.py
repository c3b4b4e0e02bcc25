"""Request-body size and concurrency limits, as plain ASGI middleware."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongkai.messages import Note
from gongkai.serving.errors import ApiError, error_response, request_lang

LIMITED_PREFIX = "/v1/"


def too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", "api.too_large", {"limit": limit})


class BodyLimitMiddleware:
    """Refuse bodies over ``max_bytes`` with 413.

    A declared Content-Length over the limit is refused at once; the bytes that actually
    arrive are counted as they are read, so a body without (or lying about) its length is
    stopped too.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            error = too_large(self.max_bytes)
            response = error_response(413, error.type, error.note, request_lang(headers))
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise too_large(self.max_bytes)
            return message

        await self.app(scope, counted_receive, send)


class InFlightLimitMiddleware:
    """Answer 429 with Retry-After when ``limit`` API requests are already being handled.

    Only ``/v1/`` routes count: health checks, metrics and the page stay reachable under
    load.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(LIMITED_PREFIX):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            response = error_response(
                429, "too_many_requests", Note("api.too_many_requests", {"limit": self.limit}),
                request_lang(Headers(scope=scope)), headers={"Retry-After": "1"})
            await response(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
