"""Chunks in Chroma: embedded (`PersistentClient` + process lock) or server mode (`HttpClient`).

The collection records the embedder's name and dimension; opening it with another embedder is an
error that tells the user to re-ingest. Ids are the chunks' deterministic ids.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
from filelock import FileLock, Timeout
from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.schema import Chunk

# The HNSW candidate list at search time (Chroma's default is 100). With 100, two processes asking the same
# question of the same store got different tails of their best 60 chunks (approximate search); with 400 the
# reader's 60-chunk pool came out the same in every run tried, so trained models are reproducible.
SEARCH_EF = 400
COSINE = {"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}}
REBUILD_SUFFIX = "-rebuild"  # the side collection a rebuild fills before it is swapped in
_BATCH = 256
_PAGE = 5000
_LOCKED_RETRIES = 4  # reopen: attempts after the first while another writer holds the database locked


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
        raise StoreError(_unreachable(settings, error)) from error


def _unreachable(settings: Settings, error: BaseException) -> str:
    return (f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} "
            f"({type(error).__name__}: {str(error)[:200]}); start it with "
            "`chroma run --path DIR --host 127.0.0.1 --port N`")


def _store_failures() -> tuple[type[BaseException], ...]:
    """What Chroma raises when its files are damaged or its server is gone (not programming errors)."""
    import sqlite3

    import httpx
    from chromadb.errors import ChromaError

    return ChromaError, sqlite3.Error, httpx.HTTPError, OSError, ValueError


def _is_store_failure(error: BaseException) -> bool:
    # chromadb's Rust core panics on some damaged files; pyo3's PanicException is a BaseException
    return isinstance(error, _store_failures()) or type(error).__name__ == "PanicException"


def unit_vector(vector) -> np.ndarray:
    """`vector` as float32, scaled to length 1."""
    unit = np.asarray(vector, dtype=np.float32)
    return unit / max(float(np.linalg.norm(unit)), 1e-12)


def stored_cosine(vector, unit_query: np.ndarray) -> float:
    """Cosine of a stored chunk vector with a unit query vector (float32, the one formula retrieval uses)."""
    vector = np.asarray(vector, dtype=np.float32)
    return float(vector @ unit_query) / max(float(np.linalg.norm(vector)), 1e-12)


class ChunkStore:
    """The vector half of the index: chunk texts, metadata and vectors in one Chroma collection.

    Every Chroma call goes through `_guarded`: a damaged embedded store raises `CorruptStore`, a server
    that cannot be reached raises `StoreError`, each with a one-line message saying what to do.
    `rebuild=True` fills a fresh side collection; `finish_rebuild()` then swaps it in, so a failed
    rebuild leaves the old collection as it was.
    """

    def __init__(self, settings: Settings, embeddings: Embeddings | None = None, rebuild: bool = False):
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
        self.rebuilding = rebuild
        name = settings.collection + REBUILD_SUFFIX if rebuild else settings.collection
        with self._guarded():
            self.client = self._client(rebuild)
            if rebuild:
                self._drop_collection(name)  # a leftover of a rebuild that did not finish
            self._open(name)
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
                self.wipe(self.settings)
        return _embedded_client(store)

    @staticmethod
    def wipe(settings: Settings) -> None:
        """Delete an embedded store's Chroma folder (not its embedding cache), for a rebuild."""
        store = Path(settings.store).resolve()
        _forget_embedded(store)
        shutil.rmtree(store / "chroma", ignore_errors=True)

    def _open(self, name: str) -> None:
        from langchain_chroma import Chroma

        self.vectorstore = Chroma(
            collection_name=name,
            embedding_function=self.embeddings,
            client=self.client,
            collection_metadata={"embedder": self.embedder_name},
            collection_configuration=COSINE,
        )
        self.collection = self.vectorstore._collection
        configured = (self.collection.configuration or {}).get("hnsw") or {}
        if (configured.get("ef_search") or 0) < SEARCH_EF:  # a store made before SEARCH_EF was set
            self.collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})

    def _drop_collection(self, name: str) -> None:
        from chromadb.errors import NotFoundError

        try:
            self.client.delete_collection(name)
        except NotFoundError:  # absent collection: nothing to drop
            pass

    def finish_rebuild(self) -> None:
        """Swap the rebuilt side collection in for the old one."""
        if not self.rebuilding:
            return
        with self._guarded():
            self._drop_collection(self.settings.collection)
            self.collection.modify(name=self.settings.collection)
            self._open(self.settings.collection)
        self.rebuilding = False

    @contextmanager
    def _guarded(self):
        """Turn Chroma's failures (damaged files, a server gone) into a one-line `StoreError`."""
        try:
            yield
        except StoreError:
            raise
        except BaseException as error:
            if not _is_store_failure(error):
                raise
            if self.server_mode:
                raise StoreError(_unreachable(self.settings, error)) from error
            raise CorruptStore(
                f"store {Path(self.settings.store).resolve()} cannot be opened or read "
                f"({type(error).__name__}: {str(error)[:200]}); rebuild it with `assistant ingest --rebuild`"
            ) from error

    def _check_embedder(self) -> None:
        recorded = (self.collection.metadata or {}).get("embedder")
        if recorded and recorded != self.embedder_name:
            raise EmbedderMismatch(
                f"store {self.location} was built with embedder {recorded!r}, not {self.embedder_name!r}; "
                "re-ingest with `assistant ingest --rebuild` (or set ASSISTANT_EMBEDDER back)"
            )

    def _update_metadata(self, **values: Any) -> None:
        with self._guarded():
            metadata = {k: v for k, v in (self.collection.metadata or {}).items() if not k.startswith("hnsw:")}
            metadata.update(values)
            self.collection.modify(metadata=metadata)

    # -- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        with self._guarded():
            return self.collection.count()

    def is_empty(self) -> bool:
        return self.count() == 0

    def last_ingest_time(self) -> float | None:
        """Unix time of the last completed ingest into this collection, or None."""
        value = (self.collection.metadata or {}).get("ingested_at")
        return float(value) if value is not None else None

    def mark_ingested(self, when: float | None = None, changed: bool = True) -> None:
        """Record a completed ingest; `changed` (or no stamp yet) gives the collection a new version stamp,
        which tells running readers (`stamp()`) to rebuild their caches."""
        values: dict[str, Any] = {"ingested_at": float(when if when is not None else time.time())}
        if changed or "version" not in (self.collection.metadata or {}):
            values["version"] = uuid.uuid4().hex
        self._update_metadata(**values)

    def stamp(self) -> tuple[str, str | None] | None:
        """(collection id, version stamp) as stored now, read afresh (one cheap call); None while the
        collection is missing (between the two steps of a rebuild's swap)."""
        from chromadb.errors import NotFoundError

        with self._guarded():
            try:
                current = self.client.get_collection(self.settings.collection)
            except NotFoundError:
                return None
        return str(current.id), (current.metadata or {}).get("version")

    def reopen(self) -> None:
        """Follow the collection after another process rebuilt (replaced) it; a database another writer still holds
        locked is tried again a few times before it is an error."""
        for attempt in range(_LOCKED_RETRIES + 1):
            try:
                with self._guarded():
                    self._open(self.settings.collection)
                break
            except CorruptStore as error:
                if "database is locked" not in str(error) or attempt == _LOCKED_RETRIES:
                    raise
                time.sleep(0.2 * (attempt + 1))
        self._check_embedder()

    def _get_all(self, include: list[str], where: dict | None = None) -> dict[str, list]:
        """Every record (or those matching `where`), read in pages: Chroma's SQLite rejects one get() of
        ~100,000 ids ("too many SQL variables"; measured in benchmarks/bench_retrieval.py)."""
        result: dict[str, list] = {"ids": [], **{key: [] for key in include}}
        offset = 0
        while True:
            with self._guarded():
                page = self.collection.get(include=include, where=where, limit=_PAGE, offset=offset)
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
        return _sorted_chunks(self._get_all(["documents", "metadatas"]))

    def chunks_of(self, source: str) -> list[Chunk]:
        """The chunks of one document, in start order (a filtered read, not the whole store)."""
        return _sorted_chunks(self._get_all(["documents", "metadatas"], where={"source": source}))

    def chunks_with_vectors(self, ids: list[str]) -> dict[str, tuple[Chunk, Sequence[float]]]:
        """Id → (chunk, stored vector) for those of `ids` that are in the store."""
        stored = self._by_ids(ids, ["documents", "metadatas", "embeddings"])
        return {chunk_id: (_chunk(chunk_id, text, metadata or {}), vector) for chunk_id, text, metadata, vector
                in zip(stored["ids"], stored["documents"], stored["metadatas"], stored["embeddings"])}

    def vectors(self, ids: list[str]) -> dict[str, Sequence[float]]:
        """Id → stored vector (a numpy row) for those of `ids` that are in the store."""
        stored = self._by_ids(ids, ["embeddings"])
        return dict(zip(stored["ids"], stored["embeddings"]))

    def _by_ids(self, ids: list[str], include: list[str]) -> dict:
        if not ids:
            return {"ids": [], **{field: [] for field in include}}
        with self._guarded():
            return self.collection.get(ids=ids, include=include)

    def dense_search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """The k nearest chunks with their cosine similarity, best first (ties by id).

        The cosine is computed from the stored vector (`stored_cosine`), as for a chunk read by id: the index's
        own distance differs from it in the last bits, and a chunk's score must not depend on which way it
        was found."""
        if k <= 0:
            return []
        vector = self.embeddings.embed_query(query)
        with self._guarded():
            count = self.collection.count()
            if count == 0:
                return []
            found = self.collection.query(query_embeddings=[vector], n_results=min(k, count),
                                          include=["documents", "metadatas", "embeddings"])
        unit = unit_vector(vector)
        hits = [(_chunk(chunk_id, text, metadata or {}), stored_cosine(embedding, unit))
                for chunk_id, text, metadata, embedding in zip(
                    found["ids"][0], found["documents"][0], found["metadatas"][0], found["embeddings"][0])]
        return sorted(hits, key=lambda hit: (-hit[1], hit[0].id))

    # -- writing ---------------------------------------------------------------------------
    def add_chunks(self, chunks: Iterable[Chunk], on_batch=None) -> None:
        """Embed (through the cache) and upsert chunks under their own ids."""
        chunks = list(chunks)
        for begin in range(0, len(chunks), _BATCH):
            batch = chunks[begin : begin + _BATCH]
            vectors = self.embeddings.embed_documents([c.text for c in batch])
            with self._guarded():
                self.collection.upsert(
                    ids=[c.id for c in batch], embeddings=vectors,
                    documents=[c.text for c in batch], metadatas=[dict(c.metadata) for c in batch],
                )
            if on_batch is not None:
                on_batch(len(batch))
        if chunks and "dimension" not in (self.collection.metadata or {}):
            self._update_metadata(dimension=len(vectors[0]))

    def delete_ids(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for begin in range(0, len(ids), _BATCH):
            with self._guarded():
                self.collection.delete(ids=ids[begin : begin + _BATCH])


def _sorted_chunks(result: dict[str, list]) -> list[Chunk]:
    chunks = [_chunk(chunk_id, text, metadata or {})
              for chunk_id, text, metadata in zip(result["ids"], result["documents"], result["metadatas"])]
    return sorted(chunks, key=lambda c: (c.source, c.start, c.end))


def _chunk(chunk_id: str | None, text: str, metadata: dict[str, Any]) -> Chunk:
    return Chunk(
        id=str(chunk_id),
        source=str(metadata.get("source", "")),
        text=text,
        start=int(metadata.get("start", 0)),
        end=int(metadata.get("end", len(text))),
        metadata=dict(metadata),
    )
