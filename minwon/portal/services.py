"""Files chosen on the filing form, kept between "fill in", "check" and "send".

A browser cannot carry chosen files from one page to the next, so the files are checked (type on
content, size, images cleaned, how many: `complaints.services.attachments.attachments_check`)
the moment the form is sent for checking and kept in a staging folder under MEDIA_ROOT, named by
a random token that only the visitor's session knows. Sending the complaint hands them to
`complaint_file`; the folder is then removed. Nothing is acknowledged before that, so nothing
here needs an audit row; folders older than a day are swept away.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from minwon.complaints.services import FileInput
from minwon.complaints.services.attachments import attachments_check

STAGING_MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class StagedFile:
    name: str
    size: int


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "staging"


def _folder(token: str) -> Path | None:
    if not _TOKEN.match(token or ""):
        return None
    return _root() / token


def _manifest(folder: Path) -> list[dict[str, object]]:
    path = folder / "manifest.json"
    if not path.exists():
        return []
    loaded = json.loads(path.read_text(encoding="utf-8"))
    return [entry for entry in loaded if isinstance(entry, dict)]


def _sweep() -> None:
    root = _root()
    if not root.is_dir():
        return
    limit = time.time() - STAGING_MAX_AGE_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def upload_stage(*, token: str, files: Sequence[FileInput], replace: bool = False) -> str:
    """Check `files` and keep them with those already staged under `token` (or a new token).
    Returns the token. Raises the translated error of the first file refused; then nothing new
    is kept."""
    folder = _folder(token)
    if folder is None or replace:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        if not files:
            return ""
        token = secrets.token_hex(16)
        folder = _root() / token
    entries = _manifest(folder) if folder.is_dir() else []
    checked = attachments_check(files, already=len(entries))
    if not checked:
        return token if entries else ""
    _sweep()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for item in checked:
        stored = f"{len(entries):02d}"
        (folder / stored).write_bytes(item.data)
        entries.append({"name": item.name, "size": len(item.data), "file": stored})
    (folder / "manifest.json").write_text(json.dumps(entries), encoding="utf-8")
    return token


def upload_list(*, token: str) -> list[StagedFile]:
    folder = _folder(token)
    if folder is None or not folder.is_dir():
        return []
    return [StagedFile(name=str(e["name"]), size=int(str(e["size"]))) for e in _manifest(folder)]


def upload_read(*, token: str) -> list[FileInput]:
    folder = _folder(token)
    if folder is None or not folder.is_dir():
        return []
    return [
        FileInput(name=str(e["name"]), data=(folder / str(e["file"])).read_bytes())
        for e in _manifest(folder)
    ]


def upload_discard(*, token: str) -> None:
    folder = _folder(token)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
