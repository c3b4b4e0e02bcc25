"""What each local worker process holds: the model, loaded once by the pool's initializer.

``hold_after`` stops a worker for good once it has tagged that many reports (at the next
chunk): the resume tests use it (through ``GONGKAI_ARCHIVE_HOLD_AFTER``) to freeze a job
mid-way before killing it.
"""

from __future__ import annotations

import signal
import time

from threadpoolctl import threadpool_limits

from gongkai.archive.datasets import Row
from gongkai.archive.plan import Unit
from gongkai.archive.tagger import tag_units
from gongkai.models.base import DispositionModel
from gongkai.models.store import load_model
from gongkai.taxonomy import Taxonomy, load_taxonomy


class _Worker:
    def __init__(self, model: DispositionModel, taxonomy: Taxonomy, hold_after: int | None):
        self.model = model
        self.taxonomy = taxonomy
        self.hold_after = hold_after
        self.tagged = 0

    def tag(self, units: list[Unit]) -> list[Row]:
        if self.hold_after is not None and self.tagged >= self.hold_after:
            while True:
                time.sleep(60)
        self.tagged += len(units)
        return tag_units(units, self.model, self.taxonomy)


_worker: _Worker | None = None


def init_worker(model_dir: str, hold_after: int | None, threads: int) -> None:
    """Pool initializer: Ctrl-C is the parent's to handle; the worker's BLAS and OpenMP
    pools (numpy, torch) get ``threads``, its share of the CPUs, instead of all of them
    each; the model is loaded once."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(threads)
    _worker = _Worker(load_model(model_dir, "paragraph"), load_taxonomy(), hold_after)


def tag_chunk(units: list[Unit]) -> list[Row]:
    assert _worker is not None, "init_worker runs first"
    return _worker.tag(units)
