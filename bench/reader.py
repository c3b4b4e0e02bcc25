"""Reader throughput on generated reports in every text layout, beside bare ``jieba.lcut`` on
the same text in the same run (in a subprocess, so that ``--tree`` applies).

The ratio says whether reading can be the bottleneck of a tagging job: segmentation (needed
by every classifier) runs over the same text.

    python -m bench.reader [--reports 300] [--seed 0] [--tree DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import Code
from bench.targets import Figure


def measure(count: int, seed: int) -> dict[str, float]:
    """Seconds to read ``count`` generated reports, and to segment their text."""
    import jieba

    from gongkai.reader import read_report
    from gongkai.synth import LAYOUTS, random_spec, render
    from gongkai.taxonomy import load_taxonomy

    rng = random.Random(seed)
    reports = []
    for i in range(count):
        layout = LAYOUTS[i % len(LAYOUTS)]
        text = render(random_spec(rng, rng.choice(["2019", "2021"])), layout)
        reports.append((f"r{i}.{'html' if layout == 'html' else 'txt'}", text))
    taxonomy = load_taxonomy()
    jieba.lcut("预热")
    started = time.perf_counter()
    for name, text in reports:
        read_report(text.encode("utf-8"), name=name, taxonomy=taxonomy)
    read = time.perf_counter() - started
    started = time.perf_counter()
    for _, text in reports:
        jieba.lcut(text)
    return {"read": read, "jieba": time.perf_counter() - started}


def bench(code: Code, count: int, seed: int) -> list[Figure]:
    done = subprocess.run(code.python("-m", "bench.reader", "--measure", str(count),
                                      "--seed", str(seed)),
                          cwd=code.cwd, env=code.env(), capture_output=True, text=True,
                          check=True)
    seconds = json.loads(done.stdout)
    return [Figure("reader.vs_jieba", "`read_report` ÷ bare `jieba.lcut`, text reports",
                   seconds["jieba"] / seconds["read"])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measure", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, default=None)
    args = parser.parse_args()
    if args.measure is not None:
        json.dump(measure(args.measure, args.seed), sys.stdout)
        return
    for figure in bench(Code(args.tree), args.reports, args.seed):
        print(f"{figure.what}: {figure.shown()}")


if __name__ == "__main__":
    main()
