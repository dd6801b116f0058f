from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "minwon.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from minwon.catalog.services import calendar_changed_hook_add
        from minwon.complaints.services.deadlines import (
            complaint_deadlines_recompute_after_calendar_change,
        )

        # A new or removed holiday re-computes open deadlines (DESIGN.md).
        calendar_changed_hook_add(complaint_deadlines_recompute_after_calendar_change)
