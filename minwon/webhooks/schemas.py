from __future__ import annotations

from datetime import datetime

from ninja import Schema


class SubscriptionIn(Schema):
    url: str
    events: list[str]


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    is_active: bool
    created_at: datetime


class SubscriptionCreatedOut(SubscriptionOut):
    secret: str  # shown once: verify X-Minwon-Signature with it


class DeliveryOut(Schema):
    id: int
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime
