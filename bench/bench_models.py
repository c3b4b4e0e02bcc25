"""Every model side by side on the corpus test split (writers held out of training), the
in-house development set and the frozen evaluation set.

    python bench/bench_models.py              # reuse models/KIND-TASK trained on this corpus
    python bench/bench_models.py --retrain    # train every model again first

Models: the keyword rules, TF-IDF, frozen e5 embeddings + LR, fine-tuned e5 (torch
float32) and the same exported to ONNX int8. A missing model is trained into
``models/KIND-TASK`` (the e5 kinds need ``gongkai base-model prepare`` first; the int8
model is exported from ``models/e5-TASK``). Prints three Markdown tables, the corpus test
split, ``data/dev`` and ``data/eval``: leaf macro-F1, group accuracy, paragraph micro-F1, ECE,
training minutes, texts/s on this machine's cores, the speed as a share of TF-IDF's
measured in the same run, and the size on disk.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from gongkai.models.base import DispositionModel
from gongkai.models.store import model_dir
from gongkai.resources import data_path
from gongkai.training.corpus import (
    corpus_path,
    file_sha256,
    load_corpus,
    near_duplicate_rate,
    read_labelled,
)
from gongkai.training.evaluate import evaluate
from gongkai.training.train import train

KINDS = ("rules", "tfidf", "e5-lr", "e5", "e5-int8")
HELD_OUT_SETS = {"dev set": "dev", "eval set": "eval"}
MIN_SECONDS = 1.0
HEADER = ("| model | task | texts | leaf macro-F1 | group acc. | paragraph micro-F1 | ECE "
          "| train min | texts/s | speed / TF-IDF | size MB |")


def throughput(run: Callable[[Sequence[str]], object], texts: Sequence[str]) -> float:
    """Texts per second of ``run`` over ``texts``, repeated for at least a second."""
    run(texts[:8])  # warm up: caches, lazy initialisation
    rounds, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < MIN_SECONDS or rounds == 0:
        run(texts)
        rounds += 1
    return rounds * len(texts) / elapsed


def size_mb(folder: Path) -> float:
    """The model's files (not its ``eval/`` reports)."""
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 2**20


def train_minutes(model: DispositionModel) -> float:
    """Training time; an exported model adds the time of the model it was exported from."""
    seconds = model.metadata.metrics["train_seconds"]
    source = model.metadata.encoder.get("source_model", {})
    return (seconds + (source.get("train_seconds") or 0.0)) / 60


def stale(folder: Path, task: str) -> bool:
    """Missing, or trained on another version of the corpus (its test split differs)."""
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return metadata.get("corpus_sha256") != file_sha256(corpus_path(task))


def obtain(kind: str, task: str, retrain: bool) -> DispositionModel:
    folder = model_dir(f"{kind}-{task}")
    if retrain or stale(folder, task):
        print(f"training {folder}", flush=True)
        params = {"base_model": model_dir(f"e5-{task}")} if kind == "e5-int8" else {}
        train(task, kind=kind, out=folder, **params)
    return DispositionModel.load(folder)


def size_cell(megabytes: float) -> str:
    return f"{megabytes:.1f}" if megabytes >= 0.1 else "<0.1"


def cell(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def row(model: DispositionModel, task: str, rows: list[dict], speed: float,
        baseline: float) -> str:
    metrics = evaluate(model, rows)
    group = metrics.get("group_accuracy", metrics.get("group_micro_f1"))
    return (f"| {model.name} | {task} | {len(rows)} | {cell(metrics['macro_f1'])} "
            f"| {cell(group)} | {cell(metrics.get('micro_f1'))} | {cell(metrics['ece'])} "
            f"| {train_minutes(model):.1f} | {speed:,.0f} | {speed / baseline:.3f} "
            f"| {size_cell(size_mb(model_dir(model.name)))} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retrain", action="store_true", help="train every model again")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--tasks", nargs="+", default=["request", "paragraph"],
                        choices=["request", "paragraph"])
    args = parser.parse_args()
    tables: dict[str, list[str]] = {"test split": [], **{name: [] for name in HELD_OUT_SETS}}
    for task in args.tasks:
        corpus = load_corpus(task)
        leaks = near_duplicate_rate(corpus)
        print(f"{task}: near-duplicate rate (5-gram Jaccard > 0.8) validation "
              f"{leaks['validation']['rate']:.1%}, test {leaks['test']['rate']:.1%}", flush=True)
        test = list(corpus["test"])
        held_out = {name: read_labelled(data_path(folder, f"{task}s.jsonl"), task)
                    for name, folder in HELD_OUT_SETS.items()}
        texts = [r["text"] for r in test]
        baseline = throughput(obtain("tfidf", task, False).predict, texts)
        for kind in args.kinds:
            model = obtain(kind, task, args.retrain)
            speed = throughput(model.predict, texts)
            tables["test split"].append(row(model, task, test, speed, baseline))
            for name, rows in held_out.items():
                tables[name].append(row(model, task, rows, speed, baseline))
            print(tables["test split"][-1], flush=True)
    for title, lines in tables.items():
        print(f"\n### {title}\n\n{HEADER}\n|" + "---|" * 11 + "\n" + "\n".join(lines))
    print("\ngroup acc. for paragraphs is the group-level micro-F1; texts/s is measured on "
          "the test texts, in this process, on this machine's CPU cores.")


if __name__ == "__main__":
    main()
