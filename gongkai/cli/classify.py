"""``gongkai classify``: one text answered readably (or as JSON), or JSON Lines in and out.

The model code is imported inside the command so that ``gongkai report`` starts fast.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from gongkai.cli.common import ModelOption, TaskOption, fail, lang, load, notice, text
from gongkai.cli.conventions import LangOption
from gongkai.cli.inputs import STDIN, label, output, read_rows, read_stdin_text
from gongkai.cli.render import print_paragraph, print_request
from gongkai.models.task import Task

_CHINESE = re.compile(r"[\u4e00-\u9fff]")
SHOWN_IDS = 10  # ids a truncation note lists before it says …


def _checked(rows: list[dict], where: str) -> list[dict]:
    """Every row has an id and a non-empty text; exit 2 naming the first that has not."""
    for row in rows:
        if "id" not in row:
            raise fail("input.no_id", path=where, line=row["_line"])
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            raise fail("input.no_text", path=where, line=row["_line"])
    return rows


def _note_cuts(rows: list[dict], records: list[str | None], limit: int) -> None:
    """Say which inputs the model reads only the beginning of."""
    ids = [str(row["id"]) for row, record in zip(rows, records, strict=True)
           if len(row["text"]) > limit or len(record or "") > limit]
    if ids:
        shown = ids if len(ids) <= SHOWN_IDS else [*ids[:SHOWN_IDS], "…"]
        notice("classify.cut_rows", count=len(ids), limit=limit, ids=shown)


def _classify_lines(input_file: str, output_file: Path | None, task: Task, model: str | None,
                    top_k: int) -> None:
    rows = _checked(read_rows(input_file), label(input_file))
    loaded = load(model, task)
    records = [row.get("record") if isinstance(row.get("record"), str) else None
               for row in rows]
    _note_cuts(rows, records, loaded.metadata.max_chars)
    predictions = loaded.classify([row["text"] for row in rows], records, top_k=top_k,
                                  explain=True)
    with output(output_file) as handle:
        for row, prediction in zip(rows, predictions, strict=True):
            handle.write(json.dumps({"id": row["id"], **asdict(prediction)},
                                    ensure_ascii=False) + "\n")
    notice("classify.done", count=len(rows),
           output=output_file if output_file else text("cli.stdout"))


def _classify_one(content: str, record: str | None, task: Task, model: str | None, top_k: int,
                  as_json: bool) -> None:
    if content == STDIN:
        content = read_stdin_text()
    if not content.strip():
        raise fail("classify.empty")
    loaded = load(model, task)
    limit = loaded.metadata.max_chars
    if not _CHINESE.search(content):
        notice("classify.no_chinese")
    if len(content) > limit:
        notice("classify.cut", limit=limit)
    if record is not None and len(record) > limit:
        notice("classify.record_cut", limit=limit)
    prediction = loaded.classify([content], [record], top_k=top_k, explain=True)[0]
    if as_json:
        print(json.dumps(asdict(prediction), ensure_ascii=False))
        return
    show = print_request if task is Task.request else print_paragraph
    show(prediction, loaded.taxonomy, lang())


def classify(
    text: Annotated[str | None, typer.Argument(
        metavar="TEXT", help="One text to classify (a readable answer); - reads it from "
        "stdin.")] = None,
    task: TaskOption = Task.request,
    record: Annotated[str | None, typer.Option(
        "--record", metavar="TEXT", help="With TEXT: the request's case record (补正 and the "
        "answer, fee notices, an earlier answer); without it a record at the end of TEXT is "
        "split off.")] = None,
    input_file: Annotated[str | None, typer.Option(
        "--input", metavar="FILE", help="JSON Lines, each with id and text (and optionally "
        "record); - reads stdin.")] = None,
    output_file: Annotated[Path | None, typer.Option(
        "--output", metavar="FILE", help="With --input: the JSON Lines file to write "
        "(default: stdout), each input id with its prediction.")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="With TEXT: print the prediction as one JSON object.")] = False,
    model: ModelOption = None,
    top_k: Annotated[int, typer.Option(min=1, metavar="N",
                                       help="How many alternatives to list.")] = 3,
    lang_: LangOption = None,
) -> None:
    """Classify a request or tag a report paragraph: one TEXT, or --input JSON Lines.

    A request gets its disposition, group, score, legal basis with what the article says,
    top alternatives and the words that led there, and — when its leading labels are facts
    of the case file and no record came — needs_record with the question to settle; a
    paragraph its labels, groups, scores and stated figures. Texts over the model's limit
    are cut, and a note says so.
    """
    if (text is None) == (input_file is None):
        raise fail("classify.text_or_input")
    if input_file is not None:
        if record is not None:
            raise fail("classify.record_needs_text")
        _classify_lines(input_file, output_file, task, model, top_k)
        return
    if output_file is not None:
        raise fail("classify.output_needs_input")
    _classify_one(text or "", record, task, model, top_k, as_json)
