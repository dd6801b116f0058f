"""Rate limits on Redis through a TCP proxy: an outage or a stall fails open, never a 500."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client, override_settings

from minwon.accounts.domain import ApiScope
from minwon.accounts.services import api_key_issue
from minwon.core import ratelimit
from minwon.core.faultproxy import FaultProxy


@pytest.fixture
def redis_proxy() -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", 6379) as proxy:
        caches = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{proxy.port}/14",
                "KEY_PREFIX": f"t14-{uuid.uuid4().hex[:8]}",
                "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
            }
        }
        with override_settings(CACHES=caches):
            yield proxy


def _push(key: str) -> int:
    response = Client().post(
        "/api/v1/exchange/epeople/complaints",
        json.dumps({"items": []}),
        content_type="application/json",
        HTTP_X_API_KEY=key,
    )
    return response.status_code


@pytest.mark.django_db
def test_rate_limits_count_on_redis_and_fail_open_when_it_is_cut_or_stalled(
    redis_proxy: FaultProxy,
) -> None:
    _, key = api_key_issue(
        actor=None, name="국민신문고", scopes=[ApiScope.EXCHANGE], rate_limit_per_minute=2
    )
    # Counted in Redis, per minute: start just after a minute begins so the three share a window.
    with time_machine.travel(datetime(2026, 3, 9, 10, 0, 1, tzinfo=UTC), tick=True):
        assert [_push(key), _push(key), _push(key)] == [200, 200, 429]
    _, other = api_key_issue(actor=None, name="other", scopes=[ApiScope.EXCHANGE])
    before = ratelimit.fail_open_count
    redis_proxy.set("cut")
    assert _push(other) == 200
    redis_proxy.set("stall")
    assert _push(other) == 200
    assert ratelimit.fail_open_count >= before + 2
    redis_proxy.set("pass")
    assert _push(other) == 200
