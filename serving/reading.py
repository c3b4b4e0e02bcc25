"""Reading an uploaded report in a child process that is killed at its deadline.

A pure-Python parse cannot be stopped from another thread, and a hostile file can make the
reader slow or large. So each report is read in a process of its own, forked from a
forkserver that imported and warmed the reader once (``reader_preload``): the deadline is a
kill that always works, and whatever memory a report made goes back to the system when its
process ends instead of staying with the server.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from multiprocessing import forkserver
from multiprocessing.connection import Connection

from gongkai.reader import ReaderError, Report, read_report
from gongkai.taxonomy import load_taxonomy

_CONTEXT = multiprocessing.get_context("forkserver")
# The time a killed reader process gets to be reaped.
REAP_SECONDS = 5.0


class ReadTimeout(Exception):
    """The report was not read within its deadline; its process was killed."""


class ReaderCrashed(RuntimeError):
    """The reader process failed without a ReaderError (a bug, or killed from outside)."""


def start_reader_server() -> None:
    """Start the forkserver now, with the reader imported, rather than on the first
    report; at start-up so that a failure to start stops the server at once."""
    _CONTEXT.set_forkserver_preload(["gongkai.serving.reader_preload"])
    forkserver.ensure_running()


def _read(connection: Connection, data: bytes, name: str, max_bytes: int) -> None:
    """In the child: read, then send the report or the error back."""
    try:
        report = read_report(data, name=name, taxonomy=load_taxonomy(), max_bytes=max_bytes)
    except ReaderError as exc:
        connection.send(("refused", exc))
    except Exception as exc:  # sent back as text: it may not survive pickling
        connection.send(("crashed", f"{type(exc).__name__}: {exc}"))
    else:
        connection.send(("read", report))
    connection.close()


async def _readable(connection: Connection, timeout_s: float | None) -> bool:
    """Wait, without a thread, until the child has sent something or exited."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(connection.fileno(), lambda: ready.done() or ready.set_result(None))
    try:
        await asyncio.wait_for(ready, timeout_s)
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(connection.fileno())
    return True


async def read_isolated(data: bytes, name: str, max_bytes: int,
                        timeout_s: float | None) -> Report:
    """The report read in a child process; raises :class:`ReaderError` as the reader does,
    :class:`ReadTimeout` after ``timeout_s`` seconds (None: no bound) and
    :class:`ReaderCrashed` for anything else. The child never outlives the call, a
    cancelled request included."""
    receiving, sending = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_read, args=(sending, data, name, max_bytes),
                               daemon=True)
    process.start()
    try:
        sending.close()
        if not await _readable(receiving, timeout_s):
            raise ReadTimeout
        try:
            outcome, value = await asyncio.to_thread(receiving.recv)
        except EOFError:  # exited without a word: killed (out of memory?) or crashed
            raise ReaderCrashed(f"the reader process ended with {process.exitcode}") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(REAP_SECONDS)
        receiving.close()
        sending.close()
    if outcome == "refused":
        raise value
    if outcome == "crashed":
        raise ReaderCrashed(value)
    return value
