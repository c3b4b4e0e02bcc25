"""``gongkai serve``: the HTTP API under uvicorn.

Imported by the ``gongkai`` command line at start, so the server's own imports wait
inside the command.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from gongkai.cli.common import fail, lang, model_errors
from gongkai.cli.conventions import LangOption
from gongkai.models.task import Task


def serve(
    host: Annotated[str, typer.Option(metavar="HOST", help="Address to listen on.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    model: Annotated[str | None, typer.Option(
        "--model", envvar="GONGKAI_REQUEST_MODEL", metavar="NAME",
        help="Request model: a name under models/ or a directory; default: the task's.")]
    = None,
    paragraph_model: Annotated[str | None, typer.Option(
        envvar="GONGKAI_PARAGRAPH_MODEL", metavar="NAME",
        help="Paragraph model: a name under models/ or a directory; default: the task's.")]
    = None,
    workers: Annotated[int, typer.Option(min=1, metavar="N", help="Worker processes.")] = 1,
    batching: Annotated[bool, typer.Option(
        envvar="GONGKAI_BATCHING", help="Gather concurrent texts into micro-batches.")] = True,
    lang_: LangOption = None,
) -> None:
    """Serve the API and the page at http://HOST:PORT/ (OpenAPI at /docs).

    Limits come from GONGKAI_* environment variables (see the README). API messages follow
    each request's Accept-Language (Chinese by default).
    """
    import uvicorn
    from pydantic import ValidationError

    from gongkai.models.store import check_model
    from gongkai.serving.settings import Settings
    from gongkai.serving.validation import problem

    # Workers are separate processes: they read their settings from the environment.
    options = {"REQUEST_MODEL": model, "PARAGRAPH_MODEL": paragraph_model,
               "BATCHING": str(batching).lower()}
    for key, value in options.items():
        if value is not None:
            os.environ[f"GONGKAI_{key}"] = value
    try:
        Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        raise fail("serve.bad_setting", name=f"GONGKAI_{str(error['loc'][0]).upper()}",
                   problem=problem(error, lang())) from None
    # Check each model folder here (the workers load them), so that a missing or foreign
    # model ends with one line that names the fix instead of a traceback per worker.
    for task, name in ((Task.request, model), (Task.paragraph, paragraph_model)):
        with model_errors(name, task):
            check_model(name, task.value)
    uvicorn.run("gongkai.serving.app:create_app", factory=True, host=host, port=port,
                workers=workers)
