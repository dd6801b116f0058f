"""The 접수증 as PDF: its content read back from the text layer, the font, access and logging."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from minwon.accounts.models import User
from minwon.accounts.services import citizen_register
from minwon.catalog.models import ComplaintType
from minwon.complaints import documents
from minwon.complaints.documents import (
    PdfFontMissingError,
    complaint_receipt_pdf,
    pdf_font,
    printable,
    receipt_document,
)
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.core.errors import Conflict
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.constants import PASSWORD
from tests.factories import TravellingClock

pytestmark = pytest.mark.django_db
API = "/api/v1"
FOLLOW = "https://minwon.example.kr/follow/"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("minwon-data")


@pytest.fixture(autouse=True)
def _data_dir(settings: object, data_dir: Path) -> None:
    settings.MINWON_DATA_DIR = data_dir  # type: ignore[attr-defined]


@pytest.fixture
def registered(
    clock: TravellingClock,
    types: dict[str, ComplaintType],
    file: Callable[..., Complaint],
    counter_officer: User,
    citizen: User,
) -> Complaint:
    """봉안시설 설치신고 (10일, 민원여권과) filed at the counter for the citizen: registered."""
    clock.at(2026, 3, 9, 10, 0)
    complaint = file(
        ComplaintKind.STATUTORY,
        type_code="columbarium-report-family",
        title="가족 봉안묘 설치 신고",
        filed_by=counter_officer,
        citizen=citizen,
    )
    assert complaint.receipt_number
    return complaint


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_receipt_reads_back_in_korean(registered: Complaint) -> None:
    with translation.override("ko"):
        data = complaint_receipt_pdf(registered, follow_url=FOLLOW)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert registered.receipt_number
    for expected in (
        registered.receipt_number,
        "접수번호",
        "홍*동",  # the complainant, masked
        "봉안시설 설치신고(가족·종중)",
        "가족 봉안묘 설치 신고",
        "민원여권과",
        "처리기한",
        "파주시",
        "2026. 3. 20.",  # 10 working days, Monday the 9th counted as the first
        "민원처리법 제19조 제2항",
        FOLLOW,
    ):
        assert expected in text, expected
    assert "홍길동" not in text


def test_the_receipt_explains_how_the_deadline_was_counted(registered: Complaint) -> None:
    with translation.override("en"):
        document = receipt_document(registered, follow_url=FOLLOW)
    rows = dict(document.rows)
    assert rows["Receipt number"] == registered.receipt_number
    assert rows["Complainant"] == "홍*동"
    # One citation for the deadline, the same as the office's and the citizen's pages.
    assert rows["Processing period"] == (
        f"10 days (민원처리법 제17조 (민원처리기준표) · {registered.deadline_legal_basis})"
    )
    assert rows["How the deadline is counted"].startswith("in working days")
    assert document.city == "파주시"
    assert document.required_documents == ()


def test_an_unregistered_complaint_has_no_receipt(
    clock: TravellingClock, file: Callable[..., Complaint], citizen: User, citizen_client: Client
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = file(ComplaintKind.SUGGESTION, channel=IntakeChannel.WEB, citizen=citizen)
    assert not complaint.receipt_number
    with pytest.raises(Conflict) as caught:
        complaint_receipt_pdf(complaint, follow_url=FOLLOW)
    assert caught.value.code == "complaint.not_registered"
    r = citizen_client.get(f"{API}/complaints/{complaint.pk}/receipt.pdf")
    assert r.status_code == 409
    assert r.json()["code"] == "complaint.not_registered"


def test_citizen_downloads_their_own_receipt_only(
    registered: Complaint, citizen_client: Client
) -> None:
    r = citizen_client.get(f"{API}/complaints/{registered.pk}/receipt.pdf")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == (
        f'attachment; filename="receipt-{registered.receipt_number}.pdf"'
    )
    assert registered.receipt_number and registered.receipt_number in pdf_text(r.content)
    assert Client().get(f"{API}/complaints/{registered.pk}/receipt.pdf").status_code == 401
    other = citizen_register(username="kim", password=PASSWORD, name="김철수")
    stranger = Client()
    stranger.force_login(other, backend="minwon.accounts.backends.ThrottledModelBackend")
    r = stranger.get(f"{API}/complaints/{registered.pk}/receipt.pdf")
    assert r.status_code == 404
    assert r.json()["code"] == "complaint.not_found"


def _downloads(complaint: Complaint) -> int:
    return AuditEvent.objects.filter(
        action="complaint.receipt_downloaded", target_id=str(complaint.pk)
    ).count()


def test_officer_download_is_logged_and_scoped(
    registered: Complaint,
    officer_client: Callable[[User], Client],
    counter_officer: User,
    road_officer: User,
) -> None:
    r = officer_client(counter_officer).get(f"{API}/office/complaints/{registered.pk}/receipt.pdf")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action="complaint.receipt_downloaded")
    assert event.actor_id == counter_officer.pk
    assert event.target_id == str(registered.pk)
    # an officer of another unit: the same "not found", and nothing is logged
    r = officer_client(road_officer).get(f"{API}/office/complaints/{registered.pk}/receipt.pdf")
    assert r.status_code == 404
    assert _downloads(registered) == 1
    assert Client().get(f"{API}/office/complaints/{registered.pk}/receipt.pdf").status_code == 401


def test_web_pages_link_to_the_receipt(
    registered: Complaint,
    citizen_client: Client,
    officer_client: Callable[[User], Client],
    counter_officer: User,
    road_officer: User,
) -> None:
    page = citizen_client.get(f"/my/{registered.pk}/")
    link = f"/my/{registered.pk}/receipt.pdf"
    assert link in page.content.decode()
    r = citizen_client.get(link)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"

    officer = officer_client(counter_officer)
    page = officer.get(f"/office/complaints/{registered.pk}/")
    link = f"/office/complaints/{registered.pk}/receipt.pdf"
    assert link in page.content.decode()
    assert officer.get(link).status_code == 200
    assert _downloads(registered) == 1
    assert officer_client(road_officer).get(link).status_code == 404
    assert _downloads(registered) == 1


def test_an_unregistered_complaint_has_a_confirmation_with_its_follow_up_number(
    clock: TravellingClock, file: Callable[..., Complaint], citizen: User, citizen_client: Client
) -> None:
    """Before registration the citizen gets the confirmation of sending: the follow-up number
    given when it was sent, and that the receipt number comes at registration."""
    clock.at(2026, 3, 9, 10, 0)
    complaint = file(ComplaintKind.SUGGESTION, channel=IntakeChannel.WEB, citizen=citizen)
    page = citizen_client.get(f"/my/{complaint.pk}/").content.decode()
    assert complaint.follow_number and complaint.follow_number in page
    assert f"/my/{complaint.pk}/receipt.pdf" in page
    r = citizen_client.get(f"/my/{complaint.pk}/receipt.pdf")
    assert r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    assert complaint.follow_number in text
    assert "신청 확인서" in text


# --- the font --------------------------------------------------------------------------------------


def test_the_font_covers_everyday_hangul_and_spells_out_the_rest() -> None:
    covered = pdf_font("").covered
    for word in ("홍길동", "파주시", "처리기한", "민원여권과", "접수증", "봉안시설", "똠방각하"):
        assert printable(word, covered) == word
    assert sum(0xAC00 <= c <= 0xD7A3 for c in covered) == 2780
    # a syllable outside the subset is spelled out in compatibility jamo; Hanja becomes "?"
    assert printable("김쉜", covered) == "김ㅅㅞㄽ"
    assert printable("坡州市", covered) == "???"
    assert printable("a\tb\x00c", covered) == "a b c"


def test_rare_syllables_never_break_the_pdf(
    clock: TravellingClock, file: Callable[..., Complaint], counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = file(
        ComplaintKind.OTHER, title="펲쉜 坡州 민원", filed_by=counter_officer, register_now=True
    )
    text = pdf_text(complaint_receipt_pdf(complaint, follow_url=FOLLOW))
    assert "ㅍㅔㅍㅅㅞㄽ ?? 민원" in text


def test_the_font_is_converted_once_into_the_data_folder(data_dir: Path) -> None:
    font = pdf_font("B")
    assert font.path.parent == data_dir / "cache" / "fonts"
    assert font.path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType, not WOFF
    assert pdf_font("B") == font


def test_a_missing_font_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, registered: Complaint
) -> None:
    monkeypatch.setattr(documents, "font_source_dir", lambda: tmp_path)
    with pytest.raises(PdfFontMissingError, match="npm ci"):
        complaint_receipt_pdf(registered, follow_url=FOLLOW)
