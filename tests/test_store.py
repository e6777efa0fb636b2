import os
import subprocess
import sys
import textwrap

import pytest

from assistant.config import Settings
from assistant.embed import CachedEmbeddings, FakeEmbeddings
from assistant.schema import Chunk
from assistant.store import SEARCH_EF, ChunkStore, CorruptStore, EmbedderMismatch, StoreInUse


def make_chunk(index: int, text: str) -> Chunk:
    metadata = {"source": "a.md", "start": index * 100, "end": index * 100 + len(text), "chunk_index": index, "title": "A"}
    return Chunk(id=f"chunk-{index}", source="a.md", text=text, start=index * 100, end=metadata["end"], metadata=metadata)


TEXTS = ["Per Juni 2023 sebanyak 22,8 juta UMKM.", "Target 30 juta UMKM pada 2024.", "Resep nasi goreng."]


@pytest.fixture
def store(tmp_path):
    return ChunkStore(Settings(store=tmp_path / "store", embedder="fake"))


def test_add_search_and_read_back(store):
    assert store.is_empty() and store.last_ingest_time() is None and store.dense_search("x", 3) == []
    chunks = [make_chunk(i, t) for i, t in enumerate(TEXTS)]
    store.add_chunks(chunks)
    assert store.count() == 3
    assert store.all_chunks() == chunks
    (best, cosine), *rest = store.dense_search(TEXTS[1], 2)
    assert best == chunks[1] and cosine == pytest.approx(1.0, abs=1e-4)
    assert len(rest) == 1 and rest[0][1] < cosine
    assert store.collection.metadata["embedder"] == "fake-64" and store.collection.metadata["dimension"] == 64
    assert store.collection.configuration["hnsw"]["space"] == "cosine"
    store.mark_ingested(123.0)
    assert store.last_ingest_time() == 123.0
    store.delete_ids(["chunk-0"])
    assert [c.id for c in store.all_chunks()] == ["chunk-1", "chunk-2"]


def test_stored_vectors_are_read_back_by_id_and_missing_ids_are_left_out(store):
    chunks = [make_chunk(i, t) for i, t in enumerate(TEXTS)]
    store.add_chunks(chunks)
    vectors = store.vectors(["chunk-2", "chunk-0", "no-such-chunk"])
    assert sorted(vectors) == ["chunk-0", "chunk-2"]
    expected = store.embeddings.embed_documents([TEXTS[2]])[0]
    assert list(vectors["chunk-2"]) == pytest.approx(expected, abs=1e-6)
    assert store.vectors([]) == {}


def test_upsert_same_id_keeps_one_copy(store):
    store.add_chunks([make_chunk(0, TEXTS[0])])
    store.add_chunks([make_chunk(0, TEXTS[0])])
    assert store.count() == 1


def test_other_embedder_is_refused(tmp_path):
    settings = Settings(store=tmp_path / "store", embedder="fake")
    ChunkStore(settings).add_chunks([make_chunk(0, TEXTS[0])])
    with pytest.raises(EmbedderMismatch, match="--rebuild"):
        ChunkStore(settings, embeddings=CachedEmbeddings(FakeEmbeddings(size=32), None))
    rebuilt = ChunkStore(settings, embeddings=CachedEmbeddings(FakeEmbeddings(size=32), None), rebuild=True)
    assert rebuilt.is_empty() and rebuilt.collection.metadata["embedder"] == "fake-32"


def test_second_process_gets_a_clear_lock_error(store):
    code = textwrap.dedent(
        f"""
        from assistant.config import Settings
        from assistant.store import ChunkStore, StoreInUse
        try:
            ChunkStore(Settings(store={str(store.settings.store)!r}, embedder="fake"))
        except StoreInUse as error:
            print(error)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert f"is in use by process {os.getpid()}" in result.stdout
    assert "chroma run --path DIR" in result.stdout


def test_lock_is_released_when_the_process_ends(tmp_path):
    path = tmp_path / "store"
    code = f"from assistant.config import Settings; from assistant.store import ChunkStore; ChunkStore(Settings(store={str(path)!r}, embedder='fake'))"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert ChunkStore(Settings(store=path, embedder="fake")).is_empty()


def test_corrupt_store_is_reported_and_rebuild_recovers(tmp_path):
    settings = Settings(store=tmp_path / "store", embedder="fake")
    (settings.store / "chroma").mkdir(parents=True)
    (settings.store / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    cache = settings.store / "embedding-cache" / "keep.txt"
    cache.parent.mkdir()
    cache.write_text("cached")
    with pytest.raises(CorruptStore, match="assistant ingest --rebuild"):
        ChunkStore(settings)
    rebuilt = ChunkStore(settings, rebuild=True)
    rebuilt.add_chunks([make_chunk(0, TEXTS[0])])
    assert rebuilt.count() == 1 and cache.read_text() == "cached"


def test_unknown_embedder_is_a_store_error(tmp_path):
    from assistant.store import StoreError

    with pytest.raises(StoreError, match="unknown embedder"):
        ChunkStore(Settings(store=tmp_path, embedder="nope"))


def test_search_explores_enough_candidates_and_older_stores_are_raised_to_it(tmp_path):
    settings = Settings(store=tmp_path / "store", embedder="fake", corpus=tmp_path / "corpus")
    store = ChunkStore.from_settings(settings)
    assert store.collection.configuration["hnsw"]["ef_search"] == SEARCH_EF
    store.collection.modify(configuration={"hnsw": {"ef_search": 100}})  # as Chroma's default made it
    store.reopen()
    assert store.collection.configuration["hnsw"]["ef_search"] == SEARCH_EF


def test_reopen_waits_for_a_database_another_writer_holds_locked(tmp_path, monkeypatch):
    from chromadb.errors import InternalError

    import assistant.store as store_module

    settings = Settings(store=tmp_path / "store", embedder="fake", corpus=tmp_path / "corpus")
    store = ChunkStore.from_settings(settings)
    opened, failures = [], iter([InternalError("database is locked"), InternalError("database is locked")])
    real_open = store._open

    def sometimes_locked(name):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        opened.append(name)
        return real_open(name)

    monkeypatch.setattr(store, "_open", sometimes_locked)
    monkeypatch.setattr(store_module.time, "sleep", lambda seconds: None)
    store.reopen()
    assert opened == [settings.collection]
    always = iter([InternalError("database is locked")] * 10)
    monkeypatch.setattr(store, "_open", lambda name: (_ for _ in ()).throw(next(always)))
    with pytest.raises(CorruptStore, match="locked"):
        store.reopen()
