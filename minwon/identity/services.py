"""Writes of the identity context: one transaction each, with an audit row.

A verification never stores the raw credential. The record keeps what was checked (purpose,
channel, checks, issuer, credential type, the names of the claims received, the officer, the
ticket or complaint number) and no claim value; the result screen's fields (the purpose's only,
the 주민등록번호 masked) are sealed in the session for the purpose's display time.

Network calls (the MIP sidecar) and signature checks run before the transaction; the session row
is then locked and re-checked, so a second response to the same request is refused (single use).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import User
from minwon.core import clock, crypto
from minwon.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from minwon.core.services import audit_record
from minwon.identity import configuration
from minwon.identity.access import may_verify
from minwon.identity.clients import MipError, MipRefused, answer_result, m120_problem
from minwon.identity.domain import (
    MDOC,
    Channel,
    DocumentKind,
    ManualMethod,
    Purpose,
    check_summary,
    display_fields,
    valid_reference,
)
from minwon.identity.models import VerificationRecord, VerificationSession
from minwon.identity.verifier.encoding import DecodeError
from minwon.identity.verifier.oid4vp import (
    authorization_request,
    client_id_for,
    parse_vp_token,
    request_link,
    request_object,
    verify_response,
)
from minwon.identity.verifier.result import CheckList, VerificationResult
from minwon.identity.verifier.sdjwt import ALWAYS_VISIBLE

SESSION_LIFETIME = dt.timedelta(minutes=5)  # how long a QR code waits for the wallet
SESSION_KEPT = dt.timedelta(days=1)  # sessions (never records) are deleted after this
Status = VerificationSession.Status
Kind = VerificationSession.Kind


class VerifierNotConfigured(ApplicationError):
    code = "identity_not_configured"
    default_message = _("This verification channel is not configured on this server.")
    http_status = 503


class WalletUnavailable(ApplicationError):
    code = "identity_channel_unavailable"
    default_message = _(
        "The government mobile ID service did not answer. Try again, or check the ID by hand "
        "and record a manual check."
    )
    http_status = 503


M120_MESSAGES = {
    "empty": _("Scan the QR code the citizen's app shows."),
    "iso_proximity": _(
        "This is an ISO 18013-5 proximity code: it needs Bluetooth or NFC, which a QR scanner "
        "alone cannot do. Show the citizen the request QR code instead."
    ),
    "verifier_request": _(
        "This is another verifier's request, not the citizen's ID. Scan the QR code the "
        "citizen's mobile ID app shows."
    ),
    "not_m120": _("This QR code is not a government mobile ID code. Scan it again."),
}


def _purpose(code: str) -> Purpose:
    purpose = configuration.purpose_get(code)
    if purpose is None:
        raise ValidationFailed(_("Choose what the check is for."), field="purpose")
    return purpose


def _check_officer(officer: User) -> None:
    if not may_verify(officer):
        raise NotFound


def _clean_reference(reference: str) -> str:
    reference = reference.strip()
    if not valid_reference(reference):
        raise ValidationFailed(
            _("A ticket or complaint number has only letters, digits, - and _ (40 at most)."),
            field="reference",
        )
    return reference


def _clean_device(device: str) -> str:
    return device.strip()[:80]


@transaction.atomic
def _session_create(
    *,
    officer: User,
    purpose: Purpose,
    kind: str,
    device: str,
    reference: str,
    state: str,
    nonce: str,
    client_id: str = "",
    response_uri: str = "",
    qr_payload: str = "",
    mip_transaction: str = "",
) -> VerificationSession:
    session = VerificationSession.objects.create(
        kind=kind,
        state=state,
        nonce=nonce,
        client_id=client_id,
        response_uri=response_uri,
        qr_payload=qr_payload,
        mip_transaction=mip_transaction,
        purpose=purpose.code,
        officer=officer,
        device=device,
        reference=reference,
        expires_at=clock.now() + SESSION_LIFETIME,
    )
    audit_record(
        actor=officer,
        action="identity.session_started",
        target=session,
        org_unit_id=officer.org_unit_id,
        data={"purpose": purpose.code, "kind": kind, "device": device, "reference": reference},
    )
    return session


def oid4vp_session_start(
    *,
    officer: User,
    purpose_code: str,
    response_uri: str,
    request_uri_prefix: str,
    device: str = "",
    reference: str = "",
) -> VerificationSession:
    """A request QR for the tablet: `openid4vp://?client_id=…&request_uri=<prefix><state>`."""
    _check_officer(officer)
    purpose = _purpose(purpose_code)
    if not purpose.credentials:
        raise ValidationFailed(
            _("This purpose cannot be checked with a standards wallet."), field="purpose"
        )
    state = secrets.token_urlsafe(32)
    client_id = client_id_for(response_uri, configuration.verifier_key())
    return _session_create(
        officer=officer,
        purpose=purpose,
        kind=Kind.OID4VP,
        device=_clean_device(device),
        reference=_clean_reference(reference),
        state=state,
        nonce=secrets.token_urlsafe(24),
        client_id=client_id,
        response_uri=response_uri,
        qr_payload=request_link(client_id=client_id, request_uri=request_uri_prefix + state),
    )


def _mip_adapter() -> Any:
    adapter = configuration.mip_adapter()
    if adapter is None:
        raise VerifierNotConfigured
    return adapter


def mip_session_start(
    *,
    officer: User,
    purpose_code: str,
    device: str = "",
    reference: str = "",
    m120: str | None = None,
) -> VerificationSession:
    """Government mobile ID: QR-MPM (the counter shows the sidecar's M200) when `m120` is None,
    QR-CPM (the citizen's app showed M120 and the scanner typed it) otherwise."""
    _check_officer(officer)
    purpose = _purpose(purpose_code)
    reference = _clean_reference(reference)
    if not purpose.mip_claims:
        raise ValidationFailed(
            _("This purpose cannot be checked with the government mobile ID."), field="purpose"
        )
    if m120 is not None:
        problem = m120_problem(m120)
        if problem is not None:
            raise ValidationFailed(M120_MESSAGES[problem], field="m120", code=f"m120_{problem}")
    adapter = _mip_adapter()
    try:
        if m120 is None:
            started = adapter.start(service_code=purpose.code, claims=purpose.mip_claims)
        else:
            started = adapter.join(
                service_code=purpose.code, claims=purpose.mip_claims, m120=m120.strip()
            )
    except MipRefused as exc:
        raise ValidationFailed(M120_MESSAGES["not_m120"], field="m120", code="m120_refused") from (
            exc
        )
    except MipError as exc:
        raise WalletUnavailable from exc
    return _session_create(
        officer=officer,
        purpose=purpose,
        kind=Kind.MIP_MPM if m120 is None else Kind.MIP_CPM,
        device=_clean_device(device),
        reference=reference,
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(24),
        qr_payload=started.qr_payload,
        mip_transaction=started.trxcode,
    )


def _pending(session: VerificationSession, now: dt.datetime) -> bool:
    return session.status == Status.PENDING and now < session.expires_at


def oid4vp_request_object(*, state: str, client_name: str = "") -> str:
    """The signed (or, under redirect_uri, unsigned) request object the wallet fetches."""
    now = clock.now()
    session = VerificationSession.objects.filter(state=state, kind=Kind.OID4VP).first()
    if session is None or not _pending(session, now):
        raise NotFound
    purpose = _purpose(session.purpose)
    claims = authorization_request(
        client_id=session.client_id,
        response_uri=session.response_uri,
        nonce=session.nonce,
        state=session.state,
        dcql_query=purpose.dcql_query(),
        now=now,
        lifetime=session.expires_at - now,
        client_name=client_name,
    )
    with transaction.atomic():
        if session.request_fetched_at is None:
            VerificationSession.objects.filter(pk=session.pk).update(request_fetched_at=now)
        audit_record(
            actor=None,
            action="identity.request_fetched",
            target=session,
            data={"purpose": purpose.code},
        )
    return request_object(claims, configuration.verifier_key())


def _answer(
    session_id: int,
    *,
    result: VerificationResult,
    channel: Channel,
    outcome: str | None = None,
) -> VerificationSession:
    """Record the verification and answer the session, once (row locked, state re-checked)."""
    now = clock.now()
    with transaction.atomic():
        session = (
            VerificationSession.objects.select_for_update()
            .select_related("officer")
            .get(pk=session_id)
        )
        if not _pending(session, now):
            raise Conflict(_("This request has already been answered or has expired."))
        purpose = _purpose(session.purpose)
        officer = session.officer
        record = VerificationRecord.objects.create(
            purpose=purpose.code,
            channel=channel.value,
            outcome=outcome or result.status,
            officer=officer,
            officer_label=officer.get_username(),
            org_unit_id=officer.org_unit_id,
            device=session.device,
            reference=session.reference,
            credential_type=result.credential_type[:200],
            issuer=result.issuer[:300],
            checks=check_summary((c.name, c.ok, c.detail) for c in result.checks),
            claim_names=[n for n in result.claim_names() if n not in ALWAYS_VISIBLE],
            retain_until=now + dt.timedelta(days=purpose.retention_days),
        )
        session.status = Status.ANSWERED
        session.answered_at = now
        session.record = record
        if result.valid:
            fmt = MDOC if channel is Channel.OID4VP_MDOC else channel.value
            shown = display_fields(purpose, fmt, result.claims)
            session.display_sealed = crypto.encrypt(json.dumps(shown, ensure_ascii=False))
            session.display_until = now + dt.timedelta(seconds=purpose.display_seconds)
        session.save()
        audit_record(
            actor=officer,
            action="identity.verified",
            target=record,
            org_unit_id=officer.org_unit_id,
            data={
                "purpose": purpose.code,
                "channel": channel.value,
                "outcome": record.outcome,
                "failed": list(result.failed),
                "issuer": record.issuer,
                "credential_type": record.credential_type,
                "claims": record.claim_names,
                "reference": record.reference,
                "device": record.device,
            },
        )
    return session


def oid4vp_response_accept(
    *, state: str, vp_token: str | None, error: str = ""
) -> VerificationSession:
    """The wallet's direct_post. A response without vp_token or error is refused and changes
    nothing; anything else answers the session (a malformed or failing presentation is recorded
    as invalid, with the check that failed)."""
    now = clock.now()
    session = VerificationSession.objects.filter(state=state, kind=Kind.OID4VP).first()
    if session is None:
        raise NotFound
    if not _pending(session, now):
        raise Conflict(_("This request has already been answered or has expired."))
    purpose = _purpose(session.purpose)
    if error or vp_token is None:
        if not error:
            raise ValidationFailed(_("The response has neither vp_token nor error."))
        checks = CheckList("oid4vp")
        checks.fail("wallet", f"the wallet answered {error[:60]!r}")
        return _answer(
            session.pk,
            result=checks.finish(None),
            channel=Channel.OID4VP,
            outcome=VerificationRecord.Outcome.WALLET_ERROR,
        )
    try:
        token = parse_vp_token(vp_token)
    except DecodeError as exc:
        checks = CheckList("oid4vp")
        checks.fail("structure", str(exc))
        query, result = None, checks.finish(None)
    else:
        query, result = verify_response(
            token,
            purpose.credentials,
            configuration.trust_store(),
            at=now,
            client_id=session.client_id,
            nonce=session.nonce,
            response_uri=session.response_uri,
        )
    if query is None:
        channel = Channel.OID4VP
    else:
        channel = Channel.OID4VP_MDOC if query.format == MDOC else Channel.OID4VP_SD_JWT
    return _answer(session.pk, result=result, channel=channel)


def mip_session_poll(*, session: VerificationSession) -> VerificationSession:
    """Ask the sidecar whether the citizen's wallet has answered; record it when it has."""
    if session.kind == Kind.OID4VP or not _pending(session, clock.now()):
        return session
    purpose = _purpose(session.purpose)
    adapter = _mip_adapter()
    try:
        answer = adapter.answer(trxcode=session.mip_transaction)
    except MipError as exc:
        raise WalletUnavailable from exc
    if answer.state == "waiting":
        return session
    result = answer_result(answer, allowed_claims=purpose.mip_claims)
    try:
        return _answer(session.pk, result=result, channel=Channel.MIP)
    except Conflict:
        session.refresh_from_db()
        return session


@transaction.atomic
def manual_check_record(
    *,
    officer: User,
    purpose_code: str,
    method: str,
    document: str,
    passed: bool,
    reason: str = "",
    reference: str = "",
    device: str = "",
) -> VerificationRecord:
    """The fallback when a wallet fails: what the officer checked, how, and the outcome."""
    _check_officer(officer)
    purpose = _purpose(purpose_code)
    try:
        method_value = ManualMethod(method)
    except ValueError:
        raise ValidationFailed(_("Choose how the ID was checked."), field="method") from None
    try:
        document_value = DocumentKind(document)
    except ValueError:
        raise ValidationFailed(_("Choose which document was checked."), field="document") from None
    reason = reason.strip()
    if len(reason) > 300:
        raise ValidationFailed(_("Keep the reason to 300 characters."), field="reason")
    now = clock.now()
    record = VerificationRecord.objects.create(
        purpose=purpose.code,
        channel=Channel.MANUAL.value,
        outcome=VerificationRecord.Outcome.VALID if passed else VerificationRecord.Outcome.INVALID,
        officer=officer,
        officer_label=officer.get_username(),
        org_unit_id=officer.org_unit_id,
        device=_clean_device(device),
        reference=_clean_reference(reference),
        checks=[
            {
                "name": "manual",
                "ok": passed,
                "detail": f"{method_value.value}: {document_value.value}",
            }
        ],
        claim_names=[],
        manual_method=method_value.value,
        manual_document=document_value.value,
        manual_reason=reason,
        retain_until=now + dt.timedelta(days=purpose.retention_days),
    )
    audit_record(
        actor=officer,
        action="identity.manual_check",
        target=record,
        org_unit_id=officer.org_unit_id,
        data={
            "purpose": purpose.code,
            "method": method_value.value,
            "document": document_value.value,
            "outcome": record.outcome,
            "reference": record.reference,
        },
    )
    return record


@transaction.atomic
def verification_display_clear(
    *, officer: User, session: VerificationSession
) -> VerificationSession:
    """The officer clears the result screen now (it also clears itself after the display time)."""
    locked = VerificationSession.objects.select_for_update().get(pk=session.pk)
    if locked.officer_id != officer.pk:
        raise NotFound
    if locked.status == Status.PENDING:
        locked.status = Status.CANCELLED
    locked.display_sealed = ""
    locked.display_until = None
    locked.save(update_fields=["status", "display_sealed", "display_until", "updated_at"])
    audit_record(
        actor=officer,
        action="identity.display_cleared",
        target=locked,
        org_unit_id=officer.org_unit_id,
    )
    return locked


@transaction.atomic
def identity_retention_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Erase result screens past their time, expire waiting sessions, delete old sessions and
    the records past their purpose's retention. Idempotent."""
    now = now or clock.now()
    erased = VerificationSession.objects.filter(display_until__lte=now).update(
        display_sealed="", display_until=None
    )
    expired = VerificationSession.objects.filter(status=Status.PENDING, expires_at__lte=now).update(
        status=Status.EXPIRED
    )
    sessions, _unused = VerificationSession.objects.filter(
        created_at__lt=now - SESSION_KEPT
    ).delete()
    records, _unused = VerificationRecord.objects.filter(retain_until__lte=now).delete()
    counts = {"displays_erased": erased, "sessions_expired": expired}
    counts |= {"sessions_deleted": sessions, "records_deleted": records}
    if any(counts.values()):
        audit_record(actor=None, action="identity.retention_swept", data=counts)
    return counts
