"""The 특이민원 screen (``protection.domain.screen``), table by table.

The sentences here were written for these tests: they check the rules, they are not a measure of
how well the screen works on real complaints (docs/protection.md).
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata

import pytest

from minwon.protection.domain import (
    MAX_SCREEN_CHARS,
    Category,
    ScreenResult,
    Severity,
    compose_jamo,
    mask,
    screen,
)

P, IN, T, SH, SX, D = (
    Category.PROFANITY,
    Category.INSULT,
    Category.THREAT,
    Category.SELF_HARM,
    Category.SEXUAL_HARASSMENT,
    Category.DISCRIMINATION,
)

# (text, the original words the span must cover exactly, category)
OBFUSCATED = [
    ("씨발 진짜 일 안 하네", "씨발", P),
    ("시1발 이게 행정이냐", "시1발", P),  # a digit inside the word
    ("씨@#발 공무원", "씨@#발", P),  # symbols inside the word
    ("ㅅ.ㅂ 답변이 이게 뭐야", "ㅅ.ㅂ", P),  # 초성 with a dot
    ("ㅅㅂ 또 반려냐", "ㅅㅂ", P),  # 초성 only
    ("ㅂㅅ들 아니냐", "ㅂㅅ", IN),
    ("씨 발 이게 뭐냐", "씨 발", P),  # spaced out letter by letter
    ("씨 발놈아 전화 좀 받아", "씨 발", P),  # one letter split off
    ("開새끼 같으니", "開새끼", P),  # a Hanja read 개
    ("씌발 진짜", "씌발", P),
    ("ㅅㅣㅂㅏㄹ 진짜", "ㅅㅣㅂㅏㄹ", P),  # jamo split
    ("ㅅ ㅣ ㅂ ㅏ ㄹ 진짜", "ㅅ ㅣ ㅂ ㅏ ㄹ", P),  # jamo split and spaced
    ("씨이이발 뭐하는 거야", "씨이이발", P),  # stretched
    ("씨발발발 짜증나", "씨발발발", P),  # repeated
    ("시바알 진짜", "시바알", P),  # the stretch carries the final consonant
    ("ㅅl발 답답하네", "ㅅl발", P),  # Latin l for ㅣ
    ("ㅆ1발 답답하네", "ㅆ1발", P),
    ("c발 왜 이래", "c발", P),  # Latin c for 씨
    ("씨8 왜 이래", "씨8", P),  # digit 8 for 발
    ("개새77 같으니", "개새77", P),  # 77 for 끼
    ("tlqkf 왜 안 해줘", "tlqkf", P),  # typed on the Korean keyboard layout in Latin
    ("qudtls 같은 공무원", "qudtls", IN),
    ("ｓｉｂａｌ 아니 씨발", "씨발", P),  # full-width Latin is folded (and is not a word here)
]


@pytest.mark.parametrize(("text", "words", "category"), OBFUSCATED, ids=[c[0] for c in OBFUSCATED])
def test_obfuscated_words_are_found_and_their_offsets_point_at_the_original(text, words, category):
    result = screen(text)
    assert result.abusive
    assert category in result.categories
    span = next(s for s in result.spans if s.category is category)
    assert text[span.start : span.end] == words
    assert span.masked == mask(words)
    assert span.masked[0] == words[0]
    assert "●" in span.masked and words[1:].strip() not in span.masked


def test_decomposed_text_is_recomposed_and_still_points_at_the_original():
    text = "답변이 " + unicodedata.normalize("NFD", "씨발") + " 뭐냐"
    result = screen(text)
    (span,) = result.spans
    assert unicodedata.normalize("NFC", text[span.start : span.end]) == "씨발"
    assert span.masked == "씨●"


def test_the_jamo_composer_joins_initial_vowel_and_final():
    view = [(c, i, i + 1) for i, c in enumerate("ㅅㅣㅂㅏㄹㄱㅘㄴ")]
    composed = compose_jamo(view)
    assert "".join(c for c, _, _ in composed) == "시발관"
    assert composed[1][1:] == (2, 5)  # 발 stands for ㅂㅏㄹ


# (text, category, severity)
CATEGORIES = [
    ("이 개새끼야 전화 똑바로 받아", P, Severity.MEDIUM),
    ("존나 느리네", P, Severity.LOW),
    ("지랄하고 있네", P, Severity.MEDIUM),
    ("병신 같은 답변", IN, Severity.MEDIUM),
    ("미친놈 아니야", IN, Severity.MEDIUM),
    ("닥치고 처리나 해", IN, Severity.LOW),
    ("니애미 없냐", IN, Severity.HIGH),
    ("담당자 죽여버리겠다", T, Severity.URGENT),
    ("너 죽일 거야", T, Severity.URGENT),
    ("칼 들고 찾아간다", T, Severity.URGENT),
    ("구청에 불 질러 버리겠다", T, Severity.URGENT),
    ("시청을 폭파하겠다", T, Severity.URGENT),
    ("내일 찾아가서 다 패 죽인다", T, Severity.URGENT),
    ("죽고 싶냐", T, Severity.URGENT),
    ("가만두지 않겠다", T, Severity.HIGH),
    ("너네 다 죽었어", T, Severity.URGENT),
    ("칼 맞고 싶냐", T, Severity.URGENT),
    ("니네 청사 폭파해 버린다", T, Severity.URGENT),
    ("공무원 새끼들 다 죽여야 돼", T, Severity.URGENT),
    ("내가 니 얼굴 기억한다", T, Severity.HIGH),
    ("퇴근길에 보자", T, Severity.HIGH),
    ("농약 먹고 죽겠다", SH, Severity.URGENT),
    ("번개탄 피울 거예요", SH, Severity.URGENT),
    ("대가리 박고 사과해", IN, Severity.MEDIUM),
    ("여직원 바꿔 목소리 좋네 몇 살이야", SX, Severity.MEDIUM),
    ("가만 안 둔다 두고 봐라", T, Severity.HIGH),
    ("밤길 조심해라", T, Severity.HIGH),
    ("너희 집 주소 알아냈다", T, Severity.HIGH),
    ("민원 안 들어주면 죽어버리겠다", SH, Severity.URGENT),
    ("시청 옥상에서 뛰어내리겠다", SH, Severity.URGENT),
    ("민원실 앞에서 분신하겠다", SH, Severity.URGENT),
    ("자살할 거예요 정말로", SH, Severity.URGENT),
    ("이제 죽고 싶다", SH, Severity.HIGH),
    ("아가씨 목소리 섹시하네", SX, Severity.MEDIUM),
    ("주무관이랑 같이 자고 싶다", SX, Severity.HIGH),
    ("가슴 좀 만져 보자", SX, Severity.MEDIUM),
    ("짱깨들이 다 망쳐놨다", D, Severity.HIGH),
    ("여자 주제에 뭘 안다고", D, Severity.HIGH),
    ("조선족 놈들 다 내쫓아", D, Severity.HIGH),
]


@pytest.mark.parametrize(
    ("text", "category", "severity"), CATEGORIES, ids=[c[0] for c in CATEGORIES]
)
def test_each_category_and_its_severity(text, category, severity):
    result = screen(text)
    assert result.abusive
    assert category in result.categories
    assert (
        max((s.severity for s in result.spans if s.category is category), key=lambda v: v.rank)
        is severity
    )
    assert result.severity.rank >= severity.rank


def test_a_threat_of_harm_makes_the_whole_result_urgent():
    result = screen("씨발 이번에도 안 되면 담당자 죽여버리겠다")
    assert result.urgent
    assert set(result.categories) == {P, T}


def test_overlapping_findings_of_one_category_become_one_span():
    text = "칼 맞고 싶냐"
    (span,) = screen(text).spans
    assert (span.start, span.end) == (0, len(text))
    assert span.masked == mask(text)


def test_repeated_abuse_is_high():
    result = screen("씨발 개새끼 병신 같은 것들")
    assert result.severity is Severity.HIGH


# Ordinary complaint text with words that contain or look like listed words.
FALSE_FRIENDS = [
    "시발점 교차로의 신호가 너무 짧습니다",
    "버스 시발 시간을 앞당겨 주세요",
    "죽전동 도로 개선 요청",
    "개발 사업 때문에 소음이 심합니다",
    "옆집 개소리가 밤새 들려요",  # a barking dog
    "개 짖는 소리가 미친 듯이 납니다",
    "공사 소리 좀 죽여 주세요",
    "잡초를 다 죽여 버려야 합니다",
    "이러다 사람 죽이겠어요 과속 단속 부탁",
    "시끄러워 죽겠어요",
    "더워서 죽을 거예요 에어컨 고쳐 주세요",
    "가로등이 꺼져 있어요",
    "주민에게 악영향을 미친 사례입니다",
    "다시 발생했습니다",
    "시 발표 자료를 보았습니다",
    "유리병 신고합니다",
    "고양이 새끼가 태어났어요",
    "강아지 새끼 분양 광고가 붙어 있어요",
    "껌 씹는 소리가 들려요",
    "과태료 때려 주세요",
    "해야 하는 일을 안 합니다",
    "공원에서 열매 따먹는 사람들이 있어요",
    "일찍 자고 싶은데 소음 때문에 못 잡니다",
    "등신대 조형물이 넘어졌습니다",
    "시바견 산책 목줄 미착용",
    "민원을 찾아가서 접수하겠습니다",
    "공무원들이 일을 너무 안 합니다. 무능합니다.",  # criticism is not abuse
    "씨씨티비 설치 요청",
    "홍어 가게 냄새",
    "닥치는 대로 버린 쓰레기",
    "지난 18년 동안 살았습니다",
    "더 이상 못 참겠습니다. 가만두지 않겠습니다 법적 대응하겠습니다",  # legal action is a right
    "옥상 난간이 낮아서 뛰어내릴 위험이 있습니다",
    "정말 미친 것 같아요 이 더위",
    "지랄탄이라 불리던 최루탄 시절 이야기",
    "병신년 새해 복 많이 받으세요",
    "등신불 전시 문의",
    "깨진 병 신고합니다",
    "개 새끼들이 길에 버려져 있어요",
    "이대로 두면 사람이 죽을 수도 있습니다",
    "자살 예방 센터 연락처를 알려 주세요",
    "직접 찾아가서 서류를 제출하겠습니다",
    "칼국수 집 앞 불법 주차",
    "폭탄 세일 현수막이 불법으로 걸려 있어요",
    "주소를 알아보니 관할이 다르더군요",
    "가슴 통증으로 응급실에 갔는데 진료비 문의",
    "너무 억울해서 죽을 것 같습니다",
    "다른 곳은 즉시발급이 되는데 왜 안 됩니까",  # 즉시 + 발급
    "동시발생한 사고 두 건",
    "전염병 때문에 방역을 요청합니다",
    "차가 가드레일에 부닥쳐 전복될 뻔했습니다",
    "위기가 닥쳐오고 있습니다",
    "더운 여름 몸조심하세요",
    "소음 때문에 스트레스 받아서 죽어버릴 것 같아요",
    "동물들이 새끼까지 데리고 삽니다",
]


@pytest.mark.parametrize("text", FALSE_FRIENDS)
def test_ordinary_complaint_words_do_not_trigger(text):
    result = screen(text)
    assert not result.abusive, result.spans
    assert result.severity is Severity.NONE


BAD_INPUT = [
    ("", "empty"),
    ("   \n\t", "empty"),
    (None, "not_text"),
    (b"\xea\xb0\x9c", "not_text"),
    (12345, "not_text"),
    ("😀🔥👍" * 50, None),
    ("\x00\x01\xff\ufffd" * 100, None),
    ("The street light on Main Street has been broken for a week.", None),
    ("路灯坏了一个星期", None),
    ("ㅋㅋㅋㅋㅋㅋ ㅎㅎ", None),
    ("!!!!????....", None),
    ("\ud800 lone surrogate", None),
]


@pytest.mark.parametrize(("text", "reason"), BAD_INPUT, ids=[repr(c[0])[:30] for c in BAD_INPUT])
def test_bad_input_gives_a_clean_result(text, reason):
    result = screen(text)
    assert not result.abusive
    assert result.reason == reason
    json.dumps(result.as_dict())


def test_enormous_text_is_capped_and_still_screened():
    text = "씨발 " + "가" * (MAX_SCREEN_CHARS * 5)
    result = screen(text)
    assert result.truncated
    assert result.abusive
    assert screen("가" * (MAX_SCREEN_CHARS + 1)).truncated


def test_the_result_is_frozen_and_serialises():
    result = screen("씨발 죽여버리겠다")
    assert isinstance(result, ScreenResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.abusive = False  # type: ignore[misc]
    data = result.as_dict()
    assert data["abusive"] is True
    assert data["severity"] == "urgent"
    assert data["categories"] == ["profanity", "threat"]
    assert {"start", "end", "masked", "category", "severity", "rule"} <= set(data["spans"][0])
    assert "씨발" not in json.dumps(data, ensure_ascii=False)


def test_a_morpheme_analyser_can_add_findings_and_its_failure_is_harmless():
    text = "좀 닥치세요"

    def lemmas(t):
        return [("닥치다", t.index("닥"), t.index("닥") + 2)]

    result = screen(text, morphemes=lemmas)
    assert any(s.rule == "morpheme" for s in result.spans)

    def broken(t):
        raise RuntimeError("analyser down")

    assert screen("씨발", morphemes=broken).abusive


def test_random_mixed_input_never_raises_and_spans_stay_inside_the_text():
    import random

    rng = random.Random(16)
    alphabet = "씨발시ㅅㅂㅣㅏㄹ개새끼죽여버리겠다 .1l8c7!@\u200b\u1109\u1175😀abcXYZ\n\t가나다"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        result = screen(text)
        for span in result.spans:
            assert 0 <= span.start < span.end <= len(text)
            assert span.masked == mask(text[span.start : span.end])
        assert result.abusive == bool(result.spans)


def test_the_quick_checks_skip_only_steps_that_would_change_nothing():
    import random

    from minwon.protection import domain

    def full(text):
        view = domain._fold(text)
        for pattern, repl in domain._LOOKALIKES:
            view = domain._substitute(view, pattern, repl)
        view = domain._drop_fillers(view)
        view = domain._join_spaced_letters(view)
        return domain._collapse(domain.compose_jamo(view))

    rng = random.Random(7)
    alphabet = "씨발시이아ㅇ가ㅅㅂㅣㅏㄹ 수있다 .1!~AbC가나다라마바"
    samples = [*(t for t, _, _ in OBFUSCATED), *FALSE_FRIENDS]
    samples += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(500)
    ]
    for text in samples:
        assert domain._view_of(text) == full(text), text
