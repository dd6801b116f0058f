"""Excluded time beyond 보완 (영 제17조④⑤, 제20조; 행정절차법 시행령 제11조): kinds, bases, checks,
and the deadline moving by an excluded interval."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from minwon.lawclock import SEOUL, LawclockError, WorkingCalendar, compute_deadline
from minwon.lawclock.exclusions import EXCLUSION_BASES, ExclusionKind, check_exclusion


def seoul(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SEOUL)


NOW = seoul(2026, 6, 1, 12)


def test_every_kind_has_its_legal_basis() -> None:
    assert set(EXCLUSION_BASES) == set(ExclusionKind)
    assert EXCLUSION_BASES[ExclusionKind.TESTING].endswith("행정절차법 시행령 제11조 제5호")
    assert EXCLUSION_BASES[ExclusionKind.SYSTEM_OUTAGE] == "민원처리법 시행령 제20조 제2호"
    assert "제17조 제4항" in EXCLUSION_BASES[ExclusionKind.SITE_INVESTIGATION]


def test_a_checked_interval_gives_its_kind() -> None:
    start, end = seoul(2026, 5, 20, 9), seoul(2026, 5, 22, 18)
    for kind in ExclusionKind:
        assert (
            check_exclusion(
                kind=kind.value, start=start, end=end, complaint_kind="grievance", now=NOW
            )
            == kind
        )
    # still running: no end yet
    assert (
        check_exclusion(kind="testing", start=start, end=None, complaint_kind="statutory", now=NOW)
        == ExclusionKind.TESTING
    )


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"kind": "lunch"}, "lawclock.exclusion_kind", "kind"),
        ({"start": datetime(2026, 5, 20, 9)}, "lawclock.naive_datetime", "start"),
        ({"end": datetime(2026, 5, 22, 9)}, "lawclock.naive_datetime", "end"),
        ({"start": seoul(2026, 6, 2, 9), "end": None}, "lawclock.exclusion_in_future", "start"),
        ({"end": seoul(2026, 6, 2, 9)}, "lawclock.exclusion_in_future", "end"),
        ({"end": seoul(2026, 5, 20, 9)}, "lawclock.exclusion_order", "end"),
        (
            {"kind": "site_investigation", "complaint_kind": "suggestion"},
            "lawclock.exclusion_not_applicable",
            "kind",
        ),
        (
            {"kind": "site_investigation", "start": seoul(2026, 5, 1, 9), "end": None},
            "lawclock.exclusion_too_long",
            "end",
        ),
        (
            {"kind": "system_outage", "start": seoul(2026, 5, 5, 23), "end": seoul(2026, 5, 6, 9)},
            "lawclock.exclusion_not_applicable",
            "start",
        ),
    ],
)
def test_what_the_law_does_not_exclude_is_refused(
    kwargs: dict[str, object], code: str, field: str
) -> None:
    base: dict[str, object] = {
        "kind": "testing",
        "start": seoul(2026, 5, 20, 9),
        "end": seoul(2026, 5, 22, 18),
        "complaint_kind": "grievance",
        "now": NOW,
    }
    with pytest.raises(LawclockError) as info:
        check_exclusion(**{**base, **kwargs})  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == (code, field)


def test_site_investigation_of_twenty_one_days_is_excluded_and_moves_the_deadline() -> None:
    start = seoul(2026, 3, 10, 9)
    end = start + timedelta(days=21)
    assert (
        check_exclusion(
            kind="site_investigation", start=start, end=end, complaint_kind="grievance", now=NOW
        )
        == ExclusionKind.SITE_INVESTIGATION
    )
    calendar = WorkingCalendar.default()
    plain = compute_deadline(registered_at=seoul(2026, 3, 9, 10), period="7d", calendar=calendar)
    moved = compute_deadline(
        registered_at=seoul(2026, 3, 9, 10), period="7d", calendar=calendar, excluded=[(start, end)]
    )
    assert moved.due_at > plain.due_at
