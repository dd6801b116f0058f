"""The database link cut or stalled through a TCP proxy (issue 14 items 5 and 6).

PostgreSQL only: the shared server is never stopped; this thread's connection is pointed at a
`FaultProxy` in front of it. A request then gets 503 with Retry-After (the project's JSON error
document under /api/), within the connect timeout or the request time limit, never a hang;
`/healthz` (liveness) keeps answering.
"""

from __future__ import annotations

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client, override_settings

from minwon.core import timeouts
from minwon.core.faultproxy import FaultProxy
from minwon.core.timeouts import database_deadline


def _client() -> Client:
    # A real server runs close_old_connections() at the start and end of each request (which
    # is where CONN_HEALTH_CHECKS and the discarding of a broken connection happen); the test
    # client leaves that out, so it is done here.
    close_old_connections()
    return Client(raise_request_exception=False)


def test_a_cut_database_gives_503_with_retry_after_as_each_interface_documents_errors(
    db_proxy: FaultProxy,
) -> None:
    assert _client().get("/api/v1/catalog/types").status_code == 200
    db_proxy.set("cut")

    api = _client().get("/api/v1/catalog/types")
    assert api.status_code == 503
    assert api["Retry-After"] == "30"
    assert api["Content-Type"].startswith("application/json")
    assert api.json()["code"] == "unavailable"
    assert api.json()["message"]

    open311 = _client().get("/open311/v2/services.json")
    assert open311.status_code == 503
    assert open311.json()[0]["code"] == 503

    page = _client().get("/services/", {"q": "도로"})
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert b"<html" in page.content

    assert _client().get("/healthz").status_code == 200  # liveness does not need the database

    db_proxy.set("pass")
    assert _client().get("/api/v1/catalog/types").status_code == 200


def test_a_stalled_link_fails_at_the_connect_timeout_with_503(db_proxy: FaultProxy) -> None:
    db_proxy.set("stall")  # the proxy accepts, then nothing moves: connect_timeout ends it
    response = _client().get("/api/v1/catalog/types")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"


def test_a_link_that_stalls_mid_request_is_cut_at_the_request_time_limit(
    db_proxy: FaultProxy,
) -> None:
    with connection.cursor() as cursor:  # the connection is open, then the link stalls
        cursor.execute("SELECT 1")
    db_proxy.set("stall")
    before = timeouts.cut_count
    with override_settings(REQUEST_TIMEOUT_SECONDS=0.5):
        response = _client().get("/api/v1/catalog/types")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert timeouts.cut_count > before  # the watchdog cut the stalled connection


def test_a_statement_waiting_on_a_stalled_link_fails_at_the_deadline(
    db_proxy: FaultProxy,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    db_proxy.set("stall")
    with (
        pytest.raises(OperationalError),
        database_deadline(0.3, label="test"),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 2")
    db_proxy.set("pass")
    connection.close()
    with connection.cursor() as cursor:  # a new connection works again
        cursor.execute("SELECT 3")
        assert cursor.fetchone() == (3,)


def test_connections_carry_the_statement_timeout_and_a_slow_statement_is_cancelled(
    db_proxy: FaultProxy,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("30s",)  # DATABASE_STATEMENT_TIMEOUT_SECONDS' default
    connection.close()
    original = connection.settings_dict
    connection.settings_dict = {
        **original,
        "OPTIONS": {**original["OPTIONS"], "options": "-c statement_timeout=200"},
    }
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    connection.close()
    connection.settings_dict = original
