"""The Ray engine: the same job on Ray Data, for archives larger than one machine.

The plan's reports become a Ray dataset; an actor pool of :class:`RayTagger` (each actor
loads the model once) tags them; each output dataset is exploded from the tagged rows,
written as a folder of Parquet parts, ``DIR/<dataset>/``: one part per block of reports in
report-id order, each part sorted by the dataset's keys. Every node must see the inputs,
the model and ``DIR`` at the same paths (a shared filesystem).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads

from gongkai.archive.datasets import NAMES, SCHEMAS, error_rows, sort_rows, unit_rows
from gongkai.archive.errors import ArchiveError
from gongkai.archive.formats import replace_dataset
from gongkai.archive.outcome import Outcome
from gongkai.archive.plan import Plan, Unit
from gongkai.archive.sources import Source
from gongkai.archive.tagger import tag_units
from gongkai.models.store import load_model
from gongkai.taxonomy import load_taxonomy

BATCH_SIZE = 16
STAGING = "_ray"
SHARED_ENV = ("GONGKAI_MODELS", "GONGKAI_HOME")


class RayTagger:
    """A Ray actor: loads the model once, then tags batches of reports."""

    def __init__(self, model: str) -> None:
        self.model = load_model(model, "paragraph")
        self.taxonomy = load_taxonomy()

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        results = tag_units([Unit(row["report_id"], (Source(row["source"], row["path"],
                                                            row["member"]),)) for row in rows],
                            self.model, self.taxonomy)
        return pa.table({
            "report_id": [row["report_id"] for row in rows],
            "names": pa.array([row["names"] for row in rows], pa.list_(pa.string())),
            "result": [json.dumps(result, ensure_ascii=False) for result in results],
        })


def explode(batch: pa.Table, name: str) -> pa.Table:
    """The rows of dataset ``name`` from a batch of tagged reports."""
    rows = [row for tagged in batch.to_pylist()
            for row in unit_rows(tagged["report_id"], tagged["names"],
                                 json.loads(tagged["result"]))[name]]
    return pa.Table.from_pylist(sort_rows(name, rows), schema=SCHEMAS[name])


def _items(units: list[Unit]) -> list[dict[str, Any]]:
    return [{"report_id": unit.report_id, "source": unit.source.name, "path": unit.source.path,
             "member": unit.source.member, "names": unit.names} for unit in units]


def _start(address: str | None, workers: int | None) -> bool:
    """Connect to ``address`` or start a local runtime, unless Ray already runs here;
    ``GONGKAI_MODELS`` and ``GONGKAI_HOME`` travel to the workers. True when this call
    started Ray."""
    try:
        import ray
    except ImportError:
        raise ArchiveError("the ray engine needs Ray: pip install 'gongkai[archive]'") from None
    if ray.is_initialized():
        return False
    env = {name: os.environ[name] for name in SHARED_ENV if name in os.environ}
    local = {"num_cpus": workers} if address is None and workers else {}
    ray.init(address=address, include_dashboard=False, runtime_env={"env_vars": env},
             log_to_driver=False, **local)
    return True


def _write(dataset: Any, out: Path, name: str) -> Path:
    staging = out / STAGING / name
    shutil.rmtree(staging, ignore_errors=True)
    dataset.write_parquet(str(staging))
    staging.mkdir(parents=True, exist_ok=True)  # an empty dataset writes no part
    replace_dataset(staging, out / name, name)
    return out / name


def run_ray(plan: Plan, out: Path, model: str, workers: int | None = None,
            address: str | None = None) -> Outcome:
    """Tag every report of the plan on Ray and write ``DIR/<dataset>/`` Parquet folders.

    ``model`` is resolved on each worker (a bare name under its ``GONGKAI_MODELS`` or
    the package's ``models/``, or a path); ``workers`` fixes the actor pool size.
    """
    started = _start(address, workers)
    import ray
    import ray.data

    try:
        out.mkdir(parents=True, exist_ok=True)
        ray.data.DataContext.get_current().execution_options.preserve_order = True
        size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        pool = (ray.data.ActorPoolStrategy(size=workers) if workers
                else ray.data.ActorPoolStrategy(min_size=1, max_size=size))
        tagged = ray.data.from_items(_items(plan.units)).map_batches(
            RayTagger, fn_constructor_kwargs={"model": model}, batch_size=BATCH_SIZE,
            batch_format="pyarrow", compute=pool, num_cpus=1,
        ).materialize()
        inputs = ray.data.from_arrow(pa.Table.from_pylist(error_rows(plan.errors),
                                                          schema=SCHEMAS["errors"]))
        paths = []
        for name in NAMES:
            rows = tagged.map_batches(explode, fn_kwargs={"name": name}, batch_format="pyarrow")
            paths.append(_write(rows.union(inputs) if name == "errors" else rows, out, name))
        shutil.rmtree(out / STAGING, ignore_errors=True)
    finally:
        if started:
            ray.shutdown()
    counts = {name: pads.dataset(out / name, format="parquet", schema=SCHEMAS[name]).count_rows()
              for name in ("reports", "errors")}
    return Outcome(counts["reports"], counts["errors"], len(plan.units), 0, paths)
