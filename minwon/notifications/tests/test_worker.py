"""A real Celery worker on the real Redis broker is SIGKILLed in the middle of a batch; after a
restart every notification is delivered exactly once (the recording provider counts per key)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from minwon.notifications.tests.servers import Recorder, RecordingProvider
from tests.factories import redis_or_skip

ROOT = Path(__file__).resolve().parents[3]
TOTAL = 100
WAIT_SECONDS = 120  # every wait below is bounded by this


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {WAIT_SECONDS} s")
        time.sleep(0.2)


@pytest.fixture
def worker_database(tmp_path: Path) -> Iterator[str]:
    """A database of its own (the worker is another process): a file, or a PostgreSQL database."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        return
    import psycopg

    name = f"minwon_worker_{uuid.uuid4().hex[:8]}"
    admin_url = base.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(
    worker_database: str, tmp_path: Path
) -> None:
    broker = redis_or_skip("redis://127.0.0.1:6379/15")
    recorder = Recorder(delay=0.1)  # slow enough that the kill lands mid-batch
    with RecordingProvider(recorder) as provider:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "MINWON_MODE": "test",
            "MINWON_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "worker-test-secret-key-0123456789abcdef",
            "DATABASE_URL": worker_database,
            "BACKGROUND_RUNNER": "celery",
            "CELERY_BROKER_URL": broker,
            "CELERY_QUEUE": f"minwon-test-{uuid.uuid4().hex[:8]}",  # apart from other runs
            "ALIMTALK_API_URL": provider.url + "/alimtalk",
            "SMS_API_URL": provider.url + "/sms",
            "NOTIFICATIONS_BATCH_SIZE": "10",
            "NOTIFICATIONS_SEND_THREADS": "2",
            "NOTIFICATIONS_HTTP_TIMEOUT": "2",
            "NOTIFICATIONS_CLAIM_SECONDS": "10",
            "NOTIFICATIONS_SWEEP_SECONDS": "1",
        }

        def run(*args: str) -> str:
            done = subprocess.run(
                [sys.executable, *args],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=WAIT_SECONDS,
                check=False,
            )
            assert done.returncode == 0, done.stderr[-3000:]
            return done.stdout

        def report() -> dict[str, int]:
            out = run("-m", "minwon.notifications.tests.worker_helper", "report")
            return {str(k): int(v) for k, v in json.loads(out).items()}

        run("-m", "django", "migrate", "--skip-checks", "--verbosity=0")
        run("-m", "minwon.notifications.tests.worker_helper", "enqueue", str(TOTAL))

        def start_worker(run: int) -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "minwon.cli",
                    "worker",
                    "--concurrency=2",
                    "--beat",
                    f"--schedule={tmp_path / f'beat{run}'}",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(tmp_path / "worker.log", "ab"),
                start_new_session=True,
            )

        worker = start_worker(1)
        try:
            wait_until(lambda: sum(recorder.snapshot()[0].values()) >= 10, "the first sends")
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=WAIT_SECONDS)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
        # Killed mid-way: part of the work is not done.
        assert report().get("delivered", 0) < TOTAL

        worker = start_worker(2)  # a fresh beat file: the killed one may be torn
        try:
            wait_until(lambda: report().get("delivered", 0) == TOTAL, "every delivery")
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=WAIT_SECONDS)

        raw, accepted = recorder.snapshot()
        expected = {f"kill:{n}:alimtalk" for n in range(TOTAL)}
        assert set(accepted) == expected
        assert all(count == 1 for count in accepted.values())  # exactly once per key
        # Only messages in flight at the kill may have been sent again (with the same key).
        assert all(count <= 2 for count in raw.values())
        assert report() == {"delivered": TOTAL}
