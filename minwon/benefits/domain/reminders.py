"""Which reminders a family is owed, and when (pure; docs/benefits.md "Reminders").

Deadlines matter more than eligibility for the universal programmes (life-events.md §0.3): a
programme the family can get but has not applied for is reminded 10 and 3 days before its window
closes (the 60-day back-pay window of 부모급여 and 아동수당, the application windows of
첫만남이용권 and the local grants); a programme applied for is reminded 10 days before its
monthly amount changes ("부모급여 drops to 50만원 at 12 months") or ends. ``reminders_plan``
returns them with the day each is to be sent, from ``today`` on; sending them (a daily sweep into
the notification outbox) is not built yet.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from minwon.benefits.domain.eligibility import Result
from minwon.benefits.domain.reasons import Reason, Text, Won, _

__all__ = ["DAYS_BEFORE_CHANGE", "DAYS_BEFORE_CLOSING", "Reminder", "reminders_plan"]

DAYS_BEFORE_CLOSING = (10, 3)  # D-10 and D-3 before a window's last day
DAYS_BEFORE_CHANGE = 10  # before the first day of the month a monthly amount changes


@dataclass(frozen=True)
class Reminder:
    programme: str
    kind: Literal["window_closing", "rate_change"]
    send_on: date
    due: date  # the window's last day, or the first day of the month the amount changes
    reason: Reason

    @property
    def key(self) -> str:
        """A stable idempotency key: one per programme, kind, due date and send day."""
        return f"{self.programme}:{self.kind}:{self.due.isoformat()}:{self.send_on.isoformat()}"


def reminders_plan(
    results: Mapping[str, Result],
    names: Mapping[str, Text],
    *,
    applied: Collection[str],
    today: date,
) -> list[Reminder]:
    """The reminders still to send on or after ``today``, by send day then programme."""
    plan: list[Reminder] = []
    for code, result in results.items():
        if not result.eligible:
            continue
        if code not in applied:
            for deadline in result.deadlines:
                for days in DAYS_BEFORE_CLOSING:
                    send_on = deadline.last_day - timedelta(days=days)
                    if send_on < today:
                        continue
                    if deadline.kind == "retro_window":
                        message = _(
                            "%(programme)s: apply by %(last_day)s (%(days)s days left) to be "
                            "paid from the birth month"
                        )
                    else:
                        message = _(
                            "%(programme)s: the application window closes on %(last_day)s "
                            "(%(days)s days left)"
                        )
                    values = {"programme": names[code], "last_day": deadline.last_day}
                    reason = Reason(message, {**values, "days": days}, rule=deadline.kind)
                    plan.append(
                        Reminder(code, "window_closing", send_on, deadline.last_day, reason)
                    )
            continue
        for change in result.rate_changes[:1]:
            due = change.month.first_day
            send_on = due - timedelta(days=DAYS_BEFORE_CHANGE)
            if send_on < today:
                continue
            if change.amount:
                reason = Reason(
                    _("%(programme)s changes to %(amount)s a month from %(month)s"),
                    {"programme": names[code], "amount": Won(change.amount), "month": change.month},
                    rule="rate_change",
                )
            else:
                reason = Reason(
                    _("%(programme)s ends: nothing is paid from %(month)s"),
                    {"programme": names[code], "month": change.month},
                    rule="rate_change.end",
                )
            plan.append(Reminder(code, "rate_change", send_on, due, reason))
    return sorted(plan, key=lambda r: (r.send_on, r.programme, r.due))
