"""`minwon token_issue USERNAME --name NAME`: a personal bearer token, printed once.

For administrators setting up a script or an app on someone's behalf; people issue their own
through the API after logging in with their second factor.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minwon.accounts.models import User
from minwon.accounts.services import personal_token_issue
from minwon.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Issue a personal API token for a user; the token is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}.")
        try:
            _, raw = personal_token_issue(
                actor=None, user=user, name=options["name"], days=options["days"]
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(raw)
