from __future__ import annotations

import hashlib
from datetime import datetime

from django.db.models import Q, QuerySet

from minwon.accounts.domain import CITYWIDE_ROLES, Role
from minwon.accounts.models import (
    ApiKey,
    IdentityCheck,
    OrgUnit,
    PersonalToken,
    RoleAssignment,
    User,
)


def org_unit_list() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(is_active=True).select_related("parent").order_by("path")


def org_unit_subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit and everything under it."""
    return OrgUnit.objects.filter(path__startswith=unit.path)


def role_holders_over(unit: OrgUnit | None, role: Role, *, nearest: bool = False) -> list[int]:
    """Users holding ``role`` over ``unit`` (on the unit itself or a unit above it); every holder
    of the role when ``unit`` is None. ``nearest``: only those of the closest level that has any
    (a team's complaint goes to its 과's head, not also to the 국's)."""
    rows = list(
        RoleAssignment.objects.filter(role=role.value)
        .select_related("org_unit")
        .values_list("user_id", "org_unit__path")
    )
    if unit is not None:
        rows = [(user_id, path) for user_id, path in rows if unit.path.startswith(path)]
    if nearest and rows:
        deepest = max(len(path) for _user, path in rows)
        rows = [(user_id, path) for user_id, path in rows if len(path) == deepest]
    return sorted({user_id for user_id, _path in rows})


def user_roles(user: User) -> set[Role]:
    return {
        Role(r) for r in RoleAssignment.objects.filter(user=user).values_list("role", flat=True)
    }


def user_has_role(user: User, *roles: Role) -> bool:
    return RoleAssignment.objects.filter(user=user, role__in=[r.value for r in roles]).exists()


def org_units_visible_to(user: User) -> QuerySet[OrgUnit] | None:
    """Org units whose cases the officer may see; None means every unit (citywide role)."""
    assignments = list(RoleAssignment.objects.filter(user=user).select_related("org_unit"))
    if any(Role(a.role) in CITYWIDE_ROLES for a in assignments):
        return None
    condition = Q(pk__in=[])
    for assignment in assignments:
        condition |= Q(path__startswith=assignment.org_unit.path)
    if user.org_unit_id is not None and user.org_unit is not None:
        condition |= Q(path__startswith=user.org_unit.path)
    return OrgUnit.objects.filter(condition)


def api_key_get_active(raw_key: str) -> ApiKey | None:
    """The unrevoked key matching `raw_key`, or None."""
    if not raw_key:
        return None
    digest = hashlib.sha256(raw_key.encode("utf-8")).hexdigest()
    return (
        ApiKey.objects.filter(key_hash=digest, revoked_at__isnull=True)
        .select_related("org_unit")
        .first()
    )


def api_key_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("org_unit").order_by("pk")


def api_key_get(key_id: int) -> ApiKey | None:
    return ApiKey.objects.filter(pk=key_id).first()


def org_unit_get_by_code(code: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(code=code).first()


def personal_token_get_active(raw: str, *, now: datetime) -> PersonalToken | None:
    if not raw:
        return None
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return (
        PersonalToken.objects.filter(
            key_hash=digest, revoked_at__isnull=True, expires_at__gt=now, user__is_active=True
        )
        .select_related("user", "user__org_unit")
        .first()
    )


def personal_token_list(*, user: User) -> QuerySet[PersonalToken]:
    return PersonalToken.objects.filter(user=user).order_by("-pk")


def identity_check_latest(*, user: User) -> IdentityCheck | None:
    """The citizen's latest 본인확인 (the fact, the provider, the time), if any."""
    return IdentityCheck.objects.filter(user=user).order_by("-verified_at").first()
