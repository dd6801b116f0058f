import pytest

from minwon.core.domain import mask_email, mask_name, mask_phone, mask_rrn, normalize_rrn


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("900101-1234567", "9001011234567"),
        ("9001011234567", "9001011234567"),
        (" 010203-4123456 ", "0102034123456"),
        ("900101-9234567", None),  # 성별 자리 9는 없음
        ("90010-11234567", None),
        ("abcdef-1234567", None),
        ("", None),
    ],
)
def test_normalize_rrn(raw: str, expected: str | None) -> None:
    assert normalize_rrn(raw) == expected


@pytest.mark.parametrize(
    ("fn", "raw", "expected"),
    [
        (mask_rrn, "900101-1234567", "900101-1******"),
        (mask_rrn, "9001011234567", "900101-1******"),
        (mask_rrn, "12345", "******-*******"),
        (mask_name, "홍길동", "홍*동"),
        (mask_name, "이순", "이*"),
        (mask_name, "남궁민수", "남**수"),
        (mask_name, "John Smith", "J*** S****"),
        (mask_name, "  ", ""),
        (mask_phone, "010-1234-5678", "010-****-5678"),
        (mask_phone, "031 940 4114", "031-****-4114"),
        (mask_phone, "1234", "****"),
        (mask_email, "minwon@example.kr", "m*****@example.kr"),
        (mask_email, "a@b.kr", "a*@b.kr"),
        (mask_email, "not-an-email", "************"),
    ],
)
def test_masking_never_shows_the_whole_value(fn, raw: str, expected: str) -> None:
    assert fn(raw) == expected
