"""The HTTP API: ``POST /v1/classify`` (one sample request per call) under 1, 8 and 32
concurrent clients, each beside a hello-world FastAPI endpoint served by the same uvicorn
in the same run; the peak memory of ``gongkai serve``.

Both servers start as users start them (``gongkai serve``; ``uvicorn bench.hello:app``),
on loopback; the load generator shares the machine's cores with them.

    python -m bench.serving [--seconds 10] [--clients 1 8 32] [--env GONGKAI_BATCHING=false]
                            [--hello-access-log] [--client wrk|asyncio] [--tree DIR]
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import time
from pathlib import Path

import httpx

from bench.load import Cell, default_tool, load
from bench.measure import ROOT, Code, TreeMemory
from bench.targets import Figure

REQUESTS_FILE = ROOT / "data" / "samples" / "requests.jsonl"
STARTUP_SECONDS = 120
WARM_SECONDS = 1.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], code: Code, ready: str, **env: str) -> subprocess.Popen:
    """A server process, once ``ready`` (a URL) answers 200."""
    process = subprocess.Popen(command, cwd=code.cwd, env=code.env(**env),
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
        try:
            if httpx.get(ready, timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{' '.join(command)} was not ready within {STARTUP_SECONDS} s")


def request_bodies() -> list[bytes]:
    rows = [json.loads(line) for line in REQUESTS_FILE.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [json.dumps({"task": "request", "texts": [row["text"]]}, ensure_ascii=False)
            .encode("utf-8") for row in rows if str(row.get("text", "")).strip()]


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def bench(code: Code, seconds: float, clients: list[int], env: dict[str, str],
          hello_access_log: bool = False, tool: str | None = None) -> list[Figure]:
    serve_port, hello_port = free_port(), free_port()
    serve_url, hello_url = f"http://127.0.0.1:{serve_port}", f"http://127.0.0.1:{hello_port}"
    hello = start(code.python("-m", "uvicorn", "bench.hello:app", "--port", str(hello_port),
                              "--log-level", "warning",
                              "--access-log" if hello_access_log else "--no-access-log"),
                  code, f"{hello_url}/hello")
    try:
        server = start(code.gongkai("serve", "--port", str(serve_port)), code,
                       f"{serve_url}/readyz", **env)
        try:
            with TreeMemory(server.pid) as memory:
                cells = _cells(serve_url, hello_url, request_bodies(), seconds, clients,
                               tool or default_tool())
                memory.sample()
        finally:
            _stop(server)
    finally:
        _stop(hello)
    figures = []
    for count, (classify, ceiling) in cells.items():
        suffix = "" if count == max(clients) else f"_{count}"
        figures += [
            Figure(f"api.vs_hello{suffix}", f"`/v1/classify` ÷ hello world, {count} clients",
                   classify.rate / ceiling.rate),
            Figure(f"api.p99_ms{suffix}", f"`/v1/classify` p99, {count} clients",
                   classify.p99_ms, "ms"),
            Figure(f"api.rate_{count}", f"`/v1/classify`, {count} clients", classify.rate,
                   "req/s"),
            Figure(f"api.hello_rate_{count}", f"hello world, {count} clients", ceiling.rate,
                   "req/s"),
            Figure(f"api.errors_{count}", f"errors, {count} clients ({classify.tool})",
                   classify.errors + ceiling.errors, ""),
        ]
    figures.append(Figure("api.serve_mb", "peak memory of `gongkai serve`",
                          max(memory.peaks.values(), default=0) / 2**20, "MB"))
    return figures


def _cells(serve: str, hello: str, bodies: list[bytes], seconds: float, clients: list[int],
           tool: str) -> dict[int, tuple[Cell, Cell]]:
    """Classify, then hello world, at each number of clients (after a warming load)."""
    load(serve, "/v1/classify", bodies, 8, WARM_SECONDS, tool)
    load(hello, "/hello", [], 8, WARM_SECONDS, tool)
    return {count: (load(serve, "/v1/classify", bodies, count, seconds, tool),
                    load(hello, "/hello", [], count, seconds, tool)) for count in clients}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="A setting of the server (GONGKAI_BATCHING=false).")
    parser.add_argument("--hello-access-log", action="store_true",
                        help="Log every hello-world request, as a server that logs access.")
    parser.add_argument("--client", choices=["wrk", "asyncio"], default=None,
                        help="The load generator (default: wrk where installed).")
    parser.add_argument("--tree", type=Path, default=None)
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    for figure in bench(Code(args.tree), args.seconds, args.clients, env,
                        args.hello_access_log, args.client):
        print(f"{figure.what}: {figure.shown()}")


if __name__ == "__main__":
    main()
