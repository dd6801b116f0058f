"""Issue 13 item 12: a 주민등록번호 typed into a citizen's other words (a withdrawal or
reopening reason, a rating comment) is stored masked, the words as sent only encrypted in the
history row, as the complaint's text, a supplement and objection grounds are; and migration
complaints/0015 masks such words stored before."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from minwon.accounts.models import User
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel, Outcome
from minwon.complaints.models import Complaint, ComplaintEvent, SatisfactionRating
from minwon.core import crypto
from minwon.lawclock.kinds import ComplaintKind

File = Callable[..., Complaint]
RRN = "900101-1234568"  # a valid check digit
MASKED = "900101-1******"
PHONE = "010-1234-5678"  # stays


def _answered(file: File, road_officer: User, citizen: User) -> Complaint:
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, register_now=True)
    c = s.complaint_assign(complaint=c, actor=road_officer, assignee=road_officer)
    return s.complaint_answer(
        complaint=c, actor=road_officer, outcome=Outcome.GRANTED, answer="고쳤습니다."
    )


def _event(c: Complaint, action: str) -> ComplaintEvent:
    return ComplaintEvent.objects.filter(complaint=c, action=action).latest("pk")


def test_a_rrn_in_a_rating_comment_or_a_reopening_reason_is_masked_and_kept_encrypted(
    file: File, road_officer: User, citizen: User
) -> None:
    c = _answered(file, road_officer, citizen)
    comment = f"제 번호 {RRN}로 확인해 주셔서 감사합니다 ({PHONE})"
    rating = s.complaint_satisfaction_rate(complaint=c, actor=citizen, score=5, comment=comment)
    assert rating.comment == f"제 번호 {MASKED}로 확인해 주셔서 감사합니다 ({PHONE})"
    assert SatisfactionRating.objects.get().comment == rating.comment
    rated = _event(c, "rate")
    assert crypto.decrypt(rated.data["comment_original_encrypted"]) == comment
    assert RRN not in str(rated.data)

    reason = f"아직 그대로입니다. 신청인 {RRN}"
    c = s.complaint_reopen(complaint=c, actor=citizen, reason=reason)
    reopened = _event(c, "reopen")
    assert reopened.data["reason"] == f"아직 그대로입니다. 신청인 {MASKED}"
    assert crypto.decrypt(reopened.data["reason_original_encrypted"]) == reason


def test_a_rrn_in_a_withdrawal_reason_is_masked_and_words_without_one_are_kept_as_they_are(
    file: File, citizen: User
) -> None:
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen)
    c = s.complaint_withdraw(complaint=c, actor=citizen, reason=f"{RRN} 본인 취하")
    withdrawn = _event(c, "withdraw")
    assert withdrawn.data["reason"] == f"{MASKED} 본인 취하"
    assert crypto.decrypt(withdrawn.data["reason_original_encrypted"]) == f"{RRN} 본인 취하"

    other = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen)
    other = s.complaint_withdraw(complaint=other, actor=citizen, reason=f"연락처 {PHONE}")
    kept = _event(other, "withdraw").data
    assert kept["reason"] == f"연락처 {PHONE}" and "reason_original_encrypted" not in kept


@pytest.mark.django_db(transaction=True)
def test_the_migration_masks_free_text_stored_before(
    file: File, road_officer: User, citizen: User
) -> None:
    from django.db.migrations.executor import MigrationExecutor

    c = _answered(file, road_officer, citizen)
    s.complaint_satisfaction_rate(complaint=c, actor=citizen, score=2, comment="느려요")
    c = s.complaint_reopen(complaint=c, actor=citizen, reason="아직 그대로입니다.")
    # As rows stored before the masking were: the numbers in clear, no originals.
    Complaint.objects.filter(pk=c.pk).update(objection_grounds=f"신청인 {RRN} 소유자")
    objection = ComplaintEvent.objects.create(
        complaint=c,
        occurred_at=c.created_at,
        action="file_objection",
        from_status="answered",
        to_status="objection_pending",
        data={"grounds": f"신청인 {RRN} 소유자"},
    )
    supplement = ComplaintEvent.objects.create(
        complaint=c,
        occurred_at=c.created_at,
        action="receive_supplement",
        to_status="in_progress",
        data={"note": f"번호 {RRN}, 전화 {PHONE}", "by_complainant": True},
    )
    ComplaintEvent.objects.filter(complaint=c, action="reopen").update(
        data={"reason": f"{RRN} 다시 봐 주세요"}
    )
    SatisfactionRating.objects.update(comment=f"느려요 {RRN}")
    untouched = _event(c, "answer").data

    executor = MigrationExecutor(connection)
    executor.migrate([("complaints", "0014_claim_action")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    c.refresh_from_db()
    assert c.objection_grounds == f"신청인 {MASKED} 소유자"
    objection.refresh_from_db()
    assert objection.data["grounds"] == c.objection_grounds
    assert crypto.decrypt(objection.data["grounds_original_encrypted"]) == f"신청인 {RRN} 소유자"
    supplement.refresh_from_db()
    assert supplement.data["note"] == f"번호 {MASKED}, 전화 {PHONE}"
    assert supplement.data["by_complainant"] is True
    assert crypto.decrypt(supplement.data["note_original_encrypted"]) == f"번호 {RRN}, 전화 {PHONE}"
    reopened = _event(c, "reopen")
    assert reopened.data["reason"] == f"{MASKED} 다시 봐 주세요"
    assert SatisfactionRating.objects.get().comment == f"느려요 {MASKED}"
    rated = _event(c, "rate")
    assert crypto.decrypt(rated.data["comment_original_encrypted"]) == f"느려요 {RRN}"
    assert _event(c, "answer").data == untouched  # nothing to mask: the row is as it was
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM complaints_complaintevent")
        assert not any(RRN in str(row[0]) for row in cursor.fetchall())
