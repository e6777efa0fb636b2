"""How close a question is, in the multilingual embedding space, to each figure's own words.

A figure's claim text is the stretch of its sentence that says what the number measures: from the start of
its subject to the end of its clause ("surplus neraca perdagangan nonmigas sebesar US$4,62 miliar"). Claim
and sentence vectors are made per document the first time a question reaches it, through the store's
embedding cache (on disk, by content hash), so a document is embedded once, not once per question.
"""

from __future__ import annotations

import threading

import numpy as np

from assistant.evidence import DocumentView
from assistant.figures import Figure
from assistant.reader.matcher import DOCUMENT_PARTS, PARTS


def claim_text(view: DocumentView, figure: Figure) -> str:
    start = max(figure.subject_start, figure.sentence_start)
    end = figure.clause_end if figure.clause_end and figure.clause_end > figure.end else figure.end
    return view.text[start:end].strip()


class ClaimSimilarity:
    """Cosine of the question with each figure's claim text and with its sentence."""

    def __init__(self, embeddings):
        self.embeddings = embeddings
        self._vectors: dict[str, tuple[int, dict[int, np.ndarray], dict[int, np.ndarray]]] = {}
        self._phrases: dict[str, dict[str, np.ndarray]] = {}  # the claims' series and entity phrases, per document
        self._titles: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _document(self, view: DocumentView) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
        key = hash(view.text)
        cached = self._vectors.get(view.source)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        with self._lock:
            cached = self._vectors.get(view.source)
            if cached is not None and cached[0] == key:
                return cached[1], cached[2]
            figures = view.figures
            sentences = sorted({(f.sentence_start, f.sentence_end) for f in figures})
            claims = view.claims
            texts = [claim_text(view, f) or f.text for f in figures] + [view.text[s:e] for s, e in sentences]
            texts.append(view.title)
            phrases = sorted({c.series for c in claims.values() if c.series}
                             | {c.entity for c in claims.values() if c.entity})
            texts += phrases
            vectors = np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32) if texts else \
                np.zeros((0, 1), dtype=np.float32)
            by_figure = {f.start: vectors[i] for i, f in enumerate(figures)}
            by_sentence = {s: vectors[len(figures) + i] for i, (s, _) in enumerate(sentences)}
            title_at = len(figures) + len(sentences)
            by_sentence[-1] = vectors[title_at]  # the title
            self._phrases[view.source] = {phrase: vectors[title_at + 1 + i] for i, phrase in enumerate(phrases)}
            self._vectors[view.source] = (key, by_figure, by_sentence)
            return by_figure, by_sentence

    def question_vector(self, question: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(question), dtype=np.float32)

    def similarities(self, question: np.ndarray, view: DocumentView, figure: Figure) -> tuple[float, float, float]:
        """(claim, sentence, title) cosines; vectors are L2-normalised, so dot products."""
        claims, sentences = self._document(view)
        claim = claims.get(figure.start)
        sentence = sentences.get(figure.sentence_start)
        return (float(claim @ question) if claim is not None else 0.0,
                float(sentence @ question) if sentence is not None else 0.0, float(sentences[-1] @ question))

    def phrase_similarity(self, question: np.ndarray, view: DocumentView, phrase: str | None) -> float:
        """Cosine of the question with a phrase of the claim: its series ("ekspor nonmigas") or its entity
        ("Sulawesi Tengah"); 0 when the claim has none."""
        self._document(view)
        vector = self._phrases.get(view.source, {}).get(phrase or "")
        return float(vector @ question) if vector is not None else 0.0

    def match_inputs(self, question: np.ndarray, items: list[tuple[DocumentView, Figure, str | None]]) -> np.ndarray:
        """The matcher's inputs (reader/matcher.py), one row per (view, figure, its claim's series phrase or None):
        the question's vector times the figure's claim text, its sentence and the series phrase (zeros if none)."""
        zero = np.zeros_like(question)
        rows = []
        for view, figure, series in items:
            claims, sentences = self._document(view)
            phrase = self._phrases.get(view.source, {}).get(series or "", zero)
            rows.append(np.concatenate([question * claims.get(figure.start, zero),
                                        question * sentences.get(figure.sentence_start, zero), question * phrase]))
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), len(PARTS) * question.shape[0])

    def title_vector(self, view: DocumentView) -> np.ndarray:
        """The document's title embedded alone (once per title)."""
        vector = self._titles.get(view.title)
        if vector is None:
            vector = np.asarray(self.embeddings.embed_documents([view.title])[0], dtype=np.float32)
            with self._lock:
                self._titles[view.title] = vector
        return vector

    def title_similarity(self, question: np.ndarray, view: DocumentView) -> float:
        """Cosine of the question with the document's title."""
        return float(self.title_vector(view) @ question)

    def document_match_inputs(self, question: np.ndarray,
                              documents: list[tuple[DocumentView, np.ndarray]]) -> np.ndarray:
        """The document matcher's inputs (reader/matcher.py, DOCUMENT_PARTS), one row per (view, the stored vector
        of its best retrieved chunk): the question's vector times the title's and times the chunk's."""
        rows = [np.concatenate([question * self.title_vector(view), question * np.asarray(chunk, dtype=np.float32)])
                for view, chunk in documents]
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), len(DOCUMENT_PARTS) * question.shape[0])
