"""Abuse limits on citizens' own filing channels (issue 13 item 8).

Filing on the portal and the JSON API, with or without an account, is counted per client address
(the failure-throttle table, scope `filing`, settings.THROTTLES): past the free filings of the
window every further one waits, doubling, and is refused with `complaint.filing_throttled`
(429 and Retry-After on the API) before anything is checked or stored. Officers' channels
(counter, phone, post) and the national exchange are not limited.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import ngettext_lazy

from minwon.accounts.models import User
from minwon.complaints.models import Complaint
from minwon.complaints.services.intake import FilingInput, complaint_file
from minwon.core.errors import Throttled
from minwon.core.selectors import throttle_policy, throttle_wait_seconds
from minwon.core.services import client_lock, throttle_count

FILING_SCOPE = "filing"


def filing_throttled_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return str(
        ngettext_lazy(
            "Many complaints have been sent from your connection in a short time. To keep the "
            "service open for everyone, try again in %(minutes)s minute; what you wrote is kept.",
            "Many complaints have been sent from your connection in a short time. To keep the "
            "service open for everyone, try again in %(minutes)s minutes; what you wrote is kept.",
            "minutes",
        )
        % {"minutes": minutes}
    )


def filing_wait_check(*, ip: str | None) -> None:
    """Raise Throttled while the client at `ip` must wait before filing again."""
    wait = throttle_wait_seconds(throttle_policy(FILING_SCOPE), key=FILING_SCOPE, ip=ip)
    if wait:
        raise Throttled(
            filing_throttled_message(wait), code="complaint.filing_throttled", retry_after=wait
        )


def complaint_file_limited(
    *, data: FilingInput, ip: str | None, citizen: User | None = None
) -> Complaint:
    """`complaint_file` for a citizen's own channel, behind the per-client filing limit: a
    filing refused for its content is not counted, one stored is, in the filing's transaction.
    One client's filings are checked and counted one at a time (`client_lock`), so concurrent
    requests cannot all pass the check before any is counted."""
    with transaction.atomic():
        client_lock(FILING_SCOPE, ip)
        filing_wait_check(ip=ip)
        complaint = complaint_file(data=data, citizen=citizen)
        throttle_count(
            throttle_policy(FILING_SCOPE),
            key=FILING_SCOPE,
            ip=ip,
            action="complaint.filing_counted",
        )
    return complaint
