"""What every command shares: the consoles, the one-line error, and the common options."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from gongkai.models.task import Task

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

TaskOption = Annotated[Task, typer.Option("--task", help="request: 依申请公开 requests; "
                                          "paragraph: annual-report paragraphs.")]
ModelOption = Annotated[str | None, typer.Option(
    "--model", help="A model name under the models folder or a model directory; default: "
    "the task's.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    """One line on stderr and an exit code; never a traceback."""
    err_console.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def notice(message: str) -> None:
    err_console.print(f"[yellow]note:[/yellow] {message}", highlight=False)


def say(text: str) -> None:
    console.print(text, highlight=False, soft_wrap=True)


def load(name: str | None, task: Task):
    """The model; exit 2 with the reason (a missing default names `gongkai train`)."""
    from gongkai.models.errors import ModelError
    from gongkai.models.store import load_model

    try:
        return load_model(name, task.value)
    except ModelError as exc:
        raise fail(str(exc)) from None
