"""Every model side by side: on the corpus's validation and test splits (written by writers
held out of training) and on the frozen evaluation set (``data/eval``).

    python bench/bench_models.py                         # reuse models/KIND-TASK if current
    python bench/bench_models.py --retrain --kinds tfidf rules
    python bench/bench_models.py --tasks request --kinds tfidf e5 e5-int8 ensemble

A missing or stale model (trained on another version of the corpus) is trained into
``models/KIND-TASK`` (the e5 kinds need ``gongkai base-model prepare`` first; ``e5-int8`` is
exported from ``models/e5-TASK``, ``ensemble`` averages TF-IDF with ``models/e5-int8-TASK``).
Prints Markdown tables: for requests leaf macro-F1, group accuracy and ECE with the records
as given, and with every record removed the macro-F1, how often the model asked for the
record (``needs_record``) and how many of the record-decided requests asked; for paragraphs
micro- and macro-F1, group micro-F1, ECE and counts read exactly. Speeds are texts per
second on this machine, and as a share of TF-IDF's measured in the same run.
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
from gongkai.training.corpus import corpus_path, file_sha256, load_corpus, read_labelled
from gongkai.training.evaluate import evaluate
from gongkai.training.train import train

KINDS = ("rules", "tfidf", "e5-lr", "e5", "e5-int8", "ensemble")
SOURCES = {"e5-int8": "e5", "ensemble": "e5-int8"}  # built from a trained model of this kind
MIN_SECONDS = 1.0
REQUEST_HEADER = ("| model | set | texts | leaf macro-F1 | group acc. | ECE | no record: macro-F1 "
                  "| asks | record-decided asking | texts/s | / TF-IDF | MB |")
PARAGRAPH_HEADER = ("| model | set | texts | micro-F1 | macro-F1 | group micro-F1 | ECE "
                    "| counts exact | texts/s | / TF-IDF | MB |")


def throughput(run: Callable[[Sequence[str]], object], texts: Sequence[str]) -> float:
    """Texts per second of ``run`` over ``texts``, repeated for at least a second."""
    run(texts[:8])  # warm up: caches, lazy initialisation
    rounds, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < MIN_SECONDS or rounds == 0:
        run(texts)
        rounds += 1
    return rounds * len(texts) / elapsed


def size_mb(folder: Path) -> float:
    """The model's files, members of an ensemble included (not its ``eval/`` reports)."""
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and "eval" not in p.parts) / 2**20


def stale(folder: Path, task: str) -> bool:
    """Missing, or trained on another version of the corpus."""
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return metadata.get("corpus_sha256") != file_sha256(corpus_path(task))


def obtain(kind: str, task: str, retrain: bool) -> DispositionModel:
    folder = model_dir(f"{kind}-{task}")
    if retrain or stale(folder, task):
        print(f"training {folder}", flush=True)
        source = SOURCES.get(kind)
        params = {"base_model": model_dir(f"{source}-{task}")} if source else {}
        train(task, kind=kind, out=folder, **params)
    return DispositionModel.load(folder)


def cell(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def request_row(metrics: dict) -> list[str]:
    alone = metrics["without_record"]
    return [cell(metrics["macro_f1"]), cell(metrics["group_accuracy"]), cell(metrics["ece"]),
            cell(alone["macro_f1"]), cell(alone["abstention_rate"]),
            cell(alone["needs_record_recall"])]


def paragraph_row(metrics: dict) -> list[str]:
    return [cell(metrics["micro_f1"]), cell(metrics["macro_f1"]),
            cell(metrics["group_micro_f1"]), cell(metrics["ece"]),
            cell(metrics["counts_exact"])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retrain", action="store_true", help="train every model again")
    parser.add_argument("--kinds", nargs="+", default=["rules", "tfidf"], choices=KINDS)
    parser.add_argument("--tasks", nargs="+", default=["request", "paragraph"],
                        choices=["request", "paragraph"])
    args = parser.parse_args()
    for task in args.tasks:
        corpus = load_corpus(task)
        sets = {"validation": list(corpus["validation"]), "test": list(corpus["test"]),
                "eval": read_labelled(data_path("eval", f"{task}s.jsonl"), task)}
        texts = [row["text"] for row in sets["test"]]
        baseline = throughput(obtain("tfidf", task, False).predict, texts)
        lines = []
        for kind in args.kinds:
            model = obtain(kind, task, args.retrain and kind in ("rules", "tfidf"))
            speed = throughput(model.predict, texts)
            for name, rows in sets.items():
                metrics = evaluate(model, rows)
                cells = request_row(metrics) if task == "request" else paragraph_row(metrics)
                lines.append(f"| {model.name} | {name} | {len(rows)} | " + " | ".join(cells)
                             + f" | {speed:,.0f} | {speed / baseline:.3f} "
                             f"| {size_mb(model_dir(model.name)):.1f} |")
                print(lines[-1], flush=True)
        header = REQUEST_HEADER if task == "request" else PARAGRAPH_HEADER
        print(f"\n### {task}s\n\n{header}\n|" + "---|" * (header.count("|") - 1) + "\n"
              + "\n".join(lines))


if __name__ == "__main__":
    main()
