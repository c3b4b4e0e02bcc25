"""Serving throughput: /v1/classify under 1, 8 and 32 concurrent clients, with micro-batching
off and on, beside the same server's /healthz as the framework's ceiling.

Each mode starts its own server process on a free loopback port (default models; a missing
one is trained first) and stops it afterwards. Requests per cell and seconds per cell are
bounded; the client runs on the same machine, so both share its cores.

    python bench/bench_serving.py [--requests 400] [--seconds 15] [--clients 1 8 32]
                                  [--windows 5 0]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
REQUESTS_FILE = ROOT / "data" / "samples" / "requests.jsonl"
STARTUP_SECONDS = 120


@dataclass
class Cell:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(window_ms: float | None) -> tuple[subprocess.Popen, str]:
    """A server with micro-batching off (``None``) or on with this window."""
    port = free_port()
    env = {**os.environ, "GONGKAI_BATCHING": str(window_ms is not None).lower(),
           "GONGKAI_BATCH_WINDOW_MS": str(window_ms or 0)}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "gongkai.serving.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--no-access-log"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server was not ready within {STARTUP_SECONDS} s")


async def run_cell(base: str, path: str, bodies: list[dict | None], clients: int,
                   requests: int, seconds: float) -> Cell:
    """``clients`` connections sending ``requests`` requests in all (or for ``seconds``)."""
    latencies: list[float] = []
    errors = 0
    numbers = itertools.count()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:

        async def send(body: dict | None) -> bool:
            try:
                if body is None:
                    response = await client.get(path)
                else:
                    response = await client.post(path, json=body)
            except httpx.HTTPError:
                return False
            return response.status_code == 200

        for body in bodies[:clients]:  # warm the connections and the model
            await send(body)
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            nonlocal errors
            while (number := next(numbers)) < requests and time.perf_counter() < deadline:
                sent = time.perf_counter()
                ok = await send(bodies[number % len(bodies)])
                latencies.append(time.perf_counter() - sent)
                errors += not ok

        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return Cell(len(latencies), elapsed, latencies, errors)


def batch_totals(base: str) -> tuple[float, float]:
    """Texts and model calls of the request model so far, from the server's /metrics."""
    totals = {}
    for line in httpx.get(f"{base}/metrics").text.splitlines():
        for key in ("sum", "count"):
            if line.startswith(f'gongkai_batch_texts_{key}{{task="request"}}'):
                totals[key] = float(line.split()[-1])
    return totals.get("sum", 0.0), totals.get("count", 0.0)


def request_bodies() -> list[dict]:
    rows = [json.loads(line) for line in REQUESTS_FILE.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    texts = [row["text"] for row in rows if str(row.get("text", "")).strip()]
    return [{"task": "request", "texts": [text], "top_k": 3} for text in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="Requests per cell.")
    parser.add_argument("--seconds", type=float, default=15, help="Time limit per cell.")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--windows", type=float, nargs="+", default=[5, 0],
                        help="Batching windows (ms) to run besides batching off.")
    args = parser.parse_args()

    bodies = request_bodies()
    print(f"{len(bodies)} sample requests, one text each; {os.cpu_count()} CPUs shared by "
          f"client and server; load average {os.getloadavg()[0]:.1f} at start\n")
    print("| batching window | clients | classify req/s | p50 ms | p99 ms | texts/call "
          "| errors | healthz req/s | healthz p50 ms | classify / healthz |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for window in [None, *args.windows]:
        process, base = start_server(window)
        mode = "off" if window is None else f"{window:g} ms"
        try:
            for clients in args.clients:
                texts_before, calls_before = batch_totals(base)
                classify = asyncio.run(run_cell(base, "/v1/classify", bodies, clients,
                                                args.requests, args.seconds))
                texts, calls = (after - before for after, before
                                in zip(batch_totals(base), (texts_before, calls_before),
                                       strict=True))
                ceiling = asyncio.run(run_cell(base, "/healthz", [None], clients,
                                               args.requests, args.seconds))
                print(f"| {mode} | {clients} | {classify.rate:.0f} "
                      f"| {classify.percentile(0.5):.1f} | {classify.percentile(0.99):.1f} "
                      f"| {texts / calls:.1f} | {classify.errors + ceiling.errors} "
                      f"| {ceiling.rate:.0f} "
                      f"| {ceiling.percentile(0.5):.1f} | {classify.rate / ceiling.rate:.2f} |")
        finally:
            process.terminate()
            process.wait(timeout=30)
    print("\nerrors: non-200 answers and failed connections, both endpoints together; "
          "a 0 ms window batches only what queued while the previous batch ran")


if __name__ == "__main__":
    main()
