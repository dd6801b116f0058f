"""Korean particles (조사) chosen for the word before them (pure, stdlib only).

Korean writes 이/가, 을/를, 은/는, 과/와, 으로/로, 이나/나, 이라/라 and 아/야 by whether the
word before ends in a consonant (받침). A template cannot know what `$title` or `%(name)s` will
hold, so the Korean texts write both forms, "이(가)", "을(를)", "(으)로" …, as paper forms do;
`choose_particles` replaces each such marker by the one form that fits the word in front of it,
once the value is filled.

The word's last sound is read from its last letter, skipping closing quotes (「도로 파손」이(가)
→ 「도로 파손」이) and asides in parentheses, as 한글 맞춤법 attaches the particle to the word
before the parenthesis (시뮬레이터(PASS 대신)(으)로 → 시뮬레이터(PASS 대신)로): a Hangul
syllable by its final; a digit as it is read in Sino-Korean (0 영/십/백/천/만, 1 일, 2 이, 3 삼,
4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구); a Latin letter by its usual Korean name (L 엘, M 엠, N 엔,
R 알 end in a consonant). When the last letter says nothing (an emoji, a symbol, no word at all)
the marker is left as written, which is still correct Korean.
"""

from __future__ import annotations

import re
from typing import Final

# marker → (form after a consonant, form after a vowel). 으로/로 has its own rule for ㄹ.
_MARKERS: Final[dict[str, tuple[str, str]]] = {
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "은(는)": ("은", "는"),
    "과(와)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)나": ("이나", "나"),
    "(이)라": ("이라", "라"),
    "(이)라고": ("이라고", "라고"),
    "아(야)": ("아", "야"),
}
_MARKER_RE: Final = re.compile(
    "|".join(re.escape(m) for m in sorted(_MARKERS, key=len, reverse=True))
)
# Closing quotes and brackets a particle may follow: the word inside is the word (「…」이, "…"을).
_TRANSPARENT: Final = set("」』”’\"'>〉》")
# A parenthesis is an aside: the particle fits the word before it (시뮬레이터(PASS 대신)로).
_ASIDES: Final = {")": "(", "]": "[", "}": "{", "）": "（"}
_RIEUL: Final = 8  # index of ㄹ among the finals
# Sino-Korean reading of a final digit: (ends in a consonant, the consonant is ㄹ).
_DIGITS: Final[dict[str, tuple[bool, bool]]] = {
    "0": (True, False),
    "1": (True, True),
    "2": (False, False),
    "3": (True, False),
    "4": (False, False),
    "5": (False, False),
    "6": (True, False),
    "7": (True, True),
    "8": (True, True),
    "9": (False, False),
}
_LATIN_CONSONANT: Final = set("lmnrLMNR")
_LATIN_RIEUL: Final = set("lrLR")


def final_sound(word: str) -> tuple[bool, bool] | None:
    """(ends in a consonant, that consonant is ㄹ) for the end of `word`, or None if unknown."""
    i = len(word) - 1
    while i >= 0:
        char = word[i]
        i -= 1
        if char in _TRANSPARENT:
            continue
        if char in _ASIDES:
            depth, opening = 1, _ASIDES[char]
            while i >= 0 and depth:
                depth += (word[i] == char) - (word[i] == opening)
                i -= 1
            if depth:
                return None
            continue
        code = ord(char)
        if 0xAC00 <= code <= 0xD7A3:
            final = (code - 0xAC00) % 28
            return final != 0, final == _RIEUL
        if char in _DIGITS:
            return _DIGITS[char]
        if char.isascii() and char.isalpha():
            return char in _LATIN_CONSONANT, char in _LATIN_RIEUL
        return None
    return None


def choose_particles(text: str) -> str:
    """Replace every "이(가)"-style marker by the form the preceding word takes."""

    def pick(match: re.Match[str]) -> str:
        marker = match.group(0)
        sound = final_sound(text[max(0, match.start() - 120) : match.start()])
        if sound is None:
            return marker
        consonant, rieul = sound
        after_consonant, after_vowel = _MARKERS[marker]
        if marker == "(으)로" and rieul:
            return after_vowel  # 서울로, 7로: ㄹ takes 로
        return after_consonant if consonant else after_vowel

    return _MARKER_RE.sub(pick, text)
