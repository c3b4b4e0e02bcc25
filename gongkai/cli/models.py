"""``gongkai train`` and ``evaluate``: models from the command line.

The model code is imported inside the commands so that ``gongkai report`` starts fast.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gongkai.cli.common import ModelOption, TaskOption, fail, load, notice
from gongkai.cli.conventions import LangOption
from gongkai.models.kinds import KINDS

Kind = StrEnum("Kind", {name.replace("-", "_"): name for name in KINDS})
KIND_HELP = "; ".join(f"{name}: {kind.description}" for name, kind in KINDS.items())


def train(
    task: TaskOption,
    out: Annotated[Path | None, typer.Option(
        metavar="DIR", help="Model directory (default models/KIND-TASK).")] = None,
    kind: Annotated[Kind, typer.Option(help=f"{KIND_HELP}. The e5 kinds need the "
                                       "base-model extra.")] = Kind.tfidf,
    seed: Annotated[int, typer.Option(
        metavar="N", help="Seed of the split and the estimators.")] = 0,
    base_model: Annotated[Path | None, typer.Option(
        "--base-model", metavar="DIR", help="e5 kinds: a local Hugging Face encoder folder "
        "(default models/base/multilingual-e5-small, from `gongkai base-model prepare`); for "
        "e5-int8 also a trained e5 model folder, which is then exported instead of retrained; "
        "for ensemble the trained e5 or e5-int8 model folder to average with TF-IDF.")]
    = None,
    epochs: Annotated[int | None, typer.Option(
        min=1, metavar="N", help="e5 kinds: most fine-tuning epochs (early stopping may end "
        "sooner).")] = None,
    threads: Annotated[int | None, typer.Option(
        min=1, metavar="N", help="e5 kinds: torch threads while training (default: every "
        "usable core; pass 1 on a machine busy with other work).")] = None,
    corrections: Annotated[str | None, typer.Option(
        "--corrections", metavar="URL", help="The corrections store to learn from (default: "
        "GONGKAI_CORRECTIONS_URL, else sqlite:///$GONGKAI_HOME/corrections.sqlite3, when it "
        "exists). A correction wins over the corpus label of the same text.")] = None,
    no_corrections: Annotated[bool, typer.Option(
        "--no-corrections", help="Train on the corpus alone.")] = False,
    lang_: LangOption = None,
) -> None:
    """Train a model on the corpus, evaluate it on validation and test, save it.

    Prints the model directory and its metrics as JSON.
    """
    from gongkai.corrections import CorrectionError, CorrectionStore, existing_store
    from gongkai.jsonl import InputError
    from gongkai.models.errors import ModelError
    from gongkai.training.train import train as train_model

    encoder = {"base_model": base_model, "epochs": epochs, "threads": threads}
    params = {key: value for key, value in encoder.items() if value is not None}
    if params and KINDS[kind.value].extra is None:
        notice("model.e5_options_ignored", kind=kind.value,
               options=["--" + key.replace("_", "-") for key in params])
        params = {}
    try:
        store = None if no_corrections else (
            CorrectionStore(corrections) if corrections else existing_store())
    except CorrectionError as exc:
        raise fail("input.other", detail=str(exc)) from None
    try:
        model = train_model(task.value, kind=kind.value, seed=seed, out=out,
                            corrections=store, **params)
    except ImportError as exc:
        raise fail("cli.missing_extra", module=exc.name or "torch", extra="base-model") from None
    except InputError as exc:
        raise fail("input.other", detail=str(exc)) from None
    except ModelError as exc:
        raise fail("model.unusable", detail=str(exc)) from None
    metrics = {split: {k: v for k, v in values.items() if k != "per_label"}
               if isinstance(values, dict) else values
               for split, values in model.metadata.metrics.items()}
    print(json.dumps({"model": model.name, "revision": model.metadata.revision,
                      "corrections": model.metadata.corrections,
                      "change": (model.metadata.changelog or [None])[-1],
                      "metrics": metrics}, ensure_ascii=False, indent=2))


def evaluate(
    task: TaskOption,
    model: ModelOption = None,
    data: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Labelled JSON Lines in the corpus format; default: the corpus "
        "test split.")] = None,
    out: Annotated[Path | None, typer.Option(
        metavar="DIR", help="Folder for metrics.json and confusion.png (default "
        "models/NAME/eval/).")] = None,
    lang_: LangOption = None,
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
                notice("model.corpus_changed")
            rows = list(load_corpus(task.value, seed=loaded.metadata.seed)["test"])
    except InputError as exc:
        raise fail("input.other", detail=str(exc)) from None
    if not rows:
        raise fail("model.no_rows", path=data)
    metrics = evaluate_model(loaded, rows)
    target = out or resolve(model, task.value) / "eval"
    write_report(metrics, target, f"{loaded.name} on {data.name if data else 'test split'}")
    print(json.dumps(metrics, ensure_ascii=False, indent=2))
