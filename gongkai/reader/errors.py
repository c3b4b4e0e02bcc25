"""The one error type the reader raises: every unreadable input ends here, never in a traceback."""

from __future__ import annotations


class ReaderError(Exception):
    """An input that cannot be read as a report; ``kind`` is a stable machine-readable code.

    Kinds: ``empty``, ``too_large``, ``binary``, ``encoding``, ``unsupported``,
    ``no_text_layer``, ``corrupt``, ``not_a_report``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message


def too_large(size: int, limit: int) -> ReaderError:
    return ReaderError(
        "too_large",
        f"file is {size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit for one report",
    )
