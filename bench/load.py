"""HTTP load at a fixed number of concurrent clients: ``wrk`` where it is installed (it costs
the shared cores least), otherwise a small asyncio client of keep-alive connections."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}
_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    """What ``clients`` concurrent clients got from one endpoint."""

    rate: float  # answers per second
    p50_ms: float
    p99_ms: float
    errors: int  # answers other than 200, and failed connections
    tool: str


def lua(path: str, bodies: list[bytes]) -> str:
    """A wrk script that POSTs the JSON ``bodies`` in turn."""
    quoted = ",\n".join(f"[==[{body.decode('utf-8')}]==]" for body in bodies)
    return f"""local bodies = {{
{quoted}
}}
local i = 0
local headers = {{["Content-Type"] = "application/json"}}
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "{path}", headers, bodies[i])
end
"""


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * _UNITS[unit]


def _wrk(url: str, path: str, bodies: list[bytes], clients: int, seconds: float) -> Cell:
    with tempfile.TemporaryDirectory() as work:
        command = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency",
                   "--timeout", "10s"]
        if bodies:
            script = Path(work) / "post.lua"
            script.write_text(lua(path, bodies), encoding="utf-8")
            command += ["-s", str(script)]
        output = subprocess.run([*command, url + path], capture_output=True, text=True,
                                check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    socket_errors = sum(map(int, re.findall(r"(?:connect|read|write|timeout) (\d+)", output)))
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Cell(float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]), _ms(latency["50"]),
                _ms(latency["99"]), socket_errors + (int(non_ok[1]) if non_ok else 0), "wrk")


def _request(host: str, path: str, body: bytes | None) -> bytes:
    if body is None:
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def _client(host: str, port: int, requests: list[bytes], deadline: float,
                  latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    sent = 0
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(requests[sent % len(requests)])
            sent += 1
            head = await reader.readuntil(b"\r\n\r\n")
            length = _LENGTH.search(head)
            await reader.readexactly(int(length[1]) if length else 0)
            latencies.append(time.perf_counter() - started)
            if head[9:12] != b"200":
                errors.append(1)
    except (OSError, asyncio.IncompleteReadError):
        errors.append(1)
    finally:
        writer.close()


async def _asyncio(url: str, path: str, bodies: list[bytes], clients: int,
                   seconds: float) -> Cell:
    host, port = url.removeprefix("http://").split(":")
    requests = [_request(host, path, body) for body in bodies or [None]]
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(host, int(port), requests, started + seconds, latencies,
                                   errors) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return Cell(len(latencies) / elapsed, 1000 * ordered[len(ordered) // 2],
                1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], len(errors),
                "asyncio")


def default_tool() -> str:
    return "wrk" if shutil.which("wrk") else "asyncio"


def load(url: str, path: str, bodies: list[bytes], clients: int, seconds: float,
         tool: str | None = None) -> Cell:
    """``clients`` connections sending requests to ``url + path`` for ``seconds``: the JSON
    ``bodies`` POSTed in turn, or GETs when there are none; with ``wrk`` (the default where
    it is installed) or the asyncio client."""
    if (tool or default_tool()) == "wrk":
        return _wrk(url, path, bodies, clients, seconds)
    return asyncio.run(_asyncio(url, path, bodies, clients, seconds))
