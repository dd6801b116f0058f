from __future__ import annotations

from typing import Any

from ninja import Schema


class PushIn(Schema):
    items: list[dict[str, Any]]


class OutcomeOut(Schema):
    external_id: str
    result: str
    receipt_number: str = ""
    field: str = ""
    reason: str = ""
