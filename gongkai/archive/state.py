"""The local engine's resumable state in ``DIR/_work``: tagged results in part files and a
manifest of what is done.

Tagged reports are gathered (:meth:`WorkState.add`) and written together
(:meth:`WorkState.flush`): a part file is written under a temporary name, synced and
renamed; only then is its line appended to ``manifest.jsonl`` and synced. A kill at any
moment leaves at worst a temporary file, an unlisted part or a torn last manifest line;
opening the folder again drops all three, so every report is either done exactly once or
not at all — a kill loses what was gathered since the last flush, never more.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.archive.errors import ArchiveError
from gongkai.archive.rows import Row
from gongkai.models.metadata import ModelMetadata

WORK_DIR = "_work"
JOB_FILE = "job.json"
MANIFEST = "manifest.jsonl"
PARTS = "parts"


def _write_synced(path: Path, text: str) -> None:
    """Write, sync, rename; a write that fails (a full disk) leaves no temporary file."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


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


def job_of(metadata: ModelMetadata) -> dict[str, Any]:
    """What identifies the tags of a job: the model's name and the hash of its estimator
    (both in the model folder's metadata: the job needs no loaded model)."""
    return {"model": metadata.name, "estimator_sha256": metadata.estimator_sha256}


@dataclass(frozen=True)
class Tagged:
    """One tagged report as a part file holds it: its JSON line, made where it was tagged
    (a worker), so that the parent only writes it down."""

    report_id: str
    failed: bool
    line: str

    @classmethod
    def of(cls, result: Row) -> Tagged:
        return cls(result["report_id"], result["error"] is not None,
                   json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n")


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
        self._tagged: list[Tagged] = []
        self._sources: list[str] = []

    def done(self) -> set[str]:
        return {report_id for entry in self.entries for report_id in entry["report_ids"]}

    def add(self, tagged: list[Tagged], sources: list[str]) -> None:
        """Gather tagged reports (and the names of their sources) for the next flush."""
        self._tagged += tagged
        self._sources += sources

    @property
    def gathered(self) -> int:
        """Reports gathered since the last flush."""
        return len(self._tagged)

    def flush(self) -> None:
        """Record the gathered reports: their part first, then its manifest line."""
        if not self._tagged:
            return
        name = f"{self._tagged[0].report_id}.jsonl"
        _write_synced(self.parts / name, "".join(tagged.line for tagged in self._tagged))
        entry = {"part": name, "report_ids": [tagged.report_id for tagged in self._tagged],
                 "sources": self._sources}
        with open(self.manifest, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.entries.append(entry)
        self._tagged, self._sources = [], []

    def results(self, report_ids: Iterable[str]) -> Iterator[Row]:
        """The recorded result of each of ``report_ids``, in that order, read back from the
        part files: each part is read once and dropped once its last report is given."""
        part_of = {report_id: entry["part"] for entry in self.entries
                   for report_id in entry["report_ids"]}
        left = Counter(part_of.values())
        loaded: dict[str, dict[str, Row]] = {}
        for report_id in report_ids:
            name = part_of[report_id]
            if name not in loaded:
                loaded[name] = self._part(name)
            yield loaded[name][report_id]
            left[name] -= 1
            if not left[name]:
                del loaded[name]

    def _part(self, name: str) -> dict[str, Row]:
        with open(self.parts / name, encoding="utf-8") as handle:
            return {result["report_id"]: result for result in map(json.loads, handle)}
