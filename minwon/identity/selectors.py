"""Reads of the identity context: sessions, the result screen, records."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import user_has_role
from minwon.core import crypto
from minwon.identity.models import VerificationRecord, VerificationSession

RECORD_VIEWERS = (Role.COMPLAINT_SUPERVISOR, Role.ADMINISTRATOR)


def verification_session_get(*, session_id: int) -> VerificationSession | None:
    return (
        VerificationSession.objects.select_related("record", "officer")
        .filter(pk=session_id)
        .first()
    )


def verification_session_get_by_state(*, state: str) -> VerificationSession | None:
    if not state or len(state) > 64:
        return None
    return VerificationSession.objects.filter(state=state).first()


def verification_display(session: VerificationSession, *, now: datetime) -> dict[str, Any] | None:
    """The result screen's fields while the purpose's display time lasts, else None."""
    if not session.display_sealed or session.display_until is None or now >= session.display_until:
        return None
    try:
        value = json.loads(crypto.decrypt(session.display_sealed))
    except (crypto.DecryptionFailed, ValueError):
        return None
    return value if isinstance(value, dict) else None


def verification_record_list_for_officer(
    *, officer: User, limit: int = 100
) -> QuerySet[VerificationRecord]:
    """Supervisors and administrators see every record; other officers their own."""
    records = VerificationRecord.objects.select_related("org_unit")
    if not user_has_role(officer, *RECORD_VIEWERS):
        records = records.filter(officer=officer)
    return records.order_by("-created_at", "-id")[:limit]
