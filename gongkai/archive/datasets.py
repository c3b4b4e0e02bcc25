"""The four output datasets: their Arrow schemas, their sort order, and their rows built
from a plan and the tagged results of its reports (the same rows whatever the engine).

The paragraphs dataset's columns are the fields of
:class:`gongkai.models.tagging.TaggedParagraph`. Its two mappings are stored as lists of
structs, which every Parquet reader (pandas, ``datasets.load_dataset("parquet")``) takes:
``scores`` as ``[{label, score}]`` and ``counts`` as ``[{row, value}]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import fields
from operator import itemgetter
from typing import Any, get_type_hints

import pyarrow as pa

from gongkai.archive.plan import Plan
from gongkai.archive.rows import ENTRIES, Row
from gongkai.archive.sources import InputError
from gongkai.models.tagging import TaggedParagraph

_CHECK = pa.struct([("id", pa.string()), ("ok", pa.bool_()), ("message", pa.string())])
_SCALARS = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def _arrow_type(name: str, hint: Any) -> pa.DataType:
    """The Arrow type of a dataclass field: scalars, ``X | None``, ``list[X]``, and the
    mappings of ``ENTRIES`` as lists of structs."""
    args = getattr(hint, "__args__", ())
    if hint in _SCALARS:
        return _SCALARS[hint]
    if type(None) in args:  # X | None: Arrow columns are nullable anyway
        return _arrow_type(name, next(a for a in args if a is not type(None)))
    if getattr(hint, "__origin__", None) is list:
        return pa.list_(_arrow_type(name, args[0]))
    if getattr(hint, "__origin__", None) is dict:
        key, value = ENTRIES[name]
        return pa.list_(pa.struct([(key, _arrow_type(name, args[0])),
                                   (value, _arrow_type(name, args[1]))]))
    raise TypeError(f"no Arrow type for field {name}: {hint}")


def _paragraph_schema() -> pa.Schema:
    hints = get_type_hints(TaggedParagraph)
    return pa.schema([("report_id", pa.string()), ("source", pa.string())]
                     + [(f.name, _arrow_type(f.name, hints[f.name]))
                        for f in fields(TaggedParagraph)])


SCHEMAS: dict[str, pa.Schema] = {
    "paragraphs": _paragraph_schema(),
    "reports": pa.schema([
        ("report_id", pa.string()), ("source", pa.string()), ("sources", pa.list_(pa.string())),
        ("title", pa.string()), ("agency", pa.string()), ("year", pa.int64()),
        ("template", pa.string()), ("format", pa.string()), ("encoding", pa.string()),
        ("paragraphs", pa.int64()), ("checks", pa.list_(_CHECK)),
        ("warnings", pa.list_(pa.string())),
    ]),
    "cells": pa.schema([
        ("report_id", pa.string()), ("table", pa.string()), ("row", pa.string()),
        ("column", pa.string()), ("value", pa.float64()),
    ]),
    "errors": pa.schema([
        ("source", pa.string()), ("error_type", pa.string()), ("message", pa.string()),
    ]),
}
NAMES: tuple[str, ...] = tuple(SCHEMAS)
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "paragraphs": ("report_id", "index"),
    "reports": ("report_id",),
    "cells": ("report_id", "table", "row", "column"),
    "errors": ("source", "error_type"),
}


def error_rows(errors: Iterable[InputError]) -> list[Row]:
    return [{"source": e.source, "error_type": e.error_type, "message": e.message}
            for e in errors]


def unit_rows(report_id: str, names: list[str], result: Row) -> dict[str, list[Row]]:
    """The rows one distinct report adds to each dataset; ``names`` are all its sources
    (the first one is the ``source`` column), ``result`` is what tagging it gave."""
    rows: dict[str, list[Row]] = {name: [] for name in NAMES}
    if result["error"] is not None:
        rows["errors"] = [{"source": name, **result["error"]} for name in names]
        return rows
    source = names[0]
    rows["reports"] = [{"report_id": report_id, "source": source, "sources": names,
                        **result["report"]}]
    rows["paragraphs"] = [{"report_id": report_id, "source": source, **paragraph}
                          for paragraph in result["paragraphs"]]
    rows["cells"] = [{"report_id": report_id, **cell} for cell in result["cells"]]
    return rows


def sort_rows(name: str, rows: list[Row]) -> list[Row]:
    return sorted(rows, key=itemgetter(*SORT_KEYS[name]))


def ordered_rows(plan: Plan, results: Iterable[Row]) -> Iterator[tuple[str, list[Row]]]:
    """``(dataset, rows)`` one report at a time, in every dataset's sort order; ``results``
    are the tagged results of ``plan.units`` in the plan's order. Units are sorted by report
    id, which leads every sort key but the errors', so sorting each report's rows sorts the
    dataset; the errors (one row per unreadable source) come last. The output depends on
    the plan and the results only, never on the order in which reports were tagged."""
    errors = error_rows(plan.errors)
    for unit, result in zip(plan.units, results, strict=True):
        rows = unit_rows(unit.report_id, unit.names, result)
        errors += rows.pop("errors")
        for name, new in rows.items():
            if new:
                yield name, sort_rows(name, new)
    yield "errors", sort_rows("errors", errors)
