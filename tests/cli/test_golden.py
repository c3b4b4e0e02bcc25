"""What the command line prints, byte for byte, in Chinese and in English.

Each case runs in a folder of its own (relative paths, 100-column consoles) and is compared
with ``golden/NAME.txt``. After an intended change, rewrite them and read the diff:

    GONGKAI_UPDATE_GOLDEN=1 python -m pytest tests/cli/test_golden.py
"""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.cli.common import console, err_console
from gongkai.resources import data_path

GOLDEN = Path(__file__).parent / "golden"
WIDTH = 100

CASES: dict[str, list[list[str]]] = {
    "report": [["report", "2019-sample-office.txt"]],
    "report-errors": [["report", "missing.txt", "empty.txt", "image.txt"],
                      ["report", "--strict", "office-2019-two-errors.txt", "empty.txt"]],
    "usage": [["report"], ["nope"], ["classify", "--jsn", "文字"],
              ["classify", "--task", "appeal", "文字"], ["classify", "--top-k", "0", "文字"],
              ["classify"], ["classify", "文字", "--output", "out.jsonl"],
              ["tag", "notes", "--format", "csv"]],
    "inputs": [["classify", "--input", "bad.jsonl"], ["classify", "--input", "no-id.jsonl"],
               ["classify", "--input", "missing.jsonl"]],
    "tag-folder": [["tag", "notes"], ["tag", "empty"]],
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample report, a copy with two errors, bad files and a non-report folder."""
    shutil.copy(data_path("samples") / "2019-sample-office.txt", tmp_path)
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "office-2019-two-errors.txt", tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    (tmp_path / "bad.jsonl").write_text('{"id": 1, "text": "申请公开预算"}\n{oops\n',
                                        encoding="utf-8")
    (tmp_path / "no-id.jsonl").write_text('{"text": "申请公开预算"}\n', encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "README.md").write_text("# 说明\n", encoding="utf-8")
    (tmp_path / "notes" / "minutes.txt").write_text("会议纪要：讨论采购。\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    for terminal in (console, err_console):
        monkeypatch.setattr(terminal, "_width", WIDTH)
    return tmp_path


def transcript(lang: str, commands: list[list[str]]) -> str:
    runner = CliRunner()
    parts = []
    for args in commands:
        result = runner.invoke(app, ["--lang", lang, *args], env={"COLUMNS": str(WIDTH)})
        parts.append(f"$ gongkai {shlex.join(args)}\n[exit {result.exit_code}]\n"
                     f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}")
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_output_matches_the_golden_file(case: str, lang: str, workdir: Path,
                                        use_models: Path) -> None:
    got = transcript(lang, CASES[case])
    path = GOLDEN / f"{case}.{lang}.txt"
    if os.environ.get("GONGKAI_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")
