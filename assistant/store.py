"""Chunks in Chroma: embedded (`PersistentClient` + process lock) or server mode (`HttpClient`).

The collection records the embedder's name and dimension; opening it with another embedder is an
error that tells the user to re-ingest. Ids are the chunks' deterministic ids.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any, Iterable

from filelock import FileLock, Timeout
from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.schema import Chunk

COSINE = {"hnsw": {"space": "cosine"}}
_BATCH = 256
_PAGE = 5000


class StoreError(Exception):
    """A store that cannot be used, with a message that says what to do."""


class StoreInUse(StoreError):
    pass


class EmbedderMismatch(StoreError):
    pass


class CorruptStore(StoreError):
    pass


# One PersistentClient (and one held lock) per store directory per process.
_EMBEDDED: dict[Path, tuple[Any, FileLock]] = {}


def _lock_store(store: Path) -> FileLock:
    store.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(store / "store.lock"), timeout=0)
    pid_file = store / "store.pid"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = pid_file.read_text().strip() if pid_file.exists() else "?"
        raise StoreInUse(
            f"store {store} is in use by process {holder}; stop it or use server mode "
            f"(ASSISTANT_CHROMA_HOST/PORT, `chroma run --path DIR --host 127.0.0.1 --port N`)"
        ) from None
    pid_file.write_text(str(os.getpid()))
    return lock


def _forget_embedded(store: Path) -> None:
    """Drop this process's client for `store` (keeps the lock) so the folder can be replaced."""
    from chromadb.api.shared_system_client import SharedSystemClient

    entry = _EMBEDDED.pop(store, None)
    SharedSystemClient.clear_system_cache()
    if entry is not None:
        _EMBEDDED[store] = (None, entry[1])


def _embedded_client(store: Path):
    import chromadb

    store = store.resolve()
    client, lock = _EMBEDDED.get(store, (None, None))
    if lock is None:
        lock = _lock_store(store)
    if client is None:
        try:
            client = chromadb.PersistentClient(path=str(store / "chroma"))
            client.heartbeat()
        except Exception as error:  # chromadb raises many kinds on a damaged folder
            _EMBEDDED[store] = (None, lock)
            raise CorruptStore(
                f"store {store} cannot be opened ({type(error).__name__}: {str(error)[:200]}); "
                "rebuild it with `assistant ingest --rebuild`"
            ) from error
        _EMBEDDED[store] = (client, lock)
    return client


def _server_client(settings: Settings):
    import chromadb

    try:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port)
    except Exception as error:
        raise StoreError(
            f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} ({error}); "
            "start it with `chroma run --path DIR --host 127.0.0.1 --port N`"
        ) from error


class ChunkStore:
    """The vector half of the index: chunk texts, metadata and vectors in one Chroma collection."""

    def __init__(self, settings: Settings, embeddings: Embeddings | None = None, rebuild: bool = False):
        from langchain_chroma import Chroma

        from assistant.embed import make_embeddings

        self.settings = settings
        try:
            self.embeddings = embeddings if embeddings is not None else make_embeddings(settings)
        except ValueError as error:  # unknown embedder name or missing model folder
            raise StoreError(str(error)) from error
        self.embedder_name: str = getattr(self.embeddings, "name", type(self.embeddings).__name__)
        self.server_mode = bool(settings.chroma_host and settings.chroma_port)
        self.location = (
            f"{settings.chroma_host}:{settings.chroma_port}" if self.server_mode else str(Path(settings.store))
        )
        client = self._client(rebuild)
        if rebuild:
            self._drop_collection(client)
        self.vectorstore = Chroma(
            collection_name=settings.collection,
            embedding_function=self.embeddings,
            client=client,
            collection_metadata={"embedder": self.embedder_name},
            collection_configuration=COSINE,
        )
        self.collection = self.vectorstore._collection
        self._check_embedder()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, rebuild: bool = False) -> "ChunkStore":
        return cls(settings or Settings(), rebuild=rebuild)

    # -- opening ---------------------------------------------------------------------------
    def _client(self, rebuild: bool):
        if self.server_mode:
            return _server_client(self.settings)
        store = Path(self.settings.store).resolve()
        if rebuild:
            try:
                return _embedded_client(store)
            except CorruptStore:
                _forget_embedded(store)
                shutil.rmtree(store / "chroma", ignore_errors=True)
        return _embedded_client(store)

    def _drop_collection(self, client) -> None:
        try:
            client.delete_collection(self.settings.collection)
        except Exception:  # absent collection: nothing to drop
            pass

    def _check_embedder(self) -> None:
        recorded = (self.collection.metadata or {}).get("embedder")
        if recorded and recorded != self.embedder_name:
            raise EmbedderMismatch(
                f"store {self.location} was built with embedder {recorded!r}, not {self.embedder_name!r}; "
                "re-ingest with `assistant ingest --rebuild` (or set ASSISTANT_EMBEDDER back)"
            )

    def _update_metadata(self, **values: Any) -> None:
        metadata = {k: v for k, v in (self.collection.metadata or {}).items() if not k.startswith("hnsw:")}
        metadata.update(values)
        self.collection.modify(metadata=metadata)

    # -- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        return self.collection.count()

    def is_empty(self) -> bool:
        return self.count() == 0

    def last_ingest_time(self) -> float | None:
        """Unix time of the last completed ingest into this collection, or None."""
        value = (self.collection.metadata or {}).get("ingested_at")
        return float(value) if value is not None else None

    def mark_ingested(self, when: float | None = None) -> None:
        self._update_metadata(ingested_at=float(when if when is not None else time.time()))

    def _get_all(self, include: list[str]) -> dict[str, list]:
        """Every record, read in pages: Chroma's SQLite rejects one get() of ~100,000 ids
        ("too many SQL variables"; measured in benchmarks/bench_retrieval.py)."""
        result: dict[str, list] = {"ids": [], **{key: [] for key in include}}
        offset = 0
        while True:
            page = self.collection.get(include=include, limit=_PAGE, offset=offset)
            result["ids"] += page["ids"]
            for key in include:
                result[key] += page[key] or [None] * len(page["ids"])
            if len(page["ids"]) < _PAGE:
                return result
            offset += _PAGE

    def existing(self) -> dict[str, dict[str, Any]]:
        """Id → metadata of every stored chunk (no vectors, no texts)."""
        result = self._get_all(["metadatas"])
        return dict(zip(result["ids"], [m or {} for m in result["metadatas"]]))

    def all_chunks(self) -> list[Chunk]:
        """Every stored chunk, in (source, start) order."""
        result = self._get_all(["documents", "metadatas"])
        chunks = [
            _chunk(chunk_id, text, metadata)
            for chunk_id, text, metadata in zip(result["ids"], result["documents"], result["metadatas"])
        ]
        return sorted(chunks, key=lambda c: (c.source, c.start, c.end))

    def dense_search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """The k nearest chunks with their cosine similarity (1 - cosine distance), best first."""
        if k <= 0 or self.is_empty():
            return []
        found = self.vectorstore.similarity_search_with_score(query, k=min(k, self.count()))
        return [(_chunk(doc.id, doc.page_content, doc.metadata), 1.0 - float(distance)) for doc, distance in found]

    # -- writing ---------------------------------------------------------------------------
    def add_chunks(self, chunks: Iterable[Chunk], on_batch=None) -> None:
        """Embed (through the cache) and upsert chunks under their own ids."""
        chunks = list(chunks)
        for begin in range(0, len(chunks), _BATCH):
            batch = chunks[begin : begin + _BATCH]
            self.vectorstore.add_texts(
                texts=[c.text for c in batch],
                metadatas=[dict(c.metadata) for c in batch],
                ids=[c.id for c in batch],
            )
            if on_batch is not None:
                on_batch(len(batch))
        if chunks and "dimension" not in (self.collection.metadata or {}):
            sample = self.collection.get(ids=[chunks[0].id], include=["embeddings"])
            self._update_metadata(dimension=len(sample["embeddings"][0]))

    def delete_ids(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for begin in range(0, len(ids), _BATCH):
            self.collection.delete(ids=ids[begin : begin + _BATCH])


def _chunk(chunk_id: str | None, text: str, metadata: dict[str, Any]) -> Chunk:
    return Chunk(
        id=str(chunk_id),
        source=str(metadata.get("source", "")),
        text=text,
        start=int(metadata.get("start", 0)),
        end=int(metadata.get("end", len(text))),
        metadata=dict(metadata),
    )
