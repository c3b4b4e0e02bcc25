"""What each local worker process holds: the model, loaded once by the pool's initializer.

Workers are forked from a server process that imported this code and built jieba's
dictionary once (``gongkai.archive.preload``), so a worker starts with both and only loads
the model. Each tagged report leaves the worker as its JSON line (``Tagged``): the parent
only writes it down.

``hold_after`` stops a worker for good once it has tagged that many reports (at the next
chunk): the resume tests use it (through ``GONGKAI_ARCHIVE_HOLD_AFTER``) to freeze a job
mid-way before killing it.
"""

from __future__ import annotations

import gc
import signal
import time

from threadpoolctl import threadpool_limits

from gongkai.archive.plan import Unit
from gongkai.archive.state import Tagged
from gongkai.archive.tagger import tag_units
from gongkai.models.base import DispositionModel
from gongkai.models.store import load_model
from gongkai.taxonomy import Taxonomy, load_taxonomy


class _Worker:
    def __init__(self, model: DispositionModel, taxonomy: Taxonomy, hold_after: int | None,
                 timeout_s: float | None) -> None:
        self.model = model
        self.taxonomy = taxonomy
        self.hold_after = hold_after
        self.timeout_s = timeout_s
        self.tagged = 0

    def tag(self, units: list[Unit]) -> list[Tagged]:
        if self.hold_after is not None and self.tagged >= self.hold_after:
            while True:
                time.sleep(60)
        self.tagged += len(units)
        return [Tagged.of(result) for result in tag_units(units, self.model, self.taxonomy,
                                                           timeout_s=self.timeout_s)]


_worker: _Worker | None = None


def init_worker(model_dir: str, hold_after: int | None, threads: int,
                timeout_s: float | None = None) -> None:
    """Pool initializer: Ctrl-C is the parent's to handle; the worker's BLAS and OpenMP
    pools (numpy, torch) get ``threads``, its share of the CPUs, instead of all of them
    each; the model is loaded once, then set aside from garbage collection (it lives as
    long as the worker, and a full collection would otherwise walk it again and again).
    Reading each report is bounded by ``timeout_s`` (a timer in the worker's main thread,
    where chunks run: ``gongkai.archive.deadline``)."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(threads)
    _worker = _Worker(load_model(model_dir, "paragraph"), load_taxonomy(), hold_after,
                      timeout_s)
    gc.collect()
    gc.freeze()


def tag_chunk(units: list[Unit]) -> list[Tagged]:
    assert _worker is not None, "init_worker runs first"
    return _worker.tag(units)
