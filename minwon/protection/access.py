"""Who may record and read incidents (the same "not found" for missing and forbidden).

An incident names a harmed officer and what was said to them: it is shown to the officer it
happened to, the one who recorded it, the heads of departments over its unit (부서장, who must
act on it: 법 제4조제2항) and the complaint supervisors (민원총괄, the lead department of
영 제4조제2항). Other officers of the same unit do not see it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from minwon.accounts.domain import Role
from minwon.accounts.models import RoleAssignment, User
from minwon.core.errors import NotFound
from minwon.protection.models import Incident

# Roles that read every unit's incidents.
CITYWIDE_INCIDENT_ROLES = (Role.COMPLAINT_SUPERVISOR,)


def may_record_incident(officer: User) -> bool:
    """Every officer may record what happened to them (법 제4조제3항: they may demand measures)."""
    return bool(officer.is_authenticated and officer.is_officer and officer.is_active)


def incidents_visible_to(officer: User) -> QuerySet[Incident]:
    """The first entries of the incidents ``officer`` may read."""
    roots = Incident.objects.filter(root__isnull=True)
    if not may_record_incident(officer):
        return roots.none()
    assignments = list(
        RoleAssignment.objects.filter(
            user=officer,
            role__in=[Role.DEPARTMENT_HEAD.value, *[r.value for r in CITYWIDE_INCIDENT_ROLES]],
        ).select_related("org_unit")
    )
    if any(a.role in {r.value for r in CITYWIDE_INCIDENT_ROLES} for a in assignments):
        return roots
    condition = Q(officer=officer) | Q(recorded_by=officer)
    for assignment in assignments:
        condition |= Q(org_unit__path__startswith=assignment.org_unit.path)
    # A correction may move an incident to another officer: anyone named on any entry sees it.
    named = Incident.objects.filter(Q(officer=officer) | Q(recorded_by=officer)).values("root_id")
    return roots.filter(condition | Q(pk__in=named))


def access_incident_for_officer(*, officer: User, incident_id: int) -> Incident:
    """The incident's first entry, if ``officer`` may read it; NotFound otherwise."""
    incident = incidents_visible_to(officer).filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(code="protection.incident_not_found")
    return incident
