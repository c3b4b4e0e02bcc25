"""Write a dataset as one Parquet, JSON Lines or CSV file (streamed, then moved into place),
and read any dataset back, including the folders of Parquet parts the Ray engine writes.

CSV holds lists as JSON text and is written with a BOM so that spreadsheet
programs on Chinese Windows open it as UTF-8.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from contextlib import suppress
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from gongkai.archive.datasets import SCHEMAS, sort_rows
from gongkai.archive.errors import ArchiveError
from gongkai.archive.rows import Row

FORMATS: tuple[str, ...] = ("parquet", "jsonl", "csv")


def _nested(kind: pa.DataType) -> bool:
    return pa.types.is_list(kind) or pa.types.is_struct(kind)


PARQUET_ROW_GROUP = 10_000  # rows buffered per Parquet row group (fixed: same bytes each run)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


class DatasetWriter:
    """Rows appended in order to ``directory/name.fmt``, a report at a time, so that an
    archive of any size is written in bounded memory. The file is written under a
    temporary name and moved into place by a clean exit from the ``with`` block; an error
    (a full or read-only disk included) removes the temporary file and leaves the previous
    dataset, if any, as it was."""

    def __init__(self, directory: Path, name: str, fmt: str) -> None:
        if fmt not in FORMATS:
            raise ArchiveError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.name, self.fmt, self.schema = name, fmt, SCHEMAS[name]
        self.path = directory / f"{name}.{fmt}"
        self.temporary = directory / f".{name}.tmp.{fmt}"
        self.rows = 0
        self._buffer: list[Row] = []
        self._parquet: pq.ParquetWriter | None = None
        self._handle: Any = None
        self._csv: Any = None

    def __enter__(self) -> DatasetWriter:
        if self.fmt == "parquet":
            self._parquet = pq.ParquetWriter(self.temporary, self.schema)
        elif self.fmt == "jsonl":
            self._handle = open(self.temporary, "w", encoding="utf-8", newline="\n")
        else:
            self._handle = open(self.temporary, "w", encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._handle, lineterminator="\n")
            self._csv.writerow(self.schema.names)
        return self

    def write(self, rows: list[Row]) -> None:
        self.rows += len(rows)
        names = self.schema.names
        if self._parquet is not None:
            self._buffer += rows
            self._flush(whole_groups_only=True)
        elif self._csv is not None:
            self._csv.writerows([_csv_cell(row[key]) for key in names] for row in rows)
        else:
            self._handle.writelines(json.dumps({key: row[key] for key in names},
                                               ensure_ascii=False) + "\n" for row in rows)

    def _flush(self, whole_groups_only: bool = False) -> None:
        """Write the buffer as row groups of ``PARQUET_ROW_GROUP`` rows (the last one may be
        shorter), whatever sizes the rows came in."""
        while self._buffer and (len(self._buffer) >= PARQUET_ROW_GROUP
                                or not whole_groups_only):
            group, self._buffer = (self._buffer[:PARQUET_ROW_GROUP],
                                   self._buffer[PARQUET_ROW_GROUP:])
            self._parquet.write_table(pa.Table.from_pylist(group, schema=self.schema))

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if self._parquet is not None:
                if kind is None:
                    self._flush()
                self._parquet.close()
            if self._handle is not None:
                self._handle.close()
            if kind is None:
                replace_dataset(self.temporary, self.path, self.name)
        finally:
            # Gone after a clean exit; after an error (a full disk while closing included)
            # the half-written file goes, whatever else fails.
            with suppress(OSError):
                self.temporary.unlink(missing_ok=True)


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


def dataset_path(directory: Path, name: str) -> Path:
    for candidate in _locations(directory, name):
        if candidate.exists():
            return candidate
    raise ArchiveError(f"{directory} has no {name} dataset; is it the output of `gongkai tag`?")


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
        rows = pads.dataset(path, format="parquet", schema=schema).to_table().to_pylist()
    return sort_rows(name, rows)
