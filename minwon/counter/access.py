"""Who may run the counter's windows and set it up."""

from __future__ import annotations

from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import user_has_role

# Officers who call tickets at a window (and the 민원총괄 who stands in for them).
WINDOW_ROLES = (Role.COUNTER_OFFICER, Role.COMPLAINT_SUPERVISOR)
# … and who set up groups, categories and windows.
SETUP_ROLES = (Role.COMPLAINT_SUPERVISOR, Role.ADMINISTRATOR)


def may_run_windows(user: User | None) -> bool:
    return (
        user is not None
        and user.is_officer
        and user.is_active
        and user_has_role(user, *WINDOW_ROLES)
    )


def may_set_up_counter(user: User | None) -> bool:
    return (
        user is not None
        and user.is_officer
        and user.is_active
        and user_has_role(user, *SETUP_ROLES)
    )
