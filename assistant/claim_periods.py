"""Which period a claim is for, and why: its own time expression, the sentence's, the previous sentences',
a section heading's ('**Second quarter of 2023**'), the title's or the publication date.

Corrects what a per-figure reading gets wrong about time: the date a figure was *announced* ("…, OJK told a
press conference on Monday, 5 August"), a comparison's period ("117.59% more than in 2021"), a month or
"sepanjang tahun" written without a year in a report published after the period it covers, values
said to be a year or a month earlier ("US$21 miliar setahun sebelumnya", "0.17% a month earlier") or
compared "from" with no time ("to 0.78% from 0.79%"), and stretches up to a month ("hingga Mei 2023" is
January–May for an amount or a count).
"""

from __future__ import annotations

import re
from datetime import date

from assistant.periods import MONTHS, Period, TimeMention, find_time_mentions, month_period, year_period

_REPORTING = re.compile(r"\b(told|said|says|announced|kata|ujar|menyampaikan|mengatakan|menjelaskan|diumumkan|"
                        r"mengumumkan|konferensi|conference|jumpa pers|press)\b", re.I)
_TEMPORAL_BEFORE = re.compile(r"\b(in|on|for|during|by|as of|pada|per|hingga|sampai|sepanjang|selama|di)\s*$", re.I)
COMPARED = re.compile(r"\b(above|below|than|from|dari|against|versus|vs|after|dibanding\w*|daripada)\s*$", re.I)
_COMPARED_TIME = re.compile(r"\b(than|from|dari|dibanding\w*|daripada|compared (?:with|to)|versus|vs\.?|above|below|"
                            r"against|on(?= the))\s+(?:in\s+|pada\s+|the\s+)?$", re.I)
_RELATIVE_LINK = re.compile(r",?\s*(?:when|ketika|saat|yang|which|where)\b", re.I)
_SAME_PERIOD = re.compile(r"\b(yang sama|bulan itu|the same (?:month|period|quarter)|that month)\b", re.I)
_YEAR_AGO = re.compile(r"\b(a year (?:earlier|before|ago)|twelve months (?:earlier|before)|12 months (?:earlier|before)|"
                       r"setahun (?:sebelumnya|lalu)|tahun sebelumnya|the previous year|the year before)\b", re.I)
# 'Setahun kemudian produksi naik …', 'A year later, …': the sentence moves on from the previous one's period
_LATER_OPENING = re.compile(r"^\W*(?:(?P<year>setahun kemudian|satu tahun kemudian|tahun berikutnya|pada tahun berikutnya|"
                            r"a year later|one year later|the following year|the next year)|(?P<month>sebulan kemudian|"
                            r"bulan berikutnya|a month later|the following month|the next month))\b", re.I)
_MONTH_AGO = re.compile(r"\b(a month (?:earlier|before)|the previous month|the month before|sebulan sebelumnya|"
                        r"bulan sebelumnya)\b", re.I)
# '… than a year earlier', 'dibanding triwulan yang sama tahun sebelumnya': the time is the comparison's
_COMPARISON_BEFORE = re.compile(r"\b(from|than|dari|dibanding\w*|daripada|versus|vs|compared (?:with|to)|on|"
                                r"with)\s+(?:(?:the|a|same|yang|sama|periode|period|month|quarter|bulan|triwulan|"
                                r"kuartal|semester|half)\s+){0,4}$", re.I)
_LAST_YEAR = re.compile(r"\b(tahun lalu|last year|tahun sebelumnya|previous year)\b", re.I)
_LAST_YEAR_FROM_NOW = re.compile(r"\b(tahun lalu|last year)\b", re.I)  # the year before publication, not the period's
_COMPARED_BEFORE_LAST_YEAR = re.compile(r"\b(dari|than|from|dibanding\w*|daripada|compared|versus|vs|yang sama|same)\b",
                                        re.I)
_LOOKBACK = 40  # how far before a time mention a comparison is looked for (_COMPARED_BEFORE_LAST_YEAR)


def _before(sentence: str, mention: TimeMention, floor: int = 0) -> str:
    """The words just before `mention` (not before `floor`), where a comparison it belongs to would stand."""
    return sentence[max(floor, mention.start - _LOOKBACK):mention.start]
_DAY_DATE = re.compile(r"\d{1,2}(?:\s+[^\W\d]|/)")  # '27 February 2024', '15/12/2023': the day something happened
_MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
# 'hingga Juli 2022', 'up to February', 'Januari sampai akhir Juli 2022': a stretch that ends in the month
_UP_TO = re.compile(r"(?:\b(?P<first>" + _MONTH_NAME + r")\s+)?\b(?P<join>hingga|sampai(?:\s+dengan)?|s\.d\.|"
                    r"up to|through|until|to)\s+(?P<close>akhir\s+|(?:the\s+)?end of\s+)?$", re.I)
_STARTED = re.compile(r"\b(?:sejak|since|mulai|starting|dimulai|began|begun|started|from|dari|antara|between)\s+"
                      r"(?:\w+\s+){0,3}$", re.I)
# 'the run that began in May 2020', 'terhitung sejak Mei 2020': when something started, not the figure's time
_START_OF = re.compile(r"\b(began|begun|started|starting|commenced|dimulai|bermula|terhitung sejak)\s+"
                       r"(?:in\s+|on\s+|pada\s+)?$", re.I)
_FROM_VALUE = re.compile(r"\b(?:from|dari)\s+(?:about\s+|around\s+|sekitar\s+)?$", re.I)
_HEADING = re.compile(r"^\s*(?:#+\s*(?P<hash>.+)|\*\*(?P<bold>[^*]+)\*\*)")


def heading_periods(text: str, sentences: list[tuple[int, int]], published: date | None) -> list[tuple[int, Period | None]]:
    """(start, period or None) of every heading-like sentence: '# …', or a bold run opening a line."""
    found = []
    for start, end in sentences:
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip():
            continue  # not at the start of a line
        match = _HEADING.match(text[start:end])
        if match:
            label = match.group("hash") or match.group("bold")
            mentions = [m for m in find_time_mentions(label, published)
                        if m.period.kind in ("month", "quarter", "half", "year", "ytd", "span")]
            found.append((start, mentions[0].period if mentions else None))
    return found


def shift(period: Period, months: int) -> Period:
    """The same stretch `months` earlier (later when negative)."""
    def back(day: date) -> tuple[int, int]:
        total = day.year * 12 + day.month - 1 - months
        return total // 12, total % 12 + 1

    year, month = back(period.end)
    if period.kind == "year":
        return year_period(year)
    if period.kind in ("month", "date", "current"):
        return month_period(year, month)
    first_year, first_month = back(period.start or period.end)
    start = month_period(first_year, first_month).start
    end = month_period(year, month).end
    if period.kind == "quarter":
        label = f"{year}-Q{(month - 1) // 3 + 1}"
    elif period.kind == "half":
        label = f"{year}-H{1 if month <= 6 else 2}"
    else:
        label = f"{first_year:04d}-{first_month:02d}..{year:04d}-{month:02d}"
    return Period(period.kind, end, start, label)


def _months_back(sentence: str, before: str, after: str, own: bool) -> int:
    """12 or 1 when the figure is said to be a year or a month earlier, else 0."""
    for window, needs_not_own in ((after, False), (before, True)):
        if needs_not_own and own:
            continue
        for pattern, months in ((_YEAR_AGO, 12), (_MONTH_AGO, 1)):
            for match in pattern.finditer(window):
                if not _COMPARISON_BEFORE.search(window[:match.start()]):
                    return months
    return 0


def _reresolve(mention_text: str, period: Period, reference: Period | None, published: date | None = None,
               before: str = "") -> Period:
    """A month or year written without a year ('November', 'sepanjang tahun') in a report published after
    the period it covers: the year of the document's own period. 'Tahun lalu' / 'last year' on its own is the year
    before publication (in a report of January 2024 on 2023, 2023); after a comparison ('naik dari Rp4 triliun tahun
    lalu', 'periode yang sama tahun lalu') and 'the previous year', the year before the period's. A quarter or half
    whose year was the publication's by default ('the first quarter' in a February 2024 report on 2023) is the
    document's period's."""
    if re.search(r"(19|20)\d{2}", mention_text):
        return period
    if period.kind == "year" and published is not None and _LAST_YEAR_FROM_NOW.search(mention_text) \
            and not _COMPARED_BEFORE_LAST_YEAR.search(before):
        return year_period(published.year - 1)
    if reference is None or reference.end is None:
        return period
    if period.kind == "month" and period.end is not None:
        month = period.end.month
        year = reference.end.year if month <= reference.end.month else reference.end.year - 1
        return month_period(year, month)
    if period.kind == "year":
        return year_period(reference.end.year - (1 if _LAST_YEAR.search(mention_text) else 0))
    if period.kind in ("quarter", "half") and period.end is not None and published is not None \
            and not re.search(r"\d{2}", mention_text) and period.end.year == published.year != reference.end.year:
        year = reference.end.year if period.end.month <= reference.end.month else reference.end.year - 1
        return shift(period, (period.end.year - year) * 12)
    return period


def claim_period(text: str, sentence: str, mentions: list[TimeMention], figure, start: int, end: int,
                 fallback: tuple[Period | None, str | None], earlier: list, headings: list[tuple[int, Period | None]],
                 published: date | None, previous_end: int, next_start: int) -> tuple[Period | None, str | None]:
    period, reason = _base_period(text, sentence, mentions, figure, start, end, fallback, earlier, headings,
                                  published, previous_end)
    if period is not None and reason == "own" and not sentence.lstrip().startswith("#"):
        mention = _own_mention(mentions, period, start, end)
        if mention is not None and additive(sentence, figure, start, end):
            period = cumulative(sentence, mention, mentions, published) or period
    if period is not None and period.end is not None:
        months = _months_back(sentence, sentence[previous_end:start], sentence[end:next_start], reason == "own")
        if not months and reason != "own" and previous_end and _FROM_VALUE.search(sentence[previous_end:start]):
            months = _step(period, sentence)  # 'rose to 0.78% from 0.79%': the value before
        if months:
            return shift(period, months), reason
    return period, reason


def _step(period: Period, sentence: str) -> int:
    """How far back a compared value with no time of its own lies: a year when the sentence compares years
    (yoy), else one stretch of the period's own length."""
    if re.search(r"\b(yoy|year[- ]on[- ]year|tahunan|annual)\b", sentence, re.I):
        return 12
    return {"year": 12, "half": 6, "quarter": 3, "month": 1, "ytd": 12}.get(period.kind, 0)


_RATE_UNITS = frozenset("% pp bps bph bopd boepd mmscfd".split())
_STOCK = re.compile(r"\b(outstanding|posisi|saldo|baki|stok|stock|position|cadangan|reserves|rata-rata|average)\b",
                    re.I)


def additive(sentence: str, figure, start: int, end: int) -> bool:
    """Whether the figure sums over time (an amount or a count), so that 'hingga Juli' means January–July;
    not a rate, a share, an index, a per-day average or a stock ('outstanding', 'posisi')."""
    unit = (figure.unit or "").lower()
    if unit in _RATE_UNITS or "/" in unit or (not unit and figure.scale is None):
        return False
    if re.match(r"\s*(?:\w+\s+){0,3}?(?:per|a|/)\s*(?:hari|day|bulan|month)\b", sentence[end:end + 40], re.I):
        return False
    return not _STOCK.search(sentence[max(0, figure.clause_start - figure.sentence_start):start])


def cumulative(sentence: str, mention: TimeMention, mentions: list[TimeMention],
               published: date | None) -> Period | None:
    """'hingga Juli 2022', 'up to February' → January–July, January–February: a stretch ending in a month
    (not 'hingga akhir Juli', a day, a stretch begun earlier, or a month still to come — a deadline);
    'Januari sampai akhir Juli 2022' → that span."""
    match = _UP_TO.search(sentence[max(0, mention.start - 40):mention.start])
    last = mention.period
    if match is None or last.kind != "month" or last.end is None or _DAY_DATE.match(sentence[mention.start:]):
        return None
    year, month = last.end.year, last.end.month
    if match.group("first"):
        first = MONTHS[match.group("first").lower()]
        if first >= month:
            return None
    else:
        head = sentence[:max(0, mention.start - 40) + match.start()]
        if match.group("close") or match.group("join").lower() == "to" or month == 1 or _STARTED.search(head) \
                or (published is not None and last.end > published):
            return None
        first = 1
    return Period("ytd" if first == 1 else "span", last.end, date(year, first, 1),
                  f"{year}-{first:02d}..{year}-{month:02d}")


def _bare_after(sentence: str, mentions: list[TimeMention], published: date | None, end: int) -> TimeMention | None:
    """A month written without a year right after the number ('Rp21.8 trillion in May')."""
    strict = {(m.start, m.end) for m in find_time_mentions(sentence, published)}
    for m in mentions:
        if (m.start, m.end) not in strict and m.period.kind == "month" and m.start >= end and m.start - end <= 12 \
                and _TEMPORAL_BEFORE.search(sentence[end:m.start]):
            return m
    return None


def _own_mention(mentions: list[TimeMention], period: Period, start: int, end: int) -> TimeMention | None:
    same = [m for m in mentions if m.period.label == period.label]
    before = [m for m in same if m.end <= start]
    after = [m for m in same if m.start >= end]
    return (before[-1] if before else None) or (after[0] if after else None)


def _base_period(text, sentence, mentions, figure, start, end, fallback, earlier, headings, published, previous_end):
    reference = fallback[0] if fallback[1] == "title" else None
    displaced = False  # the figure's own time belongs to something else ('56% of the 2022 target')
    clause_start = max(0, figure.clause_start - figure.sentence_start)
    period = figure.period
    when = [m for m in mentions if previous_end <= m.start and m.end <= start
            and re.match(r",?\s*(?:when|ketika|saat|where)\b", sentence[m.end:start], re.I)]
    if when:
        return when[-1].period, "own"  # 'less than in 2022, when the annual surplus totalled US$54.46 billion'
    if period is not None and not figure.period_inherited:
        mention = _own_mention(mentions, period, start, end)
        nearer = [m for m in mentions if mention is not None and mention.end <= previous_end <= m.start
                  and m.end <= start and _TEMPORAL_BEFORE.search(sentence[max(0, m.start - 12):m.start])
                  and not _COMPARED_TIME.search(sentence[max(0, m.start - 16):m.start])
                  and not re.fullmatch(r"[\s\w]{0,12}?\s(?:in|pada|on|di|per)\s*", sentence[previous_end:m.start], re.I)]
        if nearer:  # 'Pada Oktober 2023 surplus US$3,48 miliar, sedangkan pada November 2022 nilainya …'
            return _reresolve(sentence[nearer[-1].start:nearer[-1].end], nearer[-1].period, reference, published,
                              _before(sentence, nearer[-1])), "own"
        rejected = False
        if mention is not None:
            words = sentence[mention.start:mention.end]
            reported = mention.start >= end and _REPORTING.search(sentence[end:mention.start])
            dated = mention.end <= clause_start and _DAY_DATE.match(words) is not None
            compared = _COMPARED_TIME.search(sentence[max(0, mention.start - 16):mention.start]) is not None \
                and not (mention.end <= start and _RELATIVE_LINK.match(sentence[mention.end:start]))
            follows_other = mention.end <= start and 0 < previous_end <= mention.start and re.fullmatch(
                r"\s*(?:in|pada|on|di|per)\s*", sentence[previous_end:mention.start], re.I) is not None
            started = _START_OF.search(sentence[max(0, mention.start - 25):mention.start]) is not None
            # '56,02% dari target penyaluran 2022': the time of the whole the number is a part of
            between = sentence[end:mention.start]
            base = mention.start >= end and not _TEMPORAL_BEFORE.search(between) \
                and re.match(r"\s*(?:dari|of|terhadap)\s+[^\W\d][^\d,;]*\s$", between, re.I) is not None
            # '35,3 persen (2021: 37,8 persen)': a time followed by a colon labels the number after it
            labels_next = mention.start >= end and re.match(r"\s*:\s*(?:Rp|US\$|USD|IDR)?\s*[-+]?\d",
                                                            sentence[mention.end:]) is not None
            rejected = bool(reported or dated or compared or follows_other or started or base or labels_next)
            if not rejected:
                closer = _bare_after(sentence, mentions, published, end)
                if closer is not None and mention.start > closer.start:
                    return _reresolve("", closer.period, fallback[0]), "own"  # '… Rp21.8 trillion in May, … in June'
                year_after = re.match(r"\s{0,2}((?:19|20)\d{2})\b", sentence[mention.end:mention.end + 7])
                if year_after and period.kind == "year":
                    return year_period(int(year_after.group(1))), "own"  # 'setahun penuh 2023'
                return _reresolve(words, period, reference, published, _before(sentence, mention, previous_end)), "own"
        if not rejected:
            return period, "own"
        main = [m for m in mentions if m is not mention and m.end <= start and m.period.kind != "since"
                and not _COMPARED_TIME.search(sentence[max(0, m.start - 16):m.start])
                and not _DAY_DATE.match(sentence[m.start:m.end])]
        if main:
            return _reresolve(sentence[main[0].start:main[0].end], main[0].period, reference, published,
                              _before(sentence, main[0])), "own"
        period, displaced = None, True
    strict = {(m.start, m.end) for m in find_time_mentions(sentence, published)}
    bare = [m for m in mentions if (m.start, m.end) not in strict and m.period.kind == "month" and (
        clause_start <= m.start and m.end <= start and not COMPARED.search(sentence[max(0, m.start - 12):m.start])
        and not (clause_start > 0 and re.fullmatch(r"\W*(?:in|pada|on|di)\s*", sentence[clause_start:m.start], re.I))
        or (m.start >= end and m.start - end <= 12 and _TEMPORAL_BEFORE.search(sentence[end:m.start])))]
    if bare and bare[-1].period.end is not None:
        return _reresolve("", bare[-1].period, fallback[0]), "own"
    same = [c for c in earlier if c.figure is not None and c.figure.sentence_start == figure.sentence_start]
    if same and same[0].period_reason in ("own", "inherited") and same[0].kind not in ("target", "forecast"):
        return same[0].period, "inherited"  # 'Pada 2021, … Rp282,22 triliun …, di bawah target Rp285 triliun'
    if same and same[0].period_reason in ("title", "published") and not figure.period_inherited:
        return fallback
    heading = next((p for s, p in reversed(headings) if s < figure.sentence_start), None)
    heading_start = next((s for s, _ in reversed(headings) if s < figure.sentence_start), -1)
    if figure.period_inherited or displaced or _SAME_PERIOD.search(sentence):
        paragraph = text.rfind("\n\n", 0, figure.sentence_start)
        previous = [c for c in earlier if c.figure is not None and c.figure.sentence_start < figure.sentence_start
                    and c.figure.sentence_start > heading_start
                    and text.rfind("\n\n", 0, c.figure.sentence_start) == paragraph]
        if previous:
            last_sentence = previous[-1].figure.sentence_start
            first = next(c for c in previous if c.figure.sentence_start == last_sentence)
            if first.period_reason in ("own", "inherited") and first.period is not None \
                    and _one_stretch(first.period) and first.kind not in ("target", "forecast"):
                later = _LATER_OPENING.match(sentence)
                if later and first.period.end is not None:
                    return shift(first.period, -12 if later.group("year") else -1), "inherited"
                return first.period, "inherited"
        elif figure.period is not None and heading is None and not displaced:
            return figure.period, "inherited"
    if heading is not None:
        return _so_far(heading, reference), "inherited"
    return fallback


def target_year(period: Period | None, reason: str | None) -> Period | None:
    """A target or ceiling read from its context ('42% of the Rp3,325.1 trillion ceiling' in a first-half
    report) is for the whole year; one with its own time keeps it."""
    if period is not None and period.end is not None and reason in ("inherited", "title") \
            and period.kind in ("month", "quarter", "half", "ytd"):
        return year_period(period.end.year)
    return period


def _one_stretch(period: Period) -> bool:
    """Not 'since …' nor a span over years: 'January–December 2023' is, 'Agustus 2015 hingga Juli 2022' not."""
    if period.kind == "since":
        return False
    return period.kind != "span" or (period.start is not None and period.end is not None
                                     and period.start.year == period.end.year)


def _so_far(heading: Period, reference: Period | None) -> Period:
    """A heading's year that the document's own period ends inside ('**Rincian pada 2022**' in a July 2022
    report): the figures below are as of the document's period."""
    if heading.kind == "year" and reference is not None and reference.end is not None and heading.end is not None \
            and reference.end.year == heading.end.year and reference.end < heading.end \
            and reference.kind in ("month", "quarter", "half", "ytd"):
        return reference
    return heading
