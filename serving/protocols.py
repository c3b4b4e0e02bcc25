"""Uvicorn's HTTP protocols with a deadline on a request's headers.

Uvicorn closes a connection that stays idle after an answer (``timeout_keep_alive``), but a
client that sends a header byte now and then is not idle, and would be held for ever. Here a
connection whose next request's headers have not all arrived within
``GONGKAI_HEADER_TIMEOUT_S`` of the connection (or of the previous answer) is closed. The
body has its own deadline, in :class:`gongkai.serving.limits.BodyMiddleware`. ``gongkai
serve`` runs with these protocols; ``uvicorn gongkai.serving.app:create_app`` without them
has no header deadline.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from gongkai.serving.settings import Settings


@cache
def header_timeout() -> float:
    """Read once per worker process, from the environment as every setting is."""
    return Settings().header_timeout_s


class _HeadersDeadline:
    """Mixed into a uvicorn protocol, whose ``cycle`` is the request being answered: a new
    cycle is made when a request's headers are complete."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any
    _headers_timer: asyncio.TimerHandle | None = None
    _waiting_after: Any = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # type: ignore[misc]
        if self._headers_timer is not None and self.cycle is not self._waiting_after:
            self._stop_timer()  # the headers are in

    def on_response_complete(self) -> None:
        finished = self.cycle
        super().on_response_complete()  # type: ignore[misc]
        # A pipelined request already made a new cycle: its headers are in.
        if self.cycle is finished and not self.transport.is_closing():
            self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        super().connection_lost(exc)  # type: ignore[misc]

    def _await_headers(self) -> None:
        self._stop_timer()
        self._waiting_after = self.cycle
        self._headers_timer = self.loop.call_later(header_timeout(), self._headers_late)

    def _stop_timer(self) -> None:
        if self._headers_timer is not None:
            self._headers_timer.cancel()
            self._headers_timer = None

    def _headers_late(self) -> None:
        self._headers_timer = None
        if self.cycle is self._waiting_after and not self.transport.is_closing():
            self.transport.close()


class H11WithHeaderDeadline(_HeadersDeadline, H11Protocol):
    """h11 with the header deadline."""


# What uvicorn's "auto" picks: httptools where installed (the serve extra), else h11.
try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:
    HTTP_PROTOCOL: type[asyncio.Protocol] = H11WithHeaderDeadline
else:
    class HttpToolsWithHeaderDeadline(_HeadersDeadline, HttpToolsProtocol):
        """httptools with the header deadline."""

    HTTP_PROTOCOL = HttpToolsWithHeaderDeadline
