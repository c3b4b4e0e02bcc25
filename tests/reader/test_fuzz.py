"""Fuzz, on a fixed small budget: byte-level mutations of a real report, a docx and an HTML
page either read as a report whose JSON is strict or are refused with a ReaderError.

The longer run, with timings and memory, is ``python bench/bench_fuzz.py``.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reader import ReaderError, read_report
from gongkai.resources import data_path
from gongkai.synth.minimal import bare_docx, bare_html

SAMPLE = (data_path("samples") / "2019-sample-office.txt").read_bytes()


SEEDS = {"sample.txt": SAMPLE, "sample.docx": bare_docx(SAMPLE.decode("utf-8")),
         "sample.html": bare_html(SAMPLE.decode("utf-8"))}
_TOKENS = [b"\x00", b"\xff", b"<div>", b"</td>", b'colspan="100"', b"PK\x03\x04", b"\t",
           b"-", b"9" * 40, b"\xe4\xb8", b"|", b"\n\n"]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few flips, inserts, deletions, cuts and repeated slices."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "cut", "repeat"]))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(_TOKENS) | st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "cut":
            del data[at:]
        else:
            data[at:at] = bytes(data[at:at + draw(st.integers(1, 256))]) * draw(st.integers(2, 20))
    return bytes(data)


def _reject(name: str) -> None:
    raise AssertionError(f"not strict JSON: {name}")


def _read(data: bytes, name: str) -> None:
    try:
        report = read_report(data, name=name)
    except ReaderError as exc:
        assert exc.kind and str(exc) and exc.kind != "internal", exc.detail
        return
    json.loads(json.dumps(report.as_dict(), ensure_ascii=False), parse_constant=_reject)


FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(st.sampled_from(sorted(SEEDS)).flatmap(
    lambda name: st.tuples(st.just(name), mutated(SEEDS[name]))))
def test_mutated_inputs_read_or_raise_reader_error(case: tuple[str, bytes]) -> None:
    name, data = case
    _read(data, name)


def test_the_seeds_are_reports() -> None:
    for name, data in SEEDS.items():
        report = read_report(data, name=name)
        assert report.requests["found"], name
