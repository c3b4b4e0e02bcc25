"""What a tagging job reports back to the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    reports: int
    """Rows of the ``reports`` dataset (distinct reports read)."""
    errors: int
    """Rows of the ``errors`` dataset (sources that could not be read)."""
    tagged: int
    """Distinct reports processed by this run."""
    skipped: int
    """Distinct reports found done by an earlier run."""
    paths: list[Path]
    """The datasets written."""
