"""`minwon createsuperuser`: an administrator officer (with second factor) at the city's root unit.

Replaces Django's command of the same name (minwon.accounts comes before django.contrib.auth in
INSTALLED_APPS) because a Minwon administrator is an officer with roles, not a bare superuser.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from minwon.accounts.domain import OrgUnitKind, Role
from minwon.accounts.models import OrgUnit
from minwon.accounts.services import officer_create, org_unit_create, user_make_superuser
from minwon.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an administrator (an officer with the administrator and supervisor roles)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username")
        parser.add_argument("--name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--city-code",
            default="city",
            help="code of the root org unit, created when there is none",
        )
        parser.add_argument("--city-name", default="파주시")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="take the password from DJANGO_SUPERUSER_PASSWORD",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"] or (input("User name: ") if options["interactive"] else "")
        if not username:
            raise CommandError("--username is required with --noinput.")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        if not password:
            if not options["interactive"]:
                raise CommandError("DJANGO_SUPERUSER_PASSWORD is not set.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            with transaction.atomic():
                root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
                if root is None:
                    root = org_unit_create(
                        actor=None,
                        code=options["city_code"],
                        name_ko=options["city_name"],
                        kind=OrgUnitKind.CITY,
                        parent=None,
                    )
                user = officer_create(
                    actor=None,
                    username=username,
                    password=password,
                    name=options["name"] or username,
                    email=options["email"],
                    org_unit=root,
                    roles=[Role.ADMINISTRATOR, Role.COMPLAINT_SUPERVISOR],
                )
                user_make_superuser(actor=None, user=user)
        except ApplicationError as exc:
            raise CommandError(f"{exc.field or 'input'}: {exc.message}") from exc
        self.stdout.write(
            f"Administrator {username} created at {root.name_ko}. At the first login the "
            "second factor is set up with an authenticator app."
        )
