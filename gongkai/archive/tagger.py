"""Read and tag distinct reports into JSON-ready results, whatever goes wrong with them:
a bad file becomes an error result so that the job goes on."""

from __future__ import annotations

from typing import Any

from gongkai.archive.deadline import ReportTimeout, deadline
from gongkai.archive.plan import Unit, content_id
from gongkai.archive.rows import Row, paragraph_row
from gongkai.archive.sources import read_source
from gongkai.models.base import DispositionModel
from gongkai.models.tagging import TaggedParagraph, tag_paragraphs, tagged
from gongkai.reader import ReaderError, Report, read_report
from gongkai.reader.decode import MAX_BYTES
from gongkai.taxonomy import Taxonomy


def _failed(unit: Unit, error_type: str, message: str) -> Row:
    return {"report_id": unit.report_id, "error": {"error_type": error_type, "message": message}}


def _report_fields(report: Report) -> Row:
    return {
        "title": report.title, "agency": report.agency, "year": report.year,
        "template": report.template, "format": report.format, "encoding": report.encoding,
        "paragraphs": len(report.paragraphs),
        "checks": [{"id": c.id, "ok": c.ok, "message": c.message} for c in report.checks],
        "warnings": list(report.warnings),
    }


def _cells(report: Report) -> list[Row]:
    tables: dict[str, Any] = report.as_dict()["tables"]
    return [{"table": table, "row": row, "column": column, "value": value}
            for table, content in tables.items()
            for row, columns in content["rows"].items()
            for column, value in columns.items()]


def _read(unit: Unit, taxonomy: Taxonomy, max_bytes: int, timeout_s: float | None,
          ) -> Report | Row:
    """The report, or the error result that stops it (reading past ``timeout_s`` too)."""
    try:
        with deadline(timeout_s):
            data = read_source(unit.source, max_bytes)
            if content_id(data) != unit.report_id:
                raise ReaderError("changed", "the file changed while the job ran")
            return read_report(data, name=unit.source.name, taxonomy=taxonomy)
    except ReportTimeout as exc:
        return _failed(unit, "timeout", exc.message(unit.source.name))
    except ReaderError as exc:
        return _failed(unit, exc.kind, exc.message)
    except Exception as exc:  # a reader bug on one odd file must not stop the job
        return _failed(unit, "internal", f"{type(exc).__name__}: {exc}")


def _tagged(unit: Unit, report: Report, paragraphs: list[TaggedParagraph]) -> Row:
    return {
        "report_id": unit.report_id,
        "error": None,
        "report": _report_fields(report),
        # Mappings become lists here, so that no JSON round trip can reorder them.
        "paragraphs": [paragraph_row(paragraph) for paragraph in paragraphs],
        "cells": _cells(report),
    }


def _tag_one(unit: Unit, report: Report, model: DispositionModel) -> Row:
    try:
        return _tagged(unit, report, tag_paragraphs(report.paragraphs, model))
    except Exception as exc:  # a model failure on one report must not stop the job
        return _failed(unit, "internal", f"{type(exc).__name__}: {exc}")


def tag_units(units: list[Unit], model: DispositionModel, taxonomy: Taxonomy,
              max_bytes: int = MAX_BYTES, timeout_s: float | None = None) -> list[Row]:
    """One result per unit: the report's fields, paragraphs and cells, or its error;
    reading a report past ``timeout_s`` seconds is an error of type ``timeout``.

    The paragraphs of all the units go through the model in one call: per-call overhead,
    not segmentation, dominates a report-at-a-time loop. Should that call fail, each
    report is tagged on its own so that the failure stays with the report that caused it.
    """
    read = [_read(unit, taxonomy, max_bytes, timeout_s) for unit in units]
    reports = [report for report in read if isinstance(report, Report)]
    try:
        predictions = model.classify([p.text for report in reports for p in report.paragraphs])
    except Exception:
        return [_tag_one(unit, report, model) if isinstance(report, Report) else report
                for unit, report in zip(units, read, strict=True)]
    results: list[Row] = []
    start = 0
    for unit, report in zip(units, read, strict=True):
        if isinstance(report, Report):
            end = start + len(report.paragraphs)
            results.append(_tagged(unit, report, [
                tagged(p, prediction) for p, prediction in zip(
                    report.paragraphs, predictions[start:end], strict=True)]))
            start = end
        else:
            results.append(report)
    return results
