"""The transition step every lifecycle service shares: lock, next status or refusal, rule-error
translation in one place, and a save that writes only the columns the service changed."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minwon.accounts.models import User
from minwon.complaints import services as s
from minwon.complaints.domain import Action, ComplaintRuleError, ComplaintStatus
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.complaints.services.common import rule_errors, transition
from minwon.core.errors import Conflict, ValidationFailed
from minwon.lawclock import LawclockError
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]


def _updated_columns(queries: list[dict[str, str]]) -> list[set[str]]:
    """The columns each UPDATE of the complaints table sets."""
    table = Complaint._meta.db_table
    found = []
    for query in queries:
        sql = query["sql"]
        if sql.startswith(f'UPDATE "{table}" SET'):
            head = sql.split(" WHERE ")[0]
            found.append(set(re.findall(r'"(\w+)" = ', head)))
    return found


def test_a_service_writes_only_the_columns_it_changed(
    clock: TravellingClock, file: File, road_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = file(ComplaintKind.GRIEVANCE)
    clock.at(2026, 3, 10, 10, 0)
    with CaptureQueriesContext(connection) as queries:
        s.complaint_withdraw(complaint=complaint, actor=None, reason="해결됨")
    # a full save() would also write due_at, title, body … and could overwrite what a concurrent
    # deadline recompute or delivery report wrote to those columns meanwhile
    assert _updated_columns(queries.captured_queries) == [
        {"status", "closed_at", "clock", "updated_at"}
    ]
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.WITHDRAWN
    assert complaint.closed_at is not None


def test_a_refused_step_writes_nothing(clock: TravellingClock, file: File) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = file(ComplaintKind.GRIEVANCE)
    s.complaint_withdraw(complaint=complaint, actor=None)
    events = ComplaintEvent.objects.count()
    with pytest.raises(Conflict) as caught:
        transition(complaint, Action.ANSWER)
    assert caught.value.code == "complaint.invalid_transition"
    assert ComplaintEvent.objects.count() == events


def test_the_step_records_from_and_to_status(clock: TravellingClock, file: File) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = file(ComplaintKind.GRIEVANCE)
    step = transition(complaint, Action.WITHDRAW)
    assert (step.from_status, step.to_status) == (ComplaintStatus.REGISTERED, "withdrawn")
    step.done(actor=None, data={"reason": ""})
    event = ComplaintEvent.objects.filter(complaint=complaint).latest("pk")
    assert (event.action, event.from_status, event.to_status) == (
        "withdraw",
        "registered",
        "withdrawn",
    )


def test_rule_errors_translate_both_kinds_of_broken_rule() -> None:
    with pytest.raises(Conflict) as conflict, rule_errors():
        raise ComplaintRuleError("complaint.supplement_limit_reached", rule="영 제24조")
    assert conflict.value.code == "complaint.supplement_limit_reached"
    assert str(conflict.value.message).endswith("(영 제24조)")
    with pytest.raises(ValidationFailed) as invalid, rule_errors():
        raise LawclockError("naive", field="at", code="lawclock.naive_datetime")
    assert (invalid.value.code, invalid.value.field) == ("complaint.naive_datetime", "at")
    with pytest.raises(KeyError), rule_errors():
        raise KeyError("not a rule")
