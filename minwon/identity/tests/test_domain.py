"""Purposes as data and the least-data rules; what the result screen may show."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from minwon.identity.domain import (
    MDOC,
    PURPOSES_FILE,
    SD_JWT,
    Field,
    PurposeError,
    display_fields,
    load_purposes,
    purposes_from_data,
    scrub_detail,
    valid_reference,
)
from minwon.identity.tests.wallet import PORTRAIT

RAW = json.loads(PURPOSES_FILE.read_text(encoding="utf-8"))


def _with(which: str, **change: Any) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(RAW)
    for purpose in data["purposes"]:
        if purpose["code"] == which:
            purpose.update(change)
    return data


def test_the_shipped_purposes_load_and_ask_for_the_least() -> None:
    purposes = load_purposes()
    assert set(purposes) == {
        "identity",
        "age_over_19",
        "family_certificate",
        "health_insurance_eligibility",
    }
    age = purposes["age_over_19"]
    assert age.show == (Field.AGE_OVER_19,)
    assert age.requested_claim_names() == [
        "age_over_19",
        "mip.age_over_19",
        "org.iso.18013.5.1.age_over_19",
    ]
    identity = purposes["identity"]
    assert "resident_number" not in json.dumps(identity.dcql_query())
    for purpose in purposes.values():
        dcql = json.dumps(purpose.dcql_query())
        assert "birth_date" not in dcql and "address" not in dcql


def test_the_dcql_query_marks_mdoc_elements_not_retained() -> None:
    dcql = load_purposes()["age_over_19"].dcql_query()
    mdl = next(c for c in dcql["credentials"] if c["format"] == MDOC)
    assert mdl["meta"] == {"doctype_value": "org.iso.18013.5.1.mDL"}
    assert mdl["claims"] == [
        {"path": ["org.iso.18013.5.1", "age_over_19"], "intent_to_retain": False}
    ]
    vc = next(c for c in dcql["credentials"] if c["format"] == SD_JWT)
    assert vc["meta"] == {"vct_values": ["urn:kr:mobileid:resident:1"]}
    assert dcql["credential_sets"] == [{"options": [["mdl"], ["resident"]]}]


def test_an_age_check_cannot_ask_for_a_birth_date() -> None:
    data = _with(
        "age_over_19",
        credentials=[
            {
                "id": "mdl",
                "format": MDOC,
                "doctype": "org.iso.18013.5.1.mDL",
                "claims": [["org.iso.18013.5.1", "birth_date"]],
            }
        ],
    )
    with pytest.raises(PurposeError, match="birth_date"):
        purposes_from_data(data)


def test_a_claim_feeding_a_field_not_shown_is_refused() -> None:
    data = _with("age_over_19", mip_claims=["age_over_19", "name"])
    with pytest.raises(PurposeError, match="does not show"):
        purposes_from_data(data)


def test_showing_the_resident_number_needs_a_legal_basis() -> None:
    data = _with("family_certificate", rrn_basis="")
    with pytest.raises(PurposeError, match="legal basis"):
        purposes_from_data(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "Bad Code"}, "code may hold"),
        ({"retention_days": 0}, "retention_days"),
        ({"display_seconds": 3600}, "display_seconds"),
        ({"show": ["address"]}, "show"),
        ({"label": {"ko": "확인"}}, "label.en"),
    ],
)
def test_malformed_purposes_are_refused_with_the_rule_named(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(PurposeError, match=message):
        purposes_from_data(_with("identity", **change))


def test_the_result_screen_shows_only_the_purposes_fields_rrn_masked() -> None:
    purposes = load_purposes()
    claims = {
        "name": "홍길동",
        "resident_number": "900101-1234567",
        "age_over_19": True,
        "address": "경기도 파주시",
    }
    shown = display_fields(purposes["family_certificate"], SD_JWT, claims)
    assert shown == {"name": "홍길동", "rrn": "900101-1******"}
    assert display_fields(purposes["age_over_19"], SD_JWT, claims) == {"age_over_19": True}


def test_an_mdl_name_is_joined_and_its_portrait_shown_as_a_data_url() -> None:
    import base64

    claims = {
        "org.iso.18013.5.1": {
            "family_name": "홍",
            "given_name": "길동",
            "portrait": base64.b64encode(PORTRAIT).decode(),
        }
    }
    shown = display_fields(load_purposes()["identity"], MDOC, claims)
    assert shown["name"] == "홍길동"
    assert shown["portrait"].startswith("data:image/jpeg;base64,")


def test_a_portrait_that_is_not_an_image_is_not_shown() -> None:
    shown = display_fields(
        load_purposes()["identity"], SD_JWT, {"name": "A", "portrait": "PHN2Zz4="}
    )
    assert "portrait" not in shown


def test_details_lose_anything_shaped_like_a_resident_number() -> None:
    assert (
        scrub_detail("value 900101-1234567 and 9001011234567") == "value [redacted] and [redacted]"
    )


@pytest.mark.parametrize(
    ("value", "ok"),
    [("", True), ("2026-0042", True), ("번호표_17", True), ("a b", False), ("x" * 41, False)],
)
def test_references_are_opaque_labels(value: str, ok: bool) -> None:
    assert valid_reference(value) is ok
