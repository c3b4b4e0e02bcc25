"""The model commands of the CLI: exit codes, JSON shapes and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.cli.common import set_lang
from gongkai.cli.demo import default_model
from gongkai.models.task import Task
from gongkai.resources import data_path

runner = CliRunner()
SAMPLE_REPORT = data_path("samples") / "2021-sample-bureau.txt"


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_classify_one_text(use_models: Path) -> None:
    result = runner.invoke(app, ["classify", "请公开我村2023年土地征收补偿方案"])
    assert result.exit_code == 0, result.output
    assert "法律依据" in result.output and "其他可能" in result.output
    english = runner.invoke(app, ["classify", "--lang", "en", "请公开我村2023年土地征收补偿方案"])
    assert "legal basis" in english.output and "top" in english.output


def test_classify_one_text_as_json(use_models: Path) -> None:
    result = runner.invoke(app, ["classify", "--json", "申请公开2023年部门预算"])
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)) == {"label", "group", "score", "top", "legal_basis",
                                              "explanation", "needs_record", "question",
                                              "text_label"}


def test_classify_a_paragraph(use_models: Path) -> None:
    result = runner.invoke(app, ["classify", "--lang", "en", "--task", "paragraph",
                                 "予以公开6件，部分公开2件。"])
    assert result.exit_code == 0, result.output
    assert "counts" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["classify", ""], "the text is empty"),
    (["classify"], "either one TEXT"),
    (["classify", "文字", "--input", "x.jsonl", "--output", "y.jsonl"], "either one TEXT"),
    (["classify", "--input", "x.jsonl"], "no such file: x.jsonl"),
    (["classify", "文字", "--output", "y.jsonl"], "--output goes with --input"),
    (["classify", "--input", "x.jsonl", "--record", "r"], "--record goes with one TEXT"),
    (["classify", "文字", "--model", "no-such-model"], "no model directory"),
])
def test_classify_usage_errors(use_models: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["--lang", "en", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_classify_non_chinese_text_is_answered_with_a_note(use_models: Path) -> None:
    result = runner.invoke(app, ["classify", "hello world"])
    assert result.exit_code == 0
    assert "注意：文本里没有汉字，下面的结果只是猜测" in result.stderr


@pytest.mark.parametrize(("task", "keys"), [
    ("request", {"id", "label", "group", "score", "top", "legal_basis", "explanation",
                 "needs_record", "question", "text_label"}),
    ("paragraph", {"id", "labels", "groups", "scores", "counts", "legal_basis", "explanation"}),
])
def test_classify_json_lines(use_models: Path, tmp_path: Path, task: str, keys: set[str]) -> None:
    source = write_lines(tmp_path / "in.jsonl", [
        json.dumps({"id": "a", "text": "申请公开2022年部门决算"}, ensure_ascii=False),
        "",
        json.dumps({"id": 7, "text": "x" * 100_000}),
    ])
    result = runner.invoke(app, ["classify", "--task", task, "--input", str(source),
                                 "--output", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [row["id"] for row in rows] == ["a", 7]
    assert all(set(row) == keys for row in rows)
    assert "注意：1 条超过 10000 字，只按前 10000 字分类（id：7）" in result.stderr
    assert f"已分类 2 条 → {tmp_path / 'out.jsonl'}" in result.stderr
    to_stdout = runner.invoke(app, ["classify", "--task", task, "--input", str(source)])
    assert [json.loads(line) for line in to_stdout.stdout.splitlines()] == rows


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "in.jsonl:2: not valid JSON"),
    ('{"id": 2, "text": ""}', "in.jsonl:2: 'text' must be a non-empty string"),
    ('{"text": "没有编号"}', "in.jsonl:2: missing 'id'"),
    ("[1, 2]", "in.jsonl:2: expected a JSON object"),
])
def test_malformed_input_lines(use_models: Path, tmp_path: Path, line: str, message: str) -> None:
    source = write_lines(tmp_path / "in.jsonl", ['{"id": 1, "text": "申请公开预算"}', line])
    result = runner.invoke(app, ["classify", "--lang", "en", "--input", str(source),
                                 "--output", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_corrupted_model_directory(use_models: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for item in (use_models / "tfidf-request").iterdir():
        (broken / item.name).write_bytes(item.read_bytes())
    (broken / "linear.npz").write_bytes(b"garbage")
    result = runner.invoke(app, ["classify", "申请公开预算", "--model", str(broken)])
    assert result.exit_code == 2
    assert "模型无法使用" in result.output and "corrupted" in result.output
    assert "Traceback" not in result.output


def test_a_model_of_the_other_task_is_refused(use_models: Path) -> None:
    result = runner.invoke(app, ["classify", "文字", "--model", "tfidf-paragraph"])
    assert result.exit_code == 2
    assert "not a request model" in result.output


def test_evaluate_on_a_file(use_models: Path, tmp_path: Path) -> None:
    data = write_lines(tmp_path / "gold.jsonl", [
        json.dumps({"text": "申请公开2023年部门预算", "label": "disclose"}, ensure_ascii=False),
        json.dumps({"text": "请确认这份文件是否真实有效", "label": "reject/confirm"},
                   ensure_ascii=False),
    ])
    result = runner.invoke(app, ["evaluate", "--task", "request", "--data", str(data),
                                 "--out", str(tmp_path / "eval")])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["n"] == 2
    assert {"macro_f1", "accuracy", "group_accuracy", "ece", "per_label"} <= set(metrics)
    assert (tmp_path / "eval" / "metrics.json").exists()
    assert (tmp_path / "eval" / "confusion.png").exists()


def test_evaluate_rejects_a_bad_label(use_models: Path, tmp_path: Path) -> None:
    data = write_lines(tmp_path / "gold.jsonl", ['{"text": "文字", "label": "maybe"}'])
    result = runner.invoke(app, ["evaluate", "--task", "request", "--data", str(data)])
    assert result.exit_code == 2
    assert "gold.jsonl:1: unknown label 'maybe'" in result.output
    assert "Traceback" not in result.output


def test_tag_a_report(use_models: Path, tmp_path: Path) -> None:
    out = tmp_path / "tags.jsonl"
    result = runner.invoke(app, ["tag", str(SAMPLE_REPORT), "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows
    assert all(set(row) == {"report", "source", "section", "index", "text", "labels", "groups",
                            "scores", "counts"} for row in rows)
    assert len({row["report"] for row in rows}) == 1


def test_tag_an_unreadable_report(use_models: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["tag", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert f"错误：{tmp_path / 'missing.txt'}：没有这个文件" in result.stderr


def test_train_rules_model(tmp_path: Path) -> None:
    out = tmp_path / "rules-request"
    result = runner.invoke(app, ["train", "--task", "request", "--kind", "rules",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["model"] == "rules-request"
    assert {"validation", "test", "train_seconds"} <= set(summary["metrics"])
    assert (out / "metadata.json").exists() and (out / "MODEL_CARD.md").exists()


def test_loading_never_trains_a_missing_default(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_MODELS", str(tmp_path))
    for command in (["classify", "--task", "paragraph", "予以公开6件。"],
                    ["tag", str(SAMPLE_REPORT)], ["serve"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, result.output
        assert "gongkai train --task" in result.output
    assert not any(tmp_path.iterdir())


def test_the_main_job_trains_a_missing_default_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("GONGKAI_MODELS", str(tmp_path))
    set_lang("zh")
    model = default_model(Task.paragraph)
    assert model.name == "tfidf-paragraph"
    assert "先训练默认模型（gongkai train --task paragraph）" in capsys.readouterr().err
    assert (tmp_path / "tfidf-paragraph" / "linear.npz").exists()


def test_demo_tags_and_classifies_the_samples(use_models: Path) -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "2021-sample-bureau.txt：段落标注" in result.output
    assert "示例申请" in result.output and "勾稽关系核对" in result.output
