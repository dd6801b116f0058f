"""The work queue's deadline-usage column on real complaints: the law's count, one calendar."""

from __future__ import annotations

import pytest

from minwon.accounts.models import User
from minwon.complaints import services as s
from minwon.lawclock.kinds import ComplaintKind
from minwon.office.domain import Urgency
from minwon.office.selectors import deadline_watch, work_queue
from tests.factories import TravellingClock, complaint_filed, seoul

pytestmark = pytest.mark.django_db


def test_the_queue_counts_the_period_as_the_law_does(supervisor: User) -> None:
    clock = TravellingClock()
    try:
        clock.at(2026, 3, 11, 10)
        complaint = complaint_filed(ComplaintKind.GRIEVANCE)  # 고충민원 7일, due Thu 3/19 18:00
        s.complaint_assign(complaint=complaint, actor=None, assignee=supervisor)
        # Mon 3/16 09:00: three of seven working days used (calendar time: 60 %, "watch").
        [row] = work_queue(officer=supervisor, mine_only=False, now=seoul(2026, 3, 16, 9))
        assert (row.used_percent, row.urgency) == (43, Urgency.OK)
        # Wed 3/18 18:00: six of seven (86 %): at risk, on the deadline watch.
        [row] = deadline_watch(officer=supervisor, now=seoul(2026, 3, 18, 18))
        assert (row.used_percent, row.urgency) == (86, Urgency.URGENT)
        # 보완 중 the clock stops: no share.
        clock.at(2026, 3, 18, 18)
        s.complaint_supplement_request(
            complaint=complaint, actor=None, items=["도면"], days=7, late_reason="현장 확인 후"
        )
        [row] = work_queue(officer=supervisor, mine_only=False, now=seoul(2026, 3, 19, 9))
        assert (row.used_percent, row.urgency) == (None, Urgency.NONE)
    finally:
        clock.stop()
