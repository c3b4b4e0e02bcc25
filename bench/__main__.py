"""Run every performance bench; print the figures, and with ``--markdown FILE`` write them
between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` in FILE (the README).

    python -m bench [--smoke] [--only cold archive serving explain reader]
                    [--markdown README.md] [--tree DIR]

The default models must exist (``gongkai train --task request`` and ``--task paragraph``;
``GONGKAI_MODELS`` says where). ``--tree DIR`` measures the gongkai in another checkout with
this same bench, for figures before and after a change.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from bench.markdown import rewrite
from bench.measure import Code
from bench.suite import BENCHES, FULL, SMOKE, Options, block, timed_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="Small sizes, as CI runs them.")
    parser.add_argument("--only", nargs="+", choices=list(BENCHES), default=list(BENCHES))
    parser.add_argument("--markdown", type=Path, default=None, metavar="FILE",
                        help="Write the figures between the bench markers of FILE.")
    parser.add_argument("--tree", type=Path, default=None, metavar="DIR",
                        help="Measure the gongkai of another checkout.")
    parser.add_argument("--hello-access-log", action="store_true",
                        help="The server under test logs every request: so does the "
                        "hello-world ceiling.")
    args = parser.parse_args()
    figures, load = timed_run(Code(args.tree), SMOKE if args.smoke else FULL, args.only,
                              Options(args.hello_access_log))
    for figure in figures:
        print(f"{figure.key}\t{figure.shown()}\t{figure.what}")
    text = block(figures, date.today(), load)
    print(f"\n{text}")
    if args.markdown is not None:
        rewrite(args.markdown, text)


if __name__ == "__main__":
    main()
