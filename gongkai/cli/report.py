"""``gongkai report``: read reports and print their statistics table and checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gongkai.cli.common import complain, fail, lang
from gongkai.cli.conventions import LangOption
from gongkai.cli.inputs import STDIN, output, read_bytes
from gongkai.cli.render import print_report
from gongkai.messages import Lang, check_details, reader_note
from gongkai.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:  # imported when the command runs, so that other commands start fast
    from gongkai.reader import Report


def _read(path: str, taxonomy: Taxonomy) -> Report:
    from gongkai.reader import read_report

    if path == STDIN:
        return read_report(read_bytes(STDIN), name=STDIN, taxonomy=taxonomy)
    return read_report(path, taxonomy=taxonomy)


def with_details(body: dict, lang: Lang) -> dict:
    """The reader's JSON, each check with its failures as sentences (``details``), as the
    API answers it."""
    for check in body["checks"]:
        check["details"] = check_details(check, lang)
    return body


def report(
    files: Annotated[list[str], typer.Argument(
        metavar="FILE", help="Report files (.txt in any Chinese encoding, .html, .docx, "
        ".pdf); - reads one from stdin.")],
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per file (JSON Lines).")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit 1 when any arithmetic check fails.")] = False,
    output_file: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="With --json: the file to write (default "
        "stdout), put in place only once complete.")] = None,
    lang_: LangOption = None,
) -> None:
    """Read reports, print the statistics table 三 and its arithmetic checks (勾稽关系),
    naming each failing cell with both figures.

    Exit codes: 0 read (failed checks are reported, not fatal); 2 unreadable input;
    1 with --strict when a check fails.
    """
    if output_file is not None and not as_json:
        raise fail("report.output_needs_json")
    from gongkai.reader import ReaderError
    from gongkai.reader.decode import MAX_BYTES

    taxonomy = load_taxonomy()
    unreadable = False
    failed = False
    with output(output_file if as_json else None) as handle:
        for path in files:
            try:
                result = _read(path, taxonomy)
            except ReaderError as exc:
                note = reader_note(exc.kind, path, MAX_BYTES, exc.message_id, exc.values)
                complain(note.id, **note.values)
                unreadable = True
                continue
            failed = failed or bool(result.failed_checks)
            if as_json:
                handle.write(json.dumps(with_details(result.as_dict(), lang()),
                                        ensure_ascii=False) + "\n")
            else:
                print_report(result, taxonomy, lang())
    if unreadable:
        raise typer.Exit(2)
    if strict and failed:
        raise typer.Exit(1)
