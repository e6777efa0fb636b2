"""Verification: every number in an answer is a cited figure or the calculation's; quotes are exact."""

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assistant import compose, compute
from assistant.answer import Answer, Calculation, Citation, CitedFigure, Operand
from assistant.figures import Figure
from assistant.numbers import to_json_number
from assistant.periods import month_period
from assistant.verify import is_grounded, numbers_in, unverified_numbers

QUOTE_27 = "Saat ini sudah 27 juta yang sudah go digital"
QUOTE_30 = "target 30 juta usaha mikro, kecil, dan menengah (UMKM) go digital pada 2024."


def citation(n, quote):
    return Citation(n=n, source="corpus/briefing.md", title="Briefing", date="2023-12-04", quote=quote,
                    start=100 * n, end=100 * n + len(quote))


def answer(text, figures=(), calculation=None, citations=(citation(1, QUOTE_27),), language="id"):
    return Answer(question="q", language=language, answerable=True, answer=text, value=None,
                  figures=tuple(figures), calculation=calculation, citations=tuple(citations))


FIGURE_27 = CitedFigure(value=27_000_000, unit="UMKM", text="27 juta", period="2023-12-04", citation=1)


def test_numbers_in_normalises_scale_words():
    assert numbers_in("Jumlahnya **22,8 juta UMKM** per Juni 2023", "id") == [("22,8 juta", Decimal("22800000.0"))]
    assert [v for _, v in numbers_in("The figure is 22.8 million", "en")] == [Decimal("22800000.0")]


def test_correct_answer_is_grounded():
    good = answer(f"Jumlahnya **27 juta UMKM** per 4 Desember 2023 (saat ini) [1].\n\n> {QUOTE_27} [1]",
                  [FIGURE_27])
    assert unverified_numbers(good) == [] and is_grounded(good)


def test_same_value_in_english_formatting_is_grounded():
    good = answer(f"The figure is **27 million UMKM** [1].\n\n> {QUOTE_27} [1]", [FIGURE_27], language="en")
    assert unverified_numbers(good) == []


def test_planted_wrong_number_is_reported():
    bad = answer(f"Jumlahnya **28 juta UMKM** [1].\n\n> {QUOTE_27} [1]", [FIGURE_27])
    problems = unverified_numbers(bad)
    assert problems == ["28 juta"] and not is_grounded(bad)


def test_wrong_number_next_to_a_right_one_is_reported():
    bad = answer("Jumlahnya **27 juta UMKM** [1], naik 4,5 persen [1].", [FIGURE_27])
    assert unverified_numbers(bad) == ["4,5 persen"]


def test_marker_numbers_are_not_quantities():
    assert unverified_numbers(answer("Jumlahnya **27 juta UMKM** [1][2][13].", [FIGURE_27])) == []


def test_altered_quote_is_reported():
    altered = QUOTE_27.replace("27 juta", "27 juta UMKM")
    bad = answer(f"Jumlahnya **27 juta UMKM** [1].\n\n> {altered} [1]", [FIGURE_27])
    (problem,) = unverified_numbers(bad)
    assert "quote" in problem


def test_quote_attributed_to_the_wrong_citation_is_reported():
    two = (citation(1, QUOTE_27), citation(2, QUOTE_30))
    bad = answer(f"Jumlahnya **27 juta UMKM** [1].\n\n> {QUOTE_27} [2]", [FIGURE_27], citations=two)
    assert len(unverified_numbers(bad)) == 1
    good = answer(f"Jumlahnya **27 juta UMKM** [1].\n\n> {QUOTE_27} [1]", [FIGURE_27], citations=two)
    assert unverified_numbers(good) == []


def test_calculation_result_and_operands_are_allowed_but_not_other_results():
    target = CitedFigure(value=30_000_000, unit="UMKM", text="30 juta", period="2024", citation=2)
    calc = Calculation(expression="30000000 - 27000000", result=3_000_000,
                       operands=(Operand(30_000_000, 2), Operand(27_000_000, 1)))
    citations = (citation(1, QUOTE_27), citation(2, QUOTE_30))
    text = "Selisihnya **3 juta UMKM** [1][2].\n\n30 juta − 27 juta = 3 juta UMKM [1][2]"
    assert unverified_numbers(answer(text, [FIGURE_27, target], calc, citations)) == []
    wrong = text.replace("**3 juta", "**4 juta")
    assert unverified_numbers(answer(wrong, [FIGURE_27, target], calc, citations)) == ["4 juta"]


def _composed(value: Decimal, language: str) -> Answer:
    figure = Figure(value=value, unit="UMKM", text="x", start=0, end=1, sentence_start=0, sentence_end=1,
                    source="corpus/briefing.md", period=month_period(2023, 6), role="actual")
    text = compose.lookup_answer(figure, 1, language, QUOTE_27)
    cited = CitedFigure(to_json_number(value), "UMKM", "x", "2023-06", 1)
    return answer(text, [cited], language=language)


composable = st.one_of(
    st.integers(min_value=1, max_value=999_999).map(Decimal),
    st.decimals(min_value=Decimal("0.01"), max_value=999_999, places=2, allow_nan=False, allow_infinity=False),
    st.tuples(st.integers(min_value=100, max_value=999_99), st.sampled_from([10**6, 10**9, 10**12]))
    .map(lambda pair: Decimal(pair[0]) * pair[1] / 100),
)


@settings(max_examples=200, deadline=None)
@given(value=composable, language=st.sampled_from(["id", "en"]))
def test_composed_lookup_answers_verify(value, language):
    assert unverified_numbers(_composed(value, language)) == []


@pytest.mark.parametrize("value, language", [(Decimal(1_001_000), "id"), (Decimal(1_000_010_000), "en")])
def test_composed_lookup_answers_verify_for_three_or_more_scaled_decimals(value, language):
    assert unverified_numbers(_composed(value, language)) == []


def test_compute_and_compose_together_verify():
    target = Figure(value=Decimal(30_000_000), unit="UMKM", text="30 juta", start=0, end=7, sentence_start=0,
                    sentence_end=7, source="s", role="target")
    reached = Figure(value=Decimal(27_000_000), unit="UMKM", text="27 juta", start=0, end=7, sentence_start=0,
                     sentence_end=7, source="s", role="actual")
    calc = compute.pace(target.value, reached.value, 7)
    text, _ = compose.calculation_answer(calc, [(target, 1, "Target"), (reached, 2, "Capaian")], "UMKM", "id")
    result = Calculation(calc.symbol_expression, to_json_number(calc.result),
                         (Operand(30_000_000, 1), Operand(27_000_000, 2)))
    figures = [CitedFigure(30_000_000, "UMKM", "30 juta", None, 1), CitedFigure(27_000_000, "UMKM", "27 juta", None, 2)]
    done = answer(text, figures, result, (citation(1, QUOTE_30), citation(2, QUOTE_27)))
    assert unverified_numbers(done) == []


@pytest.mark.parametrize("title", ["7 Fakta UMKM Digital", "Paket Kebijakan Ekonomi Jilid 16, Rp 1,5 triliun"])
def test_a_cited_title_holding_a_number_is_not_a_claim(title):
    other_quote = "Sebanyak 28 juta UMKM sudah go digital."
    other = Citation(n=2, source="corpus/other.md", title=title, date="2023-11-30", quote=other_quote,
                     start=0, end=len(other_quote))
    text = (f"Jumlahnya **27 juta UMKM** [1].\n\n> {QUOTE_27} [1]\n\n"
            f"Namun dokumen lain (“{title}”, 2023-11-30) menyebut angka berbeda: **28 juta** [2].\n\n> {other_quote} [2]")
    figure_28 = CitedFigure(value=28_000_000, unit="UMKM", text="28 juta", period=None, citation=2)
    disagreeing = answer(text, [FIGURE_27, figure_28], citations=(citation(1, QUOTE_27), other))
    assert unverified_numbers(disagreeing) == []


def test_a_number_outside_the_title_is_still_checked():
    other_quote = "Sebanyak 28 juta UMKM sudah go digital."
    other = Citation(n=2, source="corpus/other.md", title="7 Fakta UMKM", date=None, quote=other_quote,
                     start=0, end=len(other_quote))
    text = f"Namun dokumen lain (“7 Fakta UMKM”) menyebut 7 juta UMKM [2].\n\n> {other_quote} [2]"
    assert unverified_numbers(answer(text, [], citations=(other,))) == ["7 juta"]
