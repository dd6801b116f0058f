"""The connector against a real HTTP simulator of the national side (no mocks of our code)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from minwon.accounts.domain import ApiScope
from minwon.accounts.services import api_key_issue
from minwon.complaints.domain import IntakeChannel, Outcome
from minwon.complaints.models import Complaint
from minwon.complaints.services import (
    ApplicantInput,
    FilingInput,
    complaint_answer,
    complaint_assign,
    complaint_file,
)
from minwon.exchange.clients import HttpExchangeClient
from minwon.exchange.domain import Agency
from minwon.exchange.models import ExchangeCursor, ExchangeLink, ExchangeRejection, ExchangeReport
from minwon.exchange.services import exchange_poll, exchange_report_queue, exchange_report_sweep
from minwon.exchange.simulator import NationalSimulator
from minwon.lawclock.kinds import ComplaintKind


def item(n: int, **change: Any) -> dict[str, Any]:
    return {
        "external_id": f"1AA-2603-{n:07d}",
        "agency": "epeople",
        "kind": "suggestion",
        "title": f"건의 {n}",
        "body": f"내용 {n}",
        "registered_at": "2026-03-09T10:00:00+09:00",
        "due_at": "2026-03-27T18:00:00+09:00",
        "applicant": {"name": "홍길동", "address": f"파주시 시청로 {n}"},
        **change,
    }


@pytest.fixture
def national() -> Iterator[NationalSimulator]:
    with NationalSimulator() as simulator:
        yield simulator


@pytest.fixture
def client(national: NationalSimulator) -> HttpExchangeClient:
    return HttpExchangeClient(national.url, key=national.side.key, timeout=5)


@pytest.fixture
def setup(city, road_unit) -> None:
    """The city exists (complaints are handled under its calendar)."""


@pytest.mark.django_db
def test_poll_imports_each_item_once_and_moves_the_cursor(national, client, setup) -> None:
    for n in (1, 2, 3):
        national.side.add(item(n))
    first = exchange_poll(agency=Agency.EPEOPLE, client=client, limit=2)
    assert (first.created, first.duplicates, first.rejected, first.error) == (3, 0, 0, "")
    complaints = Complaint.objects.order_by("pk")
    assert [c.external_ref for c in complaints] == [f"1AA-2603-{n:07d}" for n in (1, 2, 3)]
    assert {c.channel for c in complaints} == {IntakeChannel.EPEOPLE.value}
    assert all(c.receipt_number and c.status == "registered" for c in complaints)
    assert ExchangeCursor.objects.get(agency="epeople").cursor == "3"
    national.side.add(item(4))
    again = exchange_poll(agency=Agency.EPEOPLE, client=client)
    assert (again.created, again.duplicates) == (1, 0)
    # Re-reading from the start (a lost cursor) doubles nothing.
    ExchangeCursor.objects.update(cursor="")
    replay = exchange_poll(agency=Agency.EPEOPLE, client=client)
    assert (replay.created, replay.duplicates) == (0, 4)
    assert Complaint.objects.count() == 4


@pytest.mark.django_db
def test_a_bad_item_is_kept_aside_and_the_rest_come_in(national, client, setup) -> None:
    national.side.add(item(1))
    national.side.add(item(2, registered_at="2026-03-09 10:00"))
    national.side.add(item(3, applicant={"name": "", "address": "x"}))
    result = exchange_poll(agency=Agency.EPEOPLE, client=client)
    assert (result.created, result.rejected) == (1, 2)
    assert set(ExchangeRejection.objects.values_list("field", flat=True)) == {
        "registered_at",
        "name",
    }


@pytest.mark.django_db
def test_link_down_keeps_intake_working_and_resumes_without_loss(national, client, setup) -> None:
    national.side.add(item(1))
    exchange_poll(agency=Agency.EPEOPLE, client=client)
    national.side.add(item(2))
    national.side.add(item(3))
    national.side.down = True
    failed = exchange_poll(agency=Agency.EPEOPLE, client=client)
    assert failed.error and "503" in failed.error
    cursor = ExchangeCursor.objects.get(agency="epeople")
    assert cursor.cursor == "1" and cursor.last_error
    # The portal keeps taking complaints while the national link is down.
    complaint_file(
        data=FilingInput(
            kind=ComplaintKind.SUGGESTION,
            title="포털 건의",
            body="내용",
            channel=IntakeChannel.COUNTER,
            applicant=ApplicantInput(name="김", address="문산읍"),
        )
    )
    national.side.down = False
    resumed = exchange_poll(agency=Agency.EPEOPLE, client=client)
    assert (resumed.created, resumed.duplicates, resumed.error) == (2, 0, "")
    assert Complaint.objects.filter(channel="epeople").count() == 3
    assert ExchangeCursor.objects.get(agency="epeople").last_error == ""


@pytest.mark.django_db
def test_unreachable_side_is_an_error_not_a_crash(setup) -> None:
    dead = HttpExchangeClient("http://127.0.0.1:9", key="k", timeout=1)
    result = exchange_poll(agency=Agency.EPEOPLE, client=dead)
    assert result.error and result.created == 0


@pytest.mark.django_db
def test_reports_follow_the_complaint_and_are_never_doubled(
    national, client, setup, road_officer
) -> None:
    national.side.add(item(1))
    exchange_poll(agency=Agency.EPEOPLE, client=client)
    sent = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert (sent.sent, sent.failed) == (1, 0)
    assert [r["status"] for r in national.side.reports.values()] == ["registered"]
    assert exchange_report_sweep(agency=Agency.EPEOPLE, client=client).sent == 0  # nothing new
    complaint = Complaint.objects.get()
    complaint_assign(
        complaint=complaint, actor=None, assignee=road_officer, org_unit=road_officer.org_unit
    )
    complaint = Complaint.objects.get()
    complaint_answer(
        complaint=complaint,
        actor=road_officer,
        outcome=Outcome.INFORMED,
        answer="벤치를 3개 더 설치하겠습니다.",
    )
    national.side.down = True
    down = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert (down.sent, down.failed) == (0, 1)
    report = ExchangeReport.objects.get(state="pending")
    assert report.attempts == 1 and report.next_attempt_at is not None and report.last_error
    national.side.down = False
    # Still backing off: the next sweep waits until next_attempt_at.
    assert exchange_report_sweep(agency=Agency.EPEOPLE, client=client).sent == 0
    ExchangeReport.objects.update(next_attempt_at=None)
    after = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert after.sent == 1
    statuses = [r["status"] for r in national.side.reports.values()]
    assert statuses == ["registered", "answered"]
    answered = list(national.side.reports.values())[-1]
    assert (
        answered["answer"] == "벤치를 3개 더 설치하겠습니다." and answered["outcome"] == "informed"
    )
    assert len(national.side.reports) == len(set(national.side.reports))


@pytest.mark.django_db
def test_a_409_is_settled_by_reading_the_national_side(national, client, setup) -> None:
    national.side.add(item(1))
    exchange_poll(agency=Agency.EPEOPLE, client=client)
    exchange_report_queue(link_id=ExchangeLink.objects.get().pk)
    queued = ExchangeReport.objects.get()
    # The national side already took this very report (its answer was lost): reconciled.
    national.side.reports[queued.report_id] = dict(queued.payload)
    result = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert (result.sent, result.reconciled, result.conflicts) == (0, 1, 0)
    queued.refresh_from_db()
    assert (queued.state, queued.confirmed_by) == ("delivered", "reconciled")


@pytest.mark.django_db
def test_a_409_for_a_different_report_is_not_counted_as_delivered(national, client, setup) -> None:
    national.side.add(item(1))
    exchange_poll(agency=Agency.EPEOPLE, client=client)
    # The national side holds something else under :1 (another system's report, an old bug).
    national.side.reports["1AA-2603-0000001:1"] = {
        "report_id": "1AA-2603-0000001:1",
        "external_id": "1AA-2603-0000001",
        "status": "withdrawn",
    }
    first = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert (first.sent, first.reconciled, first.conflicts) == (0, 0, 1)
    assert ExchangeReport.objects.get().state == "conflict"
    # The next sweep reports the complaint's real state under a new id.
    second = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert (second.queued, second.sent) == (1, 1)
    assert national.side.reports["1AA-2603-0000001:2"]["status"] == "registered"


@pytest.mark.django_db
def test_push_endpoint_imports_once_with_poll(national, client, setup) -> None:
    _, key = api_key_issue(actor=None, name="국민신문고", scopes=[ApiScope.EXCHANGE])
    _, other = api_key_issue(actor=None, name="reader", scopes=[ApiScope.API_READ])
    body = json.dumps({"items": [item(1), item(2, kind="statutory")]})
    web = Client(enforce_csrf_checks=True)
    refused = web.post(
        "/api/v1/exchange/epeople/complaints",
        body,
        content_type="application/json",
        HTTP_X_API_KEY=other,
    )
    assert refused.status_code == 403
    response = web.post(
        "/api/v1/exchange/epeople/complaints",
        body,
        content_type="application/json",
        HTTP_X_API_KEY=key,
    )
    assert response.status_code == 200, response.content
    assert [o["result"] for o in response.json()] == ["created", "rejected"]
    national.side.add(item(1))
    polled = exchange_poll(agency=Agency.EPEOPLE, client=client)
    assert (polled.created, polled.duplicates) == (0, 1)
    assert Complaint.objects.count() == 1
    unknown = web.post(
        "/api/v1/exchange/mars/complaints",
        json.dumps({"items": []}),
        content_type="application/json",
        HTTP_X_API_KEY=key,
    )
    assert unknown.status_code == 404
