"""JSON Lines input and output with errors that name the line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path


class InputError(ValueError):
    """Input that cannot be used; the message says where and why."""


def read_jsonl(path: str | Path) -> list[dict]:
    """Every non-blank line of ``path`` as an object; a bad line raises :class:`InputError`."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    try:
        return parse_rows(lines)
    except BadRow as exc:
        what = ("expected a JSON object" if exc.reason == "not_object"
                else f"not valid JSON ({exc.detail})")
        raise InputError(f"{path}:{exc.line}: {what}") from None


class BadRow(ValueError):
    """A line that is not a JSON object: ``reason`` is ``bad_json`` or ``not_object``."""

    def __init__(self, line: int, reason: str, detail: str = "") -> None:
        super().__init__(f"line {line}: {reason}")
        self.line, self.reason, self.detail = line, reason, detail


def parse_rows(lines: Iterable[str]) -> list[dict]:
    """Every non-blank line as an object, with its line number as ``_line``; the first bad
    line raises :class:`BadRow`, which each caller words for its users."""
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadRow(number, "bad_json", exc.msg) from None
        if not isinstance(row, dict):
            raise BadRow(number, "not_object")
        rows.append(row | {"_line": number})
    return rows


def require_text(row: dict, path: str | Path) -> str:
    """The row's non-empty ``text``; otherwise an :class:`InputError` naming the line."""
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{path}:{row.get('_line', '?')}: 'text' must be a non-empty string")
    return text


def write_jsonl(path: str | Path, rows: Iterable[dict]) -> int:
    """Write the rows (UTF-8, one object a line); returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
