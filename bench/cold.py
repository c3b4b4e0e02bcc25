"""Cold start of the command line: ``gongkai classify TEXT`` and ``gongkai report FILE``,
each beside a bare ``python -c "import jieba; jieba.lcut(...)"`` in the same run.

Loading jieba's dictionary is the floor of anything that segments Chinese, so the ratios
say how much gongkai adds to it. Medians of interleaved runs, after one warming round.

    python -m bench.cold [--rounds 5] [--tree DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.measure import ROOT, Code, interleaved
from bench.targets import Figure

TEXT = "我要举报隔壁工厂偷排污水，请你们马上查处"
REPORT = ROOT / "data" / "samples" / "2019-sample-office.txt"


def commands(code: Code) -> dict[str, list[str]]:
    return {
        "jieba": code.python("-c", f"import jieba; jieba.lcut({TEXT!r})"),
        "classify": code.gongkai("classify", TEXT),
        "report": code.gongkai("report", str(REPORT)),
    }


def bench(code: Code, rounds: int) -> list[Figure]:
    seconds = interleaved(commands(code), rounds, code)
    jieba = seconds["jieba"]
    return [
        Figure("cold.jieba_s", "bare jieba one-liner, cold", jieba, "s"),
        Figure("cold.classify", "`gongkai classify TEXT`, cold, ÷ the jieba one-liner",
               seconds["classify"] / jieba),
        Figure("cold.report", "`gongkai report FILE`, cold, ÷ the jieba one-liner",
               seconds["report"] / jieba),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tree", type=Path, default=None)
    args = parser.parse_args()
    for figure in bench(Code(args.tree), args.rounds):
        print(f"{figure.what}: {figure.shown()}")


if __name__ == "__main__":
    main()
