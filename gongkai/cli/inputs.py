"""Where commands read and write: a path or ``-`` (stdin, stdout), with failures told in
gongkai's words: a missing file, a bad JSON Lines line, a folder that cannot be written."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

import typer

from gongkai.cli.common import fail, os_reason, text
from gongkai.jsonl import BadRow, parse_rows

STDIN = "-"


def label(path: str | Path) -> str:
    """How a message names the input: the path as given, or stdin."""
    return text("cli.stdin") if str(path) == STDIN else str(path)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a file or of stdin (``-``)."""
    if str(path) == STDIN:
        return typer.get_binary_stream("stdin").read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise fail("cli.no_such_file", path=path) from None
    except OSError as exc:
        raise fail("cli.read_failed", path=path, reason=os_reason(exc)) from None


def read_stdin_text() -> str:
    """Text piped in (UTF-8, GB18030/GBK or UTF-16, as the reader decodes report text)."""
    from gongkai.messages import reader_note
    from gongkai.reader import ReaderError
    from gongkai.reader.decode import MAX_BYTES, decode_text

    data = read_bytes(STDIN)
    if not data.strip():
        raise fail("cli.stdin_empty")
    try:
        return decode_text(data)[0]
    except ReaderError as exc:
        note = reader_note(exc.kind, label(STDIN), MAX_BYTES)
        raise fail(note.id, **note.values) from None


def read_rows(path: str | Path) -> list[dict]:
    """Every non-blank JSON Lines row with its line number as ``_line``; exit 2 naming
    the first bad line."""
    where = label(path)
    try:
        lines = read_bytes(path).decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise fail("input.not_utf8", path=where) from None
    try:
        return parse_rows(lines)
    except BadRow as exc:
        message = "input.not_object" if exc.reason == "not_object" else "input.bad_json"
        raise fail(message, path=where, line=exc.line) from None


@contextmanager
def output(path: Path | None) -> Iterator[TextIO]:
    """A UTF-8 file to write, or stdout without one; exit 2 with one line when it cannot be
    written. The file is written under a temporary name beside it and moved into place only
    once complete, so that a full or read-only disk leaves no half-written file."""
    if path is None:
        with _stdout_errors():
            yield sys.stdout
            sys.stdout.flush()
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.replace(temporary, path)
    except OSError as exc:
        raise fail("output.failed", path=path, reason=os_reason(exc)) from None
    finally:
        discard(temporary)


def discard(path: Path) -> None:
    """Remove a temporary file if it is there; failing to is not worth a second error."""
    with suppress(OSError):
        path.unlink(missing_ok=True)


@contextmanager
def _stdout_errors() -> Iterator[None]:
    """Stdout redirected to a full disk: the one line, and stdout pointed at /dev/null so
    that Python's own flush at exit does not fail a second time."""
    try:
        yield
    except OSError as exc:
        with suppress(OSError):  # a stdout without a descriptor (captured) needs nothing
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise fail("output.failed", path=text("cli.stdout"), reason=os_reason(exc)) from None
