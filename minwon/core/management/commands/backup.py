"""`minwon backup [--output FILE]`: database, uploaded files and a key check in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minwon.core import clock
from minwon.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (minwon.core.backup)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="the archive to write (.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["output"] or f"minwon-backup-{clock.local_now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            summary = backup_create(Path(name))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"backup written: {summary.path} ({summary.vendor} database, "
            f"{summary.files} uploaded files, {summary.size:,} bytes). Keep the encryption "
            "keys (FIELD_ENCRYPTION_KEYS, SECRET_KEY) apart from it: restore needs them."
        )
