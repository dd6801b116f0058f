"""Writes of the catalogue and the working calendar: one transaction and one audit row each."""

from __future__ import annotations

import csv
import io
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import openpyxl
from django.db import transaction
from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import OrgUnit, User
from minwon.catalog import selectors
from minwon.catalog.domain import (
    REQUIRED_HEADERS,
    Problem,
    TypeData,
    canonical_header,
    normalize_period,
    type_data_from_row,
    validate_type_data,
)
from minwon.catalog.models import (
    CalendarChange,
    CalendarVersion,
    ComplaintType,
    ComplaintTypeVersion,
    HolidayOverride,
)
from minwon.core import clock, jobs
from minwon.core.errors import Conflict, NotFound, ValidationFailed
from minwon.core.services import audit_record

PROBLEM_MESSAGES: dict[str, str | Promise] = {
    "catalog.invalid_code": _("The code may use lower-case letters, digits and hyphens."),
    "catalog.name_required": _("The Korean name is required."),
    "catalog.invalid_period": _("The processing period is not valid (e.g. 즉시, 5일, 7d, 1m)."),
    "catalog.invalid_kind": _("The complaint kind is not valid."),
    "catalog.invalid_stage": _("Unknown stage: use receipt, transit, consult or decision."),
    "catalog.invalid_fee": _("The fee must be a whole number of won."),
    "catalog.invalid_channel": _("Unknown application channel."),
    "catalog.invalid_url": _("The form address must start with https:// or http://."),
    "catalog.invalid_aliases": _(
        "Give at most 30 search words, each at most 50 characters, separated by semicolons."
    ),
    "catalog.invalid_boolean": _("Write y or n."),
    "catalog.unknown_org_unit": _("No org unit has this code."),
    "catalog.duplicate_code": _("This code appears twice in the file."),
    "catalog.missing_header": _("A required column is missing."),
    "catalog.kind_changed": _("The kind of an existing type cannot change."),
    "catalog.too_long": _("The value is longer than this field allows."),
    "catalog.cell_too_long": _("The cell is too long (at most 2,000 characters)."),
    "catalog.invalid_character": _("The cell holds a NUL character."),
    "catalog.formula": _(
        "The cell starts like a spreadsheet formula (=, +, - or @); remove that sign."
    ),
}


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        first = problems[0]
        raise ValidationFailed(
            PROBLEM_MESSAGES.get(first.code, _("The input is not valid.")),
            code=first.code,
            field=first.field,
        )


def _resolve_units(data: TypeData) -> tuple[OrgUnit | None, list[OrgUnit], list[Problem]]:
    problems: list[Problem] = []
    codes = [data.handling_unit_code, *data.consulting_unit_codes]
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[c for c in codes if c])}
    handling = None
    if data.handling_unit_code:
        handling = units.get(data.handling_unit_code)
        if handling is None:
            problems.append(
                Problem("handling_unit", "catalog.unknown_org_unit", data.handling_unit_code)
            )
    consulting = []
    for code in data.consulting_unit_codes:
        if code not in units:
            problems.append(Problem("consulting_units", "catalog.unknown_org_unit", code))
        else:
            consulting.append(units[code])
    return handling, consulting, problems


def _version_snapshot(version: ComplaintTypeVersion) -> dict[str, object]:
    return TypeData(
        code=version.complaint_type.code,
        name_ko=version.name_ko,
        processing_period=version.processing_period,
        name_en=version.name_en,
        category=version.category,
        stage_periods=dict(version.stage_periods),
        required_documents=list(version.required_documents),
        fee_krw=version.fee_krw,
        fee_note=version.fee_note,
        legal_basis=version.legal_basis,
        handling_unit_code=version.handling_org_unit.code if version.handling_org_unit else "",
        consulting_unit_codes=[u.code for u in version.consulting_org_units.all()],
        form_name=version.form_name,
        form_url=version.form_url,
        requires_rrn=version.requires_rrn,
        application_channels=list(version.application_channels),
        source=version.source,
        aliases=list(version.aliases),
    ).version_fields()


def _new_version(
    *,
    complaint_type: ComplaintType,
    data: TypeData,
    handling: OrgUnit | None,
    consulting: list[OrgUnit],
    actor: User | None,
) -> ComplaintTypeVersion:
    last = complaint_type.current_version.version if complaint_type.current_version else 0
    version = ComplaintTypeVersion(
        complaint_type=complaint_type,
        version=last + 1,
        name_ko=data.name_ko.strip(),
        name_en=data.name_en.strip(),
        category=data.category,
        processing_period=normalize_period(data.processing_period) or data.processing_period,
        stage_periods={k: normalize_period(v) or v for k, v in data.stage_periods.items() if v},
        required_documents=data.required_documents,
        fee_krw=data.fee_krw,
        fee_note=data.fee_note,
        legal_basis=data.legal_basis,
        handling_org_unit=handling,
        form_name=data.form_name,
        form_url=data.form_url,
        requires_rrn=data.requires_rrn,
        application_channels=data.application_channels,
        source=data.source,
        aliases=data.aliases,
        created_by_id=actor.pk if actor is not None else None,
    )
    version.full_clean(exclude=["complaint_type"])
    version.save()
    version.consulting_org_units.set(consulting)
    complaint_type.current_version = version
    complaint_type.save(update_fields=["current_version", "updated_at"])
    return version


@transaction.atomic
def complaint_type_create(*, actor: User | None, data: TypeData) -> ComplaintType:
    _raise_first(validate_type_data(data))
    handling, consulting, problems = _resolve_units(data)
    _raise_first(problems)
    if ComplaintType.objects.filter(code=data.code).exists():
        raise Conflict(
            _("A complaint type with this code already exists."),
            code="catalog.duplicate_code",
            field="code",
        )
    complaint_type = ComplaintType.objects.create(code=data.code, kind=data.kind.value)
    version = _new_version(
        complaint_type=complaint_type,
        data=data,
        handling=handling,
        consulting=consulting,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="catalog.type_created",
        target=complaint_type,
        data={"version": version.version, "period": version.processing_period},
    )
    return complaint_type


@transaction.atomic
def complaint_type_update(
    *, actor: User | None, complaint_type: ComplaintType, data: TypeData
) -> ComplaintTypeVersion:
    """A new version when anything changed; the current version when nothing did."""
    locked = (
        ComplaintType.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=complaint_type.pk)
    )
    data.code = locked.code
    if data.kind.value != locked.kind:
        raise ValidationFailed(
            PROBLEM_MESSAGES["catalog.kind_changed"], code="catalog.kind_changed", field="kind"
        )
    _raise_first(validate_type_data(data))
    handling, consulting, problems = _resolve_units(data)
    _raise_first(problems)
    current = locked.current_version
    if current is not None and _version_snapshot(current) == data.version_fields():
        return current
    version = _new_version(
        complaint_type=locked, data=data, handling=handling, consulting=consulting, actor=actor
    )
    audit_record(
        actor=actor,
        action="catalog.type_updated",
        target=locked,
        data={"version": version.version, "period": version.processing_period},
    )
    complaint_type.current_version = version
    return version


@transaction.atomic
def complaint_type_set_active(
    *, actor: User | None, complaint_type: ComplaintType, is_active: bool
) -> ComplaintType:
    complaint_type.is_active = is_active
    complaint_type.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="catalog.type_activated" if is_active else "catalog.type_deactivated",
        target=complaint_type,
    )
    return complaint_type


# --- CSV and XLSX import --------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    code: str
    message: str
    value: str = ""


@dataclass
class CatalogImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problems": [p.__dict__ for p in self.problems],
        }


def _problem(line: int, problem: Problem) -> RowProblem:
    message = str(PROBLEM_MESSAGES.get(problem.code, _("The input is not valid.")))
    return RowProblem(line, problem.field, problem.code, message, problem.detail)


def catalog_import_csv(
    *, actor: User | None, text: str, dry_run: bool = False
) -> CatalogImportReport:
    """Import a city's 민원사무편람 from CSV (UTF-8; English or Korean headers, see
    domain.HEADER_ALIASES).

    Every row is checked first; when any row has a problem nothing is written and the report lists
    every problem with its line. A row for an existing code makes a new version only if it differs.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        headers = list(reader.fieldnames or [])
        rows = list(enumerate(reader, start=2))
    except csv.Error as exc:  # a cell past the csv module's limit, broken quoting, NUL
        raise ValidationFailed(
            _("The CSV text cannot be read (a cell is far too long or the quoting is broken)."),
            code="catalog.invalid_file",
            field="file",
        ) from exc
    return _catalog_import_rows(actor=actor, headers=headers, rows=rows, dry_run=dry_run)


# An XLSX file is a ZIP archive; read at most this much, and refuse archives that unpack to more.
XLSX_MAGIC = b"PK\x03\x04"
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024


def catalog_import_xlsx(
    *, actor: User | None, data: bytes, dry_run: bool = False
) -> CatalogImportReport:
    """Import the 편람 from the first sheet of an Excel workbook: row 1 holds the headers (English
    or Korean, as in CSV), each further row one complaint type; the same checks, report and
    all-or-nothing rule as `catalog_import_csv`. A file that is not a readable workbook is a
    ValidationFailed `catalog.invalid_xlsx`."""
    headers, rows = _xlsx_rows(data)
    return _catalog_import_rows(actor=actor, headers=headers, rows=rows, dry_run=dry_run)


def catalog_import_file(
    *, actor: User | None, data: bytes, dry_run: bool = False
) -> CatalogImportReport:
    """Import an uploaded file, recognised by its content: an XLSX workbook (a ZIP archive) or
    UTF-8 CSV text."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationFailed(
            _("The file is larger than 10 MB."), code="catalog.file_too_large", field="file"
        )
    if data.startswith(XLSX_MAGIC):
        return catalog_import_xlsx(actor=actor, data=data, dry_run=dry_run)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            _("The file is neither UTF-8 CSV nor an Excel workbook (.xlsx)."),
            code="catalog.invalid_file",
            field="file",
        ) from None
    return catalog_import_csv(actor=actor, text=text, dry_run=dry_run)


def _invalid_xlsx() -> ValidationFailed:
    return ValidationFailed(
        _("The file is not a readable Excel workbook (.xlsx)."),
        code="catalog.invalid_xlsx",
        field="file",
    )


def _cell_text(value: object) -> str:
    """A cell as the CSV would have it: numbers without '.0', dates as ISO, booleans as y/n."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "y" if value else "n"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


RawRow = dict[str | None, str | None]


def _xlsx_rows(data: bytes) -> tuple[list[str], list[tuple[int, RawRow]]]:
    """The first sheet's header row and the further rows with their sheet row numbers."""
    if not data.startswith(XLSX_MAGIC):
        raise _invalid_xlsx()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _invalid_xlsx() from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _invalid_xlsx()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            values = sheet.iter_rows(values_only=True)
            headers = [_cell_text(v).strip() for v in next(values, None) or ()]
            rows: list[tuple[int, RawRow]] = []
            for line, cells in enumerate(values, start=2):
                raw: RawRow = {}
                for index, cell in enumerate(cells):
                    if index < len(headers) and headers[index]:
                        raw[headers[index]] = _cell_text(cell)
                rows.append((line, raw))
        finally:
            workbook.close()
    except Exception:  # any failure to read an untrusted workbook is "not a readable workbook"
        raise _invalid_xlsx() from None
    return [h for h in headers if h], rows


def _catalog_import_rows(
    *,
    actor: User | None,
    headers: list[str],
    rows: Iterable[tuple[int, RawRow]],
    dry_run: bool,
) -> CatalogImportReport:
    """The import of a table (CSV or XLSX): header names, then each row with its line number."""
    report = CatalogImportReport(dry_run=dry_run)
    canonical = [canonical_header(h) for h in headers]
    for missing in sorted(REQUIRED_HEADERS - set(canonical)):
        report.problems.append(_problem(1, Problem(missing, "catalog.missing_header", missing)))
    if report.problems:
        return report
    parsed: list[tuple[int, TypeData]] = []
    seen: set[str] = set()
    for line, raw in rows:
        row = {canonical_header(k): v or "" for k, v in raw.items() if k is not None}
        if not any(v.strip() for v in row.values()):
            continue
        report.rows += 1
        data, problems = type_data_from_row(row)
        if data is not None:
            _, _, unit_problems = _resolve_units(data)
            problems = unit_problems
            if data.code in seen:
                problems.append(Problem("code", "catalog.duplicate_code", data.code))
            seen.add(data.code)
        report.problems.extend(_problem(line, p) for p in problems)
        if data is not None and not problems:
            parsed.append((line, data))
    if report.problems:
        return report
    try:
        _import_rows(actor=actor, rows=parsed, report=report, dry_run=dry_run)
    except _DryRun:
        pass
    except ValidationFailed as exc:
        report.problems.append(RowProblem(0, exc.field or "", exc.code, str(exc.message)))
    return report


class _DryRun(Exception):
    pass


@transaction.atomic
def _import_rows(
    *,
    actor: User | None,
    rows: list[tuple[int, TypeData]],
    report: CatalogImportReport,
    dry_run: bool,
) -> None:
    existing = {t.code: t for t in ComplaintType.objects.select_related("current_version")}
    for line, data in rows:
        current = existing.get(data.code)
        if current is None:
            complaint_type_create(actor=actor, data=data)
            report.created += 1
            continue
        if current.kind != data.kind.value:
            raise ValidationFailed(
                PROBLEM_MESSAGES["catalog.kind_changed"],
                code="catalog.kind_changed",
                field=f"line {line}",
            )
        before = current.current_version_id
        version = complaint_type_update(actor=actor, complaint_type=current, data=data)
        if version.pk == before:
            report.unchanged += 1
        else:
            report.updated += 1
    audit_record(
        actor=actor,
        action="catalog.imported",
        target_type="catalog.complainttype",
        data=report.as_dict(),
    )
    if dry_run:
        raise _DryRun


# --- working calendar ----------------------------------------------------------------------------

# A holiday change writes a CalendarChange row in its own transaction; the complaints context's
# scheduled job (complaints.deadlines_recompute) claims the waiting rows, re-computes the open
# deadlines once for all of them and reports its progress through the functions below.

RECOMPUTE_LEASE_SECONDS = 600  # a claim's lease, renewed at every batch of progress


def _calendar_version_keep(*, organisation: OrgUnit | None) -> str:
    """The working calendar's version now, kept with the holiday list it stands for, for the
    organisation and for the city's root unit (whose calendar the stored deadlines name): every
    stored version must resolve to its days."""
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    kept = ""
    for unit in dict.fromkeys([organisation, root]):
        version = selectors.working_calendar_get(organisation=unit).version
        overrides = [
            {"day": o.day.isoformat(), "kind": o.kind, "name": o.name}
            for o in selectors.holiday_override_list(organisation=unit)
        ]
        CalendarVersion.objects.get_or_create(
            version=version,
            defaults={
                "holidays_version": selectors.holidays_package_version(),
                "overrides": overrides,
            },
        )
        kept = kept or version
    return kept


def _calendar_change_record(
    *,
    actor: User | None,
    reason: str,
    organisation: OrgUnit | None,
    override: HolidayOverride,
    kind: str,
) -> CalendarChange:
    change = CalendarChange.objects.create(
        reason=reason,
        holiday_day=override.day,
        holiday_name=override.name[:100],
        holiday_kind=kind,
        calendar_version=_calendar_version_keep(organisation=organisation),
        requested_by=actor,
    )
    transaction.on_commit(jobs.wake)  # the in-process runner picks it up at once
    return change


@dataclass(frozen=True)
class CalendarClaim:
    """The waiting calendar changes one recompute run took, and the token that proves it."""

    token: str
    change_ids: tuple[int, ...]


@transaction.atomic
def calendar_changes_claim(*, lease_seconds: int = RECOMPUTE_LEASE_SECONDS) -> CalendarClaim | None:
    """Take every waiting change (and any whose run's lease ran out) for one recompute run.

    One run at a time: None while another run's lease is live, or when another worker holds the
    oldest waiting row (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers). A
    change written after the claim waits for the next run, which reads the newer calendar.
    """
    now = clock.now()
    unfinished = CalendarChange.objects.exclude(status=CalendarChange.DONE)
    if unfinished.filter(status=CalendarChange.RUNNING, lease_until__gte=now).exists():
        return None
    oldest = unfinished.order_by("id").values_list("id", flat=True).first()
    claimable = Q(status=CalendarChange.PENDING) | Q(
        status=CalendarChange.RUNNING, lease_until__lt=now
    )
    ids = list(
        CalendarChange.objects.select_for_update(skip_locked=True)
        .filter(claimable)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not ids or ids[0] != oldest:
        return None
    token = secrets.token_hex(16)
    CalendarChange.objects.filter(id__in=ids).update(
        status=CalendarChange.RUNNING,
        claim_token=token,
        lease_until=now + timedelta(seconds=lease_seconds),
        started_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
        total=0,
        scanned=0,
        changed=0,
        failed=0,
    )
    return CalendarClaim(token, tuple(ids))


def calendar_changes_progress(
    *,
    claim: CalendarClaim,
    scanned: int = 0,
    total: int | None = None,
    lease_seconds: int = RECOMPUTE_LEASE_SECONDS,
) -> bool:
    """Add `scanned` rows to the run's progress and renew its lease; False if the lease was lost."""
    values: dict[str, Any] = {
        "scanned": F("scanned") + scanned,
        "lease_until": clock.now() + timedelta(seconds=lease_seconds),
    }
    if total is not None:
        values["total"] = total
    held = CalendarChange.objects.filter(claim_token=claim.token, status=CalendarChange.RUNNING)
    return held.update(**values) > 0


def calendar_changes_finish(
    *, claim: CalendarClaim, scanned: int, changed: int, failed: int, error: str = ""
) -> int:
    """Record the run's outcome: done, or (with `error`) waiting again for the next run."""
    held = CalendarChange.objects.filter(claim_token=claim.token, status=CalendarChange.RUNNING)
    values: dict[str, Any] = {"lease_until": None, "finished_at": clock.now()}
    if error:
        values.update(status=CalendarChange.PENDING, error=error[:300])
    else:
        values.update(
            status=CalendarChange.DONE, scanned=scanned, changed=changed, failed=failed, error=""
        )
    return held.update(**values)


@transaction.atomic
def holiday_declare(
    *,
    actor: User | None,
    day: date,
    name: str,
    kind: str = HolidayOverride.EXTRA,
    organisation: OrgUnit | None = None,
    source: str = "",
) -> HolidayOverride:
    """Declare an extra holiday (임시공휴일 etc.) or remove a public holiday, then re-compute."""
    if kind not in (HolidayOverride.EXTRA, HolidayOverride.REMOVED):
        raise ValidationFailed(
            _("Choose extra or removed."), code="catalog.invalid_holiday_kind", field="kind"
        )
    if not name.strip():
        raise ValidationFailed(
            _("Give the holiday a name."), code="catalog.holiday_name_required", field="name"
        )
    clash = HolidayOverride.objects.filter(day=day, organisation=organisation)
    if clash.exists():
        raise Conflict(
            _("This day already has an override."), code="catalog.holiday_exists", field="day"
        )
    override = HolidayOverride.objects.create(
        day=day,
        kind=kind,
        name=name.strip(),
        organisation=organisation,
        source=source,
        declared_by=actor,
    )
    audit_record(
        actor=actor,
        action="catalog.holiday_declared",
        target=override,
        data={"day": day.isoformat(), "kind": kind, "name": override.name},
    )
    _calendar_change_record(
        actor=actor,
        reason=f"{kind} holiday {day.isoformat()} {override.name}",
        organisation=organisation,
        override=override,
        kind=kind,
    )
    return override


@transaction.atomic
def holiday_remove(*, actor: User | None, override_id: int) -> None:
    override = HolidayOverride.objects.filter(pk=override_id).first()
    if override is None:
        raise NotFound(code="catalog.holiday_not_found")
    audit_record(
        actor=actor,
        action="catalog.holiday_removed",
        target=override,
        data={"day": override.day.isoformat(), "kind": override.kind},
    )
    override.delete()
    _calendar_change_record(
        actor=actor,
        reason=f"{override.kind} holiday {override.day.isoformat()} withdrawn",
        organisation=override.organisation,
        override=override,
        kind=CalendarChange.WITHDRAWN,
    )


def catalog_seed_examples(*, actor: User | None = None) -> CatalogImportReport:
    """Import the 법정민원 examples of data/statutory_examples.csv (real 편람 entries, sources in
    the file) and the everyday 기타민원 topics of data/everyday_topics.csv (demo data)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "data"
    report = catalog_import_csv(
        actor=actor, text=(folder / "statutory_examples.csv").read_text(encoding="utf-8")
    )
    topics = catalog_import_csv(
        actor=actor, text=(folder / "everyday_topics.csv").read_text(encoding="utf-8")
    )
    return CatalogImportReport(
        rows=report.rows + topics.rows,
        created=report.created + topics.created,
        updated=report.updated + topics.updated,
        unchanged=report.unchanged + topics.unchanged,
        problems=[*report.problems, *topics.problems],
    )
