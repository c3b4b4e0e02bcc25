"""``gongkai tag`` without ``--out``: tagged paragraphs as JSON Lines, one report after the
other in this process, in the row shape of :func:`training.tagging.tag_report`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TextIO

from gongkai.archive.plan import content_id
from gongkai.archive.sources import expand, read_source
from gongkai.reader import ReaderError, read_report
from gongkai.taxonomy import load_taxonomy
from training.model import DispositionModel
from training.tagging import tag_report


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
        for row in tag_report(report, model, content_id(data)):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return unreadable
