import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from minwon.core import crypto


def test_encrypt_round_trip_and_ciphertext_hides_the_value() -> None:
    token = crypto.encrypt("900101-1234567")
    assert "900101" not in token
    assert crypto.decrypt(token) == "900101-1234567"


def test_keys_rotate_newest_first() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        token = crypto.encrypt("secret")
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        assert crypto.decrypt(token) == "secret"
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]), pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(token)


def test_blind_index_is_stable_and_purpose_bound() -> None:
    a = crypto.blind_index("9001011234567", purpose="rrn")
    assert a == crypto.blind_index("9001011234567", purpose="rrn")
    assert a != crypto.blind_index("9001011234567", purpose="phone")
    assert "9001011234567" not in a
