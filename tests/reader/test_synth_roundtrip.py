"""Random consistent reports in every layout (and as docx/PDF made here) read back exactly."""

from __future__ import annotations

import random

import pytest

from gongkai import synth
from gongkai.reader import read_report


def _assert_matches(report: dict, expected: dict, exact_rows: bool = True) -> None:
    for key in ("template", "title", "agency", "year"):
        assert report[key] == expected[key], key
    rows = report["tables"]["requests"]["rows"]
    if exact_rows:
        for row_id, cells in expected["requests"].items():
            assert rows[row_id] == cells, row_id
    failing = sorted(c["id"] for c in report["checks"] if c["ok"] is False)
    assert failing == sorted(expected["failing_checks"])


@pytest.mark.parametrize("layout", synth.LAYOUTS)
@pytest.mark.parametrize("seed", range(10))
def test_random_report_in_layout(layout: str, seed: int) -> None:
    rng = random.Random(f"{layout}-{seed}")
    spec = synth.random_spec(rng, rng.choice(["2019", "2021"]), flags=synth.random_flags(rng))
    name = "r.html" if layout == "html" else "r.txt"
    report = read_report(synth.render(spec, layout).encode("utf-8"), name=name).as_dict()
    _assert_matches(report, synth.expected_record(spec, layout))


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_docx_made_in_test(tmp_path, template: str) -> None:
    rng = random.Random(template)
    spec = synth.random_spec(rng, template)
    path = tmp_path / "report.docx"
    synth.write_docx(spec, path)
    _assert_matches(read_report(path).as_dict(), synth.expected_record(spec, "docx"))


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_pdf_made_in_test(tmp_path, template: str) -> None:
    rng = random.Random("pdf" + template)
    spec = synth.random_spec(rng, template)
    path = tmp_path / "report.pdf"
    synth.write_pdf(spec, path)
    report = read_report(path).as_dict()
    expected = synth.expected_record(spec, "pdf")
    _assert_matches(report, expected)
    assert len(report["paragraphs"]) >= expected["min_paragraphs"]


def test_scanned_pdf_has_no_text_layer(tmp_path) -> None:
    from gongkai.reader import ReaderError

    path = tmp_path / "scan.pdf"
    synth.write_blank_pdf(path)
    with pytest.raises(ReaderError) as info:
        read_report(path)
    assert info.value.kind == "no_text_layer"
    assert "没有文字层" in str(info.value)
