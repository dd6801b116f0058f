"""Benchmark the legal clock against numpy.busday_offset and two peer libraries.

    .venv/bin/python bench/lawclock_bench.py [--n 1000000] [--peer-n 100000] [--full-n 200000]

Measured side by side in one run, on the same random inputs (registrations uniformly spread over
2026–2027, Seoul time, whole minutes):

* day rule (``Nd``, N = 6..30): ``numpy.busday_offset`` (the floor: vectorised C, same holidays),
  ``compute_due_ats`` (our bulk path), ``compute_due_at`` one by one, ``compute_deadline`` (with the
  full explanation), and workalendar's ``SouthKorea.add_working_days``;
* hour rule (``instant``, ``Nh``, ``Nd`` N ≤ 5): ``compute_due_ats``, ``compute_due_at``,
  ``compute_deadline`` and ``businesstimedelta``.

Peers run on the first ``--peer-n`` inputs (they are slow); their answers are compared with ours and
the mismatches counted, with examples. Times exclude building the inputs.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from minwon.lawclock import (
    SEOUL,
    WorkingCalendar,
    compute_deadline,
    compute_due_at,
    compute_due_ats,
    parse_period,
)

HOUR_PERIODS = ["instant", "1h", "4h", "8h", "1d", "2d", "3d", "5d"]


def timed(label: str, count: int, work: Callable[[], object]) -> tuple[float, object]:
    print(f"  … {label} ({count:,} inputs)", flush=True)
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"    {seconds:8.3f} s  {count / seconds:>12,.0f} /s", flush=True)
    return count / seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=1_000_000, help="inputs per rule (default 1,000,000)"
    )
    parser.add_argument("--peer-n", type=int, default=100_000, help="inputs for the slow peers")
    parser.add_argument("--full-n", type=int, default=200_000, help="inputs for compute_deadline")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    n, peer_n, full_n = args.n, min(args.peer_n, args.n), min(args.full_n, args.n)
    rng = random.Random(args.seed)
    cal = WorkingCalendar.default()
    base = datetime(2026, 1, 1, tzinfo=SEOUL)
    minutes = 2 * 365 * 24 * 60
    print(f"building {n:,} day-rule and {n:,} hour-rule inputs …", flush=True)
    day_regs = [base + timedelta(minutes=rng.randrange(minutes)) for _ in range(n)]
    day_periods = [f"{rng.randrange(6, 31)}d" for _ in range(n)]
    hour_regs = [base + timedelta(minutes=rng.randrange(minutes)) for _ in range(n)]
    hour_periods = [rng.choice(HOUR_PERIODS) for _ in range(n)]
    rows: list[tuple[str, str, int, float]] = []

    # -- day rule ----------------------------------------------------------------------------------
    print("[1/2] day rule", flush=True)
    span = [date(2025, 12, 1) + timedelta(days=i) for i in range(5 * 366)]
    holidays = np.array(  # the same non-working weekdays as our calendar
        [d for d in span if d.weekday() < 5 and not cal.is_working_day(d)], dtype="datetime64[D]"
    )
    busdaycal = np.busdaycalendar(weekmask="1111100", holidays=holidays)
    np_dates = np.array([r.date() for r in day_regs], dtype="datetime64[D]")
    np_offsets = np.array([int(p[:-1]) - 1 for p in day_periods], dtype=np.int64)
    rate, np_due = timed(
        "numpy.busday_offset",
        n,
        lambda: np.busday_offset(np_dates, np_offsets, roll="forward", busdaycal=busdaycal),
    )
    rows.append(("day", "numpy.busday_offset (floor; vectorised C)", n, rate))
    rate, ours = timed(
        "lawclock compute_due_ats", n, lambda: compute_due_ats(day_regs, day_periods, calendar=cal)
    )
    rows.append(("day", "lawclock `compute_due_ats` (bulk)", n, rate))
    assert isinstance(ours, list)
    np_days = np_due.astype("datetime64[D]").astype(object)  # type: ignore[union-attr]
    np_mismatch = sum(1 for a, b in zip(ours, np_days, strict=True) if a.date() != b)
    rate, _ = timed(
        "lawclock compute_due_at, one by one",
        n,
        lambda: [
            compute_due_at(registered_at=r, period=p, calendar=cal)
            for r, p in zip(day_regs, day_periods, strict=True)
        ],
    )
    rows.append(("day", "lawclock `compute_due_at` (one call each)", n, rate))
    rate, _ = timed(
        "lawclock compute_deadline (with explanation)",
        full_n,
        lambda: [
            compute_deadline(registered_at=r, period=p, calendar=cal)
            for r, p in zip(day_regs[:full_n], day_periods[:full_n], strict=True)
        ],
    )
    rows.append(("day", "lawclock `compute_deadline` (full explanation)", full_n, rate))

    from workalendar.asia import SouthKorea

    korea = SouthKorea()

    def workalendar_days() -> list[date]:
        out = []
        for r, p in zip(day_regs[:peer_n], day_periods[:peer_n], strict=True):
            d, amount = r.date(), int(p[:-1])
            out.append(korea.add_working_days(d, amount - 1 if korea.is_working_day(d) else amount))
        return out

    rate, wk = timed("workalendar SouthKorea.add_working_days", peer_n, workalendar_days)
    rows.append(("day", "workalendar `SouthKorea.add_working_days`", peer_n, rate))
    assert isinstance(wk, list)
    wk_diff = [
        (day_regs[i], day_periods[i], wk[i], ours[i].date())
        for i in range(peer_n)
        if wk[i] != ours[i].date()
    ]
    wk_reasons: Counter[str] = Counter()
    for reg, _, theirs, mine in wk_diff:
        day, last = reg.date(), max(theirs, mine)
        disagree = []
        while day <= last:  # dates the two calendars classify differently
            if korea.is_working_day(day) != cal.is_working_day(day):
                why = cal.non_working_reason(day)
                disagree.append(f"{day:%Y-%m-%d} {why.name_ko if why else '(workalendar holiday)'}")
            day += timedelta(days=1)
        for item in disagree:
            wk_reasons[item] += 1

    # -- hour rule ---------------------------------------------------------------------------------
    print("[2/2] hour rule", flush=True)
    rate, ours_h = timed(
        "lawclock compute_due_ats",
        n,
        lambda: compute_due_ats(hour_regs, hour_periods, calendar=cal),
    )
    rows.append(("hour", "lawclock `compute_due_ats` (bulk)", n, rate))
    rate, _ = timed(
        "lawclock compute_due_at, one by one",
        n,
        lambda: [
            compute_due_at(registered_at=r, period=p, calendar=cal)
            for r, p in zip(hour_regs, hour_periods, strict=True)
        ],
    )
    rows.append(("hour", "lawclock `compute_due_at` (one call each)", n, rate))
    rate, _ = timed(
        "lawclock compute_deadline (with explanation)",
        full_n,
        lambda: [
            compute_deadline(registered_at=r, period=p, calendar=cal)
            for r, p in zip(hour_regs[:full_n], hour_periods[:full_n], strict=True)
        ],
    )
    rows.append(("hour", "lawclock `compute_deadline` (full explanation)", full_n, rate))

    import businesstimedelta as btd
    import holidays as holidays_pkg

    rule = btd.Rules(
        [
            btd.WorkDayRule(start_time=clock(9), end_time=clock(18), working_days=[0, 1, 2, 3, 4]),
            btd.LunchTimeRule(
                start_time=clock(12), end_time=clock(13), working_days=[0, 1, 2, 3, 4]
            ),
            btd.HolidayRule(holidays_pkg.country_holidays("KR", years=range(2025, 2030))),
        ]
    )
    deltas = {
        p: btd.BusinessTimeDelta(rule, hours=parse_period(p).working_hours) for p in HOUR_PERIODS
    }
    naive = [r.replace(tzinfo=None) for r in hour_regs[:peer_n]]

    def btd_hours() -> list[datetime]:
        return [r + deltas[p] for r, p in zip(naive, hour_periods[:peer_n], strict=True)]

    rate, bt = timed("businesstimedelta", peer_n, btd_hours)
    rows.append(("hour", "businesstimedelta (`BusinessTimeDelta` + `Rules`)", peer_n, rate))
    assert isinstance(bt, list)
    assert isinstance(ours_h, list)
    bt_diff = [
        (hour_regs[i], hour_periods[i], bt[i].replace(tzinfo=None), ours_h[i].replace(tzinfo=None))
        for i in range(peer_n)
        if bt[i].replace(tzinfo=None) != ours_h[i].replace(tzinfo=None)
    ]
    bt_kinds: Counter[str] = Counter()
    for _, _, theirs, mine in bt_diff:
        if mine.time() in (clock(12), clock(18)) and theirs.time() in (clock(13), clock(9)):
            bt_kinds["hours run out exactly at 12:00/18:00: peer gives 13:00/next 09:00"] += 1
        else:
            bt_kinds["other"] += 1

    # -- report ------------------------------------------------------------------------------------
    floor = next(r for k, name, _, r in rows if name.startswith("numpy"))
    print()
    print(
        f"## lawclock — {datetime.now(tz=SEOUL):%Y-%m-%d}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}, 2 cores (single-threaded run)"
    )
    print()
    print("| rule | implementation | inputs | throughput /s | vs numpy floor |")
    print("|---|---|---:|---:|---:|")
    for kind, name, count, r in rows:
        ratio = (
            f"{floor / r:.1f}× slower"
            if kind == "day" and not name.startswith("numpy")
            else ("—" if kind == "hour" else "1×")
        )
        print(f"| {kind} | {name} | {count:,} | {r:,.0f} | {ratio} |")
    print()
    print(f"numpy vs lawclock day rule: {np_mismatch} mismatches in {n:,}.")
    print(
        f"workalendar vs lawclock: {len(wk_diff):,} of {peer_n:,} due dates differ; "
        "dates the calendars disagree on:"
    )
    for reason, count in wk_reasons.most_common(40):
        print(f"  - {reason}: {count:,}")
    for reg, p, theirs, mine in wk_diff[:5]:
        print(
            f"  e.g. {p} registered {reg:%Y-%m-%d %a}: "
            f"workalendar {theirs:%Y-%m-%d}, lawclock {mine:%Y-%m-%d}"
        )
    print(f"businesstimedelta vs lawclock: {len(bt_diff):,} of {peer_n:,} due instants differ:")
    for kind, count in bt_kinds.most_common():
        print(f"  - {kind}: {count:,}")
    for reg, p, theirs, mine in bt_diff[:5]:
        print(
            f"  e.g. {p} registered {reg:%Y-%m-%d %a %H:%M}: "
            f"businesstimedelta {theirs:%Y-%m-%d %H:%M}, lawclock {mine:%Y-%m-%d %H:%M}"
        )


if __name__ == "__main__":
    main()
