"""The ``gongkai`` command line: the composition root that wires reader, models, training,
archive and server. Each command lives in its own module and imports what it needs when
it runs, so that ``gongkai --help`` and ``gongkai report`` start fast."""

from __future__ import annotations

import typer

from gongkai.cli.archive import summarize, tag
from gongkai.cli.base_model import base_model_app
from gongkai.cli.classify import classify
from gongkai.cli.conventions import Group, LangOption, VersionOption
from gongkai.cli.demo import demo
from gongkai.cli.examples import epilog
from gongkai.cli.models import evaluate, train
from gongkai.cli.report import report
from gongkai.cli.review import review_app
from gongkai.cli.serve import serve

app = typer.Typer(
    cls=Group,
    help="gongkai 公开: read, check and tag 政府信息公开 annual reports and requests, offline. "
    "Messages are in Chinese unless --lang en (or GONGKAI_LANG=en).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def options(lang_: LangOption = None, version_: VersionOption = False) -> None:
    """Options that come before the command."""


for command in (report, demo, train, evaluate, classify, serve, tag, summarize):
    app.command(epilog=epilog(command.__name__))(command)
app.add_typer(base_model_app, name="base-model")
app.add_typer(review_app, name="review")


def main() -> None:
    app()
