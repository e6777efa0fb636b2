"""Hybrid retrieval: multilingual dense similarity plus Indonesian-aware BM25, fused convexly.

score = cosine(question, chunk) + weight × BM25(question, chunk) / the highest BM25 score the
question's terms could reach (LexicalIndex "bound" normalisation).

Candidates are the dense top max(4k, 20) united with the BM25 top max(4k, 20); a BM25-only
candidate gets its cosine from its stored vector in Chroma, so every candidate is scored the same
way. The weight was tuned on TyDi QA (see docs/retrieval.md and scripts/tune_fusion.py).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.config import Settings
from assistant.lexical import LexicalIndex
from assistant.schema import Chunk, ScoredChunk

logger = logging.getLogger(__name__)

MIN_CANDIDATES = 20


def read_all_chunks(store) -> list[Chunk]:
    """Every chunk in the store, in (source, start) order (the store reads in pages)."""
    return store.all_chunks()


class HybridRetriever:
    """Dense + lexical retriever over one `ChunkStore` (see module docstring for the score)."""

    def __init__(self, store, lexical_index: LexicalIndex, weight: float, lexical_folder: Path | None = None,
                 chunks: list[Chunk] | None = None):
        if weight < 0:
            raise ValueError(f"fusion weight must be >= 0, got {weight}")
        self.store = store
        self.lexical = lexical_index
        self.weight = weight
        self.lexical_folder = lexical_folder
        self._lock = threading.Lock()
        self._by_id: dict[str, Chunk] = {}
        self._load_chunks(chunks)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, store=None) -> HybridRetriever:
        """Open the configured store (embedded or server mode) and load or build its lexical index,
        cached under `<settings.store>/lexical` and rebuilt only when the chunks changed."""
        from assistant.store import ChunkStore

        settings = settings or Settings()
        store = store if store is not None else ChunkStore.from_settings(settings)
        folder = Path(settings.store) / "lexical"
        chunks = read_all_chunks(store)  # once, for both the lexical index and the chunk table
        lexical = LexicalIndex.load_or_build(folder, chunks)
        return cls(store, lexical, settings.fusion_weight, lexical_folder=folder, chunks=chunks)

    def _load_chunks(self, chunks: list[Chunk] | None = None) -> None:
        chunks = chunks if chunks is not None else read_all_chunks(self.store)
        self._by_id = {chunk.id: chunk for chunk in chunks}

    def refresh(self) -> None:
        """Re-read the store's chunks (after an ingest) and rebuild the lexical index if they changed."""
        chunks = read_all_chunks(self.store)
        with self._lock:
            if self.lexical_folder is not None:
                self.lexical = LexicalIndex.load_or_build(self.lexical_folder, chunks)
            else:
                self.lexical = LexicalIndex.from_chunks(chunks)
            self._load_chunks(chunks)

    def chunks(self) -> list[Chunk]:
        """Every indexed chunk, in (source, start) order."""
        return sorted(self._by_id.values(), key=lambda c: (c.source, c.start, c.end))

    def search(self, query: str, k: int = 6) -> list[ScoredChunk]:
        """The k best chunks for `query`, best first, with fused, dense and lexical scores."""
        if not query or not query.strip():
            raise ValueError("the question is empty")
        if k <= 0:
            return []
        n_candidates = max(4 * k, MIN_CANDIDATES)
        lexical_scores = self.lexical.scores(query)
        dense = {chunk.id: (chunk, cosine) for chunk, cosine in self.store.dense_search(query, n_candidates)}
        if self.weight > 0 and lexical_scores:
            lexical_top = sorted(lexical_scores.items(), key=lambda item: item[1], reverse=True)[:n_candidates]
            missing = [chunk_id for chunk_id, _ in lexical_top if chunk_id not in dense]
            dense.update(self._cosines(query, missing))
        scored = [
            ScoredChunk(
                chunk=chunk,
                score=cosine + self.weight * lexical_scores.get(chunk_id, 0.0),
                dense=cosine,
                lexical=lexical_scores.get(chunk_id, 0.0),
            )
            for chunk_id, (chunk, cosine) in dense.items()
        ]
        scored.sort(key=lambda s: (-s.score, -s.dense, s.chunk.id))
        return scored[:k]

    def _cosines(self, query: str, ids: list[str]) -> dict[str, tuple[Chunk, float]]:
        """Cosine of the query with the stored vectors of `ids` (chunks BM25 found but dense did not)."""
        if not ids:
            return {}
        stored = self.store.vectors(ids)
        query_vector = np.asarray(self.store.embeddings.embed_query(query), dtype=np.float32)
        query_vector /= max(float(np.linalg.norm(query_vector)), 1e-12)
        result = {}
        for chunk_id, vector in stored.items():
            chunk = self._by_id.get(chunk_id)
            if chunk is None:  # stored after our last refresh; dense search would have it next time
                continue
            vector = np.asarray(vector, dtype=np.float32)
            cosine = float(vector @ query_vector) / max(float(np.linalg.norm(vector)), 1e-12)
            result[chunk_id] = (chunk, cosine)
        return result

    def as_langchain_retriever(self, k: int = 6) -> BaseRetriever:
        """A LangChain retriever yielding Documents with `score`, `dense` and `lexical` in metadata."""
        return HybridLangChainRetriever(hybrid=self, k=k)


def scored_chunk_to_document(scored: ScoredChunk) -> Document:
    metadata: dict[str, Any] = dict(scored.chunk.metadata)
    metadata.update(
        id=scored.chunk.id,
        source=scored.chunk.source,
        start=scored.chunk.start,
        end=scored.chunk.end,
        score=scored.score,
        dense=scored.dense,
        lexical=scored.lexical,
    )
    return Document(page_content=scored.chunk.text, metadata=metadata, id=scored.chunk.id)


class HybridLangChainRetriever(BaseRetriever):
    """`HybridRetriever.search` as a LangChain `BaseRetriever` (usable in LCEL chains)."""

    hybrid: Any
    k: int = 6

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [scored_chunk_to_document(s) for s in self.hybrid.search(query, self.k)]
