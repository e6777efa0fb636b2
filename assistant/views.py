"""The reader's documents, built on first use: a document's view is made from one store read of its
own chunks, so a question costs what retrieval returns, not the size of the whole store.

`DocumentViews` is a read-only mapping source → `DocumentView` over a `HybridRetriever` (its store for the
chunks, its lexical index for the list of documents). Views are cached (least recently used first out)
until the engine sees a new store version stamp and makes a fresh `DocumentViews`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping

from assistant.evidence import DocumentView, build_views

# A library of at most this many documents is scanned whole where a question looks past what retrieval
# returned (key terms the evidence lacks, the periods a refusal lists); a larger one: this many of its
# documents, those whose chunks best match the question's words.
FULL_SCAN_DOCUMENTS = 100
CACHED_VIEWS = 256


class DocumentViews(Mapping[str, DocumentView]):
    """Source → `DocumentView`, each built when first asked for from that document's chunks only."""

    def __init__(self, retriever, cached: int = CACHED_VIEWS):
        self.retriever = retriever
        self.cached = cached
        self._views: OrderedDict[str, DocumentView] = OrderedDict()
        self._everything: dict[str, DocumentView] | None = None
        self._lock = threading.RLock()

    def __getitem__(self, source: str) -> DocumentView:
        view = self.get(source)
        if view is None:
            raise KeyError(source)
        return view

    def get(self, source: str, default=None) -> DocumentView | None:
        with self._lock:
            if self._everything is not None:
                return self._everything.get(source, default)
            view = self._views.get(source)
            if view is None:
                view = build_views(self.retriever.store.chunks_of(source)).get(source)
                if view is None:
                    return default
                self._views[source] = view
                while len(self._views) > self.cached:
                    self._views.popitem(last=False)
            self._views.move_to_end(source)
            return view

    def __contains__(self, source: object) -> bool:
        return isinstance(source, str) and self.get(source) is not None

    def __iter__(self) -> Iterator[str]:
        """The sources, sorted (from the lexical index: no view is built)."""
        return iter(self.retriever.documents())

    def __len__(self) -> int:
        return len(self.retriever.documents())

    def built(self) -> list[str]:
        """The sources whose views are held now (for tests and benchmarks)."""
        with self._lock:
            return list(self._everything or self._views)

    def all(self) -> dict[str, DocumentView]:
        """Every document's view, in source order: one read of the whole store, kept until the store changes.
        For listings of the whole library (documents, the figures table), never the ask path."""
        with self._lock:
            if self._everything is None:
                self._everything = build_views(self.retriever.chunks())
                self._views.clear()
            return self._everything

    def related(self, query: str, limit: int | None = None) -> list[DocumentView]:
        """Every document (in source order) of a library of at most `limit` (default FULL_SCAN_DOCUMENTS);
        of a larger one, the `limit` documents whose chunks best match `query` (BM25), in source order."""
        limit = FULL_SCAN_DOCUMENTS if limit is None else limit
        sources = self.retriever.documents()
        if len(sources) > limit:
            sources = sorted(self.retriever.lexical.best_documents(query, limit))
        return [view for view in map(self.get, sources) if view is not None]


def related_views(views: Mapping[str, DocumentView], query: str) -> list[DocumentView]:
    """The documents a question may be about beyond what retrieval brought (see `DocumentViews.related`);
    every view of a plain mapping."""
    if isinstance(views, DocumentViews):
        return views.related(query)
    return list(views.values())
