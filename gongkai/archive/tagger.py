"""Read and tag distinct reports into JSON-ready results, whatever goes wrong with them:
a bad file becomes an error result so that the job goes on."""

from __future__ import annotations

from typing import Any

from gongkai.archive.datasets import Row
from gongkai.archive.plan import Unit, content_id
from gongkai.archive.sources import read_source
from gongkai.reader import ReaderError, Report, read_report
from gongkai.reader.decode import MAX_BYTES
from gongkai.taxonomy import Taxonomy
from training.model import DispositionModel

TAG_FIELDS = ("labels", "scores", "counts")


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


def _read(unit: Unit, taxonomy: Taxonomy, max_bytes: int) -> Report | Row:
    """The report, or the error result that stops it."""
    try:
        data = read_source(unit.source, max_bytes)
        if content_id(data) != unit.report_id:
            raise ReaderError("changed", "the file changed while the job ran")
        return read_report(data, name=unit.source.name, taxonomy=taxonomy)
    except ReaderError as exc:
        return _failed(unit, exc.kind, exc.message)
    except Exception as exc:  # a reader bug on one odd file must not stop the job
        return _failed(unit, "internal", f"{type(exc).__name__}: {exc}")


def _tagged(unit: Unit, report: Report, predictions: list[dict[str, Any]]) -> Row:
    return {
        "report_id": unit.report_id,
        "error": None,
        "report": _report_fields(report),
        "paragraphs": [{"section": p.section, "index": p.index, "text": p.text,
                        **{key: prediction[key] for key in TAG_FIELDS}}
                       for p, prediction in zip(report.paragraphs, predictions, strict=True)],
        "cells": _cells(report),
    }


def _tag_one(unit: Unit, report: Report, model: DispositionModel) -> Row:
    try:
        return _tagged(unit, report, model.predict([p.text for p in report.paragraphs]))
    except Exception as exc:  # a model failure on one report must not stop the job
        return _failed(unit, "internal", f"{type(exc).__name__}: {exc}")


def tag_units(units: list[Unit], model: DispositionModel, taxonomy: Taxonomy,
              max_bytes: int = MAX_BYTES) -> list[Row]:
    """One result per unit: the report's fields, paragraphs and cells, or its error.

    The paragraphs of all the units go through the model in one call: per-call overhead,
    not segmentation, dominates a report-at-a-time loop. Should that call fail, each
    report is tagged on its own so that the failure stays with the report that caused it.
    """
    read = [_read(unit, taxonomy, max_bytes) for unit in units]
    reports = [report for report in read if isinstance(report, Report)]
    try:
        predictions = model.predict([p.text for report in reports for p in report.paragraphs])
    except Exception:
        return [_tag_one(unit, report, model) if isinstance(report, Report) else report
                for unit, report in zip(units, read, strict=True)]
    results: list[Row] = []
    start = 0
    for unit, report in zip(units, read, strict=True):
        if isinstance(report, Report):
            end = start + len(report.paragraphs)
            results.append(_tagged(unit, report, predictions[start:end]))
            start = end
        else:
            results.append(report)
    return results
