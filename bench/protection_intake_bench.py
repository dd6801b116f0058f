"""Intake with and without screening (issue 16: 'intake with screening stays within 10 % of
intake without it'), to choose where the screen runs.

    MINWON_MODE=test SECRET_KEY=... python bench/protection_intake_bench.py [--n 200]

On a fresh in-memory SQLite database (migrated here), ``complaint_file`` is timed (wall clock,
its transaction and on-commit callbacks included) in three modes, interleaved call by call:

- ``without``: no screening at all (the history rows ask for nothing);
- ``after_commit``: as built, the filing's commit registers ``screening_wake`` and the job
  screens later (the in-process runner's wake is an Event.set());
- ``inline``: the screen and its stored row inside the filing's transaction (the alternative).

Texts: synthetic complaints of about 650 characters (the mean of the real board posts), one in
ten with abusive words. The machine is shared: medians and p95 over interleaved calls.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("MINWON_MODE", "test")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdef")

SENTENCES = [
    "아파트 정문 앞 도로에 불법 주정차 차량이 많아 통행이 어렵습니다.",
    "가로등이 석 달째 고장 나 있어 밤에 다니기가 무섭습니다.",
    "보도블록이 깨져 있어 어르신들이 넘어질 위험이 있습니다.",
    "쓰레기 수거가 일주일째 되지 않아 악취가 심합니다.",
    "공사 소음이 새벽부터 계속되어 잠을 잘 수가 없습니다.",
    "신호등 주기가 너무 짧아 횡단보도를 다 건너기 전에 바뀝니다.",
]
ABUSE = ["시1발 도대체 일을 하는 거냐", "담당자 너 퇴근길에 칼 들고 찾아가서 죽여버리겠다"]


def _text(rng: random.Random) -> str:
    words = []
    while sum(len(w) for w in words) < 650:
        words.append(rng.choice(SENTENCES))
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), rng.choice(ABUSE))
    return " ".join(words)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200, help="filings per mode")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    settings.BACKGROUND_RUNNER = "thread"  # the embedded default: a wake is an Event.set()

    from minwon.complaints.domain import IntakeChannel
    from minwon.complaints.models import ComplaintEvent
    from minwon.complaints.services import common, intake
    from minwon.lawclock.kinds import ComplaintKind
    from minwon.protection.domain import Source
    from minwon.protection.services import screening

    built = common.SCREENED_ACTIONS
    rng = random.Random(16)

    def file(body: str, mode: str) -> float:
        common.SCREENED_ACTIONS = () if mode != "after_commit" else built  # type: ignore[misc]
        data = intake.FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title="생활 불편 신고",
            body=body,
            channel=IntakeChannel.COUNTER,
            applicant=intake.ApplicantInput(name="홍길동", address="경기도 파주시 시청로 50"),
        )
        start = time.perf_counter()
        with transaction.atomic():
            c = intake.complaint_file(data=data)
            if mode == "inline":
                arrive = ComplaintEvent.objects.filter(complaint=c, action="arrive").first()
                screening.screening_record(
                    complaint_id=c.pk,
                    source=Source.COMPLAINT,
                    source_id=arrive.pk if arrive else 0,
                    text=f"{c.title}\n{c.body}",
                )
        return (time.perf_counter() - start) * 1000

    modes = ["without", "after_commit", "inline"]
    for _ in range(20):  # warm-up
        for mode in modes:
            file(_text(rng), mode)
    times: dict[str, list[float]] = {m: [] for m in modes}
    for _ in range(args.n):
        body = _text(rng)
        order = modes[:]
        rng.shuffle(order)
        for mode in order:
            times[mode].append(file(body, mode))
    common.SCREENED_ACTIONS = built  # type: ignore[misc]
    base = statistics.median(times["without"])
    out = {
        mode: {
            "p50_ms": round(statistics.median(v), 2),
            "p95_ms": round(_pct(v, 0.95), 2),
            "mean_ms": round(statistics.fmean(v), 2),
            "p50_vs_without": round(statistics.median(v) / base - 1, 3),
        }
        for mode, v in times.items()
    }
    print(json.dumps({"n_per_mode": args.n, "database": "sqlite (memory)", **out}, indent=1))


if __name__ == "__main__":
    main()
