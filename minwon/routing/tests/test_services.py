"""Routing's Django side: reading complaints, decisions, training from history, rollback, API."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from minwon.accounts.domain import OrgUnitKind
from minwon.accounts.models import OrgUnit
from minwon.accounts.services import org_unit_create, org_unit_duties_update
from minwon.core import clock
from minwon.core.errors import NotFound, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.routing import services
from minwon.routing.models import Case, Decision, ModelVersion, Suggestion
from minwon.routing.tests.test_classifier import ENVIRONMENT, TRAFFIC, WELFARE


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_DIR = str(tmp_path / "models")
    services.duplicate_index_reset()
    return tmp_path / "models"


@pytest.fixture
def units(city: OrgUnit) -> dict[str, OrgUnit]:
    def unit(code: str, name: str, duties: str) -> OrgUnit:
        return org_unit_create(
            actor=None,
            code=code,
            name_ko=name,
            kind=OrgUnitKind.DIVISION,
            parent=city,
            duties=duties,
        )

    return {
        "parking": unit(
            "parking", "주차관리과", "불법 주정차 단속; 공영주차장 운영; 주차 질서 계도"
        ),
        "cleaning": unit(
            "cleaning", "자원순환과", "생활쓰레기 수거; 재활용품 분리배출; 무단투기 단속"
        ),
        "welfare": unit("welfare", "복지정책과", "기초생활보장 수급자 지원; 긴급복지; 복지 상담"),
    }


def test_cold_start_suggests_units_from_their_duties_and_stores_the_words(units):
    reading = services.case_read(
        complaint_id=101, text="아파트 앞 불법 주정차 차량을 단속해 주세요"
    )
    dept = reading.targets["department"]
    assert dept.model_version == ""  # cold start
    assert [s.label for s in dept.suggestions][:1] == ["parking"]
    assert len(dept.suggestions) == 3
    assert reading.targets["kind"].reason == "no_model"
    rows = list(Suggestion.objects.filter(case__complaint_id=101, target="department"))
    assert [r.rank for r in rows] == [1, 2, 3]
    assert rows[0].label == "parking"
    assert rows[0].words  # the words that drove it are kept with it
    assert AuditEvent.objects.filter(action="routing.case_read").count() == 1


def test_editing_a_units_duties_changes_the_cold_start(units, supervisor):
    before = services.suggest_text("어르신 돌봄 서비스를 받고 싶어요")
    assert before.targets["department"].suggestions[0].label != "parking"
    org_unit_duties_update(
        actor=supervisor, unit=units["parking"], duties="어르신 돌봄 서비스 신청; 노인 돌봄"
    )
    after = services.suggest_text("어르신 돌봄 서비스를 받고 싶어요")
    assert after.targets["department"].suggestions[0].label == "parking"
    assert AuditEvent.objects.filter(action="org_unit.duties_updated").count() == 1
    with pytest.raises(ValidationFailed):
        org_unit_duties_update(actor=supervisor, unit=units["parking"], duties="가" * 5001)


def test_unusable_text_is_stored_with_its_reason_and_no_suggestion(units):
    reading = services.case_read(complaint_id=7, text="010-1234-5678")
    assert reading.reason == "only_personal_data"
    case = Case.objects.get(complaint_id=7)
    assert case.reason == "only_personal_data"
    assert "010" not in case.text
    assert not Suggestion.objects.filter(case=case).exists()


def test_decisions_are_recorded_as_accepted_or_overridden(units, road_officer):
    services.case_read(complaint_id=1, text="불법 주정차 차량 단속 요청합니다")
    services.case_read(complaint_id=2, text="불법 주차 차량 때문에 통행이 불편합니다")
    d1 = services.decision_record(
        actor=road_officer, complaint_id=1, target="department", chosen_label="parking"
    )
    d2 = services.decision_record(
        actor=road_officer, complaint_id=2, target="department", chosen_label="welfare"
    )
    assert (d1.outcome, d2.outcome) == (Decision.ACCEPTED, Decision.OVERRIDDEN)
    assert Case.objects.get(complaint_id=2).final_department == "welfare"
    with pytest.raises(NotFound):
        services.decision_record(
            actor=road_officer, complaint_id=99, target="department", chosen_label="x"
        )
    with pytest.raises(ValidationFailed):
        services.decision_record(
            actor=road_officer, complaint_id=1, target="colour", chosen_label="x"
        )


def test_a_transfer_after_a_suggestion_counts_as_a_miss(units):
    services.case_read(complaint_id=3, text="불법 주정차 차량 단속 요청합니다")
    services.outcome_record(complaint_id=3, department="cleaning", transferred=True)
    case = Case.objects.get(complaint_id=3)
    assert case.transferred_after_suggestion
    assert services.outcome_record(complaint_id=404, department="x") is None


def _history(units) -> None:
    n = 0
    for label, texts in (("parking", TRAFFIC), ("cleaning", ENVIRONMENT), ("welfare", WELFARE)):
        for round_ in range(2):
            for t in texts:
                n += 1
                services.case_read(complaint_id=n, text=f"{t} {'정말' if round_ else ''}")
                services.outcome_record(complaint_id=n, department=label)


def test_training_on_the_citys_history_versions_and_rolls_back(
    units, supervisor, model_dir, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationFailed) as too_little:
        services.model_train(actor=supervisor, target="department")
    assert too_little.value.code == "routing.too_little_history"
    _history(units)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.model_train(actor=supervisor, target="department")
    assert first.is_active and first.n == 36
    assert sorted(first.labels) == ["cleaning", "parking", "welfare"]
    reading = services.suggest_text("골목 쓰레기 무단 투기가 심해요")
    assert reading.targets["department"].model_version == first.version
    assert reading.targets["department"].suggestions[0].label == "cleaning"

    services.case_read(complaint_id=500, text="음식물 쓰레기 수거가 안 돼요")
    services.outcome_record(complaint_id=500, department="cleaning")
    with django_capture_on_commit_callbacks(execute=True):
        second = services.model_train(actor=supervisor, target="department")
    assert ModelVersion.objects.get(pk=first.pk).is_active is False
    assert (
        services.suggest_text("쓰레기 투기").targets["department"].model_version == second.version
    )
    with django_capture_on_commit_callbacks(execute=True):
        back = services.model_rollback(actor=supervisor, target="department")
    assert back.version == first.version
    assert ModelVersion.objects.filter(target="department", is_active=True).count() == 1
    assert services.model_store().active_version("department") == first.version
    assert AuditEvent.objects.filter(action="routing.model_activated").count() == 3

    # A changed artefact is refused, and nothing switches.
    artefact = model_dir / "department" / f"{second.version}.joblib"
    artefact.write_bytes(b"not a model")
    with pytest.raises(ValidationFailed):
        services.model_activate(actor=supervisor, target="department", version=second.version)
    assert ModelVersion.objects.get(pk=first.pk).is_active


def test_the_scheduled_retrain_skips_unchanged_history(units):
    _history(units)
    first = services.retrain_all()
    assert first["department"] not in {"unchanged", "too_little_history"}
    assert first["kind"] == "too_little_history"
    assert services.retrain_all()["department"] == "unchanged"


def test_near_duplicates_and_a_campaign_are_found(units):
    text = "우리 마을 앞 공장 건설을 반대합니다. 주민 건강과 환경을 위해 허가를 취소해 주세요."
    for i in range(1, 6):
        reading = services.case_read(
            complaint_id=i, text=text + (" 부탁드립니다" if i % 2 else ""), complainant_key=f"p{i}"
        )
    assert {c for c, _ in reading.duplicates} == {1, 2, 3, 4}
    assert all(sim >= 0.5 for _, sim in reading.duplicates)
    assert reading.campaign == (1, 2, 3, 4, 5)
    other = services.case_read(complaint_id=9, text="버스 정류장 의자가 부서졌어요 고쳐주세요")
    assert other.duplicates == () and other.campaign == ()
    # The same person five times is not a campaign.
    services.duplicate_index_reset()
    for i in range(20, 25):
        same = services.case_read(
            complaint_id=i,
            text="도서관 운영 시간을 늘려 주세요 주말에도 열어 주세요",
            complainant_key="one",
            now=clock.now() + timedelta(seconds=i),
        )
    assert len(same.duplicates) == 4 and same.campaign == ()


def test_api_returns_top3_with_confidence_and_words(
    units, road_officer, supervisor, officer_client, citizen_client
):
    client = officer_client(road_officer)
    response = client.post(
        "/api/v1/routing/suggest",
        data=json.dumps({"text": "재활용 쓰레기 수거가 안 되고 있어요"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    top = body["department"]["suggestions"]
    assert len(top) == 3
    assert top[0]["label"] == "cleaning" and top[0]["name"] == "자원순환과"
    assert 0 < top[0]["confidence"] <= 1 and top[0]["words"]
    services.case_read(complaint_id=55, text="재활용 쓰레기 수거가 안 되고 있어요")
    # A unit's officer cannot tell which unit complaint 55 is in: it does not exist for them.
    assert client.get("/api/v1/routing/complaints/55").status_code == 404
    client = officer_client(supervisor)
    stored = client.get("/api/v1/routing/complaints/55").json()
    assert stored["department"]["suggestions"][0]["label"] == "cleaning"
    assert client.get("/api/v1/routing/complaints/56").status_code == 404
    decided = client.post(
        "/api/v1/routing/complaints/55/decision",
        data=json.dumps({"target": "department", "label": "cleaning"}),
        content_type="application/json",
    )
    assert decided.json()["outcome"] == "accepted"
    refused = citizen_client.post(
        "/api/v1/routing/suggest",
        data=json.dumps({"text": "쓰레기"}),
        content_type="application/json",
    )
    assert refused.status_code == 401


def test_train_command_reads_the_citys_history(units, capsys, django_capture_on_commit_callbacks):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="30"):
        call_command("routing_train", target="department")
    _history(units)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("routing_train", target="department")
    out = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert out["n"] == 36 and out["active"] is True
    assert services.model_store().active_version("department") == out["version"]


def test_the_citywide_api_lists_a_complaints_duplicates_and_campaign(
    units, supervisor, officer_client
):
    """GET /api/v1/routing/complaints/{id} answered empty duplicates and campaign, whatever was
    found when the complaint was read; it now gives the stored matches, most similar first."""
    text = "우리 마을 앞 공장 건설을 반대합니다. 주민 건강과 환경을 위해 허가를 취소해 주세요."
    for i in range(1, 6):
        services.case_read(
            complaint_id=i, text=text + (" 부탁드립니다" if i % 2 else ""), complainant_key=f"p{i}"
        )
    services.case_read(complaint_id=9, text="버스 정류장 의자가 부서졌어요 고쳐주세요")
    client = officer_client(supervisor)
    body = client.get("/api/v1/routing/complaints/1").json()
    dups = body["duplicates"]
    assert {d["complaint_id"] for d in dups} == {2, 3, 4, 5}
    assert all(d["similarity"] >= 0.5 for d in dups)
    assert [d["similarity"] for d in dups] == sorted((d["similarity"] for d in dups), reverse=True)
    assert body["campaign"] == [1, 2, 3, 4, 5]
    alone = client.get("/api/v1/routing/complaints/9").json()
    assert alone["duplicates"] == [] and alone["campaign"] == []
