"""The local engine's resumable state in ``DIR/_work``: tagged results in part files and a
manifest of what is done.

A part file is written under a temporary name, synced and renamed; only then is its line
appended to ``manifest.jsonl``. A kill at any moment leaves at worst a temporary file, an
unlisted part or a torn last manifest line; opening the folder again drops all three, so
every report is either done exactly once or not at all.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from gongkai.archive.datasets import Row
from gongkai.archive.errors import ArchiveError
from gongkai.models.base import DispositionModel

WORK_DIR = "_work"
JOB_FILE = "job.json"
MANIFEST = "manifest.jsonl"
PARTS = "parts"


def _write_synced(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _entries(manifest: Path, parts: Path) -> list[dict[str, Any]]:
    """Complete manifest lines whose part file exists."""
    if not manifest.exists():
        return []
    entries = []
    for line in manifest.read_text(encoding="utf-8").splitlines(keepends=True):
        try:
            entry = json.loads(line) if line.endswith("\n") else None
        except json.JSONDecodeError:
            entry = None
        if isinstance(entry, dict) and (parts / entry.get("part", "")).is_file():
            entries.append(entry)
    return entries


def job_of(model: DispositionModel) -> dict[str, Any]:
    """What identifies the tags of a job: the model's name and the hash of its estimator."""
    return {"model": model.name, "estimator_sha256": model.metadata.estimator_sha256}


class WorkState:
    """Done reports of one job; ``job`` names what produced them (the model), so that a
    rerun with another model cannot mix its tags with these."""

    def __init__(self, out: Path, job: dict[str, Any]) -> None:
        self.root = out / WORK_DIR
        self.parts = self.root / PARTS
        self.manifest = self.root / MANIFEST
        self.parts.mkdir(parents=True, exist_ok=True)
        job_file = self.root / JOB_FILE
        if job_file.exists():
            previous = json.loads(job_file.read_text(encoding="utf-8"))
            if previous != job:
                raise ArchiveError(
                    f"{out} holds a job tagged with model {previous.get('model')!r}, not "
                    f"{job.get('model')!r}; choose another --out or delete {self.root}")
        else:
            _write_synced(job_file, json.dumps(job, sort_keys=True) + "\n")
        self.entries = _entries(self.manifest, self.parts)
        _write_synced(self.manifest, "".join(json.dumps(entry, ensure_ascii=False) + "\n"
                                             for entry in self.entries))
        listed = {entry["part"] for entry in self.entries}
        for leftover in self.parts.iterdir():
            if leftover.name not in listed:
                leftover.unlink()

    def done(self) -> set[str]:
        return {report_id for entry in self.entries for report_id in entry["report_ids"]}

    def commit(self, results: list[Row], sources: list[str]) -> None:
        """Record tagged reports: the part first, then its manifest line."""
        name = f"{results[0]['report_id']}.jsonl"
        _write_synced(self.parts / name, "".join(
            json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n" for result in results))
        entry = {"part": name, "report_ids": [r["report_id"] for r in results],
                 "sources": sources}
        with open(self.manifest, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.entries.append(entry)

    def results(self, report_ids: Iterable[str]) -> Iterator[Row]:
        """The recorded result of each of ``report_ids``, in that order, read back from the
        part files one part at a time (a part holds consecutive reports of the plan, so
        each is read about once)."""
        part_of = {report_id: entry["part"] for entry in self.entries
                   for report_id in entry["report_ids"]}
        loaded, results = None, {}
        for report_id in report_ids:
            if part_of[report_id] != loaded:
                loaded, results = part_of[report_id], self._part(part_of[report_id])
            yield results[report_id]

    def _part(self, name: str) -> dict[str, Row]:
        with open(self.parts / name, encoding="utf-8") as handle:
            return {result["report_id"]: result for result in map(json.loads, handle)}
