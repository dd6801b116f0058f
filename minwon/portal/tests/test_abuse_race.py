"""Issue 13 item 8: concurrent filings from one client cannot all pass the limit's check before
any is counted. Real threads, each with its own PostgreSQL connection, on committed data; SQLite
begins every transaction IMMEDIATE (one writer at a time), so the race cannot happen there."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.services import FilingInput, abuse, complaint_file_limited
from minwon.core.errors import Throttled
from minwon.core.selectors import throttle_wait_seconds
from minwon.lawclock.kinds import ComplaintKind

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers on separate connections; SQLite has one at a time",
    ),
]


def test_two_filings_at_once_from_one_client_pass_the_limit_once(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.THROTTLES = {
        **django_settings.THROTTLES,
        "filing": {**django_settings.THROTTLES["filing"], "per_client": 1},
    }
    # Each thread waits at the barrier right after its check: without the per-client lock both
    # checks see no filing yet; with it the second check runs only after the first is counted
    # (the first then gives up waiting at the barrier and goes on).
    barrier = threading.Barrier(2, timeout=5)
    real = throttle_wait_seconds

    def check_then_meet(*args: Any, **kwargs: Any) -> int:
        wait = real(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return wait

    monkeypatch.setattr(abuse, "throttle_wait_seconds", check_then_meet)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def file() -> None:
        try:
            complaint_file_limited(
                data=FilingInput(
                    kind=ComplaintKind.TIP,
                    title="불법 투기",
                    body="야간 투기",
                    channel=IntakeChannel.WEB,
                    status_password="quiet-lantern-7",
                ),
                ip="203.0.113.9",
            )
            outcomes.append("filed")
        except Throttled:
            outcomes.append("throttled")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["filed", "throttled"]
    assert Complaint.objects.count() == 1
