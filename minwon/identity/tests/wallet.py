"""A wallet simulator for the OpenID4VP tests (service, view and browser tests).

It holds one credential made with the test-data factories (an SD-JWT VC minted with the `sd-jwt`
reference implementation, or an mdoc under a test IACA), reads a request the way a wallet does
(the openid4vp:// link → the request object at request_uri → DCQL), and answers with a
presentation bound to that request (KB-JWT aud/nonce, or the mdoc SessionTranscript with the
OpenID4VP handover). Test-only: it never verifies anything.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import serialization

from minwon.identity.tests.factories import (
    MDL,
    NS,
    Pki,
    SdJwtFixture,
    b64u,
    ec_jwk,
    make_mdoc,
    make_pki,
    make_sd_jwt_vc,
)
from minwon.identity.verifier.mdoc import openid4vp_session_transcript

RESIDENT_VCT = "urn:kr:mobileid:resident:1"
# A 1x1 JPEG is enough for a portrait the result screen shows.
PORTRAIT = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q=="
)
RESIDENT_CLAIMS: dict[str, Any] = {
    "name": "홍길동",
    "resident_number": "900101-1234567",
    "age_over_19": True,
    "address": "경기도 파주시 시청로 50",
    "portrait": base64.b64encode(PORTRAIT).decode("ascii"),
}
MDL_ELEMENTS: dict[str, Any] = {
    "family_name": "홍",
    "given_name": "길동",
    "birth_date": "1990-01-01",
    "age_over_19": True,
    "portrait": PORTRAIT,
}


def decode_jwt_payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    assert isinstance(value, dict)
    return value


def request_uri_of(link: str) -> tuple[str, str]:
    """(client_id, request_uri) of an openid4vp:// link."""
    query = parse_qs(urlsplit(link).query)
    return query["client_id"][0], query["request_uri"][0]


@dataclass
class Wallet:
    sd_jwt: SdJwtFixture | None = None
    pki: Pki | None = None
    mdl_elements: Mapping[str, Any] = field(default_factory=dict)
    sd_claims: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def resident_card(cls, claims: Mapping[str, Any] | None = None, **kw: Any) -> Wallet:
        held = dict(claims or RESIDENT_CLAIMS)
        return cls(sd_jwt=make_sd_jwt_vc(held, vct=RESIDENT_VCT, **kw), sd_claims=held)

    @classmethod
    def driving_licence(cls, elements: Mapping[str, Any] | None = None) -> Wallet:
        return cls(pki=make_pki(), mdl_elements=dict(elements or MDL_ELEMENTS))

    def write_trust(self, folder: Path) -> Path:
        """What the city would configure to trust this wallet's issuer."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.sd_jwt is not None:
            jwk = ec_jwk(self.sd_jwt.issuer_key) | {"iss": "https://issuer.example.kr"}
            (folder / "issuer.jwk").write_text(json.dumps(jwk))
        if self.pki is not None:
            (folder / "iaca.pem").write_bytes(
                self.pki.iaca.public_bytes(serialization.Encoding.PEM)
            )
        return folder

    def answer(
        self, request: Mapping[str, Any], *, disclose_extra: tuple[str, ...] = ()
    ) -> dict[str, str]:
        """The direct_post form (vp_token, state) for a request object's claims."""
        queries = request["dcql_query"]["credentials"]
        presentations: dict[str, list[str]] = {}
        for query in queries:
            if query["format"] == "dc+sd-jwt" and self.sd_jwt is not None:
                names = [path["path"][0] for path in query["claims"]] + list(disclose_extra)
                disclose = {name: True for name in names if name in self.sd_claims}
                presentation = self.sd_jwt.present(
                    disclose, aud=request["client_id"], nonce=request["nonce"]
                )
                presentations[query["id"]] = [presentation]
                break
            if (
                query["format"] == "mso_mdoc"
                and self.pki is not None
                and query["meta"]["doctype_value"] == MDL
            ):
                wanted = [path["path"][1] for path in query["claims"]] + list(disclose_extra)
                elements = {k: v for k, v in self.mdl_elements.items() if k in wanted}
                transcript = openid4vp_session_transcript(
                    client_id=request["client_id"],
                    nonce=request["nonce"],
                    response_uri=request["response_uri"],
                )
                mdoc = make_mdoc(self.pki, elements, transcript=transcript, namespace=NS)
                presentations[query["id"]] = [b64u(mdoc.device_response)]
                break
        if not presentations:
            raise LookupError("this wallet holds no credential the request accepts")
        return {"vp_token": json.dumps(presentations), "state": request["state"]}
