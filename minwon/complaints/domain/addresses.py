"""Korean addresses, normalised so one household is recognised however it was typed (stdlib only).

법 제2조 제6호 counts a 다수인관련민원 by 세대 (households): co-signers at one flat are one
household. People write the same flat in many ways: ``경기도 파주시 운정로 123, 101동 1001호``,
``경기 파주 운정로123 101동1001호``, ``파주시 운정로 １２３ (와동동) 101-1001``. `parse_address`
reads the parts of a road-name address (도로명주소: 도로명 [+ 번길] + 건물번호) or of a lot
address (지번주소: 읍·면·동·리 [+ 산] + 번지), the region before it (시·도 in any of its usual
forms, 시·군·구 with or without its suffix) and the unit after it (동·호·층, also ``101-1001``);
`household_key` gives the comparable part.

The key leaves the region out: co-signers of one complaint live in the city they complain to, so
``파주시 운정로 123`` and ``운정로 123`` must be one household; a road of the same name and the same
building number in another city is the one collision this accepts. A road-name address and the
lot address of the same building cannot be matched without the national address database; the
officer corrects such a count by hand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

# 시·도: the canonical name and the forms people write (longest first when matching).
SIDO: Final[dict[str, tuple[str, ...]]] = {
    "서울특별시": ("서울특별시", "서울시", "서울"),
    "부산광역시": ("부산광역시", "부산시", "부산"),
    "대구광역시": ("대구광역시", "대구시", "대구"),
    "인천광역시": ("인천광역시", "인천시", "인천"),
    "광주광역시": ("광주광역시",),  # bare 광주 may be 경기도 광주시: read as a 시·군·구
    "대전광역시": ("대전광역시", "대전시", "대전"),
    "울산광역시": ("울산광역시", "울산시", "울산"),
    "세종특별자치시": ("세종특별자치시", "세종시", "세종"),
    "경기도": ("경기도", "경기"),
    "강원특별자치도": ("강원특별자치도", "강원도", "강원"),
    "충청북도": ("충청북도", "충북"),
    "충청남도": ("충청남도", "충남"),
    "전북특별자치도": ("전북특별자치도", "전라북도", "전북"),
    "전라남도": ("전라남도", "전남"),
    "경상북도": ("경상북도", "경북"),
    "경상남도": ("경상남도", "경남"),
    "제주특별자치도": ("제주특별자치도", "제주도", "제주"),
}
_SIDO_FORMS: Final = sorted(
    ((form, name) for name, forms in SIDO.items() for form in forms),
    key=lambda pair: -len(pair[0]),
)

_DASHES: Final = re.compile(r"[\u2010-\u2015\u2212\u30fc~]")
_BRACKETS: Final = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_SEPARATORS: Final = re.compile(r"[,·/]")
_UNIT_PREFIX: Final = re.compile(r"제\s*(?=[A-Z0-9]+\s*[동호층])")
_ROAD: Final = re.compile(
    r"(?:^|(?<=\s))(?P<road>[가-힣A-Z0-9]*[가-힣](?:대로|로|길))"
    r"\s*(?:(?P<branch>\d+)\s*(?:번\s*)?(?P<branch_kind>가?길))?"
    r"\s*(?P<main>\d+)(?:-(?P<sub>\d+))?(?!\d*가(?:\s|\d|$))(?:\s*번지?(?!길))?"
)
_LOT: Final = re.compile(
    r"(?:^|(?<=\s))(?:(?P<town>[가-힣0-9]+[읍면])\s+)?(?P<place>[가-힣][가-힣0-9]*(?:동|리|가))"
    r"\s*(?P<san>산)?\s*(?P<main>\d+)(?:-(?P<sub>\d+))?(?:\s*번지)?"
)
_SIGUNGU: Final = re.compile(r"^(?P<base>[가-힣]+?)(?:시|군|구)$")
_BUILDING: Final = re.compile(r"(?:^|(?<=\s))(?P<building>[A-Z]|\d+|[가-힣])\s*동(?=\s|\d|$)")
_FLOOR: Final = re.compile(r"(?:^|(?<=\s)|(?<=동))(?P<floor>(?:지하|B)?\s*\d+)\s*층")
_HO: Final = re.compile(r"(?:^|(?<=\s)|(?<=동)|(?<=층))(?P<ho>[A-Z]?\d+)\s*호")
_SHORT_UNIT: Final = re.compile(r"(?:^|(?<=\s))(?P<building>\d+)-(?P<ho>\d+)(?=\s|$)")


@dataclass(frozen=True)
class Address:
    """The parts of an address as read; empty where the text did not give them."""

    sido: str = ""  # canonical: 경기도, 서울특별시 …
    sigungu: str = ""  # without its suffix: 파주, 고양 일산동
    locality: str = ""  # 도로명 (with 번길) or 읍·면 + 동·리
    number: str = ""  # 건물번호 or 번지: 123, 123-4, 산12-3
    building: str = ""  # 아파트 동
    floor: str = ""
    unit: str = ""  # 호
    is_road: bool = False
    raw: str = ""  # the cleaned text, for addresses that could not be read


def clean(text: str) -> str:
    """Full-width forms to ASCII (NFKC), one kind of dash, reference notes in brackets dropped,
    commas as spaces, 제101동 → 101동, letters upper-case, spaces single."""
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    text = _BRACKETS.sub(" ", text)
    text = _SEPARATORS.sub(" ", text).upper()
    text = re.sub(r"\s*-\s*", "-", text)
    text = _UNIT_PREFIX.sub("", text)
    return " ".join(text.split())


def _region(prefix: str) -> tuple[str, str]:
    """시·도 (canonical) and 시·군·구 (suffix dropped) from the words before the road or lot."""
    words = prefix.split()
    sido = ""
    if words:
        for form, name in _SIDO_FORMS:
            head = words[0]
            if head == form:
                sido, words = name, words[1:]
                break
            rest = head[len(form) :]
            if head.startswith(form) and form.endswith(("도", "시")) and _SIGUNGU.match(rest):
                sido, words = name, [rest, *words[1:]]  # 경기도파주시
                break
    parts = []
    for word in words:
        if word.endswith(("읍", "면", "동", "리", "가")) and not _SIGUNGU.match(word):
            continue  # 읍·면·동 of a road-name address: not part of the key
        match = _SIGUNGU.match(word)
        parts.append(match.group("base") if match else word)
    if not parts and sido == "세종특별자치시":
        parts = ["세종"]
    return sido, " ".join(parts)


def _unit(tail: str) -> tuple[str, str, str]:
    building = _BUILDING.search(tail)
    floor = _FLOOR.search(tail)
    ho = _HO.search(tail)
    if building is None and ho is None:
        short = _SHORT_UNIT.search(tail)
        if short is not None:
            return short.group("building"), "", short.group("ho")
    return (
        building.group("building") if building else "",
        "" if ho or floor is None else floor.group("floor").replace(" ", "").replace("지하", "B"),
        ho.group("ho") if ho else "",
    )


def parse_address(text: str) -> Address:
    """Read a Korean address typed any usual way (see the module's docstring)."""
    cleaned = clean(text)
    road = _ROAD.search(cleaned)
    lot = None if road else _LOT.search(cleaned)
    found = road or lot
    if found is None:
        return Address(raw=cleaned)
    sido, sigungu = _region(cleaned[: found.start()])
    number = found.group("main") + (f"-{found.group('sub')}" if found.group("sub") else "")
    if road is not None:
        locality = road.group("road")
        if road.group("branch"):
            locality += road.group("branch") + (
                "번길" if road.group("branch_kind") == "길" else road.group("branch_kind")
            )
    else:
        town = found.group("town")
        locality = f"{town} {found.group('place')}" if town else found.group("place")
        number = ("산" if found.group("san") else "") + number
    building, floor, unit = _unit(cleaned[found.end() :])
    return Address(
        sido=sido,
        sigungu=sigungu,
        locality=locality,
        number=number,
        building=building,
        floor=floor,
        unit=unit,
        is_road=road is not None,
        raw=cleaned,
    )


def household_key(text: str) -> str:
    """What two addresses of one household have in common: the road (or lot), the number and the
    unit. An address that cannot be read keys by its cleaned text without spaces."""
    address = parse_address(text)
    if not address.locality:
        return "?" + address.raw.replace(" ", "")
    kind = "road" if address.is_road else "lot"
    parts = (kind, address.locality, address.number, address.building, address.floor, address.unit)
    return "|".join(parts)
