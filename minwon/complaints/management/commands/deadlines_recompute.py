"""`minwon deadlines recompute`: re-compute the stored deadlines of open complaints."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from minwon.complaints.domain import ClockKind
from minwon.complaints.models import Complaint
from minwon.complaints.services.deadlines import complaint_deadlines_recompute


class Command(BaseCommand):
    help = "Re-compute the deadlines of every open complaint (after a holiday change)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        total = Complaint.objects.exclude(clock=ClockKind.NONE.value).count()
        with tqdm(
            total=total, unit="complaint", disable=options["no_progress"], file=self.stderr._out
        ) as bar:
            result = complaint_deadlines_recompute(
                batch_size=options["batch_size"], progress=bar.update
            )
        self.stdout.write(
            f"{result.scanned} open complaints, {result.changed} deadlines changed, "
            f"{result.failed} failed, calendar {result.calendar_version}, "
            f"{result.seconds:.1f} s"
        )
