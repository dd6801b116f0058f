"""Fixtures for the core fault tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from minwon.core.faultproxy import FaultProxy


@pytest.fixture
def db_proxy(transactional_db: None) -> Iterator[FaultProxy]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL fault test: run with DATABASE_URL=postgres://...")
    original = connection.settings_dict
    upstream = (original.get("HOST") or "127.0.0.1", int(original.get("PORT") or 5432))
    with FaultProxy(*upstream) as proxy:
        connection.close()
        options = {**original.get("OPTIONS", {}), "connect_timeout": 2}
        connection.settings_dict = {
            **original,
            "HOST": "127.0.0.1",
            "PORT": str(proxy.port),
            "OPTIONS": options,
        }
        try:
            yield proxy
        finally:
            proxy.set("pass")
            connection.close()
            connection.settings_dict = original
