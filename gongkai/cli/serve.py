"""``gongkai serve``: the HTTP API under uvicorn.

Imported by the ``gongkai`` command line at start, so the server's own imports wait
inside the command.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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
    access_log: Annotated[bool, typer.Option(
        envvar="GONGKAI_ACCESS_LOG", help="Log every request on stdout (off: a line per "
        "request costs throughput).")] = False,
    lang_: LangOption = None,
) -> None:
    """Serve the API and the page at http://HOST:PORT/ (OpenAPI at /docs).

    Limits come from GONGKAI_* environment variables (see the README), the deadlines for a
    request's headers, its body and reading a report included. API messages follow each
    request's Accept-Language (Chinese by default).
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
    # uvloop and httptools where installed (the serve extra), as uvicorn's "auto" picks
    # them, the protocol with a deadline on a request's headers (GONGKAI_HEADER_TIMEOUT_S).
    from gongkai.serving.protocols import HTTP_PROTOCOL

    with _shared_metrics(workers):
        uvicorn.run("gongkai.serving.app:create_app", factory=True, host=host, port=port,
                    workers=workers, access_log=access_log, http=HTTP_PROTOCOL)


@contextmanager
def _shared_metrics(workers: int) -> Iterator[None]:
    """Several workers count into one folder of metric files (prometheus-client's
    multiprocess mode), made fresh for this server and removed after it, unless
    PROMETHEUS_MULTIPROC_DIR already names one."""
    from gongkai.serving.metrics import MULTIPROCESS_ENV

    if workers == 1 or MULTIPROCESS_ENV in os.environ:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="gongkai-metrics-") as folder:
        os.environ[MULTIPROCESS_ENV] = folder
        try:
            yield
        finally:
            del os.environ[MULTIPROCESS_ENV]
