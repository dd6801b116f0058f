"""/readyz (readiness) against the real services, links cut through a TCP proxy (issue 14 item 7)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import close_old_connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings

from minwon.core import health
from minwon.core.faultproxy import FaultProxy


def _ready(*, new_request: bool = False) -> tuple[int, dict[str, dict[str, object]]]:
    if new_request:  # what a real server does at the start of each request (outside a test's
        close_old_connections()  # transaction only: inside one it would close the connection)
    response = Client(raise_request_exception=False).get("/readyz")
    return response.status_code, response.json()["checks"]


@pytest.mark.django_db
def test_ready_when_the_database_answers_and_every_migration_is_applied() -> None:
    status, checks = _ready()
    assert status == 200
    assert checks["database"]["ok"] is True
    assert checks["migrations"] == {"ok": True, "pending": []}
    assert checks["broker"]["ok"] is True  # not used in tests (BACKGROUND_RUNNER=none)


@pytest.mark.django_db
def test_a_migration_not_applied_makes_it_not_ready() -> None:
    app, name = sorted(health._expected())[0]
    MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()  # rolled back after
    status, checks = _ready()
    assert status == 503
    assert checks["migrations"]["ok"] is False
    assert checks["migrations"]["pending"] == [f"{app}.{name}"]


def test_a_cut_database_makes_it_not_ready_while_liveness_answers(db_proxy: FaultProxy) -> None:
    assert _ready(new_request=True)[0] == 200
    db_proxy.set("cut")
    status, checks = _ready(new_request=True)
    assert status == 503
    assert checks["database"]["ok"] is False
    assert Client().get("/healthz").status_code == 200
    db_proxy.set("stall")
    status, checks = _ready(new_request=True)
    assert status == 503
    assert checks["database"]["ok"] is False
    db_proxy.set("pass")
    assert _ready(new_request=True)[0] == 200


@pytest.fixture(params=[("redis", 6379), ("amqp", 5672)], ids=["redis", "rabbitmq"])
def broker_proxy(request: pytest.FixtureRequest) -> Iterator[FaultProxy]:
    scheme, port = request.param
    with FaultProxy("127.0.0.1", port) as proxy:
        url = (
            f"redis://127.0.0.1:{proxy.port}/15"
            if scheme == "redis"
            else f"amqp://guest:guest@127.0.0.1:{proxy.port}//"
        )
        with override_settings(
            BACKGROUND_RUNNER="celery", CELERY_BROKER_URL=url, READINESS_TIMEOUT_SECONDS=1
        ):
            yield proxy


@pytest.mark.django_db
def test_the_broker_cut_or_stalled_makes_it_not_ready(broker_proxy: FaultProxy) -> None:
    status, checks = _ready()
    assert status == 200, checks
    assert checks["broker"]["ok"] is True
    for mode in ("cut", "stall"):
        broker_proxy.set(mode)
        status, checks = _ready()
        assert status == 503, mode
        assert checks["broker"]["ok"] is False
        assert checks["database"]["ok"] is True
    broker_proxy.set("pass")
    assert _ready()[0] == 200


@pytest.mark.django_db
def test_the_rate_limit_cache_is_reported_but_does_not_fail_readiness() -> None:
    with (
        FaultProxy("127.0.0.1", 6379) as proxy,
        override_settings(
            REDIS_URL=f"redis://127.0.0.1:{proxy.port}/15", READINESS_TIMEOUT_SECONDS=1
        ),
    ):
        assert _ready()[1]["cache"]["ok"] is True
        proxy.set("cut")
        status, checks = _ready()
        assert status == 200
        assert checks["cache"]["ok"] is False
