"""The programme application's states, the bundle's derived status, the wait-list order (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from minwon.benefits.domain.applications import (
    Action,
    ApplicationRuleError,
    BundleStatus,
    CareCandidate,
    Status,
    bundle_status,
    care_rank,
    next_status,
)

S = Status


@pytest.mark.parametrize(
    ("current", "action", "care", "target"),
    [
        (S.SUBMITTED, Action.REVIEW, False, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, Action.APPROVE, False, S.APPROVED),
        (S.UNDER_REVIEW, Action.REJECT, False, S.REJECTED),
        (S.APPROVED, Action.PAY, False, S.PAID),
        (S.UNDER_REVIEW, Action.WAITLIST, True, S.WAITLISTED),
        (S.WAITLISTED, Action.APPROVE, True, S.APPROVED),
        (S.WAITLISTED, Action.WITHDRAW, True, S.WITHDRAWN),
        (S.SUBMITTED, Action.WITHDRAW, False, S.WITHDRAWN),
    ],
)
def test_allowed_moves(current: Status, action: Action, care: bool, target: Status) -> None:
    assert next_status(current, action, care_place=care) is target


@pytest.mark.parametrize(
    ("current", "action", "care", "code"),
    [
        (S.SUBMITTED, Action.APPROVE, False, "benefits.invalid_transition"),
        (S.PAID, Action.WITHDRAW, False, "benefits.invalid_transition"),
        (S.REFERRED, Action.REVIEW, False, "benefits.invalid_transition"),
        (S.APPROVED, Action.PAY, True, "benefits.not_paid"),
        (S.UNDER_REVIEW, Action.WAITLIST, False, "benefits.not_waitlisted"),
    ],
)
def test_refused_moves(current: Status, action: Action, care: bool, code: str) -> None:
    with pytest.raises(ApplicationRuleError) as caught:
        next_status(current, action, care_place=care)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("states", "derived"),
    [
        ([S.SUBMITTED, S.REFERRED], BundleStatus.IN_PROGRESS),
        ([S.APPROVED, S.UNDER_REVIEW], BundleStatus.PARTIALLY_DECIDED),
        ([S.APPROVED, S.REJECTED, S.REFERRED], BundleStatus.ALL_DECIDED),
        ([S.PAID, S.REJECTED, S.WITHDRAWN, S.REFERRED], BundleStatus.CLOSED),
    ],
)
def test_bundle_status_is_derived(states: list[Status], derived: BundleStatus) -> None:
    assert bundle_status(states) is derived


def test_care_rank_orders_by_tier_flags_time_and_refuses_unknown_flags() -> None:
    t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    minute = dt.timedelta(minutes=1)
    ranked = care_rank(
        [
            CareCandidate(1, frozenset(), t),
            CareCandidate(2, frozenset({"dual_income"}), t + minute),
            CareCandidate(3, frozenset({"single_parent"}), t + 2 * minute),
            CareCandidate(4, frozenset({"single_parent"}), t + minute),
            CareCandidate(5, frozenset({"dual_income", "care_gap"}), t + 3 * minute),
        ]
    )
    assert ranked == [(4, 1, 1), (3, 2, 1), (5, 3, 2), (2, 4, 2), (1, 5, 3)]
    with pytest.raises(ApplicationRuleError):
        care_rank([CareCandidate(1, frozenset({"vip"}), t)])
