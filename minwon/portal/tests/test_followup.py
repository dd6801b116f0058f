"""The portal after the first version: the place and files at filing, filing and following without
an account, the citizen's supplement, the satisfaction rating, access-checked downloads."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from minwon.accounts.models import User
from minwon.complaints import services as s
from minwon.complaints.domain import ComplaintStatus, IntakeChannel, Outcome
from minwon.complaints.models import Attachment, Complaint, SatisfactionRating
from minwon.complaints.services.attachments import complaint_attachment_add
from minwon.lawclock.kinds import ComplaintKind
from minwon.portal.tests.test_filing import FORM
from tests.files import pdf

PDF = pdf()


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "PNG")
    return out.getvalue()


def preview(client: Client, data: Mapping[str, object]) -> tuple[int, str, str]:
    """Send the form for checking; return the status, the page and the staging token."""
    response = client.post("/complaints/new/", {**data, "step": "preview"})
    page = response.content.decode()
    token = ""
    marker = 'name="upload_token" value="'
    if marker in page:
        token = page.split(marker, 1)[1].split('"', 1)[0]
    return response.status_code, page, token


# --- the place and the files ------------------------------------------------------------------


def test_the_map_pin_travels_with_the_form_and_is_stored(citizen_client: Client) -> None:
    data = FORM | {"location_lat": "37.76", "location_lng": "126.78"}
    status, page, token = preview(citizen_client, data)
    assert status == 200
    assert "37.76000" in page
    citizen_client.post("/complaints/new/", data | {"step": "submit", "upload_token": token})
    complaint = Complaint.objects.get()
    assert (complaint.location_lat, complaint.location_lng) == (37.76, 126.78)


def test_no_map_is_shown_without_a_tile_url(citizen_client: Client, settings: object) -> None:
    settings.MAP_TILE_URL = ""  # type: ignore[attr-defined]
    page = citizen_client.get("/complaints/new/").content.decode()
    assert 'id="location-map"' not in page
    assert "leaflet" not in page
    assert 'id="id_location_text"' in page
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"  # type: ignore[attr-defined]
    page = citizen_client.get("/complaints/new/").content.decode()
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in page
    assert "vendor/leaflet/dist/leaflet.js" in page


def test_the_file_input_states_its_limits(citizen_client: Client) -> None:
    page = citizen_client.get("/complaints/new/").content.decode()
    assert 'type="file"' in page
    assert 'accept=".jpg,.jpeg,.png,.pdf,.hwp,.hwpx' in page
    assert 'data-max-bytes="10485760"' in page
    assert 'enctype="multipart/form-data"' in page


def test_files_are_checked_kept_through_check_and_change_and_sent(
    citizen_client: Client, media: Path
) -> None:
    files = [SimpleUploadedFile("사진.png", png()), SimpleUploadedFile("서류.pdf", PDF)]
    status, page, token = preview(citizen_client, FORM | {"attachments": files})
    assert status == 200
    assert "사진.png" in page and "서류.pdf" in page
    assert token
    assert Complaint.objects.count() == 0
    # "Change the details" shows the files kept; checking again keeps them.
    page = citizen_client.post(
        "/complaints/new/", FORM | {"step": "edit", "upload_token": token}
    ).content.decode()
    assert "사진.png" in page
    status, page, token = preview(citizen_client, FORM | {"upload_token": token})
    assert "서류.pdf" in page
    citizen_client.post("/complaints/new/", FORM | {"step": "submit", "upload_token": token})
    complaint = Complaint.objects.get()
    names = sorted(Attachment.objects.filter(complaint=complaint).values_list("original_name"))
    assert names == [("사진.png",), ("서류.pdf",)]
    assert not any((media / "staging").iterdir())


def test_a_refused_file_is_reported_next_to_the_file_input(citizen_client: Client) -> None:
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    status, page, _ = preview(citizen_client, FORM | {"attachments": [bad]})
    assert status == 400
    assert 'id="attachments-error"' in page
    assert 'href="#id_attachments"' in page
    assert "금촌역 앞 가로등이 꺼져 있습니다." in page  # nothing typed is lost


def test_another_sessions_staging_token_is_ignored(citizen_client: Client, db: None) -> None:
    _, _, token = preview(
        citizen_client, FORM | {"attachments": [SimpleUploadedFile("a.pdf", PDF)]}
    )
    other = Client()
    other.post("/complaints/new/", FORM | {"step": "preview"})
    other.post(
        "/complaints/new/",
        FORM
        | {
            "step": "submit",
            "upload_token": token,
            "status_password": "quiet-lantern-7",
            "status_password_again": "quiet-lantern-7",
        },
    )
    assert Complaint.objects.filter(citizen=None).count() == 1
    assert Attachment.objects.count() == 0


# --- without an account -----------------------------------------------------------------------

PASSWORD = "correct-horse-1"


def test_filing_without_an_account_asks_for_a_password_on_the_check_page(
    client: Client, db: None, counter_officer: User
) -> None:
    page = client.get("/complaints/new/").content.decode()
    assert "You can file without an account" in page or "계정 없이" in page
    status, page, token = preview(client, FORM)
    assert status == 200
    assert 'name="status_password"' in page
    # Different passwords: refused next to the field, nothing filed.
    response = client.post(
        "/complaints/new/",
        FORM
        | {
            "step": "submit",
            "upload_token": token,
            "status_password": PASSWORD,
            "status_password_again": "something-else",
        },
    )
    assert response.status_code == 400
    assert 'id="status_password_again-error"' in response.content.decode()
    assert Complaint.objects.count() == 0
    response = client.post(
        "/complaints/new/",
        FORM
        | {
            "step": "submit",
            "upload_token": token,
            "status_password": PASSWORD,
            "status_password_again": PASSWORD,
        },
    )
    complaint = Complaint.objects.get()
    assert complaint.citizen is None
    assert complaint.status_password
    assert response["Location"] == f"/my/{complaint.pk}/"
    # The session that filed it may open it; another browser may not.
    assert client.get(response["Location"]).status_code == 200
    assert Client().get(response["Location"]).status_code == 302


def test_without_an_account_a_phone_or_email_is_needed(client: Client, db: None) -> None:
    status, page, _ = preview(client, FORM | {"phone": "", "email": ""})
    assert status == 400
    assert 'id="phone-error"' in page


def test_follow_by_follow_up_number_and_password(client: Client, counter_officer: User) -> None:
    complaint = _anonymous_registered(counter_officer)
    number = complaint.follow_number
    page = client.get("/follow/").content.decode()
    assert 'name="follow_number"' in page
    wrong = client.post("/follow/", {"follow_number": number, "password": "no"})
    assert wrong.status_code == 400
    assert 'id="follow_number-error"' in wrong.content.decode()
    missing = client.post("/follow/", {"follow_number": "ZZZZ-ZZZZ-ZZZZ", "password": PASSWORD})
    assert missing.content.decode().count("follow_number-error") == wrong.content.decode().count(
        "follow_number-error"
    )
    right = client.post("/follow/", {"follow_number": number, "password": PASSWORD})
    assert right["Location"] == f"/my/{complaint.pk}/"
    page = client.get(right["Location"]).content.decode()
    assert complaint.title in page
    assert complaint.receipt_number and complaint.receipt_number in page


def test_follow_is_throttled(client: Client, counter_officer: User, settings: object) -> None:
    complaint = _anonymous_registered(counter_officer)
    limit = settings.THROTTLES["lookup"]["per_key"]  # type: ignore[attr-defined]
    for _ in range(limit):
        client.post("/follow/", {"follow_number": complaint.follow_number, "password": "bad"})
    right = client.post(
        "/follow/", {"follow_number": complaint.follow_number, "password": PASSWORD}
    )
    assert right.status_code == 429
    assert int(right["Retry-After"]) > 0


def test_a_signed_in_citizen_follows_their_own_complaint_by_its_number_alone(
    citizen_client: Client, citizen: User, counter_officer: User
) -> None:
    """Issue 11 ("follow by number on a phone"): a complaint filed with an account has no filing
    password; signed in, its follow-up number opens it. Another's number still needs its
    password and counts as a failed lookup."""
    from minwon.core.models import ThrottleFailure

    citizen_client.post("/complaints/new/", FORM | {"step": "submit"})
    own = Complaint.objects.get()
    assert own.follow_number and not own.status_password
    page = citizen_client.get("/follow/").content.decode()
    assert "Your own complaints open with their number" in page or "번호만으로" in page
    typed = own.follow_number.lower().replace("-", " ")  # as people type it
    opened = citizen_client.post("/follow/", {"follow_number": typed, "password": ""})
    assert opened.status_code == 302 and opened["Location"] == f"/my/{own.pk}/"
    other = _anonymous_registered(counter_officer)
    refused = citizen_client.post("/follow/", {"follow_number": other.follow_number})
    assert refused.status_code == 400
    assert ThrottleFailure.objects.exists()  # went through the lookup and its throttle
    with_password = citizen_client.post(
        "/follow/", {"follow_number": other.follow_number, "password": PASSWORD}
    )
    assert with_password["Location"] == f"/my/{other.pk}/"


def test_without_signing_in_the_password_is_still_required(
    client: Client, counter_officer: User
) -> None:
    complaint = _anonymous_registered(counter_officer)
    answer = client.post("/follow/", {"follow_number": complaint.follow_number})
    assert answer.status_code == 400
    assert 'id="password-error"' in answer.content.decode()


def _anonymous_registered(counter_officer: User) -> Complaint:
    complaint = s.complaint_file(
        data=s.FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title="계정 없이 낸 민원",
            body="내용",
            channel=IntakeChannel.WEB,
            applicant=s.ApplicantInput(name="김철수", address="경기도 파주시 시청로 50"),
            status_password=PASSWORD,
        )
    )
    return s.complaint_register(complaint=complaint, actor=counter_officer)


# --- supplement, rating, downloads ------------------------------------------------------------


@pytest.fixture
def mine(citizen_client: Client, citizen: User, road_officer: User) -> Complaint:
    citizen_client.post("/complaints/new/", FORM | {"step": "submit"})
    complaint = Complaint.objects.get()
    s.complaint_register(complaint=complaint, actor=road_officer)
    return s.complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)


def test_the_citizen_answers_a_request_for_information(
    citizen_client: Client, mine: Complaint, road_officer: User
) -> None:
    s.complaint_supplement_request(
        complaint=mine, actor=road_officer, items=["현장 사진", "위치 설명"], days=7
    )
    page = citizen_client.get(f"/my/{mine.pk}/").content.decode()
    assert "현장 사진" in page
    assert f'action="/my/{mine.pk}/supplement/"' in page
    empty = citizen_client.post(f"/my/{mine.pk}/supplement/", {"supplement-text": ""})
    assert empty.status_code == 400
    assert 'href="#id_supplement-text"' in empty.content.decode()
    response = citizen_client.post(
        f"/my/{mine.pk}/supplement/",
        {
            "supplement-text": "사진을 보냅니다.",
            "supplement-attachments": [SimpleUploadedFile("현장.png", png())],
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == ComplaintStatus.IN_PROGRESS
    assert Attachment.objects.filter(complaint=mine).count() == 1


def test_a_bad_supplement_file_is_reported_next_to_the_file_input(
    citizen_client: Client, mine: Complaint, road_officer: User
) -> None:
    s.complaint_supplement_request(complaint=mine, actor=road_officer, items=["사진"], days=7)
    response = citizen_client.post(
        f"/my/{mine.pk}/supplement/",
        {
            "supplement-text": "x",
            "supplement-attachments": [SimpleUploadedFile("a.png", b"not a png")],
        },
    )
    assert response.status_code == 400
    assert 'id="supplement-attachments-error"' in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == ComplaintStatus.SUPPLEMENT_PENDING


def test_the_citizen_rates_the_answer_once(
    citizen_client: Client, mine: Complaint, road_officer: User
) -> None:
    assert 'name="rating-score"' not in citizen_client.get(f"/my/{mine.pk}/").content.decode()
    s.complaint_answer(complaint=mine, actor=road_officer, outcome=Outcome.GRANTED, answer="끝")
    page = citizen_client.get(f"/my/{mine.pk}/").content.decode()
    assert 'name="rating-score"' in page
    missing = citizen_client.post(f"/my/{mine.pk}/rating/", {})
    assert missing.status_code == 400
    assert 'id="rating-score-error"' in missing.content.decode()
    # The error summary's link lands on the radio group itself.
    assert 'href="#id_rating-score"' in missing.content.decode()
    assert '<fieldset id="id_rating-score" tabindex="-1"' in missing.content.decode()
    ok = citizen_client.post(
        f"/my/{mine.pk}/rating/", {"rating-score": "4", "rating-comment": "친절했어요"}
    )
    assert ok.status_code == 302
    assert SatisfactionRating.objects.get().score == 4
    page = citizen_client.get(f"/my/{mine.pk}/").content.decode()
    assert 'name="rating-score"' not in page
    assert "친절했어요" in page


def test_downloads_are_access_checked(
    citizen_client: Client, mine: Complaint, citizen: User
) -> None:
    attachment = complaint_attachment_add(complaint=mine, actor=citizen, name="서류.pdf", data=PDF)
    url = f"/my/{mine.pk}/files/{attachment.pk}/"
    assert url in citizen_client.get(f"/my/{mine.pk}/").content.decode()
    response = citizen_client.get(url)
    assert response.status_code == 200
    assert response.content == PDF
    # Named by the type found on content; the name it was sent with is the link's label only.
    assert (
        response["Content-Disposition"] == f'attachment; filename="attachment-{attachment.pk}.pdf"'
    )
    assert "서류.pdf" in citizen_client.get(f"/my/{mine.pk}/").content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"
    other = Client()
    user = User.objects.create_user(username="other", password="x-unused-password-1")
    other.force_login(user, backend="minwon.accounts.backends.ThrottledModelBackend")
    assert other.get(url).status_code == 404
    assert citizen_client.get(f"/my/{mine.pk}/files/{attachment.pk + 99}/").status_code == 404
