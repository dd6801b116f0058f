"""The 특이민원 screen: abusive content in a citizen's text, found despite obfuscation (pure).

``screen(text)`` returns a frozen :class:`ScreenResult`: whether the text is abusive, its
categories (욕설 profanity, 모욕 insult, 협박 threat, 자해 self-harm, 성희롱 sexual harassment,
차별 discrimination), the overall severity (low < medium < high < urgent; a threat of harm to
anyone, officers or the writer, is urgent) and the matched spans as offsets into the ORIGINAL text
with the matched text masked (first letter + ●).

How it reads (docs/protection.md): the text is folded character by character into a *view* that
keeps, for every view character, the span of original characters it came from. The folding
undoes common obfuscation: compatibility forms (NFKC per character), look-alike Latin letters and
digits (``ㅅl발``, ``씨8``, ``개새77``), symbols and digits inside words (``시1발``, ``ㅅ.ㅂ``),
words spaced out letter by letter (``씨 발 놈``), jamo-split words (``ㅅㅣㅂㅏㄹ``, decomposed NFD
text; recomposed by :func:`compose_jamo`), repeated and stretched letters (``씨이이발``, ``바알``)
and text typed on a Latin keyboard layout (``tlqkf``). Rules (a small hand-written lexicon and
constructions for threats and self-harm) run on the view; a false-friend list and context rules
keep ordinary complaint words (시발점, 개소리 of a barking dog, 소리 좀 죽여 주세요 …) out.

Everything here is the standard library: an optional ``morphemes`` callable (lemma, start, end
in the screened text) lets a caller add a morpheme analyser without this module importing one.
The lexicon and rules are written from general knowledge of Korean; no labelled abuse or
hate-speech data set was used to write or tune them (issue 16).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "MAX_SCREEN_CHARS",
    "SCREEN_VERSION",
    "Category",
    "MorphemeFn",
    "ScreenResult",
    "Severity",
    "Source",
    "Span",
    "compose_jamo",
    "mask",
    "mask_spans",
    "screen",
    "severity_at_least",
    "text_digest",
]

# Work is capped: a longer text is screened on its first MAX_SCREEN_CHARS characters
# (``truncated`` says so). Complaints are far shorter; the cap keeps a pasted book cheap.
MAX_SCREEN_CHARS = 20_000

MASK_CHAR = "●"


class Category(StrEnum):
    PROFANITY = "profanity"  # 욕설
    INSULT = "insult"  # 모욕
    THREAT = "threat"  # 협박 (harm to officers or others)
    SELF_HARM = "self_harm"  # 자해·자살 위협
    SEXUAL_HARASSMENT = "sexual_harassment"  # 성희롱
    DISCRIMINATION = "discrimination"  # 차별·혐오 표현


class Severity(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self)


_SEVERITY_ORDER = [Severity.NONE, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.URGENT]

# (lemma, start, end): a morpheme's dictionary form and its offsets in the screened text.
MorphemeFn = Callable[[str], Iterable[tuple[str, int, int]]]


@dataclass(frozen=True)
class Span:
    """One finding: ``text[start:end]`` of the original text is ``masked`` when shown."""

    category: Category
    severity: Severity
    start: int
    end: int
    masked: str
    rule: str  # the kind of rule: lexicon, initials, keyboard, construction, morpheme

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "masked": self.masked,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class ScreenResult:
    abusive: bool
    categories: tuple[Category, ...]
    severity: Severity
    spans: tuple[Span, ...]
    truncated: bool = False
    # Why nothing could be screened ("not_text", "empty"); None when the text was read.
    reason: str | None = None

    @property
    def urgent(self) -> bool:
        return self.severity is Severity.URGENT

    def as_dict(self) -> dict[str, Any]:
        return {
            "abusive": self.abusive,
            "categories": [c.value for c in self.categories],
            "severity": self.severity.value,
            "spans": [s.as_dict() for s in self.spans],
            "truncated": self.truncated,
            "reason": self.reason,
        }


def mask(original: str) -> str:
    """First letter kept, every other non-space character ●: ``씨발놈`` → ``씨●●`` (NFC first)."""
    out: list[str] = []
    first = True
    for ch in unicodedata.normalize("NFC", original):
        if ch.isspace():
            out.append(ch)
        elif first:
            out.append(ch)
            first = False
        else:
            out.append(MASK_CHAR)
    return "".join(out)


# --- Hangul letters ----------------------------------------------------------------------------

_SBASE, _LCOUNT, _VCOUNT, _TCOUNT = 0xAC00, 19, 21, 28
_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONGSEONG = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
_VOWEL_PAIRS = {
    ("ㅗ", "ㅏ"): "ㅘ",
    ("ㅗ", "ㅐ"): "ㅙ",
    ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ",
    ("ㅜ", "ㅣ"): "ㅟ",
    ("ㅡ", "ㅣ"): "ㅢ",
}
# Conjoining jamo (U+1100…, what NFD text holds) → compatibility jamo (U+3131…).
_CONJ_L = {0x1100 + i: c for i, c in enumerate(_CHOSEONG)}
_CONJ_V = {0x1161 + i: c for i, c in enumerate(_JUNGSEONG)}
_CONJ_T = {0x11A8 + i: c for i, c in enumerate(_JONGSEONG[1:])}
_CONJ = {**_CONJ_L, **_CONJ_V, **_CONJ_T}


def _is_syllable(ch: str) -> bool:
    return len(ch) == 1 and 0xAC00 <= ord(ch) <= 0xD7A3


def _is_consonant(ch: str) -> bool:
    return len(ch) == 1 and 0x3131 <= ord(ch) <= 0x314E


def _is_vowel(ch: str) -> bool:
    return len(ch) == 1 and 0x314F <= ord(ch) <= 0x3163


def _is_hangul(ch: str) -> bool:
    return _is_syllable(ch) or _is_consonant(ch) or _is_vowel(ch)


def _split(ch: str) -> tuple[int, int, int]:
    code = ord(ch) - _SBASE
    return code // (_VCOUNT * _TCOUNT), (code // _TCOUNT) % _VCOUNT, code % _TCOUNT


def _join(lead: int, vowel: int, tail: int = 0) -> str:
    return chr(_SBASE + (lead * _VCOUNT + vowel) * _TCOUNT + tail)


# A view: characters, each with the [start, end) span of original characters it stands for.
_View = list[tuple[str, int, int]]


def compose_jamo(view: _View) -> _View:
    """Recompose compatibility jamo into syllables: ``ㅅㅣㅂㅏㄹ`` → ``시발``, ``시바ㄹ`` too.

    A consonant followed by a vowel starts a syllable; a consonant after a syllable without a
    final consonant, and not itself followed by a vowel, becomes its final. Consonants that do not
    join (``ㅅㅂ``) are left as they are: 초성-only words are matched on their own.
    """
    out: _View = []
    i, n = 0, len(view)
    while i < n:
        ch, s, e = view[i]
        nxt = view[i + 1][0] if i + 1 < n else ""
        if ch in _CHOSEONG and nxt and _is_vowel(nxt):
            vowel, end = nxt, view[i + 1][2]
            j = i + 2
            if j < n and (vowel, view[j][0]) in _VOWEL_PAIRS:
                vowel, end = _VOWEL_PAIRS[(vowel, view[j][0])], view[j][2]
                j += 1
            lead, vow, tail = _CHOSEONG.index(ch), _JUNGSEONG.index(vowel), 0
            if j < n and view[j][0] in _JONGSEONG[1:]:
                after = view[j + 1][0] if j + 1 < n else ""
                if not _is_vowel(after):
                    tail, end = _JONGSEONG.index(view[j][0]), view[j][2]
                    j += 1
            out.append((_join(lead, vow, tail), s, end))
            i = j
            continue
        if (
            _is_consonant(ch)
            and out
            and _is_syllable(out[-1][0])
            and _split(out[-1][0])[2] == 0
            and ch in _JONGSEONG[1:]
            and not (nxt and _is_vowel(nxt))
            and out[-1][2] == s  # written right after it
        ):
            lead, vow, _ = _split(out[-1][0])
            out[-1] = (_join(lead, vow, _JONGSEONG.index(ch)), out[-1][1], e)
            i += 1
            continue
        out.append((ch, s, e))
        i += 1
    return out


# --- Folding the text into the view -------------------------------------------------------------

# Latin letters and digits that stand for Hangul letters next to Hangul (regex over the view).
_LOOKALIKES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<=[ㄱ-ㅎ])[l1|!i]"), "ㅣ"),  # ㅅl발, ㅆ1발
    (re.compile(r"(?<![a-z])c(?=[발빨벌바팔ㅂ8])"), "씨"),  # c발
    (re.compile(r"(?<=[씨ㅆ])8"), "발"),  # 씨8
    (re.compile(r"(?<![0-9])18(?=\s?(놈|새|색|년아|것|아))"), "씨발"),  # 18놈
    (re.compile(r"(?<=[새색섀쉐])77"), "끼"),  # 개새77
    (re.compile(r"(?<=[개])ㅅ[ㄲ77]"), "새끼"),  # 개ㅅㄲ
    (re.compile(r"[開改](?=[새색섀쉐])"), "개"),  # 開새끼: a Hanja read 개
]

# Dubeolsik (2-set) keyboard: Latin typed with the Korean layout off (``tlqkf`` = 시발).
_KEYBOARD = dict(
    zip(
        "rRseEfaqQtTdwWczxvgkoiOjpuPhynbml",
        "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ",
        strict=True,
    )
)
_KEYBOARD_PAIRS = {
    "hk": "ㅘ",
    "ho": "ㅙ",
    "hl": "ㅚ",
    "nj": "ㅝ",
    "np": "ㅞ",
    "nl": "ㅟ",
    "ml": "ㅢ",
}

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def _fold(text: str) -> _View:
    """Per character: NFKC, conjoining jamo → compatibility jamo, Latin lower-cased."""
    view: _View = []
    for i, ch in enumerate(text):
        if ch in _ZERO_WIDTH:
            continue
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3 or 0x3131 <= code <= 0x3163:  # syllables and jamo: as they are
            view.append((ch, i, i + 1))
            continue
        if code in _CONJ:
            view.append((_CONJ[code], i, i + 1))
            continue
        folded = unicodedata.normalize("NFKC", ch) if code > 0x7F else ch
        for f in folded:
            c = ord(f)
            view.append((_CONJ.get(c, f.lower()), i, i + 1))
    return view


def _substitute(view: _View, pattern: re.Pattern[str], repl: str, s: str | None = None) -> _View:
    s = "".join(c for c, _, _ in view) if s is None else s
    out: _View = []
    last = 0
    for m in pattern.finditer(s):
        if m.start() == m.end():
            continue
        out.extend(view[last : m.start()])
        start, end = view[m.start()][1], view[m.end() - 1][2]
        out.extend((r, start, end) for r in repl)
        last = m.end()
    out.extend(view[last:])
    return out


def _is_filler(ch: str) -> bool:
    """Symbols, punctuation, digits and marks a word can be padded with (not letters, not space)."""
    if ch.isspace() or _is_hangul(ch):
        return False
    return not (ch.isalpha() and not ch.isdigit())


def _drop_fillers(view: _View) -> _View:
    """``시1발``, ``ㅅ.ㅂ``, ``씨~~발``: up to 3 fillers between two Hangul letters go."""
    out: _View = []
    i, n = 0, len(view)
    while i < n:
        ch = view[i][0]
        if _is_filler(ch) and out and _is_hangul(out[-1][0]):
            j = i
            while j < n and _is_filler(view[j][0]):
                j += 1
            if j < n and _is_hangul(view[j][0]) and j - i <= 3:
                i = j
                continue
        out.append(view[i])
        i += 1
    return out


def _single_letter(token: _View) -> bool:
    return len(token) == 1 and _is_hangul(token[0][0])


_SPLIT_OFF = {"씨발", "씨팔", "씨바", "씨벌", "븅신", "빙신", "지랄", "존나", "좆같"}


def _join_spaced_letters(view: _View) -> _View:
    """``씨 발 놈``, ``ㅅ ㅣ ㅂ ㅏ ㄹ``: a run of two or more one-letter words becomes one word."""
    tokens: list[_View] = []
    spaces: list[_View] = []
    current: _View = []
    gap: _View = []
    for item in view:
        if item[0].isspace():
            if current:
                tokens.append(current)
                spaces.append(gap)
                current, gap = [], []
            gap.append(item)
        else:
            current.append(item)
    if current:
        tokens.append(current)
        spaces.append(gap)
        gap = []
    trailing = gap
    out: _View = []
    for k, token in enumerate(tokens):
        near = k > 0 and all(c == " " for c, _, _ in spaces[k]) and len(spaces[k]) <= 2
        glue = near and (
            (_single_letter(token) and _single_letter(tokens[k - 1]))
            # 씨 발놈아: one letter split off an unambiguous word (not 시 발생, 병 신고, 개 새끼)
            or (_single_letter(tokens[k - 1]) and tokens[k - 1][0][0] + token[0][0] in _SPLIT_OFF)
        )
        if not glue:
            out.extend(spaces[k])
        out.extend(token)
    out.extend(trailing)
    return out


def _collapse(view: _View) -> _View:
    """Repeated letters (``씨발발``) and stretched syllables (``씨이이발``, ``바알``) fold."""
    out: _View = []
    for ch, s, e in view:
        if out and ch == out[-1][0] and (_is_hangul(ch)):
            out[-1] = (ch, out[-1][1], e)
            continue
        # Only a syllable that starts with ㅇ can be a stretch (lead index 11: 588 = 21 × 28).
        if (
            out
            and _is_syllable(ch)
            and (ord(ch) - _SBASE) // 588 == 11
            and _is_syllable(out[-1][0])
        ):
            lead, vowel, tail = _split(ch)
            plead, pvowel, ptail = _split(out[-1][0])
            if lead == _CHOSEONG.index("ㅇ") and vowel == pvowel and ptail == 0:
                # 이 after 씨 (same vowel): a stretch; 알 after 바: the stretch carries the final.
                out[-1] = (_join(plead, pvowel, tail), out[-1][1], e)
                continue
        out.append((ch, s, e))
    return out


# Quick checks that let a step be skipped when it would change nothing (most complaints).
_NEEDS_FOLD = re.compile(r"[^\x00-\x7f\uac00-\ud7a3\u3131-\u3163]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_HANGUL = "가-힣ㄱ-ㅣ"
_NEEDS_FILLERS = re.compile(f"[{_HANGUL}][^\\s{_HANGUL}a-zA-Z]{{1,3}}[{_HANGUL}]")
_NEEDS_JOIN = re.compile(
    f"(?<!\\S)[{_HANGUL}] {{1,2}}[{_HANGUL}](?!\\S)"
    "|(?<!\\S)[씨븅빙지존좆] {1,2}[발팔바벌신랄나같]"
)
_NEEDS_COMPOSE = re.compile("[ㄱ-ㅣ]")
_NEEDS_COLLAPSE = re.compile(
    f"([{_HANGUL}])\\1|"
    + "|".join(
        "["
        + "".join(_join(lead, v) for lead in range(_LCOUNT))
        + "]"
        + f"[{_join(11, v)}-{_join(11, v, _TCOUNT - 1)}]"
        for v in range(_VCOUNT)
    )
)


def _view_of(text: str) -> _View:
    if _NEEDS_FOLD.search(text):
        view = _fold(text)
    else:
        view = [(c, i, i + 1) for i, c in enumerate(text.translate(_ASCII_LOWER))]
    s = "".join(c for c, _, _ in view)
    for pattern, repl in _LOOKALIKES:
        if pattern.search(s):
            view = _substitute(view, pattern, repl, s)
            s = "".join(c for c, _, _ in view)
    if _NEEDS_FILLERS.search(s):
        view = _drop_fillers(view)
        s = "".join(c for c, _, _ in view)
    if _NEEDS_JOIN.search(s):
        view = _join_spaced_letters(view)
        s = "".join(c for c, _, _ in view)
    if _NEEDS_COMPOSE.search(s):
        view = compose_jamo(view)
        s = "".join(c for c, _, _ in view)
    return _collapse(view) if _NEEDS_COLLAPSE.search(s) else view


def _keyboard_views(text: str) -> list[tuple[str, int, int]]:
    """Runs of 3+ Latin letters read as if typed on the Korean 2-set layout, with their offsets."""
    out: list[tuple[str, int, int]] = []
    for m in re.finditer(r"[A-Za-z]{3,24}", text):
        run = m.group()
        jamo: _View = []
        k = 0
        while k < len(run):
            pair = run[k : k + 2]
            if pair in _KEYBOARD_PAIRS:
                jamo.append((_KEYBOARD_PAIRS[pair], k, k + 2))
                k += 2
                continue
            letter = _KEYBOARD.get(run[k]) or _KEYBOARD.get(run[k].lower())
            if letter is None:
                break
            jamo.append((letter, k, k + 1))
            k += 1
        else:
            composed = "".join(c for c, _, _ in compose_jamo(jamo))
            if all(_is_syllable(c) for c in composed):
                out.append((composed, m.start(), m.end()))
    return out


# --- The rules ----------------------------------------------------------------------------------

_P, _I, _T, _SH, _SX, _D = (
    Category.PROFANITY,
    Category.INSULT,
    Category.THREAT,
    Category.SELF_HARM,
    Category.SEXUAL_HARASSMENT,
    Category.DISCRIMINATION,
)
_LOW, _MED, _HIGH, _URG = Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.URGENT

_S = r"\s?"  # an optional space between the parts of a construction
_PEOPLE_SUFFIX = r"(?:놈|년|새끼|새기|색기|것|인간|자식|넘|뇬)"


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    category: Category
    severity: Severity
    kind: str
    # The rule does not apply when this matches the view text just before the match.
    not_after: re.Pattern[str] | None = None
    # … nor when this matches the rest of the sentence after it.
    not_before: re.Pattern[str] | None = None


def _rule(
    pattern: str,
    category: Category,
    severity: Severity,
    kind: str = "lexicon",
    not_after: str | None = None,
    not_before: str | None = None,
) -> _Rule:
    return _Rule(
        re.compile(pattern),
        category,
        severity,
        kind,
        re.compile(not_after + r"\s?$") if not_after else None,
        re.compile(r"^[^.!?\n]*?" + not_before) if not_before else None,
    )


# Things one "kills" in an ordinary complaint: 소리 좀 죽여 주세요, 잡초를 죽여 버려야.
_NOT_A_TARGET = (
    r"(?:소리|음악|볼륨|음량|숨|기|시간|잡초|나무|풀|벌레|모기|해충|바퀴벌레|쥐|엔진|시동|속도|냄새|세균|균)"
    r"\s?(?:을|를|이|가|도|좀|까지|들을|들)?\s?(?:다\s?)?(?:좀\s?)?"
)
# … and warnings of danger: 이러다 사람 죽이겠어요.
# Things one "kills" or "burns" in an ordinary complaint: 소리 좀 죽여 주세요, 잡초를 죽인다.
_NOT_A_PERSON = (
    r"(?:소리|음악|볼륨|음량|숨|기|시간|잡초|나무|풀|벌레|모기|해충|바퀴벌레|쥐|불|엔진|시동|속도|"
    r"냄새|세균|균|비둘기|고양이|길고양이|강아지|개|사람|애|아이|애들|아이들|보행자|학생|노인|"
    r"이러다가?|이러다간|이러다가는)"
    r"\s?(?:을|를|이|가|도|좀|까지|들을|들)?\s?(?:다\s?)?(?:좀\s?)?"
)
_HYPERBOLE = (
    r"(?:이러다가?|이러다간|이러다가는|(?:더워|더워서|추워|추워서|시끄러워|시끄러워서|힘들어|힘들어서|"
    r"답답해|답답해서|배고파|배고파서|짜증나서|무서워서|냄새\s?때문에|소음\s?때문에))"
)
_ANIMAL = (
    r"(?:고양이|길고양이|냥이|강아지|개|쥐|새|오리|너구리|비둘기|곰|돼지|뱀)\s?(?:가|의|들|이)?"
)

_RULES: list[_Rule] = [
    # 욕설 (profanity)
    _rule(
        r"씌발|씌팔|쒸팔|쓉|씨발|씨빨|씨팔|씨벌|씨바|씨부랄|씨불|씨부리|쓰벌|쒸발|슈발|ㅆ발|"
        r"(?<![가-힣])(?:시발|시팔|시벌)",
        _P,
        _MED,
    ),
    _rule(r"씹(?:새|새끼|년|놈|할|창|같|덕|질)|좆|좃(?:같|나|까|밥)|ㅈ같", _P, _MED),
    _rule(r"존나|존내|조낸|졸라\s?(?=짜증|빡|열받|싫|어이)", _P, _LOW),
    _rule(
        r"개(?:새끼|새기|색기|색끼|색히|세끼|섀끼|시키|쉐끼|쌔끼|새|같은|같네|같다|지랄|쓰레기|년|놈)",
        _P,
        _MED,
    ),
    _rule(
        r"(?<![가-힣])(?:이|저|이런|저런|미친|씹|썅)\s?(?:새끼|새기|색기|색끼|세끼|섀끼|쉐끼)(?!\s?"
        + _ANIMAL
        + ")",
        _P,
        _MED,
        not_after=_ANIMAL,
    ),
    _rule(r"(?:새끼|색기|섀끼|쉐끼)(?:야|들아|냐)", _P, _MED, not_after=_ANIMAL),
    _rule(
        r"지랄|(?<![전장])염병|옘병|엠창|썅|쌍년|쌍놈|씨댕|니미럴|니기미|우라질|제기랄|빌어먹을",
        _P,
        _MED,
    ),
    _rule(r"엿\s?(?:이나\s?)?먹어|뒈져|뒈지|뒤져라|뒤질래|디질래|디져라", _P, _MED),
    # 모욕 (insult)
    _rule(
        r"병신|븅신|빙신|병쉰|븅딱|등신|머저리|찐따|또라이|돌아이|똘아이|얼간이|버러지|저능아",
        _I,
        _MED,
    ),
    _rule(r"미친\s?" + _PEOPLE_SUFFIX + r"|미친\s?개|미쳤냐|돌았냐|돌았나|미쳤나\s?봐", _I, _MED),
    _rule(
        r"(?:멍청한|무식한|한심한|쓰레기\s?같은|개\s?같은|거지\s?같은|더러운)\s?" + _PEOPLE_SUFFIX,
        _I,
        _MED,
    ),
    _rule(
        r"(?:공무원|담당자|주무관|직원|너네|니네|너희|니들|늬들|느그|이놈|저놈)\s?"
        r"(?:새끼|새기|색기|것들|놈들|년들|놈)",
        _I,
        _MED,
    ),
    _rule(r"대가리\s?(?:박|깨|빠가|굴려|텅)|(?:니|네|너|니네)\s?대가리|빨갱이", _I, _MED),
    _rule(
        r"멍청이|인간\s?쓰레기|개돼지|돌대가리|빠가야로|호로\s?(?:새끼|자식|놈)|후레\s?자식|호래자식",
        _I,
        _MED,
    ),
    _rule(
        r"(?<![부이])닥(?:쳐|치라|치고)(?!\s?(?:오|올|온|왔|옵))|아가리|주둥이\s?(?:닥|다물|찢)|입\s?닥",
        _I,
        _LOW,
    ),
    # 패드립: insulting someone's parents
    _rule(
        r"니애미|느금마|느그\s?(?:엄마|애미)|니\s?(?:애미|애비|에미|에비)|느개비|"
        r"(?:애미|애비|에미|부모)\s?(?:없는|뒤진|죽은|창)",
        _I,
        _HIGH,
    ),
    # 협박 (threats of harm to others): urgent
    _rule(
        r"(?:죽여|찔러|쑤셔|묻어|밟아|쏴|패)\s?(?:버리|버릴|버린|버려|줄까|줄게|줄\s?거|주마)",
        _T,
        _URG,
        "construction",
        _NOT_A_TARGET,
    ),
    _rule(
        r"죽(?:여야\s?(?:돼|된다|해|한다|겠)|이겠|일\s?거|일\s?꺼|일\s?테|인다|일\s?줄|일\s?게|일\s?수도|여\s?놓겠|여야겠|여\s?버)",
        _T,
        _URG,
        "construction",
        _NOT_A_PERSON,
    ),
    _rule(
        r"(?:때려|패)\s?죽|쏴\s?죽|칼\s?(?:로|으로)\s?(?:찌르|찔러|쑤셔|죽)|목\s?(?:을\s?)?(?:따|졸라|조르)겠|모가지\s?(?:를\s?)?(?:비틀|따|꺾)",
        _T,
        _URG,
        "construction",
    ),
    _rule(
        r"(?:칼|흉기|망치|도끼|총|낫|휘발유|시너|염산|폭탄|야구\s?방망이|가스통)\s?(?:을|를|이라도|라도)?\s?"
        r"(?:들고|가지고|갖고|챙겨|품고|사서|사\s?가지고)\s?(?:가|갈|간다|찾아|갑니다|들어|오|온다|와)",
        _T,
        _URG,
        "construction",
    ),
    _rule(
        r"불\s?(?:을|이라도)?\s?(?:질러\s?(?:버리|버릴|버린|줄|주겠|놓겠|놓을|놓는다)|지르겠|지를\s?(?:거|꺼|테|것|까|게)|지른다|싸지르)"
        r"|불태워\s?(?:버리|버릴|줄)|불태우겠",
        _T,
        _URG,
        "construction",
    ),
    _rule(
        r"(?:폭파|테러)\s?(?:하겠|할\s?(?:거|꺼|것|테|게)|한다|시키겠|시켜\s?버(?:리|린|릴)|해\s?버(?:리|린|릴))|폭탄\s?(?:을\s?)?(?:설치|터뜨|던지)",
        _T,
        _URG,
        "construction",
    ),
    _rule(
        r"(?:강간|성폭행)\s?(?:하겠|할\s?(?:거|꺼|테|게)|해\s?버리|해버|해\s?줄)",
        _T,
        _URG,
        "construction",
    ),
    _rule(
        r"죽고\s?싶(?:냐|나|어\?|으면|니)|죽을\s?줄\s?알아|제삿날|쥐도\s?새도\s?모르게|명줄",
        _T,
        _URG,
        "construction",
    ),
    _rule(
        r"찾아가(?:서|겠|ㄹ게|갈게|서라도|면)?[^.!?\n]{0,20}?(?:죽|패|칼|찌르|찔러|박살|불\s?질러)",
        _T,
        _URG,
        "construction",
    ),
    # Intimidation without a named harm: high.
    _rule(
        r"가만\s?(?:두지|안\s?두|안\s?둘|안\s?둬|안\s?놔|놔두지|두나\s?봐라)|두고\s?(?:봐라|보자|봐\s?라|보라)|"
        r"밤길\s?조심|뒤통수\s?조심|몸\s?조심\s?(?:해라|하라|하는\s?게\s?좋을|해야\s?할\s?거)|각오\s?(?:해|하라|들\s?해)|박살\s?(?:내|낸|낼)",
        _T,
        _HIGH,
        "construction",
        # 가만두지 않겠습니다, 법적 대응: announcing legal action is a right, not a threat.
        not_before=r"(?:법적|법으로|고소|고발|소송|신고|감사|언론|국민신문고|권익위|행정심판|민원)",
    ),
    _rule(
        r"(?:니|너|네|당신|담당자)\s?(?:의\s?)?(?:얼굴|이름|차|번호판|사진)\s?(?:을|를|다|똑똑히)?\s?"
        r"(?:기억|외워|외웠|알아\s?뒀)|퇴근\s?(?:길|할\s?때|하고)\s?(?:에\s?)?(?:보자|조심|기다리|기다린다)|"
        r"(?:밖에서|밖으로\s?나와|나와서)\s?(?:보자|한\s?판)|맞고\s?싶(?:냐|어|나|니)|맞아야\s?(?:정신|알|돼)|"
        r"처맞|(?:한\s?대|한대)\s?(?:치|칠|때리|갈기|맞)",
        _T,
        _HIGH,
        "construction",
    ),
    _rule(
        r"(?:칼|총|주먹|몽둥이|망치)\s?(?:에|으로|로|을|를)?\s?(?:맞고|한\s?방\s?맞고|찔리고)\s?싶|"
        r"(?:너|넌|너네|니네|너희|니들|느그|당신|담당자)\s?(?:들\s?)?(?:은|는|이|도)?\s?(?:다\s?)?"
        r"죽었(?:어|다|다고|어요|다는|다고\s?생각)",
        _T,
        _URG,
        "construction",
    ),
    _rule(
        r"(?:집|주소|애들|가족|자식|딸|아들|와이프|남편)\s?(?:을|를|이|도|까지)?\s?"
        r"(?:알아냈|알아낼|알고\s?있|찾아가|찾아간|찾아갈|찾아온|다\s?알아)",
        _T,
        _HIGH,
        "construction",
    ),
    # 자해·자살 위협 (self-harm): urgent
    _rule(
        r"자살\s?(?:하겠|할\s?(?:거|꺼|것|테|겁|래|게)|한다|해\s?버리|해버|하러|합니다|하고\s?말)|"
        r"목숨\s?(?:을|이라도)?\s?(?:끊|버리|내놓)|목\s?(?:을\s?)?(?:매달|매겠|맬|매러|맨다)|"
        r"뛰어\s?내(?:리겠|릴|린다|리려|리고\s?말|립니다|릴게|려\s?버리)|"
        r"(?:투신|분신|음독)\s?(?:하겠|할|한다|하러|해\s?버리|합니다)|유서\s?(?:를\s?)?(?:쓰|써|남기)|"
        r"세상\s?(?:을\s?)?(?:뜨겠|하직하)|"
        r"(?:농약|수면제|제초제|락스|청산가리)\s?(?:을|를)?\s?(?:먹고|마시고|털어\s?넣고)\s?(?:죽|자살|확)|"
        r"번개탄\s?(?:을|를)?\s?(?:피우|피워|피울)",
        _SH,
        _URG,
        "construction",
    ),
    # The same with 죽다, unless it is a figure of speech (더워서 죽을 거예요, 이러다 죽겠다고).
    _rule(
        r"죽어\s?(?:버리|버릴|버린|버려|줄|주겠|주마)(?!\s?(?:것|거|듯)\s?같)|콱\s?죽어|확\s?죽어|죽고\s?말겠|죽겠다고|"
        r"죽을\s?(?:거|꺼|겁|테니|래)(?!\s?(?:같|처럼))",
        _SH,
        _URG,
        "construction",
        _HYPERBOLE,
    ),
    _rule(r"죽고\s?싶(?:다|어요|어|네|습니다)|살고\s?싶지\s?않", _SH, _HIGH, "construction"),
    # 성희롱 (sexual harassment)
    _rule(
        r"따먹|꼴려|꼴리|꼴린|젖꼭지|젖통|떡\s?치|섹스|쎅스|보지\s?(?:년|털|빨|구멍)|자지\s?(?:빨|털|만|세우)|"
        r"성노리개|창녀|창년|걸레\s?(?:같은|년)|몸\s?(?:대줘|대주|팔아)|한\s?번\s?(?:대줘|주라|줄래|자자)|"
        r"(?:같이|너랑|당신이랑|언니랑|아가씨랑|주무관이랑|너하고)\s?(?:자고\s?싶|자자|잘래|모텔)|모텔\s?(?:가자|갈래)",
        _SX,
        _HIGH,
        not_after=r"(?:열매|감|사과|과일|복숭아|밤|은행|앵두|딸기|포도|매실|살구|대추|나물|버섯|점수|메달)\s?(?:를|을)?",
    ),
    _rule(
        r"가슴\s?(?:이|을|좀)?\s?(?:만지|만져|주물|빨|보여|크네|크다|커서)|엉덩이\s?(?:를|좀)?\s?(?:만지|만져|주물|토닥)|"
        r"몸매\s?(?:가|좀)?\s?(?:좋|죽|쩔|예쁘|이쁘|섹)|섹시|야동|"
        r"목소리\s?(?:가|가\s?참)?\s?(?:예쁘|이쁘|섹시|귀엽|야하|좋네|좋은데)|"
        r"(?:아가씨|여직원|언니|자기야|이쁜이)\s?[^.!?\n]{0,15}?(?:몇\s?살|애인|남자\s?친구|남친|결혼했|"
        r"오늘\s?밤|나랑\s?(?:놀|만나|데이트|술)|만나자|데이트)",
        _SX,
        _MED,
    ),
    # 차별 (discriminatory abuse)
    _rule(
        r"짱깨|짱개|쪽발이|쪽바리|깜둥이|깜댕이|똥남아|짱꼴라|조센징|전라디언|개쌍도|틀딱|한남충|김치녀|된장녀|"
        r"(?:맘|급식|노인|한남|똥꼬|흑|일베|메갈)충|홍어\s?(?:새끼|놈|년|들|족|같은)|절름발이|앉은뱅이|"
        r"애자\s?(?:새끼|같은)|게이\s?(?:새끼|놈|같은)|호모\s?(?:새끼|놈)|계집년",
        _D,
        _HIGH,
    ),
    _rule(
        r"(?:여자|여자애|여자들|아줌마|여직원|장애인|외국인|흑인|중국인|조선족|이주민|다문화|난민|노인|늙은이|"
        r"전라도|경상도|동성애자)\s?(?:주제에|주제|따위|새끼|놈|년|것들|놈들|년들|벌레|쓰레기)",
        _D,
        _HIGH,
    ),
]

# 초성-only words, matched inside a run made only of consonant letters.
_INITIALS: list[tuple[str, Category, Severity]] = [
    ("ㅆㅂ", _P, _MED),
    ("ㅅㅂ", _P, _MED),
    ("ㅂㅅ", _I, _MED),
    ("ㅄ", _I, _MED),
    ("ㅈㄹ", _P, _MED),
    ("ㅁㅊ", _I, _MED),
    ("ㄱㅅㄲ", _P, _MED),
    ("ㅅㄲ", _P, _MED),
    ("ㅈㄴ", _P, _LOW),
    ("ㄲㅈ", _I, _LOW),
    ("ㄷㅊ", _I, _LOW),
]
_CONSONANT_RUN = re.compile(r"[ㄱ-ㅎ]{2,8}")

# Ordinary words that contain a listed word; a lexicon match inside one of these is not abuse.
FALSE_FRIENDS = re.compile(
    r"시발(?:점|역|택시|\s?(?:시간|시각|버스|차|정류장|노선|열차|운행|지점|시점|역에서|부터))|첫차\s?시발|"
    r"시바견|시바\s?이누|씨바이오|"
    r"등신대|등신상|등신불|[팔칠구]등신|병신년\s?(?:도|에|생|새해|부터|이)|지랄탄|"
    r"뛰어\s?내릴\s?(?:위험|수\s?있|우려|뻔|까\s?봐|정도)|미친\s?것\s?같|"
    r"개새(?:벽|롭|로|해|우|집|장|떼)|개같이\s?벌어|개\s?같은\s?소리|"
    r"좆(?:같이)?\s?(?:기업)|"
    r"미친\s?(?:듯|듯이|척|영향)|"
    r"(?:고양이|강아지|새|오리|동물|짐승)\s?(?:가|의)?\s?새끼|개(?:\s|\s?(?:가|의)\s?)새끼|새끼\s?(?:고양이|강아지|오리|새|곰|돼지|쥐|뱀|너구리|냥이)|"
    r"닥치는\s?대로|아가리\s?(?:가\s?)?(?:넓|좁)|"
    r"자위대|자위권|"
    r"(?:과일|열매|감|사과|밤)\s?(?:을|를)?\s?따먹"
)


def _spans_of(
    view: _View, start: int, end: int, text: str, category: Category, severity: Severity, kind: str
) -> Span:
    s, e = view[start][1], view[end - 1][2]
    return Span(category, severity, s, e, mask(text[s:e]), kind)


def _overall(spans: list[Span]) -> Severity:
    severity = max((s.severity for s in spans), key=lambda v: v.rank, default=Severity.NONE)
    abuse = [s for s in spans if s.category in (Category.PROFANITY, Category.INSULT)]
    if len(abuse) >= 3 and severity.rank < Severity.HIGH.rank:
        severity = Severity.HIGH  # 반복적·지속적 욕설 (영 제4조제8호가목)
    return severity


def _clean(reason: str | None = None, *, truncated: bool = False) -> ScreenResult:
    return ScreenResult(False, (), Severity.NONE, (), truncated=truncated, reason=reason)


_MORPHEME_RULES: dict[str, tuple[Category, Severity]] = {
    "닥치다": (_I, _LOW),
    "뒈지다": (_P, _MED),
    "처먹다": (_I, _LOW),
}


def screen(text: object, *, morphemes: MorphemeFn | None = None) -> ScreenResult:
    """Screen one citizen text. Never raises on bad input: a non-string or empty text is clean."""
    if not isinstance(text, str):
        return _clean("not_text")
    truncated = len(text) > MAX_SCREEN_CHARS
    if truncated:
        text = text[:MAX_SCREEN_CHARS]
    if not text.strip():
        return _clean("empty")
    view = _view_of(text)
    s = "".join(c for c, _, _ in view)
    friends = [(m.start(), m.end()) for m in FALSE_FRIENDS.finditer(s)]
    found: list[Span] = []
    for rule in _RULES:
        for m in rule.pattern.finditer(s):
            a, b = m.start(), m.end()
            if a == b or any(fa <= a and b <= fb for fa, fb in friends):
                continue
            if rule.not_after is not None and rule.not_after.search(s[max(0, a - 20) : a]):
                continue
            if rule.not_before is not None and rule.not_before.search(s[b : b + 40]):
                continue
            found.append(_spans_of(view, a, b, text, rule.category, rule.severity, rule.kind))
    for run in _CONSONANT_RUN.finditer(s):
        for word, category, severity in _INITIALS:
            k = run.group().find(word)
            if k >= 0:
                a = run.start() + k
                found.append(
                    _spans_of(view, a, a + len(word), text, category, severity, "initials")
                )
                break
    for decoded, start, end in _keyboard_views(text):
        for rule in _RULES:
            if (
                rule.kind == "lexicon"
                and rule.pattern.search(decoded)
                and not FALSE_FRIENDS.search(decoded)
            ):
                found.append(
                    Span(
                        rule.category, rule.severity, start, end, mask(text[start:end]), "keyboard"
                    )
                )
                break
    if morphemes is not None:
        try:
            for lemma, start, end in morphemes(text):
                if lemma in _MORPHEME_RULES and 0 <= start < end <= len(text):
                    category, severity = _MORPHEME_RULES[lemma]
                    found.append(
                        Span(category, severity, start, end, mask(text[start:end]), "morpheme")
                    )
        except Exception:  # an analyser that fails leaves the rule-based result standing
            pass
    spans = _dedupe(found, text)
    if not spans:
        return _clean(truncated=truncated)
    categories = tuple(c for c in Category if any(sp.category is c for sp in spans))
    return ScreenResult(True, categories, _overall(spans), tuple(spans), truncated=truncated)


def _dedupe(found: list[Span], text: str) -> list[Span]:
    """Per category, spans that overlap become one (their union, at the higher severity)."""
    found.sort(key=lambda sp: (sp.category.value, sp.start, -sp.end))
    merged: list[Span] = []
    for sp in found:
        last = merged[-1] if merged else None
        if last is not None and last.category is sp.category and sp.start < last.end:
            if sp.end > last.end or sp.severity.rank > last.severity.rank:
                severity = max(last.severity, sp.severity, key=lambda v: v.rank)
                end = max(last.end, sp.end)
                rule = last.rule if last.severity.rank >= sp.severity.rank else sp.rule
                merged[-1] = dataclasses.replace(
                    last, end=end, severity=severity, rule=rule, masked=mask(text[last.start : end])
                )
            continue
        merged.append(sp)
    return sorted(merged, key=lambda sp: (sp.start, sp.end, sp.category.value))


# --- what the rest of the product keeps of a screen ---------------------------------------------


class Source(StrEnum):
    """Which of a citizen's texts was screened (issue 16: every one, at intake and on edit)."""

    COMPLAINT = "complaint"  # the complaint's title and body, as filed (any channel)
    SUPPLEMENT = "supplement"  # the words of a 보완 the complainant sent
    OBJECTION = "objection"  # the grounds of an 이의신청 (법 제35조)
    MESSAGE = "message"  # any other message from the citizen about a complaint


def _rules_fingerprint() -> str:
    parts: list[str] = [FALSE_FRIENDS.pattern]
    for rule in _RULES:
        parts += [
            rule.pattern.pattern,
            rule.category.value,
            rule.severity.value,
            rule.kind,
            rule.not_after.pattern if rule.not_after is not None else "",
            rule.not_before.pattern if rule.not_before is not None else "",
        ]
    parts += [f"{w}/{c.value}/{v.value}" for w, c, v in _INITIALS]
    parts += [f"{lemma}/{c.value}/{v.value}" for lemma, (c, v) in _MORPHEME_RULES.items()]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]


# Stored with every result: "rules-<fingerprint of every rule, list and threshold>". It changes
# by itself when a rule does, so a stored result says which screen made it.
SCREEN_VERSION = f"rules-{_rules_fingerprint()}"


def text_digest(text: str) -> str:
    """SHA-256 of the text as screened (lone surrogates kept), to tell a stored result's text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def severity_at_least(severity: str, floor: Severity) -> bool:
    """``severity`` (a stored value; anything unknown counts as none) is ``floor`` or higher."""
    try:
        return Severity(severity).rank >= floor.rank
    except ValueError:
        return False


def mask_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with every ``(start, end)`` span masked in place: its first letter kept, its
    other non-space characters ●. The length never changes, so a caller can cut the result at
    the same offsets as the text (a complaint's title and body). Spans out of range are clipped."""
    chars = list(text)
    for start, end in spans:
        start, end = max(0, int(start)), min(len(chars), int(end))
        first = True
        for i in range(start, end):
            if chars[i].isspace():
                continue
            if first:
                first = False
            else:
                chars[i] = MASK_CHAR
    return "".join(chars)
