"""Pure routing rules: text clean-up and masking, input checks, shingles, repeat and campaign tests.

Standard library only (import-linter: "Domain code ... framework-free"). The Korean morpheme
analysis (kiwipiepy) and the statistical model (scikit-learn) sit on top of this in
``routing.text`` and ``routing.classifier``; everything they see has passed ``prepare_text``, so
personal data, numbers and addresses never reach a feature, a stored model or a log line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

__all__ = [
    "MAX_TEXT_CHARS",
    "CampaignFinding",
    "NoSuggestionReason",
    "PreparedText",
    "RepeatEvidence",
    "RepeatFinding",
    "campaign_detect",
    "mask_personal_data",
    "matching_passages",
    "normalise",
    "prepare_text",
    "repeat_assess",
    "shingles",
]

# A complaint longer than this is read from its first MAX_TEXT_CHARS characters: the subject of a
# complaint is in its opening, and the bound keeps a 10 MB paste from costing seconds of analysis.
MAX_TEXT_CHARS = 8000
# Fewer Hangul syllables than this after masking: too little Korean to suggest anything.
MIN_HANGUL_SYLLABLES = 4
# Share of letters that must be Hangul for the text to count as Korean.
MIN_HANGUL_SHARE = 0.3


class NoSuggestionReason(StrEnum):
    """Why no suggestion is made (shown translated in the office; stable in the API)."""

    EMPTY = "empty"
    ONLY_PERSONAL_DATA = "only_personal_data"
    NOT_KOREAN = "not_korean"
    TOO_LITTLE_TEXT = "too_little_text"
    NO_MODEL = "no_model"
    LOW_CONFIDENCE = "low_confidence"


# Placeholders are Latin capitals: Kiwi reads each as one foreign-word token (SL), the character
# n-grams see the same string every time, and no digit of the original survives.
MASK_RRN = "XRRN"
MASK_PHONE = "XPHONE"
MASK_EMAIL = "XEMAIL"
MASK_URL = "XURL"
MASK_ACCOUNT = "XACCOUNT"
MASK_CAR = "XCARNO"
MASK_ADDRESS = "XADDR"
MASK_FILE = "XFILE"
MASK_NUMBER = "XNUM"
MASKS = frozenset(
    {
        MASK_RRN,
        MASK_PHONE,
        MASK_EMAIL,
        MASK_URL,
        MASK_ACCOUNT,
        MASK_CAR,
        MASK_ADDRESS,
        MASK_FILE,
        MASK_NUMBER,
    }
)
PERSONAL_MASKS = frozenset({MASK_RRN, MASK_PHONE, MASK_EMAIL, MASK_ACCOUNT, MASK_CAR, MASK_ADDRESS})

_HANGUL_SYLLABLE = re.compile(r"[가-힣]")
_LETTER = re.compile(r"[^\W\d_]")

# Order matters: the specific patterns run before the generic number rule.
_MASK_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE), MASK_URL),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), MASK_EMAIL),
    # 주민등록번호 / 외국인등록번호: 6 digits, hyphen optional, 7 digits starting 1-8.
    (re.compile(r"(?<!\d)\d{6}\s*-?\s*[1-8]\d{6}(?!\d)"), MASK_RRN),
    # Phone numbers: 010-1234-5678, 02)123-4567, 031.123.4567, 1588-1234, +82 10 ...
    (
        re.compile(
            r"(?<!\d)(?:\+?82[-\s]?)?0\d{1,2}[-.)\s]\s?\d{3,4}[-.\s]\d{4}(?!\d)"
            r"|(?<!\d)01[016789]\d{7,8}(?!\d)|(?<!\d)1[5-9]\d{2}-\d{4}(?!\d)"
        ),
        MASK_PHONE,
    ),
    # Bank accounts and card numbers: three or more hyphenated digit groups, 10+ digits in all.
    (re.compile(r"(?<!\d)\d{2,6}(?:-\d{2,6}){2,4}(?!\d)"), MASK_ACCOUNT),
    # Vehicle registration plates: 12가3456, 123나 4567, 서울12가3456, 인천80바4261.
    (re.compile(r"(?:[가-힣]{2})?(?<!\d)\d{2,3}\s?[가-힣]\s?\d{4}(?!\d)"), MASK_CAR),
    # Road-name addresses (도로명주소): 시청로 50, 하늘별빛로65번길 8-23, 와석순환로 415.
    (
        re.compile(r"[가-힣A-Za-z0-9]+(?:로|길)\s?\d+(?:번길)?\s?\d+(?:-\d+)?(?:\s?번지)?"),
        MASK_ADDRESS,
    ),
    (re.compile(r"[가-힣]+(?:로|길)\s\d+(?:-\d+)?(?!\d)(?=\s|$|[,.)(])"), MASK_ADDRESS),
    # Lot addresses (지번): 전동 25-328 번지, 중산동 1883-1, 아동동 123번지.
    (re.compile(r"[가-힣]+[동리가]\s?\d+(?:-\d+)?\s?(?:번지)?(?![\d가-힣])"), MASK_ADDRESS),
    (re.compile(r"\d+(?:-\d+)?\s?번지"), MASK_ADDRESS),
    # Apartment unit: 101동 1203호.
    (re.compile(r"\d+\s?동\s?\d+\s?호"), MASK_ADDRESS),
    # Attached file names.
    (
        re.compile(
            r"[^\s/\\]+\.(?:jpe?g|png|gif|heic|bmp|pdf|hwpx?|docx?|xlsx?|pptx?|txt|zip|mp[34]|m4a|mov|avi)\b",
            re.IGNORECASE,
        ),
        MASK_FILE,
    ),
    # Every remaining number (dates, amounts, bus numbers): the word next to it stays.
    (re.compile(r"\d+(?:[.,:]\d+)*"), MASK_NUMBER),
)

_REPEAT_RUN = re.compile(r"(.)\1{2,}")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\ufeff]")


def normalise(text: str) -> str:
    """Unicode, jamo and spacing clean-up that keeps the words.

    NFKC folds full-width letters and compatibility forms and composes conjoining jamo into
    syllables; runs of one character ("ㅋㅋㅋㅋ", "!!!!!", "너무너무" stays) shrink to two;
    control and zero-width characters go; whitespace becomes single spaces.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    text = _REPEAT_RUN.sub(r"\1\1", text)
    return _SPACES.sub(" ", text).strip()


def mask_personal_data(text: str) -> tuple[str, dict[str, int]]:
    """Replace personal data, addresses, file names and numbers by placeholders; count each."""
    counts: dict[str, int] = {}
    for pattern, placeholder in _MASK_RULES:

        def _sub(_match: re.Match[str], placeholder: str = placeholder) -> str:
            counts[placeholder] = counts.get(placeholder, 0) + 1
            return f" {placeholder} "

        text = pattern.sub(_sub, text)
    return _SPACES.sub(" ", text).strip(), counts


@dataclass(frozen=True)
class PreparedText:
    """A complaint's text ready for analysis, or the reason it cannot be analysed."""

    text: str
    masked: dict[str, int] = field(default_factory=dict)
    truncated: bool = False
    reason: NoSuggestionReason | None = None

    @property
    def usable(self) -> bool:
        return self.reason is None


def prepare_text(raw: str | None, *, max_chars: int = MAX_TEXT_CHARS) -> PreparedText:
    """Normalise and mask; say why no suggestion can be made when the text is not usable."""
    if raw is None or not raw.strip():
        return PreparedText("", reason=NoSuggestionReason.EMPTY)
    truncated = len(raw) > max_chars * 2
    # Cut before normalising so an enormous input costs no more than a long one.
    text = normalise(raw[: max_chars * 2])
    if len(text) > max_chars:
        text, truncated = text[:max_chars], True
    if not text:
        return PreparedText("", reason=NoSuggestionReason.EMPTY)
    masked_text, counts = mask_personal_data(text)
    rest = masked_text
    for placeholder in MASKS:
        rest = rest.replace(placeholder, " ")
    hangul = len(_HANGUL_SYLLABLE.findall(rest))
    letters = len(_LETTER.findall(rest))
    reason: NoSuggestionReason | None = None
    if hangul < MIN_HANGUL_SYLLABLES:
        if any(counts.get(m) for m in PERSONAL_MASKS) and letters - hangul == 0:
            reason = NoSuggestionReason.ONLY_PERSONAL_DATA
        elif letters - hangul >= MIN_HANGUL_SYLLABLES:
            reason = NoSuggestionReason.NOT_KOREAN
        else:
            reason = NoSuggestionReason.TOO_LITTLE_TEXT
    elif hangul / max(letters, 1) < MIN_HANGUL_SHARE:
        reason = NoSuggestionReason.NOT_KOREAN
    return PreparedText(masked_text, masked=counts, truncated=truncated, reason=reason)


def shingles(text: str, *, size: int = 5) -> set[str]:
    """Character shingles over the masked text without spaces (spacing-insensitive)."""
    compact = _SPACES.sub("", text)
    if len(compact) <= size:
        return {compact} if compact else set()
    return {compact[i : i + size] for i in range(len(compact) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


Passage = tuple[str, bool]  # a stretch of text, and whether the other text has it too
MIN_PASSAGE_CHARS = 8  # shorter common stretches (a word, a particle) are not "matching passages"


def matching_passages(
    a: str, b: str, *, min_chars: int = MIN_PASSAGE_CHARS
) -> tuple[list[Passage], list[Passage]]:
    """Both texts cut into stretches, those the two share (``min_chars`` or longer) marked, for
    reading two near-duplicates side by side. Each list joins back to its text unchanged.

    Linear in the texts' length (every ``min_chars``-gram of one looked up among the other's),
    so two long complaints cost milliseconds, not the seconds a diff would."""

    def grams(text: str) -> set[str]:
        return {text[i : i + min_chars] for i in range(len(text) - min_chars + 1)}

    def cut(text: str, other: set[str]) -> list[Passage]:
        shared = [False] * len(text)
        for i in range(len(text) - min_chars + 1):
            if text[i : i + min_chars] in other:
                shared[i : i + min_chars] = [True] * min_chars
        out: list[Passage] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or shared[i] != shared[start]:
                out.append((text[start:i], shared[start]))
                start = i
        return out

    return cut(a, grams(b)), cut(b, grams(a))


# ---------------------------------------------------------------------------------------------
# 법 제23조: repeated complaints


@dataclass(frozen=True)
class RepeatEvidence:
    """An earlier complaint of the same complainant, as the repeat test sees it."""

    complaint_id: int
    similarity: float
    result_notified: bool
    statutory: bool


@dataclass(frozen=True)
class RepeatFinding:
    similar: tuple[RepeatEvidence, ...]
    notified_count: int
    flagged: bool
    legal_basis: str = "민원 처리에 관한 법률 제23조제1항"


REPEAT_SIMILARITY = 0.5  # shingle Jaccard at or above which two texts are "the same substance"
REPEAT_MIN_NOTICES = 2  # 법 제23조①: 2회 이상 그 처리결과를 통지


def repeat_assess(
    *, statutory: bool, earlier: Iterable[RepeatEvidence], threshold: float = REPEAT_SIMILARITY
) -> RepeatFinding:
    """법 제23조①: same complainant, same substance, after 2+ result notices → flag (never close).

    The rule never applies to 법정민원; the earlier complaints counted must themselves be similar
    and not statutory. The finding lists the evidence; an officer decides (제23조③).
    """
    similar = tuple(
        sorted(
            (e for e in earlier if e.similarity >= threshold and not e.statutory),
            key=lambda e: -e.similarity,
        )
    )
    notified = sum(1 for e in similar if e.result_notified)
    flagged = not statutory and notified >= REPEAT_MIN_NOTICES
    return RepeatFinding(similar=similar, notified_count=notified, flagged=flagged)


# ---------------------------------------------------------------------------------------------
# Campaigns (다수인관련민원 candidates)

CAMPAIGN_SIMILARITY = 0.8  # shingle Jaccard at or above which two texts are "near-identical"
CAMPAIGN_MIN_PEOPLE = 5  # 법 제2조제6호: 5명 이상이 연명 — the same threshold for a suggestion
CAMPAIGN_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class CampaignFinding:
    complaint_ids: tuple[int, ...]
    people: int
    suggested: bool


def campaign_detect(
    *,
    now: datetime,
    members: Sequence[tuple[int, str, datetime]],
    window: timedelta = CAMPAIGN_WINDOW,
    min_people: int = CAMPAIGN_MIN_PEOPLE,
) -> CampaignFinding:
    """Near-identical complaints (id, complainant key, received) from different people in a window.

    Suggest handling them as one 다수인관련민원 once ``min_people`` distinct complainants filed them
    within ``window`` before ``now``.
    """
    recent = [(cid, who) for cid, who, at in members if now - window <= at <= now]
    people = len({who for _, who in recent})
    return CampaignFinding(
        complaint_ids=tuple(sorted(cid for cid, _ in recent)),
        people=people,
        suggested=people >= min_people,
    )
