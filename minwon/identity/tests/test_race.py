"""Two wallet responses to the same request at the same moment: exactly one answers it.

Real threads, each with its own PostgreSQL connection, and committed data (a transactional
test). Both pass the unlocked first look and verify their presentation before either records
anything (a barrier holds them there); the row lock in `_answer` then lets one through and
refuses the other. SQLite has one writer at a time, so the race cannot happen there."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from minwon.accounts.models import User
from minwon.core.errors import Conflict
from minwon.identity import services
from minwon.identity.models import VerificationRecord
from minwon.identity.tests.wallet import Wallet, decode_jwt_payload
from minwon.identity.verifier.oid4vp import verify_response as real_verify

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers on separate connections (PostgreSQL row locks)",
    ),
]


def test_two_responses_at_once_answer_the_request_once(
    counter_officer: User, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wallet = Wallet.resident_card()
    settings.IDENTITY_TRUST_DIR = str(wallet.write_trust(tmp_path / "trust"))
    session = services.oid4vp_session_start(
        officer=counter_officer,
        purpose_code="identity",
        response_uri="https://minwon.example.kr/identity/oid4vp/response",
        request_uri_prefix="https://minwon.example.kr/identity/oid4vp/requests/",
    )
    request = decode_jwt_payload(services.oid4vp_request_object(state=session.state))
    answers = [wallet.answer(request), wallet.answer(request)]

    barrier = threading.Barrier(2, timeout=60)

    def verify_then_wait(*args: Any, **kwargs: Any) -> Any:
        result = real_verify(*args, **kwargs)
        barrier.wait()  # both have verified; neither has recorded
        return result

    monkeypatch.setattr("minwon.identity.services.verify_response", verify_then_wait)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def respond(answer: dict[str, str]) -> None:
        try:
            services.oid4vp_response_accept(**answer, error="")
            outcomes.append("answered")
        except Conflict:
            outcomes.append("refused")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=respond, args=(a,)) for a in answers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["answered", "refused"]
    assert VerificationRecord.objects.count() == 1
    session.refresh_from_db()
    assert session.status == "answered" and session.record is not None
    assert session.record.outcome == "valid"
