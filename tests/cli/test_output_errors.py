"""A full, read-only or forbidden disk: one line naming the path and the cause, exit 2, no
half-written file, and the file that was there before left as it was. Tests may run as
root, where chmod stops no write, so the operating system's error is raised instead."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.resources import data_path

runner = CliRunner()
SAMPLE = data_path("samples") / "2019-sample-office.txt"
CAUSES = [(errno.ENOSPC, "磁盘已满", "the disk is full"),
          (errno.EROFS, "文件系统是只读的", "the file system is read-only"),
          (errno.EACCES, "没有权限", "permission denied")]


def _failing_replace(code: int):
    def replace(source: object, target: object) -> None:
        raise OSError(code, os.strerror(code), str(target))
    return replace


def _left(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize(("code", "zh", "en"), CAUSES)
def test_report_json_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int,
                            zh: str, en: str) -> None:
    target = tmp_path / "report.jsonl"
    target.write_text("before\n", encoding="utf-8")
    monkeypatch.setattr("gongkai.cli.inputs.os.replace", _failing_replace(code))
    result = runner.invoke(app, ["report", "--json", "-o", str(target), str(SAMPLE)])
    assert result.exit_code == 2
    assert result.stderr == f"错误：无法写入 {target}：{zh}\n"
    assert _left(tmp_path) == ["report.jsonl"]  # no temporary file
    assert target.read_text(encoding="utf-8") == "before\n"
    english = runner.invoke(app, ["report", "--json", "-o", str(target), str(SAMPLE),
                                  "--lang", "en"])
    assert english.stderr == f"error: cannot write {target}: {en}\n"


def test_report_output_works_and_needs_json(tmp_path: Path) -> None:
    target = tmp_path / "report.jsonl"
    assert runner.invoke(app, ["report", "--json", "-o", str(target), str(SAMPLE)]).exit_code == 0
    assert target.read_text(encoding="utf-8").count("\n") == 1
    refused = runner.invoke(app, ["report", "-o", str(target), str(SAMPLE)])
    assert refused.exit_code == 2 and "--json" in refused.stderr


def test_classify_output_on_a_full_disk(use_models: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "申请公开预算"}\n', encoding="utf-8")
    target = tmp_path / "out.jsonl"

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def half_written(path: Path, *args: object, **kwargs: object) -> FullDisk:
        Path(path).write_text("{", encoding="utf-8")  # the temporary file, begun
        return FullDisk()

    monkeypatch.setattr("gongkai.cli.inputs.open", half_written, raising=False)
    result = runner.invoke(app, ["classify", "--input", str(source), "--output", str(target)])
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert result.stderr == f"错误：无法写入 {target}：磁盘已满\n"
    assert _left(tmp_path) == ["in.jsonl"]
