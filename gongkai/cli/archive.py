"""``gongkai tag`` and ``gongkai summarize``: archives of reports.

Heavy imports (the model, Ray) happen inside the commands so that the rest of the
command line starts fast.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gongkai.cli.common import err_console, fail, load
from gongkai.models.task import Task


class Format(StrEnum):
    parquet = "parquet"
    jsonl = "jsonl"
    csv = "csv"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


def _stream(inputs: list[str], output: Path | None, model: str | None) -> None:
    from gongkai.archive.stream import stream_tags

    loaded = load(model, Task.paragraph)

    def error(source: str, message: str) -> None:
        err_console.print(f"[red]error:[/red] {source}: {message}", highlight=False)

    if output is None:
        unreadable = stream_tags(inputs, loaded, sys.stdout, error)
    else:
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            unreadable = stream_tags(inputs, loaded, handle, error)
    if unreadable:
        raise typer.Exit(2)


def _archive(inputs: list[str], out: Path, fmt: Format, workers: int | None, engine: Engine,
             model: str | None, address: str | None) -> None:
    from gongkai.archive.errors import ArchiveError
    from gongkai.archive.plan import make_plan
    from gongkai.models.store import DEFAULT_MODELS, resolve

    if engine is Engine.ray and fmt is not Format.parquet:
        raise fail("the ray engine writes Parquet only")
    if address is not None and engine is not Engine.ray:
        raise fail("--address is for --engine ray")
    loaded = load(model, Task.paragraph)
    plan = make_plan(inputs, skip=out)
    if not plan.units and not plan.errors:
        raise fail("the inputs name no files")
    try:
        if engine is Engine.local:
            from gongkai.archive.local import run_local
            from gongkai.archive.state import job_of

            outcome = run_local(plan, out, fmt.value, workers or os.cpu_count() or 1,
                                str(resolve(model, "paragraph").resolve()), job_of(loaded))
        else:
            from gongkai.archive.ray_engine import run_ray

            outcome = run_ray(plan, out, model or DEFAULT_MODELS["paragraph"], workers, address)
    except ArchiveError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted; run the same command again to resume", 130) from None
    done = f" ({outcome.skipped} done before)" if outcome.skipped else ""
    err_console.print(f"{outcome.reports} reports{done}, {outcome.errors} errors → "
                      f"{', '.join(str(path) for path in outcome.paths)}", highlight=False)


def tag(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT", help="Report files, folders (read recursively), globs, zip "
        "archives.")],
    out: Annotated[Path | None, typer.Option(
        "--out", help="Folder for the datasets paragraphs, reports, cells and errors; "
        "resumable. Without it: JSON Lines of tagged paragraphs.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", help="Without --out: JSON Lines file (default: stdout).")] = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", help="Dataset file format (default parquet).")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Worker processes or Ray actors (default: the CPUs).")] = None,
    engine: Annotated[Engine | None, typer.Option(
        "--engine", help="local: worker processes; ray: Ray Data (default local).")] = None,
    model: Annotated[str | None, typer.Option(
        "--model", help="A model name under models/ or a model directory; default: the "
        "paragraph model.")] = None,
    address: Annotated[str | None, typer.Option(
        "--address", help="With --engine ray: the cluster to join (auto, head:6379).")]
    = None,
) -> None:
    """Tag every narrative paragraph of the reports with the paragraph model.

    With --out DIR: datasets of paragraphs, reports, statistics cells and errors in DIR
    (a rerun resumes an interrupted job). Without: JSON Lines (report, source, section,
    index, text, labels, groups, scores, counts) on stdout or --output; exit 2 when a
    file is unreadable.
    """
    if out is None:
        extras = [flag for flag, value in [("--format", fmt), ("--workers", workers),
                                           ("--engine", engine), ("--address", address)]
                  if value is not None]
        if extras:
            raise fail(f"{', '.join(extras)} need --out DIR")
        _stream(inputs, output, model)
        return
    if output is not None:
        raise fail("--output is the JSON Lines file without --out; give one of them")
    _archive(inputs, out, fmt or Format.parquet, workers, engine or Engine.local, model,
             address)


def summarize(
    directory: Annotated[Path, typer.Argument(
        metavar="DIR", help="The --out folder of `gongkai tag`.")],
    out: Annotated[Path | None, typer.Option(
        "--out", help="Folder for the CSV files and charts (default DIR/summary).")] = None,
) -> None:
    """Summarize a tagging output per agency and year: received, carried-over and disposed
    counts by group and leaf, shares, failed checks, narrative contradictions, outliers
    (over 5x year on year); CSV files and PNG charts."""
    from gongkai.archive.errors import ArchiveError
    from gongkai.archive.summary import write_summary

    try:
        written = write_summary(directory, out or directory / "summary")
    except ArchiveError as exc:
        raise fail(str(exc)) from None
    for path in written:
        print(path)
