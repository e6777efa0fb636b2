"""The question-kind model: the committed one, its dict form, and the contract check."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.reader.question_kind import CATEGORY_KIND, KINDS, QuestionKindModel


@pytest.fixture(scope="module")
def model():
    return QuestionKindModel.from_file()


def test_the_committed_model_gives_a_distribution_over_the_kinds(model):
    assert model.weights.shape[0] == len(KINDS) == model.bias.shape[0]
    rng = np.random.default_rng(1)
    for _ in range(5):
        vector = rng.normal(size=model.weights.shape[1])
        vector /= np.linalg.norm(vector)
        p = model.probabilities(vector)
        assert list(p) == list(KINDS)
        assert sum(p.values()) == pytest.approx(1.0) and all(0.0 <= v <= 1.0 for v in p.values())


def test_probabilities_are_a_stable_softmax():
    weights = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    model = QuestionKindModel(weights, np.zeros(3))
    p = model.probabilities(np.array([1000.0, 0.0]))  # no overflow
    assert p["lookup"] == pytest.approx(1.0) and p["calculation"] == pytest.approx(0.0)
    even = model.probabilities(np.zeros(2))
    assert all(v == pytest.approx(1 / 3) for v in even.values())


def test_round_trip_through_its_dict(model):
    again = QuestionKindModel.from_dict(json.loads(json.dumps(model.to_dict())))
    np.testing.assert_allclose(again.weights, model.weights, atol=1e-6)
    np.testing.assert_allclose(again.bias, model.bias, atol=1e-6)
    vector = np.ones(model.weights.shape[1]) / np.sqrt(model.weights.shape[1])
    for kind, value in again.probabilities(vector).items():
        assert value == pytest.approx(model.probabilities(vector)[kind], abs=1e-5)


def test_a_model_with_other_classes_is_refused(model):
    data = model.to_dict()
    data["kinds"] = ["lookup", "text", "calculation"]
    with pytest.raises(ValueError, match="retrain"):
        QuestionKindModel.from_dict(data)


def test_every_category_maps_to_a_kind():
    assert set(CATEGORY_KIND.values()) <= set(KINDS)


def _clusters(kinds, per_kind=12, dimension=6, seed=0):
    rng = np.random.default_rng(seed)
    vectors, labels = [], []
    for index, kind in enumerate(kinds):
        centre = np.zeros(dimension)
        centre[index] = 3.0
        vectors += list(rng.normal(centre, 0.3, size=(per_kind, dimension)))
        labels += [kind] * per_kind
    return vectors, labels


def test_fit_question_kinds_puts_each_kind_in_its_row(train):
    vectors, labels = _clusters(["text", "lookup", "calculation"])  # not in KINDS order
    model = train.fit_question_kinds(vectors, labels)
    assert model.weights.shape == (len(KINDS), 6)
    for vector, kind in zip(vectors, labels):
        p = model.probabilities(vector)
        assert max(p, key=p.get) == kind


def test_fit_question_kinds_with_two_kinds_present(train):
    vectors, labels = _clusters(["lookup", "text"])
    model = train.fit_question_kinds(vectors, labels)
    for vector, kind in zip(vectors, labels):
        p = model.probabilities(vector)
        assert max(p, key=p.get) == kind


def test_char_ngrams_are_scikit_learns_char_wb():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from assistant.reader.question_kind import NGRAM_RANGE, char_ngrams

    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE).build_analyzer()
    for text in ("Berapa rata-rata nilai per transaksi QRIS pada Desember 2022?", "How  much\tmore did it earn?",
                 "a of Rp 5,4 triliun", "Éxport growth: 2,5%!", ""):
        assert char_ngrams(text) == analyzer(text)


_PHRASED = {
    "calculation": ["Berapa selisih ekspor {} antara dua bulan?", "How much more {} than last year?",
                    "By how much did {} change between the two years?", "Berapa rata-rata {} per transaksi?"],
    "lookup": ["Berapa nilai {} pada 2023?", "What was the {} in 2023?", "Berapa {} tercatat?",
               "What level did {} reach?"],
    "text": ["Siapa yang mengumumkan {}?", "Why did {} fall?", "Mengapa {} turun?", "Who announced the {}?"],
}
_TOPICS = ["ekspor", "inflasi", "kredit", "investasi", "exports", "inflation", "credit", "investment"]


def test_the_phrasing_tells_the_kinds_apart_when_the_vectors_do_not(train):
    rng = np.random.default_rng(3)
    texts, labels = [], []
    for kind, patterns in _PHRASED.items():
        for pattern in patterns:
            for topic in _TOPICS[:6]:
                texts.append(pattern.format(topic))
                labels.append(kind)
    vectors = list(rng.normal(size=(len(texts), 8)))  # no signal in the vectors
    model = train.fit_question_kinds(vectors, labels, texts)
    assert model.phrasing is not None
    for kind, patterns in _PHRASED.items():
        for pattern in patterns:
            p = model.probabilities(rng.normal(size=8), pattern.format(_TOPICS[7]))  # a topic never seen
            assert max(p, key=p.get) == kind, pattern
    again = QuestionKindModel.from_dict(json.loads(json.dumps(model.to_dict())))
    text = _PHRASED["calculation"][0].format("kopi")
    vector = np.ones(8) / np.sqrt(8)
    for kind, value in again.probabilities(vector, text).items():
        assert value == pytest.approx(model.probabilities(vector, text)[kind], abs=1e-4)
    assert model.probabilities(vector) != model.probabilities(vector, text)  # without text: the vector alone


def test_a_stated_figure_is_refused_for_a_question_the_model_reads_as_a_calculation_or_a_sentence():
    from assistant.reader.question_kind import reads_as_another_kind

    calculation = {"lookup": 0.3, "calculation": 0.6, "text": 0.1}
    sentence = {"lookup": 0.31, "calculation": 0.02, "text": 0.67}  # a "where" question
    assert reads_as_another_kind("lookup", calculation) == "calculation"
    assert reads_as_another_kind("lookup", sentence) == "text"
    assert reads_as_another_kind("calculation", calculation) is None and reads_as_another_kind("text", sentence) is None
    assert reads_as_another_kind("lookup", {"lookup": 0.5, "calculation": 0.4, "text": 0.1}) is None
    assert reads_as_another_kind("lookup", {"lookup": 0.45, "calculation": 0.1, "text": 0.45}) is None  # a tie: lookup
    assert reads_as_another_kind("lookup", None) is None


def test_the_kind_asked_is_the_categorys_unless_an_unanswerable_item_names_it():
    from assistant.reader.question_kind import kind_asked

    assert kind_asked({"category": "paraphrase"}) == "lookup"
    assert kind_asked({"category": "non_numeric"}) == "text"
    assert kind_asked({"category": "unanswerable"}) == "lookup"
    assert kind_asked({"category": "unanswerable", "asks": "text"}) == "text"


@pytest.mark.parametrize("question, quote, unit, unstated", [
    ("Berapa rata-rata nilai per transaksi QRIS pada Desember 2022?",
     "Nilai transaksi QRIS mencapai Rp12,2 triliun pada Desember 2022.", "IDR", True),
    ("What was the average export value per tonne in 2023?", "Exports were worth US$28.45 billion in 2023.", "USD", True),
    ("Berapa rupiah KUR yang diterima tiap debitur?", "KUR tersalurkan Rp208 triliun kepada 4,4 juta debitur.", "IDR",
     True),
    # a rate the quote states, in either language's words
    ("What was the average daily trading value in 2021?",
     "Rata-rata nilai transaksi harian meningkat 9,78% menjadi Rp14,71 triliun, dari Rp13,4 triliun pada 2021.", "IDR",
     False),
    ("How many hours a day were people online on average?", "Warga daring rata-rata 4,7 jam per hari.", "jam", False),
    ("Berapa kurs rupiah per dolar AS?", "Kurs rupiah ditutup Rp15.573.", "IDR/USD", False),  # a rate in the unit
    # no rate asked: "per" as "as of", "per cent"
    ("Berapa kredit UMKM per Juni 2024?", "Kredit UMKM Rp1.400 triliun.", "IDR", False),
    ("By how many per cent did exports grow?", "Ekspor tumbuh 2,5 persen.", "%", False),
])
def test_a_rate_asked_needs_a_quote_or_unit_that_states_one(question, quote, unit, unstated):
    from assistant.reader.question_kind import asks_unstated_rate

    assert asks_unstated_rate(question, [quote], [unit]) is unstated


def test_a_periods_word_is_not_a_rate():
    from assistant.reader.question_kind import asks_unstated_rate

    quote = "ASPI put December 2022 at roughly 128 million QRIS transactions worth Rp12.2 trillion, a monthly record."
    assert asks_unstated_rate("Berapa rata-rata nilai per transaksi QRIS pada Desember 2022?", [quote], ["IDR"])


def test_a_question_reads_as_wanting_a_figure_when_a_lookup_or_a_calculation_is_likelier_than_a_sentence():
    from assistant.reader.question_kind import reads_as_figure

    assert reads_as_figure({"lookup": 0.5, "calculation": 0.1, "text": 0.4})
    assert reads_as_figure({"lookup": 0.2, "calculation": 0.45, "text": 0.35})
    assert not reads_as_figure({"lookup": 0.3, "calculation": 0.3, "text": 0.4})
    assert not reads_as_figure(None)  # no model: the word rules decide
