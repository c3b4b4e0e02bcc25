"""``gongkai train``, ``evaluate`` and ``classify``: the models from the command line.

The model code is imported inside the commands so that ``gongkai report`` starts fast.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gongkai.cli.common import ModelOption, TaskOption, fail, load, notice
from gongkai.cli.render import print_paragraph, print_request
from gongkai.models.kinds import KINDS
from gongkai.models.task import Task

Kind = StrEnum("Kind", {name.replace("-", "_"): name for name in KINDS})
KIND_HELP = "; ".join(f"{name}: {kind.description}" for name, kind in KINDS.items())


def train(
    task: TaskOption,
    out: Annotated[Path | None, typer.Option(help="Model directory (default models/KIND-TASK).")]
    = None,
    kind: Annotated[Kind, typer.Option(help=f"{KIND_HELP}. The e5 kinds need the "
                                       "base-model extra.")] = Kind.tfidf,
    seed: Annotated[int, typer.Option(help="Seed of the split and the estimators.")] = 0,
    base_model: Annotated[Path | None, typer.Option(
        "--base-model", help="e5 kinds: a local Hugging Face encoder folder (default "
        "models/base/multilingual-e5-small, from `gongkai base-model prepare`); for e5-int8 "
        "also a trained e5 model folder, which is then exported instead of retrained; for "
        "ensemble the trained e5 or e5-int8 model folder to average with TF-IDF.")]
    = None,
    epochs: Annotated[int | None, typer.Option(
        min=1, help="e5 kinds: most fine-tuning epochs (early stopping may end sooner).")]
    = None,
    threads: Annotated[int | None, typer.Option(
        min=1, help="e5 kinds: torch threads while training (default: every usable core; "
        "pass 1 on a machine busy with other work).")] = None,
) -> None:
    """Train a model on the corpus, evaluate it on validation and test, save it.

    Prints the model directory and its metrics as JSON.
    """
    from gongkai.jsonl import InputError
    from gongkai.models.errors import ModelError
    from gongkai.training.train import train as train_model

    encoder = {"base_model": base_model, "epochs": epochs, "threads": threads}
    params = {key: value for key, value in encoder.items() if value is not None}
    if params and KINDS[kind.value].extra is None:
        notice(f"{', '.join('--' + key.replace('_', '-') for key in params)} concern the e5 "
               f"kinds; ignored for {kind.value}")
        params = {}
    try:
        model = train_model(task.value, kind=kind.value, seed=seed, out=out, **params)
    except ImportError as exc:
        raise fail(f"{exc.name or 'a library'} is missing: pip install 'gongkai[base-model]'"
                   ) from None
    except (InputError, ModelError) as exc:
        raise fail(str(exc)) from None
    metrics = {split: {k: v for k, v in values.items() if k != "per_label"}
               if isinstance(values, dict) else values
               for split, values in model.metadata.metrics.items()}
    print(json.dumps({"model": model.name, "metrics": metrics}, ensure_ascii=False, indent=2))


def evaluate(
    task: TaskOption,
    model: ModelOption = None,
    data: Annotated[Path | None, typer.Option(
        help="Labelled JSON Lines in the corpus format; default: the corpus test split.")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Folder for metrics.json and confusion.png (default models/NAME/eval/).")] = None,
) -> None:
    """Evaluate a model; prints the metrics JSON, writes metrics.json and confusion.png."""
    from gongkai.jsonl import InputError
    from gongkai.models.store import resolve
    from gongkai.training.corpus import corpus_path, file_sha256, load_corpus, read_labelled
    from gongkai.training.evaluate import evaluate as evaluate_model
    from gongkai.training.evaluate import write_report

    loaded = load(model, task)
    try:
        if data is not None:
            rows = read_labelled(data, task.value)
        else:
            if loaded.metadata.corpus_sha256 != file_sha256(corpus_path(task.value)):
                notice("the corpus changed since this model was trained; its test split may "
                       "overlap the new one")
            rows = list(load_corpus(task.value, seed=loaded.metadata.seed)["test"])
    except InputError as exc:
        raise fail(str(exc)) from None
    if not rows:
        raise fail(f"{data}: no labelled rows")
    metrics = evaluate_model(loaded, rows)
    target = out or resolve(model, task.value) / "eval"
    write_report(metrics, target, f"{loaded.name} on {data.name if data else 'test split'}")
    print(json.dumps(metrics, ensure_ascii=False, indent=2))


def classify(
    text: Annotated[str | None, typer.Argument(help="One text to classify (prints a readable "
                                               "answer).")] = None,
    task: TaskOption = Task.request,
    record: Annotated[str | None, typer.Option(
        "--record", help="With TEXT: the request's case record (补正 and the answer, fee "
        "notices, an earlier answer); without it a record at the end of TEXT is split off.")]
    = None,
    input_file: Annotated[Path | None, typer.Option(
        "--input", help="JSON Lines, each with id and text (and optionally record).")] = None,
    output: Annotated[Path | None, typer.Option(
        help="JSON Lines out: each input id with its prediction.")] = None,
    model: ModelOption = None,
    top_k: Annotated[int, typer.Option(min=1, help="How many alternatives to list.")] = 3,
) -> None:
    """Classify a request or tag a report paragraph: one TEXT, or --input/--output JSON Lines.

    A request gets its disposition, group, score, legal basis, top alternatives and the
    words that led there, and — when its leading labels are facts of the case file and no
    record came — needs_record with the question to settle; a paragraph its labels,
    groups, scores and stated figures.
    """
    from gongkai.jsonl import InputError, read_jsonl, require_text, write_jsonl

    if (text is None) == (input_file is None):
        raise fail("give either one TEXT or --input FILE (with --output FILE)")
    if record is not None and text is None:
        raise fail("--record goes with one TEXT; in --input give each line a record field")
    if input_file is not None:
        if output is None:
            raise fail("--input needs --output")
        try:
            rows = read_jsonl(input_file)
            for row in rows:
                if "id" not in row:
                    raise InputError(f"{input_file}:{row['_line']}: missing 'id'")
                require_text(row, input_file)
        except InputError as exc:
            raise fail(str(exc)) from None
        loaded = load(model, task)
        records = [row.get("record") if isinstance(row.get("record"), str) else None
                   for row in rows]
        predictions = loaded.classify([row["text"] for row in rows], records, top_k=top_k,
                                      explain=True)
        count = write_jsonl(output, ({"id": row["id"], **asdict(prediction)}
                                     for row, prediction in zip(rows, predictions, strict=True)))
        notice(f"{count} texts classified → {output}")
        return
    if not text.strip():
        raise fail("the text is empty")
    loaded = load(model, task)
    if not re.search(r"[\u4e00-\u9fff]", text):
        notice("the text has no Chinese characters; the answer below is a guess")
    if len(text) > loaded.metadata.max_chars:
        notice(f"the text is cut to its first {loaded.metadata.max_chars} characters")
    prediction = loaded.classify([text], [record], top_k=top_k, explain=True)[0]
    show = print_request if task is Task.request else print_paragraph
    show(prediction, loaded.taxonomy)
