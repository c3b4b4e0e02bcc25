"""``gongkai report``: read reports and print their statistics table and checks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from gongkai.cli.common import console, err_console
from gongkai.cli.render import print_report
from gongkai.reader import ReaderError, read_report
from gongkai.taxonomy import load_taxonomy


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
