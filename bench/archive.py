"""Archive tagging: the whole ``gongkai tag DIR --out OUT`` command with 1 and 2 workers (and
Ray, on request), beside bare ``jieba.lcut`` on the same narrative text in the same run;
the start-up of a one-report job; peak memory of the parent and of a worker; where a
worker's time goes (``bench.stages``).

Segmentation is the floor of any tagging job: the ratio says how close the whole command
(start-up, reading, tagging, checkpoints, datasets) comes to segmenting alone.

    python -m bench.archive [--reports 1000] [--seed 0] [--ray] [--tree DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import jieba
import pyarrow.parquet as pq

from bench.measure import Code, TreeMemory
from bench.stages import JIEBA_STAGE
from bench.targets import Figure
from gongkai import synth

ENCODINGS = ("utf-8", "utf-8", "gb18030", "utf-16")
ZIPPED_SHARE = 0.1


def generate(root: Path, count: int, seed: int) -> None:
    """Text layouts in mixed encodings, HTML, 2% docx, 2% PDF, a tenth of them in a zip."""
    rng = random.Random(seed)
    loose, zipped = root / "loose", root / "bundle.zip"
    loose.mkdir(parents=True)
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as bundle:
        for i in range(count):
            spec = synth.random_spec(rng, rng.choice(["2019", "2021"]),
                                     flags=synth.random_flags(rng))
            if i % 50 == 0:
                synth.write_docx(spec, loose / f"r{i}.docx")
                continue
            if i % 50 == 25:
                synth.write_pdf(spec, loose / f"r{i}.pdf")
                continue
            layout = synth.LAYOUTS[i % len(synth.LAYOUTS)]
            suffix = "html" if layout == "html" else "txt"
            encoding = "utf-8" if layout == "html" else rng.choice(ENCODINGS)
            data = synth.render(spec, layout).encode(encoding)
            if rng.random() < ZIPPED_SHARE:
                bundle.writestr(f"r{i}.{suffix}", data)
            else:
                (loose / f"r{i}.{suffix}").write_bytes(data)


def tag(code: Code, inputs: list[Path], out: Path, *options: str) -> tuple[float, TreeMemory]:
    """Wall seconds of one ``gongkai tag`` job and the memory of its processes."""
    command = code.gongkai("tag", *map(str, inputs), "--out", str(out), *options)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=code.cwd, env=code.env(),
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    with TreeMemory(process.pid) as memory:
        _, errors = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"gongkai tag failed ({process.returncode}):\n{errors}")
    return seconds, memory


def report_texts(out: Path) -> list[str]:
    """Each report's narrative paragraphs as one text, from the paragraphs dataset."""
    path = out / "paragraphs.parquet"
    columns = pq.read_table(path if path.exists() else out / "paragraphs",
                            columns=["report_id", "text"]).to_pydict()
    by_report: dict[str, list[str]] = {}
    for report_id, text in zip(columns["report_id"], columns["text"], strict=True):
        by_report.setdefault(report_id, []).append(text)
    return ["\n".join(texts) for texts in by_report.values()]


def jieba_rate(texts: list[str]) -> float:
    """Reports per second of bare ``jieba.lcut`` over each report's narrative text."""
    jieba.lcut("预热")
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return len(texts) / (time.perf_counter() - started)


def worker_megabytes(memory: TreeMemory, marker: str) -> float:
    return max((memory.megabytes(pid) for pid in memory.children_of(marker)), default=0.0)


def bench(code: Code, reports: int, seed: int, ray: bool = False) -> list[Figure]:
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        generate(work / "archive", reports, seed)
        one = next((work / "archive" / "loose").glob("*.txt"))
        startup, _ = tag(code, [one], work / "one")
        runs = {workers: tag(code, [work / "archive"], work / f"local-{workers}",
                             "--workers", str(workers)) for workers in (1, 2)}
        texts = report_texts(work / "local-2")
        floor = jieba_rate(texts)
        rates = {workers: len(texts) / seconds for workers, (seconds, _) in runs.items()}
        memory = runs[2][1]
        figures = [
            Figure("archive.startup_s", "`gongkai tag` start-up: a one-report job", startup, "s"),
            Figure("archive.rate_1", "`gongkai tag`, 1 worker", rates[1], "reports/s"),
            Figure("archive.rate_2", "`gongkai tag`, 2 workers", rates[2], "reports/s"),
            Figure("archive.jieba_rate", "bare `jieba.lcut` on the same text, 1 core", floor,
                   "reports/s"),
            Figure("archive.vs_jieba_1", "`gongkai tag`, 1 worker, ÷ bare `jieba.lcut`",
                   rates[1] / floor),
            Figure("archive.vs_jieba", "`gongkai tag`, 2 workers, ÷ bare `jieba.lcut`",
                   rates[2] / floor),
            Figure("archive.two_workers", "`gongkai tag`: 2 workers ÷ 1 worker",
                   rates[2] / rates[1]),
            Figure("archive.worker_mb", "peak memory of a worker",
                   worker_megabytes(memory, "forkserver"), "MB"),
            Figure("archive.parent_mb", "peak memory of the `gongkai tag` process",
                   memory.megabytes(memory.root), "MB"),
        ]
        if ray:
            seconds, ray_memory = tag(code, [work / "archive"], work / "ray", "--engine", "ray",
                                      "--workers", "2")
            figures += [
                Figure("archive.ray_vs_jieba", "`gongkai tag --engine ray`, 2 actors, ÷ bare "
                       "`jieba.lcut`", len(texts) / seconds / floor),
                Figure("archive.ray_worker_mb", "peak memory of a Ray actor",
                       max((ray_memory.megabytes(pid) for pid, name in ray_memory.names.items()
                            if "RayTagger" in name), default=0.0), "MB"),
            ]
        figures += stages(code, work / "archive")
    return figures


def stages(code: Code, archive: Path) -> list[Figure]:
    """Where one worker's time goes, as shares of it (``bench.stages`` in a subprocess)."""
    done = subprocess.run(code.python("-m", "bench.stages", str(archive)), cwd=code.cwd,
                          env=code.env(), capture_output=True, text=True, check=True)
    per_report = json.loads(done.stdout)
    floor = per_report.pop(JIEBA_STAGE)
    total = sum(per_report.values())
    return [Figure(f"stage.{name}", f"worker time: {name}", 100 * value / total, "%")
            for name, value in per_report.items()] + [
        Figure("stage.vs_jieba", "a worker's time per report ÷ bare `jieba.lcut`'s",
               total / floor)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ray", action="store_true")
    parser.add_argument("--tree", type=Path, default=None)
    args = parser.parse_args()
    for figure in bench(Code(args.tree), args.reports, args.seed, args.ray):
        print(f"{figure.what}: {figure.shown()}")


if __name__ == "__main__":
    main()
