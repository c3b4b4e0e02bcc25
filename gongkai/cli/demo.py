"""``gongkai demo``: the main job on the bundled samples."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape

from gongkai.cli.common import console, emit, fail, lang, model_errors, notice, text
from gongkai.cli.conventions import LangOption
from gongkai.cli.render import print_report
from gongkai.models.task import Task
from gongkai.resources import data_path
from gongkai.taxonomy import load_taxonomy


def demo(lang_: LangOption = None) -> None:
    """Run the main job on the bundled samples, offline: read both sample reports and print
    their statistics table 三 with every arithmetic check (one sample fails on purpose, and
    the failing cells are named with both figures); tag each narrative paragraph with the
    paragraph model and the figures it states; classify the eight sample requests with
    disposition, confidence and legal basis. A default model that is missing is trained
    first (about 15 s each), and the demo says so."""
    samples = sorted(data_path("samples").glob("*.txt"))
    if not samples:
        raise fail("demo.no_samples", path=data_path("samples"))
    from gongkai.reader import read_report

    taxonomy = load_taxonomy()
    for path in samples:
        print_report(read_report(path, taxonomy=taxonomy), taxonomy, lang())
        console.rule()
    _tag_samples(samples)
    _classify_samples(data_path("samples", "requests.jsonl"))


def default_model(task: Task):
    """The task's default model, trained first when it is missing."""
    from gongkai.models.errors import ModelError
    from gongkai.models.store import load_model, resolve
    from gongkai.training.train import train

    directory = resolve(None, task.value)
    if not directory.exists():
        notice("model.training_default", task=task.value, path=directory)
        try:
            train(task.value, out=directory)
        except ModelError as exc:
            raise fail("model.unusable", detail=str(exc)) from None
    with model_errors(None, task):
        return load_model(None, task.value)


def _tag_samples(samples: list[Path]) -> None:
    from gongkai.models.tagging import tag_paragraphs
    from gongkai.reader import read_report

    taxonomy = load_taxonomy()
    tagger = default_model(Task.paragraph)
    for path in samples:
        report = read_report(path, taxonomy=taxonomy)
        emit(f"[bold]{escape(text('demo.tagged', name=path.name))}[/bold]")
        for paragraph in tag_paragraphs(report.paragraphs, tagger):
            if paragraph.labels:
                excerpt = paragraph.text[:40] + ("…" if len(paragraph.text) > 40 else "")
                emit(f"  {paragraph.section or '-'}.{paragraph.index}  "
                     f"[cyan]{', '.join(paragraph.labels)}[/cyan]  {escape(excerpt)}")
    console.rule()


def _classify_samples(requests_file: Path) -> None:
    from gongkai.jsonl import InputError, read_jsonl

    try:
        rows = [row for row in read_jsonl(requests_file) if str(row.get("text", "")).strip()]
    except InputError:
        return
    taxonomy = load_taxonomy()
    classifier = default_model(Task.request)
    emit(f"[bold]{text('demo.requests')}[/bold]")
    predictions = classifier.classify([row["text"] for row in rows])
    for row, prediction in zip(rows, predictions, strict=True):
        label = prediction.label
        emit(f"  {row.get('id', '-')}  [cyan]{label}[/cyan] {taxonomy.name(label)} "
             f"{prediction.score:.2f}  {escape(prediction.legal_basis)}\n"
             f"    {escape(row['text'][:60])}")
