"""Which briefings a question is about: a learned ranking of the documents retrieval reached.

Chunk retrieval alone ranks the two briefings of one series (October's and November's inflation, the
first and second quarter's investment) almost alike, and often puts the wrong one first: their sentences
are nearly the same. What tells them apart is structure — the period the question asks for against the
period the document reports on and the periods its figures have — together with how well its best
passages, its title and its words match the question — and a learned match of the question's vector with its
title's and its best chunk's (the document matcher, reader/matcher.py). A logistic model over those features
(trained by scripts/train_reader.py, out of fold by document) orders the documents; the reader takes its figures
from the best few.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.analyse import QuestionAnalysis
from assistant.evidence import DocumentView
from assistant.periods import Period
from assistant.read import period_relation
from assistant.reader.logistic import StandardisedLogistic
from assistant.reader.matcher import NOT_MATCHED, match_features
from assistant.schema import ScoredChunk

DOCUMENT_RANKER_FILE = Path(__file__).resolve().parent / "models" / "document_ranker.json"
POOL_CHUNKS = 60  # the documents of this many best chunks are ranked ...
POOL_DOCUMENTS = 16  # ... at most this many of them, those with the best chunks

DOCUMENT_FEATURES: tuple[str, ...] = (
    "best_score", "best_dense", "best_lexical", "score_gap", "dense_gap", "lexical_gap", "best_rank", "chunks",
    "mean_top2_dense", "title_cos", "title_cos_gap", "terms_in_document", "terms_in_title", "entities_named",
    "period_asked", "reference_match", "reference_partial", "reference_conflict",
    "reference_unknown", "figures_match", "figures_conflict_only", "after_publication", "published_gap_years",
    "doc_match", "doc_match_gap",  # the document matcher's softmax probability and gap; NOT_MATCHED without one
)
_DOC_MATCH = DOCUMENT_FEATURES.index("doc_match")


@dataclass(frozen=True)
class RankedDocument:
    source: str
    score: float  # the model's probability that this is the question's document (the best chunk's without one)
    features: tuple[float, ...]
    best_chunk: str  # the id of its best retrieved chunk


def _asked_periods(analysis: QuestionAnalysis) -> tuple[Period, ...]:
    return tuple(p for p in analysis.periods if p.kind not in ("since", "current"))


def _share(terms, present) -> float:
    terms = list(terms)
    return sum(1 for t in terms if present(t)) / len(terms) if terms else 0.0


def _figure_relations(view: DocumentView, periods: tuple[Period, ...]) -> tuple[float, float]:
    """(share of the asked periods some figure of the document matches, whether every figure with a period
    conflicts with all of them)."""
    if not periods:
        return 0.0, 0.0
    dated = [f.period for f in view.figures if f.period is not None]
    matched = sum(1 for p in periods if any(period_relation(p, g) in ("match", "partial") for g in dated))
    conflict_only = bool(dated) and all(period_relation(p, g) == "conflict" for p in periods for g in dated)
    return matched / len(periods), float(conflict_only)


def document_features(analysis: QuestionAnalysis, chunks: list[tuple[int, ScoredChunk]], view: DocumentView,
                      title_cos: float, best: dict[str, float]) -> list[float]:
    """The features (DOCUMENT_FEATURES order, before the gaps are filled in) of one document for a question:
    `chunks` are its retrieved chunks with their ranks, `best` the pool's best score/dense/lexical/title."""
    ranks = [rank for rank, _ in chunks]
    dense = sorted((c.dense for _, c in chunks), reverse=True)
    score = max(c.score for _, c in chunks)
    lexical = max(c.lexical for _, c in chunks)
    periods = _asked_periods(analysis)
    relations = [period_relation(p, view.reference_period) for p in periods] if view.reference_period else []
    figures_match, conflict_only = _figure_relations(view, periods)
    published = view.published
    after = float(bool(periods) and published is not None
                  and all(p.start is not None and p.start > published for p in periods))
    gap_years = min((abs(p.end.year - published.year) for p in periods if p.end), default=0) if published else 0
    title = view.title.lower()
    return [
        score, dense[0], lexical, best["score"] - score, best["dense"] - dense[0], best["lexical"] - lexical,
        math.log1p(min(ranks)), math.log1p(len(chunks)), sum(dense[:2]) / min(len(dense), 2),
        title_cos, best["title"] - title_cos,
        _share(analysis.terms, lambda t: t in view.stems), _share(analysis.terms, lambda t: t in title),
        _share(analysis.entities, view.mentions),
        float(bool(periods)),
        *(float(any(r == kind for r in relations)) for kind in ("match", "partial", "conflict")),
        float(bool(periods) and not relations), figures_match, conflict_only, after, float(min(gap_years, 5)),
    ]


@dataclass(frozen=True)
class DocumentRanker(StandardisedLogistic):
    """Standardised logistic regression over DOCUMENT_FEATURES."""

    def to_dict(self) -> dict:
        return {"features": list(DOCUMENT_FEATURES), "means": list(self.means), "scales": list(self.scales),
                "weights": list(self.weights), "intercept": self.intercept}

    @classmethod
    def from_dict(cls, data: dict) -> DocumentRanker:
        if list(data.get("features", [])) != list(DOCUMENT_FEATURES):
            raise ValueError("document ranker features do not match the code's: retrain with scripts/train_reader.py")
        return cls(tuple(data["means"]), tuple(data["scales"]), tuple(data["weights"]), float(data["intercept"]))


@lru_cache(maxsize=1)
def default_document_ranker() -> DocumentRanker | None:
    if not DOCUMENT_RANKER_FILE.is_file():
        return None
    return DocumentRanker.from_dict(json.loads(DOCUMENT_RANKER_FILE.read_text(encoding="utf-8")))


def document_match_inputs(semantic, question_vector, documents: list[tuple[str, str]], views,
                          chunk_vectors) -> np.ndarray | None:
    """The document matcher's inputs for `documents` ((source, id of its best retrieved chunk), in that order);
    `chunk_vectors(ids)`: id → stored vector (the store's `vectors`). None when a chunk is no longer in the store
    (deleted since retrieval). Recorded so by scripts/train_reader.py."""
    vectors = chunk_vectors([chunk_id for _, chunk_id in documents])
    if any(chunk_id not in vectors for _, chunk_id in documents):
        return None
    return semantic.document_match_inputs(question_vector, [(views.get(source), vectors[chunk_id])
                                                            for source, chunk_id in documents])


def rank_documents(analysis: QuestionAnalysis, retrieved: list[ScoredChunk], views, semantic=None,
                   ranker: DocumentRanker | None = None, question_vector=None, matcher=None,
                   chunk_vectors=None) -> list[RankedDocument]:
    """The documents of `retrieved` (the first POOL_DOCUMENTS to appear), best first: by the ranker's
    probability, or by their best chunk's score without a ranker (features are made either way, for training).
    `matcher` (a document VectorMatcher) with `chunk_vectors` (ids → {id: stored vector}, the store's
    `vectors`) gives the doc_match features; without them (or another embedder's vectors, or a chunk deleted since
    retrieval) they are NOT_MATCHED, and a ranker reads its training means for them."""
    by_source: dict[str, list[tuple[int, ScoredChunk]]] = {}
    for rank, scored in enumerate(retrieved):
        if scored.chunk.source in by_source or len(by_source) < POOL_DOCUMENTS:
            by_source.setdefault(scored.chunk.source, []).append((rank, scored))
    present = {source: view for source in by_source if (view := views.get(source)) is not None}
    if not present:
        return []
    if semantic is not None and question_vector is None:
        question_vector = semantic.question_vector(analysis.text)
    titles = {source: semantic.title_similarity(question_vector, view) if semantic is not None else 0.0
              for source, view in present.items()}
    best = {"score": max(s.score for s in retrieved), "dense": max(s.dense for s in retrieved),
            "lexical": max(s.lexical for s in retrieved), "title": max(titles.values())}
    rows = {source: document_features(analysis, by_source[source], view, titles[source], best)
            for source, view in present.items()}
    order = list(rows)
    best_chunk = {source: by_source[source][0][1].chunk.id for source in order}
    inputs = None
    if matcher is not None and chunk_vectors is not None and semantic is not None and matcher.accepts(
            getattr(semantic.embeddings, "name", None), len(question_vector)):
        inputs = document_match_inputs(semantic, question_vector, list(best_chunk.items()), views, chunk_vectors)
    if inputs is not None:
        matches = match_features(matcher.scores(inputs))
    elif ranker is not None:  # the ranker never saw "not matched" in training: it reads its training means instead
        matches = [tuple(ranker.means[_DOC_MATCH:_DOC_MATCH + 2])] * len(order)
    else:
        matches = [(NOT_MATCHED, NOT_MATCHED)] * len(order)
    for source, match in zip(order, matches):
        rows[source] += list(match)
    scores = ranker.probabilities([rows[s] for s in order]) if ranker is not None else \
        [max(c.score for _, c in by_source[s]) for s in order]
    ranked = [RankedDocument(source, score, tuple(rows[source]), best_chunk[source])
              for source, score in zip(order, scores)]
    first_rank = {source: min(r for r, _ in chunks) for source, chunks in by_source.items()}
    return sorted(ranked, key=lambda d: (-d.score, first_rank[d.source], d.source))


def evidence_chunks(pool: list[ScoredChunk], k: int, ranked: list[RankedDocument], documents: int) -> list[ScoredChunk]:
    """The k best chunks of `pool`, and the best chunk of each of the `documents` best ranked documents they
    miss: what the reader reads (every figure of the best ranked documents is a candidate)."""
    chosen = list(pool[:k])
    present = {s.chunk.source for s in chosen}
    for document in ranked[:documents]:
        if document.source not in present:
            best = next((s for s in pool if s.chunk.source == document.source), None)
            if best is not None:
                chosen.append(best)
                present.add(document.source)
    return chosen
