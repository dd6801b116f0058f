"""`minwon backup` / `minwon restore` round trips through the real command, on SQLite and on
PostgreSQL (issue 14 item 9), and the refusal when the keys are not the backup's."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"

SEED = """
from minwon.accounts.models import User
from minwon.core import crypto
u = User.objects.create(username="backup-probe", name="Probe")
User.objects.filter(pk=u.pk).update(totp_secret_encrypted=crypto.encrypt("JBSWY3DPEHPK3PXP"))
"""
READ = """
from minwon.accounts.models import User
from minwon.core import crypto
u = User.objects.filter(username="backup-probe").first()
print("probe:", crypto.decrypt(u.totp_secret_encrypted) if u else "missing")
"""
DAMAGE = """
from minwon.accounts.models import User
User.objects.filter(username="backup-probe").delete()
"""


def _pg_database() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    name = f"minwon_backup_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG}/{name}"
    finally:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'minwon.sqlite3'}"
    else:
        yield from _pg_database()


def _minwon(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minwon.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _ok(env: dict[str, str], *args: str) -> str:
    result = _minwon(env, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
def test_backup_and_restore_round_trip_and_refuse_other_keys(
    database_url: str, tmp_path: Path
) -> None:
    media = tmp_path / "data" / "media"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}},
        "MINWON_MODE": "demo",
        "MINWON_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "backup-test-secret-key-0123456789abcdef",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BACKGROUND_RUNNER": "none",
    }
    _ok(env, "migrate", "--no-input", "-v", "0")
    _ok(env, "shell", "-c", SEED)
    (media / "attachments" / "2026").mkdir(parents=True)
    (media / "attachments" / "2026" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    archive = tmp_path / "backup.tar.gz"

    out = _ok(env, "backup", "--output", str(archive))
    assert "1 uploaded files" in out

    _ok(env, "shell", "-c", DAMAGE)  # the disaster: a row and a file lost
    (media / "attachments" / "2026" / "photo.jpg").unlink()
    assert "probe: missing" in _ok(env, "shell", "-c", READ)

    refused = _minwon(env, "restore", str(archive))  # without --yes nothing happens
    assert refused.returncode != 0
    assert "--yes" in refused.stderr

    other_keys = {**env, "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode()}
    wrong = _minwon(other_keys, "restore", str(archive), "--yes")
    assert wrong.returncode != 0
    assert "restore refused, nothing was changed" in wrong.stderr
    assert "FIELD_ENCRYPTION_KEYS" in wrong.stderr
    other_secret = {**env, "SECRET_KEY": "another-secret-key-0123456789abcdefghij"}
    wrong = _minwon(other_secret, "restore", str(archive), "--yes")
    assert wrong.returncode != 0
    assert "SECRET_KEY" in wrong.stderr
    assert "probe: missing" in _ok(env, "shell", "-c", READ)  # the refusals changed nothing

    out = _ok(env, "restore", str(archive), "--yes")
    assert "1 uploaded files" in out
    assert "probe: JBSWY3DPEHPK3PXP" in _ok(env, "shell", "-c", READ)
    assert (media / "attachments" / "2026" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    import tarfile

    from minwon.core.backup import BackupError, read_manifest

    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        archive.add(__file__, arcname="something.py")
    with tarfile.open(bogus, "r:gz") as archive, pytest.raises(BackupError, match="not a Minwon"):
        read_manifest(archive)
