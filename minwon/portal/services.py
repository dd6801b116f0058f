"""Writes of the citizen portal that join contexts: files chosen on the filing form, kept between
"fill in", "check" and "send"; and the one-time codes of sign-up and password reset, put in the
notification outbox (below).

A browser cannot carry chosen files from one page to the next, so the files are checked (type on
content, size, images cleaned, how many: `complaints.services.attachments.attachments_check`)
the moment the form is sent for checking and kept in a staging folder under MEDIA_ROOT, named by
a random token that only the visitor's session knows. Sending the complaint hands them to
`complaint_file`; the folder is then removed. Nothing is acknowledged before that, so nothing
here needs an audit row.

Bounds (issue 13 item 8): one visitor (the session's folders) keeps at most
STAGING_MAX_BYTES_PER_VISITOR and all visitors together STAGING_MAX_BYTES_TOTAL; a file that
would pass either is refused with a translated error and the files already staged stay. Folders
older than STAGING_MAX_AGE_SECONDS are removed by the `portal.staging_sweep` job on the schedule
(and when files are staged).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from minwon.accounts.domain import CODE_TTL_MINUTES, VerificationChannel, VerificationPurpose
from minwon.accounts.models import VerificationCode
from minwon.accounts.services import verification_code_issue
from minwon.complaints.services import FileInput
from minwon.complaints.services.attachments import attachments_check
from minwon.core import clock
from minwon.core.errors import ValidationFailed
from minwon.notifications.domain import Event
from minwon.notifications.services import notification_enqueue

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


def _staged_at(folder: Path) -> float:
    """When the folder was first staged (its stamp, by the application's clock), as a POSIX time."""
    try:
        return float((folder / "staged_at").read_text(encoding="ascii"))
    except (OSError, ValueError):
        return folder.stat().st_mtime


def _folder_bytes(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


def staging_sweep(*, now: datetime | None = None) -> int:
    """Remove staged folders older than STAGING_MAX_AGE_SECONDS; returns how many went."""
    root = _root()
    if not root.is_dir():
        return 0
    limit = (now or clock.now()).timestamp() - float(settings.STAGING_MAX_AGE_SECONDS)
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and _staged_at(folder) < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _check_room(adding: int, *, folder: Path, visitor_tokens: Sequence[str], dropping: int) -> None:
    """Refuse `adding` more bytes when the visitor's folders or all folders would hold too much."""
    visitor = {folder} | {f for t in visitor_tokens if (f := _folder(t)) is not None}
    mine = sum(_folder_bytes(f) for f in visitor) - dropping
    per_visitor = int(settings.STAGING_MAX_BYTES_PER_VISITOR)
    if mine + adding > per_visitor:
        raise ValidationFailed(
            _(
                "Your files together would pass %(limit)s, the most kept for one visitor while "
                "a complaint is being written. Send the complaint with the files already added, "
                "or remove some and add smaller ones."
            )
            % {"limit": filesizeformat(per_visitor)},
            code="portal.staging_visitor_full",
            field="file",
        )
    root = _root()
    everyone = sum(_folder_bytes(f) for f in root.iterdir()) if root.is_dir() else 0
    if everyone - dropping + adding > int(settings.STAGING_MAX_BYTES_TOTAL):
        raise ValidationFailed(
            _(
                "Too many files are waiting to be sent by visitors just now, so no more can be "
                "added for a while. Your files already added are kept; try again later or send "
                "the complaint without more files."
            ),
            code="portal.staging_full",
            field="file",
        )


def upload_stage(
    *,
    token: str,
    files: Sequence[FileInput],
    replace: bool = False,
    visitor_tokens: Sequence[str] = (),
) -> str:
    """Check `files` and keep them with those already staged under `token` (or a new token).
    Returns the token. Raises the translated error of the first file refused, or of a full
    staging area (`visitor_tokens`: the visitor's other folders); then nothing is changed:
    neither the files already staged nor, with `replace`, the ones to be replaced go."""
    current = _folder(token)
    dropping = _folder_bytes(current) if current is not None and replace else 0
    if current is None or replace:
        if not files:
            if current is not None:
                shutil.rmtree(current, ignore_errors=True)
            return ""
        folder = _root() / secrets.token_hex(16)
    else:
        folder = current
    entries = _manifest(folder) if folder.is_dir() else []
    checked = attachments_check(files, already=len(entries))
    if not checked:
        return token if entries else ""
    staging_sweep()
    _check_room(
        sum(len(item.data) for item in checked),
        folder=folder,
        visitor_tokens=[*visitor_tokens, *([token] if current is not None else [])],
        dropping=dropping,
    )
    if replace and current is not None:
        shutil.rmtree(current, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = folder / "staged_at"
    if not stamp.exists():
        stamp.write_text(repr(clock.now().timestamp()), encoding="ascii")
    for item in checked:
        stored = f"{len(entries):02d}"
        (folder / stored).write_bytes(item.data)
        entries.append({"name": item.name, "size": len(item.data), "file": stored})
    (folder / "manifest.json").write_text(json.dumps(entries), encoding="utf-8")
    return folder.name


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


# --- sign-up and password reset: the code goes out through the notification outbox -------------
# accounts makes the code and sits below notifications; the portal joins the two in one
# transaction, so a code is recorded and sent together or not at all.

_CODE_EVENTS: dict[VerificationPurpose, Event] = {
    VerificationPurpose.SIGNUP: Event.SIGNUP_CODE,
    VerificationPurpose.PASSWORD_RESET: Event.PASSWORD_RESET_CODE,
}


@transaction.atomic
def verification_code_send(
    *, purpose: VerificationPurpose, address: str, client_ip: str | None, language: str
) -> VerificationCode:
    """Make a one-time code and put it in the outbox for the address typed.

    The answer is the same whether or not the address has an account: a sign-up for an address
    that has one sends "you already have an account" instead of a code, a reset for an address
    without one sends nothing; either way the page goes on to "enter the code"."""
    issued = verification_code_issue(purpose=purpose, address=address, client_ip=client_ip)
    event: Event | None = None
    context: dict[str, object] = {}
    if issued.deliver:
        event = _CODE_EVENTS[purpose]
        context = {"code": issued.code, "minutes": CODE_TTL_MINUTES}
    elif purpose is VerificationPurpose.SIGNUP and issued.account_exists:
        event = Event.SIGNUP_ADDRESS_TAKEN
    if event is not None:
        by_email = issued.channel is VerificationChannel.EMAIL
        notification_enqueue(
            event=event,
            idempotency_key=f"verification:{issued.verification.pk}",
            context=context,
            email=issued.address if by_email else "",
            phone="" if by_email else issued.address,
            language=language,
            urgent=True,  # the person is waiting on the page: quiet hours do not hold it
        )
    return issued.verification
