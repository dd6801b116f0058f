"""What the complainant does after filing: answer a request for more information (보완), rate the
answer (만족도 평가), attach a complaint filed without an account to a new account (claim)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from minwon.accounts.models import User
from minwon.complaints.domain import (
    Action,
    ComplaintStatus,
    check_rating,
    check_supplement_submission,
)
from minwon.complaints.models import Attachment, Complaint, SatisfactionRating
from minwon.complaints.services.attachments import (
    FileInput,
    attachment_store,
    attachments_check,
)
from minwon.complaints.services.common import lock, masked_text, record, rule_errors, transition
from minwon.complaints.services.lookup import complaint_lookup
from minwon.complaints.services.workflow import complaint_supplement_receive
from minwon.core.errors import NotFound

MAX_SUPPLEMENT_TEXT = 4000
MAX_RATING_COMMENT = 1000


@transaction.atomic
def complaint_supplement_submit(
    *,
    complaint: Complaint,
    actor: User | None,
    text: str,
    files: Sequence[FileInput] = (),
) -> Complaint:
    """The complainant sends what a 보완 요구 asked for (법 제22조①): words, files or both. The
    supplement has arrived, so the stopped clock runs again (`complaint_supplement_receive`)."""
    # refuse before reading any file; complaint_supplement_receive makes the step itself
    complaint = transition(complaint, Action.RECEIVE_SUPPLEMENT).complaint
    with rule_errors():
        check_supplement_submission(text=text, files=len(files))
    already = Attachment.objects.filter(complaint=complaint).count()
    checked = attachments_check(files, already=already)
    stored = [attachment_store(complaint=complaint, actor=actor, file=f) for f in checked]
    note = text.strip()[:MAX_SUPPLEMENT_TEXT]
    return complaint_supplement_receive(
        complaint=complaint,
        actor=actor,
        note=note,
        attachment_ids=[attachment.pk for attachment in stored],
        by_complainant=True,
    )


@transaction.atomic
def complaint_satisfaction_rate(
    *, complaint: Complaint, actor: User | None, score: int, comment: str = ""
) -> SatisfactionRating:
    """만족도 평가 of the latest answer: 1 (very dissatisfied) to 5 (very satisfied), once."""
    complaint = lock(complaint)
    already = SatisfactionRating.objects.filter(
        complaint=complaint, answer_number=complaint.result_notices
    ).exists()
    with rule_errors():
        check_rating(status=ComplaintStatus(complaint.status), score=score, already_rated=already)
    # A 주민등록번호 in the comment is kept masked; the words as sent only encrypted, in the
    # history row (issue 13 item 12).
    words = masked_text("comment", comment.strip()[:MAX_RATING_COMMENT])
    rating = SatisfactionRating(
        complaint=complaint,
        answer_number=complaint.result_notices,
        score=score,
        comment=str(words.pop("comment"))[:MAX_RATING_COMMENT],
        rated_by=actor if actor is not None and actor.pk else None,
    )
    rating.full_clean()
    rating.save()
    record(
        complaint,
        Action.RATE,
        actor=actor,
        from_status=complaint.status,
        data={"score": score, "answer_number": rating.answer_number, **words},
    )
    return rating


def complaint_claim(
    *, citizen: User, follow_number: str, password: str, ip: str | None
) -> Complaint:
    """Attach a complaint filed without an account to the citizen's account: the follow-up
    number and the password chosen at filing prove it is theirs (checked and throttled by
    `complaint_lookup`, whose failures are counted in their own transaction). From then on the
    account reaches it (나의 민원) and the password no longer does. A complaint that already
    belongs to an account gets the same "not found" as a wrong password."""
    if citizen.is_officer or not citizen.is_active:
        raise NotFound(code="complaint.not_found")
    found = complaint_lookup(follow_number=follow_number, password=password, ip=ip)
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=found.pk)
        if complaint.citizen_id is not None:
            raise NotFound(code="complaint.not_found")
        complaint.citizen = citizen
        complaint.status_password = ""
        complaint.save(update_fields=["citizen", "status_password", "updated_at"])
        # One history row (the timeline of both sides shows when the account took it over) and its
        # audit row; the follow-up number is a lookup secret and stays out of both.
        record(complaint, Action.CLAIM, actor=citizen, from_status=complaint.status)
    return complaint
