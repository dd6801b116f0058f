"""Routing benchmarks: suggestion latency per complaint, and training time at 100,000 complaints.

    python bench/routing_bench.py incheon.jsonl [--label category] [--suggest 600] \
        [--train-n 100000]

incheon.jsonl comes from bench/routing_data.py (real complaints; no licence, not in the repo).

1. Suggestion p50/p95/p99 per complaint on one core (the process is pinned to one CPU and BLAS to
   one thread): the full ``RoutingModel.suggest`` (prepare + morphemes of the opening + TF-IDF +
   calibrated SVM + the explaining words) against the floor, kiwipiepy ``Kiwi.tokenize`` alone
   on the same whole texts, in the same run, and its parts (``prepare_text``; kiwipiepy on the
   opening the suggestion reads, ``classifier.MORPHEME_CHARS``; features and scoring); CPU time
   of the thread (``time.thread_time``) and wall time are both reported, since the machine is
   shared and wall time includes waiting for the CPU. The model is trained on the file's other
   texts (no test text in training).
2. Training on ``--train-n`` complaints: synthesised by resampling the real texts with
   replacement (so the vocabulary is that of 1,227 posts, smaller than a real 100,000; for timing
   only). Reported separately: tokenisation (measured on a sample and extrapolated per text, since
   the service keeps each complaint's morphemes once it is read at intake), the TF-IDF fit alone
   and the whole fit (TF-IDF + calibrated SVM) on all ``--train-n`` documents, wall and CPU.
   ``--suggest 0`` skips part 1, ``--train-n 0`` part 2.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from minwon.routing import classifier
from minwon.routing.domain import prepare_text
from minwon.routing.text import kiwi


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
    parser.add_argument("--label", default="category")
    parser.add_argument("--suggest", type=int, default=600, help="texts timed for suggestions")
    parser.add_argument("--train-n", type=int, default=100_000)
    parser.add_argument("--tokenise-sample", type=int, default=1000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rows = [json.loads(line) for line in Path(args.file).read_text("utf-8").splitlines() if line]
    texts = [r["text"] for r in rows]
    labels = [r[args.label] for r in rows]
    rng = random.Random(0)
    order = list(range(len(rows)))
    rng.shuffle(order)
    test_idx = order[: min(args.suggest, len(order) // 2)]
    train_idx = order[len(test_idx) :]
    report: dict[str, object] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus_used": 1,
        "n_file": len(rows),
        "mean_chars": round(statistics.fmean(len(t) for t in texts), 1),
    }

    docs = classifier.prepare_documents(texts)
    if test_idx:
        _suggest_timings(report, texts, labels, docs, test_idx, train_idx)
    _train_timings(report, args, rng, texts, labels, docs)
    print(json.dumps(report, ensure_ascii=False))


def _suggest_timings(
    report: dict[str, object],
    texts: list[str],
    labels: list[str],
    docs: list[str],
    test_idx: list[int],
    train_idx: list[int],
) -> None:
    model = classifier.train([docs[i] for i in train_idx], [labels[i] for i in train_idx])
    k = kiwi()
    # Warm up both paths.
    for i in test_idx[:20]:
        k.tokenize(texts[i])
        model.suggest(texts[i])
    names = ("floor", "full", "no_words", "prepare", "kiwi_opening", "score")
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    prepared = {i: prepare_text(texts[i]).text for i in test_idx}
    documents = {i: docs[i] for i in test_idx}
    steps = (
        ("floor", lambda i: k.tokenize(texts[i])),
        ("full", lambda i: model.suggest(texts[i])),
        ("no_words", lambda i: model.suggest(texts[i], explain=False)),
        ("prepare", lambda i: prepare_text(texts[i])),
        ("kiwi_opening", lambda i: k.tokenize(classifier.opening(prepared[i]))),
        ("score", lambda i: model.suggest_document(documents[i])),
    )
    for i in test_idx:
        for name, run in steps:
            w0, c0 = time.perf_counter(), time.thread_time()
            run(i)
            cpu[name].append((time.thread_time() - c0) * 1000)
            wall[name].append((time.perf_counter() - w0) * 1000)
    labels_of = {
        "floor": "floor_kiwi_tokenize_whole_text",
        "full": "suggest_with_words",
        "no_words": "suggest_without_words",
        "prepare": "part_prepare_text",
        "kiwi_opening": "part_kiwi_on_opening",
        "score": "part_features_scoring_words",
    }
    report["suggest"] = {
        "n": len(test_idx),
        "trained_on": len(train_idx),
        "morpheme_chars": classifier.MORPHEME_CHARS,
        "cpu_ms": {labels_of[name]: _summary(cpu[name]) for name in names},
        "wall_ms": {labels_of[name]: _summary(wall[name]) for name in names},
    }
    print(json.dumps(report["suggest"], ensure_ascii=False), file=sys.stderr)


def _train_timings(
    report: dict[str, object],
    args: argparse.Namespace,
    rng: random.Random,
    texts: list[str],
    labels: list[str],
    docs: list[str],
) -> None:
    """Training at scale: resample real texts; tokenisation timed on a sample, fitting on all."""
    n = args.train_n
    if n <= 0:
        return
    picks = [rng.randrange(len(texts)) for _ in range(n)]
    sample = [texts[i] for i in picks[: args.tokenise_sample]]
    t0 = time.process_time()
    classifier.prepare_documents(sample)
    tokenise_per_text = (time.process_time() - t0) / len(sample)
    big_docs = [docs[i] for i in picks]
    big_labels = [labels[i] for i in picks]
    t0, c0 = time.perf_counter(), time.process_time()
    x = classifier._vectorizer(classifier.FeatureConfig()).fit_transform(big_docs)
    vectorise = (time.perf_counter() - t0, time.process_time() - c0)
    stage = {
        "n": n,
        "tokenise_cpu_ms_per_text": round(tokenise_per_text * 1000, 3),
        "vectorise_only_seconds": {"wall": round(vectorise[0], 1), "cpu": round(vectorise[1], 1)},
        "features": int(x.shape[1]),
    }
    print(json.dumps(stage, ensure_ascii=False), file=sys.stderr, flush=True)  # if cut short
    del x
    t0, c0 = time.perf_counter(), time.process_time()
    big = classifier.train(big_docs, big_labels)
    fit = (time.perf_counter() - t0, time.process_time() - c0)
    report["train"] = {
        "n": n,
        "labels": len(big.labels),
        "synthesised": "real texts resampled with replacement (timing only)",
        "tokenise_cpu_ms_per_text": round(tokenise_per_text * 1000, 3),
        "tokenise_cpu_seconds_extrapolated": round(tokenise_per_text * n, 1),
        "vectorise_only_seconds": {"wall": round(vectorise[0], 1), "cpu": round(vectorise[1], 1)},
        "train_seconds": {"wall": round(fit[0], 1), "cpu": round(fit[1], 1)},
        "features": len(big.vectorizer.get_feature_names_out()),
    }
    print(json.dumps(report["train"], ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
