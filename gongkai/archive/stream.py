"""``gongkai tag`` without ``--out``: tagged paragraphs as JSON Lines, one report after the
other in this process: ``report`` (its content id) and ``source``, then the fields of
:class:`gongkai.models.tagging.TaggedParagraph`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TextIO

from gongkai.archive.deadline import DEFAULT_TIMEOUT_S, ReportTimeout, deadline
from gongkai.archive.plan import content_id
from gongkai.archive.sources import read_source, survey
from gongkai.models.base import DispositionModel
from gongkai.models.tagging import tag_paragraphs
from gongkai.reader import ReaderError, read_report
from gongkai.taxonomy import load_taxonomy


@dataclass
class Streamed:
    """What a stream did, for the command line to report."""

    reports: int = 0
    unreadable: int = 0
    cut: int = 0
    """Paragraphs longer than the model reads: tagged on their beginning."""
    skipped: list[str] = field(default_factory=list)


def stream_tags(inputs: Sequence[str], model: DispositionModel, out: TextIO,
                error: Callable[[str, str], None],
                timeout_s: float | None = DEFAULT_TIMEOUT_S) -> Streamed:
    """Write the rows of every readable report to ``out``; ``error(source, kind)`` is told
    of each unreadable one (``kind`` as in :class:`ReaderError`, for the caller's words;
    ``timeout`` when reading it took over ``timeout_s`` seconds)."""
    taxonomy = load_taxonomy()
    found = survey(inputs)
    done = Streamed(skipped=found.skipped, unreadable=len(found.errors))
    for problem in found.errors:
        error(problem.source, problem.error_type)
    limit = model.metadata.max_chars
    for source in found.sources:
        try:
            with deadline(timeout_s):
                data = read_source(source)
                report = read_report(data, name=source.name, taxonomy=taxonomy)
        except (ReaderError, ReportTimeout) as exc:
            error(source.name, exc.kind if isinstance(exc, ReaderError) else "timeout")
            done.unreadable += 1
            continue
        except Exception:  # a reader bug on one odd file must not stop the others
            error(source.name, "internal")
            done.unreadable += 1
            continue
        done.reports += 1
        done.cut += sum(len(paragraph.text) > limit for paragraph in report.paragraphs)
        where = {"report": content_id(data), "source": report.source}
        for paragraph in tag_paragraphs(report.paragraphs, model):
            out.write(json.dumps(where | asdict(paragraph), ensure_ascii=False) + "\n")
    return done
