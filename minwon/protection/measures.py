"""Pure vocabulary of incidents (특이민원) and the protection measures of 영 제4조 (stdlib only).

An incident is what a complainant said or did to an officer; a measure is what the office did
about it, recorded with who did it and when. Both are append-only: a correction is a new entry
that names the entry it corrects (issue 16; ../shared/reference/korean-complaint-law.md §12).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "MAX_DESCRIPTION_CHARS",
    "MAX_EVIDENCE_FILES",
    "ContactChannel",
    "IncidentKind",
    "IncidentSource",
    "Measure",
]


class IncidentKind(StrEnum):
    """What happened (the categories of §12.2, in its order)."""

    VERBAL_ABUSE = "verbal_abuse"  # 폭언·욕설
    THREAT = "threat"  # 협박·신변위협 (자해·자살 위협 포함)
    SEXUAL_HARASSMENT = "sexual_harassment"  # 성희롱
    ASSAULT = "assault"  # 폭행
    DANGEROUS_OBJECT = "dangerous_object"  # 무기·흉기 등 위험물 소지 (영 제4조제1항제3호나목)
    PROLONGED_CONTACT = "prolonged_contact"  # 장시간 통화·면담 (권장시간 초과)
    REPEATED_COMPLAINTS = "repeated_complaints"  # 목적이 정당하지 않은 반복·중복 민원
    UNJUST_DEMAND = "unjust_demand"  # 부당요구·시위·업무방해
    OTHER = "other"  # 그 밖에 신체적·정신적 피해를 입히는 행위


class ContactChannel(StrEnum):
    """How the complainant reached the officer."""

    VISIT = "visit"  # 방문 (창구, 면담)
    PHONE = "phone"  # 전화
    ONLINE = "online"  # 온라인 (전자민원창구, 국민신문고)
    WRITTEN = "written"  # 서면·우편
    OTHER = "other"


class IncidentSource(StrEnum):
    """Who made the record."""

    OFFICER = "officer"  # an officer filled in the form
    PANIC = "panic"  # the panic button made it (비상벨)


class Measure(StrEnum):
    """The measures of 영 제4조제1항 an office records against an incident."""

    RECORDING = "recording"  # 녹음·녹화 (제2호: 녹음전화, 휴대용 영상음성기록장비)
    PANIC_BELL = "panic_bell"  # 비상벨 (제1호: 호출장치)
    SECURITY_GUARD = "security_guard"  # 안전요원 출동 (제1호; 규칙 제1조의2)
    SEPARATION = "separation"  # 담당자 분리 또는 업무의 일시적 중단 (제4호)
    CARE_SUPPORT = "care_support"  # 치료·상담 지원 (제5호)
    CRIMINAL_REFERRAL = "criminal_referral"  # 수사기관에의 고발 (제5호의2)
    LEGAL_SUPPORT = "legal_support"  # 고소 지원, 증거 제출, 소송 비용 (제5호의3, 제6호, 제2항)


# A description is what was said or done, in the officer's words; bounded so a page stays usable.
MAX_DESCRIPTION_CHARS = 10_000
MAX_EVIDENCE_FILES = 10
