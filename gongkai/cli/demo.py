"""``gongkai demo``: the main job on the bundled samples."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape

from gongkai.cli.common import console, fail, notice, say
from gongkai.cli.render import print_report
from gongkai.models.task import Task
from gongkai.reader import read_report
from gongkai.resources import data_path
from gongkai.taxonomy import load_taxonomy


def demo() -> None:
    """The main job on the bundled samples: read each sample report and print its checked
    table, tag its paragraphs, classify the sample requests. A default model that is
    missing is trained first (about 15 s), and the demo says so."""
    samples = sorted(data_path("samples").glob("*.txt"))
    if not samples:
        raise fail(f"no sample reports in {data_path('samples')}")
    taxonomy = load_taxonomy()
    for path in samples:
        print_report(read_report(path, taxonomy=taxonomy), taxonomy, console)
        console.rule()
    _tag_samples(samples)
    _classify_samples(data_path("samples", "requests.jsonl"))


def default_model(task: Task):
    """The task's default model, trained first when it is missing."""
    from gongkai.models.errors import ModelError
    from gongkai.models.store import load_model, resolve
    from gongkai.training.train import train

    directory = resolve(None, task.value)
    try:
        if not directory.exists():
            notice(f"no {task.value} model at {directory}; training the default one first "
                   f"(gongkai train --task {task.value})")
            train(task.value, out=directory)
        return load_model(None, task.value)
    except ModelError as exc:
        raise fail(str(exc)) from None


def _tag_samples(samples: list[Path]) -> None:
    from gongkai.models.tagging import tag_paragraphs

    taxonomy = load_taxonomy()
    tagger = default_model(Task.paragraph)
    for path in samples:
        report = read_report(path, taxonomy=taxonomy)
        say(f"[bold]{path.name}[/bold]: tagged paragraphs")
        for paragraph in tag_paragraphs(report.paragraphs, tagger):
            if paragraph.labels:
                text = paragraph.text
                excerpt = escape(text[:40] + ("…" if len(text) > 40 else ""))
                say(f"  {paragraph.section or '-'}.{paragraph.index}  "
                    f"[cyan]{', '.join(paragraph.labels)}[/cyan]  {excerpt}")
    console.rule()


def _classify_samples(requests_file: Path) -> None:
    from gongkai.jsonl import InputError, read_jsonl

    try:
        rows = [row for row in read_jsonl(requests_file) if str(row.get("text", "")).strip()]
    except InputError:
        return
    taxonomy = load_taxonomy()
    classifier = default_model(Task.request)
    say("[bold]sample requests[/bold]")
    predictions = classifier.classify([row["text"] for row in rows])
    for row, prediction in zip(rows, predictions, strict=True):
        label = prediction.label
        say(f"  {row.get('id', '-')}  [cyan]{label}[/cyan] {taxonomy.name(label)} "
            f"{prediction.score:.2f}  {prediction.legal_basis}\n"
            f"    {escape(row['text'][:60])}")
