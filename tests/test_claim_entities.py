"""Claim entities: places and companies, not institutions, sources, speakers, defined terms or the scope."""

from test_claims import by_text, claims


def test_compound_place_names_are_whole():
    found = claims("Inflasi tertinggi di Bandar Lampung. Bandar Lampung had the highest monthly inflation at 1.05%, "
                   "while Tual posted the deepest deflation at 0.51%.", "en")
    assert by_text(found, "1.05%").entity == "Bandar Lampung" and by_text(found, "0.51%").entity == "Tual"


def test_institutions_sources_and_speakers_are_not_entities():
    found = claims("Bank Indonesia put volatile food inflation at 1.72% month on month.", "en")
    assert found[0].entity is None
    speaker = claims("Kepala SKK Migas Dwi Soetjipto menekankan bahwa laju penyusutan mencapai 7 persen.")
    assert speaker[0].entity is None
    source = claims("Laporan yang disusun Google, Temasek, dan Bain & Company memperkirakan nilai mencapai US$44 miliar.")
    assert source[0].entity is None


def test_a_defined_term_is_a_series_not_an_entity():
    text = "Kredit Usaha Rakyat (KUR) tumbuh.\n\n- KUR Mikro: Rp138,30 triliun atau 66,15% dari seluruh penyaluran."
    found = claims(text)
    assert by_text(found, "Rp138,30 triliun").entity is None
    assert by_text(found, "Rp138,30 triliun").series == "KUR Mikro"


def test_the_documents_own_scope_is_not_an_entity_but_other_countries_are():
    text = ("Ekspor Indonesia naik. Impor Indonesia turun. Neraca Indonesia surplus. Menurut data, Indonesia "
            "mendatangkan 433 ribu ton beras, sementara ekspor ke Tiongkok mencapai US$5,8 miliar.")
    found = claims(text)
    assert by_text(found, "433 ribu").entity is None and by_text(found, "433 ribu").series == "beras"
    assert by_text(found, "US$5,8 miliar").entity == "Tiongkok"


def test_a_place_named_right_after_the_number_is_its_own():
    found = claims("Stunting fell in West Java. In the three most populous provinces, prevalence was 24.5 percent in "
                   "West Java, 20.9 percent in Central Java and 23.5 percent in East Java.", "en")
    assert [c.entity for c in found] == ["West Java", "Central Java", "East Java"]
    indonesian = claims("Program berjalan di Jawa Barat. Prevalensi turun menjadi 20,2 persen di Jawa Barat dan "
                        "20,8 persen di Jawa Tengah.")
    assert [c.entity for c in indonesian] == ["Jawa Barat", "Jawa Tengah"]
    assert claims("Produksi naik 5 persen di Bank Mandiri pada 2023.")[0].entity is None  # an institution


def test_a_time_or_the_place_of_an_announcement_after_the_number_is_no_entity():
    assert claims("Prevalensi di Jawa Barat 24,5 persen di Tahun 2022.")[0].entity == "Jawa Barat"
    announced = claims("Pada 2023 laba BNI mencapai Rp20,9 triliun. BNI's net profit reached Rp20.9 trillion in "
                       "Jakarta on Monday, Jakarta said.", "en")
    assert announced[-1].entity != "Jakarta"
