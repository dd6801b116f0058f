"""Dates and times as Koreans write them (행정업무운영 편람: "2026. 12. 3.(목) 14:58").

Django's own Korean formats say "2026년 12월 3일 2:58 오후"; official documents and notices use
dots, the weekday in brackets and the 24-hour clock, and a bare time reads "오후 3:01".
"""

DATE_FORMAT = "Y. n. j.(D)"
TIME_FORMAT = "A g:i"
DATETIME_FORMAT = "Y. n. j.(D) H:i"
SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. H:i"
MONTH_DAY_FORMAT = "n월 j일"
YEAR_MONTH_FORMAT = "Y년 n월"
