"""The notices the complaints context records (ComplaintEvent.notice) → outbox notifications.

The complaints services write a history row with `notice` in the transaction of the change, and
keep in it what the notice must report as it was at that moment (`data["notice"]`, see
`complaints.selectors.notice_snapshot`). This sweep turns each such row into a notification exactly
once (key `notice:<event id>`), worded in the recipient's language from that snapshot and the
event's own facts, never from the complaint's state when the sweep runs. It can run as often as
wanted. Contexts that prefer to can call `notification_enqueue` directly in their transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from minwon.complaints.domain import NoticeKind, Outcome
from minwon.complaints.labels import (
    ACTION_LABELS,
    CONSENT_METHOD_LABELS,
    EXTENSION_REASON_LABELS,
    MOVED_DATE_LABELS,
    OBJECTION_OUTCOME_LABELS,
    OUTCOME_LABELS,
    STATUS_LABELS,
    label,
    period_words,
)
from minwon.complaints.models import ComplaintEvent
from minwon.complaints.selectors import NOTICE_SNAPSHOT_KEY, notice_snapshot
from minwon.core import clock, crypto
from minwon.core.links import FOLLOW_PATH
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.domain import Event, idempotency_key
from minwon.notifications.services.outbox import notification_enqueue

EVENT_OF_NOTICE: dict[str, Event] = {
    NoticeKind.RECEIPT.value: Event.COMPLAINT_REGISTERED,
    NoticeKind.TRANSFER.value: Event.COMPLAINT_TRANSFERRED,
    NoticeKind.SUPPLEMENT_REQUEST.value: Event.SUPPLEMENT_REQUESTED,
    NoticeKind.EXTENSION.value: Event.COMPLAINT_EXTENDED,
    NoticeKind.PROGRESS.value: Event.PROGRESS_NOTICE,
    NoticeKind.RESULT.value: Event.COMPLAINT_ANSWERED,
    NoticeKind.RETURN.value: Event.COMPLAINT_RETURNED,
    NoticeKind.OBJECTION_RESULT.value: Event.OBJECTION_DECIDED,
    NoticeKind.REPEATED_CLOSURE.value: Event.COMPLAINT_CLOSED_REPEATED,
    NoticeKind.WITHDRAWAL.value: Event.COMPLAINT_WITHDRAWN,
    NoticeKind.DEADLINE_MOVED.value: Event.DEADLINE_MOVED,
}
SURVEY_DELAY = timedelta(days=1)  # the satisfaction survey follows the answer by a day
NOTICE_KEY = "notice"  # idempotency key `notice:<ComplaintEvent id>`

# Time limits of the remedies after a refusal (법 제27조③ requires the 구제절차 to be stated).
OBJECTION_DAYS = 60  # 민원처리법 제35조①: 거부처분을 받은 날부터 60일 이내
APPEAL_DAYS = 90  # 행정심판법 제27조①, 행정소송법 제20조①: 처분이 있음을 안 날부터 90일 이내


def notice_event_id(key: str) -> int | None:
    """The complaint history row a notification came from (`notice:<id>`), else None."""
    prefix, _sep, rest = key.partition(":")
    return int(rest) if prefix == NOTICE_KEY and rest.isdigit() else None


# --- words in the recipient's language (call inside translation.override) ----------------------


def _parse(value: object) -> datetime | date | None:
    if not value:
        return None
    text = str(value)
    try:
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError:
        return None


def _date(value: object) -> str:
    """A date as the reader's language writes it ("2026. 3. 9.(월)", "Mon 9 March 2026")."""
    parsed = _parse(value)
    if parsed is None:
        return ""
    if isinstance(parsed, datetime):
        parsed = parsed.astimezone(clock.SEOUL).date()
    return formats.date_format(parsed, "DATE_FORMAT")


def _datetime(value: object) -> str:
    parsed = _parse(value)
    if parsed is None:
        return ""
    if not isinstance(parsed, datetime):
        return formats.date_format(parsed, "DATE_FORMAT")
    return formats.date_format(parsed.astimezone(clock.SEOUL), "DATETIME_FORMAT")


def _unit_name(facts: dict[str, Any], language: str) -> str:
    """The unit's name in the reader's language (Korean when it has no English name)."""
    english = facts.get("unit_name_en") if language == "en" else None
    return str(english or facts.get("unit_name_ko") or "")


def _contact(facts: dict[str, Any], language: str) -> str:
    """영 제31조: the officer's unit, name and contact, leaving out what is not known yet."""
    unit = _unit_name(facts, language)
    name = str(facts.get("officer_name") or "")
    phone = str(facts.get("officer_phone") or facts.get("unit_phone") or "")
    who = " ".join(part for part in (unit, name) if part)
    if who and phone:
        return f"{who} ({phone})"
    return who or phone or _("the complaints office")


def _bullets(items: object) -> str:
    if isinstance(items, list | tuple):
        lines = [str(item).strip() for item in items if str(item).strip()]
    else:
        lines = [line.strip() for line in str(items or "").splitlines() if line.strip()]
    return "\n".join(f"- {line}" for line in lines)


def _progress(facts: dict[str, Any], data: dict[str, Any]) -> tuple[str, str]:
    """영 제23조①: what has been done so far, and what comes next."""
    done = str(data.get("progress") or "").strip()
    if not done:
        steps = [
            f"- {_date(at)} {label(ACTION_LABELS, str(action))}"
            for action, at in facts.get("history", [])
        ]
        done = "\n".join(steps) or f"- {_date(facts.get('registered_at'))} {_('Registered')}"
    after = str(data.get("next_step") or "").strip()
    if not after:
        status = str(facts.get("status") or "")
        if status == "supplement_pending":
            after = _(
                "We are waiting for the information we asked you for (by %(day)s); the "
                "period does not run meanwhile."
            ) % {"day": _date(facts.get("supplement_due_on"))}
        elif status == "registered":
            after = _("The department will assign an officer and examine your complaint.")
        else:
            after = _("The officer in charge is examining your complaint.")
        due = _date(facts.get("due_at"))
        if due:
            after += " " + _("You will have the answer by %(day)s.") % {"day": due}
    return done, after


def _remedy(facts: dict[str, Any]) -> str:
    """법 제27조③: a refusal states the 구제절차 with their time limits."""
    outcome = str(facts.get("outcome") or "")
    if outcome not in (Outcome.REFUSED.value, Outcome.PARTIALLY_GRANTED.value):
        return ""
    route = str(facts.get("appeal_route") or "").strip()
    if facts.get("kind") != ComplaintKind.STATUTORY.value:
        return route
    lines = [
        _(
            "- Objection (이의신청): in writing to this office within %(days)d days of this "
            "notice, by %(day)s (민원처리법 제35조)."
        )
        % {"days": OBJECTION_DAYS, "day": _date(facts.get("objection_last_day"))},
        _(
            "- Administrative appeal (행정심판): within %(days)d days of learning of the "
            "decision (행정심판법 제27조), whether or not you object first."
        )
        % {"days": APPEAL_DAYS},
        _(
            "- Administrative lawsuit (행정소송): within %(days)d days of learning of the "
            "decision (행정소송법 제20조)."
        )
        % {"days": APPEAL_DAYS},
    ]
    if route:
        lines.append(route)
    return "\n".join(lines)


def _objection_next(outcome: str) -> str:
    if outcome == "upheld":
        return _("The original decision is changed; the officer will tell you what follows.")
    return _(
        "You may still bring an administrative appeal (행정심판법 제27조) or an administrative "
        "lawsuit (행정소송법 제20조) within %(days)d days of learning of the original decision."
    ) % {"days": APPEAL_DAYS}


def _moved(moved: object) -> str:
    """민법 제161조: each date a holiday change moved, "what: before → after", one a line."""
    if not isinstance(moved, list):
        return ""
    lines = []
    for item in moved:
        if not isinstance(item, dict):
            continue
        what = str(item.get("what") or "")
        words = _datetime if what == "due_at" else _date
        name = label(MOVED_DATE_LABELS, what)
        lines.append(f"- {name}: {words(item.get('from'))} → {words(item.get('to'))}")
    return "\n".join(lines)


def _holidays(holidays: object) -> str:
    """The holiday changes behind a moved date, in words."""
    if not isinstance(holidays, list) or not holidays:
        return _("The working calendar was changed.")
    parts = []
    for item in holidays:
        if not isinstance(item, dict):
            continue
        values = {"day": _date(item.get("day")), "name": str(item.get("name") or "")}
        kind = str(item.get("kind") or "")
        if kind == "removed":
            parts.append(_("%(day)s (%(name)s) is a working day after all") % values)
        elif kind == "withdrawn":
            parts.append(_("the change for %(day)s (%(name)s) was taken back") % values)
        else:
            parts.append(_("%(day)s was declared a holiday (%(name)s)") % values)
    return "; ".join(parts)


def _link(event: ComplaintEvent) -> str:
    """Where the complainant follows the complaint: their own page, or the follow-up page."""
    base = str(getattr(settings, "MINWON_PUBLIC_URL", "") or "").rstrip("/")
    path = f"/my/{event.complaint_id}/" if event.complaint.citizen_id else FOLLOW_PATH
    return base + path


def notice_context(event: ComplaintEvent, language: str) -> dict[str, Any]:
    """Every placeholder a notice of this event may use, in `language`, from the event's
    snapshot (the complaint as it was when the event happened) and the event's facts."""
    data = dict(event.data or {})
    facts = data.get(NOTICE_SNAPSHOT_KEY)
    if not isinstance(facts, dict):  # a row recorded before notices kept their snapshot
        facts = notice_snapshot(event.complaint, NoticeKind(event.notice))
    with translation.override(language):
        answered_on = _date(event.occurred_at.isoformat())
        done, after = _progress(facts, data)
        extension_reason = label(EXTENSION_REASON_LABELS, str(data.get("reason") or ""))
        consent = ""
        if data.get("consent"):
            how = label(CONSENT_METHOD_LABELS, str(data.get("consent_method") or ""))
            when = _date(data.get("consent_at"))
            consent = (
                _("You agreed to this second extension (%(how)s, %(when)s).")
                % {"how": how, "when": when}
                if how and when
                else _("You agreed to this second extension.")
            )
        return {
            "complaint_no": facts.get("receipt_number") or facts.get("follow_number") or "",
            "follow_no": facts.get("follow_number") or "",
            "title": facts.get("title") or event.complaint.title,
            "registered_at": _datetime(facts.get("registered_at") or facts.get("arrived_at")),
            "period": period_words(str(facts.get("period") or "")) or _("not set"),
            "due_date": _date(facts.get("due_at")),
            # never an empty "처리 부서:" line: before assignment the complaints office has it
            "unit": _unit_name(facts, language) or _("to be assigned by the complaints office"),
            "contact": _contact(facts, language),
            "officer_unit": _unit_name(facts, language),
            "officer_name": facts.get("officer_name") or "",
            "officer_phone": facts.get("officer_phone") or facts.get("unit_phone") or "",
            "url": _link(event),
            "event_date": answered_on,
            # 이송
            "to_agency": facts.get("transferred_to") or data.get("to_agency") or "",
            "reason": extension_reason
            if event.notice == NoticeKind.EXTENSION.value
            else _holidays(data.get("holidays"))
            if event.notice == NoticeKind.DEADLINE_MOVED.value
            else str(data.get("reason") or ""),
            # 보완 요구
            "items": _bullets(data.get("items", data.get("note", ""))),
            "supplement_due": _date(
                data.get("supplement_due_on") or facts.get("supplement_due_on")
            ),
            # 처리기간 연장
            "extension_reason": extension_reason,
            "extension_text": str(data.get("reason_text") or ""),
            "previous_due_date": _date(data.get("previous_due_at")),
            "extension_number": str(data.get("extension_number") or ""),
            "consent": consent,
            # 중간통지
            "progress": done,
            "next_step": after,
            # 처리결과
            "outcome": label(OUTCOME_LABELS, str(facts.get("outcome") or "")),
            "answer": facts.get("answer") or "",
            "refusal_reason": facts.get("refusal_reason") or "",
            "remedy": _remedy(facts),
            # 이의신청 결정
            "objection_outcome": label(
                OBJECTION_OUTCOME_LABELS, str(facts.get("objection_outcome") or "")
            ),
            "objection_decision": facts.get("objection_decision") or "",
            "objection_next": _objection_next(str(facts.get("objection_outcome") or "")),
            # 반복 종결
            "earlier": ", ".join(str(n) for n in data.get("earlier", []) if n),
            # 기한 변경
            "moved": _moved(data.get("moved")) or str(data.get("moved_words") or ""),
            "status": label(STATUS_LABELS, str(facts.get("status") or "")),
            "survey_url": _link(event),
        }


def _language(event: ComplaintEvent) -> str:
    citizen = event.complaint.citizen
    language = citizen.preferred_language if citizen is not None else "ko"
    return language if language in dict(settings.LANGUAGES) else "ko"


@transaction.atomic
def complaint_notices_enqueue(*, events: Any) -> int:
    """Enqueue one notification per notice event not enqueued yet; returns how many were new."""
    created = 0
    for event in events:
        mapped = EVENT_OF_NOTICE.get(event.notice)
        if mapped is None:
            continue
        complaint = event.complaint
        applicant = getattr(complaint, "applicant", None)
        email = phone = ""
        if complaint.citizen is None and applicant is not None:
            email = crypto.decrypt(applicant.email_encrypted) if applicant.email_encrypted else ""
            phone = crypto.decrypt(applicant.phone_encrypted) if applicant.phone_encrypted else ""
        if complaint.citizen is None and not email and not phone:
            continue  # no one to tell electronically (a paper notice is the office's)
        language = _language(event)
        context = notice_context(event, language)
        if complaint.citizen is None:
            # Without an account there is no name on file to address (the applicant's stays
            # encrypted with the complaint, not copied into the outbox).
            with translation.override(language):
                context["recipient_name"] = _("Complainant")
        common: dict[str, Any] = {
            "recipient": complaint.citizen,
            "email": email,
            "phone": phone,
            "language": language,
            "context": context,
            "complaint_id": complaint.pk,
            "org_unit_id": complaint.org_unit_id,
        }
        notification_enqueue(
            event=mapped, idempotency_key=idempotency_key(NOTICE_KEY, event.pk), **common
        )
        created += 1
        if event.notice == NoticeKind.RESULT.value:
            notification_enqueue(
                event=Event.SATISFACTION_SURVEY,
                idempotency_key=idempotency_key("survey", complaint.pk),
                not_before=clock.now() + SURVEY_DELAY,
                **common,
            )
    return created
