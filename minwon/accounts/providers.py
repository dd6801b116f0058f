"""본인확인 / 간편인증 provider adapters (the contract: `accounts.domain.IdentityProvider`).

`SimulatorProvider` stands in for a real provider in demos and tests: its "provider page"
(`/accounts/identity/simulator/`, accounts.views) asks the person to confirm, then sends the
browser back with a signed, expiring answer, as PASS or a 간편인증 gateway would. A city adds its
real provider as another class here (or in its own package) and lists it in IDENTITY_PROVIDERS;
docs/how-to/identity-provider.md walks through it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from minwon.accounts.domain import IdentityAssertion, IdentityCheckFailed, IdentityProvider
from minwon.core import clock

SIMULATOR_PATH = "/accounts/identity/simulator/"
SIMULATOR_SALT = "minwon.accounts.identity-simulator"
SIMULATOR_MAX_AGE_SECONDS = 5 * 60


def simulator_answer(*, state: str, name: str, birth_date: str) -> str:
    """The simulator page's signed answer; the CI stands for the person named (a stable value,
    as a real CI is)."""
    ci = hashlib.sha256(f"simulated-ci:{name}:{birth_date}".encode()).hexdigest()
    payload = {"state": state, "ci": ci, "name": name, "birth_date": birth_date}
    return signing.dumps(payload, salt=SIMULATOR_SALT)


class SimulatorProvider:
    """A stand-in 본인확인 provider for demos and tests (refused in production by settings)."""

    key = "simulator"

    @property
    def label(self) -> str:
        return gettext("Identity check simulator (stands in for PASS, Kakao and Naver)")

    def start(self, *, state: str, return_url: str) -> str:
        return f"{SIMULATOR_PATH}?{urlencode({'state': state, 'return_url': return_url})}"

    def complete(self, *, state: str, params: Mapping[str, str]) -> IdentityAssertion:
        if params.get("cancelled"):
            raise IdentityCheckFailed("cancelled")
        try:
            payload = signing.loads(
                params.get("answer", ""), salt=SIMULATOR_SALT, max_age=SIMULATOR_MAX_AGE_SECONDS
            )
        except signing.SignatureExpired:
            raise IdentityCheckFailed("expired") from None
        except signing.BadSignature:
            raise IdentityCheckFailed("invalid") from None
        if not state or payload.get("state") != state:
            raise IdentityCheckFailed("state_mismatch")
        return IdentityAssertion(
            provider=self.key,
            ci=str(payload["ci"]),
            verified_at=clock.now(),
            name=str(payload.get("name", "")),
            birth_date=str(payload.get("birth_date", "")),
        )


@lru_cache(maxsize=4)
def _load(paths: tuple[str, ...]) -> tuple[IdentityProvider, ...]:
    providers = tuple(import_string(path)() for path in paths)
    for provider in providers:
        if not isinstance(provider, IdentityProvider):
            raise TypeError(f"{type(provider).__name__} is not an IdentityProvider")
    return providers


def identity_providers() -> tuple[IdentityProvider, ...]:
    """The providers this site offers (IDENTITY_PROVIDERS), in the order listed."""
    return _load(tuple(settings.IDENTITY_PROVIDERS))


def identity_provider(key: str) -> IdentityProvider | None:
    return next((p for p in identity_providers() if p.key == key), None)
