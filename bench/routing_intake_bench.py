"""Intake with and without routing's reading (issue 15: intake no more than 10 % slower for it).

    nice -n 10 python bench/routing_intake_bench.py incheon.jsonl [--n 150] \
        [--database postgres://postgres@127.0.0.1:5432/postgres]

incheon.jsonl comes from bench/routing_data.py (real complaints; no licence, not in the repo).

A fresh PostgreSQL database ``bench_routing_<hex>`` (created next to the one --database names,
migrated, dropped at the end), a city with two units, a counter officer, and a department model
trained on the real posts' answering departments (80 labels) installed in a temporary model
folder, as a city's trained model would be. Then --n real posts are filed at the counter through
``complaints.services.complaint_file`` (the service every channel's intake calls) in each of
three modes, in blocks of 10 filings taking turns (so that the machine's load falls on all three
alike), each block starting with nothing being read:

- ``without``: no reading at all (``BACKGROUND_RUNNER = "none"``: the filing's after-commit
  ``routing_wake`` does nothing and nothing reads the complaint);
- ``with`` (as built): the filing wakes the in-process runner after its commit, and a reader
  thread in the same process, on the same pinned core, runs the routing sweep
  (``complaint_routing_sweep``: the suggestion, duplicates and the repeat check) beside the
  block's next filings, competing with them for the core, as the embedded runner does (with
  Celery the reading runs in a worker process and costs the web process nothing);
- ``inline``: the sweep run inside the request right after the filing, i.e. what intake would
  cost if it waited for the suggestion.

Each filing is by a different citizen (a repeat check compares a complaint with its filer's
earlier ones). Timed: the wall time of each ``complaint_file`` call (for ``inline``, the call
and the sweep), and the thread's CPU time. Everything runs pinned to one CPU.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import platform
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(_pct(ms, 0.5), 2),
        "p95_ms": round(_pct(ms, 0.95), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--n", type=int, default=150, help="posts filed in each mode")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import psycopg

    name = f"bench_routing_{uuid.uuid4().hex[:8]}"
    admin = args.database.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    data_dir = tempfile.mkdtemp(prefix="bench-routing-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "MINWON_MODE": "test",
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
            "DATABASE_URL": args.database.rsplit("/", 1)[0] + "/" + name,
            "MINWON_DATA_DIR": data_dir,
        }
    )
    try:
        report = _run(args, data_dir)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(report, ensure_ascii=False))


def _run(args: argparse.Namespace, data_dir: str) -> dict[str, object]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - t0

    from minwon.accounts.domain import OrgUnitKind, Role
    from minwon.accounts.services import org_unit_create
    from minwon.complaints.domain import IntakeChannel
    from minwon.complaints.services import complaint_routing_sweep
    from minwon.core import jobs
    from minwon.lawclock.kinds import ComplaintKind
    from minwon.routing import classifier
    from minwon.routing import services as routing
    from tests.factories import complaint_filed, officer_make

    rows = [json.loads(line) for line in Path(args.file).read_text("utf-8").splitlines() if line]
    settings.ROUTING_MODEL_DIR = str(Path(data_dir) / "models")
    t0 = time.perf_counter()
    model = classifier.train(
        classifier.prepare_documents([r["text"] for r in rows]),
        [r["department"] for r in rows],
        target="department",
        source="bench",
    )
    routing.model_store().save(model)
    train_seconds = time.perf_counter() - t0

    city = org_unit_create(
        actor=None, code="paju", name_ko="파주시", kind=OrgUnitKind.CITY, parent=None
    )
    unit = org_unit_create(
        actor=None, code="civil", name_ko="민원여권과", kind=OrgUnitKind.DIVISION, parent=city
    )
    officer = officer_make("counter", unit, Role.COUNTER_OFFICER)

    from minwon.complaints.services.intake import ApplicantInput

    filed = [0]

    def file(text: str) -> None:
        title, _, body = text.partition("\n")
        filed[0] += 1
        n = filed[0]
        applicant = ApplicantInput(  # a different citizen each time (one has few complaints)
            name=f"시민{n}",
            address=f"경기도 파주시 시청로 {n}",
            phone=f"010-9{n % 1000:03d}-{n % 10000:04d}",
        )
        complaint_filed(
            ComplaintKind.GRIEVANCE,
            applicant=applicant,
            channel=IntakeChannel.COUNTER,
            filed_by=officer,
            org_unit=unit,
            title=title[:100] or "민원",
            body=body or title,
        )

    stop = threading.Event()
    reader_runs = [0]
    busy = threading.Lock()

    def reader() -> None:  # the embedded runner: woken by the filing's after-commit hook
        while not stop.is_set():
            if jobs.work_available.wait(timeout=0.2):
                with busy:
                    jobs.work_available.clear()
                    reader_runs[0] += complaint_routing_sweep()

    def reader_idle() -> None:
        while jobs.work_available.is_set() or busy.locked():
            time.sleep(0.005)

    texts = [r["text"] for r in rows]
    for text in texts[:5]:  # warm-up: kiwipiepy and the model loaded, the first queries made
        file(text)
    complaint_routing_sweep()
    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    wall: dict[str, list[float]] = {"without": [], "with": [], "inline": []}
    cpu: dict[str, list[float]] = {"without": [], "with": [], "inline": []}
    modes = ("without", "with", "inline")
    block = 10
    position = 5
    for _round in range((args.n + block - 1) // block):
        for mode in modes:
            reader_idle()  # each block starts with nothing being read
            settings.BACKGROUND_RUNNER = "thread" if mode == "with" else "none"
            for _ in range(block):
                text = texts[position % len(texts)]
                position += 1
                w0, c0 = time.perf_counter(), time.thread_time()
                file(text)
                if mode == "inline":
                    complaint_routing_sweep()
                cpu[mode].append((time.thread_time() - c0) * 1000)
                wall[mode].append((time.perf_counter() - w0) * 1000)
            settings.BACKGROUND_RUNNER = "none"
    settings.BACKGROUND_RUNNER = "none"
    stop.set()
    thread.join(timeout=30)
    left = complaint_routing_sweep(limit=100_000)
    base = statistics.fmean(wall["without"])
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus_used": 1,
        "database": "postgresql",
        "migrate_seconds": round(migrate_seconds, 1),
        "model": {"labels": len(model.labels), "n": model.n, "train_seconds": round(train_seconds)},
        "n_per_mode": args.n,
        "read_in_background": reader_runs[0],
        "read_after_the_run": left,
        "wall_ms": {mode: _summary(wall[mode]) for mode in modes},
        "cpu_ms": {mode: _summary(cpu[mode]) for mode in modes},
        "mean_wall_vs_without": {
            mode: round(statistics.fmean(wall[mode]) / base - 1, 3) for mode in modes
        },
    }


if __name__ == "__main__":
    main()
