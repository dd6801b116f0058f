"""SIGTERM to a real `minwon serve`: the request in flight completes, new ones are refused
(issue 14 item 8)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
MINWON = [sys.executable, "-m", "minwon.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _connectable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    env = {
        **os.environ,
        "MINWON_MODE": "production",
        "SECRET_KEY": "graceful-shutdown-test-secret-key-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MINWON_DATA_DIR": str(tmp_path / "data"),
        "BACKGROUND_RUNNER": "none",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SECURE_SSL_REDIRECT": "false",
        "SHUTDOWN_DRAIN_SECONDS": "60",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("REDIS_URL", None)
    subprocess.run([*MINWON, "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    port = _free_port()
    process = subprocess.Popen(
        [*MINWON, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(600):
            if _connectable(port):
                break
            if process.poll() is not None:
                pytest.fail(process.stdout.read().decode() if process.stdout else "exited")
            time.sleep(0.1)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.mark.slow
def test_sigterm_lets_the_request_in_flight_finish_and_refuses_new_ones(
    served: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = served
    body = b'{"items": [' + b",".join(b'{"external_id": "%d"}' % i for i in range(300)) + b"]}"
    client = socket.create_connection(("127.0.0.1", port), timeout=30)
    client.sendall(
        b"POST /api/v1/exchange/epeople/complaints HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    half = len(body) // 2
    client.sendall(body[:half])  # the request is in flight: half its body received

    process.send_signal(signal.SIGTERM)
    for _ in range(300):  # the listener closes first: new connections are refused
        if not _connectable(port):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the server still accepts connections after SIGTERM")
    assert process.poll() is None  # still draining the request in flight

    client.sendall(body[half:])
    answer = b""
    while not answer.endswith(b"}") or b"\r\n\r\n" not in answer:
        chunk = client.recv(65536)
        if not chunk:
            break
        answer += chunk
    client.close()
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 401")  # the whole request was read and answered
    assert b'"code": "unauthorized"' in payload or b'"code":"unauthorized"' in payload
    assert process.wait(timeout=60) == 0
    output = process.stdout.read().decode() if process.stdout else ""
    assert re.search(r"stopping; draining [1-9]\d* busy connection", output)
    assert "minwon serve: stopped" in output
