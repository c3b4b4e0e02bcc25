"""Every bundled sample passes every check; a copy with two planted errors fails only those."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.reader import read_report
from gongkai.resources import data_path

TWO_ERRORS = Path(__file__).parents[1] / "fixtures" / "office-2019-two-errors.txt"
SAMPLES = sorted(p.name for p in data_path("samples").iterdir() if p.suffix in {".txt", ".html"})


def _failing(path: Path) -> dict[str, list[dict]]:
    report = read_report(path)
    return {c.id: c.values["failures"] for c in report.checks if c.ok is False}


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_passes_every_check(name: str) -> None:
    report = read_report(data_path("samples") / name)
    assert report.requests and report.template
    assert _failing(data_path("samples") / name) == {}
    assert not report.warnings


def test_the_two_errors_copy_fails_only_its_planted_errors() -> None:
    """identity (上年结转 2 never counted among the results) and one narrative figure (予以公开
    11 is the 自然人 column); its 县长信箱 letters are not requests."""
    failing = _failing(TWO_ERRORS)
    assert sorted(failing) == ["identity", "narrative"]
    assert [(f["row"], f["narrative"], f["table"]) for f in failing["narrative"]] == [
        ("disclose", 11, 16)]
    assert {f["column"] for f in failing["identity"]} == {"natural_person", "total"}
