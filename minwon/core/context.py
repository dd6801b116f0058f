"""Where a request came from, for the audit log (set by RequestContextMiddleware)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None = None
    user_agent: str = ""
    channel: str = "system"  # web, api, open311, cli, system


_origin: ContextVar[RequestOrigin] = ContextVar(
    "minwon_request_origin",
    default=RequestOrigin(),  # noqa: B039 - frozen, never mutated
)


def current_origin() -> RequestOrigin:
    return _origin.get()


def set_origin(origin: RequestOrigin) -> object:
    return _origin.set(origin)


def reset_origin(token: object) -> None:
    _origin.reset(token)  # type: ignore[arg-type]
