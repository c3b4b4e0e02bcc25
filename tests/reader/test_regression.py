"""A slice of the 1,000-report regression benchmark (``bench/bench_regression.py``): generated
reports in every layout, encoding and format are read back exactly, with no false alarm
and no number in a wrong column."""

from __future__ import annotations

import random

import pytest

from gongkai.reader import ReaderError, read_report
from gongkai.synth.regression import KINDS, Score, Tally, make_case, score

PER_KIND = 22  # 242 reports in all


def _read(index: int, kind: str) -> tuple[str, Score]:
    case = make_case(index, kind, random.Random(f"0-{index}-{kind}"))
    try:
        report = read_report(case.data, name=case.name).as_dict()
    except ReaderError as exc:
        return case.name, score(None, case.expected, error=exc.kind)
    return case.name, score(report, case.expected)


@pytest.mark.parametrize("kind", KINDS)
def test_generated_reports_read_back_exactly(kind: str) -> None:
    first = KINDS.index(kind)
    tally = Tally()
    imperfect = []
    for index in range(first, first + PER_KIND * len(KINDS), len(KINDS)):
        name, result = _read(index, kind)
        tally.add(result)
        flawed = (result.cells_exact < result.cells or result.wrong_rows or result.error
                  or result.false_failures or result.missed_failures
                  or not result.template_ok or not result.identity_ok)
        if flawed:
            imperfect.append((name, result))
    assert not imperfect, imperfect[:3]
    assert tally.reports == PER_KIND and tally.rows_wrong == 0 and tally.false_failures == 0
