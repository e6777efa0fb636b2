"""The answer form: what unit and kind of figure a question wants, as features of the candidates it could be."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.analyse import analyse
from assistant.claim_kinds import KINDS as CLAIM_KINDS
from assistant.evidence import build_views
from assistant.load import load_document
from assistant.reader.answer_form import (ANSWER_FORM_FILE, KIND_CLASSES, NOT_ASKED, SCALE_CLASSES, UNIT_CLASSES,
                                          AnswerForm, Expectation, fill, kind_class, scale_class, unit_class)
from assistant.reader.candidates import candidate_figures
from assistant.reader.features import FEATURE_NAMES, unit_kind, value_scale
from assistant.schema import ScoredChunk
from assistant.split import split_document
from conftest import CORPUS, SEED_FILE


def _row(unit: str, kind: str | None, stated: bool, value: float = 0.0) -> list[float]:
    row = [0.0] * len(FEATURE_NAMES)
    row[FEATURE_NAMES.index("value_scale")] = float(value_scale(value))
    row[FEATURE_NAMES.index("answer_scale_p")] = NOT_ASKED
    row[FEATURE_NAMES.index(f"unit_{unit}")] = 1.0
    if kind:
        row[FEATURE_NAMES.index(f"claim_kind_{kind}")] = 1.0
    row[FEATURE_NAMES.index("stated_slot")] = float(stated)
    row[FEATURE_NAMES.index("answer_unit_p")] = row[FEATURE_NAMES.index("answer_kind_p")] = NOT_ASKED
    return row


def _expectation(unit: str, kind: str, p: float = 0.7, scale: str = "zero") -> Expectation:
    rest_units = (1 - p) / (len(UNIT_CLASSES) - 1)
    rest_kinds = (1 - p) / (len(KIND_CLASSES) - 1)
    rest_scales = (1 - p) / (len(SCALE_CLASSES) - 1)
    return Expectation.from_probabilities({u: p if u == unit else rest_units for u in UNIT_CLASSES},
                                          {k: p if k == kind else rest_kinds for k in KIND_CLASSES},
                                          {c: p if c == scale else rest_scales for c in SCALE_CLASSES})


def _form(row) -> tuple[float, float]:
    return row[FEATURE_NAMES.index("answer_unit_p")], row[FEATURE_NAMES.index("answer_kind_p")]


def test_a_stated_candidate_gets_the_probability_of_its_own_scale():
    rows = [_row("currency", "level", True, 38.61e12), _row("currency", "level", True, 3530)]
    fill(rows, _expectation("currency", "level", scale="trillions"))
    scale_p = FEATURE_NAMES.index("answer_scale_p")
    assert rows[0][scale_p] == pytest.approx(0.7) and rows[1][scale_p] == pytest.approx(0.3 / (len(SCALE_CLASSES) - 1))
    assert [scale_class(r) for r in rows] == ["trillions", "thousands"]


@pytest.mark.parametrize("value, scale", [(0, "zero"), (0.5, "below_thousand"), (999, "below_thousand"),
                                          (1000, "thousands"), (3530, "thousands"), (18.25e6, "millions"),
                                          (2.1e9, "billions"), (1e12, "trillions"), (4.5e15, "trillions"),
                                          (-2.4, "below_thousand")])
def test_the_scale_of_a_value_is_its_order_of_magnitude_by_thousands(value, scale):
    assert SCALE_CLASSES[value_scale(value)] == scale


def test_a_stated_candidate_gets_the_probability_of_its_own_unit_and_kind():
    rows = [_row("%", "growth_rate", True), _row("currency", "level", True), _row("count", None, True)]
    fill(rows, _expectation("%", "growth_rate"))
    assert _form(rows[0]) == pytest.approx((0.7, 0.7))
    low_unit, low_kind = (0.3 / (len(UNIT_CLASSES) - 1), 0.3 / (len(KIND_CLASSES) - 1))
    assert _form(rows[1]) == pytest.approx((low_unit, low_kind))
    assert _form(rows[2]) == pytest.approx((low_unit, low_kind))  # no claim: the kind "none"


def test_operands_and_questions_without_an_expectation_stay_not_asked():
    operand = [_row("%", "growth_rate", False)]
    fill(operand, _expectation("%", "growth_rate"))
    assert _form(operand[0]) == (NOT_ASKED, NOT_ASKED)
    stated = [_row("%", "growth_rate", True)]
    fill(stated, None)
    assert _form(stated[0]) == (NOT_ASKED, NOT_ASKED)


def test_a_rows_unit_and_kind_are_read_from_its_one_hot_columns():
    for unit in UNIT_CLASSES:
        for kind in (*CLAIM_KINDS, None):
            row = _row(unit, kind, True)
            assert unit_class(row) == unit and kind_class(row) == (kind or "none")


_ASKED = {
    ("count", "count"): ["Berapa banyak {} yang tercatat?", "How many {} were there?", "Ada berapa {} terdaftar?"],
    ("%", "growth_rate"): ["Berapa persen pertumbuhan {}?", "By what percentage did {} grow?",
                           "Seberapa cepat {} tumbuh?"],
    ("currency", "level"): ["Berapa rupiah nilai {}?", "How many rupiah was the {} worth?",
                            "Berapa nilai {} dalam triliun rupiah?"],
}
_TOPICS = ["ekspor", "kredit", "investasi", "exports", "loans", "investment", "UMKM"]


def test_fitted_from_phrasing_it_transfers_to_a_topic_it_never_saw(train):
    import reader_fitting  # scripts/, on the path once the train fixture has loaded train_reader.py

    rng = np.random.default_rng(5)
    texts, labels = [], []
    for label, patterns in _ASKED.items():
        for pattern in patterns:
            for topic in _TOPICS[:6]:
                texts.append(pattern.format(topic))
                labels.append(label)
    vectors = list(rng.normal(size=(len(texts), 8)))  # no signal in the vectors
    scale_of = {"count": "millions", "%": "below_thousand", "currency": "trillions"}
    model = reader_fitting.fit_answer_form(vectors, texts, [(*label, scale_of[label[0]]) for label in labels])
    for (unit, kind), patterns in _ASKED.items():
        for pattern in patterns:
            expectation = model.expect(rng.normal(size=8), pattern.format(_TOPICS[6]))
            assert UNIT_CLASSES[int(np.argmax(expectation.units))] == unit, pattern
            assert KIND_CLASSES[int(np.argmax(expectation.kinds))] == kind, pattern
            assert SCALE_CLASSES[int(np.argmax(expectation.scales))] == scale_of[unit], pattern
            assert expectation.units[UNIT_CLASSES.index("bps")] < 1e-6  # a unit no question asked for
    again = AnswerForm.from_dict(json.loads(json.dumps(model.to_dict())))
    vector, text = np.ones(8) / np.sqrt(8), "Berapa banyak koperasi?"
    np.testing.assert_allclose(again.expect(vector, text).units, model.expect(vector, text).units, atol=1e-4)
    np.testing.assert_allclose(again.expect(vector, text).kinds, model.expect(vector, text).kinds, atol=1e-4)


def test_the_committed_model_has_the_codes_classes():
    model = AnswerForm.from_file(ANSWER_FORM_FILE)
    assert model.unit.classes == UNIT_CLASSES and model.kind.classes == KIND_CLASSES
    assert model.scale.classes == SCALE_CLASSES
    data = model.to_dict()
    data["unit"]["kinds"] = list(reversed(data["unit"]["kinds"]))
    with pytest.raises(ValueError, match="retrain"):
        AnswerForm.from_dict(data)
    expectation = model.expect(np.ones(model.unit.weights.shape[1]) / 20, "Berapa persen inflasi?")
    assert expectation.units.sum() == pytest.approx(1.0) and expectation.kinds.sum() == pytest.approx(1.0)
    assert model.expect(np.ones(3), "Berapa persen inflasi?") is None  # another embedder's vector


def test_candidates_of_a_lookup_carry_the_form_and_operands_do_not():
    chunks = split_document(load_document(CORPUS / SEED_FILE), chunk_size=300)
    (view,) = build_views(chunks).values()
    retrieved = [ScoredChunk(chunk=c, score=0.9 - 0.01 * i, dense=0.9 - 0.01 * i, lexical=0.2)
                 for i, c in enumerate(chunks)]
    analysis = analyse("Berapa persen UMKM yang sudah go digital?")
    expectation = _expectation("%", "share", p=0.9)
    arguments = (analysis, retrieved, {view.source: view}, None, analysis.role, analysis.wants_current)
    stated = candidate_figures(*arguments, scorer=None, unit_agreement=True, expectation=expectation)
    assert stated
    for candidate in stated:
        named = dict(zip(FEATURE_NAMES, candidate.features))
        assert named["stated_slot"] == 1.0
        assert named["answer_unit_p"] == pytest.approx(expectation.units[UNIT_CLASSES.index(unit_kind(
            candidate.figure))])
    operands = candidate_figures(*arguments, scorer=None, expectation=expectation)
    assert all(dict(zip(FEATURE_NAMES, c.features))["answer_unit_p"] == NOT_ASKED for c in operands)


def test_labels_are_the_unit_and_kind_of_the_first_right_figure_stated_as_the_answer(train):
    import reader_fitting

    operand = _row("currency", "level", False)
    wrong = _row("%", "share", True)
    right = _row("count", "count", True)
    later = _row("%", "growth_rate", True)
    calls = [("q1", [operand], [1]),  # an operand's figure is not the answer's form
             ("q1", [wrong, right], [0, 1]), ("q1", [later], [1]),  # the first query with a right figure counts
             ("q2", [right], [1]),  # not a question that asks for a stated figure
             ("q3", [wrong], [0])]  # no right figure: no label
    labels = reader_fitting.answer_form_labels(calls, {"q1", "q3"})
    assert labels == {"q1": ("count", "count", "zero")}
