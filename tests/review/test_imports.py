"""Labels read back: idempotent, all or nothing, and disagreements reported, not settled."""

from __future__ import annotations

import pytest

from gongkai.corrections import CorrectionError, CorrectionStore
from gongkai.review.imports import from_label_studio, from_rows
from gongkai.review.items import ReviewError
from tests.review.conftest import annotation, exported_task

T1, T2 = "2026-03-01T08:00:00Z", "2026-03-02T08:00:00.5+08:00"


@pytest.fixture
def store(tmp_path) -> CorrectionStore:
    return CorrectionStore(f"sqlite:///{tmp_path / 'corrections.sqlite3'}")


def test_a_label_studio_export_becomes_corrections(store: CorrectionStore) -> None:
    export = [exported_task("a", "请公开他人病历", [
        annotation(1, 1, ["withhold/third_party"], T1, note="涉及个人隐私"),
        annotation(2, 1, ["disclose"], T1, cancelled=True)]),
        exported_task("b", "请公开预算", [])]
    parsed = from_label_studio(export)
    assert (parsed.cancelled, parsed.unannotated) == (1, 1)
    [correction] = parsed.corrections
    assert correction.labels == ("withhold/third_party",)
    assert correction.old_labels == ("disclose",) and correction.model_version == "v1"
    assert correction.annotator == "label-studio:1" and correction.note == "涉及个人隐私"
    assert correction.record is None
    assert store.add(parsed.corrections).added == 1
    [stored] = store.all("request")
    assert stored.created == "2026-03-01T08:00:00.000000Z" and stored.item_id == "a"


def test_importing_twice_adds_nothing(store: CorrectionStore) -> None:
    export = [exported_task("a", "请公开他人病历", [annotation(1, 1, ["disclose"], T1)])]
    assert store.add(from_label_studio(export).corrections).added == 1
    again = store.add(from_label_studio(export).corrections)
    assert (again.added, again.unchanged) == (0, 1) and store.count() == 1
    rows = [{"id": "x", "text": "请公开预算", "label": "disclose", "_line": 1}]
    assert store.add(from_rows(rows, "request", "jsonl", "张三").corrections).added == 1
    assert store.add(from_rows(rows, "request", "jsonl", "张三").corrections).added == 0


def test_an_annotators_latest_label_counts(store: CorrectionStore) -> None:
    first = [exported_task("a", "请公开X", [annotation(1, 1, ["disclose"], T1)])]
    revised = [exported_task("a", "请公开X", [annotation(1, 1, ["partial"], T2)])]
    store.add(from_label_studio(first).corrections)
    store.add(from_label_studio(revised).corrections)
    resolution = store.resolve("request")
    assert [c.labels for c in resolution.corrections] == [("partial",)]
    assert resolution.conflicts == []


def test_annotators_who_disagree_are_reported_not_resolved(store: CorrectionStore) -> None:
    export = [exported_task("a", "请公开X", [annotation(1, 1, ["disclose"], T1),
                                              annotation(2, 2, ["partial"], T1)]),
              exported_task("b", "请公开Y", [annotation(3, 1, ["disclose"], T1),
                                              annotation(4, 2, ["disclose"], T2)])]
    store.add(from_label_studio(export).corrections)
    resolution = store.resolve("request")
    [conflict] = resolution.conflicts
    assert conflict.item_ids == ("a",)
    assert conflict.labels == {"label-studio:1": ("disclose",), "label-studio:2": ("partial",)}
    assert [c.item_id for c in resolution.corrections] == ["b"]
    assert store.count("request") == 4  # both sides kept for whoever settles it


def test_a_bad_label_stores_nothing(store: CorrectionStore) -> None:
    export = [exported_task("a", "请公开X", [annotation(1, 1, ["disclose"], T1)]),
              exported_task("b", "请公开Y", [annotation(2, 1, ["nonsense"], T1)])]
    with pytest.raises(CorrectionError, match="nonsense"):
        store.add(from_label_studio(export).corrections)
    with pytest.raises(CorrectionError, match="一个标签"):
        store.add(from_label_studio([exported_task("c", "请公开Z", [
            annotation(3, 1, ["disclose", "partial"], T1)])]).corrections)
    assert store.count() == 0
    with pytest.raises(ReviewError):
        from_label_studio({"not": "a list"})


def test_plain_rows_from_a_spreadsheet(store: CorrectionStore) -> None:
    rows = [{"id": "p1", "text": "本年度予以公开6件，部分公开2件。", "labels": "disclose|partial",
             "annotator": "李四", "created": T1, "_line": 2},
            {"id": "p2", "text": "未发生不予公开情形。", "labels": '["withhold"]', "_line": 3}]
    parsed = from_rows(rows, "paragraph", "csv", annotator="王五")
    assert [c.labels for c in parsed.corrections] == [("disclose", "partial"), ("withhold",)]
    assert [c.annotator for c in parsed.corrections] == ["李四", "王五"]
    assert store.add(parsed.corrections).added == 2
    with pytest.raises(CorrectionError, match="标注人"):
        store.add(from_rows([{"text": "x", "label": "disclose"}], "request", "csv")
                  .corrections)
