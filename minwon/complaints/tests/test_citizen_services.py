"""What the pages need from the complaints context: the place, files at filing, the citizen's
supplement, the satisfaction rating, and following a complaint without an account."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from PIL import Image

from minwon.accounts.models import User
from minwon.complaints import services as s
from minwon.complaints.access import access_complaint_by_follow_number, access_complaint_followed
from minwon.complaints.domain import (
    ComplaintRuleError,
    ComplaintStatus,
    IntakeChannel,
    Outcome,
    check_location,
    check_rating,
)
from minwon.complaints.models import Attachment, Complaint, ComplaintEvent, SatisfactionRating
from minwon.complaints.selectors import satisfaction_list
from minwon.core.errors import Conflict, NotFound, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.files import pdf

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]
PDF = pdf()


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    return out.getvalue()


# --- the place ----------------------------------------------------------------------------------


def test_the_place_is_kept_apart_from_the_text(file: File) -> None:
    c = file(
        ComplaintKind.GRIEVANCE,
        body="가로등이 꺼져 있습니다.",
        location_text=" 경기도 파주시 시청로 50 ",
        location_lat=37.76,
        location_lng=126.78,
    )
    c.refresh_from_db()
    assert c.body == "가로등이 꺼져 있습니다."
    assert c.location_text == "경기도 파주시 시청로 50"
    assert (c.location_lat, c.location_lng) == (37.76, 126.78)


@pytest.mark.parametrize(("lat", "lng"), [(37.7, None), (None, 126.7), (91.0, 126.0), (37.0, 181)])
def test_a_map_pin_is_a_whole_valid_point(file: File, lat: float | None, lng: float | None) -> None:
    with pytest.raises(ValidationFailed) as caught:
        file(ComplaintKind.GRIEVANCE, location_lat=lat, location_lng=lng)
    assert caught.value.code == "complaint.location_invalid"
    assert caught.value.field == "location"
    assert Complaint.objects.count() == 0


def test_the_database_refuses_half_a_point_as_well(file: File) -> None:
    c = file(ComplaintKind.GRIEVANCE)
    c.location_lat = 37.0
    with pytest.raises(IntegrityError), transaction.atomic():
        c.save(update_fields=["location_lat"])


def test_location_rule_is_pure() -> None:
    check_location(lat=None, lng=None)
    check_location(lat=-90, lng=180)
    with pytest.raises(ComplaintRuleError):
        check_location(lat=0, lng=None)


def test_the_api_takes_and_returns_the_place(citizen_client: Client) -> None:
    response = citizen_client.post(
        "/api/v1/complaints",
        {
            "kind": "grievance",
            "title": "도로 파손",
            "body": "구멍이 있습니다.",
            "applicant": {"name": "홍길동", "address": "경기도 파주시 시청로 50"},
            "location_text": "금촌역 2번 출구",
            "location_lat": 37.766,
            "location_lng": 126.774,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["location_text"] == "금촌역 2번 출구"
    assert body["location_lat"] == 37.766
    bad = citizen_client.post(
        "/api/v1/complaints",
        {"kind": "grievance", "title": "t", "body": "b", "location_lat": 99},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422)


# --- files at filing ----------------------------------------------------------------------------


def test_files_sent_with_the_complaint_are_stored_with_it(file: File, media: Path) -> None:
    c = file(
        ComplaintKind.GRIEVANCE,
        attachments=[s.FileInput("사진.png", png()), s.FileInput("서류.pdf", PDF)],
    )
    names = list(Attachment.objects.filter(complaint=c).values_list("original_name", flat=True))
    assert names == ["사진.png", "서류.pdf"]
    assert len(list((media / "complaints").iterdir())) == 2


def test_one_bad_file_refuses_the_whole_filing_and_stores_nothing(file: File, media: Path) -> None:
    with pytest.raises(ValidationFailed) as caught:
        file(
            ComplaintKind.GRIEVANCE,
            attachments=[s.FileInput("a.pdf", PDF), s.FileInput("b.exe", b"MZ\x90\x00")],
        )
    assert caught.value.code == "complaint.attachment_executable"
    assert caught.value.field == "file"
    assert Complaint.objects.count() == 0
    assert not (media / "complaints").exists()


def test_at_most_ten_files(file: File) -> None:
    with pytest.raises(Conflict) as caught:
        file(ComplaintKind.GRIEVANCE, attachments=[s.FileInput(f"{n}.pdf", PDF) for n in range(11)])
    assert caught.value.code == "complaint.attachment_limit"


# --- the citizen's supplement -------------------------------------------------------------------


@pytest.fixture
def waiting(file: File, road_officer: User, citizen: User) -> Complaint:
    """A complaint whose department asked the citizen for more information."""
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, register_now=True)
    c = s.complaint_assign(complaint=c, actor=road_officer, assignee=road_officer)
    return s.complaint_supplement_request(
        complaint=c, actor=road_officer, items=["현장 사진"], days=7
    )


def test_the_citizens_supplement_restarts_the_clock(waiting: Complaint, citizen: User) -> None:
    assert waiting.due_at is None  # stopped while waiting
    c = s.complaint_supplement_submit(
        complaint=waiting,
        actor=citizen,
        text="사진을 보냅니다.",
        files=[s.FileInput("현장.png", png())],
    )
    assert c.status == ComplaintStatus.IN_PROGRESS
    assert c.due_at is not None
    assert c.excluded_intervals[-1][1] is not None
    event = ComplaintEvent.objects.filter(complaint=c).last()
    assert event is not None
    assert event.action == "receive_supplement"
    assert event.data["note"] == "사진을 보냅니다."
    assert event.data["by_complainant"] is True
    attachment = Attachment.objects.get(complaint=c)
    assert event.data["attachments"] == [attachment.pk]
    assert attachment.uploaded_by == citizen


def test_an_empty_supplement_is_refused_and_changes_nothing(waiting: Complaint) -> None:
    with pytest.raises(ValidationFailed) as caught:
        s.complaint_supplement_submit(complaint=waiting, actor=None, text="  ")
    assert caught.value.code == "complaint.supplement_empty"
    assert caught.value.field == "text"
    waiting.refresh_from_db()
    assert waiting.status == ComplaintStatus.SUPPLEMENT_PENDING


def test_a_supplement_nobody_asked_for_is_refused_before_any_file_is_stored(
    file: File, media: Path
) -> None:
    c = file(ComplaintKind.GRIEVANCE)
    with pytest.raises(Conflict) as caught:
        s.complaint_supplement_submit(
            complaint=c, actor=None, text="x", files=[s.FileInput("a.pdf", PDF)]
        )
    assert caught.value.code == "complaint.invalid_transition"
    assert Attachment.objects.count() == 0


def test_a_bad_file_in_a_supplement_changes_nothing(waiting: Complaint) -> None:
    with pytest.raises(ValidationFailed):
        s.complaint_supplement_submit(
            complaint=waiting, actor=None, text="x", files=[s.FileInput("a.txt", b"hello")]
        )
    waiting.refresh_from_db()
    assert waiting.status == ComplaintStatus.SUPPLEMENT_PENDING
    assert Attachment.objects.count() == 0


def test_the_citizen_api_sends_a_supplement(waiting: Complaint, citizen_client: Client) -> None:
    response = citizen_client.post(
        f"/api/v1/complaints/{waiting.pk}/supplement",
        {"text": "서류를 보냅니다."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"


# --- satisfaction -------------------------------------------------------------------------------


@pytest.fixture
def answered(file: File, road_officer: User, citizen: User) -> Complaint:
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, register_now=True)
    c = s.complaint_assign(complaint=c, actor=road_officer, assignee=road_officer)
    return s.complaint_answer(
        complaint=c, actor=road_officer, outcome=Outcome.GRANTED, answer="고쳤습니다."
    )


def test_the_answer_is_rated_once(answered: Complaint, citizen: User) -> None:
    rating = s.complaint_satisfaction_rate(
        complaint=answered, actor=citizen, score=5, comment=" 빨라요 "
    )
    assert (rating.score, rating.comment, rating.answer_number) == (5, "빨라요", 1)
    assert [r.score for r in satisfaction_list(answered)] == [5]
    assert ComplaintEvent.objects.filter(complaint=answered, action="rate").count() == 1
    assert AuditEvent.objects.filter(action="complaint.rate").count() == 1
    with pytest.raises(Conflict) as caught:
        s.complaint_satisfaction_rate(complaint=answered, actor=citizen, score=1)
    assert caught.value.code == "complaint.rating_already_given"
    answered.refresh_from_db()
    assert answered.status == ComplaintStatus.ANSWERED


def test_a_reopened_complaint_answered_again_can_be_rated_again(
    answered: Complaint, citizen: User, road_officer: User
) -> None:
    s.complaint_satisfaction_rate(complaint=answered, actor=citizen, score=2)
    c = s.complaint_reopen(complaint=answered, actor=citizen, reason="아직 그대로입니다.")
    c = s.complaint_answer(
        complaint=c, actor=road_officer, outcome=Outcome.GRANTED, answer="다시 고쳤습니다."
    )
    s.complaint_satisfaction_rate(complaint=c, actor=citizen, score=4)
    assert [r.score for r in satisfaction_list(c)] == [2, 4]


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_rating_is_between_one_and_five(answered: Complaint, score: int) -> None:
    with pytest.raises(ValidationFailed) as caught:
        s.complaint_satisfaction_rate(complaint=answered, actor=None, score=score)
    assert caught.value.field == "score"
    assert SatisfactionRating.objects.count() == 0


def test_an_unanswered_complaint_cannot_be_rated(file: File) -> None:
    with pytest.raises(Conflict) as caught:
        s.complaint_satisfaction_rate(complaint=file(ComplaintKind.OTHER), actor=None, score=3)
    assert caught.value.code == "complaint.rating_not_answered"


def test_rating_rule_is_pure() -> None:
    check_rating(status=ComplaintStatus.OBJECTION_DECIDED, score=1, already_rated=False)
    with pytest.raises(ComplaintRuleError):
        check_rating(status=ComplaintStatus.IN_PROGRESS, score=3, already_rated=False)


def test_the_citizen_api_rates_the_answer(answered: Complaint, citizen_client: Client) -> None:
    url = f"/api/v1/complaints/{answered.pk}/rating"
    ok = citizen_client.post(url, {"score": 4}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    again = citizen_client.post(url, {"score": 4}, content_type="application/json")
    assert again.status_code == 409


# --- without an account -------------------------------------------------------------------------


def test_a_followed_complaint_is_reached_only_from_the_session_that_holds_it(
    file: File, counter_officer: User
) -> None:
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, status_password="correct-horse")
    assert access_complaint_followed(c.pk, [c.pk]) == c
    with pytest.raises(NotFound):
        access_complaint_followed(c.pk, [])
    with pytest.raises(NotFound):
        access_complaint_followed(c.pk + 1, [c.pk + 1])
    s.complaint_register(complaint=c, actor=counter_officer)
    c.refresh_from_db()
    assert c.receipt_number
    assert c.follow_number
    assert access_complaint_by_follow_number(c.follow_number, "correct-horse") == c
    with pytest.raises(NotFound):
        access_complaint_by_follow_number(c.follow_number, "wrong-horse")
    with pytest.raises(NotFound):  # the public 접수번호 is no key
        access_complaint_by_follow_number(c.receipt_number, "correct-horse")


def test_an_account_holders_complaint_is_never_followed_by_session(
    file: File, citizen: User
) -> None:
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen)
    with pytest.raises(NotFound):
        access_complaint_followed(c.pk, [c.pk])


def test_a_rrn_in_the_supplements_words_is_masked_and_kept_encrypted(
    waiting: Complaint, citizen: User
) -> None:
    """Issue 13 item 12: the words of a supplement are shown masked like the intake text."""
    from minwon.core import crypto

    text = "요청하신 주민등록번호는 900101-1234568 입니다."
    c = s.complaint_supplement_submit(complaint=waiting, actor=citizen, text=text)
    event = ComplaintEvent.objects.filter(complaint=c).last()
    assert event is not None and event.action == "receive_supplement"
    assert event.data["note"] == "요청하신 주민등록번호는 900101-1****** 입니다."
    assert crypto.decrypt(event.data["note_original_encrypted"]) == text
