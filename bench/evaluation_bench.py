"""Benchmark the 종합평가 indicators of one city-year on PostgreSQL (issue 21), against a floor.

    .venv/bin/python bench/datagen.py --complaints 1000000 --years 1 --reset   # fill first
    .venv/bin/python bench/evaluation_bench.py [--database URL] [--rounds 3]

Two ways to the same figures, per org unit and overall, over the complaints answered in the last
365 days before the newest answer:

* **product**: ``evaluation.selectors.evaluation_dashboard`` (one query for the rows, one each for
  the history counts and the ratings, then the pure ``evaluation.domain`` per complaint in Python);
* **floor**: one hand-written SQL statement per indicator (단축률, 지연율 and average processing
  time, transfers/extensions/supplements, satisfaction), the working days counted in SQL from a
  temporary table of working-day indices made from the same ``WorkingCalendar``. The floor skips
  what SQL makes awkward: excluded intervals (datagen writes none) and the exact 민법 제160조 end
  of month periods (PostgreSQL's month arithmetic is used); the JSON says whether both gave the
  same overall figures.

Wall time per round (the machine is shared), the best and the median; one JSON object on stdout.
Not a test: tests hold no timing thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The N of a period written "Nd", "Nm" … (NULL for "instant"), as SQL.
PERIOD_N = "NULLIF(regexp_replace(c.period, '[^0-9]', '', 'g'), '')::int"
FLOOR_SQL = {
    "reduction_rate": f"""
        SELECT c.org_unit_id,
               count(*),
               sum(CASE WHEN c.period LIKE '%%d' THEN {PERIOD_N}
                        ELSE e.idx - r.idx END) AS legal,
               sum(a.idx - r.idx) AS actual
          FROM complaints_complaint c
          JOIN bench_wd r ON r.day = (c.registered_at AT TIME ZONE 'Asia/Seoul')::date
          JOIN bench_wd a ON a.day = (c.answered_at AT TIME ZONE 'Asia/Seoul')::date + 1
          LEFT JOIN bench_wd m ON c.period LIKE '%%m'
               AND m.day = ((c.registered_at AT TIME ZONE 'Asia/Seoul')::date
                            + make_interval(months => {PERIOD_N}))::date - 1
          LEFT JOIN bench_wd e ON e.day = m.next_day + 1
         WHERE c.kind = 'statutory' AND c.registered_at IS NOT NULL
           AND c.answered_at >= %(since)s AND c.answered_at < %(until)s
           AND ((c.period ~ '^[0-9]+d$' AND {PERIOD_N} >= 6)
                OR c.period ~ '^[0-9]+[wmy]$')
         GROUP BY c.org_unit_id""",
    "delay_rate": """
        SELECT c.org_unit_id, count(*), count(*) FILTER (WHERE c.answered_at > c.due_at),
               sum(a.idx - r.idx)
          FROM complaints_complaint c
          JOIN bench_wd r ON r.day = (c.registered_at AT TIME ZONE 'Asia/Seoul')::date
          JOIN bench_wd a ON a.day = (c.answered_at AT TIME ZONE 'Asia/Seoul')::date + 1
         WHERE c.due_at IS NOT NULL AND c.registered_at IS NOT NULL
           AND c.answered_at >= %(since)s AND c.answered_at < %(until)s
         GROUP BY c.org_unit_id""",
    "history": """
        SELECT c.org_unit_id, e.action, count(DISTINCT e.complaint_id)
          FROM complaints_complaintevent e JOIN complaints_complaint c ON c.id = e.complaint_id
         WHERE e.action IN ('transfer_internal', 'extend', 'request_supplement')
           AND c.registered_at IS NOT NULL
           AND c.answered_at >= %(since)s AND c.answered_at < %(until)s
         GROUP BY c.org_unit_id, e.action""",
    "satisfaction": """
        SELECT c.org_unit_id, count(*), avg(s.score)
          FROM complaints_satisfactionrating s JOIN complaints_complaint c ON c.id = s.complaint_id
         WHERE c.registered_at IS NOT NULL
           AND c.answered_at >= %(since)s AND c.answered_at < %(until)s
         GROUP BY c.org_unit_id""",
}


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("MINWON_MODE", "test")
    os.environ.setdefault("SECRET_KEY", "bench-only-0123456789abcdef0123456789abcdef")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_SECONDS", "0")
    import django

    django.setup()


def _working_days_table(cursor: Any, calendar: Any, first: date, last: date) -> None:
    """bench_wd(day, idx, next_day): working days before ``day``, and the first working day at or
    after it (민법 제161조), for every date of the range."""
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_wd (day date PRIMARY KEY, idx int, next_day date)"
    )
    cursor.execute("TRUNCATE bench_wd")
    rows = []
    day = first
    while day <= last:
        rows.append((day, calendar.count_before(day.toordinal()), calendar.next_working_day(day)))
        day += timedelta(days=1)
    cursor.executemany("INSERT INTO bench_wd VALUES (%s, %s, %s)", rows)
    cursor.execute("ANALYZE bench_wd")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minwon_bench"
        ),
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    _setup(args.database)
    from django.db import connection
    from django.db.models import Max

    from minwon.complaints.models import Complaint
    from minwon.complaints.selectors import city_calendar
    from minwon.core import clock
    from minwon.evaluation.selectors import evaluation_dashboard

    newest = Complaint.objects.aggregate(m=Max("answered_at"))["m"]
    until_day = newest.astimezone(clock.SEOUL).date()
    since_day = until_day - timedelta(days=364)
    since, until = clock.start_of_day(since_day), clock.start_of_day(until_day + timedelta(days=1))
    calendar = city_calendar()
    answered = Complaint.objects.filter(
        registered_at__isnull=False, answered_at__gte=since, answered_at__lt=until
    ).count()
    product_times, floor_times = [], []
    product: Any = None
    floor: dict[str, list[Any]] = {}
    for _round in range(args.rounds):
        started = time.perf_counter()
        product = evaluation_dashboard(
            units=None, date_from=since_day, date_to=until_day, calendar=calendar
        )
        product_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            _working_days_table(
                cursor, calendar, since_day - timedelta(days=400), until_day + timedelta(days=400)
            )
            for name, sql in FLOOR_SQL.items():
                cursor.execute(sql, {"since": since, "until": until})
                floor[name] = cursor.fetchall()
        floor_times.append(time.perf_counter() - started)
    o = product.overall.indicators
    legal = sum(r[2] for r in floor["reduction_rate"])
    actual = sum(r[3] for r in floor["reduction_rate"])
    late = sum(r[2] for r in floor["delay_rate"])
    with_deadline = sum(r[1] for r in floor["delay_rate"])
    print(
        json.dumps(
            {
                "answered_complaints": answered,
                "period": [since_day.isoformat(), until_day.isoformat()],
                "rounds": args.rounds,
                "product_seconds": {
                    "best": round(min(product_times), 3),
                    "median": round(statistics.median(product_times), 3),
                },
                "floor_seconds": {
                    "best": round(min(floor_times), 3),
                    "median": round(statistics.median(floor_times), 3),
                },
                "product": {
                    "reduction_cases": o.reduction_cases,
                    "legal": int(o.legal_total),
                    "actual": int(o.actual_total),
                    "reduction_rate": round(float(o.reduction_rate or 0), 2),
                    "with_deadline": o.with_deadline,
                    "late": o.late,
                    "delay_rate": round(float(o.delay_rate or 0), 2),
                },
                "floor": {
                    "reduction_cases": sum(r[1] for r in floor["reduction_rate"]),
                    "legal": int(legal or 0),
                    "actual": int(actual or 0),
                    "reduction_rate": round((legal - actual) * 100 / legal, 2) if legal else None,
                    "with_deadline": with_deadline,
                    "late": late,
                    "delay_rate": round(late * 100 / with_deadline, 2) if with_deadline else None,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
