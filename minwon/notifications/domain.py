"""Pure rules of notifications (stdlib only): events, channels, quiet hours, retries, templates.

Nothing here touches the database or the network. Services pass `now` in; the dispatcher asks
these functions what to do and records the answer.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from minwon.complaints.domain import DEADLINE_WARNING_SHARES
from minwon.core.domain import choose_particles

SEOUL: Final = ZoneInfo("Asia/Seoul")

# --- vocabulary ---------------------------------------------------------------------------------


class Audience(StrEnum):
    CITIZEN = "citizen"
    OFFICER = "officer"


class Event(StrEnum):
    """What happened. Each event has a default template per language (defaults.py)."""

    # Notices the law requires (민원처리법 and its Decree), to the complainant.
    COMPLAINT_REGISTERED = "complaint_registered"  # 접수 통지 (영 제6조④)
    COMPLAINT_TRANSFERRED = "complaint_transferred"  # 이송 통지 (영 제13조③)
    SUPPLEMENT_REQUESTED = "supplement_requested"  # 보완요구 (법 제22조①, 영 제24조)
    COMPLAINT_EXTENDED = "complaint_extended"  # 연장 통지 (영 제21조③)
    PROGRESS_NOTICE = "progress_notice"  # 중간통지, every 30 days (영 제23조)
    COMPLAINT_ANSWERED = "complaint_answered"  # 처리결과 통지 (법 제27조)
    COMPLAINT_RETURNED = "complaint_returned"  # 반려 통지, with the reason (영 제25조①)
    OBJECTION_DECIDED = "objection_decided"  # 이의신청 결정 통지 (법 제35조②)
    COMPLAINT_CLOSED_REPEATED = "complaint_closed_repeated"  # 반복민원 종결 통지 (법 제23조①)
    COMPLAINT_WITHDRAWN = "complaint_withdrawn"  # 취하 확인 (법 제22조②, 영 제25조③)
    DEADLINE_MOVED = "deadline_moved"  # a date the complainant was told moved (a new holiday)
    SATISFACTION_SURVEY = "satisfaction_survey"  # 만족도 조사, after the answer
    # Officer-facing expectations.
    DEADLINE_WARNING = "deadline_warning"  # 50 % / 80 % of the period used
    DEADLINE_OVERDUE = "deadline_overdue"  # 100 %: the deadline has passed
    ESCALATION_OVERDUE = "escalation_overdue"  # to the department head when overdue
    REGISTRATION_ALARM = "registration_alarm"  # online arrival not registered (영 제6조⑧ 8근무시간)
    DAILY_DIGEST = "daily_digest"  # one summary per org unit per day
    # Protection (issue 16): the screen flagged a citizen's text (to the department head), or
    # found a threat to staff or of self-harm (urgent: the head and the security desk at once).
    PROTECTION_FLAGGED = "protection_flagged"
    PROTECTION_THREAT = "protection_threat"
    PROTECTION_PANIC = "protection_panic"  # the panic button was pressed (비상벨)
    # Accounts: one-time codes (never to an account's in-app notices; see SECRET_PLACEHOLDERS).
    SIGNUP_CODE = "signup_code"  # the code that proves an address at sign-up
    SIGNUP_ADDRESS_TAKEN = "signup_address_taken"  # a sign-up for an address that has an account
    PASSWORD_RESET_CODE = "password_reset_code"  # the code to choose a new password
    # Life-event bundles (benefits, issue 19), to the applicant.
    BENEFIT_APPLICATION_RECEIVED = "benefit_application_received"  # one receipt for the bundle
    BENEFIT_STATUS_CHANGED = "benefit_status_changed"  # one programme moved (approved, paid …)


AUDIENCE: Final[dict[Event, Audience]] = {
    Event.COMPLAINT_REGISTERED: Audience.CITIZEN,
    Event.COMPLAINT_TRANSFERRED: Audience.CITIZEN,
    Event.SUPPLEMENT_REQUESTED: Audience.CITIZEN,
    Event.COMPLAINT_EXTENDED: Audience.CITIZEN,
    Event.PROGRESS_NOTICE: Audience.CITIZEN,
    Event.COMPLAINT_ANSWERED: Audience.CITIZEN,
    Event.COMPLAINT_RETURNED: Audience.CITIZEN,
    Event.OBJECTION_DECIDED: Audience.CITIZEN,
    Event.COMPLAINT_CLOSED_REPEATED: Audience.CITIZEN,
    Event.COMPLAINT_WITHDRAWN: Audience.CITIZEN,
    Event.DEADLINE_MOVED: Audience.CITIZEN,
    Event.SATISFACTION_SURVEY: Audience.CITIZEN,
    Event.DEADLINE_WARNING: Audience.OFFICER,
    Event.DEADLINE_OVERDUE: Audience.OFFICER,
    Event.ESCALATION_OVERDUE: Audience.OFFICER,
    Event.REGISTRATION_ALARM: Audience.OFFICER,
    Event.DAILY_DIGEST: Audience.OFFICER,
    Event.PROTECTION_FLAGGED: Audience.OFFICER,
    Event.PROTECTION_THREAT: Audience.OFFICER,
    Event.PROTECTION_PANIC: Audience.OFFICER,
    Event.SIGNUP_CODE: Audience.CITIZEN,
    Event.SIGNUP_ADDRESS_TAKEN: Audience.CITIZEN,
    Event.PASSWORD_RESET_CODE: Audience.CITIZEN,
    Event.BENEFIT_APPLICATION_RECEIVED: Audience.CITIZEN,
    Event.BENEFIT_STATUS_CHANGED: Audience.CITIZEN,
}

LANGUAGES: Final = ("ko", "en")

# Placeholders every template may use, plus those of its event. Anything else is refused.
COMMON_PLACEHOLDERS: Final = frozenset({"recipient_name", "site_name", "url"})
_COMPLAINT: Final = frozenset({"complaint_no", "title"})
# 영 제31조: supplement, extension, progress and result notices name the officer in charge.
_OFFICER: Final = frozenset({"officer_unit", "officer_name", "officer_phone"})
# Notices to a complainant are worded from one set of values (notifications.services.notices.
# notice_context computes all of them, as `NOTICE_PLACEHOLDERS`); each event allows those that
# mean something for it.
_NOTICE_BASE: Final = (
    _COMPLAINT
    | _OFFICER
    | frozenset(
        {"follow_no", "registered_at", "period", "due_date", "unit", "contact", "event_date"}
        | {"status"}
    )
)
_NOTICE_EXTRA: Final[dict[Event, frozenset[str]]] = {
    Event.COMPLAINT_REGISTERED: frozenset(),
    Event.COMPLAINT_TRANSFERRED: frozenset({"to_agency", "reason"}),
    Event.SUPPLEMENT_REQUESTED: frozenset({"items", "supplement_due"}),
    Event.COMPLAINT_EXTENDED: frozenset(
        {"reason", "extension_reason", "extension_text", "previous_due_date"}
        | {"extension_number", "consent"}
    ),
    Event.PROGRESS_NOTICE: frozenset({"progress", "next_step", "supplement_due"}),
    Event.COMPLAINT_ANSWERED: frozenset({"outcome", "answer", "refusal_reason", "remedy"}),
    Event.COMPLAINT_RETURNED: frozenset({"reason"}),
    Event.OBJECTION_DECIDED: frozenset(
        {"objection_outcome", "objection_decision", "objection_next"}
    ),
    Event.COMPLAINT_CLOSED_REPEATED: frozenset({"reason", "earlier"}),
    Event.COMPLAINT_WITHDRAWN: frozenset(),
    Event.DEADLINE_MOVED: frozenset({"moved", "reason"}),
    Event.SATISFACTION_SURVEY: frozenset({"survey_url"}),
}
NOTICE_PLACEHOLDERS: Final = _NOTICE_BASE.union(*_NOTICE_EXTRA.values())
PLACEHOLDERS: Final[dict[Event, frozenset[str]]] = {
    **{event: _NOTICE_BASE | extra for event, extra in _NOTICE_EXTRA.items()},
    Event.DEADLINE_WARNING: _COMPLAINT | {"percent", "due_at"},
    Event.DEADLINE_OVERDUE: _COMPLAINT | {"due_at"},
    Event.ESCALATION_OVERDUE: _COMPLAINT | {"due_at", "officer_name"},
    Event.REGISTRATION_ALARM: _COMPLAINT | {"due_at"},
    Event.DAILY_DIGEST: frozenset({"unit_name", "date", "open_count", "due_soon", "overdue"}),
    # Never the words: which kind of text, what was found, how serious (the page masks the rest).
    Event.PROTECTION_FLAGGED: frozenset({"complaint_no", "source", "categories", "severity"}),
    Event.PROTECTION_THREAT: frozenset({"complaint_no", "source", "categories", "severity"}),
    Event.PROTECTION_PANIC: frozenset(
        {"incident_no", "officer_name", "unit_name", "time", "place"}
    ),
    Event.SIGNUP_CODE: frozenset({"code", "minutes"}),
    Event.SIGNUP_ADDRESS_TAKEN: frozenset(),
    Event.PASSWORD_RESET_CODE: frozenset({"code", "minutes"}),
    Event.BENEFIT_APPLICATION_RECEIVED: frozenset({"receipt_no", "bundle", "programmes"}),
    Event.BENEFIT_STATUS_CHANGED: frozenset({"receipt_no", "programme", "status", "note"}),
}

# Values kept encrypted in the outbox (a one-time code is never stored in clear): the outbox
# encrypts them when it records the notification and the dispatcher decrypts them to render it.
SECRET_PLACEHOLDERS: Final = frozenset({"code"})
# Events sent only to the address given (e-mail or phone), never to an account: an in-app notice
# would keep the rendered code in clear.
ADDRESS_ONLY_EVENTS: Final = frozenset(
    {Event.SIGNUP_CODE, Event.SIGNUP_ADDRESS_TAKEN, Event.PASSWORD_RESET_CODE}
)


def allowed_placeholders(event: Event) -> frozenset[str]:
    return COMMON_PLACEHOLDERS | PLACEHOLDERS[event]


class DeliveryChannel(StrEnum):
    IN_APP = "in_app"  # a notice in the portal/office (table InAppNotice)
    EMAIL = "email"
    ALIMTALK = "alimtalk"  # 카카오 알림톡 (template-coded business message)
    SMS = "sms"


# Channels that wake people up: they keep quiet hours.
INTRUSIVE_CHANNELS: Final = frozenset({DeliveryChannel.SMS, DeliveryChannel.ALIMTALK})


# The delivery log's entry for a notification that no channel could carry (no address, or every
# channel refused by the person's preferences): recorded as a failed delivery so officers see it.
NO_CHANNEL: Final = "none"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its time (new, deferred, or waiting to retry)
    SENDING = "sending"  # claimed by a worker until `claimed_until`
    DELIVERED = "delivered"  # the provider accepted it (final)
    FAILED = "failed"  # will not be retried (final); `reason` says why


FINAL_STATUSES: Final = frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.FAILED})


# --- channel choice -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    """A person's choices; in-app notices are always kept (they cost nothing and wake no one)."""

    email: bool = True
    sms: bool = True
    alimtalk: bool = True


@dataclass(frozen=True)
class Contact:
    email: str = ""
    phone: str = ""
    has_account: bool = False


def plan_channels(
    audience: Audience, contact: Contact, prefs: Preferences
) -> list[DeliveryChannel]:
    """The channels one notification goes out on, in order.

    Citizens: in-app (with an account), e-mail, and 알림톡 if allowed (SMS comes as its fallback),
    else SMS; text channels only for a mobile number. Officers: in-app and e-mail (at work,
    their phones are not used).
    """
    channels: list[DeliveryChannel] = []
    if contact.has_account:
        channels.append(DeliveryChannel.IN_APP)
    if contact.email and prefs.email:
        channels.append(DeliveryChannel.EMAIL)
    if audience is Audience.CITIZEN and normalize_mobile(contact.phone):
        if prefs.alimtalk:
            channels.append(DeliveryChannel.ALIMTALK)
        elif prefs.sms:
            channels.append(DeliveryChannel.SMS)
    return channels


def fallback_for(channel: DeliveryChannel, prefs: Preferences) -> DeliveryChannel | None:
    """When a delivery on `channel` fails for good, the channel to try instead (대체발송)."""
    if channel is DeliveryChannel.ALIMTALK and prefs.sms:
        return DeliveryChannel.SMS
    return None


# --- quiet hours --------------------------------------------------------------------------------

QUIET_START: Final = time(21, 0)
QUIET_END: Final = time(8, 0)


def quiet_hours_release(channel: DeliveryChannel, at: datetime, *, urgent: bool) -> datetime | None:
    """None when `channel` may be used at `at`; else the instant (08:00 Seoul) to send instead.

    No SMS or 알림톡 from 21:00 to 08:00 Asia/Seoul unless urgent: such messages wait, never drop.
    """
    if urgent or channel not in INTRUSIVE_CHANNELS:
        return None
    local = at.astimezone(SEOUL)
    if QUIET_END <= local.time() < QUIET_START:
        return None
    release_day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(release_day, QUIET_END, tzinfo=SEOUL)


# --- retries ------------------------------------------------------------------------------------

MAX_ATTEMPTS: Final = 8
BACKOFF_BASE: Final = timedelta(seconds=30)
BACKOFF_CAP: Final = timedelta(hours=2)


def retry_delay(attempt: int) -> timedelta:
    """Wait after failed attempt number `attempt` (1-based): 30 s, 1 min, 2 min ... at most 2 h."""
    if attempt < 1:
        raise ValueError("attempt is 1-based")
    return min(BACKOFF_BASE * (1 << min(attempt - 1, 20)), BACKOFF_CAP)


class FailureKind(StrEnum):
    TRANSIENT = "transient"  # try again later (5xx, timeout, connection refused, 429)
    PERMANENT = "permanent"  # will never work (4xx, invalid address, bad template)


def after_failure(
    attempts: int, kind: FailureKind, now: datetime, *, max_attempts: int = MAX_ATTEMPTS
) -> datetime | None:
    """When to try again after a failure, or None when the delivery has failed for good."""
    if kind is FailureKind.PERMANENT or attempts >= max_attempts:
        return None
    return now + retry_delay(attempts)


def http_failure_kind(status: int) -> FailureKind:
    """A provider's HTTP status → whether to retry. 408/429 and 5xx are worth another try."""
    if status in (408, 425, 429) or status >= 500:
        return FailureKind.TRANSIENT
    return FailureKind.PERMANENT


# --- addresses ----------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MOBILE = re.compile(r"^01[016789]\d{7,8}$")


def normalize_mobile(phone: str) -> str | None:
    """'010-1234-5678' → '01012345678'; None when it is not a Korean mobile number."""
    digits = re.sub(r"[\s\-().]", "", phone)
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    return digits if _MOBILE.match(digits) else None


def is_email(address: str) -> bool:
    return bool(_EMAIL.match(address))


# --- templates ----------------------------------------------------------------------------------


class TemplateError(Exception):
    """A template is malformed; `code` is stable, `detail` names the placeholder or position."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}")


def template_placeholders(text: str) -> list[str]:
    """Names used in a `$name` / `${name}` template, or TemplateError on bad syntax."""
    tpl = string.Template(text)
    for match in tpl.pattern.finditer(text):
        if match.group("invalid") is not None:
            position = match.start("invalid")
            line = text.count("\n", 0, position) + 1
            snippet = text[position : position + 12]
            raise TemplateError("template.syntax", f"line {line}: {snippet!r} (write $$ for $)")
    return tpl.get_identifiers()


def template_validate(text: str, allowed: Iterable[str]) -> list[str]:
    """Check syntax and that every placeholder is allowed; returns the placeholders used."""
    names = template_placeholders(text)
    allowed_set = set(allowed)
    unknown = [name for name in names if name not in allowed_set]
    if unknown:
        raise TemplateError("template.unknown_placeholder", ", ".join(f"${n}" for n in unknown))
    return names


def template_render(text: str, context: Mapping[str, object]) -> str:
    """Fill a template; only plain `$name` substitution (no attribute access, no code).

    A line that holds only placeholders that are all empty here (an optional part, such as the
    consent to a second extension) is left out rather than printed blank. Korean particle markers
    ("이(가)", "(으)로" …) become the one form that fits the value before them."""
    values = {k: str(v) for k, v in context.items()}
    try:
        lines = []
        for line in text.split("\n"):
            filled = choose_particles(string.Template(line).substitute(values))
            if filled.strip() or not line.strip() or not template_placeholders(line):
                lines.append(filled)
        return "\n".join(lines)
    except KeyError as exc:
        raise TemplateError("template.missing_value", f"${exc.args[0]}") from exc
    except ValueError as exc:
        raise TemplateError("template.syntax", str(exc)) from exc


# --- schedules ----------------------------------------------------------------------------------

# 50 and 80: the complaints context's warning shares as the percent the templates show.
WARNING_PERCENTS: Final = tuple(round(share * 100) for share in DEADLINE_WARNING_SHARES)


def deadline_share_used(clock_from: datetime, due_at: datetime, now: datetime) -> float:
    """How much of the period has passed (0.0 at registration, 1.0 at the deadline)."""
    total = (due_at - clock_from).total_seconds()
    if total <= 0:
        return 1.0
    return (now - clock_from).total_seconds() / total


def deadline_event_due(
    clock_from: datetime, due_at: datetime, now: datetime
) -> tuple[Event, int] | None:
    """The highest threshold reached by `now`: (DEADLINE_WARNING, 50 or 80) or (OVERDUE, 100).

    Each threshold is sent once per complaint and deadline (the key carries both), and only the
    highest one reached: a sweep that ran late does not send a stale 50 % warning beside an 80 %.
    """
    if now >= due_at:
        return (Event.DEADLINE_OVERDUE, 100)
    used = deadline_share_used(clock_from, due_at, now) * 100
    reached = [p for p in WARNING_PERCENTS if used >= p]
    return (Event.DEADLINE_WARNING, reached[-1]) if reached else None


def idempotency_key(*parts: object) -> str:
    """Join parts into a key ('deadline:123:80'); colons inside parts are not allowed."""
    texts = [str(p) for p in parts]
    if any(":" in t or not t for t in texts):
        raise ValueError("key parts must be non-empty and contain no colon")
    return ":".join(texts)
