"""Who may check identities, and whose sessions an officer sees (the same "not found" for missing
and forbidden)."""

from __future__ import annotations

from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import user_has_role
from minwon.core.errors import NotFound
from minwon.identity.models import VerificationSession
from minwon.identity.selectors import verification_session_get

# Officers who serve citizens face to face (or supervise those who do).
VERIFIER_ROLES = (
    Role.COUNTER_OFFICER,
    Role.DEPARTMENT_OFFICER,
    Role.WELFARE_OFFICER,
    Role.COMPLAINT_SUPERVISOR,
)


def may_verify(officer: User) -> bool:
    return officer.is_officer and officer.is_active and user_has_role(officer, *VERIFIER_ROLES)


def access_verification_session_for_officer(
    *, officer: User, session_id: int
) -> VerificationSession:
    """Only the officer who started a session sees it (its result is on that officer's tablet)."""
    session = verification_session_get(session_id=session_id)
    if session is None or session.officer_id != officer.pk or not may_verify(officer):
        raise NotFound
    return session
