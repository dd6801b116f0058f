"""`minwon backup` / `minwon restore` (issue 14 item 9).

A backup is one gzip'd tar archive:

- `manifest.json`: format, when, Minwon's version, the database vendor, the latest migration of
  each app, fingerprints of the encryption keys (SHA-256 prefixes, never the keys) and two
  canaries: a value encrypted with FIELD_ENCRYPTION_KEYS and a blind index made with SECRET_KEY;
- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite, through
  its online backup API, safe while the demo runs);
- `media/…`: the uploaded files (MEDIA_ROOT).

`restore` checks the canaries *before* it touches anything: a backup restored without its keys
would serve unreadable personal data and find no receipt by phone number, so it refuses and says
which key is missing. It also refuses a backup made by a newer Minwon (a migration this code
does not know). It then replaces the database (`pg_restore --clean --single-transaction`, or the
SQLite backup API) and writes the uploaded files back.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection

from minwon.core import clock, crypto

FORMAT = 1
CANARY = "minwon-backup-canary"
_PURPOSE = "backup-canary"


class BackupError(Exception):
    """Said to the operator as it is; nothing was changed when restore raises it."""


@dataclass(frozen=True)
class Summary:
    path: Path
    vendor: str
    files: int
    size: int


def _fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:12]


def _key_fingerprints() -> list[str]:
    return [_fingerprint(k) for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", [])]


def _leaf_migrations() -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes())


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str], **kwargs: Any) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed: install the PostgreSQL client "
            "(Debian: apt-get install postgresql-client) of the server's major version or newer."
        )
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}")


def _sqlite_copy(source: str, target: str) -> None:
    """SQLite's online backup API: a consistent copy even while another process writes."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_create(path: Path) -> Summary:
    vendor = connection.vendor
    manifest = {
        "format": FORMAT,
        "created_at": clock.now().isoformat(),
        "vendor": vendor,
        "migrations": _leaf_migrations(),
        "key_fingerprints": _key_fingerprints(),
        "secret_key_fingerprint": _fingerprint(settings.SECRET_KEY),
        "canary_encrypted": crypto.encrypt(CANARY),
        "canary_blind_index": crypto.blind_index(CANARY, purpose=_PURPOSE),
    }
    media = _media_files()
    manifest["media_files"] = len(media)
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="minwon-backup-") as work:
        if vendor == "postgresql":
            dump = Path(work) / "database.dump"
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}"], env=_pg_env())
        elif vendor == "sqlite":
            dump = Path(work) / "database.sqlite3"
            _sqlite_copy(str(settings.DATABASES["default"]["NAME"]), str(dump))
        else:  # pragma: no cover - settings allow only these two
            raise BackupError(f"cannot back up a {vendor} database")
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            root = Path(settings.MEDIA_ROOT)
            for file in media:
                archive.add(
                    file, arcname=str(PurePosixPath("media", *file.relative_to(root).parts))
                )
        partial.replace(path)  # a crash never leaves a truncated archive under the real name
    return Summary(path=path, vendor=vendor, files=len(media), size=path.stat().st_size)


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError:
        member = None
    if member is None:
        raise BackupError("this is not a Minwon backup (no manifest.json)")
    manifest: dict[str, Any] = json.loads(member.read().decode("utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def check_keys(manifest: dict[str, Any]) -> None:
    """Refuse, saying what is missing, when this installation cannot read the backup's data."""
    problems = []
    try:
        readable = crypto.decrypt(str(manifest["canary_encrypted"])) == CANARY
    except crypto.DecryptionFailed:
        readable = False
    if not readable:
        problems.append(
            "its personal data was encrypted with FIELD_ENCRYPTION_KEYS this installation does "
            f"not have (the backup's key fingerprints: {', '.join(manifest['key_fingerprints'])}"
            f"; here: {', '.join(_key_fingerprints()) or 'none, a key derived from SECRET_KEY'})"
        )
    if crypto.blind_index(CANARY, purpose=_PURPOSE) != manifest["canary_blind_index"]:
        problems.append(
            "it was made under another SECRET_KEY (fingerprint "
            f"{manifest['secret_key_fingerprint']}), so look-ups by phone number or e-mail "
            "would find nothing"
        )
    if problems:
        raise BackupError(
            "restore refused, nothing was changed: "
            + "; and ".join(problems)
            + ". Set the backup's keys in the environment and run restore again."
        )


def _check_migrations(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise BackupError(
            "restore refused, nothing was changed: the backup was made by a newer Minwon "
            f"(migrations this version does not have: {', '.join(unknown[:5])}). "
            "Install that version (or newer), then restore."
        )


def _safe_member(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2 or path.parts[0] != "media":
        return None
    return PurePosixPath(*path.parts[1:])


def backup_restore(path: Path) -> Summary:
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not a readable backup archive: {exc}") from exc
    with archive, tempfile.TemporaryDirectory(prefix="minwon-restore-") as work:
        manifest = read_manifest(archive)
        vendor = connection.vendor
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"restore refused, nothing was changed: the backup holds a {manifest['vendor']} "
                f"database and this installation uses {vendor}"
            )
        check_keys(manifest)
        _check_migrations(manifest)
        name = "database.dump" if vendor == "postgresql" else "database.sqlite3"
        source = archive.extractfile(name)
        if source is None:
            raise BackupError(f"the backup has no {name}")
        dump = Path(work) / name
        with dump.open("wb") as out:
            shutil.copyfileobj(source, out)
        connection.close()
        if vendor == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={settings.DATABASES['default']['NAME']}",
                    str(dump),
                ],
                env=_pg_env(),
            )
        else:
            _sqlite_copy(str(dump), str(settings.DATABASES["default"]["NAME"]))
        root = Path(settings.MEDIA_ROOT)
        files = 0
        for member in archive.getmembers():
            relative = _safe_member(member.name)
            if relative is None or not member.isfile():
                continue
            content = archive.extractfile(member)
            if content is None:
                continue
            target = root.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                shutil.copyfileobj(content, out)
            files += 1
    return Summary(path=path, vendor=vendor, files=files, size=path.stat().st_size)
