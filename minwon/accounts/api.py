"""JSON API for accounts: who am I, and API keys for integrators (administrators only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from minwon.accounts.access import API_AUTH, ApiPrincipal, SessionPrincipalAuth
from minwon.accounts.domain import Role
from minwon.accounts.models import ApiKey, User
from minwon.accounts.schemas import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    MeOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)
from minwon.accounts.selectors import (
    api_key_get,
    api_key_list,
    org_unit_get_by_code,
    personal_token_list,
    user_has_role,
    user_roles,
)
from minwon.accounts.services import (
    api_key_issue,
    api_key_revoke,
    personal_token_issue,
    personal_token_revoke,
)
from minwon.core.errors import NotFound, PermissionDenied, ValidationFailed
from minwon.core.middleware import idempotency_secret_fields

router = Router(tags=["accounts"], auth=API_AUTH)


def _principal(request: HttpRequest) -> ApiPrincipal:
    principal = request.auth  # type: ignore[attr-defined]
    assert isinstance(principal, ApiPrincipal)
    return principal


def _administrator(request: HttpRequest) -> User:
    user = _principal(request).user
    if user is None or not user.is_officer or not user_has_role(user, Role.ADMINISTRATOR):
        raise PermissionDenied()
    return user


def _key_out(key: ApiKey) -> dict[str, object]:
    return {
        "id": key.pk,
        "name": key.name,
        "prefix": key.prefix,
        "scopes": key.scopes,
        "org_unit": key.org_unit.code if key.org_unit else None,
        "rate_limit_per_minute": key.rate_limit_per_minute,
        "created_at": key.created_at,
        "revoked_at": key.revoked_at,
    }


@router.get("/me", response=MeOut, summary="Who is calling")
def me_api(request: HttpRequest) -> dict[str, object]:
    principal = _principal(request)
    if principal.user is not None:
        user = principal.user
        return {
            "kind": user.kind,
            "username": user.username,
            "name": user.name,
            "org_unit": user.org_unit.code if user.org_unit else None,
            "roles": sorted(r.value for r in user_roles(user)) if user.is_officer else [],
        }
    assert principal.api_key is not None
    return {
        "kind": "integrator",
        "name": principal.api_key.name,
        "scopes": principal.api_key.scopes,
        "org_unit": principal.api_key.org_unit.code if principal.api_key.org_unit else None,
    }


@router.get("/api-keys", response=list[ApiKeyOut], summary="List API keys (administrators)")
def api_key_list_api(request: HttpRequest) -> list[dict[str, object]]:
    _administrator(request)
    return [_key_out(k) for k in api_key_list()]


@router.post("/api-keys", response={201: ApiKeyCreatedOut}, summary="Issue an API key")
def api_key_create_api(request: HttpRequest, payload: ApiKeyIn) -> Status[dict[str, object]]:
    actor = _administrator(request)
    unit = None
    if payload.org_unit_code:
        unit = org_unit_get_by_code(payload.org_unit_code)
        if unit is None:
            raise ValidationFailed(_("There is no org unit with this code."), field="org_unit_code")
    key, raw = api_key_issue(
        actor=actor,
        name=payload.name,
        scopes=payload.scopes,
        org_unit=unit,
        rate_limit_per_minute=payload.rate_limit_per_minute,
    )
    idempotency_secret_fields(request, "key")
    return Status(201, {**_key_out(key), "key": raw})


@router.delete("/api-keys/{key_id}", response={204: None}, summary="Revoke an API key")
def api_key_delete_api(request: HttpRequest, key_id: int) -> Status[None]:
    actor = _administrator(request)
    key = api_key_get(key_id)
    if key is None:
        raise NotFound()
    api_key_revoke(actor=actor, key=key)
    return Status(204, None)


@router.get("/tokens", response=list[TokenOut], summary="My personal tokens")
def token_list_api(request: HttpRequest) -> Any:
    user = _principal(request).user
    if user is None:
        raise PermissionDenied()
    return list(personal_token_list(user=user))


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    auth=[SessionPrincipalAuth()],
    summary="Issue a personal token (from a logged-in session)",
)
def token_create_api(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    user = _principal(request).user
    assert user is not None
    token, raw = personal_token_issue(actor=user, user=user, name=payload.name, days=payload.days)
    idempotency_secret_fields(request, "token")
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke a personal token")
def token_delete_api(request: HttpRequest, token_id: int) -> Status[None]:
    user = _principal(request).user
    token = personal_token_list(user=user).filter(pk=token_id).first() if user else None
    if user is None or token is None:
        raise NotFound()
    personal_token_revoke(actor=user, token=token)
    return Status(204, None)
