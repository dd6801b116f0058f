from __future__ import annotations

from collections.abc import Iterator

import pytest

from minwon.notifications.channels.email import EmailTransport
from minwon.notifications.channels.http import AlimtalkTransport, SmsTransport
from minwon.notifications.domain import DeliveryChannel
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
def transports(provider: RecordingProvider, smtp: SmtpSink) -> dict[DeliveryChannel, object]:
    """Every external channel, speaking to the loopback servers."""
    return {
        DeliveryChannel.EMAIL: EmailTransport(
            backend="django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=smtp.port,
            timeout=5,
            from_email="minwon@paju.example",
        ),
        DeliveryChannel.SMS: SmsTransport(
            url=provider.url + "/sms", api_key="test", sender="0319405000", timeout=1.0
        ),
        DeliveryChannel.ALIMTALK: AlimtalkTransport(
            url=provider.url + "/alimtalk", api_key="test", sender_key="paju", timeout=1.0
        ),
    }
