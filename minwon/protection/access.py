"""Who may record and read incidents (the same "not found" for missing and forbidden).

An incident names a harmed officer and what was said to them: it is shown to the officer it
happened to, the one who recorded it, the heads of departments over its unit (부서장, who must
act on it: 법 제4조제2항) and the complaint supervisors (민원총괄, the lead department of
영 제4조제2항). The security desk (Role.SECURITY_DESK) over the unit reads the incidents the
panic button made, which it was called to. Other officers of the same unit do not see it.

A panic alarm goes to the security desk over the presser's unit and the nearest department head
over it (the complaint supervisors when no unit above has one): ``panic_recipients``; their open
office pages show it for PANIC_ALARM_MINUTES or until they acknowledge it (``panic_alarms_for``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from minwon.accounts.domain import Role
from minwon.accounts.models import RoleAssignment, User
from minwon.accounts.selectors import role_holders_over
from minwon.core import clock
from minwon.core.errors import NotFound
from minwon.protection.measures import IncidentSource
from minwon.protection.models import Incident, PanicAcknowledgement

# How long an unacknowledged panic alarm keeps sounding on the recipients' open pages.
PANIC_ALARM_MINUTES = 30

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
            role__in=[
                Role.DEPARTMENT_HEAD.value,
                Role.SECURITY_DESK.value,
                *[r.value for r in CITYWIDE_INCIDENT_ROLES],
            ],
        ).select_related("org_unit")
    )
    if any(a.role in {r.value for r in CITYWIDE_INCIDENT_ROLES} for a in assignments):
        return roots
    condition = Q(officer=officer) | Q(recorded_by=officer)
    for assignment in assignments:
        under = Q(org_unit__path__startswith=assignment.org_unit.path)
        if assignment.role == Role.SECURITY_DESK.value:
            under &= Q(source=IncidentSource.PANIC.value)
        condition |= under
    # A correction may move an incident to another officer: anyone named on any entry sees it.
    named = Incident.objects.filter(Q(officer=officer) | Q(recorded_by=officer)).values("root_id")
    return roots.filter(condition | Q(pk__in=named))


def access_incident_for_officer(*, officer: User, incident_id: int) -> Incident:
    """The incident's first entry, if ``officer`` may read it; NotFound otherwise."""
    incident = incidents_visible_to(officer).filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(code="protection.incident_not_found")
    return incident


def panic_recipients(incident: Incident) -> list[int]:
    """Who a panic alarm of ``incident`` goes to: the security desk over its unit and the nearest
    department head over it (else the complaint supervisors); never the one who pressed it."""
    unit = incident.org_unit
    heads = role_holders_over(unit, Role.DEPARTMENT_HEAD, nearest=True) or role_holders_over(
        None, Role.COMPLAINT_SUPERVISOR
    )
    desk = role_holders_over(unit, Role.SECURITY_DESK)
    return [u for u in dict.fromkeys([*desk, *heads]) if u != incident.officer_id]


def panic_alarms_for(officer: User, *, now: datetime | None = None) -> list[Incident]:
    """The panic alarms sounding for ``officer``: panic incidents of the last PANIC_ALARM_MINUTES
    of which they are a recipient and that they have not acknowledged, newest first."""
    if not may_record_incident(officer):
        return []
    now = now or clock.now()
    recent = list(
        Incident.objects.filter(
            source=IncidentSource.PANIC.value,
            root__isnull=True,
            created_at__gte=now - timedelta(minutes=PANIC_ALARM_MINUTES),
        )
        .exclude(officer=officer)
        .select_related("org_unit", "officer")
        .order_by("-created_at", "-id")[:20]
    )
    if not recent:
        return []
    seen = set(
        PanicAcknowledgement.objects.filter(
            user=officer, incident__in=[i.pk for i in recent]
        ).values_list("incident_id", flat=True)
    )
    return [i for i in recent if i.pk not in seen and officer.pk in panic_recipients(i)]


def access_panic_alarm_for_officer(*, officer: User, incident_id: int) -> Incident:
    """A panic incident ``officer`` is a recipient of (to acknowledge it); NotFound otherwise."""
    incident: Incident | None = (
        Incident.objects.filter(
            pk=incident_id, source=IncidentSource.PANIC.value, root__isnull=True
        )
        .select_related("org_unit")
        .first()
    )
    if incident is None or officer.pk not in panic_recipients(incident):
        raise NotFound(code="protection.incident_not_found")
    return incident
