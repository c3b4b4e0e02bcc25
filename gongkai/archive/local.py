"""The local engine: worker processes tag chunks of reports, the parent gathers what they
tagged and flushes it to the resumable state every few seconds, then streams the datasets
out of the state alone, a report at a time, so memory does not grow with the archive.

Assembling from the state, in the plan's sorted order, is what makes the output of a
resumed run, or of any number of workers, byte-for-byte that of one uninterrupted run.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from gongkai.archive.datasets import NAMES, ordered_rows
from gongkai.archive.deadline import DEFAULT_TIMEOUT_S
from gongkai.archive.errors import ArchiveError
from gongkai.archive.formats import DatasetWriter
from gongkai.archive.outcome import Outcome
from gongkai.archive.plan import Plan, Unit
from gongkai.archive.progress import make_progress
from gongkai.archive.state import Tagged, WorkState
from gongkai.archive.worker import init_worker, tag_chunk

HOLD_ENV = "GONGKAI_ARCHIVE_HOLD_AFTER"
MAX_CHUNK = 16
# A flush syncs two files: done after this many reports or seconds, whichever comes first,
# so a kill loses at most a few seconds of tagging.
FLUSH_REPORTS = 256
FLUSH_SECONDS = 2.0


def _chunks(units: list[Unit], workers: int) -> list[list[Unit]]:
    """Small enough that every worker gets several and a kill loses little."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(units) / (workers * 4))))
    return [units[start:start + size] for start in range(0, len(units), size)]


def _pool(workers: int, model_dir: str, timeout_s: float | None) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process that imported the tagging code and
    # built jieba's dictionary once (gongkai.archive.preload), never from a copy of a
    # parent that may run threads (Ray, the progress bar).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["gongkai.archive.preload"])
    hold = os.environ.get(HOLD_ENV)
    threads = max(1, (os.cpu_count() or 1) // workers)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker,
                               initargs=(model_dir, int(hold) if hold else None, threads,
                                         timeout_s))


def _gather(futures: dict[Future[list[Tagged]], list[Unit]], state: WorkState,
            done: Callable[[list[Unit], list[Tagged]], None]) -> None:
    """Gather every chunk's reports into the state as they come, flushing after
    ``FLUSH_REPORTS`` reports or ``FLUSH_SECONDS`` seconds."""
    deadline: float | None = None
    while futures:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        finished, _ = wait(futures, timeout=timeout, return_when=FIRST_COMPLETED)
        for future in finished:
            # popped, so that a gathered chunk's results are not kept to the end
            chunk, tagged = futures.pop(future), future.result()
            state.add(tagged, [name for unit in chunk for name in unit.names])
            done(chunk, tagged)
            deadline = deadline or time.monotonic() + FLUSH_SECONDS
        if deadline is not None and (state.gathered >= FLUSH_REPORTS
                                     or time.monotonic() >= deadline):
            state.flush()
            deadline = None


def _tag(plan: Plan, pending: list[Unit], state: WorkState, workers: int, model_dir: str,
         progress: bool, timeout_s: float | None) -> None:
    with make_progress(progress) as bar:
        files_done = plan.files - sum(len(unit.sources) for unit in pending)
        task = bar.add_task("tagging", total=plan.files, completed=files_done, reports=0,
                            errors=len(plan.errors))
        if not pending:
            return

        def done(chunk: list[Unit], tagged: list[Tagged]) -> None:
            fields = bar.tasks[task].fields
            failed = [unit for unit, report in zip(chunk, tagged, strict=True) if report.failed]
            bar.update(task, advance=sum(len(unit.sources) for unit in chunk),
                       reports=fields["reports"] + len(chunk),
                       errors=fields["errors"] + sum(len(u.sources) for u in failed))

        chunks = _chunks(pending, workers)
        with _pool(min(workers, len(chunks)), model_dir, timeout_s) as pool:
            try:
                _gather({pool.submit(tag_chunk, chunk): chunk for chunk in chunks}, state,
                        done)
            except BrokenProcessPool:
                raise ArchiveError("a worker process died (out of memory?); what was done is "
                                   "kept: run the same command again to resume") from None
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            finally:
                state.flush()  # what was gathered is kept, whatever stopped the job


def run_local(plan: Plan, out: Path, fmt: str, workers: int, model_dir: str,
              job: dict[str, Any], progress: bool = True,
              timeout_s: float | None = DEFAULT_TIMEOUT_S) -> Outcome:
    """Tag what the state in ``out`` lacks, then write the datasets as ``fmt`` files.

    ``model_dir`` is the model every worker loads; ``job`` identifies it in the state;
    a report whose reading takes over ``timeout_s`` seconds (None: no bound) becomes an
    error row of type ``timeout``.
    """
    out.mkdir(parents=True, exist_ok=True)
    state = WorkState(out, job)
    done = state.done()
    pending = [unit for unit in plan.units if unit.report_id not in done]
    _tag(plan, pending, state, workers, model_dir, progress, timeout_s)
    with ExitStack() as stack:
        writers = {name: stack.enter_context(DatasetWriter(out, name, fmt)) for name in NAMES}
        results = state.results(unit.report_id for unit in plan.units)
        for name, rows in ordered_rows(plan, results):
            writers[name].write(rows)
    return Outcome(writers["reports"].rows, writers["errors"].rows, len(pending),
                   len(plan.units) - len(pending), [w.path for w in writers.values()])
