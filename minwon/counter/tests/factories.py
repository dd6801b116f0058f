"""Counter set-up for tests: one group with two categories, an ordinary window and a 배려창구."""

from __future__ import annotations

from dataclasses import dataclass

from minwon.counter import services
from minwon.counter.domain import WindowKind
from minwon.counter.models import ServiceCategory, Window, WindowGroup


@dataclass
class Counter:
    group: WindowGroup
    other_group: WindowGroup
    certificate: ServiceCategory  # 제증명 (group A)
    seal: ServiceCategory  # 인감 (group A)
    passport: ServiceCategory  # 여권 (group B)
    window1: Window  # ordinary, group A
    window2: Window  # ordinary, group A
    care: Window  # 배려창구, group A
    window9: Window  # ordinary, group B


def counter_make(*, extra_windows: int = 0) -> Counter:
    group = services.window_group_create(
        actor=None, code="certificates", name_ko="제증명", name_en="Certificates", prefix="A"
    )
    other = services.window_group_create(
        actor=None, code="passports", name_ko="여권", name_en="Passports", prefix="B"
    )
    certificate = services.service_category_create(
        actor=None,
        group=group,
        code="resident-copy",
        name_ko="주민등록 등·초본",
        name_en="Resident registration copy",
        name_easy="주민등록 서류 떼기",
        default_service_seconds=180,
    )
    seal = services.service_category_create(
        actor=None, group=group, code="seal", name_ko="인감증명", name_en="Seal certificate"
    )
    passport = services.service_category_create(
        actor=None, group=other, code="passport", name_ko="여권 신청", name_en="Passport"
    )
    window1 = services.window_create(actor=None, group=group, number=1)
    window2 = services.window_create(actor=None, group=group, number=2)
    care = services.window_create(actor=None, group=group, number=3, kind=WindowKind.CARE)
    window9 = services.window_create(actor=None, group=other, number=9)
    for n in range(extra_windows):
        services.window_create(actor=None, group=group, number=20 + n)
    return Counter(group, other, certificate, seal, passport, window1, window2, care, window9)
