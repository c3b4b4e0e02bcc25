"""The job's plan: sources grouped by content hash, so a report saved under two names is
tagged once and listed with both; the plan alone decides what the output contains."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.archive.sources import InputError, Source, read_source, survey
from gongkai.reader import ReaderError
from gongkai.reader.decode import MAX_BYTES

ID_LENGTH = 16


def content_id(data: bytes) -> str:
    """The report id: the start of the sha256 of the bytes, so that one report under two
    names is one report."""
    return hashlib.sha256(data).hexdigest()[:ID_LENGTH]


@dataclass(frozen=True)
class Unit:
    """One distinct report; ``sources`` are sorted and the first one is read and tagged."""

    report_id: str
    sources: tuple[Source, ...]

    @property
    def source(self) -> Source:
        return self.sources[0]

    @property
    def names(self) -> list[str]:
        return [source.name for source in self.sources]


@dataclass(frozen=True)
class Plan:
    units: list[Unit]
    errors: list[InputError]
    skipped: list[str] = field(default_factory=list)
    """Files found beside the reports that are not reports (by name or by content)."""

    @property
    def files(self) -> int:
        return sum(len(unit.sources) for unit in self.units) + len(self.errors)


def make_plan(inputs: Sequence[str], skip: Path | None = None,
              max_bytes: int = MAX_BYTES) -> Plan:
    """Expand the inputs and hash every source (sizes are checked before reading); sources
    that cannot be read at all are errors of the plan."""
    found = survey(inputs, skip)
    errors = list(found.errors)
    by_id: dict[str, list[Source]] = {}
    for source in found.sources:
        try:
            data = read_source(source, max_bytes)
        except ReaderError as exc:
            errors.append(InputError(source.name, exc.kind, exc.message))
            continue
        by_id.setdefault(content_id(data), []).append(source)
    units = [Unit(report_id, tuple(sorted(group))) for report_id, group in sorted(by_id.items())]
    return Plan(units, sorted(errors, key=lambda error: (error.source, error.error_type)),
                found.skipped)
