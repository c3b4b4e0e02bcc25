"""Tagging whole archives on the local engine: inputs, datasets in every format, errors,
resume after a kill, determinism across worker counts, duplicates and the summary."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import warnings
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from gongkai import synth
from gongkai.archive.datasets import NAMES
from gongkai.archive.formats import read_dataset
from gongkai.archive.local import HOLD_ENV, run_local
from gongkai.archive.plan import content_id, make_plan
from gongkai.archive.state import job_of
from gongkai.archive.summary import write_summary
from gongkai.archive.tagger import tag_units
from gongkai.cli.archive import summarize, tag
from gongkai.models.base import DispositionModel
from gongkai.models.store import check_model, load_model
from gongkai.taxonomy import load_taxonomy
from gongkai.training.train import train

ENCODED = {"gb.txt": "gb18030", "utf16.txt": "utf-16"}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> str:
    """A quickly trained keyword model: the archive code is under test, not the model."""
    directory = tmp_path_factory.mktemp("model") / "rules-paragraph"
    train("paragraph", kind="rules", out=directory)
    return str(directory)


@pytest.fixture(scope="module")
def job(model_dir: str) -> dict:
    return job_of(check_model(model_dir, "paragraph"))


def _spec(rng: random.Random, **kwargs) -> synth.ReportSpec:
    return synth.random_spec(rng, rng.choice(["2019", "2021"]), flags=synth.random_flags(rng),
                             **kwargs)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> dict:
    """A folder of reports in every layout and encoding, a docx, a PDF, a copy, a zip, two
    years of one agency with a 10x jump, and bad files of every kind."""
    rng = random.Random(7)
    root = tmp_path_factory.mktemp("archive") / "reports"
    (root / "2021").mkdir(parents=True)
    (root / "bad").mkdir()
    specs = {}
    for i, layout in enumerate(synth.LAYOUTS):
        name = f"2021/{i}-{layout}.{'html' if layout == 'html' else 'txt'}"
        specs[name] = _spec(rng)
        (root / name).write_text(synth.render(specs[name], layout), encoding="utf-8")
    for name, encoding in ENCODED.items():
        specs[name] = _spec(rng)
        (root / name).write_bytes(synth.render(specs[name], "tab").encode(encoding))
    specs["word.docx"], specs["scan.pdf"] = _spec(rng), _spec(rng)
    synth.write_docx(specs["word.docx"], root / "word.docx")
    synth.write_pdf(specs["scan.pdf"], root / "scan.pdf")
    (root / "copy.txt").write_bytes((root / "gb.txt").read_bytes())
    small = _spec(rng, year=2021, requests_total=3)
    big = _spec(rng, year=2022, requests_total=40)
    big = replace(big, agency=small.agency, title=f"{small.agency}2022年政府信息公开工作年度报告")
    with zipfile.ZipFile(root / "bundle.zip", "w") as bundle:
        bundle.writestr("agency/2021.txt", synth.render(small, "tab"))
        bundle.writestr("agency/2022.html", synth.render(big, "html"))
    pdf = (root / "scan.pdf").read_bytes()
    (root / "bad" / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (root / "bad" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    (root / "bad" / "empty.txt").write_bytes(b"")
    with zipfile.ZipFile(root / "bad" / "sheet.xlsx", "w") as sheet:
        sheet.writestr("xl/workbook.xml", "<workbook/>")
    (root / "bad" / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    with open(root / "bad" / "huge.txt", "wb") as huge:
        huge.truncate(200 * 1024 * 1024)
    return {"root": root, "specs": specs, "agency": small.agency}


def _run(archive: dict, out: Path, model_dir: str, job: dict, workers: int = 2,
         fmt: str = "parquet", inputs: list[str] | None = None):
    plan = make_plan(inputs or [str(archive["root"])], skip=out)
    return run_local(plan, out, fmt, workers, model_dir, job, progress=False)


@pytest.fixture(scope="module")
def clean(archive, model_dir, job, tmp_path_factory) -> Path:
    """One uninterrupted run with two workers: the reference output."""
    out = tmp_path_factory.mktemp("clean")
    _run(archive, out, model_dir, job)
    return out


def _same_files(left: Path, right: Path, fmt: str = "parquet") -> None:
    for name in NAMES:
        assert (left / f"{name}.{fmt}").read_bytes() == (right / f"{name}.{fmt}").read_bytes(), name


def test_folder_datasets(clean: Path, archive: dict) -> None:
    reports = read_dataset(clean, "reports")
    by_source = {source: row for row in reports for source in row["sources"]}
    root = archive["root"]
    for name, spec in archive["specs"].items():
        row = by_source[str(root / name)]
        assert (row["agency"], row["year"], row["template"]) == (spec.agency, spec.year,
                                                                 spec.template), name
        assert row["paragraphs"] > 0 and {c["id"] for c in row["checks"]} >= {"identity"}
    paragraphs = read_dataset(clean, "paragraphs")
    assert {p["report_id"] for p in paragraphs} == {r["report_id"] for r in reports}
    assert any(p["labels"] for p in paragraphs)
    cells = read_dataset(clean, "cells")
    assert {"requests", "proactive", "review_litigation"} <= {c["table"] for c in cells}
    one = next(r for r in reports if r["source"].endswith("0-tab.txt"))
    table = archive["specs"]["2021/0-tab.txt"].requests
    got = {(c["row"], c["column"]): c["value"] for c in cells
           if c["report_id"] == one["report_id"] and c["table"] == "requests"}
    assert got[("new_received", "total")] == table["new_received"]["total"]


def test_every_dataset_loads_with_pandas_and_hugging_face_datasets(clean: Path) -> None:
    import pandas as pd
    from datasets import load_dataset

    for name in NAMES:
        path = str(clean / f"{name}.parquet")
        frame = pd.read_parquet(path)
        loaded = load_dataset("parquet", data_files=path, split="train")
        assert len(loaded) == len(frame) == len(read_dataset(clean, name)), name
        assert loaded.column_names == list(frame.columns), name
    paragraphs = load_dataset("parquet", data_files=str(clean / "paragraphs.parquet"),
                              split="train")
    tagged = next(row for row in paragraphs if row["scores"])
    assert set(tagged["scores"][0]) == {"label", "score"}
    assert all(set(entry) == {"row", "value"} for row in paragraphs for entry in row["counts"])


def test_mixed_encodings(clean: Path, archive: dict) -> None:
    by_source = {source: row for row in read_dataset(clean, "reports")
                 for source in row["sources"]}
    for name, encoding in ENCODED.items():
        assert by_source[str(archive["root"] / name)]["encoding"] == encoding


def test_same_report_under_two_names(clean: Path, archive: dict) -> None:
    root = archive["root"]
    reports = read_dataset(clean, "reports")
    twice = [r for r in reports if len(r["sources"]) > 1]
    assert [r["sources"] for r in twice] == [[str(root / "copy.txt"), str(root / "gb.txt")]]
    assert twice[0]["report_id"] == content_id((root / "gb.txt").read_bytes())
    paragraphs = [p for p in read_dataset(clean, "paragraphs")
                  if p["report_id"] == twice[0]["report_id"]]
    assert len({p["index"] for p in paragraphs}) == len(paragraphs) == twice[0]["paragraphs"]


def test_errors_dataset(clean: Path, archive: dict) -> None:
    bad = archive["root"] / "bad"
    errors = {Path(row["source"]).name: row["error_type"] for row in
              read_dataset(clean, "errors")}
    assert errors == {"truncated.pdf": "corrupt", "image.txt": "binary", "empty.txt": "empty",
                      "broken.zip": "corrupt", "huge.txt": "too_large"}
    assert all(row["message"] for row in read_dataset(clean, "errors"))
    assert (bad / "huge.txt").stat().st_size == 200 * 1024 * 1024


def test_the_plan_skips_what_is_not_a_report(archive: dict) -> None:
    plan = make_plan([str(archive["root"])])
    assert [Path(name).name for name in plan.skipped] == ["sheet.xlsx"]
    named = make_plan([str(archive["root"] / "bad" / "sheet.xlsx")])  # named: always read
    assert named.skipped == [] and len(named.units) == 1


def test_zip_and_glob_inputs(tmp_path: Path, archive: dict, model_dir: str, job: dict) -> None:
    root = archive["root"]
    _run(archive, tmp_path / "zip", model_dir, job, inputs=[str(root / "bundle.zip")])
    sources = [r["source"] for r in read_dataset(tmp_path / "zip", "reports")]
    assert sorted(sources) == [f"{root / 'bundle.zip'}!agency/2021.txt",
                               f"{root / 'bundle.zip'}!agency/2022.html"]
    pattern = str(root / "**" / "*.html")
    _run(archive, tmp_path / "glob", model_dir, job, inputs=[pattern, str(root / "nothing*")])
    assert [Path(r["source"]).name for r in read_dataset(tmp_path / "glob", "reports")] == [
        f"{synth.LAYOUTS.index('html')}-html.html"]
    assert read_dataset(tmp_path / "glob", "errors")[0]["error_type"] == "not_found"


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_every_format(tmp_path: Path, clean: Path, archive: dict, model_dir: str, job: dict,
                      fmt: str) -> None:
    out = tmp_path / "out"
    _run(archive, out, model_dir, job)
    outcome = _run(archive, out, model_dir, job, fmt=fmt)
    assert outcome.tagged == 0  # a new format only reassembles the state
    assert sorted(path.name for path in out.iterdir() if path.is_file()) == sorted(
        f"{name}.{fmt}" for name in NAMES)
    for name in NAMES:
        assert read_dataset(out, name) == read_dataset(clean, name), name


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_writer_streams_in_row_groups_and_keeps_the_old_dataset_on_error(
        tmp_path: Path, clean: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.archive import formats

    rows = read_dataset(clean, "paragraphs")
    monkeypatch.setattr(formats, "PARQUET_ROW_GROUP", 7)
    with formats.DatasetWriter(tmp_path, "paragraphs", fmt) as writer:
        for start in range(0, len(rows), 5):
            writer.write(rows[start:start + 5])
    assert writer.rows == len(rows) and read_dataset(tmp_path, "paragraphs") == rows
    if fmt == "parquet":
        import pyarrow.parquet as pq

        assert pq.ParquetFile(writer.path).num_row_groups == -(-len(rows) // 7)
    before = writer.path.read_bytes()
    with pytest.raises(RuntimeError), formats.DatasetWriter(tmp_path, "paragraphs", fmt) as w:
        w.write(rows[:3])
        raise RuntimeError("interrupted")
    assert writer.path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [writer.path.name]


def test_worker_count_does_not_change_output(tmp_path: Path, clean: Path, archive: dict,
                                             model_dir: str, job: dict) -> None:
    _run(archive, tmp_path, model_dir, job, workers=1)
    _same_files(tmp_path, clean)


WORKER = """
import json, sys
import gongkai.archive.preload
from gongkai.archive.plan import make_plan
from gongkai.archive.worker import init_worker, tag_chunk
init_worker(sys.argv[1], None, 1)
tagged = tag_chunk(make_plan(sys.argv[2:]).units)
print(json.dumps({"tagged": len(tagged), "modules": sorted(sys.modules)}))
"""
NOT_IN_A_WORKER = {"torch", "transformers", "pyarrow", "pandas", "datasets", "sklearn", "scipy",
                   "matplotlib", "ray"}


def test_a_worker_starts_without_what_it_does_not_use(archive: dict, model_dir: str) -> None:
    """The forkserver's preload and a worker's start import neither torch nor the dataset
    writers (pyarrow): a worker only reads, tags and serialises."""
    done = subprocess.run([sys.executable, "-c", WORKER, model_dir,
                           str(archive["root"] / "gb.txt")],
                          capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    assert found["tagged"] == 1
    assert {name.split(".")[0] for name in found["modules"]} & NOT_IN_A_WORKER == set()


KILLABLE = "import typer; from gongkai.cli.archive import tag; typer.run(tag)"


def test_resume_after_kill(tmp_path: Path, clean: Path, archive: dict, model_dir: str,
                          job: dict) -> None:
    out = tmp_path / "out"
    manifest = out / "_work" / "manifest.jsonl"
    command = [sys.executable, "-c", KILLABLE, str(archive["root"]), "--out", str(out),
               "--model", model_dir, "--workers", "1"]
    job_process = subprocess.Popen(command, env={**os.environ, HOLD_ENV: "5"},
                                   start_new_session=True, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (manifest.exists() and manifest.read_text(encoding="utf-8").strip()):
            assert job_process.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        os.killpg(job_process.pid, signal.SIGKILL)
        job_process.wait()
    done = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    assert len(done) == 1 and not (out / "reports.parquet").exists()
    outcome = _run(archive, out, model_dir, job)
    assert outcome.skipped == len(done[0]["report_ids"]) > 0
    _same_files(out, clean)


def test_state_survives_torn_manifest(tmp_path: Path, clean: Path, archive: dict,
                                      model_dir: str, job: dict) -> None:
    _run(archive, tmp_path, model_dir, job)
    manifest = tmp_path / "_work" / "manifest.jsonl"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(lines[:-1]) + lines[-1][:20], encoding="utf-8")
    (tmp_path / "_work" / "parts" / ".stray.jsonl.tmp").write_text("{", encoding="utf-8")
    outcome = _run(archive, tmp_path, model_dir, job)
    assert outcome.tagged == len(json.loads(lines[-1])["report_ids"])
    _same_files(tmp_path, clean)


class _FailingModel:
    """Fails on any batch holding a paragraph of the report that says 申请人乙."""

    def __init__(self, model) -> None:
        self.model = model

    def classify(self, texts: list[str], top_k: int = 3) -> list:
        if any("申请人乙" in text for text in texts):
            raise ValueError("cannot tag this")
        return self.model.classify(texts, top_k=top_k)


def test_a_failing_report_does_not_fail_its_batch(tmp_path: Path, model_dir: str) -> None:
    rng = random.Random(3)
    for name in ("a", "b", "c"):
        spec = _spec(rng)
        if name == "b":
            spec.narrative["一"].append("申请人乙的申请已答复。")
        (tmp_path / f"{name}.txt").write_text(synth.render(spec, "tab"), encoding="utf-8")
    plan = make_plan([str(tmp_path)])
    model = _FailingModel(load_model(model_dir, "paragraph"))
    results = tag_units(plan.units, model, load_taxonomy())
    failed = [r for r in results if r["error"] is not None]
    assert len(failed) == 1 and failed[0]["error"]["error_type"] == "internal"
    assert all(r["paragraphs"] for r in results if r["error"] is None)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(tag)
    app.command()(summarize)
    return app


def test_cli_without_out_streams_json_lines(archive: dict, model_dir: str) -> None:
    root = archive["root"]
    result = CliRunner().invoke(_app(), ["tag", str(root / "gb.txt"), str(root / "bad/empty.txt"),
                                         "--model", model_dir])
    assert result.exit_code == 2
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and {row["report"] for row in rows} == {
        content_id((root / "gb.txt").read_bytes())}
    assert set(rows[0]) == {"report", "source", "section", "index", "text", "labels", "groups",
                            "scores", "counts"}
    usage = CliRunner().invoke(_app(), ["tag", str(root), "--format", "csv"])
    assert usage.exit_code == 2


def test_cli_out_and_summarize(tmp_path: Path, archive: dict, model_dir: str,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parent loads no model: its workers do")

    monkeypatch.setattr(DispositionModel, "load", refuse)
    out = tmp_path / "out"
    tagged = CliRunner().invoke(_app(), ["tag", str(archive["root"]), "--out", str(out),
                                         "--model", model_dir, "--workers", "1"])
    assert tagged.exit_code == 0, tagged.output
    assert "跳过 1 个不是报告的文件：sheet.xlsx" in tagged.stderr
    result = CliRunner().invoke(_app(), ["summarize", str(out)])
    assert result.exit_code == 0, result.output
    written = [Path(line) for line in result.stdout.splitlines()]
    assert {path.name for path in written} == {"summary.csv", "dispositions.csv", "outliers.csv",
                                               "groups_by_year.png", "checks_by_year.png",
                                               "summary.html"}
    assert all(path.stat().st_size > 0 for path in written)


def test_summary_finds_outliers(tmp_path: Path, clean: Path, archive: dict) -> None:
    import pandas as pd

    write_summary(clean, tmp_path)
    summary = pd.read_csv(tmp_path / "summary.csv", encoding="utf-8-sig")
    assert summary.groupby(["agency", "year"]).size().max() == 1
    outliers = pd.read_csv(tmp_path / "outliers.csv", encoding="utf-8-sig")
    jump = outliers[(outliers["agency"] == archive["agency"])
                    & (outliers["measure"] == "received")]
    assert jump[["year_before", "year", "before", "after"]].values.tolist() == [[2021, 2022, 3,
                                                                                 40]]
    leaves = pd.read_csv(tmp_path / "dispositions.csv", encoding="utf-8-sig")
    assert {"group", "leaf"} == set(leaves["level"])


@pytest.mark.parametrize(("lang", "agency", "share"), [("zh", "机关", "予以公开占比"),
                                                      ("en", "agency", "share disclose")])
def test_summary_for_people(tmp_path: Path, clean: Path, archive: dict, lang: str, agency: str,
                            share: str) -> None:
    import pandas as pd

    written = write_summary(clean, tmp_path, lang, named_headers=True)
    summary = pd.read_csv(tmp_path / "summary.csv", encoding="utf-8-sig")
    assert agency in summary.columns and share in summary.columns
    page = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert written[-1] == tmp_path / "summary.html"
    assert page.count("data:image/png;base64,") == 2 and archive["agency"] in page
    assert ("政府信息公开工作年度报告汇总" in page) == (lang == "zh")
    assert 'src="http' not in page and "<link" not in page  # one file, nothing to fetch


def test_charts_name_groups_in_chinese_with_the_legend_clear_of_the_bars(clean: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from gongkai.archive.charts import checks_by_year, chinese_style, groups_by_year
    from gongkai.archive.summary import summarize
    from gongkai.fonts import chinese_font

    if chinese_font() is None:
        pytest.skip("no Chinese font (apt-get install fonts-noto-cjk)")
    wide, taxonomy = summarize(clean).wide, load_taxonomy()
    with warnings.catch_warnings(), chinese_style():
        warnings.simplefilter("error")  # a glyph missing from the font would warn
        figures = [groups_by_year(wide, taxonomy, "zh"), checks_by_year(wide, "zh")]
        for figure in figures:
            renderer = FigureCanvasAgg(figure).get_renderer()
            figure.draw(renderer)
            legend, axes = figure.legends[0], figure.axes[0]
            assert not legend.get_window_extent(renderer).overlaps(
                axes.get_window_extent(renderer))
    names = [text.get_text() for text in figures[0].legends[0].texts]
    assert names == [taxonomy.name(group) for group in taxonomy.group_ids]


# --- hostile input: time per report, a full disk, kill -9 at any moment ---------------------


def test_reading_past_the_bound_is_an_error_row(tmp_path: Path, archive: dict, model_dir: str,
                                                job: dict) -> None:
    """In the worker processes: a bound below any read makes every report a timeout row."""
    names = ["gb.txt", "word.docx"]
    plan = make_plan([str(archive["root"] / name) for name in names])
    outcome = run_local(plan, tmp_path, "jsonl", 1, model_dir, job, progress=False,
                        timeout_s=0.0001)
    assert outcome.reports == 0 and outcome.errors == len(names)
    errors = read_dataset(tmp_path, "errors")
    assert {row["error_type"] for row in errors} == {"timeout"}
    for row in errors:
        assert row["message"] == f"{row['source']}：读取超过 0.0001 秒的上限，已停止"


def test_a_slow_read_is_stopped_at_its_bound(tmp_path: Path, model_dir: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A read that would take 30 s is stopped at the bound, and the next report is read."""
    import gongkai.archive.tagger as tagger

    rng = random.Random(5)
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(synth.render(_spec(rng), "tab"),
                                              encoding="utf-8")
    read = tagger.read_report

    def slow_for_a(data: bytes, name: str, **options):
        if name.endswith("a.txt"):
            time.sleep(30)
        return read(data, name=name, **options)

    monkeypatch.setattr(tagger, "read_report", slow_for_a)
    started = time.monotonic()
    results = tag_units(make_plan([str(tmp_path)]).units, load_model(model_dir, "paragraph"),
                        load_taxonomy(), timeout_s=0.5)
    took = time.monotonic() - started
    assert [r["error"]["error_type"] if r["error"] else None for r in results].count(
        "timeout") == 1
    assert sum(r["error"] is None for r in results) == 1
    assert took < 5, took
    print(f"\na 30 s read stopped after {took:.2f} s (bound 0.5 s)")


def test_the_stream_names_a_report_past_its_bound(archive: dict, model_dir: str) -> None:
    root = archive["root"]
    result = CliRunner().invoke(_app(), ["tag", str(root / "gb.txt"), "--model", model_dir,
                                         "--report-timeout", "0.0001"])
    assert result.exit_code == 2
    assert f"错误：{root / 'gb.txt'}：读取超过 0.0001 秒的上限，已停止" in result.stderr


def _docx_with(path: Path, document: bytes | None = None, version: int | None = None) -> bytes:
    """A copy of the docx at ``path`` whose document.xml is ``document`` or says it needs
    zip version ``version`` to be extracted."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = document if document is not None else data
                if version is not None:
                    info.extract_version = version
            copy.writestr(info, data)
    return buffer.getvalue()


def test_a_docx_the_reader_cannot_read_inside_a_zip_is_an_error_row(
        tmp_path: Path, archive: dict, model_dir: str, job: dict) -> None:
    """The repro of issue 18: "version needed 148" and a document.xml of <foo/>, in a zip
    given to tag, end as error rows; the job goes on and writes the other report."""
    root = archive["root"]
    bundle = tmp_path / "in" / "bundle.zip"
    bundle.parent.mkdir()
    with zipfile.ZipFile(bundle, "w") as out:
        out.writestr("a/version148.docx", _docx_with(root / "word.docx", version=148))
        out.writestr("a/foo.docx", _docx_with(root / "word.docx", document=b"<foo/>"))
        out.writestr("a/good.txt", (root / "2021" / "0-tab.txt").read_text(encoding="utf-8"))
    outcome = run_local(make_plan([str(bundle)]), tmp_path / "out", "jsonl", 1, model_dir, job,
                        progress=False)
    assert (outcome.reports, outcome.errors) == (1, 2)
    errors = read_dataset(tmp_path / "out", "errors")
    assert {Path(row["source"]).name for row in errors} == {"version148.docx", "foo.docx"}
    assert all(row["message"] for row in errors)


def _no_temporary_files(out: Path) -> None:
    assert [path for path in out.rglob("*") if ".tmp" in path.name
            or path.name.startswith(".summary-")] == []


def _full_disk_after(calls: int):
    """A stand-in for os.fsync that fails with ENOSPC from call ``calls`` + 1 on."""
    import errno

    done = 0
    real = os.fsync

    def fsync(descriptor: int) -> None:
        nonlocal done
        done += 1
        if done > calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(descriptor)

    return fsync


def test_a_full_disk_while_tagging_is_one_line_and_the_rerun_is_exact(
        tmp_path: Path, clean: Path, archive: dict, model_dir: str, job: dict,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    # job.json, the manifest, then the first part are written; its manifest line is not.
    monkeypatch.setattr(os, "fsync", _full_disk_after(3))
    result = CliRunner().invoke(_app(), ["tag", str(archive["root"]), "--out", str(out),
                                         "--model", model_dir, "--workers", "1"])
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    line, = [line for line in result.stderr.splitlines() if line.startswith("错误")]
    assert line.startswith(f"错误：无法写入 {out}：磁盘已满；")
    assert "已完成的报告都已保存" in line and "Traceback" not in result.output
    _no_temporary_files(out)
    _run(archive, out, model_dir, job)
    _same_files(out, clean)


def test_a_full_disk_while_writing_a_dataset_keeps_no_half_file(
        tmp_path: Path, clean: Path, archive: dict, model_dir: str, job: dict,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from gongkai.archive.formats import DatasetWriter

    write = DatasetWriter.write

    def full_at_cells(self: DatasetWriter, rows: list) -> None:
        write(self, rows)
        if self.name == "cells":
            raise OSError(errno.ENOSPC, "No space left on device", str(self.temporary))

    out = tmp_path / "out"
    monkeypatch.setattr(DatasetWriter, "write", full_at_cells)
    result = CliRunner().invoke(_app(), ["tag", str(archive["root"]), "--out", str(out),
                                         "--model", model_dir, "--workers", "1", "--lang", "en"])
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert "the disk is full" in result.stderr and "run the same command again" in result.stderr
    assert "Traceback" not in result.output
    _no_temporary_files(out)
    assert not (out / "cells.parquet").exists()
    _run(archive, out, model_dir, job)
    _same_files(out, clean)


def test_a_read_only_summary_folder_is_one_line(tmp_path: Path, clean: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may run as root, where chmod stops no write: the error is raised instead."""
    import errno

    import pandas as pd

    def read_only(self, path, *args, **kwargs) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    out = tmp_path / "summary"
    monkeypatch.setattr(pd.DataFrame, "to_csv", read_only)
    result = CliRunner().invoke(_app(), ["summarize", str(clean), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "文件系统是只读的" in result.stderr and "Traceback" not in result.output
    assert [path.name for path in out.iterdir()] == []  # no staging folder left


def test_kill_at_any_moment_resumes_exactly(tmp_path: Path, clean: Path, archive: dict,
                                            model_dir: str, job: dict) -> None:
    """Killed (SIGKILL, no hold: the workers are busy) once reports have been flushed, three
    times over, then rerun to the end: the datasets are those of one uninterrupted run."""
    out = tmp_path / "out"
    manifest = out / "_work" / "manifest.jsonl"
    command = [sys.executable, "-c", KILLABLE, str(archive["root"]), "--out", str(out),
               "--model", model_dir, "--workers", "2"]
    killed = 0
    for trial in range(3):
        flushed = len(manifest.read_text(encoding="utf-8").splitlines()) if manifest.exists() \
            else 0
        job_process = subprocess.Popen(command, start_new_session=True,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while job_process.poll() is None and time.monotonic() < deadline:
                if manifest.exists() and len(manifest.read_text(
                        encoding="utf-8").splitlines()) > flushed:
                    time.sleep(0.05 * trial)  # a little later each time
                    break
                time.sleep(0.02)
        finally:
            if job_process.poll() is None:
                os.killpg(job_process.pid, signal.SIGKILL)
                killed += 1
            job_process.wait()
    assert killed >= 1
    _run(archive, out, model_dir, job)
    _same_files(out, clean)
