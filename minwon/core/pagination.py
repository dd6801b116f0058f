"""Cursor pagination for the JSON API: stable under inserts, no OFFSET scans.

The cursor is an opaque, URL-safe token holding the last row's ordering value and primary key.
Lists are ordered by one field plus the primary key as tie-breaker.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from minwon.core.errors import ValidationFailed

MAX_LIMIT = 200


class Page(Schema):
    items: list[Any]
    next_cursor: str | None


def _encode(value: Any, pk: int) -> str:
    if isinstance(value, datetime):
        value = {"dt": value.isoformat()}
    raw = json.dumps([value, pk], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(cursor: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if isinstance(value, dict) and "dt" in value:
            value = parse_datetime(value["dt"])
            if value is None:
                raise ValueError("bad datetime")
        if not isinstance(pk, int):
            raise ValueError("bad key")
    except (ValueError, TypeError, UnicodeError) as exc:
        raise ValidationFailed(
            _("The cursor is not valid; start again without it."), field="cursor"
        ) from exc
    return value, pk


def paginate(
    queryset: QuerySet[Any], *, order_field: str, descending: bool, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """One page of `queryset` after `cursor`, and the cursor of the next page (None at the end).

    Rows whose order field is empty (NULL) come last, in primary-key order.
    """
    if limit < 1 or limit > MAX_LIMIT:
        raise ValidationFailed(_("The limit must be between 1 and 200."), field="limit")
    field = F(order_field)
    key = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    queryset = queryset.order_by(key, "-pk" if descending else "pk")
    if cursor:
        value, pk = _decode(cursor)
        op = "lt" if descending else "gt"
        if value is None:
            queryset = queryset.filter(**{f"{order_field}__isnull": True, f"pk__{op}": pk})
        else:
            queryset = queryset.filter(
                Q(**{f"{order_field}__{op}": value})
                | Q(**{order_field: value, f"pk__{op}": pk})
                | Q(**{f"{order_field}__isnull": True})
            )
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], _encode(getattr(last, order_field), last.pk)
