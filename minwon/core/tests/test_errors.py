from django.utils import translation

from minwon.core.errors import Conflict, NotFound, ValidationFailed


def test_error_document_has_stable_code_and_translated_message() -> None:
    error = ValidationFailed(field="period", params={"value": "0d"})
    with translation.override("en"):
        assert error.as_dict() == {
            "code": "invalid",
            "message": "The input is not valid.",
            "field": "period",
            "params": {"value": "0d"},
        }
    with translation.override("ko"):
        assert error.as_dict()["code"] == "invalid"
        assert error.as_dict()["message"] == "입력값이 올바르지 않습니다."


def test_statuses() -> None:
    assert NotFound().http_status == 404
    assert Conflict(code="complaint.invalid_transition").code == "complaint.invalid_transition"
