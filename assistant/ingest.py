"""Incremental ingest: load → split → embed (cached) → upsert by deterministic id → delete the rest.

After every run the collection holds exactly the chunks of the current corpus (like LangChain's
indexing API with cleanup="full"): unchanged chunks keep their ids and are not embedded again, a
changed file's old chunks are replaced, a deleted file's chunks are removed, and a moved file's
text comes from the embedding cache. The store itself is the record of what was indexed; a small
manifest of file sizes and mtimes only makes `ensure_ingested` cheap.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.load import corpus_files, load_corpus
from assistant.split import split_document
from assistant.store import ChunkStore, CorruptStore

MANIFEST = "manifest.json"


def _counts(**values: int) -> dict[str, int]:
    return {key: values.get(key, 0) for key in ("added", "updated", "unchanged", "deleted", "total")}


def _fingerprint(settings: Settings) -> dict[str, Any]:
    return {
        "corpus": str(Path(settings.corpus).resolve()),
        "uploads": str(settings.uploads_folder.resolve()),
        "embedder": settings.embedder,
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
        "max_file_mb": settings.max_file_mb,
        "collection": settings.collection,
        "chroma": f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else None,
    }


def _file_listing(settings: Settings) -> dict[str, list[int]]:
    listing = {}
    for path in (path for folder in settings.source_folders() for path in corpus_files(folder)):
        stat = path.stat()
        listing[path.resolve().as_posix()] = [stat.st_mtime_ns, stat.st_size]
    return listing


def _write_manifest(settings: Settings, listing: dict[str, list[int]]) -> None:
    path = Path(settings.store) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"settings": _fingerprint(settings), "files": listing, "time": time.time()}))
    os.replace(temporary, path)


def _read_manifest(settings: Settings) -> dict[str, Any] | None:
    try:
        return json.loads((Path(settings.store) / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def ingest(settings: Settings | None = None, progress: bool = True, rebuild: bool = False) -> dict[str, Any]:
    """Bring the store in line with the corpus folder; returns the summary (see module docstring).

    `rebuild` indexes everything again into a side collection and swaps it in at the end, so a
    failure leaves the old collection whole; an embedded store too damaged to rebuild in place is
    recreated (its embedding cache kept)."""
    settings = settings or Settings()
    listing = _file_listing(settings)  # raises CorpusNotFound before the store is touched
    documents, errors = [], []
    for folder in settings.source_folders():  # the corpus and the uploaded briefings
        loaded, failed = load_corpus(folder, settings.max_file_mb)
        documents += loaded
        errors += failed
    try:
        summary = _sync(ChunkStore(settings, rebuild=rebuild), documents, progress)
    except CorruptStore:
        if not rebuild:
            raise
        ChunkStore.wipe(settings)
        summary = _sync(ChunkStore(settings, rebuild=True), documents, progress)
    _write_manifest(settings, listing)
    return {**summary, "errors": [{"source": error.source, "reason": error.reason} for error in errors]}


def _sync(store: ChunkStore, documents: list, progress: bool) -> dict[str, Any]:
    """Upsert the documents' new chunks, delete the stale ones, stamp the collection; the counts."""
    settings = store.settings
    embedded_before = getattr(store.embeddings, "embedded", 0)
    expected = {}
    for document in documents:
        for chunk in split_document(document, settings.chunk_size, settings.chunk_overlap):
            expected[chunk.id] = chunk
    existing = store.existing()

    new_chunks = [chunk for chunk_id, chunk in expected.items() if chunk_id not in existing]
    stale_ids = [chunk_id for chunk_id in existing if chunk_id not in expected]
    stale_slots = {(existing[i].get("source"), existing[i].get("chunk_index")) for i in stale_ids}
    new_slots = {(c.source, c.metadata["chunk_index"]) for c in new_chunks}
    updated = sum(slot in stale_slots for slot in new_slots)

    _store_chunks(store, new_chunks, progress)
    store.delete_ids(stale_ids)
    store.mark_ingested(changed=bool(new_chunks or stale_ids or store.rebuilding))
    store.finish_rebuild()
    _save_lexical_index(store, expected.values())

    previous_sources = Counter(metadata.get("source") for metadata in existing.values())
    stale_sources = {existing[i].get("source") for i in stale_ids}
    new_sources = {c.source for c in new_chunks}
    current_sources = {d.source for d in documents}
    changed = (stale_sources | new_sources) & current_sources
    documents_added = sum(source not in previous_sources for source in current_sources)
    documents_updated = sum(source in previous_sources for source in changed)
    return {
        "documents": _counts(
            added=documents_added,
            updated=documents_updated,
            unchanged=len(current_sources) - documents_added - documents_updated,
            deleted=sum(source not in current_sources for source in previous_sources),
            total=len(current_sources),
        ),
        "chunks": _counts(
            added=len(new_chunks) - updated,
            updated=updated,
            unchanged=len(expected) - len(new_chunks),
            deleted=len(stale_ids) - updated,
            total=len(expected),
        ),
        "embedded": getattr(store.embeddings, "embedded", 0) - embedded_before,
    }


def _save_lexical_index(store: ChunkStore, chunks) -> None:
    """BM25 over the chunks the collection now holds, saved under its version stamp: the first question
    after this ingest (in any process) loads it instead of reading every chunk back from the store."""
    from assistant.lexical import LexicalIndex

    ordered = sorted(chunks, key=lambda c: (c.source, c.start, c.end))  # the order a read of the store gives
    LexicalIndex.load_for_stamp(Path(store.settings.store) / "lexical", store.stamp(), lambda: ordered)


def _store_chunks(store: ChunkStore, chunks: list, progress: bool) -> None:
    from tqdm import tqdm

    with tqdm(total=len(chunks), desc="embedding chunks", unit="chunk", disable=not progress or not chunks) as bar:
        with _messages_above(bar):
            store.add_chunks(chunks, on_batch=bar.update)


@contextmanager
def _messages_above(bar) -> Iterator[None]:
    """Warnings and log records raised while the bar runs print on their own line above it."""
    from tqdm.contrib.logging import logging_redirect_tqdm

    if bar.disable:
        yield
        return

    def show(message, category, filename, lineno, file=None, line=None):
        bar.write(warnings.formatwarning(message, category, filename, lineno, line).rstrip(), file=bar.fp)

    with warnings.catch_warnings(), logging_redirect_tqdm():
        warnings.showwarning = show
        yield


def needs_ingest(settings: Settings) -> bool:
    """True when the store is empty or the corpus files or chunking settings changed since the last ingest."""
    manifest = _read_manifest(settings)
    if manifest is None or manifest.get("settings") != _fingerprint(settings):
        return True
    if manifest.get("files") != _file_listing(settings):
        return True
    return ChunkStore(settings).is_empty()


def ensure_ingested(settings: Settings | None = None, progress: bool = False) -> dict[str, Any] | None:
    """Ingest when needed (see `needs_ingest`); returns the summary, or None when nothing changed."""
    settings = settings or Settings()
    if needs_ingest(settings):
        return ingest(settings, progress=progress)
    return None
