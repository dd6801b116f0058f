"""Status lookup without an account: the one way in for the portal's /follow/ page and the JSON
API's POST /complaints/status, behind one failure throttle (THROTTLES["lookup"], per follow-up
number and per client address; docs/security.md)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from minwon.complaints.access import access_complaint_by_follow_number
from minwon.complaints.domain import typed_follow_number, typed_receipt_number
from minwon.complaints.models import Complaint
from minwon.core.errors import NotFound, Throttled, ValidationFailed
from minwon.core.selectors import throttle_policy, throttle_wait_seconds
from minwon.core.services import audit_record, throttle_failure_record, throttle_success

LOOKUP_SCOPE = "lookup"


def lookup_throttled_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return str(
        ngettext_lazy(
            "Too many failed attempts for this number or from your connection. For your "
            "protection nothing is checked for %(minutes)s minute; try again after that.",
            "Too many failed attempts for this number or from your connection. For your "
            "protection nothing is checked for %(minutes)s minutes; try again after that.",
            "minutes",
        )
        % {"minutes": minutes}
    )


def complaint_lookup(*, follow_number: str, password: str, ip: str | None) -> Complaint:
    """The complaint that `follow_number` (as typed) and `password` open, for a visitor at `ip`
    (the client's address, core.middleware.TrustedProxyMiddleware).

    A receipt number (접수번호) is refused with its own message: it is public and sequential, so
    it is no key. While the number or the address must wait (Throttled, with the seconds),
    nothing is checked, not even the right password. A failure is counted and audited
    (`complaint.lookup_failed`) in its own transaction whether or not the number exists; a
    success (`complaint.looked_up`) forgets this client's failures for the number.
    """
    number = typed_follow_number(follow_number)
    if number is None:
        if typed_receipt_number(follow_number) is not None:
            raise ValidationFailed(
                _(
                    "The receipt number is public, so it cannot open a complaint. Enter the "
                    "follow-up number shown when you sent the complaint (it is also on your "
                    "접수증), such as K7QF-3MXA-9RTB."
                ),
                code="complaint.lookup_needs_follow_number",
                field="follow_number",
            )
        raise ValidationFailed(
            _(
                "This is not a follow-up number: it has 12 letters and digits, such as "
                "K7QF-3MXA-9RTB."
            ),
            code="complaint.follow_number_invalid",
            field="follow_number",
        )
    policy = throttle_policy(LOOKUP_SCOPE)
    wait = throttle_wait_seconds(policy, key=number, ip=ip)
    if wait:
        raise Throttled(
            lookup_throttled_message(wait), code="complaint.lookup_throttled", retry_after=wait
        )
    try:
        complaint = access_complaint_by_follow_number(number, password)
    except NotFound:
        found = Complaint.objects.filter(follow_number=number).values_list("pk", flat=True)
        throttle_failure_record(
            policy,
            key=number,
            ip=ip,
            action="complaint.lookup_failed",
            target_type="complaints.complaint" if found else "",
            target_id=found[0] if found else "",
        )
        raise
    throttle_success(policy, key=number, ip=ip)
    audit_record(actor=None, action="complaint.looked_up", target=complaint)
    return complaint


def status_password_problems(password: str) -> list[str]:
    """What is wrong with a chosen status password (STATUS_PASSWORD_VALIDATORS: length, Django's
    common-password list, all digits), in the reader's language; empty when it is good."""
    config = cast(list[dict[str, Any]], settings.STATUS_PASSWORD_VALIDATORS)
    try:
        validate_password(password, password_validators=get_password_validators(config))
    except ValidationError as exc:
        return [str(m) for m in exc.messages]
    return []
