"""Claim periods: announcement dates, comparisons, year-less months, 'a year earlier', section headings."""

from assistant.claim_periods import shift
from assistant.periods import month_period, year_period
from test_claims import by_text, claims


def test_a_comparison_period_is_not_the_numbers():
    found = claims("For 2022 as a whole, volume reached 1 billion transactions, 117.59% more than in 2021, while "
                   "value totalled Rp99.98 trillion.", "en", "QRIS 2023")
    assert [c.period_label for c in found] == ["2022", "2022", "2022"]


def test_a_month_without_year_is_read_in_the_documents_period():
    found = claims("The index climbed to 52.2 in December 2023 from 51.7 in November.", "en",
                   "Manufacturing PMI December 2023", published="2024-01-02")
    assert by_text(found, "51.7").period_label == "2023-11"


def test_whole_year_words_take_the_documents_year_or_the_year_written_after_them():
    found = claims("Untuk setahun penuh 2023, investasi mencapai Rp1.418,9 triliun, atau 101,3% dari target.",
                   title="Realisasi Investasi Triwulan I 2024", published="2024-04-29")
    assert {c.period_label for c in found} == {"2023"}
    revenue = claims("Pendapatan negara sepanjang tahun terkumpul Rp2.774,3 triliun.", title="APBN 2023",
                     published="2024-01-03")[0]
    assert revenue.period_label == "2023"


def test_a_value_a_year_or_a_month_earlier_is_shifted():
    found = claims("GMV e-commerce melonjak ke US$32 miliar dari US$21 miliar setahun sebelumnya.",
                   title="Ekonomi Digital 2020", published="2020-11-24")
    assert [c.period_label for c in found] == ["2020", "2019"]
    prices = claims("The CPI rose 0.38% versus 0.17% a month earlier.", "en", "CPI November 2023", "2023-12-01")
    assert [c.period_label for c in prices] == ["2023-11", "2023-10"]
    growth = claims("Funds climbed 8.45% from a year earlier.", "en", "Bank credit June 2024")[0]
    assert growth.period_label == "2024-06"  # a change measured against a year earlier is for now


def test_a_section_heading_gives_the_period_of_the_lines_below_it():
    text = ("# QRIS in the first half of 2023\n\n**Second quarter of 2023**\n- Users: 37.0 million.\n\n"
            "**May 2023 update**\n- Merchants: 26.1 million.")
    found = claims(text, "en", "QRIS in the first half of 2023", "2023-07-25")
    assert by_text(found, "37.0 million").period_label == "2023-Q2"
    assert by_text(found, "26.1 million").period_label == "2023-05"


def test_shift_keeps_the_kind_of_stretch():
    assert shift(month_period(2024, 1), 1).label == "2023-12"
    assert shift(year_period(2024), 12).label == "2023"
    assert shift(claims("Revenue reached Rp5 trillion in the first half of 2024.", "en")[0].period, 12).label == "2023-H1"
