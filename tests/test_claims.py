"""Claims: what each figure measures, for whom, for when and which kind — small texts in both languages."""

from datetime import date

import pytest

from assistant.claims import KINDS, extract_claims, qualifier_agreement
from assistant.evidence import DocumentView


def claims(text, language="id", title="Briefing", published="2024-02-15"):
    view = DocumentView("t.md", text, {"language": language, "title": title, "date": published}, [(0, len(text))])
    return extract_claims(view)


def by_text(found, written):
    matches = [c for c in found if c.text == written]
    assert matches, f"{written!r} not among {[c.text for c in found]}"
    return matches[0]


def test_indonesian_level_and_the_value_it_is_compared_with():
    found = claims("Secara tahunan, laju inflasi Oktober 2023 mencapai 2,56 persen, lebih tinggi dari 2,28 persen "
                   "pada September 2023.", title="Inflasi Oktober 2023")
    first, second = by_text(found, "2,56 persen"), by_text(found, "2,28 persen")
    assert (first.series, first.kind, first.period_label, first.period_reason) == ("laju inflasi", "level", "2023-10", "own")
    assert "yoy" in first.qualifiers
    assert second.series == "laju inflasi" and second.series_inherited and second.period_label == "2023-09"


def test_growth_rate_with_bracketed_qualifier_and_title_period():
    found = claims("Nilai ekspor nonmigas sebesar US$20,72 miliar, naik 3,5 persen (yoy).",
                   title="Neraca Dagang November 2023")
    level, growth = by_text(found, "US$20,72 miliar"), by_text(found, "3,5 persen")
    assert level.kind == "level" and level.unit == "USD" and "ekspor nonmigas" in level.series
    assert growth.kind == "growth_rate" and set(growth.qualifiers) >= {"yoy", "nonmigas"}
    assert level.period_label == "2023-11" and level.period_reason == "title"


def test_a_bracketed_list_ties_each_number_to_its_country():
    found = claims("PMI manufaktur negara ASEAN lain: Vietnam (48,9), Malaysia (47,9) dan Thailand (47,5).",
                   title="PMI November 2023")
    assert [(c.entity, c.series) for c in found] == [
        ("Vietnam", "PMI manufaktur negara ASEAN lain"), ("Malaysia", "PMI manufaktur negara ASEAN lain"),
        ("Thailand", "PMI manufaktur negara ASEAN lain")]
    assert all(c.kind == "level" and c.unit is None for c in found)


def test_english_change_in_points_then_level():
    found = claims("The index rose 0.2 points to 51.7 in December 2023.", "en", "Manufacturing PMI")
    change, level = by_text(found, "0.2"), by_text(found, "51.7")
    assert change.kind == "change_points" and level.kind == "level"
    assert change.series == level.series == "index" and level.period_label == "2023-12"


def test_english_qualifiers_stay_with_their_number():
    found = claims("Core inflation eased to 1.87% year on year, with a monthly gain of just 0.12%.", "en",
                   "November 2023 CPI")
    core, monthly = by_text(found, "1.87%"), by_text(found, "0.12%")
    assert core.series == "Core inflation" and set(core.qualifiers) == {"yoy", "core"}
    assert monthly.kind == "growth_rate" and "mom" in monthly.qualifiers and "yoy" not in monthly.qualifiers


def test_a_named_buyer_is_the_entity_and_the_from_value_is_a_level():
    found = claims("Exports to China rose. China remained the largest buyer at 7.7 million tonnes, up from "
                   "6.2 million tonnes.", "en", "Palm oil exports 2023")
    now, before = by_text(found, "7.7 million"), by_text(found, "6.2 million")
    assert now.entity == before.entity == "China"
    assert now.series == "largest buyer" and before.kind == "level" and now.unit == "ton"


def test_target_share_and_forecast():
    target = claims("Pemerintah menargetkan penyaluran KUR Rp285 triliun pada 2024.")[0]
    assert (target.kind, target.series, target.period_label) == ("target", "penyaluran KUR", "2024")
    share = by_text(claims("Ekspor batu bara mencapai 518 juta ton, atau 67% dari total produksi."), "67%")
    assert share.kind == "share" and share.series == "Ekspor batu bara"
    forecast = claims("Exports are expected to reach US$30 billion in 2024.", "en")[0]
    assert forecast.kind == "forecast" and forecast.period_label == "2024"


def test_count_takes_the_counted_noun_and_publication_date_is_the_last_resort():
    counted = claims("BPS memantau 90 kota.", title="Laporan bulanan")[0]
    assert counted.kind == "count" and counted.series == "kota"
    assert counted.period_reason == "published" and counted.period_label == date(2024, 2, 15).isoformat()


def test_a_bare_month_and_a_press_conference_date_are_told_apart():
    found = claims("Outstanding credit rose 1.39% to Rp7,478.4 trillion, OJK told a press conference on "
                   "Monday, 5 August 2024. In May, credit had expanded 12.15%.", "en",
                   "Bank Lending June 2024", "2024-08-05")
    assert by_text(found, "Rp7,478.4 trillion").period_label == "2024-06"
    may = by_text(found, "12.15%")
    assert may.period_label == "2024-05" and may.series == "credit"


def test_relative_clause_and_list_of_nouns_stay_in_the_series():
    found = claims("Harga yang diatur pemerintah naik 0,46 persen. Kelompok makanan, minuman, dan tembakau "
                   "naik 5,41 persen.")
    assert by_text(found, "0,46 persen").series == "Harga yang diatur pemerintah"
    assert by_text(found, "5,41 persen").series == "Kelompok makanan, minuman, dan tembakau"


@pytest.mark.parametrize("text, language", [("Impor bertambah 4,89 persen secara bulanan dan 3,29 persen secara "
                                             "tahunan menjadi US$19,59 miliar.", "id"),
                                            ("Imports grew 4.89% month on month and 3.29% year on year to "
                                             "US$19.59 billion.", "en")])
def test_parallel_numbers_share_series_and_kind_in_both_languages(text, language):
    found = claims(text, language)
    assert [c.kind for c in found] == ["growth_rate", "growth_rate", "level"]
    assert len({c.series.lower() for c in found}) == 1
    assert [c.qualifiers for c in found[:2]] == [("mom",), ("yoy",)]


def test_every_claim_has_a_known_kind_and_its_dict_is_json_ready():
    found = claims("Investasi mencapai Rp401,5 triliun pada triwulan I 2024, tumbuh 22,1%.")
    assert all(c.kind in KINDS for c in found)
    data = found[0].to_dict()
    assert data["value"] == 401.5e12 and data["period"] == "2024-Q1" and data["quote"].startswith("Investasi")


@pytest.mark.parametrize(
    "question, qualifiers, agreement",
    [
        ("Berapa pertumbuhan ekonomi Jakarta secara q-to-q pada triwulan II-2023?", ("yoy",), (0.0, 1.0)),
        ("Berapa pertumbuhan ekonomi Jakarta (y-on-y) pada triwulan II-2023?", ("yoy",), (1.0, 0.0)),
        ("Berapa PDB atas dasar harga berlaku pada triwulan IV-2023?", ("real",), (0.0, 1.0)),
        ("What was GDP at constant 2010 prices in Q4 2023?", ("real",), (1.0, 0.0)),
        ("How much were non-oil and gas exports in November 2023?", ("migas",), (0.0, 1.0)),
        ("What was inflation in November 2023?", ("yoy",), (0.0, 0.0)),  # the question states no basis
        ("What was month-on-month inflation in November 2023?", (), (0.0, 0.0)),  # the claim states none
    ],
)
def test_a_qualifier_the_question_states_agrees_or_conflicts_with_the_claims(question, qualifiers, agreement):
    assert qualifier_agreement(question, qualifiers) == agreement
