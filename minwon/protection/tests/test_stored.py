"""What the product keeps of a screen: the version that made it, and masking in place."""

from __future__ import annotations

from minwon.protection import domain


def test_the_screen_version_is_a_fingerprint_of_the_rules() -> None:
    assert domain.SCREEN_VERSION.startswith("rules-")
    assert len(domain.SCREEN_VERSION) == len("rules-") + 10
    assert f"rules-{domain._rules_fingerprint()}" == domain.SCREEN_VERSION  # stable in a run


def test_a_changed_rule_changes_the_version(monkeypatch) -> None:
    before = domain._rules_fingerprint()
    monkeypatch.setattr(domain, "_INITIALS", [*domain._INITIALS[:-1]])
    assert domain._rules_fingerprint() != before


def test_masking_in_place_keeps_the_length_and_the_first_letter() -> None:
    text = "제목\n이 시1발 놈아 ㅅ ㅣ ㅂ ㅏ ㄹ"
    result = domain.screen(text)
    masked = domain.mask_spans(text, [(s.start, s.end) for s in result.spans])
    assert len(masked) == len(text)
    assert masked.startswith("제목\n이 시●●") and "1" not in masked and "발" not in masked
    assert masked.count("\n") == 1  # spaces and line breaks stay
    assert domain.mask_spans("abc", [(-5, 99)]) == "a●●"  # clipped, never an error
    assert domain.mask_spans("abc", []) == "abc"


def test_severity_at_least_reads_stored_values() -> None:
    assert domain.severity_at_least("urgent", domain.Severity.HIGH)
    assert not domain.severity_at_least("low", domain.Severity.MEDIUM)
    assert not domain.severity_at_least("nonsense", domain.Severity.LOW)
