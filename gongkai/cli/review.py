"""``gongkai review export | config | import``: the human review loop from the command line.

Predictions go out as Label Studio tasks, the labels people give come back into the
corrections store, and ``gongkai train`` learns from them. The review code is imported
inside the commands so that ``gongkai --help`` starts fast.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gongkai.cli.common import ModelOption, TaskOption, err_console, fail, lang, model_errors
from gongkai.cli.conventions import LangOption
from gongkai.cli.inputs import label, output, read_bytes, read_rows
from gongkai.models.task import Task
from gongkai.review.select import Strategy

if TYPE_CHECKING:
    from gongkai.review.imports import Parsed

review_app = typer.Typer(
    help="The human review loop: predictions to Label Studio, corrections back for training.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None)

StoreOption = Annotated[str | None, typer.Option(
    "--store", metavar="URL", help="The corrections store (default GONGKAI_CORRECTIONS_URL, "
    "else sqlite:///$GONGKAI_HOME/corrections.sqlite3).")]
_SAY = {
    "exported": ("已选出 {count} 条送审（{reasons}），写入 {out}",
                 "{count} items chosen for review ({reasons}), written to {out}"),
    "imported": ("新增 {added} 条更正，{unchanged} 条已有；存于 {store}",
                 "{added} corrections added, {unchanged} already stored; in {store}"),
    "conflicts": ("{count} 条文本的标注人意见不一，已记录但不用于训练，请复核：{ids}",
                  "{count} texts have annotators who disagree; kept, not trained on, "
                  "settle them: {ids}"),
}


def _say(key: str, **values: Any) -> None:
    zh, en = _SAY[key]
    err_console.print((en if lang() == "en" else zh).format(**values), highlight=False,
                      markup=False)


def _predictions(path: str, task: Task) -> list[dict]:
    """Rows of a ``classify``/``tag`` output, or the paragraphs of a ``tag --out`` folder."""
    if Path(path).is_dir():
        from gongkai.archive.errors import ArchiveError
        from gongkai.archive.formats import read_dataset

        if task is not Task.paragraph:
            raise fail("input.other", detail=f"{path} 是标注输出文件夹，只用于 --task paragraph")
        try:
            return read_dataset(Path(path), "paragraphs")
        except (ArchiveError, OSError) as exc:
            raise fail("input.other", detail=str(exc)) from None
    return read_rows(path)


def _version(name: str | None, task: Task) -> str:
    """The version of the model that made the predictions, from its metadata."""
    from gongkai.models.base import read_metadata
    from gongkai.models.store import resolve

    with model_errors(name, task):
        return read_metadata(resolve(name, task.value)).version


def config(
    task: TaskOption,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="FILE", help="Where to write the XML (default: stdout).")] = None,
    lang_: LangOption = None,
) -> None:
    """Write the Label Studio labelling config for TASK, generated from the taxonomy.

    Choices are grouped by disposition group with the legal basis on hover: one choice
    for a request, several (or a group alone) for a paragraph.
    """
    from gongkai.review.studio import label_config

    with output(out) as handle:
        handle.write(label_config(task.value))


def export(
    predictions: Annotated[str, typer.Argument(
        metavar="PREDICTIONS", help="JSON Lines from `gongkai classify --input` or "
        "`gongkai tag`, or a `gongkai tag --out` folder.")],
    task: TaskOption,
    input_file: Annotated[str | None, typer.Option(
        "--input", metavar="FILE", help="The classify input (id, text, record): classify "
        "output does not repeat the texts.")] = None,
    compare: Annotated[str | None, typer.Option(
        "--compare", metavar="FILE", help="A second model's predictions of the same ids; "
        "where the two differ the item is reviewed first.")] = None,
    model: ModelOption = None,
    compare_model: Annotated[str | None, typer.Option(
        "--compare-model", metavar="NAME", help="The model that made --compare.")] = None,
    limit: Annotated[int, typer.Option(min=1, metavar="N", help="Most items.")] = 200,
    strategy: Annotated[Strategy, typer.Option(
        help="margin: smallest gap between the first two scores; entropy: most spread "
        "scores.")] = Strategy.margin,
    audit: Annotated[float, typer.Option(
        min=0.0, max=1.0, metavar="SHARE", help="Share of the items drawn at random from "
        "the rest, to see how often the model is confidently wrong.")] = 0.1,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed of the audit draw.")] = 0,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="FILE", help="Label Studio tasks (JSON) to import into the project "
        "(default: stdout).")] = None,
    lang_: LangOption = None,
) -> None:
    """Pick the predictions to review and write them as pre-annotated Label Studio tasks.

    First where two models disagree, then requests waiting for their case record, then
    the least certain, and a seeded random audit of the rest.
    """
    from gongkai.review.items import ReviewError, review_items
    from gongkai.review.select import select
    from gongkai.review.studio import tasks

    rows = _predictions(predictions, task)
    texts = {str(row.get("id")): row for row in read_rows(input_file)} if input_file else None
    other = read_rows(compare) if compare else None
    try:
        items = review_items(rows, task.value, texts, _version(model, task), other,
                             _version(compare_model, task) if compare else "")
    except ReviewError as exc:
        raise fail("input.other", detail=str(exc)) from None
    chosen = select(items, limit, strategy, audit, seed)
    with output(out) as handle:
        json.dump(tasks(chosen), handle, ensure_ascii=False, indent=1)
    reasons: dict[str, int] = {}
    for selected in chosen:
        reasons[selected.reasons[0]] = reasons.get(selected.reasons[0], 0) + 1
    _say("exported", count=len(chosen), out=out or "stdout",
         reasons=", ".join(f"{reason} {count}" for reason, count in reasons.items()))


def _parsed(path: str, task: Task | None, annotator: str | None) -> Parsed:
    """Corrections read from one file: a Label Studio export (.json), JSON Lines or CSV."""
    from gongkai.review.imports import from_label_studio, from_rows

    if path.endswith(".json"):
        try:
            return from_label_studio(json.loads(read_bytes(path)), task and task.value)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise fail("input.other", detail=f"{label(path)}：不是有效的 JSON") from None
    if task is None:
        raise fail("input.other", detail=f"{label(path)}：JSON Lines 和 CSV 要用 --task 说明任务")
    if path.endswith(".csv"):
        try:
            rows = list(csv.DictReader(io.StringIO(read_bytes(path).decode("utf-8-sig"))))
        except UnicodeDecodeError:
            raise fail("input.not_utf8", path=label(path)) from None
        return from_rows(rows, task.value, "csv", annotator)
    return from_rows(read_rows(path), task.value, "jsonl", annotator)


def import_(
    files: Annotated[list[str], typer.Argument(
        metavar="FILE", help="Label Studio JSON exports (.json), or JSON Lines / CSV with "
        "id, text, label (or labels), annotator.")],
    task: Annotated[Task | None, typer.Option(
        "--task", help="For JSON Lines and CSV: request or paragraph.")] = None,
    annotator: Annotated[str | None, typer.Option(
        metavar="NAME", help="Who labelled rows that do not say.")] = None,
    store: StoreOption = None,
    lang_: LangOption = None,
) -> None:
    """Read labels people gave into the corrections store; prints what happened as JSON.

    Importing the same file again adds nothing. Where annotators disagree on a text the
    disagreement is listed, not settled; training leaves that text out until it is.
    """
    from gongkai.corrections import CorrectionError, CorrectionStore
    from gongkai.review.items import ReviewError

    try:
        parsed = [_parsed(path, task, annotator) for path in files]
        opened = CorrectionStore(store)
        added = opened.add(c for p in parsed for c in p.corrections)
    except (ReviewError, CorrectionError) as exc:
        raise fail("input.other", detail=str(exc)) from None
    except OSError as exc:
        raise fail("cli.write_failed", path=store or "corrections", reason=str(exc)) from None
    touched = {c.text_hash for p in parsed for c in p.corrections}
    tasks = sorted({c.task for p in parsed for c in p.corrections})
    conflicts = [conflict for name in tasks for conflict in opened.resolve(name).conflicts
                 if conflict.text_hash in touched]
    print(json.dumps({
        "store": opened.url, "read": sum(len(p.corrections) for p in parsed),
        "added": added.added, "unchanged": added.unchanged,
        "cancelled": sum(p.cancelled for p in parsed),
        "unannotated": sum(p.unannotated for p in parsed),
        "conflicts": [conflict.as_dict() for conflict in conflicts]},
        ensure_ascii=False, indent=2))
    _say("imported", added=added.added, unchanged=added.unchanged, store=opened.url)
    if conflicts:
        _say("conflicts", count=len(conflicts),
             ids=", ".join(i for conflict in conflicts for i in conflict.item_ids))


_EXAMPLES = {
    "export": ("gongkai review export predicted.jsonl --task request --input requests.jsonl "
               "--out tasks.json",
               "gongkai review export tagged/ --task paragraph --limit 100 --audit 0.2 "
               "--out tasks.json",
               "gongkai review export a.jsonl --task request --input in.jsonl --compare b.jsonl "
               "--compare-model e5-request"),
    "config": ("gongkai review config --task request --out request.xml",),
    "import": ("gongkai review import project-1-export.json",
               "gongkai review import labels.csv --task request --annotator 张三",
               "gongkai review import export.json --store sqlite:////srv/gongkai/corrections.db"),
}


def _epilog(command: str) -> str:
    """The examples as a ``--help`` epilog, as every other command shows them."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in _EXAMPLES[command])


review_app.command(epilog=_epilog("config"))(config)
review_app.command(epilog=_epilog("export"))(export)
review_app.command("import", epilog=_epilog("import"))(import_)
