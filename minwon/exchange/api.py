"""Push endpoint for the national systems: POST /api/v1/exchange/{agency}/complaints."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router

from minwon.accounts.access import ApiKeyAuth, ApiPrincipal
from minwon.accounts.domain import ApiScope
from minwon.core.errors import NotFound, PermissionDenied, ValidationFailed
from minwon.exchange.domain import Agency
from minwon.exchange.schemas import OutcomeOut, PushIn
from minwon.exchange.services import exchange_import

router = Router(tags=["exchange"], auth=[ApiKeyAuth()])
MAX_PUSH = 500


@router.post(
    "/{agency}/complaints",
    response=list[OutcomeOut],
    summary="Push complaints from 국민신문고 or 정부24",
)
def exchange_push_api(request: HttpRequest, agency: str, payload: PushIn) -> list[dict[str, str]]:
    principal = request.auth  # type: ignore[attr-defined]
    assert isinstance(principal, ApiPrincipal)
    if not principal.has_scope(ApiScope.EXCHANGE):
        raise PermissionDenied()
    if agency not in {a.value for a in Agency}:
        raise NotFound(_("No such national system."), field="agency")
    if len(payload.items) > MAX_PUSH:
        raise ValidationFailed(_("At most 500 items a request."), field="items")
    outcomes = [exchange_import(agency=Agency(agency), item=item) for item in payload.items]
    return [o.__dict__ for o in outcomes]
