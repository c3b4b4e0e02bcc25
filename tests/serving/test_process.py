"""The real server: ``serve`` in its own process, spoken to over loopback HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner, Result

from gongkai.cli.serve import serve
from gongkai.resources import data_path

STARTUP_SECONDS = 30
# The command function exactly as `gongkai serve` runs it.
SERVE = "import typer; from gongkai.cli.serve import serve; typer.run(serve)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(models_root: Path, *options: str,
                 env: dict[str, str] | None = None) -> tuple[str, subprocess.Popen]:
    """``gongkai serve`` on a free port with the fixture models, once it is ready; ``env``
    adds settings (``GONGKAI_*``)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "--port", str(port),
         "--model", str(models_root / "tfidf-request"),
         "--paragraph-model", str(models_root / "tfidf-paragraph"), *options],
        env={**os.environ, "GONGKAI_MODELS": str(models_root), **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise AssertionError(f"the server exited:\n{process.stdout.read()}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return base, process
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"not ready within {STARTUP_SECONDS} s")
        time.sleep(0.1)


@pytest.fixture
def server(models_root: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    base, process = start_server(models_root)
    try:
        yield base, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_server_answers_over_http_and_stops_cleanly(server) -> None:
    base, process = server
    with httpx.Client(base_url=base, timeout=10) as client:
        answer = client.post("/v1/classify", json={"task": "request",
                                                   "texts": ["申请公开某公司的投标文件"]})
        assert answer.status_code == 200
        assert answer.json()["results"][0]["label"]
        sample = data_path("samples") / "2019-sample-office.txt"
        report = client.post("/v1/reports", files={"file": (sample.name, sample.read_bytes())})
        assert report.status_code == 200
        assert report.json()["tables"]["requests"]["found"]
        assert client.get("/nowhere").json()["error"]["type"] == "not_found"
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=10)
    assert process.returncode == 0, output
    assert "Application shutdown complete" in output


def invoke_serve(args: list[str], **env: str) -> Result:
    """``serve`` as the ``gongkai`` command wires it; the GONGKAI_* variables it sets for
    its workers are put back afterwards."""
    app = typer.Typer()
    app.command()(serve)
    keys = ("GONGKAI_REQUEST_MODEL", "GONGKAI_PARAGRAPH_MODEL", "GONGKAI_BATCHING")
    return CliRunner().invoke(app, args, env={**dict.fromkeys(keys), **env})


def test_a_bad_model_name_ends_with_one_line() -> None:
    result = invoke_serve(["--model", "/no/such/model"])
    assert result.exit_code == 2
    assert result.output.strip() == "错误：没有模型目录 /no/such/model"
    english = invoke_serve(["--model", "/no/such/model", "--lang", "en"])
    assert english.output.strip() == "error: no model directory at /no/such/model"


def test_a_bad_setting_ends_with_one_line() -> None:
    result = invoke_serve(["--lang", "en"], GONGKAI_MAX_TEXTS="many")
    assert result.exit_code == 2
    assert result.output == ("error: environment variable GONGKAI_MAX_TEXTS is invalid: must "
                             "be a whole number\n")


def _classified(metrics: str) -> float:
    line = 'gongkai_http_requests_total{method="POST",route="/v1/classify",status="200"}'
    return sum(float(row.split()[-1]) for row in metrics.splitlines() if row.startswith(line))


def test_metrics_count_every_worker(models_root: Path) -> None:
    """With two worker processes, /metrics — whichever worker answers — counts the requests
    both answered."""
    base, process = start_server(models_root, "--workers", "2")
    try:
        def classify(_: int) -> int:  # a connection of its own: either worker may take it
            with httpx.Client(base_url=base, timeout=30) as client:
                return client.post("/v1/classify", json={"task": "request",
                                                         "texts": ["申请公开部门预算"]}
                                   ).status_code

        with ThreadPoolExecutor(10) as pool:
            assert list(pool.map(classify, range(10))) == [200] * 10
        for _ in range(6):
            with httpx.Client(base_url=base, timeout=10) as client:
                assert _classified(client.get("/metrics").text) == 10
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "GET /metrics" not in output  # the access log is off by default


def test_the_access_log_is_off_unless_asked_for(models_root: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    runs: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: runs.append(options))
    models = ["--model", str(models_root / "tfidf-request"),
              "--paragraph-model", str(models_root / "tfidf-paragraph")]
    for args, env in [([], {}), (["--access-log"], {}), ([], {"GONGKAI_ACCESS_LOG": "1"})]:
        assert invoke_serve([*models, *args], **env).exit_code == 0
    assert [options["access_log"] for options in runs] == [False, True, True]
