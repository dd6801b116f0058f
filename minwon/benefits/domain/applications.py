"""Programme applications: their states, the moves between them, the bundle's derived status,
and the 온종일돌봄 wait-list order (pure; docs/benefits.md "Applications").

One bundle application fans out to one programme application per chosen programme. Each moves
on its own::

    submitted → under_review → approved → paid            (cash, vouchers)
                            ↘ rejected
                            ↘ waitlisted → approved        (care places, 온종일돌봄)
    submitted | under_review | waitlisted → withdrawn       (the citizen)
    referred                                                (guidance only: applied for elsewhere)

``paid`` is the end for money; a care place ends at ``approved`` (the place is given).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

__all__ = [
    "PRIORITY_FLAGS",
    "Action",
    "ApplicationRuleError",
    "BundleStatus",
    "CareCandidate",
    "Status",
    "bundle_status",
    "care_rank",
    "next_status",
]


class Status(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"
    WAITLISTED = "waitlisted"
    REFERRED = "referred"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    REVIEW = "review"  # an official starts reviewing it
    APPROVE = "approve"
    REJECT = "reject"  # needs a reason
    PAY = "pay"  # money or voucher paid (not for care places)
    WAITLIST = "waitlist"  # a care place: no place free now, ranked on the wait-list
    WITHDRAW = "withdraw"  # the citizen


class ApplicationRuleError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


DECIDED: Final = frozenset({Status.APPROVED, Status.REJECTED, Status.PAID})
CLOSED: Final = frozenset({Status.REJECTED, Status.PAID, Status.REFERRED, Status.WITHDRAWN})

_MOVES: Final[dict[Action, tuple[frozenset[Status], Status]]] = {
    Action.REVIEW: (frozenset({Status.SUBMITTED}), Status.UNDER_REVIEW),
    Action.APPROVE: (frozenset({Status.UNDER_REVIEW, Status.WAITLISTED}), Status.APPROVED),
    Action.REJECT: (frozenset({Status.UNDER_REVIEW, Status.WAITLISTED}), Status.REJECTED),
    Action.PAY: (frozenset({Status.APPROVED}), Status.PAID),
    Action.WAITLIST: (frozenset({Status.UNDER_REVIEW}), Status.WAITLISTED),
    Action.WITHDRAW: (
        frozenset({Status.SUBMITTED, Status.UNDER_REVIEW, Status.WAITLISTED}),
        Status.WITHDRAWN,
    ),
}


def next_status(current: Status, action: Action, *, care_place: bool) -> Status:
    """The state ``action`` moves a programme application in ``current`` to, or
    ``ApplicationRuleError`` when it cannot (a care place is never paid, money is never
    wait-listed)."""
    allowed, target = _MOVES[action]
    if action is Action.PAY and care_place:
        raise ApplicationRuleError("benefits.not_paid", "a care place is given, not paid")
    if action is Action.WAITLIST and not care_place:
        raise ApplicationRuleError("benefits.not_waitlisted", "only care places have a wait-list")
    if current not in allowed:
        raise ApplicationRuleError(
            "benefits.invalid_transition", f"cannot {action.value} an application {current.value}"
        )
    return target


class BundleStatus(StrEnum):
    IN_PROGRESS = "in_progress"  # nothing decided yet
    PARTIALLY_DECIDED = "partially_decided"
    ALL_DECIDED = "all_decided"  # every programme decided (or referred / withdrawn)
    CLOSED = "closed"  # every programme at its end (paid, rejected, referred, withdrawn)


def bundle_status(statuses: Iterable[Status]) -> BundleStatus:
    """The bundle's status, derived from its programme applications' (life-events.md §6.2)."""
    states = list(statuses)
    if states and all(s in CLOSED for s in states):
        return BundleStatus.CLOSED
    settled = [s in DECIDED or s in CLOSED for s in states]
    if states and all(settled):
        return BundleStatus.ALL_DECIDED
    if any(s in DECIDED for s in states):
        return BundleStatus.PARTIALLY_DECIDED
    return BundleStatus.IN_PROGRESS


# The 온종일돌봄 priority flags, in the order of the tiers they put a child in (docs/benefits.md):
# tier 1 is 지역아동센터's 우선돌봄아동 (아동복지법 시행규칙; at least half of a centre's places),
# tier 2 the 돌봄특례 and 맞벌이 families 다함께돌봄센터 put first, tier 3 everyone else.
PRIORITY_FLAGS: Final[dict[str, int]] = {
    "livelihood_recipient": 1,  # 기초생활수급·차상위·의료급여
    "single_parent": 1,  # 한부모
    "grandparent_family": 1,  # 조손가정
    "disability": 1,  # 장애 (아동 또는 보호자)
    "multicultural": 1,  # 다문화
    "multi_child": 1,  # 다자녀 (2명 이상)
    "dual_income": 2,  # 맞벌이
    "care_gap": 2,  # 돌봄특례: 보호자 질병·실직, 장시간 홀로 있는 아동
}


@dataclass(frozen=True)
class CareCandidate:
    key: int  # the programme application's id
    flags: frozenset[str]
    submitted_at: datetime


def _tier(flags: frozenset[str]) -> int:
    return min((PRIORITY_FLAGS[f] for f in flags if f in PRIORITY_FLAGS), default=3)


def care_rank(candidates: Sequence[CareCandidate]) -> list[tuple[int, int, int]]:
    """The wait-list order: ``(key, rank, tier)`` from rank 1. A lower tier first; within a tier
    more priority flags first, then the earlier application, then the lower id (stable)."""
    unknown = {f for c in candidates for f in c.flags} - PRIORITY_FLAGS.keys()
    if unknown:
        raise ApplicationRuleError(
            "benefits.unknown_priority", f"unknown priority flags: {', '.join(sorted(unknown))}"
        )
    ordered = sorted(
        candidates,
        key=lambda c: (_tier(c.flags), -len(c.flags), c.submitted_at, c.key),
    )
    return [(c.key, i, _tier(c.flags)) for i, c in enumerate(ordered, start=1)]
