"""Default message templates: one per event and language (pure data, stdlib only).

`notification_templates_seed` copies them into the database, where administrators edit them.
Placeholders are `$name` (string.Template); domain.PLACEHOLDERS lists the names each event allows.
`short` is the SMS / 알림톡 text; `alimtalk_code` is the template code registered with Kakao
(알림톡 only sends text that matches a registered template, so a changed `short` needs a new code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from minwon.notifications.domain import Event


@dataclass(frozen=True)
class DefaultTemplate:
    subject: str
    body: str
    short: str
    alimtalk_code: str


_OFFICER_KO = "담당: $officer_unit $officer_name ($officer_phone)"
_OFFICER_EN = "Officer in charge: $officer_name, $officer_unit ($officer_phone)"

DEFAULT_TEMPLATES: Final[dict[tuple[Event, str], DefaultTemplate]] = {
    (Event.COMPLAINT_REGISTERED, "ko"): DefaultTemplate(
        "[$site_name] 민원이 접수되었습니다 ($complaint_no)",
        "$recipient_name님, 신청하신 민원 「$title」이(가) $registered_at에 접수되었습니다.\n"
        "접수번호: $complaint_no\n처리 예정일: $due_date\n진행 상황: $url",
        "[$site_name] 민원 접수($complaint_no). 처리 예정일 $due_date",
        "MINWON_REGISTERED_01",
    ),
    (Event.COMPLAINT_REGISTERED, "en"): DefaultTemplate(
        "[$site_name] Your complaint has been registered ($complaint_no)",
        "Dear $recipient_name, your complaint “$title” was registered on $registered_at.\n"
        "Reference: $complaint_no\nExpected answer by: $due_date\nFollow it at: $url",
        "[$site_name] Complaint $complaint_no registered. Answer by $due_date",
        "MINWON_REGISTERED_EN_01",
    ),
    (Event.COMPLAINT_TRANSFERRED, "ko"): DefaultTemplate(
        "[$site_name] 민원이 다른 기관으로 이송되었습니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)은 소관 기관인 $to_agency(으)로 "
        "이송되었습니다.\n사유: $reason\n(민원처리법 시행령 제13조에 따른 이송 통지)",
        "[$site_name] 민원($complaint_no)이 $to_agency(으)로 이송되었습니다.",
        "MINWON_TRANSFERRED_01",
    ),
    (Event.COMPLAINT_TRANSFERRED, "en"): DefaultTemplate(
        "[$site_name] Your complaint was transferred ($complaint_no)",
        "Dear $recipient_name, your complaint “$title” ($complaint_no) was transferred to "
        "$to_agency, which is responsible for it.\nReason: $reason",
        "[$site_name] Complaint $complaint_no transferred to $to_agency.",
        "MINWON_TRANSFERRED_EN_01",
    ),
    (Event.SUPPLEMENT_REQUESTED, "ko"): DefaultTemplate(
        "[$site_name] 민원 보완을 요청드립니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)의 처리를 위해 다음 사항의 보완이 "
        "필요합니다.\n$items\n보완 기한: $supplement_due\n" + _OFFICER_KO,
        "[$site_name] 민원($complaint_no) 보완 요청. 기한 $supplement_due",
        "MINWON_SUPPLEMENT_01",
    ),
    (Event.SUPPLEMENT_REQUESTED, "en"): DefaultTemplate(
        "[$site_name] Please supplement your complaint ($complaint_no)",
        "Dear $recipient_name, to process your complaint “$title” ($complaint_no) we need:\n"
        "$items\nPlease reply by: $supplement_due\n" + _OFFICER_EN,
        "[$site_name] Complaint $complaint_no: supplement needed by $supplement_due",
        "MINWON_SUPPLEMENT_EN_01",
    ),
    (Event.COMPLAINT_EXTENDED, "ko"): DefaultTemplate(
        "[$site_name] 민원 처리기간이 연장되었습니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)의 처리기간이 연장되었습니다.\n"
        "연장 사유: $reason\n처리완료 예정일: $due_date\n" + _OFFICER_KO,
        "[$site_name] 민원($complaint_no) 처리기간 연장. 완료 예정일 $due_date",
        "MINWON_EXTENDED_01",
    ),
    (Event.COMPLAINT_EXTENDED, "en"): DefaultTemplate(
        "[$site_name] The period for your complaint was extended ($complaint_no)",
        "Dear $recipient_name, the processing period of your complaint “$title” "
        "($complaint_no) was extended.\nReason: $reason\nExpected answer by: $due_date\n"
        + _OFFICER_EN,
        "[$site_name] Complaint $complaint_no extended. Answer by $due_date",
        "MINWON_EXTENDED_EN_01",
    ),
    (Event.PROGRESS_NOTICE, "ko"): DefaultTemplate(
        "[$site_name] 민원 처리 진행상황 안내 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)의 처리 진행상황을 알려드립니다.\n"
        "진행상황: $progress\n처리완료 예정일: $due_date\n" + _OFFICER_KO,
        "[$site_name] 민원($complaint_no) 진행 중. 완료 예정일 $due_date",
        "MINWON_PROGRESS_01",
    ),
    (Event.PROGRESS_NOTICE, "en"): DefaultTemplate(
        "[$site_name] Progress of your complaint ($complaint_no)",
        "Dear $recipient_name, here is the progress of your complaint “$title” "
        "($complaint_no).\nProgress: $progress\nExpected answer by: $due_date\n" + _OFFICER_EN,
        "[$site_name] Complaint $complaint_no in progress. Answer by $due_date",
        "MINWON_PROGRESS_EN_01",
    ),
    (Event.COMPLAINT_ANSWERED, "ko"): DefaultTemplate(
        "[$site_name] 민원 처리결과를 알려드립니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)의 처리가 완료되었습니다.\n"
        "처리결과: $outcome\n자세한 내용: $url\n" + _OFFICER_KO,
        "[$site_name] 민원($complaint_no) 처리 완료: $outcome",
        "MINWON_ANSWERED_01",
    ),
    (Event.COMPLAINT_ANSWERED, "en"): DefaultTemplate(
        "[$site_name] The answer to your complaint ($complaint_no)",
        "Dear $recipient_name, your complaint “$title” ($complaint_no) has been answered.\n"
        "Outcome: $outcome\nDetails: $url\n" + _OFFICER_EN,
        "[$site_name] Complaint $complaint_no answered: $outcome",
        "MINWON_ANSWERED_EN_01",
    ),
    (Event.COMPLAINT_RETURNED, "ko"): DefaultTemplate(
        "[$site_name] 민원이 반려되었습니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)은 요청드린 보완이 기간 안에 이루어지지 "
        "않아 반려되었습니다.\n반려 사유: $reason\n필요하시면 서류를 갖추어 다시 신청하실 수 "
        "있습니다.\n(민원처리법 시행령 제25조제1항에 따른 반려 통지)\n" + _OFFICER_KO,
        "[$site_name] 민원($complaint_no)이 보완 기간 경과로 반려되었습니다. 사유: $reason",
        "MINWON_RETURNED_01",
    ),
    (Event.COMPLAINT_RETURNED, "en"): DefaultTemplate(
        "[$site_name] Your complaint was returned ($complaint_no)",
        "Dear $recipient_name, your complaint “$title” ($complaint_no) was returned because the "
        "information we asked for did not arrive in time.\nReason: $reason\n"
        "You may apply again with the documents complete.\n" + _OFFICER_EN,
        "[$site_name] Complaint $complaint_no returned: $reason",
        "MINWON_RETURNED_EN_01",
    ),
    (Event.SATISFACTION_SURVEY, "ko"): DefaultTemplate(
        "[$site_name] 민원 처리에 만족하셨나요? ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no) 처리에 대한 의견을 들려주세요.\n"
        "설문: $survey_url",
        "[$site_name] 민원($complaint_no) 만족도 조사: $survey_url",
        "MINWON_SURVEY_01",
    ),
    (Event.SATISFACTION_SURVEY, "en"): DefaultTemplate(
        "[$site_name] How did we do? ($complaint_no)",
        "Dear $recipient_name, please tell us what you thought of how we handled “$title” "
        "($complaint_no).\nSurvey: $survey_url",
        "[$site_name] Complaint $complaint_no survey: $survey_url",
        "MINWON_SURVEY_EN_01",
    ),
    (Event.DEADLINE_WARNING, "ko"): DefaultTemplate(
        "[처리기한 $percent% 경과] $complaint_no $title",
        "담당 민원 「$title」($complaint_no)의 처리기간이 $percent% 지났습니다.\n처리기한: $due_at",
        "민원 $complaint_no 처리기간 $percent% 경과 (기한 $due_at)",
        "MINWON_DEADLINE_WARN_01",
    ),
    (Event.DEADLINE_WARNING, "en"): DefaultTemplate(
        "[$percent% of the period used] $complaint_no $title",
        "$percent% of the processing period of “$title” ($complaint_no) has passed.\n"
        "Deadline: $due_at",
        "Complaint $complaint_no: $percent% of the period used (due $due_at)",
        "MINWON_DEADLINE_WARN_EN_01",
    ),
    (Event.DEADLINE_OVERDUE, "ko"): DefaultTemplate(
        "[처리기한 경과] $complaint_no $title",
        "담당 민원 「$title」($complaint_no)의 처리기한($due_at)이 지났습니다. 즉시 처리해 주세요.",
        "민원 $complaint_no 처리기한 경과 ($due_at)",
        "MINWON_DEADLINE_OVER_01",
    ),
    (Event.DEADLINE_OVERDUE, "en"): DefaultTemplate(
        "[Overdue] $complaint_no $title",
        "The deadline ($due_at) of “$title” ($complaint_no) has passed. Please answer it now.",
        "Complaint $complaint_no is overdue (due $due_at)",
        "MINWON_DEADLINE_OVER_EN_01",
    ),
    (Event.ESCALATION_OVERDUE, "ko"): DefaultTemplate(
        "[지연 민원 보고] $complaint_no $title",
        "$officer_name 담당 민원 「$title」($complaint_no)의 처리기한($due_at)이 지났습니다.",
        "지연 민원 $complaint_no (담당 $officer_name, 기한 $due_at)",
        "MINWON_ESCALATION_01",
    ),
    (Event.ESCALATION_OVERDUE, "en"): DefaultTemplate(
        "[Overdue in your unit] $complaint_no $title",
        "“$title” ($complaint_no), handled by $officer_name, passed its deadline ($due_at).",
        "Overdue: $complaint_no ($officer_name, due $due_at)",
        "MINWON_ESCALATION_EN_01",
    ),
    (Event.REGISTRATION_ALARM, "ko"): DefaultTemplate(
        "[접수 지연 주의] $complaint_no $title",
        "전자민원창구로 도착한 민원 「$title」($complaint_no)이 아직 접수되지 않았습니다.\n"
        "접수 기한(8근무시간): $due_at",
        "미접수 민원 $complaint_no (접수 기한 $due_at)",
        "MINWON_REG_ALARM_01",
    ),
    (Event.REGISTRATION_ALARM, "en"): DefaultTemplate(
        "[Not yet registered] $complaint_no $title",
        "The online complaint “$title” ($complaint_no) has not been registered yet.\n"
        "Registration deadline (8 working hours): $due_at",
        "Unregistered complaint $complaint_no (due $due_at)",
        "MINWON_REG_ALARM_EN_01",
    ),
    (Event.DAILY_DIGEST, "ko"): DefaultTemplate(
        "[$unit_name] $date 민원 현황",
        "$unit_name의 $date 민원 현황입니다.\n처리 중: $open_count건\n"
        "기한 임박: $due_soon건\n기한 경과: $overdue건\n$url",
        "$unit_name $date: 처리중 $open_count, 임박 $due_soon, 경과 $overdue",
        "MINWON_DIGEST_01",
    ),
    (Event.DAILY_DIGEST, "en"): DefaultTemplate(
        "[$unit_name] Complaints on $date",
        "Complaints of $unit_name on $date.\nOpen: $open_count\nDue soon: $due_soon\n"
        "Overdue: $overdue\n$url",
        "$unit_name $date: open $open_count, due soon $due_soon, overdue $overdue",
        "MINWON_DIGEST_EN_01",
    ),
}
