"""Claim series phrases: what the number is predicated of, in both languages."""

from test_claims import by_text, claims


def test_anaphora_takes_the_series_named_before():
    found = claims("Pada Oktober 2023 surplus tercatat US$3,48 miliar, sedangkan pada November 2022 nilainya "
                   "mencapai US$5,10 miliar.")
    assert by_text(found, "US$5,10 miliar").series == "surplus"
    laju = claims("Kredit perbankan bertambah 10,85%.\nLaju itu sedikit melambat dibanding Agustus yang tumbuh 11,40%.")
    assert by_text(laju, "11,40%").series == "Kredit perbankan"


def test_a_source_is_not_the_subject_and_a_percent_of_people_names_them():
    found = claims("Menurut Jokowi, 55% investor saham berusia di bawah 30 tahun.")
    assert found[0].series == "investor saham" and found[0].entity is None


def test_words_right_after_a_number_belong_to_it():
    found = claims("Salur gas 2023 rata-rata 5.378 juta standar kaki kubik per hari (MMSCFD), sedikit naik dari "
                   "5.347 MMSCFD pada 2022.")
    assert [c.series for c in found] == ["Salur gas", "Salur gas"]


def test_a_comparison_term_naming_a_change_is_skipped_but_a_contrasting_subject_is_kept():
    found = claims("Kredit UMKM hanya naik 5,04%, lebih pelan daripada pertumbuhan 8,34% pada September 2023.")
    assert by_text(found, "8,34%").series == "Kredit UMKM"
    trade = claims("Shipments to China totalled US$5,766.9 million against purchases from China of US$5,446.7 "
                   "million.", "en")
    assert by_text(trade, "US$5,446.7 million").series == "purchases from China"


def test_relative_clauses_with_passive_verbs_and_generic_objects():
    found = claims("Waktu yang dihabiskan untuk daring per hari naik dari 3,6 jam menjadi 4,7 jam.")
    assert found[0].series == "Waktu yang dihabiskan untuk daring per hari"
    surplus = claims("Perdagangan nonmigas membukukan surplus US$4,62 miliar.")[0]
    assert surplus.series == "Perdagangan nonmigas membukukan surplus"
    english = claims("Oil and gas trade ran a deficit of US$1.89 billion.", "en")[0]
    assert english.series == "Oil and gas trade ran a deficit"


def test_a_target_names_what_is_targeted_and_a_bare_increase_what_is_counted():
    target = claims("Kementerian Koordinator bidang Perekonomian optimistis mencapai target 30 juta usaha mikro, "
                    "kecil, dan menengah (UMKM) go digital pada 2024.")[0]
    assert (target.series, target.kind, target.period_label) == ("UMKM", "target", "2024")
    added = claims("Artinya sudah ada penambahan sekitar 5 juta UMKM yang masuk dalam ekosistem digital.")[0]
    assert (added.series, added.kind) == ("UMKM", "change")


def test_a_title_of_an_office_is_not_an_entity():
    found = claims("Deputi Bidang Koordinasi Ekonomi Digital, Ketenagakerjaan, dan UMKM Kemenko Perekonomian Rudy "
                   "Salahuddin melaporkan saat ini sekitar 27 juta UMKM yang telah go digital.")
    assert found[0].entity is None and found[0].series == "UMKM"


def test_english_participles_before_nouns_and_comparatives_before_than():
    found = claims("Adjusted sales rose 4% in May, though they remain far below the 9% posted a year earlier.", "en")
    assert found[0].series == "Adjusted sales"
    smaller = claims("The May surplus remained smaller than the US$2 billion booked a year earlier.", "en")[0]
    assert smaller.series == "surplus"


def test_a_second_predicate_after_and_shares_the_subject():
    found = claims("Retail lending accounted for Rp50 trillion, or 20% of the total, and was up 6% year on year.", "en")
    assert by_text(found, "6%").series == "Retail lending"
    growing = claims("Deposits came to Rp90 trillion, growing a faster 7%.", "en")
    assert by_text(growing, "7%").series == "Deposits"


def test_an_article_makes_the_number_modify_the_noun_after_it():
    found = claims("- Spending: Rp900 trillion, 30% of the Rp3,000 trillion ceiling, and 5% higher than a year before.",
                   "en")
    assert by_text(found, "Rp3,000 trillion").series == "ceiling" and by_text(found, "5%").series == "Spending"
    fee = claims("Small shops now pay a 0.5% service fee.", "en")[0]
    assert fee.series == "service fee"


def test_sources_anaphora_times_and_apposition_adverbs_are_skipped():
    source = claims("Penjualan ritel naik 5%. Kementerian Perdagangan mencatat Rp40 triliun.")
    assert by_text(source, "Rp40 triliun").series == "Penjualan ritel"
    that = claims("Penjualan ritel mencapai Rp40 triliun. Nilai itu 5% lebih tinggi dibanding tahun sebelumnya.")
    assert by_text(that, "5%").series == "Penjualan ritel"
    target = claims("Terhadap target pemerintah untuk 2024 sebesar Rp900 triliun, capaiannya 20%.")[0]
    assert target.series == "target pemerintah"
    converted = claims("Proyeksi diturunkan menjadi US$10 miliar, kira-kira Rp150 triliun.")
    assert [c.series for c in converted] == ["Proyeksi", "Proyeksi"]


def test_members_receiving_a_part_of_the_documents_series():
    text = ("# Realisasi belanja daerah Rp90 triliun\n\nProvinsi timur menerima Rp30 triliun, diikuti provinsi barat "
            "Rp20 triliun. Pertanian berada di depan dengan Rp15 triliun.")
    found = claims(text)
    assert {c.series for c in found[1:]} == {"Realisasi belanja daerah"}
    assert [c.entity for c in found[1:]] == ["Provinsi timur", "provinsi barat", None]
    listed = claims("Kredit investasi tumbuh 12%, disusul kredit konsumsi 10%.")
    assert [c.series for c in listed] == ["Kredit investasi", "kredit konsumsi"]


def test_counted_things_keep_what_they_did():
    found = claims("BPS memantau 50 kota; 30 di antaranya mengalami deflasi dan 20 kota mengalami inflasi.")
    assert [c.series for c in found] == ["kota", "kota mengalami deflasi", "kota mengalami inflasi"]
    english = claims("Of the 50 towns surveyed, 30 saw prices rise.", "en")
    assert english[1].series == "towns surveyed saw prices rise"
