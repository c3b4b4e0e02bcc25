"""data/prepare.py: assembling parts into the corpora and the labelling guide."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from gongkai.taxonomy import load_taxonomy

PREPARE = Path(__file__).resolve().parents[2] / "data" / "prepare.py"


@pytest.fixture
def prepare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    spec = importlib.util.spec_from_file_location("prepare_under_test", PREPARE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "corpus" / "parts").mkdir(parents=True)
    (tmp_path / "labeling").mkdir()
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "CORPUS", tmp_path / "corpus")
    monkeypatch.setattr(module, "LABELING", tmp_path / "labeling")
    return module


def write_part(root: Path, name: str, rows: list[dict]) -> None:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    (root / "corpus" / "parts" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_requests_are_deduplicated_and_numbered_by_source(prepare, tmp_path: Path) -> None:
    write_part(tmp_path, "requests-b.jsonl", [
        {"text": "申请公开预算", "label": "disclose", "source": "b-1"},
        {"text": "申请公开决算", "label": "disclose", "source": "a-2"},
    ])
    write_part(tmp_path, "requests-c.jsonl", [
        {"text": "申请公开预算", "label": "disclose", "source": "c-9"},
    ])
    prepare.assemble("requests", "req", load_taxonomy())
    rows = [json.loads(line) for line in
            (tmp_path / "corpus" / "requests.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["source"]) for r in rows] == [("req-00001", "a-2"), ("req-00002", "b-1")]


def test_a_bad_label_stops_with_file_and_line(prepare, tmp_path: Path) -> None:
    write_part(tmp_path, "requests-x.jsonl", [
        {"text": "申请公开预算", "label": "disclose", "source": "x-1"},
        {"text": "申请公开决算", "label": "withhold/unknown", "source": "x-2"},
    ])
    with pytest.raises(SystemExit, match=r"requests-x\.jsonl:2: unknown label"):
        prepare.assemble("requests", "req", load_taxonomy())


def test_paragraph_counts_are_checked(prepare, tmp_path: Path) -> None:
    write_part(tmp_path, "paragraphs-x.jsonl", [
        {"text": "予以公开6件", "labels": ["disclose"], "counts": {"nonsense": 6}, "source": "p"},
    ])
    with pytest.raises(SystemExit, match="counts must map"):
        prepare.assemble("paragraphs", "par", load_taxonomy())


def test_labeling_sections_follow_the_taxonomy(prepare, tmp_path: Path) -> None:
    (tmp_path / "labeling" / "a.md").write_text(
        "# part a\n\n### `reject/complaint` 信访举报投诉类申请\n投诉。\n", encoding="utf-8")
    (tmp_path / "labeling" / "b.md").write_text(
        "### `disclose` 予以公开\n公开。\n\n### `withhold` 不予公开\n组。\n", encoding="utf-8")
    prepare.merge_labeling(load_taxonomy())
    guide = (tmp_path / "LABELING.md").read_text(encoding="utf-8")
    assert guide.startswith("# Labelling guide")
    headings = [line for line in guide.splitlines() if line.startswith("### `")]
    assert [h.split("`")[1] for h in headings] == ["disclose", "withhold", "reject/complaint"]
    assert "\n### part a\n" in guide  # a part's own title, under the notes
