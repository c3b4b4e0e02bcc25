"""The bench's figures as a Markdown block, and that block put into a Markdown file (the
README) between two marker comments, leaving everything else of the file as it was."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from bench.targets import Figure, verdict

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"


def table(figures: Iterable[Figure], heading: str) -> str:
    """A Markdown table: what was measured, the figure, its target and whether it is met."""
    lines = [f"| {heading} | measured | target |", "|---|---|---|"]
    for figure in figures:
        target = "" if figure.target is None else f"{figure.target} {verdict(figure)}"
        lines.append(f"| {figure.what} | {figure.shown()} | {target} |")
    return "\n".join(lines)


def rewrite(path: Path, block: str) -> None:
    """Replace what stands between the markers in ``path`` with ``block``; ValueError when
    the file does not hold the two markers once each, in order."""
    text = path.read_text(encoding="utf-8")
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"{path} needs {START} and then {END}, once each")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(f"{head}{START}\n{block.strip()}\n{END}{tail}", encoding="utf-8")
    os.replace(temporary, path)
