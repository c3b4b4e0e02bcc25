"""The ``gongkai`` command line: the composition root that wires reader, models and server."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gongkai.reader import ReaderError, read_report
from gongkai.render import print_report
from gongkai.taxonomy import DATA_DIR, load_taxonomy

app = typer.Typer(
    help="gongkai 公开: read, check and tag 政府信息公开 annual reports and requests, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)

SAMPLES_DIR = DATA_DIR / "samples"


def fail(message: str, code: int = 2) -> typer.Exit:
    """One line on stderr and an exit code; never a traceback."""
    err_console.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


@app.command()
def report(
    files: Annotated[
        list[Path],
        typer.Argument(help="Report files: .txt (any Chinese encoding), .html, .docx, .pdf."),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per file (JSON Lines).")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any arithmetic check fails.")
    ] = False,
) -> None:
    """Read reports, print the statistics table and its arithmetic checks (勾稽关系).

    Exit codes: 0 read (failed checks are reported, not fatal); 2 unreadable input;
    1 with --strict when a check fails.
    """
    taxonomy = load_taxonomy()
    unreadable = False
    failed = False
    for path in files:
        try:
            result = read_report(path, taxonomy=taxonomy)
        except ReaderError as exc:
            err_console.print(f"[red]error:[/red] {path}: {exc}", highlight=False)
            unreadable = True
            continue
        failed = failed or bool(result.failed_checks)
        if as_json:
            sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
        else:
            print_report(result, taxonomy, console)
    if unreadable:
        raise typer.Exit(2)
    if strict and failed:
        raise typer.Exit(1)


@app.command()
def demo() -> None:
    """The main job on the bundled samples: read each sample report and print its checked table."""
    samples = sorted(SAMPLES_DIR.glob("*.txt"))
    if not samples:
        raise fail(f"no sample reports in {SAMPLES_DIR}")
    taxonomy = load_taxonomy()
    for path in samples:
        print_report(read_report(path, taxonomy=taxonomy), taxonomy, console)
        console.rule()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
