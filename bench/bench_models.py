"""The models side by side on the test splits, beside bare ``jieba.lcut`` throughput.

    python bench/bench_models.py

Prints a Markdown table: leaf macro-F1, group accuracy, paragraph micro-F1, ECE, training
seconds and texts/s, with jieba's own texts/s on the same texts in the same run and the
ratio of the two (how much of jieba's speed a model keeps).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import jieba

from training.corpus import load_corpus, near_duplicate_rate
from training.evaluate import evaluate
from training.train import fit_model

MIN_SECONDS = 1.0


def throughput(run: Callable[[], object], count: int) -> float:
    """Texts per second of ``run`` (which handles ``count`` texts), repeated for a second."""
    run()  # warm up: caches, lazy initialisation
    rounds, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < MIN_SECONDS or rounds == 0:
        run()
        rounds += 1
    return rounds * count / elapsed


def cell(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def main() -> None:
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    header = ("| model | task | test texts | macro-F1 | group acc. | paragraph micro-F1 | ECE "
              "| train s | texts/s | jieba.lcut texts/s | model / jieba |")
    lines = [header, "|" + "---|" * 11]
    for task in ("request", "paragraph"):
        corpus = load_corpus(task)
        leaks = near_duplicate_rate(corpus)
        print(f"{task}: near-duplicate rate (5-gram Jaccard > 0.8) validation "
              f"{leaks['validation']['rate']:.1%}, test {leaks['test']['rate']:.1%}")
        texts = corpus["test"]["text"]
        jieba_rate = throughput(lambda texts=texts: [jieba.lcut(t) for t in texts], len(texts))
        for kind in ("rules", "tfidf"):
            started = time.perf_counter()
            model = fit_model(corpus, task, kind)
            seconds = time.perf_counter() - started
            metrics = evaluate(model, corpus["test"])
            rate = throughput(lambda model=model, texts=texts: model.predict(texts), len(texts))
            group = metrics.get("group_accuracy", metrics.get("group_micro_f1"))
            lines.append(
                f"| {kind}-{task} | {task} | {len(texts)} | {cell(metrics['macro_f1'])} "
                f"| {cell(group)} | {cell(metrics.get('micro_f1'))} | {cell(metrics['ece'])} "
                f"| {seconds:.2f} | {rate:,.0f} | {jieba_rate:,.0f} | {rate / jieba_rate:.2f} |")
    print()
    print("\n".join(lines))
    print("\ngroup acc. for paragraphs is the group-level micro-F1.")


if __name__ == "__main__":
    main()
