"""Figures: every quantity in a document with its value in base units, unit, period and role."""

from datetime import date
from decimal import Decimal

import pytest

from assistant.figures import extract_figures
from assistant.load import load_document
from assistant.split import sentence_spans
from conftest import CORPUS, ROOT, SEED_FILE

EXTRA = ROOT / "evals" / "corpora" / "extra"


def document_figures(path):
    doc = load_document(path)
    published = date.fromisoformat(doc.metadata["date"])
    spans = sentence_spans(doc.text, doc.body_start)
    return doc, extract_figures(doc.text, spans, doc.source, doc.metadata["language"], published)


@pytest.fixture(scope="module")
def seed():
    return document_figures(CORPUS / SEED_FILE)


def figures_of(text, language="id", published=date(2024, 2, 15)):
    return extract_figures(text, sentence_spans(text), "test.md", language, published)


def one(text, language="id", published=date(2024, 2, 15)):
    figures = figures_of(text, language, published)
    assert len(figures) == 1, [f.text for f in figures]
    return figures[0]


def by_text(figures, written):
    found = [f for f in figures if f.text == written]
    assert found, f"{written!r} not among {[f.text for f in figures]}"
    return found


def test_every_figure_text_is_its_span(seed):
    doc, figures = seed
    assert figures
    for figure in figures:
        assert doc.text[figure.start:figure.end] == figure.text
        assert figure.sentence_start <= figure.start < figure.end <= figure.sentence_end
        assert figure.source == doc.source


def test_current_figure_is_dated_at_publication(seed):
    _, figures = seed
    current = by_text(figures, "27 juta")
    assert all(f.value == Decimal(27_000_000) and f.unit == "UMKM" for f in current)
    assert all(f.period is not None and f.period.kind == "current" and f.period.end == date(2023, 12, 4)
               for f in current)


def test_target_for_2024(seed):
    _, figures = seed
    (target,) = by_text(figures, "30 juta")
    assert target.value == 30_000_000 and target.unit == "UMKM"
    assert target.role == "target" and target.period.label == "2024"


@pytest.mark.parametrize("written, value, label", [("22 juta", 22_000_000, "2023-03"),
                                                   ("22,8 juta", 22_800_000, "2023-06")])
def test_monthly_actuals(seed, written, value, label):
    _, figures = seed
    (figure,) = by_text(figures, written)
    assert figure.value == Decimal(value) and figure.unit == "UMKM"
    assert figure.period.label == label and figure.role == "actual" and figure.scale == "juta"


def test_increase_since_the_pandemic_and_its_share(seed):
    _, figures = seed
    (increase,) = by_text(figures, "14,8 juta")
    assert increase.value == 14_800_000 and increase.role == "increase" and increase.period.kind == "since"
    (share,) = by_text(figures, "35,5 persen")
    assert share.value == Decimal("35.5") and share.unit == "%" and share.role == "share"


def test_increase_since_march_and_the_remaining_three_million(seed):
    _, figures = seed
    (five,) = by_text(figures, "5 juta")
    assert five.value == 5_000_000 and five.role == "increase" and five.approximate
    (three,) = by_text(figures, "3 juta")
    assert three.value == 3_000_000 and three.unit == "UMKM"


def test_years_and_dates_are_not_figures(seed):
    doc, figures = seed
    values = {f.value for f in figures}
    assert not values & {Decimal(2023), Decimal(2024), Decimal(4), Decimal(12)}
    date_at = doc.text.index("4/12/2023")
    assert not any(f.start <= date_at < f.end or date_at <= f.start < date_at + 9 for f in figures)
    assert all(f.start >= doc.body_start for f in figures)  # nothing from the front matter


@pytest.mark.parametrize(
    "text, written, value, unit",
    [
        ("Kementerian menargetkan ekspor Rp4.500 triliun pada 2024.", "Rp4.500 triliun", Decimal("4.5e15"), "IDR"),
        ("Nilai ekspor tercatat US$82 miliar.", "US$82 miliar", Decimal("8.2e10"), "USD"),
        ("Pangsa industri pengolahan naik 0,8 poin persentase.", "0,8 poin persentase", Decimal("0.8"), "pp"),
        ("Kontrak kopi dipatok sekitar US$3.50 per kg.", "US$3.50", Decimal("3.5"), "USD/kg"),
    ],
)
def test_amounts_in_indonesian_text(text, written, value, unit):
    figure = one(text)
    assert (figure.text, figure.value, figure.unit) == (written, value, unit)


@pytest.mark.parametrize("text", ["Konferensi pers dimulai pukul 15.00 WIB di Jakarta.",
                                  "Jepang berada di peringkat ke-3 dalam daftar itu.",
                                  "Rapat digelar Senin (4/12/2023) di Jakarta.",
                                  "Peraturan Menteri Perdagangan Nomor 23 Tahun 2023 berlaku."])
def test_times_ranks_dates_and_identifiers_are_not_figures(text):
    assert figures_of(text) == []


def test_rank_beside_an_amount_keeps_only_the_amount():
    figure = one("Jepang berada di peringkat ke-3 dengan nilai ekspor US$1,62 miliar.")
    assert figure.value == Decimal("1.62e9") and figure.unit == "USD"


def test_thousands_dot_count():
    figure = one("Hingga akhir Januari 2024, tercatat 1.250 eksportir baru yang mendaftar.")
    assert figure.value == 1250 and figure.unit == "eksportir"


def test_thousands_dot_count_without_a_word_ending_in_at():
    figure = one("Hingga akhir Januari 2024, sebanyak 1.250 eksportir baru mendaftar.")
    assert figure.value == 1250 and figure.unit == "eksportir" and figure.period.label == "2024-01"


def test_english_percent_and_price_per_kilogram():
    published = date(2024, 5, 8)
    figures = figures_of("Inflation eased to 3.00 percent in April 2024 from 3.05 percent in March.", "en", published)
    (march,) = by_text(figures, "3.05 percent")
    assert march.value == Decimal("3.05") and march.unit == "%" and march.period.label == "2024-03"
    price = one("The average price of rice fell to Rp 15,300 per kg in April 2024.", "en", published)
    assert price.value == 15300 and price.unit == "IDR/kg" and price.period.label == "2024-04"


@pytest.mark.parametrize("name", sorted(p.name for p in EXTRA.glob("*.md")))
def test_extra_documents_figures_are_exact_spans(name):
    doc, figures = document_figures(EXTRA / name)
    assert len(figures) > 10
    for figure in figures:
        assert doc.text[figure.start:figure.end] == figure.text
        assert figure.value >= 0


def test_extra_trade_document_key_figures():
    _, figures = document_figures(EXTRA / "2024-02-15-ekspor-neraca-dagang.md")
    (surplus,) = by_text(figures, "US$2,02 miliar")
    assert surplus.value == Decimal("2.02e9") and surplus.unit == "USD" and surplus.period.label == "2024-01"
    (rupiah,) = by_text(figures, "Rp3.945,2 triliun")
    assert rupiah.value == Decimal("3945.2e12") and rupiah.unit == "IDR"
    assert not any(f.text.startswith("10.00") for f in figures)  # "pukul 10.00 WIB"


def test_the_word_after_a_bracketed_number_is_not_its_unit():
    figures = figures_of("PMI negara ASEAN lain: Vietnam (48,9), Malaysia (47,9) dan Thailand (47,5).")
    assert [f.unit for f in figures] == [None, None, None]


@pytest.mark.parametrize("text, language, value", [
    ("Produksi logam timah mencapai 15.340 metrik ton pada 2023.", "id", Decimal("15340")),
    ("The smelter will process 1.7 million metric tons of concentrate a year.", "en", Decimal("1.7e6")),
])
def test_a_metric_tonne_is_counted_in_tonnes(text, language, value):
    (figure,) = figures_of(text, language)
    assert figure.value == value and figure.unit == "ton"
