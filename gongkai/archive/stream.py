"""``gongkai tag`` without ``--out``: tagged paragraphs as JSON Lines, one report after the
other in this process: ``report`` (its content id) and ``source``, then the fields of
:class:`gongkai.models.tagging.TaggedParagraph`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import TextIO

from gongkai.archive.plan import content_id
from gongkai.archive.sources import expand, read_source
from gongkai.models.base import DispositionModel
from gongkai.models.tagging import tag_paragraphs
from gongkai.reader import ReaderError, read_report
from gongkai.taxonomy import load_taxonomy


def stream_tags(inputs: Sequence[str], model: DispositionModel, out: TextIO,
                error: Callable[[str, str], None]) -> int:
    """Write the rows of every readable report to ``out``; ``error(source, message)`` is
    told of each unreadable one. Returns how many could not be read."""
    taxonomy = load_taxonomy()
    sources, failed = expand(inputs)
    for problem in failed:
        error(problem.source, problem.message)
    unreadable = len(failed)
    for source in sources:
        try:
            data = read_source(source)
            report = read_report(data, name=source.name, taxonomy=taxonomy)
        except ReaderError as exc:
            error(source.name, exc.message)
            unreadable += 1
            continue
        where = {"report": content_id(data), "source": report.source}
        for paragraph in tag_paragraphs(report.paragraphs, model):
            out.write(json.dumps(where | asdict(paragraph), ensure_ascii=False) + "\n")
    return unreadable
