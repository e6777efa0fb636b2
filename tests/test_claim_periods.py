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


def test_a_stretch_up_to_a_month_is_year_to_date_for_amounts_and_counts():
    found = claims("Penjualan hingga Mei 2023 mencapai Rp40 triliun dari 2,1 juta pelanggan.", title="Penjualan Mei 2023",
                   published="2023-06-10")
    assert [c.period_label for c in found] == ["2023-01..2023-05", "2023-01..2023-05"]
    span = claims("Dana yang tersalurkan sepanjang Februari sampai akhir Mei 2023 mencapai Rp12 triliun.",
                  title="Dana Mei 2023", published="2023-06-10")[0]
    assert span.period_label == "2023-02..2023-05"
    english = claims("- Sales value up to March: Rp8.1 trillion.", "en", "Sales in 2023", "2023-07-01")[0]
    assert english.period_label == "2023-01..2023-03"


def test_rates_stocks_ends_of_months_and_deadlines_are_not_cumulative():
    rate = claims("Hingga Mei 2023, produksi turun ke 600 ribu bph atau 90 persen dari target.", title="Produksi 2023",
                  published="2023-06-10")
    assert [c.period_label for c in rate] == ["2023-05", "2023-05"]
    stock = claims("Hingga Mei 2023, outstanding pinjaman mencapai Rp50 triliun.", published="2023-06-10")[0]
    assert stock.period_label == "2023-05"
    end = claims("Hingga akhir Mei 2023 penjualan mencapai Rp40 triliun.", published="2023-06-10")[0]
    assert end.period_label == "2023-05"
    deadline = claims("Pemerintah akan menambah 2 juta pelanggan hingga Desember 2023.", published="2023-06-10")[0]
    assert deadline.period_label == "2023-12"


def test_a_heading_year_not_over_at_the_documents_period_means_so_far():
    text = "# Penjualan hingga Mei 2023\n\n**Rincian pada 2023**\n- Ritel: Rp20 triliun.\n\n**Tahun 2022**\n- Ritel: Rp45 triliun."
    found = claims(text, title="Penjualan hingga Mei 2023", published="2023-06-10")
    assert [c.period_label for c in found] == ["2023-05", "2022"]


def test_a_from_value_without_a_time_is_one_stretch_earlier():
    found = claims("Net margin eased to 4.1% from 4.3%.", "en", "Bank margins March 2024", "2024-04-20")
    assert [c.period_label for c in found] == ["2024-03", "2024-02"]
    annual = claims("Penjualan naik menjadi US$5 miliar dari US$4 miliar.", title="Penjualan 2021", published="2021-12-20")
    assert [c.period_label for c in annual] == ["2021", "2020"]
    yearly = claims("Exports rose 3% year on year to US$9 billion from US$8.7 billion.", "en", "Exports May 2024")
    assert yearly[-1].period_label == "2023-05"


def test_times_of_starts_bases_and_other_clauses_are_not_the_numbers():
    run = claims("The streak of gains that began in March 2021 reached 30 months.", "en", "Trade August 2023",
                 "2023-09-15")[0]
    assert run.period_label == "2023-08"
    text = "Sales for January–June 2023 reached US$9 billion. That is US$2 billion less than in 2022, when sales totalled US$11 billion."
    found = claims(text, "en", "Sales June 2023", "2023-07-10")
    assert [c.period_label for c in found] == ["2023-01..2023-06", "2023-01..2023-06", "2022"]
    base = claims("Penjualan mencapai Rp5 triliun pada Mei 2023. Realisasi itu sama dengan 40% dari target tahunan 2023.",
                  title="Penjualan Mei 2023", published="2023-06-10")
    assert by_text(base, "40%").period_label == "2023-05"
    nearer = claims("Pada Mei 2023 laba tercatat Rp3 triliun, sedangkan pada Mei 2022 nilainya Rp2 triliun.")
    assert [c.period_label for c in nearer] == ["2023-05", "2022-05"]


def test_a_target_read_from_context_is_for_the_year_and_same_period_comparisons_are_not_shifts():
    found = claims("- Revenue: Rp1,000 trillion, 40% of the Rp2,500 trillion target for the year.", "en",
                   "Budget in the first half of 2024", "2024-07-09")
    assert by_text(found, "Rp2,500 trillion").period_label == "2024"
    growth = claims("Nilai itu 12% lebih tinggi dibanding triwulan yang sama tahun sebelumnya.",
                    title="Investasi Triwulan I 2024", published="2024-04-29")[0]
    assert growth.period_label == "2024-Q1"


def test_a_quarter_without_its_year_continues_the_year_of_the_quarter_before_it():
    found = claims("Nilai ekspor triwulan I-2022 tercatat US$950 juta, lalu turun menjadi US$900 juta pada triwulan II "
                   "dan US$850 juta pada triwulan III.", title="Ekspor Mebel 2022", published="2023-01-27")
    assert [c.period_label for c in found] == ["2022-Q1", "2022-Q2", "2022-Q3"]
    assert {c.series for c in found} == {"Nilai ekspor"}  # 'lalu' (then) joins clauses, it names nothing
    compared = claims("Dibandingkan triwulan II-2022, ekonomi triwulan II tumbuh 5,17 persen.", title="PDB",
                      published="2023-08-07")
    assert by_text(compared, "5,17 persen").period_label == "2023-Q2"  # the same quarter a year before: not a sequence


def test_last_year_is_the_year_before_publication_and_a_year_later_moves_on():
    lpg = claims("Realisasi subsidi LPG 3 kg tahun lalu sebesar Rp80,2 triliun, atau 68,1 persen dari pagu APBN 2023.",
                 title="Penyaluran LPG 3 Kg 2023", published="2024-01-16")
    assert by_text(lpg, "Rp80,2 triliun").period_label == "2023"
    coal = claims("Pada 2020 produksi batu bara mencapai 565 juta ton. Setahun kemudian produksi naik menjadi 614 juta "
                  "ton, dengan alokasi DMO 133 juta ton.", title="Produksi Batu Bara", published="2024-01-15")
    assert [c.period_label for c in coal] == ["2020", "2021", "2021"]


def test_a_series_that_ends_a_year_is_read_at_its_last_month():
    found = claims("# Indonesia's factory PMI ends 2023 at 52.2", "en", "Indonesia's factory PMI ends 2023 at 52.2",
                   published="2024-01-02")
    assert found[0].period_label == "2023-12"


def test_quarters_without_a_year_are_the_documents_and_an_ordinal_without_its_noun_is_the_next_quarter():
    found = claims("Net sales were Rp10.42 trillion in the first quarter, Rp9.99 trillion in the second and Rp9.79 "
                   "trillion in the third, before dropping to Rp8.41 trillion in the fourth.", "en",
                   "Unilever Indonesia 2023 results", published="2024-02-08")
    assert [c.period_label for c in found] == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
    assert {c.series for c in found} == {"Net sales"}  # 'before dropping to' names no series of its own
    ranked = claims("It was the second largest market, with 4.2 million users in the first quarter of 2023.", "en",
                    "Users 2023", published="2023-05-01")
    assert [c.period_label for c in ranked] == ["2023-Q1"]  # 'the second largest' is no quarter


def test_a_time_before_a_colon_labels_the_number_after_it():
    found = claims("- Nusa Tenggara Timur: 35,3 persen (2021: 37,8 persen)", title="Prevalensi Stunting SSGI 2022",
                   published="2023-01-25")
    assert [c.period_label for c in found] == ["2022", "2021"]


def test_the_reviewers_counter_examples_keep_their_periods():
    """Inputs a review found mis-read by the first form of the rules above."""
    two_digit = claims("Laba bersih Q4'22 mencapai Rp5 triliun.", title="Kinerja 2023", published="2024-02-08")
    assert two_digit[0].period_label == "2022-Q4"  # a year written with two digits is a year
    continued = claims("Nilai ekspor triwulan I-2022 tercatat US$950 juta, lalu US$900 juta pada triwulan II.",
                       title="Ekspor Mebel 2023", published="2024-01-27")
    assert [c.period_label for c in continued] == ["2022-Q1", "2022-Q2"]
    forecast = claims("Pada triwulan IV penjualan diperkirakan Rp5 triliun.", title="Penjualan Triwulan III 2023",
                      published="2023-11-05")
    assert forecast[0].period_label == "2023-Q4"  # a coming quarter of the publication's year stays there
    colon = claims("Inflasi 2,61 persen pada Desember 2023: terendah dalam dua tahun.", title="Inflasi Desember 2023",
                   published="2024-01-02")
    assert colon[0].period_label == "2023-12"  # a colon before words labels nothing
    ranked = claims("In the first quarter of 2023, BCA posted Rp12 trillion and BRI Rp15 trillion, the second and "
                    "third largest.", "en", "Banks 2023", published="2023-05-01")
    assert {c.period_label for c in ranked} == {"2023-Q1"}


def test_then_opens_a_clause_but_last_month_ends_a_series():
    assert claims("Inflasi bulan lalu tercatat 2,5 persen.", title="Inflasi", published="2024-01-02")[0].series \
        == "Inflasi bulan lalu"
    assert claims("Profit before tax rose to Rp75 trillion.", "en", "Results 2023")[0].series == "Profit before tax"
