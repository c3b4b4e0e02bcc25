"""Where one archive worker's time goes, per report: reading (the reader, the narrative
figure reader it runs for the narrative check), segmentation, the rest of the model, the
figures a tagged paragraph states (``counts``), and building the results — beside bare
``jieba.lcut`` on the same text. Prints JSON: stage → ms per report.

Run by ``bench.archive`` in a subprocess (so ``--tree`` applies); on its own:

    python -m bench.stages ARCHIVE_DIR
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

CHUNK = 16  # reports per model call, as the local engine's chunks
JIEBA_STAGE = "bare jieba.lcut (for scale)"
_spent: defaultdict[str, float] = defaultdict(float)
_phase = ["idle"]
_depth = [0]


def _timed(function: Callable[..., Any]) -> Callable[..., Any]:
    """The function, its outermost calls timed into the current phase."""

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if _depth[0]:
            return function(*args, **kwargs)
        _depth[0] += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _spent[_phase[0]] += time.perf_counter() - started
            _depth[0] -= 1

    return timed


def _time_the_figure_reader() -> None:
    """Every function of ``gongkai.figures`` timed, before anything imports a name from it."""
    from gongkai import figures

    for name, function in inspect.getmembers(figures, inspect.isfunction):
        if function.__module__ == figures.__name__:
            setattr(figures, name, _timed(function))


def _clock(phase: str, work: Callable[[], Any]) -> float:
    _phase[0] = phase
    started = time.perf_counter()
    work()
    _phase[0] = "idle"
    return time.perf_counter() - started


def main() -> None:
    _time_the_figure_reader()
    import jieba

    from gongkai.archive.plan import make_plan
    from gongkai.archive.sources import read_source
    from gongkai.archive.tagger import tag_units
    from gongkai.models.segment import segment
    from gongkai.models.store import load_model
    from gongkai.reader import Report, read_report
    from gongkai.taxonomy import load_taxonomy

    plan = make_plan(sys.argv[1:])
    model, taxonomy = load_model(None, "paragraph"), load_taxonomy()
    model.classify(["预热"])
    jieba.lcut("预热")
    units = plan.units
    reports: list[Report] = []

    def read() -> None:
        for unit in units:
            try:
                report = read_report(read_source(unit.source), name=unit.source.name,
                                     taxonomy=taxonomy)
            except Exception:  # an unreadable file costs what it cost
                continue
            reports.append(report)

    seconds = {"read": _clock("read", read)}
    chunks = [reports[i:i + CHUNK] for i in range(0, len(reports), CHUNK)]
    texts = [p.text for report in reports for p in report.paragraphs]
    seconds["classify"] = _clock("classify", lambda: [
        model.classify([p.text for report in chunk for p in report.paragraphs])
        for chunk in chunks])
    seconds["segmentation"] = _clock("segment", lambda: [segment(text) for text in texts])
    seconds["tag_units"] = _clock("tag", lambda: [
        tag_units(units[i:i + CHUNK], model, taxonomy) for i in range(0, len(units), CHUNK)])
    joined = ["\n".join(p.text for p in report.paragraphs) for report in reports]
    seconds["jieba"] = _clock("jieba", lambda: [jieba.lcut(text) for text in joined])
    stages = {
        "reader, without the figure reader": seconds["read"] - _spent["read"],
        "figure reader, narrative check": _spent["read"],
        "segmentation (jieba, in the model)": seconds["segmentation"],
        "rest of the model": seconds["classify"] - _spent["classify"] - seconds["segmentation"],
        "figure reader, paragraph counts": _spent["classify"],
        "results": seconds["tag_units"] - seconds["read"] - seconds["classify"],
        JIEBA_STAGE: seconds["jieba"],
    }
    print(json.dumps({name: 1000 * value / len(units) for name, value in stages.items()}))


if __name__ == "__main__":
    main()
