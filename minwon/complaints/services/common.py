"""What every complaint service shares: translated errors, the transition step, the legal clock."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import User
from minwon.complaints.domain import (
    Action,
    ClockKind,
    ComplaintRuleError,
    ComplaintStatus,
    NoticeKind,
    ensure_transition,
    parse_intervals,
)
from minwon.complaints.labels import OFFICE_STATUS_LABELS
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.complaints.selectors import NOTICE_SNAPSHOT_KEY, city_calendar, notice_snapshot
from minwon.complaints.services.protection import SCREENED_ACTIONS, screening_wake
from minwon.core import clock, crypto
from minwon.core.domain import mask_rrns_in_text
from minwon.core.errors import ApplicationError, Conflict, ValidationFailed
from minwon.core.services import audit_record
from minwon.lawclock import (
    SEOUL,
    Deadline,
    LawclockError,
    WorkingCalendar,
    compute_deadline,
    extension_deadline,
    registration_deadline,
)

# Stable code → translated message. State problems are 409 Conflict, input problems 400.
MESSAGES: dict[str, str | Promise] = {
    "complaint.invalid_transition": _("This cannot be done while the complaint is “%(status)s”."),
    "complaint.statutory_type_required": _("A statutory complaint needs its complaint type."),
    "complaint.oral_not_allowed": _("Only 'other' complaints may be made orally or by phone."),
    "complaint.name_required": _("The complainant's name is required."),
    "complaint.address_required": _("The complainant's address is required."),
    "complaint.rrn_required": _("This complaint type requires the resident registration number."),
    "complaint.rrn_not_allowed": _(
        "The resident registration number may be collected only where the law requires it."
    ),
    "complaint.rrn_invalid": _("The resident registration number is not well formed."),
    "complaint.invalid_cosigners": _("The numbers of signers and households do not add up."),
    "complaint.household_count_invalid": _(
        "Households are at least one and at most one for each signer."
    ),
    "complaint.too_many_representatives": _("At most three representatives may be chosen."),
    "complaint.merge_too_few": _("Merged registration needs at least %(minimum)s complaints."),
    "complaint.merge_kinds_differ": _("Only complaints of the same kind can be merged."),
    "complaint.supplement_limit_reached": _("A supplement may be requested at most twice."),
    "complaint.supplement_period_invalid": _(
        "The supplement period must be between 1 and %(maximum)s days."
    ),
    "complaint.supplement_late_reason_required": _(
        "More than 8 working hours have passed since registration (%(limit_at)s): say why the "
        "supplement could not be asked for earlier."
    ),
    "complaint.supplement_extension_limit": _(
        "The complainant may be given more time to supplement at most %(limit)s times."
    ),
    "complaint.supplement_extension_too_late": _(
        "More time to supplement can be asked for only before the period ends."
    ),
    "complaint.supplement_extension_not_longer": _(
        "The new period must end after the current one (%(due_on)s)."
    ),
    "complaint.supplement_not_overdue": _(
        "A second request may be made only after the first period has passed."
    ),
    "complaint.return_not_allowed": _(
        "A complaint may be returned only after two supplement requests went unanswered."
    ),
    "complaint.no_deadline_to_extend": _("This complaint has no processing period to extend."),
    "complaint.extension_reason_not_allowed": _(
        "This reason does not allow an extension (workload, a late assignment or an absent "
        "officer never do)."
    ),
    "complaint.extension_reason_text_required": _("Describe the reason for the extension."),
    "complaint.extension_limit_reached": _("The processing period cannot be extended again."),
    "complaint.extension_consent_required": _(
        "A second extension needs the complainant's recorded consent."
    ),
    "complaint.extension_after_deadline": _(
        "The processing period ended at %(due_at)s: an extension must be decided before the "
        "deadline passes."
    ),
    "complaint.consent_method_invalid": _(
        "Say how the complainant agreed: in writing, by phone or electronically."
    ),
    "complaint.consent_time_required": _("Give the date and time the complainant agreed."),
    "complaint.consent_in_future": _("The complainant's consent cannot be dated in the future."),
    "complaint.consent_note_required": _(
        "For consent by phone, note who agreed and what was said."
    ),
    "complaint.exclusion_kind_invalid": _("Choose the kind of time the law does not count."),
    "complaint.exclusion_in_future": _("Excluded time is recorded once it has begun."),
    "complaint.exclusion_order": _("The excluded time must end after it starts."),
    "complaint.exclusion_not_applicable": _(
        "The law does not exclude this kind of time for this complaint (site investigations: "
        "grievances only; system outages: from 2026-05-06)."
    ),
    "complaint.exclusion_too_long": _(
        "A site investigation is excluded for at most 21 days (14 days, extended once by 7)."
    ),
    "complaint.exclusion_open": _("Another period not counted is still running; end it first."),
    "complaint.exclusion_none_open": _("No period not counted is running."),
    "complaint.exclusion_supplement": _(
        "Time for a supplement is excluded by requesting the supplement."
    ),
    "complaint.extension_too_long": _(
        "An extension may not be longer than the original processing period."
    ),
    "complaint.child_outlasts_parent": _(
        "A linked part must be answered by the main complaint's deadline (%(due_at)s); choose a "
        "shorter period."
    ),
    "complaint.children_open": _(
        "%(count)s linked part(s) of this complaint are not answered yet; the main complaint is "
        "answered when every part is."
    ),
    "complaint.refusal_reason_required": _("A refusal must give its reason."),
    "complaint.appeal_route_required": _("A refusal must tell the complainant how to appeal."),
    "complaint.not_processed_statutory": _("A statutory complaint cannot be left unprocessed."),
    "complaint.reopen_statutory": _("A refused statutory complaint is appealed by objection."),
    "complaint.objection_not_refused": _("Only a refused statutory complaint can be objected to."),
    "complaint.objection_already_filed": _("An objection has already been filed."),
    "complaint.objection_too_late": _("The 60 days for an objection ended on %(last_day)s."),
    "complaint.repeat_closure_statutory": _("Statutory complaints are never closed as repeated."),
    "complaint.repeat_closure_too_early": _(
        "At least %(minimum)s of the earlier filings must have been answered first."
    ),
    "complaint.repeat_closure_other_complainant": _(
        "The earlier complaints must have been filed by the same complainant (or the same "
        "representative)."
    ),
    "complaint.repeat_closure_too_few_filings": _(
        "Closing as repeated needs at least %(minimum)s filings of the same content, this one "
        "included."
    ),
    "complaint.committee_in_future": _("The committee's meeting cannot be in the future."),
    "complaint.committee_summary_required": _("Write what the committee decided and why."),
    "complaint.repeat_closure_needs_committee": _(
        "A multi-party complaint is closed as repeated only after the complaint committee "
        "decided so: record its deliberation first."
    ),
    "complaint.title_required": _("Give the complaint a title."),
    "complaint.body_required": _("Describe the complaint."),
    "complaint.text_unreadable": _(
        "The text has characters that cannot be kept (a null character or a broken one). "
        "Remove them and send it again."
    ),
    "complaint.password_required": _("Choose a password of at least 8 characters."),
    "complaint.arrival_in_future": _("The arrival time cannot be in the future."),
    "complaint.naive_datetime": _("Give times with their time zone."),
    "complaint.type_kind_mismatch": _("The complaint type belongs to another kind."),
    "complaint.type_inactive": _("This complaint type is not offered any more."),
    "complaint.unit_required": _("Choose the org unit."),
    "complaint.assignee_not_officer": _("The assignee must be an officer of that org unit."),
    "complaint.assign_is_transfer": _(
        "Moving a complaint to another org unit is a transfer: transfer it, giving the reason."
    ),
    "complaint.agency_required": _("Name the agency the complaint is transferred to."),
    "complaint.answer_required": _("Write the answer."),
    "complaint.reason_required": _("Give a reason."),
    "complaint.supplement_items_required": _("List what must be supplemented."),
    "complaint.not_same_complaint": _("The earlier complaints must be other complaints."),
    "complaint.no_clock": _("Anonymous tips have no statutory processing period."),
    "complaint.unknown_org_unit": _("No active org unit has this code."),
    "complaint.attachment_closed": _("Files can be added only while the complaint is open."),
    "complaint.attachment_too_large": _("The file is larger than %(limit)s bytes."),
    "complaint.attachment_empty": _("The file is empty."),
    "complaint.attachment_limit": _("A complaint can have at most %(limit)s files."),
    "complaint.attachment_executable": _(
        "Programs and scripts cannot be attached: send a photo or a document."
    ),
    "complaint.attachment_macro": _(
        "Documents with macros, scripts or embedded programs cannot be attached: save the "
        "document without them (for example as PDF) and send it again."
    ),
    "complaint.attachment_type_not_allowed": _(
        "Only JPEG, PNG, PDF, HWP/HWPX and Word, Excel or PowerPoint (DOCX, XLSX, PPTX) files "
        "are accepted (checked on content)."
    ),
    "complaint.attachment_unreadable": _("The image cannot be read."),
    "complaint.attachment_image_too_large": _("The image has too many pixels."),
    "complaint.location_invalid": _("The map pin is not a valid point; remove it or set it again."),
    "complaint.supplement_empty": _("Write what you are sending, or attach a file."),
    "complaint.rating_not_answered": _("A complaint can be rated once it has been answered."),
    "complaint.rating_score_invalid": _("Choose a rating from 1 to 5."),
    "complaint.rating_already_given": _("This answer has already been rated."),
}
CONFLICT_CODES = frozenset(
    {
        "complaint.invalid_transition",
        "complaint.supplement_limit_reached",
        "complaint.supplement_not_overdue",
        "complaint.supplement_extension_limit",
        "complaint.supplement_extension_too_late",
        "complaint.return_not_allowed",
        "complaint.extension_limit_reached",
        "complaint.extension_consent_required",
        "complaint.extension_after_deadline",
        "complaint.no_deadline_to_extend",
        "complaint.children_open",
        "complaint.exclusion_open",
        "complaint.exclusion_none_open",
        "complaint.objection_already_filed",
        "complaint.objection_too_late",
        "complaint.objection_not_refused",
        "complaint.reopen_statutory",
        "complaint.repeat_closure_too_early",
        "complaint.repeat_closure_needs_committee",
        "complaint.repeat_closure_too_few_filings",
        "complaint.repeat_closure_statutory",
        "complaint.type_inactive",
        "complaint.no_clock",
        "complaint.attachment_closed",
        "complaint.attachment_limit",
        "complaint.rating_not_answered",
        "complaint.rating_already_given",
    }
)


def error(
    code: str, *, field: str | None = None, rule: str = "", **params: Any
) -> ApplicationError:
    """The ApplicationError for `code`; its message names the rule it enforces."""
    message = MESSAGES.get(code, _("The request could not be completed."))
    if rule:
        params = {**params, "rule": rule}
    cls = Conflict if code in CONFLICT_CODES else ValidationFailed
    text: str | Promise = _TextWithParams(message, params) if params else message
    return cls(text, code=code, field=field, params=params)


class _TextWithParams(Promise):
    """A lazily translated message with %-parameters and the rule it enforces appended."""

    def __init__(self, message: str | Promise, params: dict[str, Any]) -> None:
        self.message, self.params = message, params

    def __str__(self) -> str:
        values = dict(self.params)
        if "status" in values:  # a state in the reader's words, never its code
            code = str(values["status"])
            values["status"] = str(OFFICE_STATUS_LABELS.get(code, code))
        try:
            text = str(self.message) % values
        except (KeyError, TypeError, ValueError):
            text = str(self.message)
        rule = values.get("rule")
        return f"{text} ({rule})" if rule and rule != "lifecycle" else text


def from_rule(exc: ComplaintRuleError) -> ApplicationError:
    params = dict(exc.params)
    field = params.pop("field", None)
    return error(exc.code, field=str(field) if field else None, rule=exc.rule, **params)


def from_lawclock(exc: LawclockError) -> ApplicationError:
    codes = {
        "lawclock.extension_too_long": "complaint.extension_too_long",
        "lawclock.extension_limit": "complaint.extension_limit_reached",
        "lawclock.extension_needs_consent": "complaint.extension_consent_required",
        "lawclock.naive_datetime": "complaint.naive_datetime",
        "lawclock.exclusion_kind": "complaint.exclusion_kind_invalid",
        "lawclock.exclusion_in_future": "complaint.exclusion_in_future",
        "lawclock.exclusion_order": "complaint.exclusion_order",
        "lawclock.exclusion_not_applicable": "complaint.exclusion_not_applicable",
        "lawclock.exclusion_too_long": "complaint.exclusion_too_long",
    }
    code = codes.get(exc.code)
    if code is None:
        return ValidationFailed(exc.message, code=exc.code, field=exc.field)
    rule = (
        "민원처리법 시행령 제20조"
        if exc.code.startswith("lawclock.exclusion_")
        else "민원처리법 시행령 제21조 제1항"
    )
    return error(code, field=exc.field, rule=rule)


# --- the legal clock of one complaint ------------------------------------------------------------


def clock_deadline(
    *,
    clock_kind: str,
    started_at: datetime | None,
    period: str,
    excluded: Sequence[Sequence[str | None]],
    extensions: Sequence[dict[str, Any]],
    calendar: WorkingCalendar,
) -> Deadline | None:
    """The deadline of a stored clock, or None when there is none or it is stopped (보완 중)."""
    if not clock_kind or started_at is None:
        return None
    if clock_kind == ClockKind.REGISTRATION:
        return registration_deadline(arrived_at=started_at, calendar=calendar)
    intervals = parse_intervals(excluded)
    if intervals is None:
        return None
    deadline = compute_deadline(
        registered_at=started_at, period=period, calendar=calendar, excluded=intervals
    )
    for number, extension in enumerate(extensions):
        deadline = extension_deadline(
            current_due_at=deadline.due_at,
            original_period=period,
            extension_period=extension["period"],
            previous_extensions=0 if clock_kind == ClockKind.OBJECTION else number,
            complainant_consent=bool(extension.get("consent")),
            calendar=calendar,
            excluded=intervals,
        )
    return deadline


def store_deadline(complaint: Complaint, deadline: Deadline | None) -> None:
    if deadline is None:
        complaint.due_at = None
        complaint.deadline_rule = complaint.deadline_legal_basis = ""
        complaint.calendar_version = complaint.rule_version = ""
        return
    complaint.due_at = deadline.due_at
    complaint.deadline_rule = deadline.rule
    complaint.deadline_legal_basis = deadline.legal_basis[:200]
    complaint.calendar_version = deadline.calendar_version
    complaint.rule_version = deadline.rule_version


def refresh_deadline(complaint: Complaint, calendar: WorkingCalendar | None = None) -> None:
    with rule_errors():
        deadline = clock_deadline(
            clock_kind=complaint.clock,
            started_at=complaint.clock_started_at,
            period=complaint.period,
            excluded=complaint.excluded_intervals,
            extensions=complaint.extensions,
            calendar=calendar or city_calendar(),
        )
    store_deadline(complaint, deadline)


def start_clock(
    complaint: Complaint, *, kind: ClockKind, at: datetime, period: str = "", basis: str = ""
) -> None:
    complaint.clock = kind.value
    complaint.clock_started_at = at if kind != ClockKind.NONE else None
    complaint.period = period
    complaint.period_legal_basis = basis
    complaint.excluded_intervals = []
    complaint.extensions = []
    complaint.original_due_at = None
    refresh_deadline(complaint)


def stop_clock(complaint: Complaint) -> None:
    """The complaint leaves the open states: nothing to recompute; `due_at` stays as a record."""
    complaint.clock = ClockKind.NONE.value


# --- the transition step -----------------------------------------------------------------


@contextmanager
def rule_errors() -> Iterator[None]:
    """Inside this block a broken rule (`ComplaintRuleError` from the domain, `LawclockError` from
    the legal clock) leaves as the translated `ApplicationError` the interfaces show."""
    try:
        yield
    except ComplaintRuleError as exc:
        raise from_rule(exc) from exc
    except LawclockError as exc:
        raise from_lawclock(exc) from exc


def lock(complaint: Complaint) -> Complaint:
    """The complaint re-read under a row lock (PostgreSQL), so concurrent transitions serialise."""
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def next_status_or_error(complaint: Complaint, action: Action) -> ComplaintStatus:
    with rule_errors():
        return ensure_transition(ComplaintStatus(complaint.status), action)


_COLUMNS = tuple(
    f.attname
    for f in Complaint._meta.concrete_fields
    if not f.primary_key and f.name != "updated_at"
)


def snapshot(complaint: Complaint) -> dict[str, Any]:
    """The stored values of the complaint's columns, to find later what a service changed."""
    return {name: copy.deepcopy(getattr(complaint, name)) for name in _COLUMNS}


def save_changes(complaint: Complaint, since: dict[str, Any]) -> list[str]:
    """Write only the columns changed since `since` (and `updated_at`), so a concurrent write to
    another column (the deadline recompute, a delivery report) is never overwritten with the
    value this service read. Returns the changed column names."""
    changed = [name for name, value in since.items() if getattr(complaint, name) != value]
    if changed:
        complaint.save(update_fields=[*changed, "updated_at"])
        since.update({name: copy.deepcopy(getattr(complaint, name)) for name in changed})
    return changed


@dataclasses.dataclass
class Transition:
    """One step of the lifecycle on a locked complaint: `transition()` locks the row and finds
    the next status (or refuses); the service checks its rules and sets what changes on
    `complaint`; `done()` sets the status, saves the changed columns and records history and
    audit. Everything runs in the service's transaction."""

    complaint: Complaint
    action: Action
    from_status: str
    to_status: ComplaintStatus
    _stored: dict[str, Any] = dataclasses.field(repr=False)

    def save(self) -> list[str]:
        """Save the changes made so far (the status is set by `done`)."""
        return save_changes(self.complaint, self._stored)

    def done(
        self,
        *,
        actor: User | None,
        data: dict[str, Any] | None = None,
        notice: NoticeKind | None = None,
        action: Action | None = None,
    ) -> Complaint:
        """Move to the next status, save the changed columns, record history and audit."""
        self.complaint.status = self.to_status.value
        self.save()
        record(
            self.complaint,
            action or self.action,
            actor=actor,
            from_status=self.from_status,
            data=data,
            notice=notice,
        )
        return self.complaint


def transition(complaint: Complaint, action: Action, *, locked: bool = False) -> Transition:
    """Begin `action` on `complaint`: re-read it under a row lock (unless the caller holds the
    lock already, `locked=True`) and find the status it moves to, or raise the translated
    `complaint.invalid_transition`."""
    row = complaint if locked else lock(complaint)
    before = row.status
    to_status = next_status_or_error(row, action)
    return Transition(
        complaint=row, action=action, from_status=before, to_status=to_status, _stored=snapshot(row)
    )


def record(
    complaint: Complaint,
    action: Action,
    *,
    actor: User | None,
    from_status: str,
    data: dict[str, Any] | None = None,
    notice: NoticeKind | None = None,
) -> ComplaintEvent:
    """One history row (with the notice, if the law requires one) and one audit row.

    A notice row also keeps, under `data["notice"]`, the values the notice reports as they are at
    this moment (`notice_snapshot`): the outbox renders the notice from them later, so a notice
    never shows a date or an answer that changed after the event."""
    facts = dict(data or {})
    stored = dict(facts)
    if notice is not None:
        stored[NOTICE_SNAPSHOT_KEY] = notice_snapshot(complaint, notice)
    event = ComplaintEvent.objects.create(
        complaint=complaint,
        occurred_at=clock.now(),
        action=action.value,
        from_status=from_status,
        to_status=complaint.status,
        actor=actor if actor is not None and actor.pk else None,
        data=stored,
        notice=notice.value if notice else "",
    )
    audit_record(
        actor=actor,
        action=f"complaint.{action.value}",
        target=complaint,
        org_unit_id=complaint.org_unit_id,
        data={
            "from": from_status,
            "to": complaint.status,
            "due_at": complaint.due_at.astimezone(SEOUL).isoformat() if complaint.due_at else None,
            **facts,
        },
    )
    if action.value in SCREENED_ACTIONS:  # a citizen's words: protection screens them after
        transaction.on_commit(screening_wake)  # the commit, never in the filing's way
    return event


def masked_text(key: str, text: str) -> dict[str, object]:
    """What a history row keeps of free text: `key` with any 주민등록번호 in it masked and, when
    one was, the words as sent only encrypted under `<key>_original_encrypted` (issue 13 item
    12, as intake keeps the complaint's text)."""
    masked, found = mask_rrns_in_text(text)
    facts: dict[str, object] = {key: masked}
    if found:
        facts[f"{key}_original_encrypted"] = crypto.encrypt(text)
    return facts


def require_aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise error("complaint.naive_datetime", field=field)
    return value
