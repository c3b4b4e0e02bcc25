"""One call that leaves a verified base model on disk: convert (or reuse), then verify."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongkai.training.base_model.convert import Conversion, convert
from gongkai.training.base_model.verify import verify


@dataclass(frozen=True)
class Prepared:
    conversion: Conversion
    verification: dict

    @property
    def folder(self) -> Path:
        return self.conversion.folder


def prepare_report(
    force: bool = False, out: Path | None = None, source: Path | None = None
) -> Prepared:
    """Convert and verify, keeping both sets of figures for the caller to print."""
    conversion = convert(source=source, out=out, force=force)
    return Prepared(conversion, verify(conversion.folder, conversion.source))


def prepare(force: bool = False, out: Path | None = None,
            source: Path | None = None) -> Path:
    """The verified Hugging Face folder of multilingual-e5-small, built when needed."""
    return prepare_report(force=force, out=out, source=source).folder
