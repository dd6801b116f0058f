"""Pure rules of mobile-ID verification at the counter (stdlib only).

Purposes are data (`data/purposes.json`): for each counter task, which credentials and claims a
request may ask for, which fields the result screen shows, how long the screen shows them and how
long the record of the check is kept. The least-data rule is checked when the data is read:

- every requested claim feeds a field the purpose shows (an age check cannot ask for a birth date,
  an identity check cannot ask for an address);
- a purpose that shows the 주민등록번호 names its legal basis (개인정보 보호법 제24조의2);
- the result screen shows only the purpose's fields, the 주민등록번호 masked.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from minwon.core.domain import mask_rrn

PURPOSES_FILE = Path(__file__).resolve().parent / "data" / "purposes.json"

MDOC = "mso_mdoc"
SD_JWT = "dc+sd-jwt"
FORMATS = (MDOC, SD_JWT)


class Field(StrEnum):
    """What a result screen may show (never more than the purpose lists)."""

    NAME = "name"
    RRN = "rrn"  # 주민등록번호, always masked on screen
    AGE_OVER_19 = "age_over_19"
    PORTRAIT = "portrait"


# Which claim (the last element of its path) feeds which field, for every credential format.
CLAIM_FIELDS: dict[str, Field] = {
    "family_name": Field.NAME,
    "given_name": Field.NAME,
    "name": Field.NAME,
    "resident_number": Field.RRN,
    "personal_administrative_number": Field.RRN,
    "age_over_19": Field.AGE_OVER_19,
    "portrait": Field.PORTRAIT,
}


class Channel(StrEnum):
    """How a check was made (the audit record's channel, mobile-id.md §5.5)."""

    OID4VP = "oid4vp"  # a response whose credential format could not be told
    OID4VP_MDOC = "oid4vp_mdoc"
    OID4VP_SD_JWT = "oid4vp_sd_jwt"
    MIP = "mip"  # the government 모바일 신분증 through the city's SP sidecar
    MANUAL = "manual"  # 육안 / 검증앱 / 정부24 진위확인, recorded by the officer


class ManualMethod(StrEnum):
    VISUAL = "visual"  # 육안 확인 (the card or the app's screen)
    VERIFIER_APP = "verifier_app"  # the government 검증앱
    GOV24 = "gov24"  # 정부24 사실/진위확인
    COPY_SERVICE = "copy_service"  # 진위확인·사본저장 서비스


class DocumentKind(StrEnum):
    """What the officer looked at in a manual check."""

    MOBILE_ID = "mobile_id"  # 모바일 신분증 (app screen)
    RESIDENT_CARD = "resident_card"  # 주민등록증
    DRIVING_LICENCE = "driving_licence"  # 운전면허증
    PASSPORT = "passport"  # 여권
    OTHER = "other"


class PurposeError(ValueError):
    """The purposes data breaks a rule (named in the message)."""


@dataclass(frozen=True, slots=True)
class CredentialQuery:
    """One credential a purpose accepts, as a DCQL credential query (OpenID4VP 1.0 §6).

    `claims` are paths: (namespace, element) for an mdoc, (claim name,) for an SD-JWT VC.
    """

    id: str
    format: str
    claims: tuple[tuple[str, ...], ...]
    doctype: str = ""
    vct: tuple[str, ...] = ()

    def mdoc_request(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for namespace, element in self.claims:
            out.setdefault(namespace, set()).add(element)
        return {ns: frozenset(elements) for ns, elements in out.items()}

    def sd_jwt_request(self) -> frozenset[str]:
        return frozenset(path[0] for path in self.claims)

    def claim_names(self) -> list[str]:
        return sorted(".".join(path) for path in self.claims)

    def dcql(self) -> dict[str, Any]:
        if self.format == MDOC:
            return {
                "id": self.id,
                "format": MDOC,
                "meta": {"doctype_value": self.doctype},
                "claims": [{"path": list(path), "intent_to_retain": False} for path in self.claims],
            }
        return {
            "id": self.id,
            "format": SD_JWT,
            "meta": {"vct_values": list(self.vct)},
            "claims": [{"path": list(path)} for path in self.claims],
        }


@dataclass(frozen=True, slots=True)
class Purpose:
    code: str
    label_ko: str
    label_en: str
    description_ko: str
    description_en: str
    show: tuple[Field, ...]
    retention_days: int
    display_seconds: int
    credentials: tuple[CredentialQuery, ...]
    mip_claims: tuple[str, ...]
    rrn_basis: str = ""

    def label(self, language: str) -> str:
        return self.label_ko if language.startswith("ko") else self.label_en

    def description(self, language: str) -> str:
        return self.description_ko if language.startswith("ko") else self.description_en

    def credential(self, query_id: str) -> CredentialQuery | None:
        return next((c for c in self.credentials if c.id == query_id), None)

    def dcql_query(self) -> dict[str, Any]:
        """The DCQL query: any one of the purpose's credentials (one option each)."""
        return {
            "credentials": [c.dcql() for c in self.credentials],
            "credential_sets": [{"options": [[c.id] for c in self.credentials]}],
        }

    def requested_claim_names(self) -> list[str]:
        names: set[str] = set()
        for credential in self.credentials:
            names.update(credential.claim_names())
        names.update(f"mip.{name}" for name in self.mip_claims)
        return sorted(names)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PurposeError(f"{what} must be a non-empty string")
    return value.strip()


def _localised(value: Any, what: str) -> tuple[str, str]:
    if not isinstance(value, Mapping):
        raise PurposeError(f"{what} must give ko and en")
    return _text(value.get("ko"), f"{what}.ko"), _text(value.get("en"), f"{what}.en")


def _positive(value: Any, what: str, *, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= maximum:
        raise PurposeError(f"{what} must be a whole number from 1 to {maximum}")
    return int(value)


def _claim_field(name: str, where: str) -> Field:
    field = CLAIM_FIELDS.get(name)
    if field is None:
        raise PurposeError(f"{where}: claim {name!r} feeds no field a result screen shows")
    return field


def _credential(raw: Any, where: str) -> CredentialQuery:
    if not isinstance(raw, Mapping):
        raise PurposeError(f"{where} must be an object")
    query_id = _text(raw.get("id"), f"{where}.id")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", query_id):
        raise PurposeError(f"{where}.id may hold only letters, digits, _ and -")
    fmt = raw.get("format")
    if fmt not in FORMATS:
        raise PurposeError(f"{where}.format must be one of {', '.join(FORMATS)}")
    claims_raw = raw.get("claims")
    if not isinstance(claims_raw, list) or not claims_raw:
        raise PurposeError(f"{where}.claims must list at least one claim path")
    claims: list[tuple[str, ...]] = []
    for path in claims_raw:
        if not isinstance(path, list) or not all(isinstance(p, str) and p for p in path):
            raise PurposeError(f"{where}: a claim path is a list of names")
        if fmt == MDOC and len(path) != 2:
            raise PurposeError(f"{where}: an mdoc claim path is [namespace, element]")
        if fmt == SD_JWT and len(path) != 1:
            raise PurposeError(f"{where}: an SD-JWT VC claim path is [claim name]")
        if tuple(path) in claims:
            raise PurposeError(f"{where}: claim {'.'.join(path)} is listed twice")
        claims.append(tuple(path))
    if fmt == MDOC:
        doctype = _text(raw.get("doctype"), f"{where}.doctype")
        return CredentialQuery(query_id, fmt, tuple(claims), doctype=doctype)
    vct = raw.get("vct")
    if not isinstance(vct, list) or not vct or not all(isinstance(v, str) and v for v in vct):
        raise PurposeError(f"{where}.vct must list the accepted credential types")
    return CredentialQuery(query_id, fmt, tuple(claims), vct=tuple(vct))


def purpose_from_data(raw: Any) -> Purpose:
    if not isinstance(raw, Mapping):
        raise PurposeError("a purpose must be an object")
    code = _text(raw.get("code"), "code")
    if not re.fullmatch(r"[a-z0-9_]{2,40}", code):
        raise PurposeError(f"{code}: code may hold only a-z, 0-9 and _ (2-40)")
    label_ko, label_en = _localised(raw.get("label"), f"{code}.label")
    description_ko, description_en = _localised(raw.get("description"), f"{code}.description")
    show_raw = raw.get("show")
    if not isinstance(show_raw, list) or not show_raw:
        raise PurposeError(f"{code}.show must list the fields the result screen shows")
    try:
        show = tuple(Field(s) for s in show_raw)
    except ValueError as exc:
        raise PurposeError(f"{code}.show: {exc}") from None
    credentials_raw = raw.get("credentials")
    if not isinstance(credentials_raw, list):
        raise PurposeError(f"{code}.credentials must be a list")
    credentials = tuple(
        _credential(c, f"{code}.credentials[{i}]") for i, c in enumerate(credentials_raw)
    )
    if len({c.id for c in credentials}) != len(credentials):
        raise PurposeError(f"{code}: two credentials have the same id")
    mip_raw = raw.get("mip_claims", [])
    if not isinstance(mip_raw, list) or not all(isinstance(m, str) and m for m in mip_raw):
        raise PurposeError(f"{code}.mip_claims must be a list of claim names")
    # Least data: everything requested feeds a field shown, in every channel.
    for credential in credentials:
        for path in credential.claims:
            field = _claim_field(path[-1], f"{code}.{credential.id}")
            if field not in show:
                raise PurposeError(
                    f"{code}.{credential.id}: claim {'.'.join(path)} feeds {field.value}, "
                    "which the purpose does not show"
                )
    for name in mip_raw:
        if _claim_field(name, f"{code}.mip_claims") not in show:
            raise PurposeError(f"{code}.mip_claims: {name} feeds a field the purpose does not show")
    rrn_basis = str(raw.get("rrn_basis") or "").strip()
    if Field.RRN in show and not rrn_basis:
        raise PurposeError(
            f"{code} shows the resident registration number but names no legal basis (rrn_basis)"
        )
    if Field.RRN not in show and rrn_basis:
        raise PurposeError(f"{code} names an rrn_basis but does not show the number")
    return Purpose(
        code=code,
        label_ko=label_ko,
        label_en=label_en,
        description_ko=description_ko,
        description_en=description_en,
        show=show,
        retention_days=_positive(raw.get("retention_days"), f"{code}.retention_days", maximum=3650),
        display_seconds=_positive(
            raw.get("display_seconds"), f"{code}.display_seconds", maximum=600
        ),
        credentials=credentials,
        mip_claims=tuple(mip_raw),
        rrn_basis=rrn_basis,
    )


def purposes_from_data(data: Any) -> dict[str, Purpose]:
    if not isinstance(data, Mapping) or not isinstance(data.get("purposes"), list):
        raise PurposeError('the purposes file must be {"purposes": [...]}')
    out: dict[str, Purpose] = {}
    for raw in data["purposes"]:
        purpose = purpose_from_data(raw)
        if purpose.code in out:
            raise PurposeError(f"purpose {purpose.code} is defined twice")
        out[purpose.code] = purpose
    if not out:
        raise PurposeError("no purposes defined")
    return out


def load_purposes(path: Path = PURPOSES_FILE) -> dict[str, Purpose]:
    return purposes_from_data(json.loads(path.read_text(encoding="utf-8")))


# --- the result screen --------------------------------------------------------------------------

_IMAGE_MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def _portrait_data_url(value: Any) -> str | None:
    """A portrait as a data: URL when it is a JPEG or PNG (bytes, base64 or a data URL)."""
    if isinstance(value, str) and value.startswith("data:image/"):
        head, _, body = value.partition(",")
        if head in ("data:image/jpeg;base64", "data:image/png;base64"):
            value = body
        else:
            return None
    raw: bytes
    if isinstance(value, bytes):
        raw = value
    elif isinstance(value, str):
        text = value.strip().replace("-", "+").replace("_", "/")
        try:
            raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except ValueError:
            return None
    else:
        return None
    for magic, mime in _IMAGE_MAGIC.items():
        if raw.startswith(magic):
            return f"data:{mime};base64," + base64.b64encode(raw).decode("ascii")
    return None


def _flat(claims: Mapping[str, Any], fmt: str) -> dict[str, Any]:
    """mdoc claims are {namespace: {element: value}}; SD-JWT VC and MIP claims are flat."""
    if fmt != MDOC:
        return dict(claims)
    flat: dict[str, Any] = {}
    for elements in claims.values():
        if isinstance(elements, Mapping):
            for name, value in elements.items():
                flat.setdefault(str(name), value)
    return flat


def display_fields(purpose: Purpose, fmt: str, claims: Mapping[str, Any]) -> dict[str, Any]:
    """What the result screen shows for a verified presentation: only the purpose's fields, the
    주민등록번호 masked, the portrait as a data: URL; a field the credential did not carry is left
    out. Values are plain JSON (str / bool) so they can be sealed for the short display time."""
    flat = _flat(claims, fmt)
    out: dict[str, Any] = {}
    for field in purpose.show:
        if field is Field.NAME:
            if isinstance(flat.get("name"), str):
                out["name"] = flat["name"].strip()
            else:
                parts = [flat.get("family_name"), flat.get("given_name")]
                text = [p.strip() for p in parts if isinstance(p, str) and p.strip()]
                if text:
                    separator = "" if all(_is_hangul(t) for t in text) else " "
                    out["name"] = separator.join(text)
        elif field is Field.RRN:
            raw = flat.get("resident_number") or flat.get("personal_administrative_number")
            if isinstance(raw, str):
                out["rrn"] = mask_rrn(raw)
        elif field is Field.AGE_OVER_19:
            if isinstance(flat.get("age_over_19"), bool):
                out["age_over_19"] = flat["age_over_19"]
        elif field is Field.PORTRAIT:
            url = _portrait_data_url(flat.get("portrait"))
            if url:
                out["portrait"] = url
    return out


def _is_hangul(text: str) -> bool:
    return all("\uac00" <= ch <= "\ud7a3" for ch in text)


def shown_fields_complete(purpose: Purpose, shown: Mapping[str, Any]) -> list[str]:
    """Fields the purpose needs that the credential did not give (the officer is told)."""
    return [f.value for f in purpose.show if f.value not in shown]


# --- the audit record ---------------------------------------------------------------------------

_DIGITS = re.compile(r"\d{6}-?\d{7}")


def scrub_detail(detail: str) -> str:
    """A check's detail for the record: no 주민등록번호-shaped number survives, at most 300 chars.
    (The verifier's details name claims, never their values; this is a second fence.)"""
    return _DIGITS.sub("[redacted]", detail)[:300]


def check_summary(checks: Iterable[tuple[str, bool, str]]) -> list[dict[str, Any]]:
    return [{"name": n, "ok": ok, "detail": scrub_detail(d)} for n, ok, d in checks]


def received_names_within(received: Sequence[str], allowed: Sequence[str]) -> list[str]:
    """Claim names received that the purpose did not request (should be none: the verifier
    refuses them; checked again before anything is shown)."""
    allowed_last = {name.split(".")[-1] for name in allowed}
    return [name for name in received if name.split(".")[-1] not in allowed_last]


REFERENCE = re.compile(r"[0-9A-Za-z가-힣][0-9A-Za-z가-힣_-]{0,39}")


def valid_reference(value: str) -> bool:
    """A ticket or complaint number the record points at (identity knows no complaint): an opaque
    label of letters, digits, - and _, at most 40 characters, or nothing."""
    return value == "" or REFERENCE.fullmatch(value) is not None
