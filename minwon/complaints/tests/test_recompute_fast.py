"""The bulk recompute gives exactly what `clock_deadline` gives, row by row, for a mixed sample."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from minwon.catalog.models import HolidayOverride
from minwon.complaints.domain import ClockKind
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import city_calendar
from minwon.complaints.services import complaint_deadlines_recompute
from minwon.complaints.services.common import clock_deadline
from minwon.lawclock import LawclockError
from tests.factories import seoul

PERIODS = ["7d", "14d", "instant", "3d", "1d", "4h", "5d", "10d", "20d", "70d", "1m", "2w", "1y"]
Stored = tuple[Any, str, str, str, str]


def _mixed_sample(count: int) -> None:
    rng = random.Random(20260309)
    base = seoul(2026, 3, 2, 0, 0)
    rows = []
    for i in range(count):
        start = base + timedelta(minutes=rng.randrange(0, 40 * 24 * 60))
        clock = rng.choice(
            [ClockKind.PROCESSING] * 8 + [ClockKind.REGISTRATION, ClockKind.OBJECTION]
        )
        period = "10d" if clock == ClockKind.OBJECTION else rng.choice(PERIODS)
        if clock == ClockKind.REGISTRATION:
            period = rng.choice(["", "7d"])  # the registration clock ignores the period
        excluded: list[list[str | None]] = []
        extensions: list[dict[str, Any]] = []
        dice = rng.random()
        if dice < 0.10:
            excluded = [[(start + timedelta(hours=20)).isoformat(), None]]  # stopped
        elif dice < 0.25:
            excluded = [
                [(start + timedelta(hours=5)).isoformat(), (start + timedelta(days=3)).isoformat()]
            ]
        if period in ("7d", "10d", "14d") and rng.random() < 0.2:
            extensions = [{"period": period, "consent": False, "reason": "cooperation"}]
            if clock == ClockKind.PROCESSING and rng.random() < 0.5:
                extensions.append({"period": period, "consent": True, "reason": "cooperation"})
        if i % 97 == 0:
            period = "7x"  # not a period: the row fails, whatever its clock
        if i % 89 == 0:
            extensions = [{"period": "1y", "consent": False, "reason": "cooperation"}]  # too long
        rows.append(
            Complaint(
                kind="grievance",
                title=f"t{i}",
                body="b",
                channel="counter",
                status="in_progress",
                arrived_at=start,
                clock=clock.value,
                clock_started_at=None if i % 101 == 0 else start,
                period=period,
                excluded_intervals=excluded,
                extensions=extensions,
            )
        )
    rows.append(  # a closed complaint: never recomputed
        Complaint(
            kind="grievance",
            title="closed",
            body="b",
            channel="counter",
            status="answered",
            arrived_at=base,
            clock=ClockKind.NONE.value,
            clock_started_at=base,
            period="7d",
            due_at=seoul(2030, 1, 1, 0, 0),
        )
    )
    Complaint.objects.bulk_create(rows)


def _expected() -> dict[int, Stored | None]:
    """pk → what clock_deadline gives (None: it fails, so the stored row is left alone)."""
    calendar = city_calendar()
    expected: dict[int, Stored | None] = {}
    for c in Complaint.objects.exclude(clock=""):
        try:
            d = clock_deadline(
                clock_kind=c.clock,
                started_at=c.clock_started_at,
                period=c.period,
                excluded=c.excluded_intervals,
                extensions=c.extensions,
                calendar=calendar,
            )
        except LawclockError:
            expected[c.pk] = None
            continue
        expected[c.pk] = (
            (None, "", "", "", "")
            if d is None
            else (d.due_at, d.rule, d.legal_basis[:200], d.calendar_version, d.rule_version)
        )
    return expected


def _stored() -> dict[int, Stored]:
    return {
        pk: tuple(rest)  # type: ignore[misc]
        for pk, *rest in Complaint.objects.values_list(
            "pk",
            "due_at",
            "deadline_rule",
            "deadline_legal_basis",
            "calendar_version",
            "rule_version",
        )
    }


def _check(before: dict[int, Stored], changed: int) -> None:
    expected, stored = _expected(), _stored()
    moved = 0
    for pk, want in expected.items():
        if want is None:
            assert stored[pk] == before[pk], pk  # failed rows are not touched
            continue
        if want[:3] == before[pk][:3]:
            # the deadline stayed: the row keeps the versions that produced it (not rewritten)
            assert stored[pk] == before[pk], pk
            continue
        assert stored[pk] == want, pk
        moved += 1
    assert changed == moved


@pytest.mark.django_db
def test_bulk_recompute_matches_clock_deadline_row_by_row() -> None:
    _mixed_sample(1500)
    before = _stored()
    result = complaint_deadlines_recompute(batch_size=400)
    assert result.scanned == 1500
    assert result.failed == sum(v is None for v in _expected().values()) > 0
    _check(before, result.changed)
    closed = Complaint.objects.get(clock="")
    assert closed.due_at == seoul(2030, 1, 1, 0, 0)

    # A holiday on a Wednesday inside the sample's deadlines: exactly the deadlines
    # clock_deadline moves are moved (with the new calendar version); the others are untouched.
    before = _stored()
    HolidayOverride.objects.create(day=date(2026, 3, 25), kind="extra", name="임시공휴일")
    result = complaint_deadlines_recompute(batch_size=400)
    assert result.changed > 0
    _check(before, result.changed)
    assert "+" in result.calendar_version
    assert complaint_deadlines_recompute(batch_size=400).changed == 0


@pytest.mark.django_db(transaction=True)
def test_recompute_outside_a_transaction_writes_from_its_own_thread_on_postgresql() -> None:
    """Outside a transaction (the calendar hook runs after commit) PostgreSQL writes in a thread;
    the answers are the same."""
    _mixed_sample(300)
    before = _stored()
    result = complaint_deadlines_recompute(batch_size=50)
    _check(before, result.changed)
    before = _stored()
    HolidayOverride.objects.create(day=date(2026, 3, 25), kind="extra", name="임시공휴일")
    seen: list[int] = []
    result = complaint_deadlines_recompute(batch_size=50, progress=seen.append)
    assert sum(seen) == result.scanned == 300
    _check(before, result.changed)
