"""`minwon deadlines status`: how far re-computing open deadlines after a holiday change is."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from minwon.catalog.selectors import calendar_change_latest, calendar_change_waiting_count


class Command(BaseCommand):
    help = "Show the newest holiday change and the progress of the deadline re-computation."

    def handle(self, *args: Any, **options: Any) -> None:
        change = calendar_change_latest()
        if change is None:
            self.stdout.write("no holiday change recorded")
            return
        self.stdout.write(
            f"{change.reason}: {change.status}, {change.scanned} of {change.total} open "
            f"complaints scanned, {change.changed} deadlines changed, {change.failed} failed "
            f"(attempt {change.attempts})"
        )
        if change.error:
            self.stdout.write(f"last error: {change.error}")
        self.stdout.write(f"{calendar_change_waiting_count()} change(s) waiting")
