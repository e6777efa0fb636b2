"""Which period a claim is for, and why: its own time expression, the sentence's, the previous sentences',
a section heading's ('**Second quarter of 2023**'), the title's or the publication date.

Corrects what a per-figure reading gets wrong about time: the date a figure was *announced* ("…, OJK told a
press conference on Monday, 5 August"), a comparison's period ("117.59% more than in 2021"), a month or
"sepanjang tahun" written without a year in a report published after the period it covers, and values
said to be a year or a month earlier ("US$21 miliar setahun sebelumnya", "0.17% a month earlier").
"""

from __future__ import annotations

import re
from datetime import date

from assistant.periods import Period, TimeMention, find_time_mentions, month_period, year_period

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
_MONTH_AGO = re.compile(r"\b(a month (?:earlier|before)|the previous month|the month before|sebulan sebelumnya|"
                        r"bulan sebelumnya)\b", re.I)
_COMPARISON_BEFORE = re.compile(r"\b(from|than|dari|dibanding\w*|daripada|versus|vs|compared (?:with|to)|on|"
                                r"with)\s+(?:the\s+|a\s+)?$", re.I)
_LAST_YEAR = re.compile(r"\b(tahun lalu|last year|tahun sebelumnya|previous year)\b", re.I)
_DAY_DATE = re.compile(r"\d{1,2}(?:\s+[^\W\d]|/)")  # '27 February 2024', '15/12/2023': the day something happened
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
    """The same stretch `months` earlier."""
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


def _reresolve(mention_text: str, period: Period, reference: Period | None) -> Period:
    """A month or year written without a year ('November', 'sepanjang tahun') in a report published after
    the period it covers: the year of the document's own period."""
    if reference is None or reference.end is None or re.search(r"(19|20)\d{2}", mention_text):
        return period
    if period.kind == "month" and period.end is not None:
        month = period.end.month
        year = reference.end.year if month <= reference.end.month else reference.end.year - 1
        return month_period(year, month)
    if period.kind == "year":
        return year_period(reference.end.year - (1 if _LAST_YEAR.search(mention_text) else 0))
    return period


def claim_period(text: str, sentence: str, mentions: list[TimeMention], figure, start: int, end: int,
                 fallback: tuple[Period | None, str | None], earlier: list, headings: list[tuple[int, Period | None]],
                 published: date | None, previous_end: int, next_start: int) -> tuple[Period | None, str | None]:
    period, reason = _base_period(text, sentence, mentions, figure, start, end, fallback, earlier, headings,
                                  published, previous_end)
    if period is not None and period.end is not None:
        months = _months_back(sentence, sentence[previous_end:start], sentence[end:next_start], reason == "own")
        if months:
            return shift(period, months), reason
    return period, reason


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
    clause_start = max(0, figure.clause_start - figure.sentence_start)
    period = figure.period
    if period is not None and not figure.period_inherited:
        mention = _own_mention(mentions, period, start, end)
        rejected = False
        if mention is not None:
            words = sentence[mention.start:mention.end]
            reported = mention.start >= end and _REPORTING.search(sentence[end:mention.start])
            dated = mention.end <= clause_start and _DAY_DATE.match(words) is not None
            compared = _COMPARED_TIME.search(sentence[max(0, mention.start - 16):mention.start]) is not None \
                and not (mention.end <= start and _RELATIVE_LINK.match(sentence[mention.end:start]))
            follows_other = mention.end <= start and 0 < previous_end <= mention.start and re.fullmatch(
                r"\s*(?:in|pada|on|di|per)\s*", sentence[previous_end:mention.start], re.I) is not None
            rejected = bool(reported or dated or compared or follows_other)
            if not rejected:
                closer = _bare_after(sentence, mentions, published, end)
                if closer is not None and mention.start > closer.start:
                    return _reresolve("", closer.period, fallback[0]), "own"  # '… Rp21.8 trillion in May, … in June'
                year_after = re.match(r"\s{0,2}((?:19|20)\d{2})\b", sentence[mention.end:mention.end + 7])
                if year_after and period.kind == "year":
                    return year_period(int(year_after.group(1))), "own"  # 'setahun penuh 2023'
                return _reresolve(words, period, reference), "own"
        if not rejected:
            return period, "own"
        main = [m for m in mentions if m is not mention and m.end <= start and m.period.kind != "since"
                and not _COMPARED_TIME.search(sentence[max(0, m.start - 16):m.start])
                and not _DAY_DATE.match(sentence[m.start:m.end])]
        if main:
            return _reresolve(sentence[main[0].start:main[0].end], main[0].period, reference), "own"
        period = None
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
    if figure.period_inherited or _SAME_PERIOD.search(sentence):
        paragraph = text.rfind("\n\n", 0, figure.sentence_start)
        previous = [c for c in earlier if c.figure is not None and c.figure.sentence_start < figure.sentence_start
                    and c.figure.sentence_start > heading_start
                    and text.rfind("\n\n", 0, c.figure.sentence_start) == paragraph]
        if previous:
            last_sentence = previous[-1].figure.sentence_start
            first = next(c for c in previous if c.figure.sentence_start == last_sentence)
            if first.period_reason in ("own", "inherited") and first.period is not None \
                    and first.period.kind not in ("since", "span") and first.kind not in ("target", "forecast"):
                return first.period, "inherited"
        elif figure.period is not None and heading is None:
            return figure.period, "inherited"
    if heading is not None:
        return heading, "inherited"
    return fallback
