"""What the dispatcher's steps share: the report, a send's outcome, raw-SQL helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection

from minwon.notifications.channels.base import OutgoingMessage, Transport
from minwon.notifications.models import Delivery, Notification

N_TABLE = Notification._meta.db_table
D_TABLE = Delivery._meta.db_table


@dataclass
class DispatchReport:
    planned: int = 0
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0

    def add(self, other: DispatchReport) -> None:
        for name in ("planned", "claimed", "delivered", "retrying", "failed", "deferred"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Outcome:
    delivery_id: int
    kind: str  # delivered | retry | failed | deferred | released
    at: datetime | None = None
    code: str = ""
    detail: str = ""
    ref: str = ""


@dataclass
class Work:
    delivery: Delivery
    transport: Transport
    message: OutgoingMessage
    outcome: Outcome | None = field(default=None)


def db_dt(value: datetime) -> Any:
    """A datetime as the database backend stores it (raw SQL needs the backend's form)."""
    return connection.ops.adapt_datetimefield_value(value)


def skip_locked() -> str:
    return " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""


def returning_ids(sql: str, params: list[Any]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
