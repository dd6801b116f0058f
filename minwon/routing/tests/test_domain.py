from minwon.routing.domain import NoSuggestionReason, RepeatEvidence, prepare_text, repeat_assess


def test_it_masks_phone_rrn_address_and_numbers():
    p = prepare_text("주차장이 어두워요 010-1234-5678 900101-1234567 시청로 50 9100번 버스")
    assert p.usable
    for digit in "0123456789":
        assert digit not in p.text
    assert p.masked["XPHONE"] == 1 and p.masked["XRRN"] == 1 and p.masked["XADDR"] == 1


def test_bad_input_gives_a_reason_not_a_crash():
    assert prepare_text("").reason is NoSuggestionReason.EMPTY
    assert (
        prepare_text("010-1234-5678 900101-1234567").reason is NoSuggestionReason.ONLY_PERSONAL_DATA
    )
    assert prepare_text("This is only English text here").reason is NoSuggestionReason.NOT_KOREAN
    assert prepare_text("😀😀😀😀").reason is NoSuggestionReason.TOO_LITTLE_TEXT
    assert prepare_text("도로 " * 100000).truncated


def test_repeat_needs_two_result_notices_and_never_applies_to_statutory():
    earlier = [RepeatEvidence(i, 0.9, True, False) for i in (1, 2)]
    assert repeat_assess(statutory=False, earlier=earlier).flagged
    assert not repeat_assess(statutory=True, earlier=earlier).flagged
    assert not repeat_assess(statutory=False, earlier=earlier[:1]).flagged
