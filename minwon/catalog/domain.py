"""Pure rules of the complaint-type catalogue (민원사무편람, 법 제17조·영 제10조).

Stdlib and lawclock only.

A catalogue entry is validated here whatever its source (office form, JSON API, CSV import):
`type_data_from_row` turns one CSV row (English or Korean headers) into `TypeData` plus the
problems found, each with a stable code and the field at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from minwon.lawclock import LawclockError, parse_period
from minwon.lawclock.kinds import ComplaintKind

STAGES: Final = ("receipt", "transit", "consult", "decision")  # 접수·경유·협의·처분 (법 제17조②)
APPLICATION_CHANNELS: Final = frozenset({"visit", "post", "fax", "internet", "kiosk"})  # 영 제10조③

# Korean 편람 headers → field names (data.go.kr 민원편람 and local 편람 wording).
HEADER_ALIASES: Final[dict[str, str]] = {
    "코드": "code",
    "민원종류": "kind",
    "민원사무명": "name_ko",
    "영문명": "name_en",
    "민원분류": "category",
    "처리기간": "period",
    "접수기간": "period_receipt",
    "경유기간": "period_transit",
    "협의기간": "period_consult",
    "처분기간": "period_decision",
    "구비서류": "required_documents",
    "수수료": "fee_krw",
    "수수료비고": "fee_note",
    "근거법규": "legal_basis",
    "처리부서": "handling_unit",
    "협조부서": "consulting_units",
    "신청서식": "form_name",
    "서식주소": "form_url",
    "주민등록번호필요": "requires_rrn",
    "신청방법": "channels",
    "출처": "source",
    "검색어": "aliases",
    "별칭": "aliases",
}
REQUIRED_HEADERS: Final = frozenset({"code", "name_ko", "period"})
MAX_ALIASES: Final = 30  # search words per entry, each at most 50 characters
_CODE: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_KOREAN_PERIOD: Final = re.compile(r"(\d+)\s*(시간|일|주|개월|월|년)")
_KOREAN_UNITS: Final = {"시간": "h", "일": "d", "주": "w", "개월": "m", "월": "m", "년": "y"}
_TRUE: Final = frozenset({"y", "yes", "true", "1", "예", "o", "필요"})
_FALSE: Final = frozenset({"", "n", "no", "false", "0", "아니오", "x", "불필요"})


MAX_FEE_KRW: Final = 2_147_483_647  # the column is a 32-bit integer on PostgreSQL
MAX_CELL: Final = 2000  # characters in any one cell
# The longest value each stored column takes (models.ComplaintTypeVersion).
MAX_LENGTHS: Final[dict[str, int]] = {
    "name_ko": 200,
    "name_en": 200,
    "category": 50,
    "fee_note": 300,
    "form_name": 200,
    "form_url": 200,
}
_ASCII_NUMBER: Final = re.compile(r"[0-9]{1,10}")
# A cell a spreadsheet would run as a formula (=, @, or + / - before anything but a number or a
# phone number; a leading tab or CR is stripped first): CSV/formula injection, OWASP.
_SIGNED_NUMBER: Final = re.compile(r"[+-][0-9\s.,()-]*")


def is_formula(cell: str) -> bool:
    text = cell.strip()
    if text[:1] in ("=", "@"):
        return True
    if text[:1] in ("+", "-"):
        return not (_SIGNED_NUMBER.fullmatch(text) or text.startswith("- "))
    return False


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    detail: str = ""


@dataclass
class TypeData:
    """Everything a catalogue version holds, in plain values (org units by code)."""

    code: str
    name_ko: str
    processing_period: str
    kind: ComplaintKind = ComplaintKind.STATUTORY
    name_en: str = ""
    category: str = ""
    stage_periods: dict[str, str] = field(default_factory=dict)
    required_documents: list[str] = field(default_factory=list)
    fee_krw: int | None = None
    fee_note: str = ""
    legal_basis: str = ""
    handling_unit_code: str = ""
    consulting_unit_codes: list[str] = field(default_factory=list)
    form_name: str = ""
    form_url: str = ""
    requires_rrn: bool = False
    application_channels: list[str] = field(default_factory=list)
    source: str = ""
    aliases: list[str] = field(default_factory=list)  # everyday words people search with (등본)

    def version_fields(self) -> dict[str, object]:
        """The fields whose change makes a new version (everything but the code and kind)."""
        return {
            "name_ko": self.name_ko,
            "name_en": self.name_en,
            "category": self.category,
            "processing_period": self.processing_period,
            "stage_periods": dict(sorted(self.stage_periods.items())),
            "required_documents": list(self.required_documents),
            "fee_krw": self.fee_krw,
            "fee_note": self.fee_note,
            "legal_basis": self.legal_basis,
            "handling_unit_code": self.handling_unit_code,
            "consulting_unit_codes": sorted(self.consulting_unit_codes),
            "form_name": self.form_name,
            "form_url": self.form_url,
            "requires_rrn": self.requires_rrn,
            "application_channels": sorted(self.application_channels),
            "source": self.source,
            "aliases": list(self.aliases),
        }


def normalize_period(text: str) -> str | None:
    """'즉시' → 'instant', '7일' → '7d', '3시간' → '3h', '1개월' → '1m', '7d' → '7d'; else None."""
    written = text.strip()
    if not written:
        return None
    match = _KOREAN_PERIOD.fullmatch(written)
    if match:
        written = match.group(1) + _KOREAN_UNITS[match.group(2)]
    try:
        return str(parse_period(written))
    except LawclockError:
        return None


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|\n]", text) if part.strip()]


def validate_type_data(data: TypeData) -> list[Problem]:
    problems: list[Problem] = []
    if not _CODE.fullmatch(data.code):
        problems.append(Problem("code", "catalog.invalid_code", data.code))
    if not data.name_ko.strip():
        problems.append(Problem("name_ko", "catalog.name_required"))
    if normalize_period(data.processing_period) is None:
        problems.append(Problem("period", "catalog.invalid_period", data.processing_period))
    if data.kind == ComplaintKind.TIP:
        problems.append(Problem("kind", "catalog.invalid_kind", data.kind.value))
    for stage, period in data.stage_periods.items():
        if stage not in STAGES:
            problems.append(Problem(f"period_{stage}", "catalog.invalid_stage", stage))
        elif period and normalize_period(period) is None:
            problems.append(Problem(f"period_{stage}", "catalog.invalid_period", period))
    if data.fee_krw is not None and data.fee_krw < 0:
        problems.append(Problem("fee_krw", "catalog.invalid_fee", str(data.fee_krw)))
    unknown = sorted(set(data.application_channels) - APPLICATION_CHANNELS)
    if unknown:
        problems.append(Problem("channels", "catalog.invalid_channel", ", ".join(unknown)))
    if len(data.aliases) > MAX_ALIASES or any(len(a) > 50 for a in data.aliases):
        problems.append(Problem("aliases", "catalog.invalid_aliases", str(len(data.aliases))))
    if data.form_url and not data.form_url.startswith(("https://", "http://")):
        problems.append(Problem("form_url", "catalog.invalid_url", data.form_url))
    for name, most in MAX_LENGTHS.items():
        if len(str(getattr(data, name))) > most:
            problems.append(Problem(name, "catalog.too_long", str(most)))
    return problems


def canonical_header(header: str) -> str:
    cleaned = header.strip().lstrip("\ufeff").strip()
    return HEADER_ALIASES.get(cleaned, cleaned.lower())


def type_data_from_row(row: dict[str, str]) -> tuple[TypeData | None, list[Problem]]:
    """One CSV row (canonical headers) → TypeData, or None with the problems."""
    problems: list[Problem] = []
    get = {k: (v or "").strip() for k, v in row.items()}
    for name, value in get.items():
        if len(value) > MAX_CELL:
            problems.append(Problem(name, "catalog.cell_too_long", str(MAX_CELL)))
        elif "\x00" in value:
            problems.append(Problem(name, "catalog.invalid_character"))
        elif is_formula(value):
            problems.append(Problem(name, "catalog.formula", value[:40]))
    if problems:  # nothing further is read from a row with such cells
        return None, problems
    kind_text = get.get("kind", "") or ComplaintKind.STATUTORY.value
    try:
        kind = ComplaintKind(kind_text)
    except ValueError:
        problems.append(Problem("kind", "catalog.invalid_kind", kind_text))
        kind = ComplaintKind.STATUTORY
    fee: int | None = None
    fee_text = get.get("fee_krw", "").replace(",", "").replace("원", "").strip()
    if fee_text in ("", "없음", "무료", "-"):
        fee = 0 if fee_text in ("없음", "무료") else None
    elif _ASCII_NUMBER.fullmatch(fee_text) and int(fee_text) <= MAX_FEE_KRW:
        fee = int(fee_text)
    else:
        problems.append(Problem("fee_krw", "catalog.invalid_fee", get.get("fee_krw", "")))
    rrn_text = get.get("requires_rrn", "").lower()
    if rrn_text not in _TRUE | _FALSE:
        problems.append(Problem("requires_rrn", "catalog.invalid_boolean", rrn_text))
    period = normalize_period(get.get("period", "")) or get.get("period", "")
    stages = {}
    for stage in STAGES:
        value = get.get(f"period_{stage}", "")
        if value:
            stages[stage] = normalize_period(value) or value
    data = TypeData(
        code=get.get("code", ""),
        kind=kind,
        name_ko=get.get("name_ko", ""),
        name_en=get.get("name_en", ""),
        category=get.get("category", ""),
        processing_period=period,
        stage_periods=stages,
        required_documents=_split(get.get("required_documents", "")),
        fee_krw=fee,
        fee_note=get.get("fee_note", ""),
        legal_basis=get.get("legal_basis", ""),
        handling_unit_code=get.get("handling_unit", ""),
        consulting_unit_codes=_split(get.get("consulting_units", "")),
        form_name=get.get("form_name", ""),
        form_url=get.get("form_url", ""),
        requires_rrn=rrn_text in _TRUE,
        application_channels=_split(get.get("channels", "")),
        source=get.get("source", ""),
        aliases=_split(get.get("aliases", "")),
    )
    problems.extend(validate_type_data(data))
    return (None, problems) if problems else (data, [])


def calendar_version(*, holidays_version: str, overrides: list[tuple[str, str]]) -> str:
    """'kr-holidays-0.109' plus a short hash of the organisation's (date, +/-) overrides, if any."""
    import hashlib

    base = f"kr-holidays-{holidays_version}"
    if not overrides:
        return base
    digest = hashlib.sha256(" ".join(f"{k}{d}" for d, k in sorted(overrides)).encode()).hexdigest()
    return f"{base}+{digest[:12]}"


# --- Service search (issue 11 item 7): everyday words find catalogue entries -----------------
# The tokens come from the caller (Korean morphemes through kiwipiepy in the portal): this part
# only ranks, so it stays stdlib and testable with hand-made tokens.

_NOT_LETTERS: Final = re.compile(r"[\W_]+", re.UNICODE)


def compact(text: str) -> str:
    """'주민등록표 등·초본 발급' → '주민등록표등초본발급': spacing and punctuation do not count."""
    return _NOT_LETTERS.sub("", text).lower()


@dataclass(frozen=True)
class SearchDoc:
    """What a catalogue entry is found by: its names' and its search words' morphemes, and the
    names and search words themselves without spacing (for an exact or partial phrase)."""

    key: str
    name_terms: frozenset[str]
    alias_terms: frozenset[str]
    phrases: tuple[str, ...]


def search_score(doc: SearchDoc, terms: list[str], phrase: str) -> int:
    """How well a query (its morphemes and its compact text) finds an entry; 0 means not at all.

    A search word or name typed exactly counts most, a part of one next, then each query morpheme
    found among the search words (3) or the names (2). Without a phrase match, at least half of
    the query's morphemes must be found, so one common word does not drag in unrelated entries."""
    score = 0
    if phrase:
        if phrase in doc.phrases:
            score += 10
        elif len(phrase) >= 2 and any(phrase in p for p in doc.phrases):
            score += 5
    wanted = set(terms)
    found = 0
    for term in wanted:
        if term in doc.alias_terms:
            score += 3
            found += 1
        elif term in doc.name_terms:
            score += 2
            found += 1
    if wanted and score < 5 and found * 2 < len(wanted):
        return 0
    return score


def rank_search(
    docs: list[SearchDoc], terms: list[str], phrase: str, popularity: dict[str, int]
) -> list[str]:
    """The keys of the entries the query finds, best first; equal scores by popularity."""
    scored = [(search_score(d, terms, phrase), popularity.get(d.key, 0), d.key) for d in docs]
    return [key for score, _, key in sorted(scored, key=lambda s: (-s[0], -s[1], s[2])) if score]
