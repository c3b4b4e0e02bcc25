"""Request-body size and time, and concurrency limits, as plain ASGI middleware."""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongkai.messages import Lang, Note
from gongkai.serving.errors import ApiError, error_response, request_lang

LIMITED_PREFIX = "/v1/"


def too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", "api.too_large", {"limit": limit})


class BodyMiddleware:
    """Read each request's whole body before the application sees it: no more than
    ``max_bytes`` (413) and within ``timeout_s`` seconds of its headers (408).

    A declared Content-Length over the limit is refused at once; the bytes that actually
    arrive are counted as they are read, so a body without (or lying about) its length is
    stopped too. Because this runs outside :class:`InFlightLimitMiddleware`, a client that
    sends its body a byte a second holds no in-flight slot: it waits here, and is answered
    408 (and the connection closed) at the deadline. The body is at most ``max_bytes``,
    the size the application would hold anyway.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        lang = request_lang(headers)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(too_large(self.max_bytes), lang, scope, receive, send)
            return
        try:
            async with asyncio.timeout(self.timeout_s):
                body = await self._body(receive)
        except TimeoutError:
            late = ApiError(408, "request_timeout", "api.body_timeout",
                            {"limit": f"{self.timeout_s:g}"})
            await self._refuse(late, lang, scope, receive, send)
            return
        except ApiError as error:
            await self._refuse(error, lang, scope, receive, send)
            return
        if body is None:  # the client went away: nobody to answer
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # what comes next: the disconnect
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _body(self, receive: Receive) -> bytes | None:
        """The whole body, or None when the client disconnected first."""
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                raise too_large(self.max_bytes)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    async def _refuse(error: ApiError, lang: Lang, scope: Scope, receive: Receive,
                      send: Send) -> None:
        """The error body; the connection is closed, as the rest of the body is unread."""
        response = error_response(error.status_code, error.type, error.note, lang,
                                  headers={"Connection": "close"})
        await response(scope, receive, send)


class InFlightLimitMiddleware:
    """Answer 429 with Retry-After when ``limit`` API requests are already being handled.

    Only ``/v1/`` routes count: health checks, metrics and the page stay reachable under
    load. It runs inside :class:`BodyMiddleware`, so a request counts once its body has
    arrived, not while a slow client is still sending it.
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
