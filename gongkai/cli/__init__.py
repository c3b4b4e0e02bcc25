"""The ``gongkai`` command line: the composition root that wires reader, models, training,
archive and server. Each command lives in its own module and imports what it needs when
it runs, so that ``gongkai --help`` and ``gongkai report`` start fast."""

from __future__ import annotations

import typer

from gongkai.cli.archive import summarize, tag
from gongkai.cli.base_model import base_model_app
from gongkai.cli.demo import demo
from gongkai.cli.models import classify, evaluate, train
from gongkai.cli.report import report
from gongkai.cli.serve import serve

app = typer.Typer(
    help="gongkai 公开: read, check and tag 政府信息公开 annual reports and requests, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for command in (report, demo, train, evaluate, classify, serve, tag, summarize):
    app.command()(command)
app.add_typer(base_model_app, name="base-model")


def main() -> None:
    app()
