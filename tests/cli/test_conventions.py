"""Command-line conventions: ``-`` for stdin, ``--version``, ``--lang``, examples in every
``--help``, mistakes told in the user's language, skipped non-report files, and a note for
every text that is cut."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.resources import data_path

runner = CliRunner()
SAMPLES = data_path("samples")
SAMPLE = SAMPLES / "2021-sample-bureau.txt"
COMMANDS = ["report", "classify", "tag", "summarize", "train", "evaluate", "serve", "demo",
            "base-model prepare"]


def long_paragraph_report(tmp_path: Path) -> Path:
    """The sample report with one narrative paragraph longer than a model reads."""
    text = SAMPLE.read_text(encoding="utf-8")
    heading = text.index("二、")
    long = "本机关" + "认真落实政府信息公开工作要求，" * 700 + "\n"
    path = tmp_path / "long.txt"
    path.write_text(text[:heading] + long + text[heading:], encoding="utf-8")
    return path


# --- version, help and languages -----------------------------------------------------------


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and re.fullmatch(r"gongkai \d+\.\d+\.\d+\S*\n", result.stdout)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_has_examples_and_one_placeholder_style(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    usage, _, rest = result.stdout.partition("\n")
    assert not re.search(r"[{\[<][a-z]", usage.removeprefix("Usage: ").replace("[OPTIONS]", ""))
    examples = rest.split("Examples:\n")[1].splitlines()
    assert examples and all("gongkai" in line and command.split()[-1] in line
                            for line in examples if line.strip())
    assert "--lang" in rest
    for option in re.findall(r"^  (--[a-z-]+) ([A-Za-z:]+)\b", rest, re.MULTILINE):
        assert option[1].isupper(), option


def test_lang_after_the_command_wins_then_before_then_the_environment() -> None:
    missing = ["report", "missing.txt"]
    assert "没有这个文件" in runner.invoke(app, missing).stderr
    assert "no such file" in runner.invoke(app, ["--lang", "en", *missing]).stderr
    assert "no such file" in runner.invoke(app, missing, env={"GONGKAI_LANG": "en_US"}).stderr
    chinese = runner.invoke(app, [*missing, "--lang", "zh"], env={"GONGKAI_LANG": "en"})
    assert "没有这个文件" in chinese.stderr


@pytest.mark.parametrize(("args", "zh", "en"), [
    (["report"], "错误：缺少 FILE", "error: missing FILE"),
    (["nope"], "错误：没有命令 nope；可用的命令：report、demo", "error: no command nope; the "
     "commands are report, demo"),
    (["classify", "--bogus"], "错误：没有选项 --bogus", "error: no option --bogus"),
    (["classify", "--jsn", "x"], "是不是 --json？", "did you mean --json?"),
    (["classify", "--top-k", "0", "文字"], "错误：--top-k 应为不小于 1 的整数",
     "error: --top-k must be a whole number of at least 1"),
    (["classify", "--top-k", "many", "文字"], "错误：--top-k 应为不小于 1 的整数",
     "must be a whole number of at least 1"),
    (["serve", "--port", "http"], "错误：--port 应为整数", "error: --port must be a whole number"),
    (["classify", "--task", "appeal", "文字"], "错误：--task 应为 request、paragraph 之一",
     "error: --task must be one of request, paragraph"),
    (["classify", "文字", "--top-k"], "错误：--top-k 后面要有一个值",
     "error: --top-k needs a value"),
    (["report", "--json=yes", "a.txt"], "错误：--json 的值无效", "error: --json: invalid value"),
])
def test_command_line_mistakes_in_the_users_language(args: list[str], zh: str, en: str) -> None:
    chinese = runner.invoke(app, args)
    assert chinese.exit_code == 2 and zh in chinese.stderr, chinese.output
    assert "用法见：gongkai" in chinese.stderr and "Traceback" not in chinese.output
    english = runner.invoke(app, ["--lang", "en", *args])
    assert english.exit_code == 2 and en in english.stderr, english.output


# --- stdin ---------------------------------------------------------------------------------


def test_report_reads_stdin() -> None:
    result = runner.invoke(app, ["report", "--json", "-"], input=SAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["source"] == "-" and report["year"] == 2022
    assert all("details" in check for check in report["checks"])
    empty = runner.invoke(app, ["report", "-"], input=b"")
    assert empty.exit_code == 2 and "错误：-：文件是空的" in empty.stderr


def test_classify_reads_a_text_and_json_lines_from_stdin(use_models: Path) -> None:
    one = runner.invoke(app, ["classify", "--json", "-"], input="申请公开2023年部门预算\n")
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout)["label"]
    lines = "\n".join(json.dumps({"id": i, "text": text}, ensure_ascii=False)
                      for i, text in enumerate(["申请公开预算", "要求查处违法建筑"]))
    many = runner.invoke(app, ["classify", "--input", "-"], input=lines)
    assert many.exit_code == 0, many.output
    assert [json.loads(line)["id"] for line in many.stdout.splitlines()] == [0, 1]
    assert "已分类 2 条 → 标准输出" in many.stderr
    bad = runner.invoke(app, ["classify", "--input", "-"], input="{oops\n")
    assert bad.exit_code == 2 and "标准输入 第 1 行：不是有效的 JSON" in bad.stderr


def test_tag_reads_stdin(use_models: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["tag", "-"], input=SAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and {row["source"] for row in rows} == {"-"}
    refused = runner.invoke(app, ["tag", "-", "--out", str(tmp_path / "out")], input=b"x")
    assert refused.exit_code == 2 and "标准输入（-）只能用于不带 --out 的标注" in refused.stderr


# --- tag: what is not a report -------------------------------------------------------------


def test_tag_skips_a_folders_non_report_files_and_says_how_many(use_models: Path) -> None:
    result = runner.invoke(app, ["tag", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert "注意：跳过 2 个不是报告的文件：README.md、requests.jsonl" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {Path(row["source"]).name for row in rows} == {"2019-sample-office.txt",
                                                          "2021-sample-bureau.txt"}


def test_a_txt_without_report_words_is_skipped_but_a_binary_one_is_an_error(
        use_models: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("会议纪要：下周二讨论办公用品采购。", encoding="gbk")
    (tmp_path / "report.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    result = runner.invoke(app, ["--lang", "en", "tag", str(tmp_path)])
    assert result.exit_code == 2
    assert "note: skipped 1 file that is not a report: notes.txt" in result.stderr
    assert f"error: {tmp_path / 'scan.txt'}: binary data, not text" in result.stderr
    assert {json.loads(line)["source"] for line in result.stdout.splitlines()} == {
        str(tmp_path / "report.txt")}


def test_nothing_to_read_is_said(use_models: Path, tmp_path: Path) -> None:
    empty = runner.invoke(app, ["tag", str(tmp_path)])
    assert empty.exit_code == 2 and "错误：没有可读的报告文件" in empty.stderr
    (tmp_path / "README.md").write_text("# 说明", encoding="utf-8")
    only_other = runner.invoke(app, ["tag", str(tmp_path), "--out", str(tmp_path / "out")])
    assert only_other.exit_code == 2
    assert "跳过 1 个不是报告的文件：README.md" in only_other.stderr
    assert "没有可读的报告文件" in only_other.stderr


# --- every cut is said ---------------------------------------------------------------------


def test_a_long_text_or_record_is_cut_with_a_note(use_models: Path) -> None:
    long = "申请公开" * 3000
    text = runner.invoke(app, ["classify", long])
    assert "注意：文本超过 10000 字，只按前 10000 字分类" in text.stderr
    record = runner.invoke(app, ["classify", "--lang", "en", "申请公开预算", "--record", long])
    assert "note: the record is cut to its first 10000 characters" in record.stderr


def test_tag_says_when_a_paragraph_is_cut(use_models: Path, tmp_path: Path) -> None:
    report = long_paragraph_report(tmp_path)
    streamed = runner.invoke(app, ["tag", str(report)])
    assert streamed.exit_code == 0, streamed.output
    assert "注意：1 个段落超过 10000 字，只按前 10000 字标注" in streamed.stderr
    datasets = runner.invoke(app, ["--lang", "en", "tag", str(report), "--out",
                                   str(tmp_path / "out"), "--format", "jsonl", "--workers", "1"])
    assert datasets.exit_code == 0, datasets.output
    assert "note: 1 paragraph was tagged on its first 10000 characters" in datasets.stderr


def test_an_unwritable_output_is_one_line(use_models: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "申请公开预算"}\n', encoding="utf-8")
    result = runner.invoke(app, ["classify", "--input", str(source), "--output",
                                 str(tmp_path / "no" / "such" / "out.jsonl")])
    assert result.exit_code == 2
    assert "无法写入" in result.stderr and "文件或所在文件夹不存在" in result.stderr
    assert "Traceback" not in result.output
