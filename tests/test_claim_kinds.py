"""Claim kinds: signed changes, contributions, appositions, parallel numbers, targets, counts."""

from test_claims import by_text, claims


def test_a_signed_percent_after_a_level_is_its_growth():
    found = claims("- Electronic money transactions: Rp111.35 trillion, +14.82%.", "en")
    assert [c.kind for c in found] == ["level", "growth_rate"]


def test_contributions_in_points_are_shares_and_their_list_too():
    found = claims("Red chilli alone added 0.16 pp and bird's-eye chilli 0.08 pp.", "en")
    assert [c.kind for c in found] == ["share", "share"]


def test_an_apposition_is_a_share_or_the_same_number_converted():
    found = claims("Domestic investment came to Rp211.1 trillion (49.3%), growing 29.1%.", "en")
    assert [c.kind for c in found] == ["level", "share", "growth_rate"]
    converted = claims("Proyeksi 2025 diturunkan menjadi US$124 miliar, kira-kira Rp1.762 triliun.")
    assert [c.kind for c in converted] == ["forecast", "forecast"]
    change = claims("Rupiah menguat 78 poin atau 0,5 persen ke Rp15.495 per dolar AS.")
    assert [c.kind for c in change] == ["change_points", "growth_rate", "level"]


def test_a_target_cue_belongs_to_the_number_it_follows():
    found = claims("- State revenue: Rp1,320.7 trillion, 47.1% of the Rp2,802.3 trillion target for the year, "
                   "and 6.2% below the Rp1,407.9 trillion collected a year earlier.", "en")
    assert [c.kind for c in found] == ["level", "share", "target", "growth_rate", "level"]


def test_counts_of_things_and_of_months():
    assert by_text(claims("BPS memantau 90 kota; 69 di antaranya mengalami inflasi."), "69").kind == "count"
    assert claims("Surplus itu berumur 43 bulan.")[0].kind == "count"
    assert claims("The Philippines posted 51.5, while Vietnam sat lower.", "en")[0].kind == "level"


def test_a_scaled_number_without_a_currency_or_measure_counts_things():
    found = claims("- Members: 12.5 million; shops: 3.1 million.", "en")
    assert [c.kind for c in found] == ["count", "count"]
    assert claims("Penjualan mencapai Rp12,5 triliun.")[0].kind == "level"


def test_an_apposition_below_or_above_is_a_change_not_a_share():
    found = claims("Proyeksi diturunkan menjadi US$124 miliar, atau 6,7% di bawah perkiraan lama.")
    assert [c.kind for c in found] == ["forecast", "growth_rate"]


def test_a_forecast_word_for_the_documents_own_period_is_an_estimated_level():
    found = claims("Pasar diperkirakan bernilai US$10 miliar pada 2020 dan akan mencapai US$30 miliar pada 2025.",
                   title="Pasar digital 2020", published="2020-11-20")
    assert [c.kind for c in found] == ["level", "forecast"]


def test_a_list_continued_by_followed_by_keeps_the_kind():
    found = claims("Kredit investasi tumbuh paling kencang, 12%, disusul kredit konsumsi 10% dan kredit modal kerja 9%.")
    assert [c.kind for c in found] == ["growth_rate"] * 3
