"""A wall-time bound on reading one report, so that one hostile file cannot hold a worker.

Reading is pure Python (with C parsers under it), which no other thread can interrupt: the
bound is a ``SIGALRM`` timer in the thread that reads, and the main thread of a process is
the only one a signal reaches. ``gongkai tag`` reads in the main thread of its worker
processes (or of the command itself, without ``--out``), so the bound holds there;
elsewhere (a Ray actor's thread) :func:`deadline` cannot arm it and reads without one.

The signal is handled between two Python bytecodes: a single long C call (inflating one
zip member, parsing one XML document) finishes first. The reader's size limits bound those.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from gongkai.messages import say

TIMEOUT_ENV = "GONGKAI_REPORT_TIMEOUT_S"
DEFAULT_TIMEOUT_S = 60.0


class ReportTimeout(BaseException):
    """Reading a report took longer than its bound.

    A ``BaseException``, like ``KeyboardInterrupt``: a reader's ``except Exception`` that
    falls back to another way of reading must not swallow the deadline and go on.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    def message(self, source: str) -> str:
        """The error row's message: always Chinese, as the datasets are, naming the file."""
        return say("tag.timeout", "zh", source=source, limit=f"{self.seconds:g}")


def can_bound() -> bool:
    """Whether :func:`deadline` can interrupt the calling thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ReportTimeout` in the calling thread once ``seconds`` have passed
    (``None``: no bound; a thread other than the main one: no bound, see the module)."""
    if seconds is None or not can_bound():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise ReportTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # restored even when the timer fires just before it is stopped
            signal.signal(signal.SIGALRM, previous)
