"""The reader over the sample briefing, with every chunk handed in as retrieved (no embedder needed)."""

from datetime import date
from decimal import Decimal

import pytest

from assistant.analyse import analyse
from assistant.evidence import build_views
from assistant.figures import Figure
from assistant.load import load_document
from assistant.periods import Period, current_period, month_period, year_period
from assistant.matching import missing_terms
from assistant.read import covered_periods, period_relation, unit_fits
from assistant.reader.candidates import candidate_figures
from assistant.sentences import best_sentences
from assistant.schema import ScoredChunk
from assistant.split import split_document
from conftest import CORPUS, SEED_FILE


@pytest.fixture(scope="module")
def seed():
    doc = load_document(CORPUS / SEED_FILE)
    chunks = split_document(doc, chunk_size=300)
    views = build_views(chunks)
    retrieved = [ScoredChunk(chunk=c, score=0.9, dense=0.9, lexical=0.5) for c in chunks]
    return doc, views, retrieved


def top(seed, question, period=None, role=None):
    _, views, retrieved = seed
    analysis = analyse(question)
    if period is None and len(analysis.periods) == 1:
        period = analysis.periods[0]
    found = candidate_figures(analysis, retrieved, views, period, role or analysis.role, analysis.wants_current,
                              scorer=None)
    return [c for c in found if c.score > float("-inf")]  # the rule score: rejected figures are out


def test_views_rebuild_the_source_text(seed):
    doc, views, _ = seed
    (view,) = views.values()
    for start, end in view.spans:
        assert view.text[start:end] == doc.text[start:end]
    assert view.published == date(2023, 12, 4) and view.language == "id"
    assert "umkm" in view.acronyms


@pytest.mark.parametrize(
    "wanted, given, relation",
    [
        (month_period(2023, 6), month_period(2023, 6), "match"),
        (month_period(2023, 6), month_period(2023, 3), "conflict"),
        (month_period(2023, 6), year_period(2023), "conflict"),
        (year_period(2024), year_period(2024), "match"),
        (year_period(2023), month_period(2023, 6), "partial"),
        (year_period(2023), year_period(2024), "conflict"),
        (month_period(2023, 12), current_period(date(2023, 12, 4)), "partial"),  # a stock at the publication date answers the month only partly
        (Period("since", None, date(2020, 3, 1)), Period("since", None, date(2020, 3, 1)), "match"),
        (month_period(2023, 6), None, "unknown"),
    ],
)
def test_period_relation(wanted, given, relation):
    assert period_relation(wanted, given) == relation


def _figure(unit):
    return Figure(value=Decimal(1), unit=unit, text="1", start=0, end=1, sentence_start=0, sentence_end=1, source="s")


@pytest.mark.parametrize(
    "expected, unit, fits",
    [("%", "%", True), ("%", "UMKM", False), ("%", "IDR", False), ("currency", "IDR", True),
     ("currency", "USD/kg", True), ("currency", "UMKM", False), ("count", "UMKM", True), ("count", "IDR", False),
     ("count", "%", False), ("USD", "IDR", False), (None, "anything", True)],
)
def test_unit_fits(expected, unit, fits):
    assert unit_fits(expected, _figure(unit)) is fits


def test_best_candidate_has_the_asked_period(seed):
    found = top(seed, "Berapa UMKM yang sudah go digital per Juni 2023?")
    assert found and found[0].figure.value == Decimal(22_800_000)
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)


def test_no_candidate_contradicts_the_asked_period(seed):
    for question in ("Berapa UMKM yang sudah go digital per Maret 2023?",
                     "How many MSMEs have gone digital as of June 2023?"):
        wanted = analyse(question).periods[0]
        for candidate in top(seed, question):
            assert period_relation(wanted, candidate.figure.period) != "conflict"


def test_september_has_no_candidate_of_another_month(seed):
    found = top(seed, "How many UMKM had gone digital by September 2023?")
    assert all(c.figure.period is None or c.figure.period.month_key == (2023, 9) for c in found)


def test_target_question_prefers_the_target(seed):
    found = top(seed, "Berapa target UMKM go digital pada 2024?")
    assert found[0].figure.value == Decimal(30_000_000) and found[0].figure.role == "target"


def test_percent_question_only_gets_percent_figures(seed):
    found = top(seed, "Berapa persen UMKM yang sudah go digital dari total populasi?")
    assert found and all(c.figure.unit in ("%", "pp", "bps") for c in found)


def test_missing_terms_name_what_the_documents_lack(seed):
    _, views, _ = seed
    assert "QRIS" in missing_terms(analyse("Berapa nilai transaksi QRIS pada 2023?"), list(views.values()))
    assert missing_terms(analyse("Berapa UMKM yang sudah go digital per Juni 2023?"), list(views.values())) == ()


def test_covered_periods_list_the_months_given(seed):
    _, views, _ = seed
    analysis = analyse("How many UMKM had gone digital by September 2023?")
    labels = [p.label for p in covered_periods(list(views.values()), analysis, "actual")]
    assert "2023-03" in labels and "2023-06" in labels and "2023-09" not in labels


def test_who_question_finds_the_speaker(seed):
    _, views, retrieved = seed
    best = best_sentences(analyse("Siapa yang melaporkan angka 27 juta UMKM?"), retrieved, views)
    assert best and any("Rudy Salahuddin" in view.text[start:end] for view, (start, end), _ in best)
