"""Faults on the national link, played through a TCP proxy in front of the simulator.

Issue 14 items 1 and 2: a report whose answer was lost keeps its content under its id, a 409 is
reconciled by reading the national side, and overlapping sweeps never double a report.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from minwon.complaints.domain import Outcome
from minwon.complaints.models import Complaint
from minwon.complaints.services import complaint_answer, complaint_assign
from minwon.core.faultproxy import FaultProxy
from minwon.exchange.clients import ExchangeUnavailable, HttpExchangeClient
from minwon.exchange.domain import Agency
from minwon.exchange.models import ExchangeCursor, ExchangeReport
from minwon.exchange.services import exchange_poll, exchange_report_sweep
from minwon.exchange.simulator import NationalSimulator
from minwon.exchange.tests.test_services import item


@pytest.fixture
def national() -> Iterator[NationalSimulator]:
    with NationalSimulator() as simulator:
        yield simulator


@pytest.fixture
def proxy(national: NationalSimulator) -> Iterator[FaultProxy]:
    host, port = national.server.server_address[:2]
    with FaultProxy(str(host), int(port)) as fault:
        yield fault


@pytest.fixture
def client(national: NationalSimulator, proxy: FaultProxy) -> HttpExchangeClient:
    return HttpExchangeClient(f"http://127.0.0.1:{proxy.port}", key=national.side.key, timeout=0.5)


def _held_by_complaint(national: NationalSimulator) -> dict[str, list[dict[str, Any]]]:
    held: dict[str, list[dict[str, Any]]] = {}
    for report in national.side.reports.values():
        held.setdefault(report["external_id"], []).append(report)
    for reports in held.values():
        reports.sort(key=lambda r: int(r["report_id"].rsplit(":", 1)[1]))
    return held


@pytest.mark.django_db
def test_a_report_whose_answer_was_lost_is_reconciled_and_the_answer_follows(
    national, proxy, client, city, road_unit, road_officer
) -> None:
    for n in (1, 2, 3):
        national.side.add(item(n))
    exchange_poll(agency=Agency.EPEOPLE, client=client)
    assert exchange_report_sweep(agency=Agency.EPEOPLE, client=client).sent == 3  # registered
    for complaint in Complaint.objects.order_by("pk"):
        complaint_assign(
            complaint=complaint, actor=None, assignee=road_officer, org_unit=road_officer.org_unit
        )
    # The link forwards requests but drops the answers: the national side takes …:2 in_progress
    # while Minwon times out.
    proxy.set("drop_answers")
    lost = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert (lost.sent, lost.failed) == (0, 3)
    assert all(
        reports[-1]["status"] == "in_progress" for reports in _held_by_complaint(national).values()
    )
    for complaint in Complaint.objects.order_by("pk"):
        complaint_answer(
            complaint=complaint, actor=road_officer, outcome=Outcome.INFORMED, answer="조치함"
        )
    proxy.set("pass")
    ExchangeReport.objects.update(next_attempt_at=None)  # the back-off is over
    healed = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert (healed.queued, healed.reconciled, healed.sent, healed.failed) == (3, 3, 3, 0)
    held = _held_by_complaint(national)
    assert len(held) == 3
    for reports in held.values():
        assert [r["status"] for r in reports] == ["registered", "in_progress", "answered"]
        assert reports[-1]["answer"] == "조치함"
    assert set(ExchangeReport.objects.values_list("state", flat=True)) == {"delivered"}
    # Nothing more to send: the national side and Minwon agree.
    assert exchange_report_sweep(agency=Agency.EPEOPLE, client=client).queued == 0


@pytest.mark.django_db
def test_a_sweep_finds_the_lease_of_a_running_sweep_and_does_nothing(
    national, client, city, road_unit
) -> None:
    national.side.add(item(1))
    exchange_poll(agency=Agency.EPEOPLE, client=client)
    from minwon.core import clock

    ExchangeCursor.objects.filter(agency="epeople").update(
        sweep_owner="other", sweep_lease_until=clock.now() + timedelta(seconds=60)
    )
    busy = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert busy.busy and (busy.queued, busy.sent) == (0, 0)
    assert national.side.reports == {}
    # A crashed sweep's lease runs out and the next sweep goes on.
    ExchangeCursor.objects.filter(agency="epeople").update(
        sweep_lease_until=clock.now() - timedelta(seconds=1)
    )
    after = exchange_report_sweep(agency=Agency.EPEOPLE, client=client)
    assert not after.busy and after.sent == 1
    assert ExchangeCursor.objects.get(agency="epeople").sweep_owner == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="concurrent writers need PostgreSQL (the in-memory SQLite test database locks tables)",
)
def test_overlapping_sweeps_on_a_slow_link_send_each_report_once(
    national, client, city, road_unit, road_officer
) -> None:
    for n in range(1, 7):
        national.side.add(item(n))
    exchange_poll(agency=Agency.EPEOPLE, client=client)
    national.side.delay_seconds = 0.05  # a slow link: the first sweep is still sending
    slow = HttpExchangeClient(client.base_url, key=client.key, timeout=5)
    results = []
    errors: list[BaseException] = []

    def sweep() -> None:
        from django.db import connection

        try:
            results.append(exchange_report_sweep(agency=Agency.EPEOPLE, client=slow))
        except BaseException as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 3
    # One sweep did the work; each complaint got exactly one report, and the national side was
    # asked once per report.
    assert sum(r.sent for r in results) == 6
    assert national.side.report_calls == 6
    assert sorted(national.side.reports) == [f"1AA-2603-{n:07d}:1" for n in range(1, 7)]
    assert ExchangeReport.objects.count() == 6


def test_the_client_opens_only_http_urls(tmp_path: Any) -> None:
    """bandit B310: a file: or custom-scheme exchange URL is refused before anything is opened."""
    secret = tmp_path / "secret.json"
    secret.write_text('{"items": [], "next": "x"}', encoding="utf-8")
    client = HttpExchangeClient(f"file://{tmp_path}", key="k")
    with pytest.raises(ExchangeUnavailable, match="not http"):
        client.fetch(agency="epeople", after="", limit=1)
