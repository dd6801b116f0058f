"""JSON API of the catalogue (public reads) and its administration (administrators only)."""

from __future__ import annotations

import json
from typing import Any, cast

import pydantic
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import ValidationError
from ninja.responses import Status

from minwon.accounts.access import OfficerSessionAuth, OfficerTokenAuth
from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import user_has_role
from minwon.catalog import selectors, services
from minwon.catalog.models import HolidayOverride
from minwon.catalog.schemas import (
    CalendarOut,
    CalendarVersionOut,
    HolidayIn,
    HolidayOut,
    ImportIn,
    ImportReportOut,
    TypeIn,
    TypeOut,
    TypeVersionOut,
)
from minwon.catalog.selectors import ResolvedCalendar
from minwon.core.errors import NotFound, PermissionDenied, ValidationFailed


def _administrator(officer: User | None) -> User | None:
    if officer is None:
        return None
    if not user_has_role(officer, Role.ADMINISTRATOR):
        raise PermissionDenied(code="catalog.administrator_only")
    return officer


class AdministratorSession(OfficerSessionAuth):
    """An officer with the administrator role who passed the second factor (CSRF checked)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return _administrator(super().authenticate(request, key))


class AdministratorToken(OfficerTokenAuth):
    """An administrator's personal bearer token (issued after the second factor)."""

    def __call__(self, request: HttpRequest) -> User | None:
        return _administrator(super().__call__(request))


router = Router(tags=["catalogue"])
admin = [AdministratorToken(), AdministratorSession()]


def _admin(request: HttpRequest) -> User:
    return cast(User, request.auth)  # type: ignore[attr-defined]


@router.get("/types", response=list[TypeOut], auth=None)
def complaint_type_list_api(request: HttpRequest, kind: str = "") -> list[dict[str, Any]]:
    """The 민원사무편람: every active complaint type with its current version."""
    return [TypeOut.of(t) for t in selectors.complaint_type_list(kind=kind or None)]


@router.get("/types/{code}", response=TypeOut, auth=None)
def complaint_type_get_api(request: HttpRequest, code: str) -> dict[str, Any]:
    return TypeOut.of(selectors.complaint_type_get(code=code))


@router.get("/types/{code}/versions", response=list[TypeVersionOut], auth=None)
def complaint_type_versions_api(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    complaint_type = selectors.complaint_type_get(code=code)
    versions = selectors.complaint_type_version_list(complaint_type=complaint_type)
    return [TypeVersionOut.of(v) for v in versions]


@router.post("/types", response={201: TypeOut}, auth=admin)
def complaint_type_create_api(request: HttpRequest, payload: TypeIn) -> Status[dict[str, Any]]:
    created = services.complaint_type_create(actor=_admin(request), data=payload.to_data())
    return Status(201, TypeOut.of(selectors.complaint_type_get(code=created.code)))


@router.put("/types/{code}", response=TypeOut, auth=admin)
def complaint_type_update_api(request: HttpRequest, code: str, payload: TypeIn) -> dict[str, Any]:
    """A change makes a new version; complaints keep the version they were registered under."""
    complaint_type = selectors.complaint_type_get(code=code)
    services.complaint_type_update(
        actor=_admin(request), complaint_type=complaint_type, data=payload.to_data()
    )
    return TypeOut.of(selectors.complaint_type_get(code=code))


# The import takes JSON (`csv` text) or a file upload (multipart `file`: CSV or XLSX, recognised by
# content), so the body is read here and both forms are documented by hand.
IMPORT_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ImportIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "UTF-8 CSV or an XLSX workbook (its first sheet)",
                        },
                        "dry_run": {"type": "boolean", "default": False},
                    },
                }
            },
        },
    }
}
_TRUE_FORM_VALUES = {"1", "true", "on", "yes", "y"}


@router.post("/import", response=ImportReportOut, auth=admin, openapi_extra=IMPORT_OPENAPI)
def catalog_import_api(request: HttpRequest) -> dict[str, Any]:
    """Import a city's 편람 from CSV or XLSX; nothing is written unless every row is valid.

    Send JSON `{"csv": "...", "dry_run": false}` or upload `file` (multipart). A file that is not a
    readable workbook or UTF-8 text is a 400 (`catalog.invalid_xlsx`, `catalog.invalid_file`)."""
    actor = _admin(request)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(
                _("Choose a CSV or XLSX file."), code="catalog.file_required", field="file"
            )
        report = services.catalog_import_file(
            actor=actor,
            data=upload.read(services.MAX_IMPORT_BYTES + 1),
            dry_run=request.POST.get("dry_run", "").strip().lower() in _TRUE_FORM_VALUES,
        )
    else:
        try:
            payload = ImportIn.model_validate_json(request.body or b"{}")
        except pydantic.ValidationError as exc:
            raise ValidationError(json.loads(exc.json(include_url=False))) from exc
        report = services.catalog_import_csv(actor=actor, text=payload.csv, dry_run=payload.dry_run)
    return report.as_dict()


@router.get("/calendar", response=CalendarOut, auth=None)
def calendar_get_api(request: HttpRequest) -> dict[str, Any]:
    """The working calendar's version and the organisation's holiday overrides."""
    return {
        "version": selectors.working_calendar_get().version,
        "holidays": list(selectors.holiday_override_list()),
        "recompute": selectors.calendar_change_latest(),
        "recompute_waiting": selectors.calendar_change_waiting_count(),
    }


@router.get("/calendar/versions/{version}", response=CalendarVersionOut, auth=None)
def calendar_version_get_api(request: HttpRequest, version: str) -> ResolvedCalendar:
    """The holiday list a calendar version stands for, as stored with a deadline
    (`calendar_version`); 404 for a version this deployment never made."""
    resolved = selectors.calendar_version_resolve(version)
    if resolved is None:
        raise NotFound(code="catalog.calendar_version_not_found")
    return resolved


@router.post("/calendar/holidays", response={201: HolidayOut}, auth=admin)
def holiday_declare_api(request: HttpRequest, payload: HolidayIn) -> Status[HolidayOverride]:
    """Declare a 임시공휴일 (or remove a holiday). Open deadlines are re-computed by a background
    job within a minute; `GET /catalog/calendar` shows its progress (`recompute`)."""
    override = services.holiday_declare(
        actor=_admin(request),
        day=payload.day,
        name=payload.name,
        kind=payload.kind,
        source=payload.source,
    )
    return Status(201, override)


@router.delete("/calendar/holidays/{override_id}", response={204: None}, auth=admin)
def holiday_remove_api(request: HttpRequest, override_id: int) -> Status[None]:
    services.holiday_remove(actor=_admin(request), override_id=override_id)
    return Status(204, None)
