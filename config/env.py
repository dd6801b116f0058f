"""Reading configuration from the environment.

A setting that is wrong stops start-up with one line naming the variable (ConfigurationError is
caught by the `minwon` command, which prints it and exits with status 2). Every setting is read
through one of the typed helpers below (`env_str`, `env_bool`, `env_int`, `env_float`,
`env_list`, `database_from_url`), never `int(...)` around a string: tests/test_env.py checks it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from minwon.core.configuration import ConfigurationError

__all__ = [
    "ConfigurationError",
    "database_from_url",
    "env_bool",
    "env_float",
    "env_int",
    "env_list",
    "env_str",
]


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] = os.environ
) -> str:
    value = environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigurationError(f"{name} is not set: it is required in this mode.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}.")


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] = os.environ
) -> list[str]:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_float(
    name: str, default: float, *, minimum: float = 0.0, environ: Mapping[str, str] = os.environ
) -> float:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, not {raw!r}.") from None
    if not value >= minimum:  # also refuses NaN
        raise ConfigurationError(f"{name} must be at least {minimum:g}, not {raw!r}.")
    return value


def env_int(
    name: str,
    default: int,
    *,
    minimum: int = 0,
    maximum: int | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {raw!r}.")
    if maximum is not None and value > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum}, not {raw!r}.")
    return value


def database_from_url(
    url: str,
    *,
    variable: str = "DATABASE_URL",
    connect_timeout: int = 5,
    statement_timeout: float = 30.0,
) -> dict[str, Any]:
    """Parse a database URL (sqlite:///path, postgres://...) or raise naming the variable.

    PostgreSQL connections get time limits (issue 14): `connect_timeout` seconds to connect
    (libpq's floor is 2), `statement_timeout` seconds per statement on the server (0: none),
    and `tcp_user_timeout` so a partition that swallows sent data fails the connection instead
    of hanging it; `CONN_HEALTH_CHECKS` re-checks a kept connection before a request uses it.
    A stall after a statement was sent is cut by `minwon.core.timeouts` (REQUEST_TIMEOUT_SECONDS).
    """
    import dj_database_url

    if "://" not in url:
        raise ConfigurationError(
            f"{variable} is malformed: expected a URL such as "
            "postgres://user:password@host:5432/name or sqlite:////path/minwon.sqlite3."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError) as exc:
        raise ConfigurationError(f"{variable} is malformed: {exc}") from exc
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ConfigurationError(
            f"{variable} names an unsupported database ({engine or 'unknown'}); "
            "Minwon supports SQLite and PostgreSQL."
        )
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ConfigurationError(f"{variable} is malformed: the database name is missing.")
    if engine == "django.db.backends.postgresql":
        options = dict(config.get("OPTIONS") or {})
        options.setdefault("connect_timeout", max(2, int(connect_timeout)))
        options.setdefault("tcp_user_timeout", max(2, int(connect_timeout)) * 1000)
        if statement_timeout > 0:
            server_options = f"-c statement_timeout={int(statement_timeout * 1000)}"
            existing = options.get("options")
            options["options"] = f"{existing} {server_options}" if existing else server_options
        config["OPTIONS"] = options
        config["CONN_HEALTH_CHECKS"] = True
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    return config
