"""``gongkai review`` end to end on files: classify output out as tasks, labels back in.

The commands are mounted on an app of the test's own until ``gongkai.cli`` registers them.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from gongkai.cli import app as gongkai_app
from gongkai.cli.review import review_app
from gongkai.corrections import CorrectionStore
from gongkai.jsonl import write_jsonl
from tests.review.conftest import annotation

runner = CliRunner()
TEXTS = ["请公开本局2023年部门预算", "请公开邻居的住院病历", "我要举报隔壁工厂偷排污水",
         "请提供贵局内部会议纪要", "申请公开征地补偿安置方案"]


@pytest.fixture
def app() -> typer.Typer:
    if any(group.name == "review" for group in gongkai_app.registered_groups):
        return gongkai_app
    mounted = typer.Typer()
    mounted.command("noop")(lambda: None)
    mounted.add_typer(review_app, name="review")
    return mounted


def test_export_then_import(app: typer.Typer, use_models: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in.jsonl"
    write_jsonl(inputs, [{"id": i, "text": text} for i, text in enumerate(TEXTS)])
    predictions = tmp_path / "out.jsonl"
    done = runner.invoke(gongkai_app, ["classify", "--input", str(inputs), "--output",
                                       str(predictions)])
    assert done.exit_code == 0, done.output
    out = tmp_path / "tasks.json"
    exported = runner.invoke(app, ["review", "export", str(predictions), "--task", "request",
                                   "--input", str(inputs), "--limit", "3", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert len(tasks) == 3 and all(t["predictions"][0]["model_version"] for t in tasks)
    for number, task in enumerate(tasks, 1):
        task["annotations"] = [annotation(number, 1, ["reject/complaint"],
                                          "2026-03-01T08:00:00Z")]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    for added in (3, 0):
        imported = runner.invoke(app, ["review", "import", str(export), "--store", url])
        assert imported.exit_code == 0, imported.output
        report = json.loads(imported.stdout)
        assert (report["added"], report["conflicts"]) == (added, [])
    assert {c.text for c in CorrectionStore(url).all()} == {t["data"]["text"] for t in tasks}


def test_config_and_bad_input(app: typer.Typer, use_models: Path, tmp_path: Path) -> None:
    config = runner.invoke(app, ["review", "config", "--task", "paragraph"])
    assert config.exit_code == 0 and ET.fromstring(config.stdout).tag == "View"
    bad = tmp_path / "bad.jsonl"
    write_jsonl(bad, [{"id": 1, "label": "disclose"}])
    missing = runner.invoke(app, ["review", "export", str(bad), "--task", "request"])
    assert missing.exit_code == 2 and "--input" in missing.output
    rows = tmp_path / "labels.jsonl"
    write_jsonl(rows, [{"id": 1, "text": "请公开X", "label": "nonsense", "annotator": "甲"}])
    refused = runner.invoke(app, ["review", "import", str(rows), "--task", "request",
                                  "--store", f"sqlite:///{tmp_path / 's.sqlite3'}"])
    assert refused.exit_code == 2 and "nonsense" in refused.output


def test_export_from_an_archive_with_a_second_model(app: typer.Typer, use_models: Path,
                                                    tmp_path: Path) -> None:
    from gongkai.archive.formats import read_dataset
    from gongkai.resources import data_path

    tagged = tmp_path / "tagged"
    done = runner.invoke(gongkai_app, ["tag", str(data_path("samples")), "--out", str(tagged),
                                       "--format", "jsonl", "--workers", "1"])
    assert done.exit_code == 0, done.output
    paragraphs = read_dataset(tagged, "paragraphs")
    other = tmp_path / "other.jsonl"
    write_jsonl(other, [{"report_id": row["report_id"], "index": row["index"],
                         "labels": [*row["labels"], "reject/excessive"]}
                        for row in paragraphs[:2]])
    out = tmp_path / "tasks.json"
    exported = runner.invoke(app, ["review", "export", str(tagged), "--task", "paragraph",
                                   "--compare", str(other), "--compare-model",
                                   "tfidf-paragraph", "--limit", "4", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [task["data"]["reasons"] for task in tasks[:2]] == [["disagreement"]] * 2
    assert len(tasks[0]["predictions"]) == 2 and len(tasks) == 4
    wrong_task = runner.invoke(app, ["review", "export", str(tagged), "--task", "request"])
    assert wrong_task.exit_code == 2
