"""Administrators' and citizens' writes: templates, channel preferences, reading in-app notices."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import user_has_role
from minwon.core import clock
from minwon.core.errors import NotFound, PermissionDenied, ValidationFailed
from minwon.core.services import audit_record
from minwon.notifications.defaults import DEFAULT_TEMPLATES, SUPERSEDED_DEFAULTS, template_digest
from minwon.notifications.domain import (
    LANGUAGES,
    Event,
    TemplateError,
    allowed_placeholders,
    template_validate,
)
from minwon.notifications.models import ChannelPreference, InAppNotice, NotificationTemplate

SUBJECT_MAX = 300
SHORT_MAX = 1000


def _template_error(exc: TemplateError, field: str) -> ValidationFailed:
    if exc.code == "template.unknown_placeholder":
        message = _("Unknown placeholder in the template: %(names)s.") % {"names": exc.detail}
    else:
        message = _("The template is malformed (%(detail)s).") % {"detail": exc.detail}
    return ValidationFailed(message, code=exc.code, field=field, params={"detail": exc.detail})


@transaction.atomic
def notification_template_update(
    *,
    actor: User,
    event: Event | str,
    language: str,
    subject: str,
    body: str,
    short: str,
    alimtalk_code: str | None = None,
) -> NotificationTemplate:
    """Change the words of one event in one language, or refuse with a clear error.

    Placeholders are `$name` or `${name}`; only those domain.PLACEHOLDERS allows for the event.
    """
    if not user_has_role(actor, Role.ADMINISTRATOR):
        raise PermissionDenied()
    try:
        event = Event(event)
    except ValueError:
        raise ValidationFailed(_("Unknown notification event."), field="event") from None
    if language not in LANGUAGES:
        raise ValidationFailed(_("Unknown language."), field="language")
    allowed = allowed_placeholders(event)
    fields = {  # browsers send textarea lines as CRLF; messages use LF
        name: text.replace("\r\n", "\n").replace("\r", "\n").strip()
        for name, text in (("subject", subject), ("body", body), ("short", short))
    }
    for name, text in fields.items():
        if not text:
            raise ValidationFailed(_("This text is required."), field=name)
        try:
            template_validate(text, allowed)
        except TemplateError as exc:
            raise _template_error(exc, name) from exc
    if len(fields["subject"]) > SUBJECT_MAX or "\n" in fields["subject"]:
        raise ValidationFailed(
            _("The subject must be one line of at most 300 characters."), field="subject"
        )
    if len(fields["short"]) > SHORT_MAX:
        raise ValidationFailed(_("The short text is too long."), field="short")
    template = NotificationTemplate.objects.select_for_update().filter(
        event=event.value, language=language
    ).first() or NotificationTemplate(event=event.value, language=language)
    before = {"subject": template.subject, "body": template.body, "short": template.short}
    template.subject, template.body, template.short = (
        fields["subject"],
        fields["body"],
        fields["short"],
    )
    if alimtalk_code is not None:
        template.alimtalk_code = alimtalk_code.strip()[:60]
    template.save()
    audit_record(
        actor=actor,
        action="notification_template.updated",
        target=template,
        data={"event": event.value, "language": language, "before": before, "after": fields},
    )
    return template


@transaction.atomic
def notification_templates_seed() -> int:
    """Create the default template of every event and language that has none, and bring every
    unedited earlier default up to date; returns how many were created or updated."""
    upgraded = 0
    for row in NotificationTemplate.objects.all():
        current = DEFAULT_TEMPLATES.get((Event(row.event), row.language))
        digest = template_digest(row.subject, row.body, row.short, row.alimtalk_code)
        if current is None or digest not in SUPERSEDED_DEFAULTS:
            continue
        row.subject, row.body, row.short = current.subject, current.body, current.short
        row.alimtalk_code = current.alimtalk_code
        row.save(update_fields=["subject", "body", "short", "alimtalk_code", "updated_at"])
        upgraded += 1
    if upgraded:
        audit_record(
            actor=None,
            action="notification_template.upgraded",
            target_type="notifications.notificationtemplate",
            data={"updated": upgraded},
        )
    existing = set(NotificationTemplate.objects.values_list("event", "language"))
    missing = [
        NotificationTemplate(
            event=event.value,
            language=language,
            subject=t.subject,
            body=t.body,
            short=t.short,
            alimtalk_code=t.alimtalk_code,
        )
        for (event, language), t in DEFAULT_TEMPLATES.items()
        if (event.value, language) not in existing
    ]
    NotificationTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:
        audit_record(
            actor=None,
            action="notification_template.seeded",
            target_type="notifications.notificationtemplate",
            data={"created": len(missing)},
        )
    return len(missing) + upgraded


@transaction.atomic
def channel_preference_update(
    *, user: User, email: bool, sms: bool, alimtalk: bool
) -> ChannelPreference:
    """A person chooses channels. In-app notices stay on; legal notices still reach the portal."""
    pref, _created = ChannelPreference.objects.select_for_update().get_or_create(user=user)
    pref.email, pref.sms, pref.alimtalk = email, sms, alimtalk
    pref.save(update_fields=["email", "sms", "alimtalk", "updated_at"])
    audit_record(
        actor=user,
        action="channel_preference.updated",
        target=pref,
        data={"email": email, "sms": sms, "alimtalk": alimtalk},
    )
    return pref


@transaction.atomic
def in_app_notice_mark_read(*, user: User, notice_id: int) -> InAppNotice:
    notice = InAppNotice.objects.filter(pk=notice_id, user=user).first()
    if notice is None:
        raise NotFound()
    if notice.read_at is None:
        notice.read_at = clock.now()
        notice.save(update_fields=["read_at", "updated_at"])
    return notice
