from __future__ import annotations

from datetime import datetime

from ninja import Schema

from minwon.accounts.domain import ApiScope


class MeOut(Schema):
    kind: str  # "citizen", "officer" or "integrator"
    username: str | None = None
    name: str | None = None
    org_unit: str | None = None
    roles: list[str] = []
    scopes: list[str] = []


class ApiKeyIn(Schema):
    name: str
    scopes: list[ApiScope]
    org_unit_code: str | None = None
    rate_limit_per_minute: int = 120


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    org_unit: str | None
    rate_limit_per_minute: int
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreatedOut(ApiKeyOut):
    key: str  # shown once


class TokenIn(Schema):
    name: str
    days: int = 90


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str  # shown once; send it as `Authorization: Bearer <token>`
