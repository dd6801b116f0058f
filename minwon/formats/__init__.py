"""Date and time formats per language (settings.FORMAT_MODULE_PATH).

Django abbreviates Korean weekdays to the whole word ("목요일"); Korean dates write one syllable
in brackets ("2026. 12. 3.(목)"). The abbreviations Django's "D" format looks up are listed here
so that our catalogue (minwon/locale/ko) translates them to one syllable.
"""

from django.utils.translation import gettext_noop

WEEKDAY_ABBREVIATIONS = (
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
)
