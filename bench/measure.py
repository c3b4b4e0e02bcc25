"""What every bench shares: which code it measures, subprocesses, medians and peak memory.

Every bench runs gongkai in subprocesses, so that ``--tree DIR`` (a checkout put first on
``PYTHONPATH``) measures another version of the code with this same bench: before and after
a change, in one run each.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
# Subprocesses run here: ``python -m`` puts its working directory first on the path, and
# this checkout's root there would shadow ``--tree``.
NEUTRAL = Path(tempfile.gettempdir()) / "gongkai-bench"


@dataclass(frozen=True)
class Code:
    """The gongkai a bench runs: this checkout's (``tree`` None) or the one in ``tree``."""

    tree: Path | None = None

    @property
    def cwd(self) -> Path:
        NEUTRAL.mkdir(exist_ok=True)
        return NEUTRAL

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a subprocess: ``tree`` first on the path, then this checkout
        (for the ``bench`` package itself)."""
        paths = [str(self.tree)] if self.tree else []
        paths += [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **extra}

    def gongkai(self, *args: str) -> list[str]:
        """The ``gongkai`` command as users run it (the console script next to python)."""
        script = Path(sys.executable).with_name("gongkai")
        if script.is_file():
            return [str(script), *args]
        return [sys.executable, "-c", "import sys; from gongkai.cli import main; main()", *args]

    def python(self, *args: str) -> list[str]:
        return [sys.executable, *args]


def run(command: Sequence[str], code: Code, **env: str) -> float:
    """Wall seconds of one command; a failure stops the bench with its output."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=code.cwd, env=code.env(**env), capture_output=True,
                          text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds


def interleaved(commands: dict[str, Sequence[str]], rounds: int,
                code: Code) -> dict[str, float]:
    """Median wall seconds of each command, run in turn ``rounds`` times after one round
    that warms the disk cache: on a shared machine, interleaving gives every command the
    same share of whatever else runs."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(rounds + 1):
        for name, command in commands.items():
            seconds = run(command, code)
            if round_:
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def peak_rss(pid: int) -> int:
    """Peak resident memory of a process in bytes (Linux VmHWM), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class TreeMemory:
    """Samples the peak memory of a process and its descendants until stopped; VmHWM keeps
    the peak between samples."""

    root: int
    peaks: dict[int, int] = field(default_factory=dict)
    parents: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        try:
            processes = [psutil.Process(self.root)]
            processes += processes[0].children(recursive=True)
        except psutil.Error:
            return
        for process in processes:
            try:
                self.parents.setdefault(process.pid, process.ppid())
                self.names.setdefault(process.pid, " ".join(process.cmdline()))
            except psutil.Error:
                continue
            self.peaks[process.pid] = max(self.peaks.get(process.pid, 0),
                                          peak_rss(process.pid))

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.sample()

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def megabytes(self, pid: int) -> float:
        return self.peaks.get(pid, 0) / 2**20

    def children_of(self, marker: str) -> list[int]:
        """Processes whose parent's command line contains ``marker`` (pool workers are
        children of the forkserver)."""
        return [pid for pid, parent in self.parents.items()
                if marker in self.names.get(parent, "")]


def load_average() -> float:
    return os.getloadavg()[0]
