"""Answer text in the question's language: figure in bold, period, [n] markers, quotes, refusals."""

from datetime import date
from decimal import Decimal

import pytest

from assistant import compose, compute
from assistant.figures import Figure
from assistant.periods import current_period, month_period, year_period

QUOTE = "Sementara per Juni 2023, bertambah menjadi 22,8 juta UMKM di Indonesia yang telah onboarding digital."


def figure(value, unit="UMKM", period=None, role="actual", text="x", approximate=False):
    return Figure(value=Decimal(value), unit=unit, text=text, start=0, end=len(text), sentence_start=0,
                  sentence_end=len(text), source="corpus/briefing.md", period=period, role=role,
                  approximate=approximate)


@pytest.mark.parametrize(
    "value, unit, language, expected",
    [
        (22_800_000, "UMKM", "id", "22,8 juta UMKM"),
        (22_800_000, "UMKM", "en", "22.8 million MSMEs"),
        (Decimal("35.5"), "%", "id", "35,5 persen"),
        (Decimal("35.5"), "%", "en", "35.5%"),
        (15300, "IDR/kg", "id", "Rp15.300 per kg"),
        (15300, "IDR/kg", "en", "Rp15,300 per kg"),
        (Decimal("2.02e9"), "USD", "en", "US$2.02 billion"),
        (Decimal("0.8"), "pp", "id", "0,8 poin persentase"),
        (25, "bps", "en", "25 basis points"),
        (14, None, "en", "14"),
    ],
)
def test_format_quantity(value, unit, language, expected):
    assert compose.format_quantity(Decimal(value), unit, language) == expected


def test_lookup_answer_in_indonesian():
    text = compose.lookup_answer(figure(22_800_000, period=month_period(2023, 6)), 1, "id", QUOTE)
    first, _, quote_line = text.partition("\n\n")
    assert "**22,8 juta UMKM**" in first and "Juni 2023" in first and first.endswith("[1].")
    assert quote_line == f"> {QUOTE} [1]"


def test_lookup_answer_in_english_keeps_the_quote_as_written():
    text = compose.lookup_answer(figure(22_800_000, period=month_period(2023, 6)), 2, "en", QUOTE)
    assert "**22.8 million MSMEs**" in text and "June 2023" in text and "[2]" in text
    assert f"> {QUOTE} [2]" in text


def test_lookup_answer_marks_approximate_and_current_figures():
    current = figure(27_000_000, period=current_period(date(2023, 12, 4)), approximate=True)
    text = compose.lookup_answer(current, 1, "id", "saat ini sekitar 27 juta UMKM")
    assert "sekitar **27 juta UMKM**" in text and "4 Desember 2023" in text
    text = compose.lookup_answer(current, 1, "en", "saat ini sekitar 27 juta UMKM")
    assert "about **27 million MSMEs**" in text and "4 December 2023" in text


def test_target_lookup_names_the_year():
    text = compose.lookup_answer(figure(30_000_000, period=year_period(2024), role="target"), 1, "en", "q")
    assert "target" in text.lower() and "2024" in text and "**30 million MSMEs**" in text


def test_difference_answer_shows_the_formula_and_each_operand():
    target = figure(30_000_000, period=year_period(2024), role="target")
    reached = figure(27_000_000, period=current_period(date(2023, 12, 4)))
    calc = compute.difference(target.value, reached.value)
    text, formula = compose.calculation_answer(calc, [(target, 1, "Target"), (reached, 2, "Capaian")], "UMKM", "id")
    assert "**3 juta UMKM**" in text and "[1][2]" in text
    assert formula == "30 juta − 27 juta = 3 juta UMKM"
    assert "- Target: 30 juta UMKM" in text and "- Capaian: 27 juta UMKM" in text


def test_share_answer_in_english():
    reached, target = figure(27_000_000), figure(30_000_000, role="target")
    calc = compute.share_of(reached.value, target.value)
    text, formula = compose.calculation_answer(calc, [(reached, 1, "Reached"), (target, 2, "Target")], "%", "en")
    assert "**90%**" in text and formula.startswith("27 million ÷ 30 million × 100")


def test_rounded_results_say_so():
    change = figure(5_000_000, role="increase")
    calc = compute.pace_of_change(change.value, 9)
    text, formula = compose.calculation_answer(calc, [(change, 1, "Perubahan")], "UMKM", "id")
    assert "(dibulatkan)" in text and "per bulan" in text and "÷ 9 bulan" in formula
    text, _ = compose.calculation_answer(calc, [(change, 1, "Change")], "UMKM", "en")
    assert "(rounded)" in text and "per month" in text


def test_non_numeric_answer_quotes_each_sentence():
    text = compose.non_numeric_answer([("Rudy Salahuddin melaporkan.", 1), ("Kalimat lain.", 2)], "id")
    assert "> Rudy Salahuddin melaporkan. [1]" in text and "> Kalimat lain. [2]" in text


def test_refusal_names_what_is_missing_and_what_is_covered():
    covered = [month_period(2023, 3), month_period(2023, 6)]
    text = compose.refusal("en", (), month_period(2023, 9), covered, ["UMKM briefing"], weak=False)
    assert "September 2023" in text and "March 2023" in text and "June 2023" in text and "UMKM briefing" in text
    text = compose.refusal("id", ("QRIS",), None, [], ["Briefing UMKM"], weak=False)
    assert text.startswith("Dokumen tidak memuat") and "QRIS" in text


@pytest.mark.parametrize("language", ["id", "en"])
def test_refusal_never_says_no_figure_and_figures_for_the_same_period(language):
    from assistant.period_text import describe

    asked = month_period(2024, 1)
    covered = [month_period(2024, 1), month_period(2023, 12), month_period(2024, 1)]
    text = compose.refusal(language, (), asked, covered, [], weak=False)
    january, december = describe(asked, language), describe(month_period(2023, 12), language)
    assert text.count(january) == 1  # said once: why its figures do not fit, never "no figure" and "figures"
    assert ("seri atau satuan lain" if language == "id" else "another series or unit") in text
    assert december in text
    only = compose.refusal(language, (), asked, [month_period(2024, 1)], [], weak=False)
    assert only.count(january) == 1 and ("Tidak ada angka" not in only and "no figure" not in only)


def test_one_language_per_answer_in_unit_names_and_missing_terms():
    assert compose.format_quantity(Decimal(30_000_000), "UMKM", "en") == "30 million MSMEs"
    assert compose.format_quantity(Decimal(30_000_000), "UMKM", "id") == "30 juta UMKM"
    indonesian = compose.refusal("id", ("inflation",), None, [], [], weak=False)
    assert "“inflasi”" in indonesian and "inflation" not in indonesian
    english = compose.refusal("en", ("ekspor", "QRIS"), None, [], [], weak=False)
    assert "“export”" in english and "“QRIS”" in english
