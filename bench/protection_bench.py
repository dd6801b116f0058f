"""Benchmark the 특이민원 screen per complaint on one core, against the kiwipiepy floor.

    .venv/bin/python bench/protection_bench.py incheon.jsonl [--rounds 3]

FILE is JSON Lines with ``text`` (for docs/benchmarks.md: the 인천 중구청 board posts built by
``bench/routing_data.py``). For each text, interleaved in the same run: ``Kiwi.tokenize`` (the
floor issue 16 names) and ``protection.domain.screen``. The process is pinned to one CPU; CPU time
is the thread's own (``time.thread_time``), wall time includes waiting for the CPU. One JSON
object is printed. Not a test: tests hold no timing thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from minwon.protection.domain import screen


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": round(ordered[-1], 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    lines = Path(args.file).read_text("utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=0)
    for text in texts[:20]:  # warm up both
        kiwi.tokenize(text)
        screen(text)
    cpu: dict[str, list[float]] = {"floor": [], "screen": []}
    wall: dict[str, list[float]] = {"floor": [], "screen": []}
    steps = (("floor", kiwi.tokenize), ("screen", screen))
    for _ in range(args.rounds):
        for text in texts:
            for name, run in steps:
                w0, c0 = time.perf_counter(), time.thread_time()
                run(text)
                cpu[name].append((time.thread_time() - c0) * 1000)
                wall[name].append((time.perf_counter() - w0) * 1000)
    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus_used": 1,
        "n_texts": len(texts),
        "rounds": args.rounds,
        "mean_chars": round(statistics.fmean(len(t) for t in texts), 1),
        "cpu_ms": {
            "floor_kiwi_tokenize": _summary(cpu["floor"]),
            "screen": _summary(cpu["screen"]),
        },
        "wall_ms": {
            "floor_kiwi_tokenize": _summary(wall["floor"]),
            "screen": _summary(wall["screen"]),
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
