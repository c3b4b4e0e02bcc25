"""gongkai as the software people install: a wheel in a fresh virtual environment, run from
another directory, with no checkout in sight.

The fresh environment borrows the test environment's third-party packages (a ``.pth``
file) so that nothing is downloaded, but not its editable gongkai: the only gongkai it
can import is the wheel's.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUEST = "申请公开本村2023年征地补偿安置方案和补偿标准文件。"


def run(*command: str | Path, cwd: Path, env: dict[str, str],
        timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """(the fresh environment's bin folder, its environment variables, a work folder)."""
    root = tmp_path_factory.mktemp("wheel")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                "-w", root / "dist", ROOT, cwd=root, env=dict(os.environ))
    assert built.returncode == 0, built.stderr
    [wheel] = (root / "dist").glob("gongkai-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")],
                   check=True)
    python = root / "venv" / "bin" / "python"
    target = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                 cwd=root, env={}).stdout.strip()
    borrowed = [path for path in site.getsitepackages() if Path(path).is_dir()]
    Path(target, "borrowed.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    done = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
               "--no-index", wheel, cwd=root, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    env = {"PATH": f"{root / 'venv' / 'bin'}:{os.environ['PATH']}", "HOME": str(root),
           "GONGKAI_HOME": str(root / "home"), "LANG": "C.UTF-8"}
    work = root / "elsewhere"
    work.mkdir()
    return root / "venv" / "bin", env, work


def test_the_wheel_is_the_gongkai_that_runs(installed) -> None:
    bin_dir, env, work = installed
    found = run(bin_dir / "python", "-c", "import gongkai, gongkai.training, gongkai.serving;"
                "print(gongkai.__file__)", cwd=work, env=env)
    assert found.returncode == 0, found.stderr
    assert str(ROOT) not in found.stdout and "site-packages" in found.stdout
    names = run(bin_dir / "python", "-c", "import importlib.metadata as m, json; print(json."
                "dumps(m.distribution('gongkai').read_text('top_level.txt')))",
                cwd=work, env=env)
    assert json.loads(names.stdout).split() == ["gongkai"]


def test_report_classify_and_serve_from_the_wheel(installed) -> None:
    bin_dir, env, work = installed
    gongkai = bin_dir / "gongkai"
    sample = run(bin_dir / "python", "-c", "from gongkai.resources import data_path;"
                 "print(data_path('samples', '2021-sample-bureau.txt'))", cwd=work, env=env)
    report = run(gongkai, "report", "--json", sample.stdout.strip(), cwd=work, env=env)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["tables"]["requests"]["found"] is True
    missing = run(gongkai, "classify", REQUEST, cwd=work, env=env)
    assert missing.returncode == 2 and "gongkai train --task request" in missing.stderr
    for task in ("request", "paragraph"):
        trained = run(gongkai, "train", "--task", task, cwd=work, env=env, timeout=600)
        assert trained.returncode == 0, trained.stderr
    assert (Path(env["GONGKAI_HOME"]) / "models" / "tfidf-request" / "metadata.json").is_file()
    answer = run(gongkai, "classify", REQUEST, cwd=work, env=env)
    assert answer.returncode == 0, answer.stderr
    assert "法律依据" in answer.stdout
    server = subprocess.Popen([str(gongkai), "serve", "--port", "18763"], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen("http://127.0.0.1:18763/readyz", timeout=5) as reply:
                    assert json.load(reply)["status"] == "ready"
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "the server never became ready"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
