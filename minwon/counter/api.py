"""The counter's JSON API (/api/v1/counter/): kiosks, display boards and window terminals.

Who may call what: the categories, the board and one ticket by its token are public (no personal
data: numbers, windows, estimates; the token is 32 random characters). Issuing a ticket and
reading a queue take an officer (session after the second factor, or a personal token) or an
integrator's key with the `counter` scope (another vendor's kiosk or board). Windows are run by
counter officers only; anyone else gets the same 404 as for a window that does not exist. A
POST with `Idempotency-Key` is answered once and replayed after (a retried "call next" never
calls twice).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from minwon.accounts.access import (
    OFFICER_AUTH,
    ApiKeyAuth,
    ApiPrincipal,
    OfficerSessionAuth,
    OfficerTokenAuth,
)
from minwon.accounts.domain import ApiScope
from minwon.accounts.models import User
from minwon.core.errors import NotFound, PermissionDenied, ValidationFailed
from minwon.counter import selectors, services
from minwon.counter.access import may_run_windows
from minwon.counter.domain import CARE_RUN_LIMIT, PRIORITY_RUN_LIMIT
from minwon.counter.models import Ticket
from minwon.counter.schemas import (
    BoardOut,
    CallNextOut,
    CategoryOut,
    IssuedTicketOut,
    QueueOut,
    TicketIn,
    TicketOut,
    TicketRef,
    TransferIn,
    WindowOut,
    board_call_out,
    called_out,
    ticket_out,
)

# Credentials the request carries first, the session last (accounts.access).
router = Router(tags=["counter"], auth=[OfficerTokenAuth(), ApiKeyAuth(), OfficerSessionAuth()])


def _officer(request: HttpRequest) -> User:
    """A counter officer, or the same 404 as a missing window for anyone else."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or not may_run_windows(user):
        raise NotFound()
    return user


def _desk(request: HttpRequest) -> tuple[User | None, str]:
    """An officer, or an integrator's key with the `counter` scope: (officer, audit label)."""
    principal = request.auth  # type: ignore[attr-defined]
    if isinstance(principal, User):
        return principal, ""
    if isinstance(principal, ApiPrincipal) and principal.has_scope(ApiScope.COUNTER):
        assert principal.api_key is not None
        return None, f"api_key:{principal.api_key.pk}"
    raise PermissionDenied()


def rule_in_words() -> str:
    return _(
        "People who need consideration (seniors, people with disabilities, pregnant women and"
        " parents with infants, visitors who need an interpreter) are called first. After"
        " %(limit)s priority numbers in a row, the next ordinary number is called; a priority"
        " window calls at most %(care)s in a row."
    ) % {"limit": PRIORITY_RUN_LIMIT, "care": CARE_RUN_LIMIT}


@router.get(
    "/categories",
    response=list[CategoryOut],
    auth=None,
    summary="Services a ticket can be issued for",
    operation_id="counter_category_list_api",
)
def category_list_api(request: HttpRequest) -> Any:
    return [CategoryOut.of(c) for c in selectors.service_category_list()]


@router.post(
    "/tickets",
    response={201: IssuedTicketOut},
    summary="Issue a ticket (a kiosk, or the desk)",
    operation_id="counter_ticket_issue_api",
)
def ticket_issue_api(request: HttpRequest, payload: TicketIn) -> Status[Any]:
    officer, label = _desk(request)
    ticket = services.ticket_issue(
        category_code=payload.category,
        priority=payload.priority,
        priority_reason=payload.priority_reason,
        channel=Ticket.STAFF if officer else Ticket.API,
        actor=officer,
        actor_label=label,
    )
    ticket = selectors.ticket_get(ticket_id=ticket.pk) or ticket
    return Status(201, ticket_out(ticket, selectors.ticket_place(ticket=ticket), issued=True))


@router.get(
    "/tickets/{token}",
    response=TicketOut,
    auth=None,
    summary="One ticket by its token (the phone page's data)",
    operation_id="counter_ticket_get_api",
)
def ticket_get_api(request: HttpRequest, token: str) -> Any:
    ticket = selectors.ticket_get_by_token(token=token)
    if ticket is None:
        raise NotFound()
    return ticket_out(ticket, selectors.ticket_place(ticket=ticket))


@router.get(
    "/queue",
    response=QueueOut,
    summary="A group's waiting tickets in call order",
    operation_id="counter_queue_api",
)
def queue_api(request: HttpRequest, group: str = "") -> Any:
    _desk(request)
    found = selectors.window_group_get(code=group)
    if found is None:
        raise ValidationFailed(_("There is no such window group."), field="group")
    return {
        "group": found.code,
        "priority_run": selectors.group_priority_run(group_id=found.pk),
        "open_windows": selectors.open_window_count(group_id=found.pk),
        "waiting": [
            {
                "id": t.pk,
                "label": t.label,
                "priority": t.priority,
                "category": t.category.code,
                "queued_at": t.queued_at,
            }
            for t in selectors.group_queue(group_id=found.pk)
        ],
    }


@router.get(
    "/board",
    response=BoardOut,
    auth=None,
    summary="What the display board shows",
    operation_id="counter_board_api",
)
def board_api(request: HttpRequest) -> Any:
    return {
        "calls": [board_call_out(e) for e in selectors.latest_calls()],
        "groups": [vars(g) for g in selectors.board_groups()],
        "rule": rule_in_words(),
    }


@router.get(
    "/windows",
    response=list[WindowOut],
    summary="The windows, open or closed, and what each is calling",
    operation_id="counter_window_list_api",
    auth=OFFICER_AUTH,
)
def window_list_api(request: HttpRequest) -> Any:
    _officer(request)
    current = selectors.called_by_window()
    return [
        {
            "id": w.pk,
            "number": w.number,
            "group": w.group.code,
            "kind": w.kind,
            "is_open": w.is_open,
            "current": called_out(current[w.pk], w) if w.pk in current else None,
        }
        for w in selectors.window_list()
    ]


def _window_out(window_id: int) -> dict[str, Any]:
    window = selectors.window_get(window_id=window_id)
    assert window is not None
    current = selectors.window_current_ticket(window_id=window_id)
    return {
        "id": window.pk,
        "number": window.number,
        "group": window.group.code,
        "kind": window.kind,
        "is_open": window.is_open,
        "current": called_out(current, window) if current else None,
    }


@router.post(
    "/windows/{window_id}/open",
    response=WindowOut,
    summary="Open a window",
    operation_id="counter_window_open_api",
    auth=OFFICER_AUTH,
)
def window_open_api(request: HttpRequest, window_id: int) -> Any:
    services.window_open(officer=_officer(request), window_id=window_id)
    return _window_out(window_id)


@router.post(
    "/windows/{window_id}/close",
    response=WindowOut,
    summary="Close a window",
    operation_id="counter_window_close_api",
    auth=OFFICER_AUTH,
)
def window_close_api(request: HttpRequest, window_id: int) -> Any:
    services.window_close(officer=_officer(request), window_id=window_id)
    return _window_out(window_id)


@router.post(
    "/windows/{window_id}/call-next",
    response=CallNextOut,
    summary="Call the next ticket by the fairness rule",
    operation_id="counter_window_call_next_api",
    auth=OFFICER_AUTH,
)
def window_call_next_api(request: HttpRequest, window_id: int) -> Any:
    ticket = services.window_call_next(officer=_officer(request), window_id=window_id)
    if ticket is None:
        return {"ticket": None}
    window = selectors.window_get(window_id=window_id)
    assert window is not None
    return {"ticket": called_out(ticket, window)}


@router.post(
    "/windows/{window_id}/recall",
    response=WindowOut,
    summary="Call the window's ticket again",
    operation_id="counter_window_recall_api",
    auth=OFFICER_AUTH,
)
def window_recall_api(request: HttpRequest, window_id: int, payload: TicketRef) -> Any:
    services.window_recall(
        officer=_officer(request), window_id=window_id, ticket_id=payload.ticket_id
    )
    return _window_out(window_id)


@router.post(
    "/windows/{window_id}/served",
    response=WindowOut,
    summary="Mark the window's ticket served",
    operation_id="counter_ticket_served_api",
    auth=OFFICER_AUTH,
)
def ticket_served_api(request: HttpRequest, window_id: int, payload: TicketRef) -> Any:
    services.ticket_serve(
        officer=_officer(request), window_id=window_id, ticket_id=payload.ticket_id
    )
    return _window_out(window_id)


@router.post(
    "/windows/{window_id}/no-show",
    response=WindowOut,
    summary="Mark the window's ticket no-show",
    operation_id="counter_ticket_no_show_api",
    auth=OFFICER_AUTH,
)
def ticket_no_show_api(request: HttpRequest, window_id: int, payload: TicketRef) -> Any:
    services.ticket_no_show(
        officer=_officer(request), window_id=window_id, ticket_id=payload.ticket_id
    )
    return _window_out(window_id)


@router.post(
    "/windows/{window_id}/transfer",
    response=WindowOut,
    summary="Transfer the window's ticket to another window or group",
    operation_id="counter_ticket_transfer_api",
    auth=OFFICER_AUTH,
)
def ticket_transfer_api(request: HttpRequest, window_id: int, payload: TransferIn) -> Any:
    services.ticket_transfer(
        officer=_officer(request),
        window_id=window_id,
        ticket_id=payload.ticket_id,
        to_window_id=payload.to_window,
        to_group_code=payload.to_group,
    )
    return _window_out(window_id)
