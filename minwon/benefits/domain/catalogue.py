"""The catalogue's shapes: programmes, their documents and relations, and the bundles (pure).

``minwon.benefits.catalogue`` reads ``data/*.yaml`` into these and checks them; nothing here
reads a file. Names follow life-events.md §6.1 (``Program``, ``BundleDefinition``,
``BundleMember``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from minwon.benefits.domain.eligibility import MonthlyRule, OneOffRule, Result, Situation, evaluate
from minwon.benefits.domain.parameters import ParameterNode
from minwon.benefits.domain.reasons import Reason, Text, _

__all__ = [
    "Bundle",
    "BundleMember",
    "Catalogue",
    "DocumentRequirement",
    "Exclusion",
    "LegalBasis",
    "Programme",
    "Tier",
    "exclusion_conflicts",
]


class Tier(StrEnum):
    """The three 정부24 tiers of a bundle member (life-events.md §0.1)."""

    INTEGRATED = "integrated"  # one form fans out to the processing body
    GUIDANCE_ONLY = "guidance_only"  # shown; the citizen applies elsewhere
    LOCAL = "local"  # a 시군구 / 시도 programme


class SupportType(StrEnum):
    CASH = "cash"
    CASH_MONTHLY = "cash_monthly"
    VOUCHER = "voucher"
    IN_KIND = "in_kind"
    DISCOUNT = "discount"
    SERVICE = "service"
    CARE_SLOT = "care_slot"  # a place in care (온종일돌봄): a ranked wait-list, not an entitlement


@dataclass(frozen=True)
class LegalBasis:
    law: str
    article: str = ""


@dataclass(frozen=True)
class Programme:
    code: str
    name: Text
    level: str  # national | sido | sigungu
    jurisdiction: str  # 행정구역 code: "00000" national, "41" 경기도, "41480" 파주시
    support_type: SupportType
    processing_body: Text
    legal_basis: tuple[LegalBasis, ...]
    documents: tuple[str, ...] = ()  # DocumentRequirement codes
    rule: MonthlyRule | OneOffRule | None = None  # None: Minwon does not compute it
    external_ids: Mapping[str, str] = field(default_factory=dict)
    processing_days: int = 0  # 처리기한 in working days (0: decided by the processing body)
    sources: tuple[str, ...] = ()
    checked_on: date | None = None


@dataclass(frozen=True)
class DocumentRequirement:
    code: str
    name: Text
    checked_by: str  # self (본인확인) | official (공무원확인)
    substitutable_by: str = ""  # admin_lookup | consent:pregnancy_info | ""


@dataclass(frozen=True)
class Exclusion:
    """Two programmes one child cannot receive for the same month (the family chooses)."""

    a: str
    b: str
    note: Text


@dataclass(frozen=True)
class BundleMember:
    programme: str
    tier: Tier
    group: str = ""  # 일반 / 소득요건 / … as 정부24 groups them
    default_selected: bool = True


@dataclass(frozen=True)
class Bundle:
    code: str  # MOM_PREGNANCY, HAPPY_BIRTH, ALLDAY_CARE
    name: Text
    life_event: str  # pregnancy | birth | school_age
    version: str
    members: tuple[BundleMember, ...]


@dataclass(frozen=True)
class Catalogue:
    version: str
    programmes: Mapping[str, Programme]
    bundles: Mapping[str, Bundle]
    exclusions: tuple[Exclusion, ...]
    parameters: ParameterNode
    documents: Mapping[str, DocumentRequirement] = field(default_factory=dict)

    def evaluate(self, code: str, situation: Situation) -> Result:
        programme = self.programmes[code]
        if programme.rule is None:
            raise KeyError(f"{code}: Minwon does not compute this programme")
        return evaluate(code, programme.name, programme.rule, situation, self.parameters)

    def computed_codes(self) -> list[str]:
        return [c for c, p in self.programmes.items() if p.rule is not None]


def exclusion_conflicts(
    chosen: Iterable[str], exclusions: Iterable[Exclusion], names: Mapping[str, Text]
) -> list[Reason]:
    """The pairs among ``chosen`` that exclude each other, as reasons (empty when none)."""
    picked = set(chosen)
    conflicts: list[Reason] = []
    for rel in exclusions:
        if rel.a in picked and rel.b in picked:
            conflicts.append(
                Reason(
                    _("%(a)s and %(b)s cannot both be received: %(note)s; choose one"),
                    {"a": names[rel.a], "b": names[rel.b], "note": rel.note},
                    rule=f"exclusion.{rel.a}.{rel.b}",
                )
            )
    return conflicts
