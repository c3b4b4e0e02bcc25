"""Bad input gets a ReaderError (a clear message and a kind), never a traceback."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from gongkai.reader import ReaderError, read_report
from gongkai.reader.decode import decode_text

MINIMAL = (
    "某县某局2023年政府信息公开工作年度报告\n\n一、总体情况\n\n本局依法做好政府信息公开工作。\n\n"
    "三、收到和处理政府信息公开申请情况\n\n"
    "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2\n"
    "三、本年度办理结果\t(一)予以公开\t\t2\t0\t0\t0\t0\t0\t2\n"
    "(七)总计\t\t2\t0\t0\t0\t0\t0\t2\n"
)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"   \n\n\t  ", "empty"),
        (os.urandom(4096) + b"\x00" * 1024, "binary"),
        (b"%PDF-1.4\n%garbage that is not a pdf\n", "corrupt"),
        (b"PK\x03\x04not really a zip", "corrupt"),
        (b"hello world, nothing Chinese here\n", "not_a_report"),
        ("随便写的几句话，和年度报告没有关系。".encode(), "not_a_report"),
    ],
)
def test_bad_bytes_raise_reader_error(data: bytes, kind: str) -> None:
    with pytest.raises(ReaderError) as info:
        read_report(data, name="input")
    assert info.value.kind == kind
    assert str(info.value)


def test_zip_that_is_not_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "x")
    with pytest.raises(ReaderError) as info:
        read_report(buffer.getvalue(), name="a.docx")
    assert info.value.kind == "unsupported"


def test_huge_file_is_refused_before_reading(tmp_path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\n")
    with pytest.raises(ReaderError) as info:
        read_report(path)
    assert info.value.kind == "too_large"
    assert "MB" in str(info.value)


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(ReaderError) as info:
        read_report(tmp_path / "nope.txt")
    assert info.value.kind == "not_found"
    with pytest.raises(ReaderError) as info:
        read_report(tmp_path)
    assert info.value.kind == "unsupported"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-8-sig"]
)
def test_encodings_are_detected(encoding: str) -> None:
    report = read_report(MINIMAL.encode(encoding), name=f"r.{encoding}.txt")
    assert report.title == "某县某局2023年政府信息公开工作年度报告"
    assert report.requests["rows"]["disclose"]["total"] == 2


def test_wrong_declared_encoding_bytes() -> None:
    bad = b"\xff\xfe\xfe\xff" + "年度报告".encode()
    with pytest.raises(ReaderError):
        decode_text(bad[:5])


def test_letters_in_number_cells_become_null_with_warning() -> None:
    text = MINIMAL.replace("(一)予以公开\t\t2\t0", "(一)予以公开\t\t2\tO")
    report = read_report(text.encode(), name="letters.txt")
    assert report.requests["rows"]["disclose"]["commercial"] is None
    assert any("(一)予以公开 × 商业企业" in w and "「O」" in w for w in report.warnings)
    english = report.as_dict("en")["warnings"]
    assert any("disclose × commercial" in w and "“O”" in w for w in english)


def test_report_without_section_three() -> None:
    text = (
        "某镇人民政府2022年政府信息公开工作年度报告\n一、总体情况\n"
        "本镇全年未收到政府信息公开申请。\n"
    )
    report = read_report(text.encode(), name="no3.txt")
    assert report.requests["found"] is False
    assert all(v is None for row in report.requests["rows"].values() for v in row.values())
    assert any("三" in w for w in report.warnings)
    assert {c.id: c.ok for c in report.checks}["identity"] is None


def test_blank_cells_are_null_never_zero() -> None:
    text = MINIMAL.replace("(一)予以公开\t\t2\t0\t0\t0\t0\t0\t2", "(一)予以公开\t\t2\t\t\t\t\t\t2")
    row = read_report(text.encode(), name="blank.txt").requests["rows"]["disclose"]
    assert row["natural_person"] == 2 and row["total"] == 2
    assert row["commercial"] is None and row["other_org"] is None
