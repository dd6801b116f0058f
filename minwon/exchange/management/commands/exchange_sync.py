"""`minwon exchange sync`: poll 국민신문고 / 정부24 and report status back, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from minwon.exchange.jobs import exchange_sync_job


class Command(BaseCommand):
    help = "Poll the configured national systems for complaints and report status back."

    def handle(self, *args: Any, **options: Any) -> None:
        results = exchange_sync_job()
        if not results:
            self.stdout.write(
                "No national system is configured (EXCHANGE_EPEOPLE_URL, EXCHANGE_GOV24_URL)."
            )
        for agency, (polled, reported) in results.items():
            line = (
                f"{agency}: {polled.created} new, {polled.duplicates} duplicate, "
                f"{polled.rejected} rejected; {reported.queued} reports queued, "
                f"{reported.sent} sent, {reported.reconciled} reconciled, "
                f"{reported.conflicts} contradicted, {reported.failed} failed"
            )
            if reported.busy:
                line += "; reports: another sweep is running"
            if polled.error:
                line += f"; link down: {polled.error}"
            self.stdout.write(line)
