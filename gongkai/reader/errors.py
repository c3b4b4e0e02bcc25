"""The one error type the reader raises: every unreadable input ends here, never in a traceback."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from gongkai.messages import CATALOGUE, Note

if TYPE_CHECKING:
    from gongkai.reader.limits import ReaderLimits

log = logging.getLogger(__name__)


class ReaderError(Exception):
    """An input that cannot be read as a report; ``kind`` is a stable machine-readable code.

    Kinds: ``empty``, ``too_large``, ``binary``, ``encoding``, ``unsupported``,
    ``no_text_layer``, ``corrupt``, ``not_a_report`` (and ``not_found``, ``unreadable`` for
    files, ``config`` for a bad ``GONGKAI_READER_*`` variable).

    What the person is told is the catalogue message ``message_id`` (``reader.<kind>`` unless
    a more specific one applies) filled with ``values`` and the source's name: see
    :meth:`note`. ``detail`` keeps what went wrong in the words of whoever found it (a
    library's English included), for logs only.
    """

    def __init__(self, kind: str, message: str = "", *, message_id: str | None = None,
                 values: Mapping[str, Any] | None = None) -> None:
        super().__init__(kind, message)
        self.kind = kind
        self.detail = message
        self.message_id = message_id or f"reader.{kind}"
        self.values: dict[str, Any] = dict(values or {})

    def note(self, source: str | None = None) -> Note:
        """The message as data, for the source named as the caller names it."""
        return Note(self.message_id, {**self.values, "source": source or self.values.get(
            "source", "")})

    @property
    def message(self) -> str:
        """One line in Chinese (the catalogue's), or the text given where there is none."""
        if self.message_id in CATALOGUE:
            try:
                return self.note().text()
            except (KeyError, IndexError, ValueError):
                pass
        return self.detail or self.kind

    def __str__(self) -> str:
        return self.message


def too_large(size: int, limit: int) -> ReaderError:
    """A file over ``limit`` bytes (``ReaderLimits.max_bytes``)."""
    return ReaderError(
        "too_large", f"file is {size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit",
        message_id="reader.too_large_file", values={"size_mb": mb(size), "limit_mb": mb(limit)})


def mb(size: int) -> str:
    """Bytes as MB (2**20) for a message: ``25``, ``1.5``, ``1,024``."""
    value = size / 2**20
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def check_chars(count: int, limits: ReaderLimits) -> None:
    """Decoded text over ``limits.max_chars`` is refused before it is parsed."""
    if count > limits.max_chars:
        raise ReaderError("too_large", f"{count} characters", message_id="reader.too_many_chars",
                          values={"chars": count, "limit": limits.max_chars})


def unexpected(exc: BaseException, source: str) -> ReaderError:
    """What the reader did not foresee, as one line: too deep or too big for memory
    (``too_large``), or a bug (``internal``: logged with its traceback, to be found)."""
    error = type(exc).__name__
    if isinstance(exc, RecursionError | MemoryError):
        return ReaderError("too_large", error, message_id="reader.too_complex",
                           values={"source": source, "error": error})
    log.error("the reader failed on %s", source, exc_info=exc)
    return ReaderError("internal", f"{error}: {exc}", message_id="reader.internal",
                       values={"source": source, "error": error})
