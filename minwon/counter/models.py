"""Tables of the counter: window groups, service categories, windows, tickets and their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minwon.core.models import BaseModel
from minwon.counter.domain import PriorityReason, TicketAction, TicketStatus, WindowKind


class WindowGroup(BaseModel):
    """Windows that share one queue (창구 그룹: 제증명, 여권, 인감 …); its letter prefixes the
    tickets' numbers."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    prefix = models.CharField(_("number prefix"), max_length=2, unique=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.name_ko


class ServiceCategory(BaseModel):
    """What a visitor comes for, as the kiosk lists it; it chooses the window group."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.ForeignKey(WindowGroup, on_delete=models.PROTECT, related_name="categories")
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_easy = models.CharField(_("name (easy Korean)"), max_length=100, blank=True)
    default_service_seconds = models.PositiveIntegerField(default=300)
    is_active = models.BooleanField(default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.name_ko


class Window(BaseModel):
    """One counter window (창구); a 배려창구 has kind `care`."""

    number = models.PositiveSmallIntegerField(_("window number"), unique=True)
    group = models.ForeignKey(WindowGroup, on_delete=models.PROTECT, related_name="windows")
    kind = models.CharField(
        max_length=10, choices=[(k.value, k.value) for k in WindowKind], default=WindowKind.ORDINARY
    )
    is_open = models.BooleanField(default=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The officer who opened it (only they call at it until they close it).",
    )
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"#{self.number}"


class TicketSequence(models.Model):
    """The last number given in a group on a day (numbers start again each day)."""

    group = models.ForeignKey(WindowGroup, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "day"], name="counter_one_sequence_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}@{self.day}:{self.last_number}"


class Ticket(BaseModel):
    """A numbered ticket (번호표). `token` is the unguessable key of its phone page."""

    KIOSK = "kiosk"
    STAFF = "staff"
    API = "api"
    RESERVATION = "reservation"
    CHANNELS = [(c, c) for c in (KIOSK, STAFF, API, RESERVATION)]

    token = models.CharField(max_length=43, unique=True, editable=False)
    group = models.ForeignKey(WindowGroup, on_delete=models.PROTECT, related_name="tickets")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=10)
    priority = models.BooleanField(default=False)
    priority_reason = models.CharField(
        max_length=20, blank=True, choices=[(r.value, r.value) for r in PriorityReason]
    )
    channel = models.CharField(max_length=12, choices=CHANNELS, default=KIOSK)
    status = models.CharField(
        max_length=10,
        choices=[(s.value, s.value) for s in TicketStatus],
        default=TicketStatus.WAITING,
    )
    # Its place in its line: the issue instant, or a checked-in reservation's slot start.
    queued_at = models.DateTimeField()
    issued_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The window calling or serving it (set while `called`, kept after it is finished).
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    # A ticket transferred to one window waits for that window only.
    target_window = models.ForeignKey(
        Window, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recalls = models.PositiveSmallIntegerField(default=0)
    transfers = models.PositiveSmallIntegerField(default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "day", "number"], name="counter_one_number_a_day"
            ),
            # A window calls one ticket at a time.
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(status="called"),
                name="counter_one_called_ticket_per_window",
            ),
            models.CheckConstraint(
                condition=Q(priority=False, priority_reason="") | Q(priority=True),
                name="counter_reason_only_with_priority",
            ),
        ]
        indexes = [
            models.Index(
                fields=["group", "priority", "queued_at", "id"],
                condition=Q(status="waiting"),
                name="counter_waiting_line",
            ),
            models.Index(fields=["category", "finished_at"], name="counter_service_times"),
        ]

    def __str__(self) -> str:
        return self.label


class TicketEvent(models.Model):
    """What happened to a ticket (append-only): the board's calls, the priority run's history,
    and the figures of the statistics."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    group = models.ForeignKey(WindowGroup, on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=[(a.value, a.value) for a in TicketAction])
    priority = models.BooleanField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["group", "action", "-at", "-id"], name="counter_group_calls"),
            models.Index(fields=["-at", "-id"], name="counter_events_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"
