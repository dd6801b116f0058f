"""Cursor pagination for the JSON API: stable under inserts, no OFFSET scans.

The cursor is an opaque, URL-safe token holding the last row's ordering value and primary key.
Lists are ordered by one field plus the primary key as tie-breaker.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
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


MAX_CURSOR_LENGTH = 512
_INT64 = (-(2**63), 2**63 - 1)
_INTEGER_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "ForeignKey",
        "OneToOneField",
    }
)


def _is_int64(value: Any) -> bool:
    return type(value) is int and _INT64[0] <= value <= _INT64[1]


def _kind(queryset: QuerySet[Any], order_field: str) -> str:
    """What a cursor's ordering value must be for `order_field`: datetime, int or str."""
    internal = queryset.model._meta.get_field(order_field).get_internal_type()
    if internal == "DateTimeField":
        return "datetime"
    if internal in _INTEGER_TYPES:
        return "int"
    return "str"


def _check_value(raw: Any, kind: str) -> Any:
    """The ordering value of a decoded cursor, or ValueError when its type or shape is wrong."""
    if raw is None:
        return None
    if kind == "datetime":
        if not (isinstance(raw, dict) and set(raw) == {"dt"} and isinstance(raw["dt"], str)):
            raise ValueError("not a datetime value")
        value = parse_datetime(raw["dt"])
        if value is None or value.tzinfo is None:
            raise ValueError("bad datetime")
        value.astimezone(UTC)  # OverflowError at the edges of the calendar
        return value
    if kind == "int":
        if not _is_int64(raw):
            raise ValueError("not an integer value")
        return raw
    if not isinstance(raw, str) or len(raw) > MAX_CURSOR_LENGTH or "\x00" in raw:
        raise ValueError("not a text value")
    return raw


def _decode(cursor: str, kind: str) -> tuple[Any, int]:
    """[value, pk] from a cursor; anything else (bad base64, not JSON, wrong shape or types,
    integers past 64 bits, a value of another field's type) is a ValidationFailed, never a 500."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("cursor too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        raw_json = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        decoded = json.loads(raw_json)
        if not (isinstance(decoded, list) and len(decoded) == 2):
            raise ValueError("not a [value, key] pair")
        raw, pk = decoded
        if not _is_int64(pk):
            raise ValueError("bad key")
        value = _check_value(raw, kind)
    except (ValueError, TypeError, UnicodeError, OverflowError, RecursionError) as exc:
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
        value, pk = _decode(cursor, _kind(queryset, order_field))
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
