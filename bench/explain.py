"""Explanations: what ``explain=True`` adds to classifying corpus texts with the default
request and paragraph models, as a multiple of the prediction alone (medians of
interleaved runs, in a subprocess so that ``--tree`` applies).

    python -m bench.explain [--texts 1000] [--tree DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import ROOT, Code
from bench.targets import Figure

CORPUS = {"request": ROOT / "data" / "corpus" / "requests.jsonl",
          "paragraph": ROOT / "data" / "corpus" / "paragraphs.jsonl"}
ROUNDS = 3


def _texts(task: str, count: int) -> list[str]:
    with open(CORPUS[task], encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in itertools.islice(handle, count)]


def measure(count: int) -> dict[str, float]:
    """Seconds to classify ``count`` texts of each task, without and with explanations."""
    from gongkai.models.store import load_model

    seconds: dict[str, list[float]] = {}
    for task in CORPUS:
        model, texts = load_model(None, task), _texts(task, count)
        model.classify(texts[:8], explain=True)
        for _ in range(ROUNDS):
            for explain in (False, True):
                started = time.perf_counter()
                model.classify(texts, explain=explain)
                seconds.setdefault(f"{task}.{explain}", []).append(
                    time.perf_counter() - started)
    return {key: statistics.median(values) for key, values in seconds.items()}


def bench(code: Code, count: int) -> list[Figure]:
    done = subprocess.run(code.python("-m", "bench.explain", "--measure", str(count)),
                          cwd=code.cwd, env=code.env(), capture_output=True, text=True,
                          check=True)
    seconds = json.loads(done.stdout)
    extra = {task: seconds[f"{task}.True"] / seconds[f"{task}.False"] - 1 for task in CORPUS}
    return [
        Figure("explain.extra", "explaining ÷ predicting, requests (`classify --input`)",
               extra["request"]),
        Figure("explain.extra_paragraph", "explaining ÷ predicting, paragraphs",
               extra["paragraph"]),
        Figure("explain.request_rate", "classifying requests with explanations",
               count / seconds["request.True"], "texts/s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--measure", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, default=None)
    args = parser.parse_args()
    if args.measure is not None:
        json.dump(measure(args.measure), sys.stdout)
        return
    for figure in bench(Code(args.tree), args.texts):
        print(f"{figure.what}: {figure.shown()}")


if __name__ == "__main__":
    main()
