"""Time expressions in briefings and questions."""

from datetime import date

import pytest

from assistant.period_days import day_dates
from assistant.period_text import describe
from assistant.periods import (
    current_period,
    find_time_mentions,
    month_period,
    months_between,
    year_period,
)

PUBLISHED = date(2023, 12, 4)


def only(text, published=PUBLISHED, lenient=False):
    """The single time mention in `text` (fails when there is not exactly one)."""
    mentions = find_time_mentions(text, published, lenient=lenient)
    assert len(mentions) == 1, mentions
    mention = mentions[0]
    assert 0 <= mention.start < mention.end <= len(text)
    return mention


@pytest.mark.parametrize(
    "text, kind, label, end",
    [
        ("Per Maret 2023, sebanyak 22 juta UMKM", "month", "2023-03", date(2023, 3, 31)),
        ("Sementara per Juni 2023, bertambah", "month", "2023-06", date(2023, 6, 30)),
        ("akselerasi 3 juta UMKM hingga Desember 2023.", "month", "2023-12", date(2023, 12, 31)),
        ("target 30 juta UMKM go digital pada 2024.", "year", "2024", date(2024, 12, 31)),
        ("ekspor pada kuartal I 2024 ditargetkan", "quarter", "2024-Q1", date(2024, 3, 31)),
        ("imported 1.2 million tonnes in the first quarter of 2023.", "quarter", "2023-Q1", date(2023, 3, 31)),
        ("by the end of the first half of 2023", "half", "2023-H1", date(2023, 6, 30)),
        ("prices peaked in mid-2023", "month", "2023-06", date(2023, 6, 30)),
    ],
)
def test_document_periods(text, kind, label, end):
    mention = only(text)
    assert (mention.period.kind, mention.period.label, mention.period.end) == (kind, label, end)


def test_month_mention_span_covers_the_words():
    text = "Per Maret 2023, sebanyak 22 juta UMKM"
    mention = only(text)
    assert text[mention.start:mention.end] == "Maret 2023"


def test_since_the_pandemic():
    for text in ("bertambah 14,8 juta sejak awal pandemi atau", "up 14.8 million since the start of the pandemic"):
        period = only(text).period
        assert period.kind == "since" and period.start == date(2020, 3, 1)


def test_month_range_with_this_year_resolves_against_publication():
    text = "Jika membandingkan sejak Maret hingga Desember tahun ini, artinya"
    mention = only(text)
    assert mention.period.kind == "span"
    assert mention.period.start == date(2023, 3, 1) and mention.period.end == date(2023, 12, 31)
    assert mention.period.label == "2023-03..2023-12"
    assert "Maret" in text[mention.start:mention.end] and "tahun ini" in text[mention.start:mention.end]
    # published a year later, "tahun ini" is 2024
    later = only(text, published=date(2024, 11, 1)).period
    assert (later.start, later.end) == (date(2024, 3, 1), date(2024, 12, 31))


@pytest.mark.parametrize("text", ["Saat ini sudah 27 juta yang sudah go digital", "Bulog currently holds 1.6 million"])
def test_now_means_the_publication_date(text):
    period = only(text).period
    assert period.kind == "current" and period.end == PUBLISHED
    other = only(text, published=date(2024, 5, 8)).period
    assert other.end == date(2024, 5, 8)


def test_now_without_a_publication_date_is_unresolved():
    period = only("saat ini", published=None).period
    assert period.kind == "current" and period.end is None


def test_lenient_mode_accepts_a_bare_lowercase_month():
    assert find_time_mentions("berapa UMKM sampai september", PUBLISHED) == []
    mention = only("berapa UMKM sampai september", lenient=True)
    assert mention.period.label == "2023-09"


@pytest.mark.parametrize("text", ["May I ask about the target?", "May I ask", "Mar, the head, said so"])
def test_ordinary_words_are_not_months(text):
    assert find_time_mentions(text, PUBLISHED, lenient=True) == []


def test_may_with_a_year_is_a_month():
    mention = only("May I ask about May 2024?", lenient=True)
    assert mention.period.label == "2024-05"


def test_mentions_are_ordered_and_do_not_overlap():
    text = "Per Maret 2023 sebanyak 22 juta, per Juni 2023 22,8 juta, dan saat ini 27 juta; target pada 2024."
    mentions = find_time_mentions(text, PUBLISHED)
    assert [m.period.label for m in mentions] == ["2023-03", "2023-06", "2023-12-04", "2024"]
    for first, second in zip(mentions, mentions[1:]):
        assert first.end <= second.start


def test_months_between():
    assert months_between(month_period(2023, 3), month_period(2023, 12)) == 9
    assert months_between(month_period(2022, 11), month_period(2023, 2)) == 3
    assert months_between(month_period(2023, 3), current_period(PUBLISHED)) == 9
    assert months_between(month_period(2023, 3), current_period(None)) is None
    assert months_between(year_period(2023), year_period(2024)) == 12


def test_describe_in_both_languages():
    assert describe(month_period(2023, 6), "id") == "Juni 2023"
    assert describe(month_period(2023, 6), "en") == "June 2023"
    assert "4 Desember 2023" in describe(current_period(PUBLISHED), "id")
    assert "4 December 2023" in describe(current_period(PUBLISHED), "en")
    assert describe(year_period(2024), "en") == "2024"


@pytest.mark.parametrize(
    "text, label",
    [
        ("tumbuh 4,62 persen pada triwulan II-2022.", "2022-Q2"),  # BPS writes the year after a dash
        ("kuartal IV/2022", "2022-Q4"),
        ("Q3-2022 results", "2022-Q3"),
        ("in Q4'22", "2022-Q4"),
        ("TW IV 2022", "2022-Q4"),
        ("semester I-2022", "2022-H1"),
        ("net profit rose in 3Q22", "2022-Q3"),
        ("guidance for 1H2024", "2024-H1"),
        ("the auction on November 22, 2022 drew", "2022-11"),
        ("on Nov. 22, 2022, the", "2022-11"),
        ("ditutup Jumat (30/12/2022) pada", "2022-12"),
        ("as of 2022-12-30", "2022-12"),
    ],
)
def test_the_year_of_a_quarter_half_or_date_is_the_one_written(text, label):
    # published in 2023: a year the text writes is never replaced by the publication's
    assert only(text).period.label == label


def test_a_day_and_month_after_a_weekday_take_the_latest_such_month():
    assert only("Rabu (8/11) lalu", published=date(2024, 1, 15)).period.label == "2023-11"
    assert only("(Jumat, 30/12) lalu", published=date(2023, 1, 2)).period.label == "2022-12"


@pytest.mark.parametrize("text", ["kuartal ini", "this quarter's outlook", "twice as many", "1/2/3 of the votes"])
def test_words_that_only_look_like_parts_of_a_year_are_not_periods(text):
    assert [m.period.label for m in find_time_mentions(text, PUBLISHED)] == []


@pytest.mark.parametrize(
    "text, days",
    [
        ("hasil lelang SUN 7 November 2023", {(11, 7)}),
        ("the November 21, 2023 SUN auction and the November 7 auction", {(11, 21), (11, 7)}),
        ("ditutup Jumat (30/12/2022)", {(12, 30)}),
        ("Rabu (8/11) lalu", {(11, 8)}),
        ("as of 2022-12-30", {(12, 30)}),
        ("inflasi November 2023 sebesar 2,86 persen", set()),  # a month, no day
    ],
)
def test_the_days_a_text_names(text, days):
    assert day_dates(text) == days


@pytest.mark.parametrize("text", ["tumbuh di Q2-15% setahun", "the TWI rose 2%", "took 1h 15 min", "1H 20 provinces"])
def test_numbers_after_a_part_of_a_year_are_not_its_year(text):
    assert all(m.period.label in ("2023-Q2",) for m in find_time_mentions(text, PUBLISHED))  # "Q2" alone: this year's


@pytest.mark.parametrize(
    "text",
    [
        "FR0100 turun 13 basis poin dari 7,24 persen pada lelang 24 Oktober 2023.",  # a comparison's day
        "The bid-to-cover ratio rose to 1.65 times from 1.32 times at the November 7 auction.",
        "seri FR0100 (jatuh tempo 15 Februari 2034) dimenangkan pada 7,11 persen",  # a maturity
        "rates of 5 may be cut",
        "Pada November 12 provinsi mengalami deflasi.",
        "pada 31/02/2023",  # no such day
    ],
)
def test_days_that_are_not_an_events_own_are_not_named(text):
    assert day_dates(text) == set()
