"""Reader throughput on generated reports, beside bare jieba.lcut on the same text in the same run.

The ratio says whether reading can ever be the bottleneck of a tagging job: segmentation
(needed by every classifier) runs over the same text.

    python bench/bench_reader.py [--reports 300] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import time

import jieba

from gongkai.reader import read_report
from gongkai.synth import LAYOUTS, random_spec, render
from gongkai.taxonomy import load_taxonomy


def generate(count: int, seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    reports = []
    for i in range(count):
        spec = random_spec(rng, rng.choice(["2019", "2021"]))
        layout = LAYOUTS[i % len(LAYOUTS)]
        suffix = "html" if layout == "html" else "txt"
        reports.append((f"r{i}.{suffix}", render(spec, layout).encode("utf-8")))
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    reports = generate(args.reports, args.seed)
    megabytes = sum(len(data) for _, data in reports) / 1e6
    taxonomy = load_taxonomy()
    texts = [data.decode("utf-8") for _, data in reports]
    jieba.lcut("预热")

    start = time.perf_counter()
    for name, data in reports:
        read_report(data, name=name, taxonomy=taxonomy)
    read_seconds = time.perf_counter() - start

    start = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    jieba_seconds = time.perf_counter() - start

    print(f"{len(reports)} reports, {megabytes:.2f} MB, layouts: {', '.join(LAYOUTS)}")
    print("| step | reports/s | MB/s |")
    print("|---|---|---|")
    print(f"| read_report | {len(reports) / read_seconds:.1f} | {megabytes / read_seconds:.2f} |")
    print(f"| jieba.lcut | {len(reports) / jieba_seconds:.1f} | {megabytes / jieba_seconds:.2f} |")
    print(f"reader / jieba throughput ratio: {jieba_seconds / read_seconds:.2f}x")


if __name__ == "__main__":
    main()
