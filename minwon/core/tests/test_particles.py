"""Korean particle choice (minwon.core.domain): each marker against words worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minwon.core.domain import choose_particles, final_sound


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("「도로 파손」이(가) 접수되었습니다", "「도로 파손」이 접수되었습니다"),  # 손: ㄴ
        ("「가로등 고장」이(가) 접수되었습니다", "「가로등 고장」이 접수되었습니다"),  # 장: ㅇ
        ("「불법 주차」이(가) 접수되었습니다", "「불법 주차」가 접수되었습니다"),  # 차: none
        ("파주시청(으)로 이송", "파주시청으로 이송"),
        ("고양시(으)로 이송", "고양시로 이송"),
        ("서울특별시 교육청(으)로", "서울특별시 교육청으로"),
        ("경기도 안산시 상록구 일동(으)로", "경기도 안산시 상록구 일동으로"),
        ("서울(으)로", "서울로"),  # ㄹ takes 로
        ("민원을(를)", "민원을"),  # 원 (ㄴ): 을
        ("사과을(를) 먹다", "사과를 먹다"),
        ("담당자은(는)", "담당자는"),
        ("시장과(와) 부시장", "시장과 부시장"),
        ("구청장과(와)", "구청장과"),
        ("부모급여와(과) 아동수당", "부모급여와 아동수당"),  # the other order of writing it
        ("첫만남이용권와(과)", "첫만남이용권과"),
        ("어머니과(와)", "어머니와"),
        (
            "접수번호 2026-000123(으)로 접수했습니다.",
            "접수번호 2026-000123으로 접수했습니다.",
        ),  # 삼
        ("번호 7(으)로", "번호 7로"),  # 칠: ㄹ
        ("번호 2(으)로", "번호 2로"),  # 이
        ("번호 10이(가)", "번호 10이"),  # 십
        ("번호 9이(가)", "번호 9가"),  # 구
        ("디지털원패스(으)로 확인", "디지털원패스로 확인"),  # 스: none
        ("PASS(으)로 확인", "PASS로 확인"),  # S 에스: no final
        ("URL(으)로", "URL로"),  # L 엘: ㄹ
        ("KT이(가)", "KT가"),
        ("ARM이(가)", "ARM이"),
        ("(이)라", "(이)라"),  # nothing before: left as written
        ("🙂(으)로", "🙂(으)로"),  # no sound known: left as written
        ("no marker here", "no marker here"),
        ("홍길동(이)라고 합니다", "홍길동이라고 합니다"),
        (
            "시뮬레이터(PASS 대신)(으)로 확인",
            "시뮬레이터(PASS 대신)로 확인",
        ),  # the aside is skipped
        ("도로(국도(1호선))이(가)", "도로(국도(1호선))가"),
        ("대신)(으)로", "대신)(으)로"),  # an unmatched parenthesis: left as written
        ("철수아(야)", "철수야"),
        ("민원(이)나 제안", "민원이나 제안"),
    ],
)
def test_markers_take_the_form_of_the_word_before(text: str, expected: str) -> None:
    assert choose_particles(text) == expected


def test_final_sound_reads_the_last_syllable_through_closing_brackets() -> None:
    assert final_sound("「물」") == (True, True)
    assert final_sound("“바다”") == (False, False)
    assert final_sound("") is None
    assert final_sound("!!!") is None


@given(st.text(max_size=60))
def test_text_without_markers_is_unchanged(text: str) -> None:
    if any(m in text for m in ("(가)", "(를)", "(는)", "(와)", "(으)로", "(이)", "(야)")):
        return
    assert choose_particles(text) == text


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1))
def test_every_hangul_word_gets_exactly_one_form(word: str) -> None:
    out = choose_particles(word + "이(가)")
    assert out in (word + "이", word + "가")
    assert "(" not in out
