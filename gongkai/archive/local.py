"""The local engine: worker processes tag chunks of reports, the parent commits each chunk
to the resumable state, then streams the datasets out of the state alone, a report at a
time, so memory does not grow with the archive.

Assembling from the state, in the plan's sorted order, is what makes the output of a
resumed run, or of any number of workers, byte-for-byte that of one uninterrupted run.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from gongkai.archive.datasets import NAMES, ordered_rows
from gongkai.archive.errors import ArchiveError
from gongkai.archive.formats import DatasetWriter
from gongkai.archive.outcome import Outcome
from gongkai.archive.plan import Plan, Unit
from gongkai.archive.progress import make_progress
from gongkai.archive.state import WorkState
from gongkai.archive.worker import init_worker, tag_chunk

HOLD_ENV = "GONGKAI_ARCHIVE_HOLD_AFTER"
MAX_CHUNK = 16


def _chunks(units: list[Unit], workers: int) -> list[list[Unit]]:
    """Small enough that every worker gets several and a kill loses little."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(units) / (workers * 4))))
    return [units[start:start + size] for start in range(0, len(units), size)]


def _pool(workers: int, model_dir: str) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process that imported the tagging code once,
    # never from a copy of a parent that may run threads (Ray, the progress bar).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["gongkai.archive.worker"])
    hold = os.environ.get(HOLD_ENV)
    threads = max(1, (os.cpu_count() or 1) // workers)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker,
                               initargs=(model_dir, int(hold) if hold else None, threads))


def _tag(plan: Plan, pending: list[Unit], state: WorkState, workers: int, model_dir: str,
         progress: bool) -> None:
    with make_progress(progress) as bar:
        files_done = plan.files - sum(len(unit.sources) for unit in pending)
        task = bar.add_task("tagging", total=plan.files, completed=files_done, reports=0,
                            errors=len(plan.errors))
        if not pending:
            return
        with _pool(workers, model_dir) as pool:
            try:
                futures: dict[Future[Any], list[Unit]] = {
                    pool.submit(tag_chunk, chunk): chunk for chunk in _chunks(pending, workers)}
                for future in as_completed(futures):
                    # popped, so that a committed chunk's results are not kept to the end
                    chunk, results = futures.pop(future), future.result()
                    state.commit(results, [name for unit in chunk for name in unit.names])
                    failed = [unit for unit, result in zip(chunk, results, strict=True)
                              if result["error"] is not None]
                    fields = bar.tasks[task].fields
                    bar.update(task, advance=sum(len(unit.sources) for unit in chunk),
                               reports=fields["reports"] + len(chunk),
                               errors=fields["errors"] + sum(len(u.sources) for u in failed))
            except BrokenProcessPool:
                raise ArchiveError("a worker process died (out of memory?); what was done is "
                                   "kept: run the same command again to resume") from None
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def run_local(plan: Plan, out: Path, fmt: str, workers: int, model_dir: str,
              job: dict[str, Any], progress: bool = True) -> Outcome:
    """Tag what the state in ``out`` lacks, then write the datasets as ``fmt`` files.

    ``model_dir`` is the model every worker loads; ``job`` identifies it in the state.
    """
    out.mkdir(parents=True, exist_ok=True)
    state = WorkState(out, job)
    done = state.done()
    pending = [unit for unit in plan.units if unit.report_id not in done]
    _tag(plan, pending, state, workers, model_dir, progress)
    with ExitStack() as stack:
        writers = {name: stack.enter_context(DatasetWriter(out, name, fmt)) for name in NAMES}
        results = state.results(unit.report_id for unit in plan.units)
        for name, rows in ordered_rows(plan, results):
            writers[name].write(rows)
    return Outcome(writers["reports"].rows, writers["errors"].rows, len(pending),
                   len(plan.units) - len(pending), [w.path for w in writers.values()])
