"""``minwon routing train`` without FILE: train on the city's own confirmed routings."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minwon.core.errors import ApplicationError
from minwon.routing import services


class Command(BaseCommand):
    help = "Train, store and activate a routing model on the city's confirmed routings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--target", choices=["department", "kind"], default="department")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            row = services.model_train(actor=None, target=options["target"])
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            json.dumps(
                {
                    "target": row.target,
                    "version": row.version,
                    "n": row.n,
                    "labels": row.labels,
                    "trained_at": row.trained_at.isoformat(),
                    "active": row.is_active,
                },
                ensure_ascii=False,
            )
        )
