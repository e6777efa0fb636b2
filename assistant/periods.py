"""Time expressions in briefings and questions: "per Juni 2023", "kuartal I 2024", "saat ini", ...

A `Period` says which moment (or stretch) a figure is about. "saat ini" / "currently" in a document
means its publication date; in a question it means the latest the documents give.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("januari", "january", "jan"),
        ("februari", "february", "feb", "pebruari"),
        ("maret", "march", "mar"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov"),
        ("desember", "december", "des", "dec"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_ORDINALS = {
    "i": 1, "1": 1, "pertama": 1, "first": 1, "1st": 1,
    "ii": 2, "2": 2, "kedua": 2, "second": 2, "2nd": 2,
    "iii": 3, "3": 3, "ketiga": 3, "third": 3, "3rd": 3,
    "iv": 4, "4": 4, "keempat": 4, "fourth": 4, "4th": 4,
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_ORD = r"(?P<ord>iv|iii|ii|i|[1-4](?:st|nd|rd|th)?|pertama|kedua|ketiga|keempat|first|second|third|fourth)"

_CURRENT = re.compile(
    r"\b(saat ini|sekarang|hingga kini|sampai kini|kini|terkini|terbaru|currently|at present|"
    r"right now|as of now|as of today|to date|so far|latest|most recent|nowadays|now|today)\b",
    re.I,
)
_SINCE_PANDEMIC = re.compile(
    r"\b(sejak (?:awal )?(?:masa )?pandemi(?: covid(?:-19)?)?|since the (?:start|beginning|onset) of the "
    r"(?:covid(?:-19)? )?pandemic|since the pandemic(?: began| started)?|since covid(?:-19)?(?: hit| began| started|"
    r" struck)?|sejak (?:wabah )?covid(?:-19)?(?: melanda| dimulai| mulai)?)\b",
    re.I,
)
_MONTH_OF_QUARTER = re.compile(
    r"\b(?:(?P<which>bulan\s+(?:terakhir|pertama|kedua)|(?:the\s+)?(?:last|final|first|second|middle)\s+month)"
    r"\s+(?:of\s+(?:the\s+)?|dari\s+)?(?:kuartal|triwulan|quarter)\s+(?:ke-?)?" + _ORD + r"|(?P<which2>(?:the\s+)?"
    r"(?:last|final|first|second|middle)\s+month)\s+of\s+(?:the\s+)?(?P<ord2>first|second|third|fourth)\s+quarter)"
    r"\s*(?:of\s+|tahun\s+)?" + _YEAR + r"?", re.I)
_YEAR_TO_MONTH = re.compile(
    r"\b(?:sejak\s+)?(?:awal\s+tahun|the\s+start\s+of\s+the\s+year|the\s+beginning\s+of\s+the\s+year)\s+"
    r"(?:hingga|sampai(?:\s+dengan)?|to|until|through)\s+" + _MONTH + r"\s+" + _YEAR, re.I)
_COUNT_WORDS = {"dua": 2, "two": 2, "tiga": 3, "three": 3, "empat": 4, "four": 4, "lima": 5, "five": 5,
                "enam": 6, "six": 6, "tujuh": 7, "seven": 7, "delapan": 8, "eight": 8, "sembilan": 9, "nine": 9,
                "sepuluh": 10, "ten": 10, "sebelas": 11, "eleven": 11, **{str(n): n for n in range(2, 12)}}
_MONTH_BEFORE = re.compile(r"\b(?:(?:the\s+)?month\s+(?:before|prior\s+to)|(?:se)?bulan\s+sebelum(?:nya)?)\s+"
                           + _MONTH + r"\s+" + _YEAR, re.I)
_FIRST_MONTHS = re.compile(
    r"\b(?:(?P<id>" + "|".join(_COUNT_WORDS) + r")\s+bulan\s+pertama|(?:the\s+)?first\s+(?P<en>"
    + "|".join(_COUNT_WORDS) + r")\s+months)(?:\s+(?:of\s+|tahun\s+)?(?P<year>(?:19|20)\d{2}))?\b", re.I)
_WHOLE_YEAR = re.compile(r"\b(keseluruhan tahun|sepanjang tahun(?! \d)|setahun penuh|full[- ]year|the whole year|"
                         r"the year as a whole)\b", re.I)
_PANDEMIC_START = re.compile(
    r"\b(?:(?:the\s+)?(?:start|beginning|onset)\s+of\s+the\s+(?:covid(?:-19)?\s+)?pandemic|awal\s+(?:masa\s+)?"
    r"pandemi(?:\s+covid(?:-19)?)?|saat\s+pandemi\s+(?:dimulai|mulai))\b", re.I)
# The year after a quarter or a half: "kuartal I 2024", "triwulan II-2022", "Q3/2023", "Q4'22" (two digits only
# after an apostrophe or a dash, where no other number can stand).
_PART_YEAR = (r"(?:\s*(?:(?:of|tahun|th\.?)\s*)?(?:[-/–]\s*)?" + _YEAR
              + r"|\s*['’](?P<yy>\d{2})\b|-(?P<yy2>\d{2})\b(?![-/.,]?\d|-|\s*(?:%|(?:persen|percent|bps|basis|poin|points?)\b)))?")
_QUARTER = re.compile(
    r"\b(?:(?P<end>akhir|end of(?: the)?)\s+)?(?:(?:(?:kuartal|triwulan|quarter)\s*|(?-i:TW)\.?\s+)(?:ke-?)?" + _ORD
    + r"(?![a-z])|" + r"(?P<ord2>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
    + r"|q(?P<qnum>[1-4]))" + _PART_YEAR,
    re.I,
)
_HALF = re.compile(
    r"\b(?:semester\s+" + _ORD + r"(?![a-z])|(?P<ord2>first|second)\s+half(?:\s+of)?|h(?P<hnum>[12]))"
    + _PART_YEAR,
    re.I,
)
# An ordinal whose noun is left out after a quarter was named: "Rp9.99 trillion in the second and Rp9.79 trillion in
# the third" (followed by punctuation or a conjunction, not by a noun: "the second largest" is no quarter)
_ELIDED_QUARTER = re.compile(r"\b(?:in|for|during)\s+(?P<q>the\s+(?P<ord>second|third|fourth))\b(?=\s*(?:[,;)]|\.(?:\s|$)|"
                             r"(?:and|or)\b(?!\s+(?:the\s+)?(?:second|third|fourth)\b)|before\b|while\b|when\b|$))",
                             re.I)
# Analysts' shorthand: "3Q23", "1H2024", "4Q 2023".
_SHORT_PART = re.compile(r"\b(?P<n>[1-4])(?P<part>[QH])(?P<year>\d{2}\b|\s?(?:19|20)\d{2}\b)")
# An English date "November 22, 2022" / "Nov. 22, 2022"; a numeric one "30/12/2022", "(8/11/2023)", "2022-12-30";
# a day and month after a weekday, as Indonesian news writes them: "Rabu (8/11)", "(Jumat, 30/12)".
_US_DATE = re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,\s*" + _YEAR + r"\b", re.I)
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.,-])(?:(?P<day>\d{1,2})/(?P<month>\d{1,2})/" + _YEAR + r"|(?P<iy>(?:19|20)\d{2})-(?P<im>\d{2})-"
    r"(?P<id>\d{2}))(?![\d/.,]\d|\d)")
WEEKDAYS = ("senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|"
             "saturday|sunday")
_WEEKDAY_DATE = re.compile(r"\b(?:" + WEEKDAYS + r")\s*\(\s*(?P<day>\d{1,2})/(?P<month>\d{1,2})\s*\)|"
                           r"\((?:" + WEEKDAYS + r"),?\s*(?P<day2>\d{1,2})/(?P<month2>\d{1,2})\s*\)", re.I)
_MID_YEAR = re.compile(r"\b(?:pertengahan(?: tahun)?|mid-?(?:year)?)\s*-?\s*" + _YEAR, re.I)
# 'akhir 2023', 'end of 2023', and a series that 'ends 2023 at 52.2' / 'menutup 2023 di level …'
_END_YEAR = re.compile(r"\b(?:akhir(?: tahun)?|end of(?: the year)?|year-end|end-|(?:ends|ended|closes|closed|"
                       r"menutup|mengakhiri)(?: (?:the )?year| tahun)?)\s*" + _YEAR, re.I)
_START_YEAR = re.compile(r"\b(?:awal(?: tahun)?|start of|beginning of|early)\s*" + _YEAR, re.I)
_MONTH_YEAR = re.compile(r"\b(?:(?P<day>\d{1,2})\s+)?" + _MONTH + r"(?:\s+(?:tahun\s+)?" + _YEAR + r")?\b", re.I)
_MONTH_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "last": 12, "final": 12,
    "pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "keenam": 6, "ketujuh": 7,
    "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10, "kesebelas": 11, "kedua belas": 12, "terakhir": 12,
}
_ORDINAL_MONTH = re.compile(
    r"\b(?:(?:the\s+)?(?P<en>" + "|".join(k for k in _MONTH_ORDINALS if k.isascii() and " " not in k
                                       and not k.startswith("ke") and k not in ("pertama", "terakhir"))
    + r")\s+month(?:\s+of(?:\s+the\s+year)?)?|bulan\s+(?P<id>kedua belas|" + "|".join(
        k for k in _MONTH_ORDINALS if k.startswith("ke") or k in ("pertama", "terakhir")) + r")"
    r"(?:\s+(?:tahun|of))?)\s*" + _YEAR + r"?", re.I)
_THIS_YEAR = re.compile(r"\b(tahun ini|this year)\b", re.I)
_LAST_YEAR = re.compile(r"\b(tahun lalu|last year|tahun sebelumnya|previous year)\b", re.I)
_YEAR_ALONE = re.compile(r"(?<![\d/.,-])" + _YEAR + r"(?![\d/]|[.,]\d)")
_RANGE_JOIN = re.compile(r"^\s*(?:hingga|sampai(?: dengan)?|ke|to|and|until|through|dan|-|–)\s*$", re.I)

# Words that are month abbreviations but also ordinary words; they only count with a year after them.
_AMBIGUOUS_MONTHS = {"mar", "mei", "may", "jun", "jul", "des", "dec", "sep", "agu", "okt", "nov", "apr", "jan",
                     "feb", "agt", "aug", "oct", "sept"}


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | half | year | date | current | since | span | ytd (January to a month)
    end: date | None  # the as-of moment (last day of the stretch); None for an unresolved "current"
    start: date | None = None
    label: str = ""
    parts: tuple["Period", ...] = ()  # a span's two ends ("kuartal I 2024 ke kuartal II 2024")

    @property
    def month_key(self) -> tuple[int, int] | None:
        return (self.end.year, self.end.month) if self.end else None


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    period: Period


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_period(year: int, month: int) -> Period:
    return Period("month", _last_day(year, month), date(year, month, 1), f"{year:04d}-{month:02d}")


def year_period(year: int) -> Period:
    return Period("year", date(year, 12, 31), date(year, 1, 1), f"{year:04d}")


def current_period(published: date | None) -> Period:
    if published is None:
        return Period("current", None, None, "current")
    return Period("current", published, None, published.isoformat())


def span_period(first: Period, last: Period) -> Period:
    return Period("span", last.end, first.start or first.end, f"{first.label}..{last.label}", (first, last))


_MONTH_JOIN = re.compile(r"^\s*(?:,|dan|and|hingga|sampai(?: dengan)?|ke|to|through|until|s\.?d\.?|"
                         r"[-–—/])?\s*$", re.I)


def _full_year(digits: str) -> int:
    """A year written with two digits ("Q4'22", "3Q23") is of this century."""
    return int(digits) + 2000 if len(digits) == 2 else int(digits)


def _part_year(match: re.Match, default_year: int | None) -> int | None:
    """The year a quarter or half names (four digits, or two after an apostrophe or dash), else the default."""
    digits = match.group("year") or match.group("yy") or match.group("yy2")
    return _full_year(digits) if digits else default_year


def _quarter(year: int, quarter: int) -> Period:
    return Period("quarter", _last_day(year, quarter * 3), date(year, quarter * 3 - 2, 1), f"{year}-Q{quarter}")


def _half(year: int, half: int) -> Period:
    return Period("half", _last_day(year, half * 6), date(year, half * 6 - 5, 1), f"{year}-H{half}")


def _joined_year(text: str, months: list[tuple[int, int, int | None, int]], index: int) -> int | None:
    """The year of the next months in a chain joined by 'and', 'to', a dash or a comma."""
    for (_, end, _, _), (start, _, year, _) in zip(months[index:], months[index + 1:]):
        if not _MONTH_JOIN.match(text[end:start]):
            return None
        if year:
            return year
    return None


def find_time_mentions(text: str, published: date | None = None, lenient: bool = False) -> list[TimeMention]:
    """Every time expression in `text`, with character spans relative to `text`, earliest first.

    `lenient` (for questions) also accepts a month written without a year or capital ("september").
    """
    found: list[TimeMention] = []
    taken: list[tuple[int, int]] = []
    default_year = published.year if published else None

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(start: int, end: int, period: Period) -> None:
        if free(start, end):
            found.append(TimeMention(start, end, period))
            taken.append((start, end))

    for m in _SINCE_PANDEMIC.finditer(text):
        add(m.start(), m.end(), Period("since", None, date(2020, 3, 1), "since-pandemic"))
    for m in _MONTH_OF_QUARTER.finditer(text):  # "bulan terakhir triwulan II 2024" = June 2024
        which = (m.group("which") or m.group("which2") or "").lower()
        ordinal = (m.group("ord") or m.group("ord2") or "").lower()
        year = int(m.group("year")) if m.group("year") else default_year
        if ordinal in _ORDINALS and year:
            last = _ORDINALS[ordinal] * 3
            offset = 0 if ("terakhir" in which or "last" in which or "final" in which) else (
                2 if ("pertama" in which or "first" in which) else 1)
            add(m.start(), m.end(), month_period(year, last - offset))
    for m in _MONTH_BEFORE.finditer(text):  # "the month before August 2024" = July 2024
        month, year = MONTHS[m.group("month").lower().rstrip(".")], int(m.group("year"))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        add(m.start(), m.end(), month_period(year, month))
    for m in _WHOLE_YEAR.finditer(text):  # "untuk keseluruhan tahun" in a briefing: its publication year
        if default_year:
            add(m.start(), m.end(), year_period(default_year))
    for m in _YEAR_TO_MONTH.finditer(text):  # "sejak awal tahun hingga Juli 2024" = January–July 2024
        year, month = int(m.group("year")), MONTHS[m.group("month").lower().rstrip(".")]
        add(m.start(), m.end(), Period("ytd", _last_day(year, month), date(year, 1, 1), f"{year}-01..{year}-{month:02d}"))
    for m in _FIRST_MONTHS.finditer(text):  # "tiga bulan pertama 2024" = Q1, "first six months" = H1
        months = _COUNT_WORDS[(m.group("id") or m.group("en")).lower()]
        year = int(m.group("year")) if m.group("year") else default_year
        if year:
            kind = {3: "quarter", 6: "half"}.get(months, "ytd")
            label = {3: f"{year}-Q1", 6: f"{year}-H1"}.get(months, f"{year}-01..{year}-{months:02d}")
            add(m.start(), m.end(), Period(kind, _last_day(year, months), date(year, 1, 1), label))
    for m in _PANDEMIC_START.finditer(text):  # "at the start of the pandemic": a moment, not "since"
        add(m.start(), m.end(), Period("month", date(2020, 3, 31), date(2020, 3, 1), "2020-03"))
    for m in _US_DATE.finditer(text):  # "November 22, 2022": before the month alone takes "November"
        add(m.start(), m.end(), month_period(int(m.group("year")), MONTHS[m.group("month").lower().rstrip(".")]))
    for m in _NUMERIC_DATE.finditer(text):
        year, month = (int(m.group("year")), int(m.group("month"))) if m.group("year") else (
            int(m.group("iy")), int(m.group("im")))
        if 1 <= month <= 12:
            add(m.start(), m.end(), month_period(year, month))
    for m in _WEEKDAY_DATE.finditer(text):  # "Rabu (8/11)": the latest such month up to publication
        month = int(m.group("month") or m.group("month2"))
        if 1 <= month <= 12 and published is not None:
            year = published.year - 1 if month > published.month else published.year
            add(m.start(), m.end(), month_period(year, month))
    for m in _SHORT_PART.finditer(text):  # "3Q23", "1H2024"
        number, year = int(m.group("n")), _full_year(m.group("year").strip())
        if m.group("part").lower() == "q":
            add(m.start(), m.end(), _quarter(year, number))
        elif number in (1, 2):
            add(m.start(), m.end(), _half(year, number))
    for pattern, number_group, make in ((_QUARTER, "qnum", _quarter), (_HALF, "hnum", _half)):
        dated: tuple[int, int, int] | None = None  # end, year, number of the last part written with its year
        for m in pattern.finditer(text):
            ordinal = (m.group("ord") or m.group("ord2") or m.group(number_group) or "").lower()
            number = _ORDINALS.get(ordinal)
            if number is None or (make is _half and number not in (1, 2)):
                continue
            year = _part_year(m, None)
            if year is not None:
                dated = (m.end(), year, number)
            elif dated is not None and dated[2] < number and not re.search(r"[.!?]\s", text[dated[0]:m.start()]):
                year = dated[1]  # 'triwulan I-2022 …, lalu … pada triwulan II dan … triwulan III': the same year
            year = year if year is not None else default_year
            if year is not None:
                add(m.start(), m.end(), make(year, number))
    for m in _ELIDED_QUARTER.finditer(text):  # '… in the first quarter, Rp9.99 trillion in the second and … the third'
        anchor = max((t for t in found if t.period.kind == "quarter" and t.end <= m.start()), key=lambda t: t.end,
                     default=None)
        number = _ORDINALS[m.group("ord").lower()]
        if anchor is not None and number > (anchor.period.end.month + 2) // 3 \
                and not re.search(r"[.!?]\s", text[anchor.end:m.start()]):
            add(m.start("q"), m.end("q"), _quarter(anchor.period.end.year, number))
    ordinal_months = list(_ORDINAL_MONTH.finditer(text))
    for index, m in enumerate(ordinal_months):
        month = _MONTH_ORDINALS[(m.group("en") or m.group("id")).lower()]
        year = m.group("year") or next((o.group("year") for o in ordinal_months[index + 1:] if o.group("year")),
                                       None) or default_year
        if year:
            add(m.start(), m.end(), month_period(int(year), month))
    for pattern, month in ((_MID_YEAR, 6), (_END_YEAR, 12), (_START_YEAR, 1)):
        for m in pattern.finditer(text):
            add(m.start(), m.end(), month_period(int(m.group("year")), month))
    months: list[tuple[int, int, int | None, int]] = []  # start, end, year or None, month
    for m in _MONTH_YEAR.finditer(text):
        name = m.group("month").lower().rstrip(".")
        if not m.group("year"):
            capital = text[m.start("month")].isupper()
            sentence_start = m.start() == 0 or text[:m.start()].rstrip().endswith((".", "?", "!"))
            if name in _AMBIGUOUS_MONTHS and not (lenient and capital and name != "mar" and not sentence_start):
                continue  # "mei" / "may" / "mar" as ordinary words or abbreviations
            if not capital and not lenient:
                continue
        year = int(m.group("year")) if m.group("year") else None
        months.append((m.start(), m.end(), year, MONTHS[name]))
    # A month without a year takes the year of the month it is joined to ("Maret hingga Desember 2023",
    # "Oktober dan November 2023"), else the latest such month up to the publication date ("2.56% in October"
    # in a briefing of December 2023 is October 2023; "Desember" in one of January 2024 is December 2023).
    this_year = default_year
    if _LAST_YEAR.search(text) and default_year:
        this_year = default_year - 1
    for index, (start, end, year, month) in enumerate(months):
        if year is None:
            year = _joined_year(text, months, index)
            if year is None and published is None:  # a question: the year of a later month it names
                year = next((later for _, _, later, _ in months[index + 1:] if later), None)
            if year is None and this_year is not None:
                # well after the publication month, a month is last year's; just after it, a coming one
                year = this_year - 1 if (this_year == default_year and published is not None
                                         and month - published.month > 2 and not _THIS_YEAR.search(text)) \
                    else this_year
            if year is None:
                continue
        add(start, end, month_period(year, month))
    for m in _CURRENT.finditer(text):
        add(m.start(), m.end(), current_period(published))
    for m in _THIS_YEAR.finditer(text):
        if default_year:
            add(m.start(), m.end(), year_period(default_year))
    for m in _LAST_YEAR.finditer(text):
        if default_year:
            add(m.start(), m.end(), year_period(default_year - 1))
    for m in _YEAR_ALONE.finditer(text):
        add(m.start(), m.end(), year_period(int(m.group("year"))))
    found.sort(key=lambda t: t.start)
    return _absorb_years(text, _join_ranges(text, found))


def _absorb_years(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """'Maret hingga Desember tahun ini': the trailing year only qualifies the months before it."""
    kept: list[TimeMention] = []
    for mention in mentions:
        if (kept and mention.period.kind == "year" and kept[-1].period.kind in ("span", "month")
                and not text[kept[-1].end:mention.start].strip()
                and kept[-1].period.end and mention.period.end
                and kept[-1].period.end.year == mention.period.end.year):
            kept[-1] = TimeMention(kept[-1].start, mention.end, kept[-1].period)
            continue
        kept.append(mention)
    return kept


def _join_ranges(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """'sejak Maret hingga Desember 2023' / 'from March to June 2023' → one span mention."""
    joined: list[TimeMention] = []
    index = 0
    while index < len(mentions):
        current = mentions[index]
        if index + 1 < len(mentions):
            nxt = mentions[index + 1]
            between = text[current.end:nxt.start]
            before = text[max(0, current.start - 12):current.start].lower()
            pointlike = {"month", "quarter", "date", "current", "year", "half"}
            hyphen = re.fullmatch(r"\s*[-–]\s*", between) is not None  # "April-Juni 2023"
            if ((_RANGE_JOIN.match(between) and re.search(r"(sejak|dari|antara|from|between)\s*$", before)) or hyphen) \
                    and current.period.kind in pointlike and nxt.period.kind in pointlike:
                joined.append(TimeMention(current.start, nxt.end, span_period(current.period, nxt.period)))
                index += 2
                continue
        joined.append(current)
        index += 1
    return joined


def months_between(first: Period, last: Period) -> int | None:
    """Whole months from one as-of moment to another (March → December = 9)."""
    if not first.end or not last.end:
        return None
    return (last.end.year - first.end.year) * 12 + last.end.month - first.end.month
