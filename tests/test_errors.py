"""Every API error is the project's JSON error document, 404 and 500 included (issue 14 item 6)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from config.env import ConfigurationError, database_from_url, env_float, env_int
from config.handlers import database_unreachable
from minwon.catalog import selectors as catalog_selectors


@pytest.mark.django_db
def test_an_unexpected_error_in_the_api_is_a_json_500(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(catalog_selectors, "complaint_type_list", broken)
    response = Client(raise_request_exception=False).get("/api/v1/catalog/types")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error"
    assert "Retry-After" not in response


@pytest.mark.django_db
def test_a_database_error_in_the_api_is_a_json_503(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(**kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(catalog_selectors, "complaint_type_list", unreachable)
    response = Client(raise_request_exception=False).get("/api/v1/catalog/types")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_unknown_api_paths_are_json_404_and_pages_stay_html() -> None:
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    page = Client().get("/no-such-page/")
    assert page.status_code == 404
    assert not page["Content-Type"].startswith("application/json")


def test_a_wrapped_database_error_counts_as_unreachable() -> None:
    outer = RuntimeError("while rendering")
    outer.__cause__ = OperationalError("down")
    assert database_unreachable(outer)
    assert not database_unreachable(RuntimeError("a bug"))
    assert not database_unreachable(None)


def test_postgres_urls_get_connect_and_statement_timeouts_and_health_checks() -> None:
    config = database_from_url(
        "postgres://u@db:5432/minwon", connect_timeout=3, statement_timeout=12.5
    )
    assert config["OPTIONS"]["connect_timeout"] == 3
    assert config["OPTIONS"]["options"] == "-c statement_timeout=12500"
    assert config["CONN_HEALTH_CHECKS"] is True
    unlimited = database_from_url("postgres://u@db:5432/minwon", statement_timeout=0)
    assert "options" not in unlimited["OPTIONS"]
    assert "connect_timeout" not in database_from_url("sqlite:////tmp/x.sqlite3")["OPTIONS"]


def test_numeric_settings_name_the_variable_when_malformed() -> None:
    assert env_int("N", 5, environ={}) == 5
    assert env_int("N", 5, environ={"N": "7"}) == 7
    assert env_float("F", 1.5, environ={"F": "0.25"}) == 0.25
    with pytest.raises(ConfigurationError, match="N must be a whole number"):
        env_int("N", 5, environ={"N": "seven"})
    with pytest.raises(ConfigurationError, match="N must be at least 2"):
        env_int("N", 5, minimum=2, environ={"N": "1"})
    with pytest.raises(ConfigurationError, match="F must be at least"):
        env_float("F", 1.0, environ={"F": "nan"})
