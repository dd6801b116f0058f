"""Writes of the complaints context: one transaction with history and audit per service."""

from minwon.complaints.services.abuse import complaint_file_limited, filing_wait_check
from minwon.complaints.services.attachments import FileInput
from minwon.complaints.services.calendar_changes import complaint_deadlines_catch_up
from minwon.complaints.services.citizen import (
    complaint_claim,
    complaint_satisfaction_rate,
    complaint_supplement_submit,
)
from minwon.complaints.services.deadlines import (
    RecomputeResult,
    complaint_deadlines_recompute,
)
from minwon.complaints.services.intake import (
    ApplicantInput,
    CosignerInput,
    FilingInput,
    complaint_file,
    complaint_register,
)
from minwon.complaints.services.lookup import complaint_lookup, status_password_problems
from minwon.complaints.services.notices import complaint_notices_mark_delivered
from minwon.complaints.services.protection import (
    complaint_screening_sweep,
    complaint_screening_sweep_alone,
)
from minwon.complaints.services.relations import (
    complaint_child_create,
    complaint_close_repeated,
    complaint_committee_review,
    complaint_households_correct,
    complaint_merge,
    complaint_objection_decide,
    complaint_objection_file,
)
from minwon.complaints.services.routing import (
    complaint_routing_decide,
    complaint_routing_sweep,
    complaint_routing_sweep_alone,
)
from minwon.complaints.services.workflow import (
    ConsentInput,
    complaint_answer,
    complaint_answer_problems,
    complaint_assign,
    complaint_excluded_time_end,
    complaint_excluded_time_record,
    complaint_extend,
    complaint_progress_notice_record,
    complaint_progress_notices_sweep,
    complaint_reopen,
    complaint_return,
    complaint_supplement_extend,
    complaint_supplement_receive,
    complaint_supplement_request,
    complaint_transfer,
    complaint_withdraw,
)

__all__ = [
    "ApplicantInput",
    "ConsentInput",
    "CosignerInput",
    "FileInput",
    "FilingInput",
    "RecomputeResult",
    "complaint_answer",
    "complaint_answer_problems",
    "complaint_assign",
    "complaint_child_create",
    "complaint_claim",
    "complaint_close_repeated",
    "complaint_committee_review",
    "complaint_deadlines_catch_up",
    "complaint_deadlines_recompute",
    "complaint_excluded_time_end",
    "complaint_excluded_time_record",
    "complaint_extend",
    "complaint_file",
    "complaint_file_limited",
    "complaint_households_correct",
    "complaint_lookup",
    "complaint_merge",
    "complaint_notices_mark_delivered",
    "complaint_objection_decide",
    "complaint_objection_file",
    "complaint_progress_notice_record",
    "complaint_progress_notices_sweep",
    "complaint_register",
    "complaint_reopen",
    "complaint_return",
    "complaint_routing_decide",
    "complaint_routing_sweep",
    "complaint_routing_sweep_alone",
    "complaint_satisfaction_rate",
    "complaint_screening_sweep",
    "complaint_screening_sweep_alone",
    "complaint_supplement_extend",
    "complaint_supplement_receive",
    "complaint_supplement_request",
    "complaint_supplement_submit",
    "complaint_transfer",
    "complaint_withdraw",
    "filing_wait_check",
    "status_password_problems",
]
