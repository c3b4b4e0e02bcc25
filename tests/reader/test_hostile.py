"""Hostile input: refused with a ReaderError that names the specifics, in bounded time, and
numbers read exactly. Every input is built here, small: the limits are lowered instead."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.reader import ReaderError, Report, read_report
from gongkai.reader.limits import ReaderLimits, env_names
from gongkai.reader.markup import html_lines
from gongkai.resources import data_path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY = (f"<w:document {W}><w:body><w:p><w:r><w:t>某局2023年政府信息公开工作年度报告</w:t></w:r>"
        "</w:p>{filler}</w:body></w:document>")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def docx(members: dict[str, str | bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def body(filler: str = "") -> str:
    return BODY.format(filler=filler)


def patch_central_entry(data: bytes, offset: int, value: int, size: int = 2) -> bytes:
    """Overwrite a field of the (first) central-directory entry: offset 6 is the version
    needed to extract, 10 the compression method, 24 the uncompressed size."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    out[at + offset:at + offset + size] = value.to_bytes(size, "little")
    return bytes(out)


def refused(data: bytes, name: str, limits: ReaderLimits | None = None,
            seconds: float = 5.0) -> ReaderError:
    """The ReaderError reading ``data`` raises, within ``seconds``; its Chinese message
    names the file."""
    start = time.perf_counter()
    with pytest.raises(ReaderError) as info:
        read_report(data, name=name, limits=limits)
    assert time.perf_counter() - start < seconds
    message = str(info.value)
    assert message.startswith(f"{name}：") and _CJK.search(message) and "\n" not in message
    return info.value


def test_a_member_that_needs_zip_version_148() -> None:
    data = patch_central_entry(docx({"word/document.xml": body()}), 6, 148)
    error = refused(data, "v148.docx")
    assert (error.kind, error.message_id) == ("unsupported", "reader.zip_unsupported")
    assert "word/document.xml" in str(error) and "14.8" in str(error)
    assert "version 14.8" in error.note().text("en")


def test_an_unknown_compression_method() -> None:
    data = patch_central_entry(docx({"word/document.xml": body()}), 10, 99)
    error = refused(data, "m99.docx")
    assert error.message_id == "reader.zip_unsupported" and "压缩方式 99" in str(error)


def test_a_document_that_is_not_a_word_body() -> None:
    error = refused(docx({"word/document.xml": "<foo/>"}), "foo.docx")
    assert (error.kind, error.message_id) == ("corrupt", "reader.docx_body")
    assert "根元素是 foo" in str(error)
    no_body = f"<w:document {W}><w:p/></w:document>"
    error = refused(docx({"word/document.xml": no_body}), "nobody.docx")
    assert "w:document" in str(error)


def test_malformed_xml_names_the_line() -> None:
    xml = f"<w:document {W}>\n<a>\n</w:document>"
    error = refused(docx({"word/document.xml": xml}), "x.docx")
    assert error.message_id == "reader.docx_xml"
    assert "word/document.xml" in str(error) and "第 3 行" in str(error)


def test_an_entity_bomb_is_not_expanded() -> None:
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<!DOCTYPE d [<!ENTITY e0 "某某某某">{entities}]>'
           + body("<w:p><w:r><w:t>&e9;</w:t></w:r></w:p>"))
    start = time.perf_counter()
    try:
        lines = read_report(docx({"word/document.xml": xml}), name="lol.docx")
        assert sum(len(p.text) for p in lines.paragraphs) < 1000
    except ReaderError as exc:
        assert exc.kind in ("corrupt", "too_large", "not_a_report")
    assert time.perf_counter() - start < 5


def test_a_zip_bomb_is_refused_by_its_declared_size() -> None:
    data = docx({"word/document.xml": body(" " * 3_000_000)})
    assert len(data) < 50_000
    error = refused(data, "bomb.docx", ReaderLimits(max_unzipped_bytes=1_000_000))
    assert (error.kind, error.message_id) == ("too_large", "reader.too_large_unzipped")
    assert "0.954 MB" in str(error)  # the limit, in MB


def test_a_zip_that_lies_about_its_size_is_not_believed() -> None:
    data = docx({"word/document.xml": body(" " * 3_000_000)})
    lying = patch_central_entry(data, 24, 100, size=4)
    error = refused(lying, "lie.docx", ReaderLimits(max_unzipped_bytes=1_000_000))
    assert error.message_id in ("reader.zip_corrupt", "reader.too_large_unzipped")


def test_a_damaged_member_and_a_damaged_directory() -> None:
    data = docx({"word/document.xml": body("<w:p/>" * 200)})
    at = data.find(b"PK\x03\x04") + 30 + len("word/document.xml")
    damaged = data[:at + 20] + bytes(40) + data[at + 60:]
    error = refused(damaged, "damaged.docx")
    assert error.message_id == "reader.zip_corrupt" and "word/document.xml" in str(error)
    error = refused(b"PK\x03\x04not really a zip", "junk.docx")
    assert (error.kind, error.message_id) == ("corrupt", "reader.zip_directory")


def test_too_many_members() -> None:
    members: dict[str, str | bytes] = {f"m/{i}.xml": "" for i in range(60)}
    error = refused(docx({**members, "word/document.xml": body()}), "many.docx",
                    ReaderLimits(max_zip_members=50))
    assert error.message_id == "reader.too_many_members"
    assert "61 个文件" in str(error) and "50 个" in str(error)


def test_a_zip_without_a_word_document() -> None:
    error = refused(docx({"readme.txt": "x"}), "a.docx")
    assert (error.kind, error.message_id) == ("unsupported", "reader.not_docx")
    assert "word/document.xml" in str(error)


def test_nesting_5000_deep_is_refused_fast() -> None:
    page = "<html><body>" + "<div>" * 5000 + "某局报告" + "</div>" * 5000 + "</body></html>"
    error = refused(page.encode(), "deep.html", seconds=3)
    assert error.message_id == "reader.too_deep" and "512 层" in str(error)


def test_nested_tables_are_refused_fast() -> None:
    page = "<table><tr><td>" * 2000 + "某局报告" + "</td></tr></table>" * 2000
    error = refused(f"<html><body>{page}</body></html>".encode(), "tables.html", seconds=3)
    assert error.message_id == "reader.too_deep"


def test_a_deep_page_within_the_limit_is_read_in_linear_time() -> None:
    page = ("<html><body><p>某县某局2023年政府信息公开工作年度报告</p>" + "<div>" * 400 + "正文"
            + "</div>" * 400 + "</body></html>")
    start = time.perf_counter()
    report = read_report(page.encode(), name="deep.html")
    assert time.perf_counter() - start < 3
    assert report.title == "某县某局2023年政府信息公开工作年度报告"
    assert "正文" in html_lines(page)


def test_spans_are_refused_by_area_before_any_grid() -> None:
    cells = '<td rowspan="100" colspan="100">1</td>' * 1000
    page = f"<html><body><p>某局报告</p><table><tr>{cells}</tr></table></body></html>"
    error = refused(page.encode(), "span.html", seconds=2)
    assert error.message_id == "reader.span_area"
    assert "10000000 格" in str(error) and "200000 格" in str(error)


def test_too_many_elements() -> None:
    page = "<html><body>" + "<p>某</p>" * 500 + "</body></html>"
    error = refused(page.encode(), "many.html", ReaderLimits(max_html_elements=100))
    assert error.message_id == "reader.too_many_elements" and "100 个" in str(error)


def test_pdf_pages_are_counted_before_any_is_laid_out(tmp_path: Path) -> None:
    from gongkai.synth.pdf import write_blank_pdf

    path = tmp_path / "pages.pdf"
    write_blank_pdf(path, pages=5)
    error = refused(path.read_bytes(), "pages.pdf", ReaderLimits(max_pdf_pages=3))
    assert error.message_id == "reader.too_many_pages"
    assert "至少有 4 页" in str(error) and "3 页" in str(error)


def test_a_pdf_stream_bomb() -> None:
    stream = zlib.compress(bytes(5_000_000), 9)
    data = (b"%PDF-1.4\n1 0 obj\n<</Length " + str(len(stream)).encode()
            + b"/Filter/FlateDecode>>\nstream\n" + stream + b"\nendstream\nendobj\n%%EOF\n")
    error = refused(data, "bomb.pdf", ReaderLimits(max_unzipped_bytes=1_000_000))
    assert error.message_id == "reader.too_large_pdf_streams"


def test_too_many_characters() -> None:
    text = "某县某局2023年政府信息公开工作年度报告\n" + "正文。" * 1000
    error = refused(text.encode(), "long.txt", ReaderLimits(max_chars=1000))
    assert error.message_id == "reader.too_many_chars" and "1000 字" in str(error)


def test_too_large_a_file() -> None:
    error = refused("某".encode() * 1000, "big.txt", ReaderLimits(max_bytes=1000))
    assert error.message_id == "reader.too_large_file"


# --- numbers, exactly ------------------------------------------------------------------------

def report_text(new: str, total: str, carried_forward: str = "0") -> bytes:
    def row(label: str, value: str) -> str:
        return f"{label}\t\t{value}\t0\t0\t0\t0\t0\t{value}\n"

    return ("某县某局2023年政府信息公开工作年度报告\n一、总体情况\n本局依法公开。\n"
            "三、收到和处理政府信息公开申请情况\n"
            + row("一、本年新收政府信息公开申请数量", new)
            + row("二、上年结转政府信息公开申请数量", "0")
            + "三、本年度办理结果\t" + row("(一)予以公开", total)
            + row("(七)总计", total)
            + row("四、结转下年度继续办理", carried_forward)).encode()


def strict_json(report: Report) -> dict:
    def reject(name: str) -> None:
        raise AssertionError(f"not strict JSON: {name}")

    for lang in ("zh", "en"):
        text = json.dumps(report.as_dict(lang), ensure_ascii=False)
        data = json.loads(text, parse_constant=reject)
    return data


def test_twenty_digit_counts_do_not_compare_equal() -> None:
    data = report_text("100000000000000000001", str(10**20))
    report = read_report(data, name="exact.txt", limits=ReaderLimits(max_count=10**30))
    identity = next(c for c in report.checks if c.id == "identity")
    assert identity.ok is False
    assert "100000000000000000001" in identity.message and str(10**20) in identity.message
    rows = strict_json(report)["tables"]["requests"]["rows"]
    assert rows["new_received"]["natural_person"] == 100000000000000000001
    assert type(report.requests["rows"]["new_received"]["total"]) is int


def test_counts_over_the_limit_are_noted_and_left_out_of_the_checks() -> None:
    report = read_report(report_text("100000000000000000001", str(10**20)), name="big.txt")
    identity = next(c for c in report.checks if c.id == "identity")
    assert identity.ok is None and identity.message_id in ("check.unusable", "check.partly")
    assert "超过 1000000000 的上限" in " ".join(report.warnings)
    assert report.requests["rows"]["new_received"]["natural_person"] is None
    strict_json(report)


def test_a_400_digit_cell_is_neither_infinity_nor_a_crash() -> None:
    huge = "9" * 400
    report = read_report(report_text(huge, huge), name="huge.txt")
    data = strict_json(report)
    assert data["tables"]["requests"]["rows"]["total"]["total"] is None
    assert any("（共 400 位）" in w for w in report.warnings)
    report = read_report(report_text(huge, huge), name="huge.txt",
                         limits=ReaderLimits(max_count=10**500))
    assert report.requests["rows"]["total"]["total"] == int(huge)
    strict_json(report)


def test_a_negative_count_is_noted_and_its_checks_say_so() -> None:
    report = read_report(report_text("-3", "-3"), name="negative.txt")
    assert any("-3 是负数" in w for w in report.warnings)
    identity = next(c for c in report.checks if c.id == "identity")
    assert identity.ok is None and "无法使用的单元格" in identity.message
    assert "负数" in identity.message
    strict_json(report)


def test_the_sample_report_is_strict_json() -> None:
    strict_json(read_report(data_path("samples") / "2019-sample-office.txt"))


# --- configuration -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "ten"])
def test_a_bad_limit_variable_is_a_clear_error(value: str) -> None:
    with pytest.raises(ReaderError) as info:
        ReaderLimits.from_env({"GONGKAI_READER_MAX_BYTES": value})
    assert info.value.kind == "config"
    assert str(info.value) == f"环境变量 GONGKAI_READER_MAX_BYTES 的值「{value}」无效：应为正整数"


def test_limit_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ReaderLimits.from_env({"GONGKAI_READER_MAX_PDF_PAGES": "1_000"}).max_pdf_pages == 1000
    assert set(env_names().values()) == {f"GONGKAI_READER_{name.upper()}"
                                         for name in ReaderLimits.__dataclass_fields__}
    monkeypatch.setenv("GONGKAI_READER_MAX_CHARS", "nope")
    with pytest.raises(ReaderError) as info:
        read_report(report_text("1", "1"), name="r.txt")
    assert info.value.message_id == "reader.bad_limit"
    monkeypatch.setenv("GONGKAI_READER_MAX_CHARS", "10")
    with pytest.raises(ReaderError) as info:
        read_report(report_text("1", "1"), name="r.txt")
    assert info.value.message_id == "reader.too_many_chars"


# --- the command line ------------------------------------------------------------------------

def test_the_cli_says_one_chinese_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(patch_central_entry(docx({"word/document.xml": body()}), 6, 148))
    result = CliRunner().invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith("错误：") and "word/document.xml" in lines[0]
    assert "14.8" in lines[0]
