from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from minwon.webhooks.tests.receiver import FakeDns, Receiver


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    """No name resolves unless a test says what it resolves to; address literals pass through."""
    fake = FakeDns(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.fixture
def receiver(settings: Any, dns: FakeDns) -> Iterator[Receiver]:
    """A local receiver: loopback and its port are allowed explicitly, for this test only."""
    r = Receiver()
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_ALLOWED_PORTS = [443, 80, r.port]
    yield r
    r.close()
