"""What every command shares: the consoles, the language of messages, one-line errors and
notes from the catalogue (``gongkai.messages``), and loading a model with gongkai's own
words for what went wrong."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from gongkai.messages import DEFAULT_LANG, Lang, lang_of, say
from gongkai.models.task import Task

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

TaskOption = Annotated[Task, typer.Option("--task", help="request: 依申请公开 requests; "
                                          "paragraph: annual-report paragraphs.")]
ModelOption = Annotated[str | None, typer.Option(
    "--model", metavar="NAME", help="A model name under the models folder or a model "
    "directory; default: the task's.")]

_lang: ContextVar[Lang] = ContextVar("gongkai_lang", default=DEFAULT_LANG)


def lang() -> Lang:
    """The language this command speaks (``--lang``, else GONGKAI_LANG, else Chinese)."""
    return _lang.get()


def set_lang(value: str) -> None:
    _lang.set(lang_of(value) or DEFAULT_LANG)


def text(message_id: str, **values: object) -> str:
    return say(message_id, lang(), **values)


def complain(message_id: str, /, **values: object) -> None:
    """One error line on stderr."""
    err_console.print(Text(text("cli.error", message=text(message_id, **values)), style="red"))


def fail(message_id: str, /, code: int = 2, **values: object) -> typer.Exit:
    """One line on stderr and an exit code; never a traceback."""
    complain(message_id, **values)
    return typer.Exit(code)


def notice(message_id: str, /, **values: object) -> None:
    err_console.print(Text(text("cli.note", message=text(message_id, **values)), style="yellow"))


def emit(markup: str) -> None:
    """A line of the readable answer on stdout (rich markup)."""
    console.print(markup, highlight=False, soft_wrap=True)


def os_reason(exc: OSError) -> str:
    """An operating-system error in gongkai's words, not the C library's English."""
    reasons = {errno.EACCES: "os.denied", errno.EPERM: "os.denied", errno.ENOENT: "os.not_found",
               errno.EISDIR: "os.is_dir", errno.ENOSPC: "os.no_space",
               errno.EROFS: "os.read_only", errno.EDQUOT: "os.quota"}
    code = exc.errno
    if code is None:  # pyarrow raises OSError with the C library's text but no errno
        code = next((known for known in reasons if os.strerror(known) in str(exc)), None)
    if code in reasons:
        return text(reasons[code])
    return text("os.other", code=code)


@contextmanager
def output_errors(path: object, message_id: str = "output.failed") -> Iterator[None]:
    """Exit 2 with one line naming the path and the cause when writing fails (a full,
    read-only or forbidden disk), instead of an ``OSError`` traceback; ``path`` is named
    when the error does not name its own file."""
    try:
        yield
    except OSError as exc:
        raise fail(message_id, path=exc.filename or path, reason=os_reason(exc)) from None


@contextmanager
def model_errors(name: str | None, task: Task) -> Iterator[None]:
    """Exit 2 with one line when the model cannot be used; a missing default names
    ``gongkai train``."""
    from gongkai.models.errors import ModelError
    from gongkai.models.store import resolve

    directory = resolve(name, task.value)
    if not directory.exists():
        if name is None:
            raise fail("model.missing_default", task=task.value, path=directory)
        raise fail("model.missing", path=directory)
    try:
        yield
    except ModelError as exc:
        raise fail("model.unusable", detail=str(exc)) from None


def load(name: str | None, task: Task):
    """The model, loaded (loading never trains)."""
    from gongkai.models.store import load_model

    with model_errors(name, task):
        return load_model(name, task.value)
