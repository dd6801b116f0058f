from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every table has creation and update instants."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """Append-only record of who did what, when, to what, and from where.

    Rows are never updated or deleted: the ORM refuses it here, and a database trigger (migration
    0002) refuses it for raw SQL too. The actor's label is copied so the record outlives the
    account.
    """

    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    org_unit_id = models.BigIntegerField(_("org unit id"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id", "occurred_at"])]
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")


class IdempotencyRecord(models.Model):
    """The stored answer to a POST that carried an Idempotency-Key (see core.middleware).

    Written in the same transaction as the work the request did, so a retry either finds the
    finished answer or does the work itself — never both.
    """

    principal = models.CharField(max_length=80)
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    response_body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"


class ThrottleFailure(models.Model):
    """One failed try that a failure throttle counts (core.domain.ThrottlePolicy): a status
    lookup, a password or a second-factor code; or, for the filing limit (scope `filing`), one
    filing (core.services.throttle_count). `key` is a blind index of what was tried (a
    follow-up number or account name is never kept in clear); `ip` the client's address."""

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "occurred_at"]),
            models.Index(fields=["scope", "ip", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.occurred_at:%Y-%m-%d %H:%M}"
