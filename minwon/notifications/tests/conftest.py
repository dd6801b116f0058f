from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

from minwon.notifications.channels.email import EmailTransport
from minwon.notifications.channels.http import AlimtalkTransport, SmsTransport
from minwon.notifications.domain import Channel
from minwon.notifications.tests.servers import RecordingProvider, SmtpSink


@pytest.fixture
def provider() -> Iterator[RecordingProvider]:
    with RecordingProvider() as server:
        yield server


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def transports(provider: RecordingProvider, smtp: SmtpSink) -> dict[Channel, object]:
    """Every external channel, speaking to the loopback servers."""
    return {
        Channel.EMAIL: EmailTransport(
            backend="django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=smtp.port,
            timeout=5,
            from_email="minwon@paju.example",
        ),
        Channel.SMS: SmsTransport(
            url=provider.url + "/sms", api_key="test", sender="0319405000", timeout=1.0
        ),
        Channel.ALIMTALK: AlimtalkTransport(
            url=provider.url + "/alimtalk", api_key="test", sender_key="paju", timeout=1.0
        ),
    }


def redis_or_skip(url: str = "redis://127.0.0.1:6379/0") -> str:
    """Redis must answer; in CI (CI=true) a missing Redis fails the test instead of skipping it."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            if not conn.recv(16).startswith(b"+PONG"):
                raise OSError("no PONG")
    except OSError as exc:
        message = f"Redis at 127.0.0.1:6379 is not reachable ({exc})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message + "; start redis-server to run this test")
    return url
