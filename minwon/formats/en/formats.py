"""English dates for a Korean service: day, month, year and the 24-hour clock, with the weekday
(the same facts the Korean format shows)."""

DATE_FORMAT = "D j M Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "D j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
