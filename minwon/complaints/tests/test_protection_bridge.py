"""Every citizen text is screened (issue 16), after the fact and never in intake's way: a filing,
a supplement, an objection and a citizen's message ask for their screening after the commit; the
screening job stores categories, severity, masked spans and the screen version; a screen that
fails never fails a filing; bad input never breaks the stream; officers' words are not screened."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minwon.accounts.models import User
from minwon.catalog.models import ComplaintType
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel, Outcome
from minwon.complaints.models import Complaint
from minwon.complaints.services import protection as bridge
from minwon.core import jobs
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from minwon.protection import domain
from minwon.protection.models import Screening
from minwon.protection.services import screening
from tests.factories import TravellingClock

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]

THREAT = "담당자 너 퇴근길에 칼 들고 찾아가서 죽여버리겠다"
INSULT = "이 병신 같은 공무원 새끼들아 일 좀 해라"
PLAIN = "아파트 정문 앞 불법 주정차 차량 때문에 통행이 어렵습니다. 단속해 주세요."


def test_a_filing_is_screened_after_its_commit(
    file: File, citizen: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.BACKGROUND_RUNNER = "thread"
    jobs.work_available.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, body=THREAT)
        assert not Screening.objects.exists()  # nothing screened inside intake's transaction
    assert bridge.screening_wake in callbacks
    assert jobs.work_available.is_set()  # the in-process runner was told at once
    assert s.complaint_screening_sweep() == 1  # the arrival
    row = Screening.objects.get(complaint_id=c.pk)
    assert row.source == "complaint" and row.abusive and row.urgent
    assert row.severity == "urgent" and "threat" in row.categories
    assert row.screen_version == domain.SCREEN_VERSION
    text = f"{c.title}\n{c.body}"
    assert row.text_sha256 == domain.text_digest(text) and row.text_length == len(text)
    for span in row.spans:  # offsets into the text as filed; never the word in clear
        assert text[span["start"] : span["end"]]
        assert span["masked"] != text[span["start"] : span["end"]]
    assert "죽여버리겠다" not in str(row.spans)
    assert AuditEvent.objects.filter(action="protection.screened", target_id=str(row.pk)).exists()
    assert s.complaint_screening_sweep() == 0  # the cursor moved: nothing is screened twice


def test_an_ordinary_complaint_is_screened_and_clean(file: File, counter_officer: User) -> None:
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, body=PLAIN)
    s.complaint_screening_sweep()
    row = Screening.objects.get(complaint_id=c.pk)  # the counter's filing is the citizen's words
    assert not row.abusive and row.severity == "none" and row.spans == []


def test_a_failing_screen_never_fails_the_filing_and_is_recorded(
    file: File, citizen: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(screening, "screen", broken)
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, body=THREAT)
    assert Complaint.objects.filter(pk=c.pk).exists()
    assert s.complaint_screening_sweep() == 1
    row = Screening.objects.get(complaint_id=c.pk)
    assert row.reason == "failed" and not row.abusive


def test_a_bridge_failure_skips_the_row_and_the_stream_goes_on(
    file: File, citizen: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, body=INSULT)
    second = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, body=INSULT)
    real = screening.screening_record

    def flaky(*, complaint_id: int, **kwargs: object) -> Screening:
        if complaint_id == first.pk:
            raise RuntimeError("database hiccup")
        return real(complaint_id=complaint_id, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(screening, "screening_record", flaky)
    assert s.complaint_screening_sweep() == 2
    assert not Screening.objects.filter(complaint_id=first.pk).exists()
    assert Screening.objects.get(complaint_id=second.pk).abusive


@pytest.mark.parametrize(
    "body",
    [
        "가" * 200_000,  # enormous
        "\x01\x02\ufffd\u202e binary \x1b[31m junk \x7f\ue000",  # binary junk
        "😡🤬💢😡🤬💢",  # emoji only
        "Ceci n'est pas une plainte. Это не жалоба. これは苦情ではありません。",
    ],
)
def test_bad_input_is_screened_cleanly(file: File, citizen: User, body: str) -> None:
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, body=body)
    assert s.complaint_screening_sweep() == 1
    row = Screening.objects.get(complaint_id=c.pk)
    assert row.reason in ("", "empty") and not row.abusive
    assert row.truncated is (len(body) > domain.MAX_SCREEN_CHARS)


def test_a_citizens_supplement_is_screened_an_officers_record_is_not(
    file: File, road_officer: User, citizen: User
) -> None:
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, register_now=True)
    c = s.complaint_assign(complaint=c, actor=road_officer, assignee=road_officer)
    c = s.complaint_supplement_request(complaint=c, actor=road_officer, items=["사진"], days=7)
    c = s.complaint_supplement_submit(complaint=c, actor=citizen, text=f"사진 보냅니다. {INSULT}")
    c = s.complaint_supplement_request(complaint=c, actor=road_officer, items=["도면"], days=7)
    s.complaint_supplement_receive(complaint=c, actor=road_officer, note="우편으로 도착 씨발")
    s.complaint_screening_sweep()
    rows = list(Screening.objects.filter(complaint_id=c.pk).order_by("pk"))
    assert [r.source for r in rows] == ["complaint", "supplement"]
    assert rows[1].abusive and "insult" in rows[1].categories


def _refused_permit(clock: TravellingClock, file: File, road_officer: User) -> Complaint:
    clock.at(2026, 3, 9, 10, 0)
    c = file(ComplaintKind.STATUTORY, filed_by=road_officer, type_code="road-occupancy-permit")
    c = s.complaint_assign(complaint=c, actor=road_officer, assignee=road_officer)
    c = s.complaint_answer(
        complaint=c,
        actor=road_officer,
        outcome=Outcome.REFUSED,
        answer="불허",
        reason="점용 기준 미달",
        appeal_route="60일 이내 이의신청 (민원처리법 제35조)",
    )
    clock.at(2026, 3, 12, 10, 0)
    return c


def test_an_objection_and_a_citizens_rating_comment_are_screened(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    road_officer: User,
) -> None:
    c = _refused_permit(clock, file, road_officer)
    c = s.complaint_objection_file(complaint=c, actor=None, grounds=f"기준을 충족합니다. {THREAT}")
    s.complaint_screening_sweep()
    objection = Screening.objects.get(complaint_id=c.pk, source="objection")
    assert objection.urgent and "threat" in objection.categories


def test_a_rating_comment_is_screened_as_a_message(
    file: File, road_officer: User, citizen: User
) -> None:
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, register_now=True)
    c = s.complaint_assign(complaint=c, actor=road_officer, assignee=road_officer)
    c = s.complaint_answer(
        complaint=c, actor=road_officer, outcome=Outcome.GRANTED, answer="조치했습니다."
    )
    s.complaint_satisfaction_rate(complaint=c, actor=citizen, score=1, comment=INSULT)
    s.complaint_screening_sweep()
    message = Screening.objects.get(complaint_id=c.pk, source="message")
    assert message.abusive and "insult" in message.categories


def test_the_same_text_is_one_screening_and_a_changed_text_a_new_one(
    file: File, citizen: User
) -> None:
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, body=PLAIN)
    first = screening.screening_record(
        complaint_id=c.pk, source=domain.Source.COMPLAINT, source_id=1, text=PLAIN
    )
    again = screening.screening_record(
        complaint_id=c.pk, source=domain.Source.COMPLAINT, source_id=1, text=PLAIN
    )
    edited = screening.screening_record(
        complaint_id=c.pk, source=domain.Source.COMPLAINT, source_id=1, text=PLAIN + INSULT
    )
    assert first.pk == again.pk and edited.pk != first.pk and edited.abusive


def test_text_no_database_column_could_hold_is_still_screened_and_stored(
    file: File, citizen: User
) -> None:
    """NUL and lone surrogates (a JSON client can send both) never break the stored result."""
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, body=PLAIN)
    text = "\x00씨\x00발\ud800 \udfff병신"
    row = screening.screening_record(
        complaint_id=c.pk, source=domain.Source.MESSAGE, source_id=7, text=text
    )
    row.refresh_from_db()
    assert row.abusive and row.text_length == len(text)
    assert all("\x00" not in span["masked"] for span in row.spans)
