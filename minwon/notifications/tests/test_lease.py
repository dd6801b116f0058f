"""A slow send keeps its lease (issue 14 item 3): the provider link is stalled through a real TCP
proxy for longer than the lease while a second worker keeps trying to claim; the provider sees
the notice once. PostgreSQL: two workers on two connections with `FOR UPDATE SKIP LOCKED`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import override_settings

from minwon.core.faultproxy import FaultProxy
from minwon.notifications.channels.http import SmsTransport
from minwon.notifications.domain import DeliveryChannel, Event
from minwon.notifications.models import Delivery
from minwon.notifications.services import (
    DispatchReport,
    notification_enqueue,
    notifications_dispatch,
)
from minwon.notifications.tests.servers import RecordingProvider

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two workers on two connections: PostgreSQL"
)

LEASE_SECONDS = 3
WAIT_SECONDS = 60  # every wait below is bounded by this


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {WAIT_SECONDS} s")
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
@override_settings(NOTIFICATIONS_CLAIM_SECONDS=LEASE_SECONDS, NOTIFICATIONS_HTTP_TIMEOUT=1)
def test_a_send_stalled_past_its_lease_is_not_taken_and_sent_again_by_another_worker() -> None:
    with RecordingProvider() as provider, FaultProxy("127.0.0.1", provider.port) as proxy:
        notification = notification_enqueue(
            event=Event.COMPLAINT_REGISTERED,
            idempotency_key="lease:1",
            context={"complaint_no": "2026-0001", "title": "도로 파손"},
            phone="01012345678",
            urgent=True,  # whatever the hour: no quiet-hours deferral
        )
        key = f"{notification.idempotency_key}:sms"
        # Worker A's link to the provider stalls; its client waits far longer than the lease.
        stalled = SmsTransport(
            url=f"http://127.0.0.1:{proxy.port}/sms", api_key="t", sender="0319405000", timeout=30
        )
        direct = SmsTransport(url=provider.url + "/sms", api_key="t", sender="0319405000")
        proxy.set("stall")
        reports: list[DispatchReport] = []

        def worker_a() -> None:
            try:
                reports.append(notifications_dispatch(transports={DeliveryChannel.SMS: stalled}))
            finally:
                connection.close()

        a = threading.Thread(target=worker_a)
        a.start()
        wait_until(lambda: proxy.connections > 0, "worker A to open its provider connection")
        claimed = delivery = Delivery.objects.get(notification=notification, channel="sms")
        assert claimed.status == "sending"
        first_lease_end = claimed.claimed_until
        assert first_lease_end is not None
        # Worker B tries while A's send is stalled, until well past the lease A first took.
        taken: list[DispatchReport] = []
        give_up = time.monotonic() + 3 * LEASE_SECONDS
        while time.monotonic() < give_up:
            taken.append(notifications_dispatch(transports={DeliveryChannel.SMS: direct}))
            time.sleep(0.2)
        assert sum(r.claimed for r in taken) == 0
        renewed = Delivery.objects.get(pk=delivery.pk)
        assert renewed.status == "sending"
        assert renewed.claimed_until is not None and renewed.claimed_until > first_lease_end
        proxy.set("pass")
        a.join(timeout=WAIT_SECONDS)
        assert not a.is_alive()
        direct.close()
        stalled.close()
    raw, accepted = provider.recorder.snapshot()
    assert raw[key] == 1 and accepted[key] == 1  # one request reached the provider, once
    done = Delivery.objects.get(pk=delivery.pk)
    assert (done.status, done.attempts) == ("delivered", 1)
    assert reports and reports[0].delivered == 1
