"""Write a dataset as one Parquet, JSON Lines or CSV file (atomically), and read any
dataset back, including the folders of Parquet parts the Ray engine writes.

CSV holds lists and maps as JSON text and is written with a BOM so that spreadsheet
programs on Chinese Windows open it as UTF-8.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from gongkai.archive.datasets import SCHEMAS, Row, sort_rows
from gongkai.archive.errors import ArchiveError

FORMATS: tuple[str, ...] = ("parquet", "jsonl", "csv")


def _nested(kind: pa.DataType) -> bool:
    return pa.types.is_list(kind) or pa.types.is_map(kind) or pa.types.is_struct(kind)


def _write_parquet(rows: list[Row], schema: pa.Schema, path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def _write_jsonl(rows: list[Row], schema: pa.Schema, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps({key: row[key] for key in schema.names},
                                    ensure_ascii=False) + "\n")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_csv(rows: list[Row], schema: pa.Schema, path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(schema.names)
        writer.writerows([_csv_cell(row[key]) for key in schema.names] for row in rows)


_WRITERS: dict[str, Callable[[list[Row], pa.Schema, Path], None]] = {
    "parquet": _write_parquet, "jsonl": _write_jsonl, "csv": _write_csv,
}


def _locations(directory: Path, name: str) -> list[Path]:
    return [directory / f"{name}.{fmt}" for fmt in FORMATS] + [directory / name]


def replace_dataset(written: Path, target: Path, name: str) -> None:
    """Make ``written`` (a file, or a folder of parts) the dataset ``name`` at ``target``;
    other formats of it and an older folder go away, so each dataset exists once."""
    for stale in _locations(target.parent, name):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists() and stale != target:
            stale.unlink()
    os.replace(written, target)


def write_dataset(rows: list[Row], directory: Path, name: str, fmt: str) -> Path:
    """``directory/name.fmt``, written to a temporary file first and then renamed."""
    temporary = directory / f".{name}.tmp.{fmt}"
    target = directory / f"{name}.{fmt}"
    _WRITERS[fmt](rows, SCHEMAS[name], temporary)
    replace_dataset(temporary, target, name)
    return target


def dataset_path(directory: Path, name: str) -> Path:
    for candidate in _locations(directory, name):
        if candidate.exists():
            return candidate
    raise ArchiveError(f"{directory} has no {name} dataset; is it the output of `gongkai tag`?")


def _from_arrow(table: pa.Table) -> list[Row]:
    maps = [field.name for field in table.schema if pa.types.is_map(field.type)]
    rows = table.to_pylist()
    for row in rows:
        for key in maps:
            if row[key] is not None:
                row[key] = dict(row[key])
    return rows


def _read_csv(path: Path, schema: pa.Schema) -> list[Row]:
    decoded = {field.name: _nested(field.type) or pa.types.is_integer(field.type)
               or pa.types.is_floating(field.type) for field in schema}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{key: None if value == "" else json.loads(value) if decoded[key] else value
                 for key, value in row.items()} for row in csv.DictReader(handle)]


def read_dataset(directory: Path, name: str) -> list[Row]:
    """The rows of a dataset in any format, in the dataset's sort order."""
    path = dataset_path(directory, name)
    schema = SCHEMAS[name]
    if path.suffix == ".jsonl":
        with open(path, encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
    elif path.suffix == ".csv":
        rows = _read_csv(path, schema)
    else:
        rows = _from_arrow(pads.dataset(path, format="parquet", schema=schema).to_table())
    return sort_rows(name, rows)
