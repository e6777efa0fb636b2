"""The committed figure scorer and confidence model: loading, contract checks, and the answer features."""

from __future__ import annotations

import json
import math
import random
from types import SimpleNamespace

import numpy as np
import pytest

from assistant.analyse import analyse
from assistant.answer import Answer, Citation
from assistant.reader.confidence import (ANSWER_FEATURES, absence, ANSWER_KINDS, CONFIDENCE_FILE, Calibrator, KindModel,
                                         answer_features)
from assistant.reader.features import FEATURE_NAMES
from assistant.reader.ranker import RANKER_FILE, LearnedScorer, model_card
from assistant.schema import Chunk, ScoredChunk


# -- the figure scorer ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scorer():
    return LearnedScorer.from_file()


def test_the_committed_figure_scorer_gives_one_probability_per_row(scorer):
    rng = random.Random(3)
    rows = [[rng.uniform(-1, 2) for _ in FEATURE_NAMES] for _ in range(7)]
    scores = scorer.score(rows, None)
    assert len(scores) == 7 and all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)
    assert scorer.score([], []) == []
    assert scorer.score(rows[:1])[0] == scores[0]  # a row's score does not depend on the others


def test_the_figure_scorer_prefers_what_the_rules_and_retrieval_prefer(scorer):
    """A figure the rules accept and rank first in the best chunk scores above one they reject, far away."""
    def row(**values):
        base = dict.fromkeys(FEATURE_NAMES, 0.0)
        base.update(values)
        return [base[name] for name in FEATURE_NAMES]
    good = row(chunk_dense=0.9, held_by_retrieved=1, rule_accepts=1, rule_score=3.0, period_match=1, unit_fits=1,
               overlap_clause=1.0, overlap_sentence=1.0, claim_cos=0.9, sentence_cos=0.9, doc_dense=0.9)
    bad = row(chunk_dense=0.7, chunk_rank=30, dense_gap=0.2, doc_rank=5, rule_accepts=0, rule_score=-1.0,
              rule_rank=40, period_conflict=1, claim_cos=0.6, claim_cos_gap=0.3, claim_cos_rank=30,
              chunk_dense_gap=0.2, doc_dense=0.7)
    high, low = scorer.score([good, bad])
    assert high > low


def test_a_booster_with_other_feature_names_is_refused():
    import lightgbm
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 3))
    data = lightgbm.Dataset(x, label=(x[:, 0] > 0).astype(int), feature_name=["a", "b", "c"])
    booster = lightgbm.train({"objective": "binary", "verbose": -1, "num_threads": 1, "min_data_in_leaf": 5},
                             data, num_boost_round=2)
    with pytest.raises(ValueError, match="retrain"):
        LearnedScorer.from_booster(booster)


def test_the_model_card_matches_the_committed_models():
    card = model_card()
    assert RANKER_FILE.is_file() and card["seed"] and card["positives"] > 0
    committed = json.loads(CONFIDENCE_FILE.read_text(encoding="utf-8"))
    assert card["thresholds"] == {kind: m["threshold"] for kind, m in committed["kinds"].items()}
    assert card["gates"] == committed["gates"]


# -- the confidence model ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def calibrator():
    return Calibrator.from_file()


def test_the_committed_calibrator_has_a_model_per_answer_kind(calibrator):
    assert set(calibrator.kinds) == set(ANSWER_KINDS)
    for model in calibrator.kinds.values():
        assert len(model.weights) == len(model.means) == len(model.scales) == len(ANSWER_FEATURES)
        assert all(s > 0 for s in model.scales)
        assert 0.0 <= model.threshold <= 1.0


def test_calibrator_round_trips_through_its_dict(calibrator):
    again = Calibrator.from_dict(json.loads(json.dumps(calibrator.to_dict())))
    assert again == calibrator
    features = [m for m in calibrator.kinds["lookup"].means]
    for kind in ANSWER_KINDS:
        assert again.probability(features, kind) == calibrator.probability(features, kind)
        assert again.threshold(kind) == calibrator.threshold(kind)


def test_a_model_for_other_features_is_refused(calibrator):
    data = calibrator.to_dict()
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="features do not match"):
        Calibrator.from_dict(data)
    data["features"] = list(reversed(ANSWER_FEATURES))
    with pytest.raises(ValueError):
        Calibrator.from_dict(data)


def test_an_unknown_kind_is_never_answered(calibrator):
    assert calibrator.threshold("poem") == 1.0
    assert calibrator.probability([0.0] * len(ANSWER_FEATURES), "poem") == 0.0


def test_probability_is_the_standardised_logistic_and_monotone_in_a_positive_weight(calibrator):
    for kind, model in calibrator.kinds.items():
        index = max(range(len(model.weights)), key=lambda i: model.weights[i])
        assert model.weights[index] > 0, kind
        features = list(model.means)
        assert model.probability(features) == pytest.approx(1 / (1 + math.exp(-model.intercept)))
        values = []
        for step in range(-3, 4):
            moved = list(features)
            moved[index] = model.means[index] + step * model.scales[index]
            values.append(calibrator.probability(moved, kind))
        assert values == sorted(values) and values[0] < values[-1]
        assert all(0.0 < v < 1.0 for v in values)


def test_probability_saturates_instead_of_overflowing():
    model = KindModel(means=(0.0,), scales=(1.0,), weights=(1.0,), intercept=0.0, threshold=0.5)
    assert model.probability([1e6]) == pytest.approx(1.0) and model.probability([-1e6]) == pytest.approx(0.0)


# -- answer features -----------------------------------------------------------------------------------
def _chunk(source, dense, lexical=0.3):
    chunk = Chunk(id=f"{source}:0", source=source, text="x", start=0, end=1, metadata={})
    return ScoredChunk(chunk=chunk, score=dense, dense=dense, lexical=lexical)


def _answer(sources):
    citations = tuple(Citation(n=i + 1, source=s, title="T", date=None, quote="q", start=0, end=1)
                      for i, s in enumerate(sources))
    return Answer(question="q", language="id", answerable=True, answer="a [1]", value=1, citations=citations)


def _view(language, text):
    from assistant.lexical import tokenize

    return SimpleNamespace(language=language, stems=frozenset(tokenize(text)),
                           mentions=lambda phrase: phrase.lower() in text.lower().split())


def _quoted(quote):
    citation = Citation(n=1, source="a.md", title="T", date=None, quote=quote, start=0, end=1)
    return Answer(question="q", language="id", answerable=True, answer="a [1]", value=1, citations=(citation,))


def test_absence_names_what_the_evidence_lacks():
    analysis = analyse("Berapa andil cabai merah terhadap inflasi bulanan Oktober 2023?")
    cited = {"a.md": _view("id", "Inflasi bulanan Oktober 2023 sebesar 0,17 persen; beras memberi andil 0,06 persen.")}
    absent_docs, absent_quotes, *_ = absence(analysis, _quoted("Inflasi bulanan sebesar 0,17 persen."), cited)
    present_docs, present_quotes, *_ = absence(
        analysis, _quoted("Cabai merah memberi andil 0,05 persen terhadap inflasi bulanan."),
        {"a.md": _view("id", "Cabai merah memberi andil 0,05 persen terhadap inflasi bulanan Oktober 2023.")})
    assert absent_docs > present_docs == 0.0  # "cabai", "merah" are in no document
    assert absent_quotes > present_quotes


def test_absence_counts_names_missing_from_the_quotes():
    analysis = analyse("What was the PMI of Vietnam in December 2023?")
    cited = {"a.md": _view("en", "The PMI of Indonesia was 52.2 in December 2023.")}
    names_absent = absence(analysis, _quoted("The PMI of Indonesia was 52.2 in December 2023."), cited)[2]
    names_present = absence(analysis, _quoted("Vietnam's PMI was 48.9 in December 2023."), cited)[2]
    assert names_absent > names_present


def test_absence_weighs_each_missing_term_by_how_rare_it_is_in_the_library():
    analysis = analyse("Berapa andil cabai merah terhadap inflasi bulanan Oktober 2023?")
    quote = "Inflasi bulanan sebesar 0,17 persen."
    cited = {"a.md": _view("id", quote)}
    plain = absence(analysis, _quoted(quote), cited)
    # in a library of inflation briefings "inflasi" and "bulan" tell little; "cabai" and "merah" a lot
    rare = {"cabai": 5.0, "merah": 5.0, "andil": 2.0}
    weighted = absence(analysis, _quoted(quote), cited, specificity=rare)
    assert weighted[4] > plain[1] > 0.0
    assert absence(analysis, _quoted(quote), cited, specificity={"inflasi": 5.0, "bulan": 5.0})[4] < plain[1]
    assert weighted[:3] == plain[:3] and plain[3:] == plain[:2]


def test_answer_features_of_a_lookup():
    analysis = analyse("Berapa UMKM yang sudah go digital per Juni 2023?")
    figure_row = dict.fromkeys(FEATURE_NAMES, 0.0) | {"rule_rank": 0.0, "rule_accepts": 1.0, "doc_rank": 0.0,
                                                      "claim_cos": 0.8, "period_match": 1.0, "unit_fits": 1.0}
    trace = {"kind": "lookup", "missing": ("Tesla",), "calls": [(0.8, 0.3, "a.md", tuple(figure_row[n] for n in FEATURE_NAMES))],
             "sentences": []}
    retrieved = [_chunk("a.md", 0.9, 0.4), _chunk("b.md", 0.85)]
    asks = {"lookup": 0.7, "calculation": 0.2, "text": 0.1}
    values = answer_features(analysis, trace, _answer(["a.md"]), retrieved, {"a.md": _view("en", "umkm digital")},
                             asks)
    assert len(values) == len(ANSWER_FEATURES)
    named = dict(zip(ANSWER_FEATURES, values))
    assert named["kind_lookup"] == 1.0 and named["kind_calculation"] == named["kind_text"] == 0.0
    assert named["calls"] == 1.0 and named["min_top"] == named["max_top"] == 0.8
    assert named["min_margin"] == pytest.approx(0.5)
    assert named["top_dense"] == 0.9 and named["top_lexical"] == 0.4 and named["dense_gap"] == pytest.approx(0.05)
    assert named["missing_terms"] == 1.0 and named["has_period"] == 1.0
    assert named["cross_lingual"] == 1.0  # an English source for an Indonesian question
    assert named["rule_agrees"] == 1.0 and named["period_match"] == 1.0 and named["chosen_claim_cos"] == 0.8
    assert named["asks_lookup"] == 0.7 and named["asks_this_kind"] == 0.7


def test_answer_features_without_calls_or_question_kinds():
    analysis = analyse("Apa strategi pemerintah untuk UMKM?")
    trace = {"kind": "text", "missing": (), "calls": [], "sentences": [0.9, 0.6]}
    values = answer_features(analysis, trace, _answer(["a.md", "b.md"]), [_chunk("a.md", 0.8)], {}, None)
    named = dict(zip(ANSWER_FEATURES, values))
    assert named["terms_absent_documents"] == 1.0  # no cited document to find its terms in
    named = dict(zip(ANSWER_FEATURES, values))
    assert len(values) == len(ANSWER_FEATURES) and all(isinstance(v, float) for v in values)
    assert named["kind_text"] == 1.0 and named["calls"] == 0.0 and named["dense_gap"] == pytest.approx(0.8)
    assert named["sentence_top"] == 0.9 and named["sentence_margin"] == pytest.approx(0.3)
    assert named["answer_sources"] == 2.0 and named["citations"] == 2.0
    assert named["asks_text"] == pytest.approx(1 / 3) and named["asks_this_kind"] == pytest.approx(1 / 3)


# -- training helpers (scripts/train_reader.py) --------------------------------------------------------


def _answered(confidences, threshold):
    return sum(c >= threshold for c in confidences)


def test_choose_threshold_never_lets_more_than_the_target_through(train):
    confidences = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5]
    outcomes = [1, 1, 1, 1, 1, 1, 1, 1, 0, 1]  # 1/9 wrong above 0.5, 1/10 from 0.5 on
    threshold = train.choose_threshold(confidences, outcomes, 0.1)
    kept = [o for c, o in zip(confidences, outcomes) if c >= threshold]
    assert (len(kept) - sum(kept)) / len(kept) <= 0.1
    rng = random.Random(11)
    for _ in range(50):
        confidences = rng.sample(range(1, 1000), 60)
        confidences = [c / 1000 for c in confidences]  # distinct
        outcomes = [int(rng.random() < c) for c in confidences]
        for target in (0.0, 0.02, 0.1, 0.3):
            threshold = train.choose_threshold(confidences, outcomes, target)
            kept = [o for c, o in zip(confidences, outcomes) if c >= threshold]
            if threshold < 1.0:
                assert len(kept) >= train.MIN_ANSWERS
                assert (len(kept) - sum(kept)) / len(kept) <= target + 1e-9


def test_choose_threshold_is_one_when_no_level_is_right_often_enough(train):
    assert train.choose_threshold([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [0, 0, 0, 0, 0, 0]) == 1.0
    assert train.choose_threshold([0.9, 0.8], [1, 1]) == 1.0  # fewer than MIN_ANSWERS answers
    assert train.choose_threshold([], []) == 1.0


def test_choose_threshold_stops_above_a_wrong_answer(train):
    confidences = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6]
    outcomes = [1, 1, 1, 1, 1, 1, 0, 1]  # the seventh is wrong: 1/7 and 1/8 are above 2%
    threshold = train.choose_threshold(confidences, outcomes)
    assert 0.65 < threshold <= 0.7 + 1e-5


def test_a_threshold_whose_answers_cannot_bound_their_wrong_rate_answers_nothing(train):
    few = [0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6]
    assert train.choose_threshold(few, [1] * 7) == 0.6  # 7 of 7 right clears 2 % ...
    assert train.measurable_threshold(few, [1] * 7) == 1.0  # ... but 7 answers cannot show it (≤ 35 % at 95 %)
    many = [1 - i / 100 for i in range(60)]
    assert train.measurable_threshold(many, [1] * 60) == train.choose_threshold(many, [1] * 60) == many[-1]
    assert train.measurable_threshold(few, [1] * 7, 0.2) == 0.6  # at 20 % the bound may be up to 100 %
    assert train.measurable_threshold(many[:29], [1] * 29) == many[28]  # 29 of 29 right: ≤ 9.8 %, kept
    assert train.measurable_threshold(many[:28], [1] * 28) == 1.0  # 28: ≤ 10.1 %, answers nothing
    one_wrong = [1] * 49 + [0]
    assert train.measurable_threshold(many[:50], one_wrong) == many[49]  # 1 of 50 wrong: 2 %, ≤ 9.1 % at 95 %, kept
    assert train.measurable_threshold(many[:50], [0, 0] + [1] * 48) == 1.0  # the first two wrong: nothing clears 2 %
    assert train.measurable_threshold([0.9] * 30, [1] * 30) == 0.9  # 30 tied answers stand together
    assert train.measurable_threshold(many, [1] * 60, 0.0) == 1.0  # no number of answers shows 0 % wrong


def test_the_wrong_rate_bound_is_clopper_pearson(train):
    from reader_fitting import wrong_rate_bound  # scripts/ is on the path once train_reader is loaded

    assert wrong_rate_bound(29, 0) == pytest.approx(1 - 0.05 ** (1 / 29))
    assert wrong_rate_bound(50, 1) == pytest.approx(0.0914, abs=5e-4)
    assert wrong_rate_bound(7, 0) == pytest.approx(0.348, abs=1e-3)
    assert wrong_rate_bound(3, 3) == 1.0


def test_choose_threshold_keeps_tied_wrong_answers_out(train):
    confidences = [0.9] * 5 + [0.5, 0.5]
    outcomes = [1] * 5 + [1, 0]
    threshold = train.choose_threshold(confidences, outcomes)
    assert _answered(confidences, threshold) == 5 and 0.5 < threshold <= 0.9 + 1e-5


def test_choose_threshold_is_the_lowest_confidence_that_qualifies(train):
    confidences = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    threshold = train.choose_threshold(confidences, [1] * 6)
    assert _answered(confidences, threshold) == 6  # all right: every answer may be given
    exactly = [0.9, 0.8, 0.7, 0.6, 0.5]
    assert _answered(exactly, train.choose_threshold(exactly, [1] * 5)) == train.MIN_ANSWERS


def test_fit_kind_learns_the_direction_of_a_signal(train):
    rng = random.Random(5)
    features, outcomes = [], []
    for _ in range(200):
        signal = rng.random()
        features.append([signal, rng.random(), 3.0])  # the last column is constant
        outcomes.append(int(rng.random() < signal))
    model = train.fit_kind(features, outcomes, 0.6)
    assert model.threshold == 0.6 and model.scales[2] == 1.0  # a constant column is not divided by zero
    assert model.weights[0] > 0 and abs(model.weights[0]) > abs(model.weights[1])
    assert model.probability([0.9, 0.5, 3.0]) > model.probability([0.1, 0.5, 3.0])


def test_fit_kind_of_one_outcome_is_a_constant_model(train):
    features = [[0.1, 1.0], [0.5, 2.0], [0.9, 3.0]]
    always = train.fit_kind(features, [1, 1, 1])
    never = train.fit_kind(features, [0, 0, 0])
    assert always.weights == never.weights == (0.0, 0.0) and always.threshold == 1.0
    assert always.probability([0.0, 0.0]) > 0.99 and never.probability([5.0, 5.0]) < 0.01


def test_the_confidence_regularisation_is_the_one_with_the_lowest_out_of_fold_log_loss(train):
    import reader_fitting  # scripts/, on the path once the train fixture has loaded train_reader.py

    rng = np.random.default_rng(3)
    signal = rng.normal(size=(400, 1))
    features = np.hstack([signal, rng.normal(size=(400, 3))])  # one telling feature, three of noise
    outcomes = (signal[:, 0] + 0.3 * rng.normal(size=400) > 0).astype(int)
    groups = np.arange(400) % 10
    c, confidences = reader_fitting.choose_c(features, outcomes, groups)
    assert c in reader_fitting.C_GRID
    losses = {g: reader_fitting.log_loss(reader_fitting.out_of_fold(features, outcomes, groups, g), outcomes)
              for g in reader_fitting.C_GRID}
    assert losses[c] == min(losses.values())
    assert reader_fitting.log_loss(confidences, outcomes) == pytest.approx(losses[c])
    assert c > reader_fitting.C_GRID[0]  # a strong signal needs little shrinking
    # each answer's confidence comes from a model that never saw its group
    alone = reader_fitting.out_of_fold(features[:40], outcomes[:40], np.zeros(40, dtype=int), c)
    assert not alone.any()
