"""Slow clients against the real server: headers or a body sent a byte at a time are cut
off at their deadline, and take no in-flight slot from the clients that do send."""

from __future__ import annotations

import json
import select
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.serving.test_process import start_server

DEADLINE_S = 2.0
SLOW_CLIENTS = 8  # twice the in-flight limit
IN_FLIGHT = 4
# Sent well apart: each byte arrives on its own, as from a client that sends one a second.
BYTE_EVERY_S = 0.5
GIVE_UP_S = 20.0
HEADERS = (b"POST /v1/classify HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
           b"Content-Length: 200\r\n\r\n")


def _dribble(port: int, head: bytes, slow: bytes) -> tuple[float, bytes]:
    """Send ``head`` at once, then ``slow`` a byte at a time until the server answers or
    closes; the seconds that took, and what it answered."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(head)
        for byte in slow:
            if time.monotonic() - started > GIVE_UP_S:
                break
            readable, _, _ = select.select([connection], [], [], BYTE_EVERY_S)
            if readable:
                break
            try:
                connection.sendall(bytes([byte]))
            except OSError:  # closed by the server between two bytes
                break
        answer = b""
        connection.settimeout(5)
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except OSError:  # reset: closed without an answer
            pass
    return time.monotonic() - started, answer


def test_slow_clients_are_cut_off_and_hold_no_slot(models_root: Path) -> None:
    base, process = start_server(models_root, env={
        "GONGKAI_HEADER_TIMEOUT_S": str(DEADLINE_S), "GONGKAI_BODY_TIMEOUT_S": str(DEADLINE_S),
        "GONGKAI_MAX_IN_FLIGHT": str(IN_FLIGHT)})
    port = int(base.rsplit(":", 1)[1])
    try:
        with ThreadPoolExecutor(SLOW_CLIENTS) as pool:
            body_clients = [pool.submit(_dribble, port, HEADERS, b"x" * 200)
                            for _ in range(SLOW_CLIENTS // 2)]
            header_clients = [pool.submit(_dribble, port, b"", HEADERS)
                              for _ in range(SLOW_CLIENTS // 2)]
            time.sleep(DEADLINE_S / 2)  # every slow client is connected and sending
            with httpx.Client(base_url=base, timeout=10) as client:
                for _ in range(IN_FLIGHT + 1):
                    answer = client.post("/v1/classify", json={"task": "request",
                                                               "texts": ["申请公开部门预算"]})
                    assert answer.status_code == 200, answer.text
            body_cut = [future.result() for future in body_clients]
            header_cut = [future.result() for future in header_clients]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    for seconds, answer in body_cut:
        assert DEADLINE_S - 0.1 <= seconds < DEADLINE_S + 2, seconds  # timers start apart
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408"), answer
        error = json.loads(body)["error"]
        assert error["type"] == "request_timeout" and error["id"] == "api.body_timeout"
        assert "2 秒" in error["message"]
    for seconds, answer in header_cut:
        assert DEADLINE_S - 0.1 <= seconds < DEADLINE_S + 2, seconds  # timers start apart
        assert answer == b""  # closed: a request without its headers gets no answer
    print(f"\nbody cut off after {max(s for s, _ in body_cut):.2f} s, headers after "
          f"{max(s for s, _ in header_cut):.2f} s (deadline {DEADLINE_S} s)")
