"""`minwon apikey_issue --name NAME --scope open311.post …`: an integrator key, printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minwon.accounts.domain import ApiScope
from minwon.accounts.selectors import org_unit_get_by_code
from minwon.accounts.services import api_key_issue
from minwon.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Issue an API key for an integrator; the key is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--scope", action="append", default=[], choices=[s.value for s in ApiScope]
        )
        parser.add_argument("--org-unit", default="", help="limit the key to this unit's cases")
        parser.add_argument("--rate-limit", type=int, default=120, help="requests per minute")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options["org_unit"]:
            unit = org_unit_get_by_code(options["org_unit"])
            if unit is None:
                raise CommandError(f"--org-unit: no org unit {options['org_unit']!r}.")
        try:
            _, raw = api_key_issue(
                actor=None,
                name=options["name"],
                scopes=[ApiScope(s) for s in options["scope"]],
                org_unit=unit,
                rate_limit_per_minute=options["rate_limit"],
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(raw)
