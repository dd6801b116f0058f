"""Pure rules of the citizen interface: display preferences kept in cookies (stdlib only).

Large text and high contrast are chosen on the display page and kept in two cookies, so they work
without JavaScript and on every page (KRDS zoom steps; KRDS high-contrast mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

TEXT_SIZE_COOKIE = "minwon_text_size"
CONTRAST_COOKIE = "minwon_contrast"
PREFERENCE_COOKIE_AGE = 365 * 24 * 60 * 60


class TextSize(StrEnum):
    """KRDS's zoom steps (--krds-zoom-*), applied to the root font size."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    XLARGE = "xlarge"
    XXLARGE = "xxlarge"


class Contrast(StrEnum):
    SYSTEM = "system"  # follow the device's "more contrast" setting
    STANDARD = "standard"
    HIGH = "high"


@dataclass(frozen=True)
class DisplayPreferences:
    text_size: TextSize = TextSize.MEDIUM
    contrast: Contrast = Contrast.SYSTEM

    @property
    def is_high_contrast(self) -> bool:
        return self.contrast is Contrast.HIGH


def display_preferences(*, text_size: str | None, contrast: str | None) -> DisplayPreferences:
    """Preferences from raw cookie values; anything unknown falls back to the default."""
    sizes = {size.value: size for size in TextSize}
    modes = {mode.value: mode for mode in Contrast}
    return DisplayPreferences(
        text_size=sizes.get(text_size or "", TextSize.MEDIUM),
        contrast=modes.get(contrast or "", Contrast.SYSTEM),
    )
