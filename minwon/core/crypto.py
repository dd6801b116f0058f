"""Encryption of personal data at rest (주민등록번호, second-factor secrets).

Keys come from FIELD_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first, so keys can be
rotated) or, when unset, one key derived from SECRET_KEY with HKDF. Lookups never need the clear
value: `blind_index` gives a keyed hash for equality search.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"minwon", info=info).derive(
        secret.encode("utf-8")
    )


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(k.encode("ascii")) for k in keys])
    derived = base64.urlsafe_b64encode(_derive(secret_key, b"field-encryption"))
    return MultiFernet([Fernet(derived)])


def _current() -> MultiFernet:
    keys = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ())
    return _fernet(keys, settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return _current().encrypt(value.encode("utf-8")).decode("ascii")


class DecryptionFailed(Exception):
    pass


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionFailed("stored value cannot be decrypted with the configured keys") from exc


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash for equality lookups of an encrypted value (never reversible)."""
    key = _derive(settings.SECRET_KEY, b"blind-index:" + purpose.encode("utf-8"))
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
