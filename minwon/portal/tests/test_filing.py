"""Filing on the portal: nothing is sent before the citizen confirms; errors keep what was typed."""

from __future__ import annotations

import pytest
from django.test import Client

from minwon.accounts.models import User
from minwon.complaints.models import Complaint
from minwon.complaints.services import complaint_register

FORM = {
    "kind": "other",  # a broken streetlight: 기타민원 (영 제2조 제4호, 일상생활의 불편사항)
    "title": "가로등 고장",
    "body": "금촌역 앞 가로등이 꺼져 있습니다.",
    "location_text": "금촌역 앞",
    "name": "홍길동",
    "address": "경기도 파주시 시청로 50",
    "phone": "010-1234-5678",
    "email": "",
    "consent": "on",
}


def test_preview_sends_nothing(citizen_client: Client) -> None:
    response = citizen_client.post("/complaints/new/", FORM | {"step": "preview"})
    assert response.status_code == 200
    assert "가로등 고장" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_change_goes_back_with_everything_typed(citizen_client: Client) -> None:
    page = citizen_client.post("/complaints/new/", FORM | {"step": "edit"}).content.decode()
    assert 'value="가로등 고장"' in page
    assert "금촌역 앞 가로등이 꺼져 있습니다." in page
    assert Complaint.objects.count() == 0


def test_missing_fields_are_reported_next_to_them(citizen_client: Client) -> None:
    response = citizen_client.post(
        "/complaints/new/", FORM | {"title": "", "consent": "", "step": "preview"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="title-error"' in page
    assert 'id="consent-error"' in page
    assert 'href="#id_title"' in page  # the error summary links to the field
    assert "금촌역 앞 가로등이 꺼져 있습니다." in page


def test_sending_files_the_complaint_and_shows_the_receipt(
    citizen_client: Client, citizen: User
) -> None:
    response = citizen_client.post("/complaints/new/", FORM | {"step": "submit"})
    complaint = Complaint.objects.get()
    assert complaint.citizen == citizen
    assert complaint.channel == "web"
    assert complaint.body == "금촌역 앞 가로등이 꺼져 있습니다."  # the place is not in the text
    assert complaint.location_text == "금촌역 앞"
    assert response["Location"] == f"/my/{complaint.pk}/"
    receipt = citizen_client.get(response["Location"]).content.decode()
    assert "가로등 고장" in receipt


def test_an_everyday_report_is_other_and_takes_the_citys_own_period(
    citizen_client: Client, settings: object
) -> None:
    """The web form offers 기타민원 first, in plain words, and 고충민원 for a wrong by the city;
    a 기타민원 is answered 즉시 unless the city set its own period (영 제16조①③)."""
    page = citizen_client.get("/complaints/new/").content.decode()
    assert page.index('value="other"') < page.index('value="grievance"')
    assert "일상생활" in page or "고쳐" in page
    # "Report it" from an everyday topic of the service guide starts as a 기타민원.
    topic = citizen_client.get("/complaints/new/?title=포트홀").content.decode()
    assert 'value="other" checked' in topic or 'value="other" id="id_kind_0" checked' in topic
    citizen_client.post("/complaints/new/", FORM | {"step": "submit"})
    first = complaint_register(complaint=Complaint.objects.get(), actor=None)  # 접수
    assert (first.kind, first.period) == ("other", "instant")
    assert first.period_legal_basis == "민원처리법 시행령 제16조 제1항"
    settings.OTHER_COMPLAINT_PERIOD = "3d"  # type: ignore[attr-defined]
    citizen_client.post("/complaints/new/", FORM | {"step": "submit"})
    second = complaint_register(complaint=Complaint.objects.latest("pk"), actor=None)
    assert (second.kind, second.period) == ("other", "3d")
    assert second.period_legal_basis.startswith("민원처리법 시행령 제16조 제3항")


def test_a_citizen_cannot_see_another_citizens_complaint(citizen_client: Client, db: None) -> None:
    citizen_client.post("/complaints/new/", FORM | {"step": "submit"})
    complaint = Complaint.objects.get()
    other = Client()
    other_user = User.objects.create_user(username="other", password="x-unused-password-1")
    other.force_login(other_user, backend="minwon.accounts.backends.ThrottledModelBackend")
    assert other.get(f"/my/{complaint.pk}/").status_code == 404
    assert other.post(f"/my/{complaint.pk}/withdraw/").status_code == 404


def test_the_citizen_can_withdraw_an_open_complaint(citizen_client: Client) -> None:
    citizen_client.post("/complaints/new/", FORM | {"step": "submit"})
    complaint = Complaint.objects.get()
    citizen_client.post(f"/my/{complaint.pk}/withdraw/", {"reason": "해결됨", "confirm": "on"})
    complaint.refresh_from_db()
    assert complaint.status == "withdrawn"


def test_withdrawal_asks_for_confirmation_and_changes_nothing_without_it(
    citizen_client: Client,
) -> None:
    """Issue 11 item 5: withdrawal cannot be undone, so an unconfirmed request withdraws nothing
    and says why, in the error summary and beside the box."""
    citizen_client.post("/complaints/new/", FORM | {"step": "submit"})
    complaint = Complaint.objects.get()
    page = citizen_client.get(f"/my/{complaint.pk}/").content.decode()
    assert 'name="confirm"' in page and "required" in page

    response = citizen_client.post(f"/my/{complaint.pk}/withdraw/", {"reason": "해결됨"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "취하하려면 확인란을 선택하세요" in body
    assert 'href="#id_confirm"' in body
    assert 'value="해결됨"' in body
    complaint.refresh_from_db()
    assert complaint.status != "withdrawn"


@pytest.mark.parametrize("path", ["/my/", "/my/1/", "/my/1/files/1/"])
def test_citizen_pages_need_a_login(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
