"""What the counter's JSON API takes and gives (kiosks, boards and window terminals of any
vendor use it; docs/counter.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from minwon.counter.models import Ticket, TicketEvent, Window
from minwon.counter.selectors import TicketPlace


class CategoryOut(Schema):
    code: str
    group: str = Field(description="The window group's code")
    name_ko: str
    name_en: str
    name_easy: str = Field(description="The name in easy Korean (쉬운 한국어)")

    @staticmethod
    def of(category: Any) -> dict[str, Any]:
        return {
            "code": category.code,
            "group": category.group.code,
            "name_ko": category.name_ko,
            "name_en": category.name_en,
            "name_easy": category.name_easy,
        }


class TicketIn(Schema):
    category: str = Field(description="A service category's code (GET /counter/categories)")
    priority: bool = Field(False, description="A 사회적 배려대상자, served at a 배려창구 first")
    priority_reason: str = Field(
        "", description="senior, disability, pregnancy_infant, interpretation or other"
    )


class TicketOut(Schema):
    label: str = Field(description="The number on the ticket and the board (A001)")
    status: str = Field(description="waiting, called, served, no_show or cancelled")
    group: str
    category: str
    priority: bool
    issued_at: datetime
    ahead: int | None = Field(description="Tickets called before this one (null: not waiting)")
    open_windows: int
    wait_minutes: int | None = Field(description="Estimated minutes (null: no window open)")
    window: int | None = Field(description="The window calling or serving it")


class IssuedTicketOut(TicketOut):
    id: int
    token: str = Field(description="The key of the ticket's phone page (GET /counter/tickets/…)")


def ticket_out(ticket: Ticket, place: TicketPlace, *, issued: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "label": ticket.label,
        "status": ticket.status,
        "group": ticket.group.code,
        "category": ticket.category.code,
        "priority": ticket.priority,
        "issued_at": ticket.issued_at,
        "ahead": place.ahead,
        "open_windows": place.open_windows,
        "wait_minutes": place.wait_minutes,
        "window": ticket.window.number if ticket.window_id and ticket.window else None,
    }
    if issued:
        body |= {"id": ticket.pk, "token": ticket.token}
    return body


class QueueEntryOut(Schema):
    id: int
    label: str
    priority: bool
    category: str
    queued_at: datetime


class QueueOut(Schema):
    group: str
    priority_run: int = Field(description="Priority tickets called in a row since an ordinary one")
    open_windows: int
    waiting: list[QueueEntryOut] = Field(description="In the order ordinary windows call them")


class CalledOut(Schema):
    id: int
    label: str
    priority: bool
    category: str
    window: int


def called_out(ticket: Ticket, window: Window) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "label": ticket.label,
        "priority": ticket.priority,
        "category": ticket.category.code,
        "window": window.number,
    }


class WindowOut(Schema):
    id: int
    number: int
    group: str
    kind: str = Field(description="ordinary, or care (배려창구)")
    is_open: bool
    current: CalledOut | None = Field(description="The ticket it is calling")


class CallNextOut(Schema):
    ticket: CalledOut | None = Field(description="null: nobody is waiting")


class TicketRef(Schema):
    ticket_id: int


class TransferIn(Schema):
    ticket_id: int
    to_window: int | None = Field(None, description="A window's id (it calls the ticket first)")
    to_group: str | None = Field(None, description="A window group's code")


class BoardCallOut(Schema):
    label: str
    window: int
    priority: bool
    recall: bool
    at: datetime


def board_call_out(event: TicketEvent) -> dict[str, Any]:
    return {
        "label": event.ticket.label,
        "window": event.window.number if event.window else 0,
        "priority": event.priority,
        "recall": event.action == "recall",
        "at": event.at,
    }


class BoardGroupOut(Schema):
    group: str
    name_ko: str
    name_en: str
    waiting: int
    open_windows: int
    wait_minutes: int | None


class BoardOut(Schema):
    calls: list[BoardCallOut] = Field(description="Latest calls first; the first is the newest")
    groups: list[BoardGroupOut]
    rule: str = Field(description="The fairness rule in words, in the request's language")
