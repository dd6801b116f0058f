"""Default message templates: one per event and language (pure data, stdlib only).

`notification_templates_seed` copies them into the database, where administrators edit them.
Placeholders are `$name` (string.Template); domain.PLACEHOLDERS lists the names each event allows.
`short` is the SMS / 알림톡 text; `alimtalk_code` is the template code registered with Kakao
(알림톡 only sends text that matches a registered template, so a changed `short` needs a new code).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

from minwon.notifications.domain import Event


@dataclass(frozen=True)
class DefaultTemplate:
    subject: str
    body: str
    short: str
    alimtalk_code: str


_CONTACT_KO = "담당: $contact"
_CONTACT_EN = "Officer in charge: $contact"

DEFAULT_TEMPLATES: Final[dict[tuple[Event, str], DefaultTemplate]] = {
    # 접수 통지 (영 제6조④): number, when, the period and the expected date, who handles it.
    (Event.COMPLAINT_REGISTERED, "ko"): DefaultTemplate(
        "[$site_name] 민원이 접수되었습니다 ($complaint_no)",
        "$recipient_name님, 신청하신 민원 「$title」이(가) 접수되었습니다.\n"
        "접수번호: $complaint_no\n접수일시: $registered_at\n처리기간: $period\n"
        "처리 예정일: $due_date\n처리 부서: $unit\n문의: $contact\n"
        "진행 상황은 $url 에서 확인하실 수 있습니다.\n(민원처리법 시행령 제6조에 따른 접수 통지)",
        "[$site_name] 민원 접수 $complaint_no. 처리기간 $period, 예정일 $due_date. 문의 $contact",
        "MINWON_REGISTERED_02",
    ),
    (Event.COMPLAINT_REGISTERED, "en"): DefaultTemplate(
        "[$site_name] Your complaint has been registered ($complaint_no)",
        "Dear $recipient_name, your complaint “$title” has been registered.\n"
        "Receipt number: $complaint_no\nRegistered: $registered_at\nProcessing period: $period\n"
        "Expected answer by: $due_date\nDepartment: $unit\nContact: $contact\n"
        "Follow it at: $url",
        "[$site_name] Complaint $complaint_no registered. Period $period, answer by $due_date. "
        "Contact $contact",
        "MINWON_REGISTERED_EN_02",
    ),
    # 이송 통지 (법 제16조, 영 제13조③): to whom, why, when.
    (Event.COMPLAINT_TRANSFERRED, "ko"): DefaultTemplate(
        "[$site_name] 민원이 다른 기관으로 이송되었습니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)은 $event_date에 소관 기관인 "
        "$to_agency(으)로 이송되었습니다.\n이송 사유: $reason\n앞으로의 처리와 답변은 "
        "$to_agency에서 합니다.\n문의: $contact\n"
        "(민원처리법 제16조, 시행령 제13조에 따른 이송 통지)",
        "[$site_name] 민원($complaint_no)이 $event_date $to_agency(으)로 이송됨. 사유: $reason",
        "MINWON_TRANSFERRED_02",
    ),
    (Event.COMPLAINT_TRANSFERRED, "en"): DefaultTemplate(
        "[$site_name] Your complaint was transferred ($complaint_no)",
        "Dear $recipient_name, on $event_date your complaint “$title” ($complaint_no) was "
        "transferred to $to_agency, which is responsible for it.\nReason: $reason\n"
        "$to_agency will handle and answer it from now on.\nContact: $contact",
        "[$site_name] Complaint $complaint_no transferred to $to_agency on $event_date: $reason",
        "MINWON_TRANSFERRED_EN_02",
    ),
    # 보완 요구 (법 제22조①, 영 제24조): what, by when, what happens if not, how to reply.
    (Event.SUPPLEMENT_REQUESTED, "ko"): DefaultTemplate(
        "[$site_name] 민원 보완을 요청드립니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)의 처리를 위해 다음 사항의 보완이 "
        "필요합니다.\n$items\n보완 기한: $supplement_due\n"
        "보완하실 때까지 처리기간은 멈춥니다. 기한까지 보완되지 않으면 한 차례 더 요청드린 뒤 "
        "민원이 반려될 수 있습니다(시행령 제24조제3항, 제25조제1항). 기간이 더 필요하시면 "
        "필요한 기간을 밝혀 연장을 요청하실 수 있습니다(시행령 제24조제2항).\n"
        "보완 방법: $url 에서 서류를 보내시거나 담당자에게 연락해 주세요.\n" + _CONTACT_KO,
        "[$site_name] 민원($complaint_no) 보완 요청. 기한 $supplement_due. 보내실 곳 $url",
        "MINWON_SUPPLEMENT_02",
    ),
    (Event.SUPPLEMENT_REQUESTED, "en"): DefaultTemplate(
        "[$site_name] Please supplement your complaint ($complaint_no)",
        "Dear $recipient_name, to process your complaint “$title” ($complaint_no) we need:\n"
        "$items\nPlease reply by: $supplement_due\n"
        "The processing period stops until you do. If nothing arrives in time we may ask once "
        "more and then return the complaint (Decree Art. 24(3), 25(1)). If you need more time, "
        "ask for it and say how long (Decree Art. 24(2)).\n"
        "How to reply: send the documents at $url or contact the officer.\n" + _CONTACT_EN,
        "[$site_name] Complaint $complaint_no: information needed by $supplement_due. "
        "Reply at $url",
        "MINWON_SUPPLEMENT_EN_02",
    ),
    # 처리기간 연장 통지 (영 제21조, 규칙 별지 제5호서식): the reason, the new date, the consent.
    (Event.COMPLAINT_EXTENDED, "ko"): DefaultTemplate(
        "[$site_name] 민원 처리기간이 연장되었습니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)의 처리기간이 연장되었습니다"
        "($extension_number차).\n연장 사유: $extension_reason\n$extension_text\n"
        "당초 처리 예정일: $previous_due_date\n처리완료 예정일: $due_date\n$consent\n"
        + _CONTACT_KO
        + "\n(민원처리법 시행령 제21조에 따른 처리기간 연장 통지)",
        "[$site_name] 민원($complaint_no) 처리기간 연장: $extension_reason. 완료 예정일 $due_date",
        "MINWON_EXTENDED_02",
    ),
    (Event.COMPLAINT_EXTENDED, "en"): DefaultTemplate(
        "[$site_name] The period for your complaint was extended ($complaint_no)",
        "Dear $recipient_name, the processing period of your complaint “$title” "
        "($complaint_no) was extended (extension $extension_number).\n"
        "Reason: $extension_reason\n$extension_text\nPreviously expected by: $previous_due_date\n"
        "Now expected by: $due_date\n$consent\n" + _CONTACT_EN,
        "[$site_name] Complaint $complaint_no extended: $extension_reason. Answer by $due_date",
        "MINWON_EXTENDED_EN_02",
    ),
    # 중간통지 (영 제23조①, 별지 제6호서식): what has been done, what comes next, the date.
    (Event.PROGRESS_NOTICE, "ko"): DefaultTemplate(
        "[$site_name] 민원 처리 진행상황 안내 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)의 처리 진행상황을 알려드립니다.\n"
        "지금까지 처리한 일:\n$progress\n앞으로의 처리: $next_step\n처리완료 예정일: $due_date\n"
        + _CONTACT_KO
        + "\n(민원처리법 시행령 제23조에 따른 중간통지)",
        "[$site_name] 민원($complaint_no) 처리 중. 완료 예정일 $due_date. 자세히 $url",
        "MINWON_PROGRESS_02",
    ),
    (Event.PROGRESS_NOTICE, "en"): DefaultTemplate(
        "[$site_name] Progress of your complaint ($complaint_no)",
        "Dear $recipient_name, here is the progress of your complaint “$title” "
        "($complaint_no).\nDone so far:\n$progress\nNext: $next_step\n"
        "Expected answer by: $due_date\n" + _CONTACT_EN,
        "[$site_name] Complaint $complaint_no in progress. Answer by $due_date. Details $url",
        "MINWON_PROGRESS_EN_02",
    ),
    # 처리결과 통지 (법 제27조, 영 제31조): the answer, the decision, for a refusal the reason and
    # the remedies with their time limits, the officer.
    (Event.COMPLAINT_ANSWERED, "ko"): DefaultTemplate(
        "[$site_name] 민원 처리결과를 알려드립니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)의 처리결과를 알려드립니다.\n"
        "처리결과: $outcome\n답변:\n$answer\n$refusal_reason\n$remedy\n" + _CONTACT_KO + "\n"
        "답변은 $url 에서도 보실 수 있습니다.\n(민원처리법 제27조에 따른 처리결과 통지)",
        "[$site_name] 민원($complaint_no) 처리결과: $outcome. 답변 보기 $url",
        "MINWON_ANSWERED_02",
    ),
    (Event.COMPLAINT_ANSWERED, "en"): DefaultTemplate(
        "[$site_name] The answer to your complaint ($complaint_no)",
        "Dear $recipient_name, here is the answer to your complaint “$title” ($complaint_no).\n"
        "Decision: $outcome\nAnswer:\n$answer\n$refusal_reason\n$remedy\n" + _CONTACT_EN + "\n"
        "You can also read it at $url",
        "[$site_name] Complaint $complaint_no answered: $outcome. Read it at $url",
        "MINWON_ANSWERED_EN_02",
    ),
    (Event.COMPLAINT_RETURNED, "ko"): DefaultTemplate(
        "[$site_name] 민원이 반려되었습니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)은 요청드린 보완이 기간 안에 이루어지지 "
        "않아 반려되었습니다.\n반려 사유: $reason\n필요하시면 서류를 갖추어 다시 신청하실 수 "
        "있습니다.\n(민원처리법 시행령 제25조제1항에 따른 반려 통지)\n" + _CONTACT_KO,
        "[$site_name] 민원($complaint_no)이 보완 기간 경과로 반려되었습니다. 사유: $reason",
        "MINWON_RETURNED_02",
    ),
    (Event.COMPLAINT_RETURNED, "en"): DefaultTemplate(
        "[$site_name] Your complaint was returned ($complaint_no)",
        "Dear $recipient_name, your complaint “$title” ($complaint_no) was returned because the "
        "information we asked for did not arrive in time.\nReason: $reason\n"
        "You may apply again with the documents complete.\n" + _CONTACT_EN,
        "[$site_name] Complaint $complaint_no returned: $reason",
        "MINWON_RETURNED_EN_02",
    ),
    # 이의신청 결정 통지 (법 제35조②): the decision, its reason, the next remedy.
    (Event.OBJECTION_DECIDED, "ko"): DefaultTemplate(
        "[$site_name] 이의신청 결정을 알려드립니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)에 대한 이의신청의 결정을 "
        "알려드립니다.\n결정: $objection_outcome\n결정 이유:\n$objection_decision\n"
        "다음 절차: $objection_next\n" + _CONTACT_KO + "\n"
        "(민원처리법 제35조제2항에 따른 이의신청 결정 통지)",
        "[$site_name] 이의신청($complaint_no) 결정: $objection_outcome. 자세히 $url",
        "MINWON_OBJECTION_01",
    ),
    (Event.OBJECTION_DECIDED, "en"): DefaultTemplate(
        "[$site_name] The decision on your objection ($complaint_no)",
        "Dear $recipient_name, here is the decision on your objection about “$title” "
        "($complaint_no).\nDecision: $objection_outcome\nReasons:\n$objection_decision\n"
        "Next: $objection_next\n" + _CONTACT_EN,
        "[$site_name] Objection $complaint_no: $objection_outcome. Details $url",
        "MINWON_OBJECTION_EN_01",
    ),
    # 반복민원 종결 (법 제23조①): which earlier complaints, and what happens to later ones.
    (Event.COMPLAINT_CLOSED_REPEATED, "ko"): DefaultTemplate(
        "[$site_name] 반복 민원으로 종결되었습니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)은 같은 내용으로 세 번 이상 제출되어 "
        "이미 두 번 이상 처리결과를 알려드린 민원($earlier)과 같아, 민원처리법 제23조제1항에 "
        "따라 종결되었습니다.\n사유: $reason\n같은 내용으로 다시 제출하시는 민원도 별도의 "
        "답변 없이 종결될 수 있습니다. 새로운 사실이나 사정이 있으면 그 내용을 밝혀 주세요.\n"
        + _CONTACT_KO,
        "[$site_name] 민원($complaint_no)은 반복 민원으로 종결되었습니다(민원처리법 제23조).",
        "MINWON_REPEATED_01",
    ),
    (Event.COMPLAINT_CLOSED_REPEATED, "en"): DefaultTemplate(
        "[$site_name] Your complaint was closed as a repeat ($complaint_no)",
        "Dear $recipient_name, your complaint “$title” ($complaint_no) repeats complaints with "
        "the same content that you filed three or more times and that were answered at least "
        "twice ($earlier), so it was closed under Article 23(1) of the Civil Petitions Act.\n"
        "Reason: $reason\nLater complaints with the same content may also be closed without a "
        "new answer. If there are new facts, please say what they are.\n" + _CONTACT_EN,
        "[$site_name] Complaint $complaint_no closed as a repeat (Civil Petitions Act Art. 23).",
        "MINWON_REPEATED_EN_01",
    ),
    # 취하 확인 (법 제22조②, 영 제25조③).
    (Event.COMPLAINT_WITHDRAWN, "ko"): DefaultTemplate(
        "[$site_name] 민원 취하가 처리되었습니다 ($complaint_no)",
        "$recipient_name님, 민원 「$title」($complaint_no)의 취하가 $event_date에 "
        "처리되었습니다. 이 민원의 처리는 끝났습니다.\n제출하신 서류는 요청하시면 돌려드립니다"
        "(민원처리법 시행령 제25조제3항).\n" + _CONTACT_KO,
        "[$site_name] 민원($complaint_no) 취하가 $event_date에 처리되었습니다.",
        "MINWON_WITHDRAWN_01",
    ),
    (Event.COMPLAINT_WITHDRAWN, "en"): DefaultTemplate(
        "[$site_name] Your complaint was withdrawn ($complaint_no)",
        "Dear $recipient_name, your complaint “$title” ($complaint_no) was withdrawn on "
        "$event_date, as you asked; its handling has ended.\nThe documents you submitted are "
        "returned on request (Decree Art. 25(3)).\n" + _CONTACT_EN,
        "[$site_name] Complaint $complaint_no withdrawn on $event_date.",
        "MINWON_WITHDRAWN_EN_01",
    ),
    # A date the complainant was told has moved (a holiday declared after it was computed).
    (Event.DEADLINE_MOVED, "ko"): DefaultTemplate(
        "[$site_name] 민원 처리 일정이 바뀌었습니다 ($complaint_no)",
        "$recipient_name님, 공휴일 지정으로 민원 「$title」($complaint_no)의 날짜가 "
        "바뀌었습니다.\n$moved\n사유: $reason\n" + _CONTACT_KO,
        "[$site_name] 민원($complaint_no) 날짜 변경: $moved",
        "MINWON_DATE_MOVED_01",
    ),
    (Event.DEADLINE_MOVED, "en"): DefaultTemplate(
        "[$site_name] A date of your complaint has changed ($complaint_no)",
        "Dear $recipient_name, a public holiday was declared, so a date of your complaint "
        "“$title” ($complaint_no) has moved.\n$moved\nReason: $reason\n" + _CONTACT_EN,
        "[$site_name] Complaint $complaint_no: date moved. $moved",
        "MINWON_DATE_MOVED_EN_01",
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
    # Protection (issue 16): never the citizen's words; the office page shows them masked.
    (Event.PROTECTION_FLAGGED, "ko"): DefaultTemplate(
        "[특이민원 검사] $complaint_no 폭언 등 확인",
        "민원 $complaint_no의 $source에서 $categories 표현이 확인되었습니다 (심각도: $severity).\n"
        "원문은 업무 화면에서 가려진 채로 보이며, 원문 보기는 기록됩니다.\n$url",
        "특이민원 $complaint_no: $categories ($severity)",
        "MINWON_PROTECTION_FLAGGED_01",
    ),
    (Event.PROTECTION_FLAGGED, "en"): DefaultTemplate(
        "[Screening] Abusive words in $complaint_no",
        "The $source of complaint $complaint_no contains $categories (severity: $severity).\n"
        "The office page shows the text masked; every reveal is recorded.\n$url",
        "Screening $complaint_no: $categories ($severity)",
        "MINWON_PROTECTION_FLAGGED_EN_01",
    ),
    (Event.PROTECTION_THREAT, "ko"): DefaultTemplate(
        "[긴급·위협] $complaint_no 위해 또는 자해 위협",
        "민원 $complaint_no의 $source에 $categories 표현이 있습니다 (심각도: $severity).\n"
        "담당자의 안전을 확인하고, 필요하면 분리·안전요원 배치 등 보호조치(민원처리법 시행령 "
        "제4조)를 하십시오. 자해 위협이면 민원인의 안전도 확인하십시오.\n$url",
        "[긴급] 위협 $complaint_no: $categories",
        "MINWON_PROTECTION_THREAT_01",
    ),
    (Event.PROTECTION_THREAT, "en"): DefaultTemplate(
        "[URGENT: threat] $complaint_no",
        "The $source of complaint $complaint_no contains $categories (severity: $severity).\n"
        "Check the officer's safety and take the protective measures (separation, a safety "
        "guard; Enforcement Decree Art. 4). For a threat of self-harm, check on the citizen too."
        "\n$url",
        "[URGENT] Threat in $complaint_no: $categories",
        "MINWON_PROTECTION_THREAT_EN_01",
    ),
    (Event.PROTECTION_PANIC, "ko"): DefaultTemplate(
        "[긴급·비상벨] $unit_name $officer_name",
        "$time에 $unit_name $officer_name 담당자가 업무 화면의 비상벨을 눌렀습니다 ($place).\n"
        "즉시 현장을 확인하고 필요하면 분리·안전요원 출동 등 보호조치(민원처리법 시행령 제4조)를 "
        "하십시오. 특이민원 기록 제$incident_no호\n$url",
        "[긴급] 비상벨 $unit_name $officer_name $time",
        "MINWON_PROTECTION_PANIC_01",
    ),
    (Event.PROTECTION_PANIC, "en"): DefaultTemplate(
        "[URGENT: panic button] $unit_name, $officer_name",
        "At $time, $officer_name of $unit_name pressed the panic button on the office screen "
        "($place).\nGo and check at once; take the protective measures (separation, a safety "
        "guard; Enforcement Decree Art. 4). Incident record no. $incident_no\n$url",
        "[URGENT] Panic button: $unit_name, $officer_name, $time",
        "MINWON_PROTECTION_PANIC_EN_01",
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
    # Accounts: one-time codes. Never sent to in-app notices; the code is kept encrypted.
    (Event.SIGNUP_CODE, "ko"): DefaultTemplate(
        "[$site_name] 회원가입 인증번호 $code",
        "회원가입 인증번호는 $code 입니다.\n$minutes분 안에 입력해 주세요.\n"
        "가입을 요청하지 않으셨다면 이 메시지를 무시하셔도 됩니다. 인증번호를 누구에게도 "
        "알려 주지 마세요.",
        "[$site_name] 회원가입 인증번호 $code ($minutes분 안에 입력). 타인에게 알려 주지 마세요.",
        "MINWON_SIGNUP_CODE_01",
    ),
    (Event.SIGNUP_CODE, "en"): DefaultTemplate(
        "[$site_name] Your sign-up code is $code",
        "Your sign-up code is $code.\nEnter it within $minutes minutes.\n"
        "If you did not ask to sign up, ignore this message. Never tell anyone the code.",
        "[$site_name] Sign-up code $code (enter within $minutes min). Never share it.",
        "MINWON_SIGNUP_CODE_EN_01",
    ),
    (Event.SIGNUP_ADDRESS_TAKEN, "ko"): DefaultTemplate(
        "[$site_name] 이미 가입된 주소입니다",
        "이 주소로 회원가입이 요청되었지만 이미 계정이 있습니다.\n"
        "로그인하시거나, 비밀번호가 기억나지 않으면 비밀번호 찾기를 이용해 주세요.\n"
        "요청하지 않으셨다면 이 메시지를 무시하셔도 됩니다.",
        "[$site_name] 이미 가입된 주소로 가입이 요청되었습니다. 로그인 또는 비밀번호 찾기를 이용해 "
        "주세요.",
        "MINWON_SIGNUP_TAKEN_01",
    ),
    (Event.SIGNUP_ADDRESS_TAKEN, "en"): DefaultTemplate(
        "[$site_name] You already have an account",
        "Someone asked to sign up with this address, but it already has an account.\n"
        "Log in, or reset your password if you have forgotten it.\n"
        "If it was not you, ignore this message.",
        "[$site_name] This address already has an account: log in or reset your password.",
        "MINWON_SIGNUP_TAKEN_EN_01",
    ),
    (Event.PASSWORD_RESET_CODE, "ko"): DefaultTemplate(
        "[$site_name] 비밀번호 재설정 인증번호 $code",
        "비밀번호 재설정 인증번호는 $code 입니다.\n$minutes분 안에 입력해 주세요.\n"
        "요청하지 않으셨다면 이 메시지를 무시하세요. 비밀번호는 바뀌지 않습니다.",
        "[$site_name] 비밀번호 재설정 인증번호 $code ($minutes분 안에 입력). 타인에게 알려 주지 "
        "마세요.",
        "MINWON_RESET_CODE_01",
    ),
    (Event.PASSWORD_RESET_CODE, "en"): DefaultTemplate(
        "[$site_name] Your password reset code is $code",
        "Your password reset code is $code.\nEnter it within $minutes minutes.\n"
        "If you did not ask for it, ignore this message: your password stays as it is.",
        "[$site_name] Password reset code $code (enter within $minutes min). Never share it.",
        "MINWON_RESET_CODE_EN_01",
    ),
    # Life-event bundles (issue 19): one receipt for the bundle, then one notice per programme.
    (Event.BENEFIT_APPLICATION_RECEIVED, "ko"): DefaultTemplate(
        "[$site_name] $bundle 신청이 접수되었습니다 ($receipt_no)",
        "$recipient_name님, $bundle 통합 신청이 접수되었습니다.\n접수번호: $receipt_no\n"
        "신청한 서비스: $programmes\n서비스마다 처리 기관이 따로 심사하고, 결과는 서비스별로 "
        "알려 드립니다.\n진행 상황: $url",
        "[$site_name] $bundle 접수 $receipt_no. 서비스별 결과를 따로 알려 드립니다.",
        "MINWON_BENEFIT_RECEIVED_01",
    ),
    (Event.BENEFIT_APPLICATION_RECEIVED, "en"): DefaultTemplate(
        "[$site_name] Your $bundle application has been received ($receipt_no)",
        "Dear $recipient_name, your $bundle application has been received.\n"
        "Receipt number: $receipt_no\nProgrammes: $programmes\nEach programme is decided by "
        "its own office; you will hear about each one.\nFollow it at: $url",
        "[$site_name] $bundle application $receipt_no received. Each programme is notified "
        "separately.",
        "MINWON_BENEFIT_RECEIVED_EN_01",
    ),
    (Event.BENEFIT_STATUS_CHANGED, "ko"): DefaultTemplate(
        "[$site_name] $programme: $status ($receipt_no)",
        "$recipient_name님, 신청하신 $programme의 처리 상태가 '$status'(으)로 바뀌었습니다.\n"
        "접수번호: $receipt_no\n$note\n진행 상황: $url",
        "[$site_name] $programme $status ($receipt_no)",
        "MINWON_BENEFIT_STATUS_01",
    ),
    (Event.BENEFIT_STATUS_CHANGED, "en"): DefaultTemplate(
        "[$site_name] $programme: $status ($receipt_no)",
        "Dear $recipient_name, your application for $programme is now: $status.\n"
        "Receipt number: $receipt_no\n$note\nFollow it at: $url",
        "[$site_name] $programme: $status ($receipt_no)",
        "MINWON_BENEFIT_STATUS_EN_01",
    ),
}


def template_digest(subject: str, body: str, short: str, alimtalk_code: str) -> str:
    """A short fingerprint of a template's words (to recognise an unedited earlier default)."""
    text = "\x1f".join((subject, body, short, alimtalk_code))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# Earlier default templates (their digests). A stored template that still holds one of them was
# never edited by an administrator, so `notification_templates_seed` replaces it with the current
# default; an edited template is left as it is.
SUPERSEDED_DEFAULTS: Final = frozenset(
    {
        "0a6dce08b0a2eb25",  # complaint_registered ko, before the 영 제6조 fields
        "25145da6203035a6",
        "bead3ed4e1054c3e",
        "38c5ebcc8793f9af",
        "490043c941c570bd",
        "b16b1aec5ccbc0b9",
        "ebfdf0c8c6b149d6",
        "31ffeead1a13ac31",
        "09549683e0600856",
        "ec2b2e72cab92741",
        "66c2b67f6ebb33a1",
        "1136117b6b23cde2",
        "0ea6b2dcd03bc207",
        "4ddc5801c9368ce1",
    }
)
