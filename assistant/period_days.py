"""The day an event of a briefing names as its own ("lelang SUN 7 November 2023", "the November 21 auction",
"Selasa (7/11/2023)"): two auctions of one month are told apart by it (`reader/features.day_agreement`)."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from assistant.periods import _MONTH, _NUMERIC_DATE, _WEEKDAY_DATE, MONTHS  # the month and date patterns of periods

_DAY_MONTH = re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r"(?![a-z])(?:\s+(?P<year>(?:19|20)\d{2}))?|\b"
                        + _MONTH.replace("month", "month2") + r"\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?\b(?![.,]\d)"
                        r"(?=,?\s*(?P<year2>(?:19|20)\d{2})|\s+(?:auction|meeting|session|lelang|rapat)|\s*\))", re.I)
# A day that is not the event's own: a maturity ("jatuh tempo 15 Februari 2034") or a comparison ("dari 1,32 kali
# pada lelang 7 November", "from 1.32 times at the November 7 auction").
_OTHER_EVENT_DAY = re.compile(r"(?:\b(?:jatuh tempo|maturing|matures|maturity|due|tenor|setelmen|settlement)\b[^,;.]{0,12}|"
                              r"\b(?:dari|from|than|dibanding(?:kan)?|compared (?:with|to)|versus|vs\.?)\b[^;]{0,32})$",
                              re.I)


@lru_cache(maxsize=8192)  # the same question, title and sentences are asked about for every candidate
def day_dates(text: str) -> frozenset[tuple[int, int]]:
    """The days `text` names as an event's own, as (month, day): "lelang 7 November 2023", "the November 21 auction",
    "(30/12/2022)" — not a maturity's or a comparison's. An event of a month (an auction, a meeting) is told from the
    others of that month by its day."""
    days = set()
    for m in _DAY_MONTH.finditer(text):
        name = m.group("month") or m.group("month2")
        if name.lower() in ("may", "mar") and not name[0].isupper():
            continue  # "rates of 5 may be cut"
        if not _OTHER_EVENT_DAY.search(text[max(0, m.start() - 45):m.start()]):
            days.add((MONTHS[name.lower().rstrip(".")], int(m.group("day") or m.group("day2"))))
    for m in _NUMERIC_DATE.finditer(text):
        if not _OTHER_EVENT_DAY.search(text[max(0, m.start() - 45):m.start()]):
            days.add((int(m.group("month")), int(m.group("day"))) if m.group("year") else (int(m.group("im")),
                                                                                          int(m.group("id"))))
    for m in _WEEKDAY_DATE.finditer(text):
        days.add((int(m.group("month") or m.group("month2")), int(m.group("day") or m.group("day2"))))
    return frozenset((month, day) for month, day in days if _is_date(month, day))


def _is_date(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]  # a leap year: 29 February is a day
