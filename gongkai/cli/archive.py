"""``gongkai tag`` and ``gongkai summarize``: archives of reports.

Heavy imports (the model, Ray) happen inside the commands so that the rest of the
command line starts fast.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gongkai.archive.deadline import DEFAULT_TIMEOUT_S, TIMEOUT_ENV
from gongkai.cli.common import (
    complain,
    err_console,
    fail,
    lang,
    load,
    model_errors,
    notice,
    output_errors,
    text,
)
from gongkai.cli.conventions import LangOption
from gongkai.cli.inputs import STDIN, output
from gongkai.messages import reader_note
from gongkai.models.task import Task

SHOWN_NAMES = 5  # skipped files named before the note says …


class Format(StrEnum):
    parquet = "parquet"
    jsonl = "jsonl"
    csv = "csv"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


class Headers(StrEnum):
    ids = "ids"
    names = "names"


def _unreadable(timeout_s: float | None) -> Callable[[str, str], None]:
    """What the stream says of a file it cannot read: the reader's words, or the bound."""
    def say_why(source: str, kind: str) -> None:
        if kind == "timeout":
            complain("tag.timeout", source=source, limit=f"{timeout_s:g}")
            return
        from gongkai.reader.decode import MAX_BYTES

        note = reader_note(kind, source, MAX_BYTES)
        complain(note.id, **note.values)
    return say_why


def _note_skipped(skipped: list[str]) -> None:
    if skipped:
        names = [Path(name).name for name in skipped[:SHOWN_NAMES]]
        notice("tag.skipped", count=len(skipped),
               names=[*names, "…"] if len(skipped) > SHOWN_NAMES else names)


def _stream(inputs: list[str], output_file: Path | None, model: str | None,
            timeout_s: float | None) -> None:
    from gongkai.archive.stream import stream_tags

    loaded = load(model, Task.paragraph)
    with output(output_file) as handle:
        done = stream_tags(inputs, loaded, handle, _unreadable(timeout_s), timeout_s)
    _note_skipped(done.skipped)
    if done.cut:
        notice("tag.cut", count=done.cut, limit=loaded.metadata.max_chars)
    if not done.reports and not done.unreadable:
        raise fail("tag.nothing")
    if done.unreadable:
        raise typer.Exit(2)


def _long_paragraphs(path: Path, limit: int) -> int:
    """Paragraphs of a written dataset longer than the model reads, read a batch or a line
    at a time (an archive can be large)."""
    if path.suffix == ".jsonl":
        with open(path, encoding="utf-8") as handle:
            return sum(len(json.loads(line)["text"]) > limit for line in handle if line.strip())
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return sum(len(row["text"]) > limit for row in csv.DictReader(handle))
    import pyarrow.compute as pc
    import pyarrow.dataset as pads

    batches = pads.dataset(path, format="parquet").to_batches(columns=["text"])
    return sum(pc.sum(pc.greater(pc.utf8_length(batch.column("text")), limit)).as_py() or 0
               for batch in batches)


def _archive(inputs: list[str], out: Path, fmt: Format, workers: int | None, engine: Engine,
             model: str | None, address: str | None, timeout_s: float | None) -> None:
    from gongkai.archive.errors import ArchiveError
    from gongkai.archive.plan import make_plan
    from gongkai.models.store import DEFAULT_MODELS, check_model, resolve

    if engine is Engine.ray and fmt is not Format.parquet:
        raise fail("tag.ray_parquet")
    if address is not None and engine is not Engine.ray:
        raise fail("tag.address_needs_ray")
    if STDIN in inputs:
        raise fail("tag.stdin_needs_stream")
    # Checked, not loaded: the workers load the model; the job needs only its metadata.
    with model_errors(model, Task.paragraph):
        metadata = check_model(model, Task.paragraph.value)
    plan = make_plan(inputs, skip=out)
    _note_skipped(plan.skipped)
    if not plan.units and not plan.errors:
        raise fail("tag.nothing")
    try:
        # A full, read-only or forbidden disk: one line; what was flushed stays for the rerun.
        with output_errors(out, "output.resume"):
            if engine is Engine.local:
                from gongkai.archive.local import run_local
                from gongkai.archive.state import job_of

                outcome = run_local(plan, out, fmt.value, workers or os.cpu_count() or 1,
                                    str(resolve(model, "paragraph").resolve()),
                                    job_of(metadata), timeout_s=timeout_s)
            else:
                from gongkai.archive.ray_engine import run_ray

                outcome = run_ray(plan, out, model or DEFAULT_MODELS["paragraph"], workers,
                                  address)
    except ArchiveError as exc:
        raise fail("archive.failed", detail=str(exc)) from None
    except KeyboardInterrupt:
        raise fail("tag.resume", 130) from None
    limit = metadata.max_chars
    cut = sum(_long_paragraphs(path, limit) for path in outcome.paths
              if path.name.partition(".")[0] == "paragraphs")
    if cut:
        notice("tag.cut", count=cut, limit=limit)
    done = {"count": outcome.skipped} if outcome.skipped else {}
    err_console.print(text("tag.done_before" if done else "tag.done", reports=outcome.reports,
                           errors=outcome.errors, paths=[str(p) for p in outcome.paths], **done),
                      highlight=False, markup=False)


def tag(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT", help="Report files, folders (read recursively), globs, zip "
        "archives; - reads one report from stdin. In folders, globs and zips, files that "
        "are not reports are skipped and counted.")],
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help="Folder for the datasets paragraphs, reports, cells and "
        "errors; resumable. Without it: JSON Lines of tagged paragraphs on stdout.")] = None,
    output_file: Annotated[Path | None, typer.Option(
        "--output", hidden=True, help="Without --out: a file for the JSON Lines "
        "(redirecting stdout does the same).")] = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", help="Dataset file format (default parquet).")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, metavar="N", help="Worker processes or Ray actors (default: the "
        "CPUs).")] = None,
    engine: Annotated[Engine | None, typer.Option(
        "--engine", help="local: worker processes; ray: Ray Data (default local).")] = None,
    model: Annotated[str | None, typer.Option(
        "--model", metavar="NAME", help="A model name under models/ or a model directory; "
        "default: the paragraph model.")] = None,
    address: Annotated[str | None, typer.Option(
        "--address", metavar="HOST:PORT", help="With --engine ray: the cluster to join "
        "(auto, head:6379).")] = None,
    report_timeout: Annotated[float, typer.Option(
        "--report-timeout", envvar=TIMEOUT_ENV, min=0, metavar="SECONDS",
        help="Longest time to read one report; a report that takes longer becomes an error "
        "(timeout). 0: no bound. Not applied by --engine ray.")] = DEFAULT_TIMEOUT_S,
    lang_: LangOption = None,
) -> None:
    """Tag every narrative paragraph of the reports with the paragraph model.

    Without --out: JSON Lines (report, source, section, index, text, labels, groups,
    scores, counts) on stdout; exit 2 when a file is unreadable or there is nothing to
    read. With --out DIR: datasets of paragraphs, reports, statistics cells and errors in
    DIR (a rerun resumes an interrupted job).
    """
    if out is None:
        extras = [flag for flag, value in [("--format", fmt), ("--workers", workers),
                                           ("--engine", engine), ("--address", address)]
                  if value is not None]
        if extras:
            raise fail("tag.needs_out", flags=extras)
        _stream(inputs, output_file, model, report_timeout or None)
        return
    if output_file is not None:
        raise fail("tag.output_or_out")
    _archive(inputs, out, fmt or Format.parquet, workers, engine or Engine.local, model,
             address, report_timeout or None)


def summarize(
    directory: Annotated[Path, typer.Argument(
        metavar="DIR", help="The --out folder of `gongkai tag`.")],
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help="Folder for the CSV files, charts and summary.html "
        "(default DIR/summary).")] = None,
    headers: Annotated[Headers, typer.Option(
        "--headers", help="CSV column headers: ids (stable, for programs) or names (in the "
        "--lang language, for people).")] = Headers.ids,
    lang_: LangOption = None,
) -> None:
    """Summarize a tagging output per agency and year: received, carried-over and disposed
    counts by group and leaf, shares, failed checks, narrative contradictions, outliers
    (over 5x year on year); CSV files, PNG charts and summary.html, one file with the
    tables and charts that can be sent by e-mail."""
    from gongkai.archive.errors import ArchiveError
    from gongkai.archive.summary import NothingToSummarize, write_summary

    target = out or directory / "summary"
    try:
        with output_errors(target):
            written = write_summary(directory, target, lang(),
                                    named_headers=headers is Headers.names)
    except NothingToSummarize:
        raise fail("summary.nothing", path=directory) from None
    except ArchiveError as exc:
        raise fail("archive.failed", detail=str(exc)) from None
    for path in written:
        print(path)
