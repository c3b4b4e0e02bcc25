"""Archive tagging throughput (local engine with 1 and 2 workers, Ray engine), each beside
bare jieba.lcut on the same text in the same run, with the CPU time and peak memory of the
workers.

Segmentation is the floor of any tagging job: the ratio says how close the whole job
(reading, tagging, checkpointing, writing datasets) comes to segmenting alone.

    python bench/bench_archive.py [--reports 1000] [--seed 0] [--model NAME] [--no-ray]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import jieba
import psutil

from gongkai import synth
from gongkai.archive.formats import read_dataset
from gongkai.archive.local import run_local
from gongkai.archive.plan import Plan, make_plan
from gongkai.archive.state import job_of
from gongkai.models.store import load_model, resolve

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


class Workers:
    """Samples the processes ``select`` picks among this process's descendants: each one's
    peak resident memory (Linux VmHWM, so spikes between samples count) and CPU time (on a
    shared machine, CPU time per report still means something when wall time does not)."""

    def __init__(self, select: Callable[[psutil.Process], bool]) -> None:
        self.select = select
        self.peaks: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _peak(self, process: psutil.Process) -> int:
        try:
            with open(f"/proc/{process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return process.memory_info().rss

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            for process in psutil.Process().children(recursive=True):
                try:
                    if self.select(process):
                        self.peaks[process.pid] = max(self.peaks.get(process.pid, 0),
                                                      self._peak(process))
                        times = process.cpu_times()
                        self.cpu[process.pid] = times.user + times.system
                except psutil.Error:
                    continue

    def __enter__(self) -> Workers:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def memory(self) -> str:
        if not self.peaks:
            return "–"
        peaks = [peak / 2**20 for peak in self.peaks.values()]
        return f"{max(peaks):.0f} (mean {sum(peaks) / len(peaks):.0f}, {len(peaks)} workers)"

    def cpu_per_report(self, reports: int) -> str:
        return f"{1000 * sum(self.cpu.values()) / reports:.1f}" if self.cpu else "–"


def local_worker(process: psutil.Process) -> bool:
    """A pool worker: a child of the forkserver process."""
    parent = process.parent()
    return parent is not None and "forkserver" in " ".join(parent.cmdline())


def ray_worker(process: psutil.Process) -> bool:
    return "RayTagger" in process.name() or "RayTagger" in " ".join(process.cmdline())


def jieba_rate(texts: list[str]) -> float:
    """Reports per second of bare jieba.lcut over each report's paragraph text."""
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return len(texts) / (time.perf_counter() - started)


def report_texts(out: Path) -> list[str]:
    by_report: dict[str, list[str]] = {}
    for paragraph in read_dataset(out, "paragraphs"):
        by_report.setdefault(paragraph["report_id"], []).append(paragraph["text"])
    return ["\n".join(texts) for texts in by_report.values()]


def row(engine: str, workers: int, reports: int, seconds: float, texts: list[str],
        monitor: Workers) -> str:
    rate, floor = reports / seconds, jieba_rate(texts)
    return (f"| {engine} | {workers} | {reports} | {seconds:.1f} | {rate:.1f} | {floor:.1f} | "
            f"{rate / floor:.2f} | {monitor.cpu_per_report(reports)} | {monitor.memory()} |")


def run_local_case(plan: Plan, work: Path, workers: int, model_dir: str, job: dict) -> str:
    out = work / f"local-{workers}"
    with Workers(local_worker) as monitor:
        started = time.perf_counter()
        outcome = run_local(plan, out, "parquet", workers, model_dir, job, progress=False)
        seconds = time.perf_counter() - started
    return row("local", workers, outcome.reports, seconds, report_texts(out), monitor)


def run_ray_case(plan: Plan, work: Path, workers: int, model_dir: str) -> str:
    import ray

    from gongkai.archive.ray_engine import run_ray

    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    try:
        out = work / "ray"
        with Workers(ray_worker) as monitor:
            started = time.perf_counter()
            outcome = run_ray(plan, out, model_dir, workers)
            seconds = time.perf_counter() - started
    finally:
        ray.shutdown()
    return row("ray", workers, outcome.reports, seconds, report_texts(out), monitor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default=None, help="paragraph model (default: the task's)")
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()

    model = load_model(args.model, "paragraph")
    model_dir, job = str(resolve(args.model, "paragraph").resolve()), job_of(model)
    jieba.lcut("预热")
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        generate(work / "archive", args.reports, args.seed)
        plan = make_plan([str(work / "archive")])
        warm = make_plan([str(path) for path in sorted((work / "archive/loose").glob("*"))[:8]])
        run_local(warm, work / "warm", "parquet", 2, model_dir, job, progress=False)
        rows = [run_local_case(plan, work, workers, model_dir, job) for workers in (1, 2)]
        if not args.no_ray:
            rows.append(run_ray_case(plan, work, 2, model_dir))
    print(f"{len(plan.units)} distinct reports from {plan.files} files "
          f"({sum(1 for u in plan.units if u.source.member)} in a zip), model {model.name}, "
          f"{psutil.cpu_count()} CPUs")
    print("| engine | workers | reports | seconds | reports/s | jieba.lcut reports/s (1 core) "
          "| ratio | worker CPU ms/report | peak RSS per worker, MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"parent process peak RSS: {parent:.0f} MB (the bench itself, the plan, Ray's driver)")


if __name__ == "__main__":
    main()
