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

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.config import Settings
from assistant.lexical import LexicalIndex
from assistant.schema import Chunk, ScoredChunk
from assistant.store import stored_cosine, unit_vector

logger = logging.getLogger(__name__)

MIN_CANDIDATES = 20


def read_all_chunks(store) -> list[Chunk]:
    """Every chunk in the store, in (source, start) order (the store reads in pages)."""
    return store.all_chunks()


class HybridRetriever:
    """Dense + lexical retriever over one `ChunkStore` (see module docstring for the score).

    It holds no chunk table: dense hits come with their text from Chroma, BM25-only hits are read by id."""

    def __init__(self, store, lexical_index: LexicalIndex, weight: float, lexical_folder: Path | None = None):
        if weight < 0:
            raise ValueError(f"fusion weight must be >= 0, got {weight}")
        self.store = store
        self.lexical = lexical_index
        self.weight = weight
        self.lexical_folder = lexical_folder
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, store=None) -> HybridRetriever:
        """Open the configured store (embedded or server mode) and its lexical index, saved under
        `<settings.store>/lexical` with the store's version stamp: loaded as saved while the stamp holds,
        rebuilt from every chunk only when the store changed."""
        from assistant.store import ChunkStore

        settings = settings or Settings()
        store = store if store is not None else ChunkStore.from_settings(settings)
        folder = Path(settings.store) / "lexical"
        lexical = open_lexical_index(folder, store)
        return cls(store, lexical, settings.fusion_weight, lexical_folder=folder)

    def refresh(self) -> None:
        """Follow an ingest: the lexical index saved for the store's new stamp, or one rebuilt from its chunks."""
        if self.lexical_folder is not None:
            lexical = open_lexical_index(self.lexical_folder, self.store)
        else:
            lexical = LexicalIndex.from_chunks(read_all_chunks(self.store))
        with self._lock:
            self.lexical = lexical

    def chunks(self) -> list[Chunk]:
        """Every stored chunk, in (source, start) order: a read of the whole store, never on the ask path."""
        return read_all_chunks(self.store)

    def documents(self) -> list[str]:
        """The sources of the indexed documents, sorted (from the lexical index, no store read)."""
        listed = self.lexical.documents()
        return listed if listed is not None else sorted({c.source for c in read_all_chunks(self.store)})

    def search(self, query: str, k: int = 6, candidates: int | None = None) -> list[ScoredChunk]:
        """The k best chunks for `query`, best first, with fused, dense and lexical scores; `candidates`: how
        many of each (dense, lexical) are fused (default max(4k, 20))."""
        if not query or not query.strip():
            raise ValueError("the question is empty")
        if k <= 0:
            return []
        n_candidates = max(candidates or 4 * k, MIN_CANDIDATES)
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
        stored = self.store.chunks_with_vectors(ids)  # deleted since the index was built: absent
        unit = unit_vector(self.store.embeddings.embed_query(query))
        return {chunk_id: (stored[chunk_id][0], stored_cosine(stored[chunk_id][1], unit))
                for chunk_id in ids if chunk_id in stored}

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


def open_lexical_index(folder: Path, store) -> LexicalIndex:
    """The lexical index saved for the store's current version stamp, else rebuilt from its chunks."""
    return LexicalIndex.load_for_stamp(folder, store.stamp(), lambda: read_all_chunks(store))


class HybridLangChainRetriever(BaseRetriever):
    """`HybridRetriever.search` as a LangChain `BaseRetriever` (usable in LCEL chains)."""

    hybrid: Any
    k: int = 6

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [scored_chunk_to_document(s) for s in self.hybrid.search(query, self.k)]
