"""Every performance bench in one run, at full or smoke sizes, and the README's block of
figures made from its output (dated, as ratios against baselines measured in the same run).
The model-quality benches (``bench_models``, ``bench_regression``) have tables of their own.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from bench import archive, cold, explain, reader, serving
from bench.markdown import table
from bench.measure import Code, load_average
from bench.targets import Figure


@dataclass(frozen=True)
class Sizes:
    cold_rounds: int
    reports: int
    serving_seconds: float
    clients: tuple[int, ...]
    texts: int
    reader_reports: int


@dataclass(frozen=True)
class Options:
    """How the code under test is run: ``hello_access_log`` when its server logs every
    request (the hello-world ceiling then does too: the same uvicorn settings)."""

    hello_access_log: bool = False


FULL = Sizes(cold_rounds=5, reports=1000, serving_seconds=10, clients=(1, 8, 32), texts=1000,
             reader_reports=300)
# The CI smoke run: every target checked once, at sizes that take well under a minute.
SMOKE = Sizes(cold_rounds=2, reports=30, serving_seconds=2, clients=(32,), texts=200,
              reader_reports=30)

BENCHES: dict[str, Callable[[Code, Sizes, Options], list[Figure]]] = {
    "cold": lambda code, sizes, options: cold.bench(code, sizes.cold_rounds),
    "archive": lambda code, sizes, options: archive.bench(code, sizes.reports, seed=0),
    "serving": lambda code, sizes, options: serving.bench(
        code, sizes.serving_seconds, list(sizes.clients), {}, options.hello_access_log),
    "explain": lambda code, sizes, options: explain.bench(code, sizes.texts),
    "reader": lambda code, sizes, options: reader.bench(code, sizes.reader_reports, seed=0),
}

# What the README shows, by section: figure keys (or patterns), in order.
README: list[tuple[str, list[str]]] = [
    ("Cold start", ["cold.classify", "cold.report"]),
    ("Tagging an archive", ["archive.vs_jieba", "archive.vs_jieba_1", "archive.two_workers",
                            "archive.startup_s", "archive.worker_mb", "archive.parent_mb"]),
    ("One worker's time", ["stage.*"]),
    ("HTTP API", ["api.vs_hello_1", "api.p99_ms_1", "api.vs_hello_8", "api.p99_ms_8",
                  "api.vs_hello", "api.p99_ms", "api.serve_mb"]),
    ("Explanations", ["explain.extra", "explain.extra_paragraph"]),
    ("Reading", ["reader.vs_jieba"]),
]


def run(code: Code, sizes: Sizes, only: Sequence[str] = tuple(BENCHES),
        options: Options = Options()) -> list[Figure]:
    return [figure for name in only for figure in BENCHES[name](code, sizes, options)]


def block(figures: list[Figure], when: date, load: tuple[float, float]) -> str:
    """The README's block: a dated line on where it ran, then one table per section."""
    lines = [f"Measured on {when.isoformat()} by `python -m bench` on {os.cpu_count()} CPUs "
             f"(load average {load[0]:.1f} at the start, {load[1]:.1f} at the end); both sides "
             "of every ratio come from the same run."]
    for heading, patterns in README:
        chosen = [figure for pattern in patterns for figure in figures
                  if fnmatch.fnmatchcase(figure.key, pattern)]
        if chosen:
            lines += ["", table(chosen, heading)]
    return "\n".join(lines)


def timed_run(code: Code, sizes: Sizes, only: Sequence[str],
              options: Options) -> tuple[list[Figure], tuple[float, float]]:
    """The figures, and the load average before and after them."""
    before = load_average()
    figures = run(code, sizes, only, options)
    return figures, (before, load_average())
