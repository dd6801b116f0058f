"""Run by test_worker.py in subprocesses against the worker test's own database.

python -m minwon.notifications.tests.worker_helper enqueue N   (one commit per notification)
python -m minwon.notifications.tests.worker_helper report      (JSON: deliveries by status)
"""

from __future__ import annotations

import json
import sys

import django


def main(argv: list[str]) -> int:
    django.setup()
    from django.db import transaction
    from django.db.models import Count

    from minwon.notifications.models import Delivery
    from minwon.notifications.services import notification_enqueue

    if argv[0] == "enqueue":
        for n in range(int(argv[1])):
            with transaction.atomic():  # the wake-up goes to the broker after each commit
                notification_enqueue(
                    event="complaint_registered",
                    idempotency_key=f"kill:{n}",
                    phone=f"010{n:08d}",
                    urgent=True,  # no quiet hours, whatever the hour of the test
                    context={
                        "complaint_no": f"K-{n}",
                        "title": "t",
                        "registered_at": "2026-03-10",
                        "due_date": "2026-03-17",
                    },
                )
        return 0
    counts = dict(
        Delivery.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    sys.stdout.write(json.dumps(counts) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
