"""The Ray engine on a small local runtime: the same datasets as the local engine."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gongkai import synth
from gongkai.archive.datasets import NAMES
from gongkai.archive.formats import read_dataset
from gongkai.archive.local import run_local
from gongkai.archive.plan import make_plan
from gongkai.archive.state import job_of
from gongkai.models.store import check_model
from gongkai.training.train import train

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def ray_runtime():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _inputs(root: Path) -> list[str]:
    """Reports in three layouts, one of them twice, a docx, a zip and a corrupt PDF."""
    rng = random.Random(11)
    specs = [synth.random_spec(rng, rng.choice(["2019", "2021"])) for _ in range(4)]
    for i, layout in enumerate(["tab", "pipe_rows", "html"]):
        (root / f"r{i}.{'html' if layout == 'html' else 'txt'}").write_text(
            synth.render(specs[i], layout), encoding="utf-8")
    (root / "copy.txt").write_bytes((root / "r0.txt").read_bytes())
    synth.write_docx(specs[3], root / "r3.docx")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    return [str(root), str(root / "missing.txt")]


@pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")
def test_ray_engine_matches_local(ray_runtime, tmp_path: Path) -> None:
    from gongkai.archive.ray_engine import run_ray

    model_dir = tmp_path / "rules-paragraph"
    train("paragraph", kind="rules", out=model_dir)
    (tmp_path / "in").mkdir()
    plan = make_plan(_inputs(tmp_path / "in"))
    local, distributed = tmp_path / "local", tmp_path / "ray"
    run_local(plan, local, "parquet", 1, str(model_dir),
              job_of(check_model(str(model_dir), "paragraph")), progress=False)
    outcome = run_ray(plan, distributed, str(model_dir), workers=2)
    assert (outcome.reports, outcome.errors) == (4, 2)
    for name in NAMES:
        assert (distributed / name).is_dir() and not (distributed / f"{name}.parquet").exists()
        assert read_dataset(distributed, name) == read_dataset(local, name), name
    assert [r["sources"] for r in read_dataset(distributed, "reports")
            if len(r["sources"]) > 1] == [[str(tmp_path / "in" / "copy.txt"),
                                           str(tmp_path / "in" / "r0.txt")]]
