"""The reader's regression figures on generated reports in every layout, encoding and format.

Each report is generated (``gongkai.synth.regression``), read back with ``read_report`` and
compared with what it prints: cells exact, templates decided right, identity verdicts
right, checks failing that should not (false alarms) or passing that should not, and rows
with a number in a wrong column (the reader must leave a number it cannot place null).

    python bench/bench_regression.py [--reports 1000] [--seed 0] [--jobs 2] [--show 5]
                                     [--kinds tab,pdf_ruled]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor

from gongkai.reader import ReaderError, read_report
from gongkai.synth.regression import KINDS, TABLE_HEADER, Score, Tally, make_case, score
from gongkai.taxonomy import load_taxonomy


def run_one(args: tuple[int, int]) -> tuple[str, str, Score]:
    """Generate report ``index`` and score the reader on it: (kind, name, score)."""
    import random

    index, seed = args
    kind = KINDS[index % len(KINDS)]
    case = make_case(index, kind, random.Random(f"{seed}-{index}-{kind}"))
    try:
        report = read_report(case.data, name=case.name, taxonomy=load_taxonomy()).as_dict()
    except ReaderError as exc:
        return kind, case.name, score(None, case.expected, error=exc.kind)
    return kind, case.name, score(report, case.expected)


def _describe(name: str, s: Score) -> str:
    parts = [name]
    if s.error:
        parts.append(f"refused: {s.error}")
    if s.wrong_rows:
        parts.append(f"wrong rows: {', '.join(s.wrong_rows)}")
    if s.cells_exact < s.cells:
        parts.append(f"cells {s.cells_exact}/{s.cells}")
    if not s.template_ok:
        parts.append("template")
    if not s.identity_ok:
        parts.append("identity verdict")
    if s.false_failures:
        parts.append(f"false failures: {', '.join(s.false_failures)}")
    if s.missed_failures:
        parts.append(f"missed failures: {', '.join(s.missed_failures)}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--show", type=int, default=5, help="imperfect reports listed per format")
    parser.add_argument("--kinds", default="", help="only these formats, comma-separated")
    args = parser.parse_args()

    start = time.perf_counter()
    only = set(args.kinds.split(",")) if args.kinds else set(KINDS)
    work = [(i, args.seed) for i in range(args.reports) if KINDS[i % len(KINDS)] in only]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run_one, work, chunksize=8))
    seconds = time.perf_counter() - start

    tallies = {kind: Tally() for kind in KINDS}
    overall = Tally()
    shown: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for kind, name, s in results:
        tallies[kind].add(s)
        overall.add(s)
        perfect = s.cells_exact == s.cells and s.template_ok and s.identity_ok
        if not (perfect and not s.false_failures and not s.missed_failures and not s.error):
            shown[kind].append(_describe(name, s))
    print(f"{len(work)} reports (seed {args.seed}), generated and read in {seconds:.0f} s")
    print(TABLE_HEADER)
    for kind in KINDS:
        if kind in only:
            print(tallies[kind].row(kind.replace("_", " ")))
    print(overall.row("**all**"))
    for kind in KINDS:
        for line in shown[kind][: args.show]:
            print("  " + line)


if __name__ == "__main__":
    main()
