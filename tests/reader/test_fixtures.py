"""Every hand-made fixture report against what a correct reader must output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.reader import ReaderError, read_report

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"
CASES = sorted(p for p in FIXTURES.glob("*.expected.json"))


def _report_file(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    matches = [p for p in FIXTURES.glob(stem + ".*") if not p.name.endswith(".expected.json")]
    assert len(matches) == 1, f"fixture file for {stem}"
    return matches[0]


@pytest.mark.parametrize("expected_path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_fixture(expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    path = _report_file(expected_path)
    if expected.get("error"):
        with pytest.raises(ReaderError) as info:
            read_report(path)
        assert info.value.kind == expected["error"]
        return
    report = read_report(path)
    data = report.as_dict()
    for key in ("template", "title", "agency", "year"):
        if key in expected:
            assert data[key] == expected[key], key
    if "sections" in expected:
        assert [s["number"] for s in data["sections"]] == expected["sections"]
    assert len(data["paragraphs"]) >= expected.get("min_paragraphs", 0)
    rows = data["tables"]["requests"]["rows"]
    for row_id, cells in expected.get("requests", {}).items():
        assert rows[row_id] == cells, row_id
    failing = sorted(c["id"] for c in data["checks"] if c["ok"] is False)
    assert failing == sorted(expected.get("failing_checks", [])), data["checks"]
    reported = report.as_dict("en")["warnings"] + [
        json.dumps(c, ensure_ascii=False) for c in data["checks"] if c["ok"] is False
    ]
    for fragment in expected.get("warnings_contain", []):
        assert any(fragment in text for text in reported), (fragment, data["warnings"])
    table_rows = {p["text"] for p in data["paragraphs"]}
    assert not any("\t" in text for text in table_rows)
