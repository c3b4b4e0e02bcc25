"""Property test: mangled reports only ever raise the reader's own error type."""

from __future__ import annotations

import contextlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reader import ReaderError, Report, read_report
from gongkai.resources import data_path

SAMPLES = sorted(data_path("samples").glob("*.txt"))
FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "reports").glob("*.txt"))


def _utf8_texts() -> list[str]:
    texts = []
    for path in SAMPLES + FIXTURES:
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return texts


TEXTS = _utf8_texts()
JUNK = st.sampled_from(
    [
        "\t",
        " | ",
        "|||||||",
        "\x00",
        "\ufffd",
        "(三)",
        "一、",
        "总计",
        "12a",
        "—",
        "\n\n\n",
        "<td>",
        "四、结转下年度继续办理",
    ]
)


@st.composite
def mutated(draw) -> bytes:
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    for _ in range(draw(st.integers(0, 8))):
        if not lines:
            break
        op = draw(st.sampled_from(["drop", "dup", "swap_sep", "junk", "cut"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap_sep":
            lines[i] = lines[i].replace("\t", draw(st.sampled_from([" | ", "|", "  ", "\n", ""])))
        elif op == "junk":
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + draw(JUNK) + lines[i][j:]
        else:
            lines = lines[: i + 1]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "utf-16"]))
    return text.encode(encoding, errors="replace")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_reports_raise_only_reader_error(data: bytes) -> None:
    try:
        report = read_report(data, name="mutated.txt")
    except ReaderError as exc:
        assert exc.kind and str(exc)
        return
    assert isinstance(report, Report)
    report.as_dict()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_raise_only_reader_error(data: bytes) -> None:
    with contextlib.suppress(ReaderError):
        read_report(data, name="random.bin")
