"""Candidate figures for one slot query, each with its feature vector, scored by a FigureScorer.

The candidates are every figure of the best retrieved documents (and every figure inside any retrieved
chunk) except those whose period contradicts the one asked; the scorer — a learned model (ranker.py), or the rule score when no model is given — turns each
feature vector into the probability that this figure is the one asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from assistant.analyse import QuestionAnalysis
from assistant.evidence import DocumentView
from assistant.figures import Figure
from assistant.periods import Period
from assistant.read import _own_time, period_relation, score_figure, unit_fits
from assistant.reader.features import Slot, figure_features, with_relative
from assistant.reader.semantic import ClaimSimilarity
from assistant.schema import ScoredChunk

CANDIDATE_DOCUMENTS = 4  # every figure of this many best documents; elsewhere only figures in retrieved chunks


@dataclass(frozen=True)
class Candidate:
    figure: Figure
    view: DocumentView
    score: float  # probability that this figure answers the slot (the rule score without a model)
    rank: int  # rank of the best retrieved chunk holding it
    features: tuple[float, ...] = ()


class FigureScorer(Protocol):
    def score(self, rows: list[list[float]], figures: list[Figure]) -> list[float]:
        """Probabilities, one per feature row (`figures` are the rows' figures, for recording)."""


def _expected_unit(analysis: QuestionAnalysis) -> str | None:
    if analysis.currency and analysis.expected_unit == "currency":
        return analysis.currency
    return analysis.expected_unit


def _effective_period(figure: Figure, view: DocumentView) -> Period | None:
    """The figure's own or inherited period, else the document's reference period when the sentence names
    no time of its own."""
    if figure.period is None and view.reference_period is not None and not _own_time(view, figure):
        return view.reference_period
    return figure.period


def _contradicts(period: Period, figure: Figure, view: DocumentView) -> bool:
    """The slot names a period and both readings of the figure's period (the figure's own and its claim's)
    conflict with it: the figure is for another time, whatever else it matches."""
    claim = view.claims.get(figure.start)
    return (claim is not None and period_relation(period, _effective_period(figure, view)) == "conflict"
            and period_relation(period, claim.period) == "conflict")


def candidate_figures(analysis: QuestionAnalysis, retrieved: list[ScoredChunk], views: dict[str, DocumentView],
                      period: Period | None, role: str | None, wants_current: bool,
                      scorer: FigureScorer | None, semantic: ClaimSimilarity | None = None) -> list[Candidate]:
    """Figures of the retrieved documents, best first, each once, with features and score."""
    if not retrieved:
        return []
    slot = Slot(period, role, wants_current, _expected_unit(analysis))
    top_dense = max(s.dense for s in retrieved)
    floor = min(s.dense for s in retrieved) - 0.02
    documents: dict[str, float] = {}
    for scored in retrieved:
        documents[scored.chunk.source] = max(documents.get(scored.chunk.source, -1.0), scored.dense)
    doc_order = {source: rank for rank, source in enumerate(sorted(documents, key=lambda s: -documents[s]))}
    held: dict[tuple[str, int], tuple[int, ScoredChunk]] = {}
    for rank, scored in enumerate(retrieved):
        view = views.get(scored.chunk.source)
        if view is None:
            continue
        for figure in view.figures_between(scored.chunk.start, scored.chunk.end):
            key = (figure.source, figure.start)
            if key not in held or held[key][1].dense < scored.dense:
                held[key] = (rank, scored)
    pool: list[tuple[Figure, DocumentView]] = []
    for source, doc_rank in doc_order.items():
        view = views.get(source)
        if view is None:
            continue
        for figure in view.figures:
            if doc_rank < CANDIDATE_DOCUMENTS or (figure.source, figure.start) in held:
                pool.append((figure, view))
    if period is not None:
        pool = [(figure, view) for figure, view in pool if not _contradicts(period, figure, view)]
    if not pool:
        return []
    holders = [held.get((figure.source, figure.start), (len(retrieved), None)) for figure, _ in pool]
    weakest = ScoredChunk(chunk=retrieved[0].chunk, score=floor, dense=floor, lexical=0.0)
    rule_scores = [score_figure(analysis, figure, view, scored or weakest, period, role, wants_current)
                   for (figure, view), (_, scored) in zip(pool, holders)]
    rule_order = sorted(range(len(pool)), key=lambda i: -(rule_scores[i] if rule_scores[i] is not None else -9))
    rule_rank = {index: position for position, index in enumerate(rule_order)}
    question_vector = semantic.question_vector(analysis.text) if semantic is not None else None
    rows, ranks = [], []
    sentence_figures: dict[tuple[str, int], list[Figure]] = {}
    for index, ((figure, view), (rank, scored)) in enumerate(zip(pool, holders)):
        siblings = sentence_figures.setdefault((view.source, figure.sentence_start),
                                               view.figures_between(figure.sentence_start, figure.sentence_end))
        own_time = _own_time(view, figure)
        effective = _effective_period(figure, view)
        relation = period_relation(period, effective) if period is not None else "none"
        doc_relation = period_relation(period, view.reference_period) if period is not None else "none"
        sentence_index = view.sentence_index.get(figure.sentence_start, 40)
        claim_cos, sentence_cos, title_cos = semantic.similarities(question_vector, view, figure) if semantic \
            else (0.0, 0.0, 0.0)
        claim = view.claims.get(figure.start)
        claim_relation = period_relation(period, claim.period) if period is not None and claim else "none"
        series_cos = semantic.series_similarity(question_vector, view, claim.series) if semantic and claim else 0.0
        rows.append(figure_features(
            analysis, slot, figure, view,
            chunk_dense=scored.dense if scored else floor, chunk_lexical=scored.lexical if scored else 0.0,
            chunk_rank=rank, held=scored is not None, top_dense=top_dense, doc_rank=doc_order[view.source],
            doc_dense=documents[view.source], relation=relation, effective_period=effective,
            fits_unit=unit_fits(slot.expected_unit, figure), rule_score=rule_scores[index],
            rule_rank=rule_rank[index], index_in_sentence=siblings.index(figure) if figure in siblings else 0,
            figures_in_sentence=len(siblings), sentence_index=sentence_index, claim_cos=claim_cos,
            sentence_cos=sentence_cos, doc_relation=doc_relation, own_time=own_time, title_cos=title_cos,
            claim=claim, claim_relation=claim_relation, series_cos=series_cos))
        ranks.append(rank)
    rows = with_relative(rows)
    if scorer is None:
        scores = [s if s is not None else float("-inf") for s in rule_scores]
    else:
        scores = scorer.score(rows, [figure for figure, _ in pool])
    found = [Candidate(figure, view, float(score), rank, tuple(row))
             for (figure, view), score, rank, row in zip(pool, scores, ranks, rows)]
    return sorted(found, key=lambda c: (-c.score, c.rank, c.figure.start))
