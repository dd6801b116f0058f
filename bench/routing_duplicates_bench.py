"""Near-duplicate lookup against a large store of complaints (issue 15: 1,000,000, ≤ 20 ms p95).

    nice -n 10 python bench/routing_duplicates_bench.py incheon.jsonl [--stored 1000000] \
        [--queries 200]

incheon.jsonl comes from bench/routing_data.py (real complaints; no licence, not in the repo).

What is stored: ``--stored`` synthetic complaints, each 2–6 sentences drawn at random from
different real posts (about 10,000 real sentences; so the texts read like complaints, share
vocabulary and sentences the way a city's do, and most pairs are not near-duplicates). Their
MinHash signatures are built as the element-wise minimum of their sentences' signatures (a
MinHash of a union is the minimum of the MinHashes), which leaves out the few shingles that
cross a sentence boundary; building 1,000,000 signatures from text would take longer than the
benchmark's 10 minutes, and only the lookup is timed. They go into the service's own index,
``routing.duplicates.DuplicateIndex`` (datasketch ``MinHashLSH``, 64 permutations, threshold 0.5).

What is timed, per query, on one core (CPU time of the thread and wall time): what
``routing.services`` does when a complaint is read, minus the database: the query's signature
from its text (``duplicates.signature``), the LSH candidates, then the exact shingle Jaccard
against each candidate's text (``duplicates.similarity``), keeping those at or above the
threshold. Two kinds of query: ``fresh`` (real held-out posts, not in the store, so no true
duplicate) and ``near`` (a stored complaint with one sentence replaced: a near-duplicate that
must be found). ``near_duplicates_found`` counts those found among the ``near`` queries whose
exact Jaccard with their original is at or above the threshold (LSH recall); the database read
of the candidates' texts, which the service does, is not part of the timing.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import platform
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from minwon.routing import duplicates
from minwon.routing.domain import prepare_text

_SENTENCE = re.compile(r"(?<=[.!?。])\s+|(?<=[다요죠까])\s+(?=[가-힣A-Z])")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(_pct(ms, 0.5), 3),
        "p95_ms": round(_pct(ms, 0.95), 3),
        "p99_ms": round(_pct(ms, 0.99), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200, help="of each kind")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rng = random.Random(args.seed)
    rows = [json.loads(line) for line in Path(args.file).read_text("utf-8").splitlines() if line]
    posts = [prepare_text(r["text"]).text for r in rows]
    order = list(range(len(posts)))
    rng.shuffle(order)
    held_out = [posts[i] for i in order[: args.queries]]
    sentences = sorted(
        {
            s.strip()
            for i in order[args.queries :]
            for s in _SENTENCE.split(posts[i])
            if len(s.strip()) >= 15
        }
    )
    t0 = time.perf_counter()
    sentence_sigs = np.stack([duplicates.signature(s).hashvalues for s in sentences])
    sentence_seconds = time.perf_counter() - t0

    # The stored complaints: sentence ids, signatures = element-wise minimum over their sentences.
    t0 = time.perf_counter()
    stored: list[tuple[int, ...]] = []
    index = duplicates.DuplicateIndex()
    for key in range(args.stored):
        picks = tuple(rng.sample(range(len(sentences)), rng.randint(2, 6)))
        stored.append(picks)
        sig = sentence_sigs[list(picks)].min(axis=0).astype(np.uint64)
        index.add(key, sig.tobytes())
    build_seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def text_of(key: int) -> str:
        return " ".join(sentences[j] for j in stored[key])

    near: list[tuple[int, str]] = []
    while len(near) < args.queries:
        key = rng.randrange(args.stored)
        picks = list(stored[key])
        if len(picks) < 4:  # one of four or more sentences replaced: still a near-duplicate
            continue
        picks[rng.randrange(len(picks))] = rng.randrange(len(sentences))
        near.append((key, " ".join(sentences[j] for j in picks)))

    def lookup(text: str) -> list[tuple[int, float]]:
        found = []
        for other in index.candidates(text):
            sim = duplicates.similarity(text, text_of(other))
            if sim >= duplicates.THRESHOLD:
                found.append((other, sim))
        return found

    for text in held_out[:10]:
        lookup(text)
    cpu: dict[str, list[float]] = {"fresh": [], "near": [], "signature": []}
    wall: dict[str, list[float]] = {"fresh": [], "near": [], "signature": []}
    candidates: dict[str, list[int]] = {"fresh": [], "near": []}
    hits = eligible = 0
    queries = [("fresh", text, -1) for text in held_out] + [
        ("near", text, key) for key, text in near
    ]
    rng.shuffle(queries)
    for kind, text, key in queries:
        w0, c0 = time.perf_counter(), time.thread_time()
        duplicates.signature(text)
        cpu["signature"].append((time.thread_time() - c0) * 1000)
        wall["signature"].append((time.perf_counter() - w0) * 1000)
        w0, c0 = time.perf_counter(), time.thread_time()
        found = lookup(text)
        cpu[kind].append((time.thread_time() - c0) * 1000)
        wall[kind].append((time.perf_counter() - w0) * 1000)
        candidates[kind].append(len(index.candidates(text)))
        if kind == "near" and duplicates.similarity(text, text_of(key)) >= duplicates.THRESHOLD:
            eligible += 1  # truly a near-duplicate (exact shingle Jaccard at the threshold)
            hits += any(other == key for other, _sim in found)
    both_cpu = cpu["fresh"] + cpu["near"]
    both_wall = wall["fresh"] + wall["near"]
    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus_used": 1,
        "stored": args.stored,
        "real_sentences": len(sentences),
        "sentence_signatures_seconds": round(sentence_seconds, 1),
        "index_build_seconds": round(build_seconds, 1),
        "max_rss_mb": round(rss_mb),
        "queries": {"fresh": len(held_out), "near": len(near)},
        "near_duplicates_at_threshold": eligible,
        "near_duplicates_found": hits,
        "candidates_mean": {k: round(statistics.fmean(v), 2) for k, v in candidates.items()},
        "cpu_ms": {
            "lookup_all": _summary(both_cpu),
            "lookup_fresh": _summary(cpu["fresh"]),
            "lookup_near": _summary(cpu["near"]),
            "part_signature": _summary(cpu["signature"]),
        },
        "wall_ms": {
            "lookup_all": _summary(both_wall),
            "lookup_fresh": _summary(wall["fresh"]),
            "lookup_near": _summary(wall["near"]),
            "part_signature": _summary(wall["signature"]),
        },
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
