"""Reads of the catalogue and the working calendar."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from importlib import metadata

from django.db.models import Q, QuerySet

from minwon.accounts.models import OrgUnit
from minwon.catalog.domain import calendar_version
from minwon.catalog.models import (
    CalendarChange,
    CalendarVersion,
    ComplaintType,
    ComplaintTypeVersion,
    HolidayOverride,
)
from minwon.core.errors import NotFound
from minwon.lawclock import WorkingCalendar

_HOLIDAYS_VERSION = metadata.version("holidays")


def holidays_package_version() -> str:
    return _HOLIDAYS_VERSION


def complaint_type_list(
    *, kind: str | None = None, active_only: bool = True
) -> QuerySet[ComplaintType]:
    qs = ComplaintType.objects.select_related(
        "current_version", "current_version__handling_org_unit"
    ).order_by("code")
    if active_only:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def complaint_type_get(*, code: str) -> ComplaintType:
    found = complaint_type_list(active_only=False).filter(code=code).first()
    if found is None:
        raise NotFound(code="catalog.type_not_found", field="code")
    return found


def complaint_type_version_list(*, complaint_type: ComplaintType) -> QuerySet[ComplaintTypeVersion]:
    return (
        complaint_type.versions.select_related("handling_org_unit")
        .prefetch_related("consulting_org_units")
        .order_by("version")
    )


def holiday_override_list(*, organisation: OrgUnit | None = None) -> QuerySet[HolidayOverride]:
    condition = Q(organisation__isnull=True)
    if organisation is not None:
        condition |= Q(organisation=organisation)
    return HolidayOverride.objects.filter(condition).order_by("day")


_calendars: dict[str, WorkingCalendar] = {}
_calendars_lock = threading.Lock()


def working_calendar_get(*, organisation: OrgUnit | None = None) -> WorkingCalendar:
    """The organisation's working calendar: Korean public holidays (the `holidays` package) plus its
    declared extra days, minus its removed days. The version names the package version and hashes
    the overrides, and is stored with every deadline. One query; calendars are cached by version."""
    rows: list[tuple[date, str]] = list(
        holiday_override_list(organisation=organisation).values_list("day", "kind")
    )
    overrides = [
        (day.isoformat(), "+" if kind == HolidayOverride.EXTRA else "-") for day, kind in rows
    ]
    version = calendar_version(holidays_version=_HOLIDAYS_VERSION, overrides=overrides)
    with _calendars_lock:
        cached = _calendars.get(version)
        if cached is None:
            cached = WorkingCalendar.default(
                extra_holidays=[d for d, k in rows if k == HolidayOverride.EXTRA],
                removed_holidays=[d for d, k in rows if k == HolidayOverride.REMOVED],
                version=version,
            )
            if len(_calendars) > 16:
                _calendars.clear()
            _calendars[version] = cached
    return cached


@dataclass(frozen=True)
class ResolvedCalendar:
    """The holiday list a calendar version stands for: the `holidays` package release (the
    statutory holidays of 관공서의 공휴일에 관한 규정) and the organisation's overrides."""

    version: str
    holidays_version: str
    overrides: list[dict[str, str]]


def calendar_version_resolve(version: str) -> ResolvedCalendar | None:
    """Which holiday list `version` (as stored on a deadline) was; None for a version this
    deployment never made. A version without overrides names only the package release."""
    prefix = "kr-holidays-"
    if version.startswith(prefix) and "+" not in version:
        return ResolvedCalendar(version, version.removeprefix(prefix), [])
    row = CalendarVersion.objects.filter(version=version).first()
    if row is None:
        return None
    return ResolvedCalendar(row.version, row.holidays_version, list(row.overrides))


def calendar_change_latest() -> CalendarChange | None:
    """The newest working-calendar change and how far re-computing open deadlines has come."""
    return CalendarChange.objects.order_by("-id").first()


def calendar_change_waiting_count() -> int:
    """Calendar changes the open deadlines have not caught up with yet (waiting or running)."""
    return CalendarChange.objects.exclude(status=CalendarChange.DONE).count()
