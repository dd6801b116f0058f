"""Each send is recorded as soon as it ends (issue 14 item 3): a worker that dies in the middle of
a batch leaves only its open sends to be sent again, not every message of the batch the provider
had already accepted. One send of a batch is held open; the others must be `delivered` in the
database while it still is. PostgreSQL: the dispatch runs on its own connection in a thread."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import override_settings

from minwon.notifications.channels.base import OutgoingMessage
from minwon.notifications.domain import DeliveryChannel, Event
from minwon.notifications.models import Delivery
from minwon.notifications.services import (
    DispatchReport,
    notification_enqueue,
    notifications_dispatch,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a dispatch on another connection: PostgreSQL"
)

WAIT_SECONDS = 20  # every wait below is bounded by this
TOTAL = 4


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {WAIT_SECONDS} s")
        time.sleep(0.05)


class HeldTransport:
    """An SMS provider that answers at once, except for one key, held until `release`."""

    channel = DeliveryChannel.SMS

    def __init__(self, held: str) -> None:
        self.held = held
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.sent: Counter[str] = Counter()

    def send(self, message: OutgoingMessage) -> str:
        if message.key == self.held:
            self.release.wait(WAIT_SECONDS)
        with self.lock:
            self.sent[message.key] += 1
        return message.key

    def answered(self) -> set[str]:
        with self.lock:
            return set(self.sent)

    def close(self) -> None:
        return None


@pytest.mark.django_db(transaction=True)
@override_settings(NOTIFICATIONS_SEND_THREADS=2, NOTIFICATIONS_BATCH_SIZE=10)
def test_sends_that_ended_are_recorded_while_another_send_of_the_batch_is_open() -> None:
    for n in range(TOTAL):
        notification_enqueue(
            event=Event.COMPLAINT_REGISTERED,
            idempotency_key=f"asap:{n}",
            context={"complaint_no": f"2026-000{n}", "title": "도로 파손"},
            phone=f"0101234567{n}",
            urgent=True,  # whatever the hour: no quiet-hours deferral
        )
    keys = {f"asap:{n}:sms" for n in range(TOTAL)}
    transport = HeldTransport(held="asap:0:sms")
    reports: list[DispatchReport] = []

    def worker() -> None:
        try:
            reports.append(
                notifications_dispatch(transports={DeliveryChannel.SMS: transport}, max_batches=1)
            )
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        others = keys - {transport.held}
        wait_until(lambda: transport.answered() == others, "the sends that are not held")

        def recorded() -> set[str]:
            return {
                f"{key}:sms"
                for key in Delivery.objects.filter(status="delivered").values_list(
                    "notification__idempotency_key", flat=True
                )
            }

        # The batch's other sends ended: they are recorded although one send is still open.
        wait_until(lambda: recorded() == others, "the ended sends to be recorded")
        held = Delivery.objects.get(notification__idempotency_key="asap:0")
        assert held.status == "sending"
    finally:
        transport.release.set()
        thread.join(timeout=WAIT_SECONDS)
    assert not thread.is_alive()
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
    assert transport.sent == Counter(dict.fromkeys(keys, 1))  # each sent once
    assert reports and (reports[0].claimed, reports[0].delivered) == (TOTAL, TOTAL)
