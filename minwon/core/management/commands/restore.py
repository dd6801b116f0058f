"""`minwon restore FILE --yes`: replace the database and uploaded files with a backup's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minwon.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `minwon backup`: checks the encryption keys and the version "
        "first, then replaces the database and writes the uploaded files back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="confirm that the current database is replaced"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "restore replaces the whole database and writes the uploaded files back: "
                "stop the web server and workers, then run again with --yes."
            )
        try:
            summary = backup_restore(Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {summary.path}: {summary.vendor} database, {summary.files} uploaded "
            "files. Run `minwon migrate` if this Minwon is newer than the backup."
        )
