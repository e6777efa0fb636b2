"""Candidate figures for one slot query, each with its feature vector, scored by a FigureScorer.

The candidates are every figure of the best retrieved documents (and every figure inside any retrieved
chunk) except those whose period contradicts the one asked; the scorer — a learned model (ranker.py), or the rule score when no model is given — turns each
feature vector into the probability that this figure is the one asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from assistant.analyse import QuestionAnalysis
from assistant.claims import Claim
from assistant.evidence import DocumentView
from assistant.figures import Figure, extract_figures
from assistant.periods import Period
from assistant.read import _own_time, period_relation, score_figure, unit_fits
from assistant.reader.answer_form import Expectation, fill
from assistant.reader.matcher import fill_matches
from assistant.reader.features import Slot, day_agreement, figure_features, with_relative
from assistant.reader.semantic import ClaimSimilarity
from assistant.schema import ScoredChunk

_CONFIRMATION = re.compile(r"^\s*(?:apakah|benarkah|betulkah|is|was|were|are|did|does|do|has|have)\b", re.I)
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


@dataclass(frozen=True)
class _PeriodReading:
    """A figure's periods against the period a slot asks for (relations "none" when none is asked)."""

    own_time: bool  # its sentence names a time of its own
    effective: Period | None  # its own or inherited period, else the document's when the sentence names none
    relation: str
    claim: Claim | None
    claim_relation: str

    @property
    def contradicts(self) -> bool:
        """Both readings of the figure's period (its own and its claim's) conflict with the one asked: the
        figure is for another time, whatever else it matches."""
        return self.claim is not None and self.relation == self.claim_relation == "conflict"


def _read_period(period: Period | None, figure: Figure, view: DocumentView) -> _PeriodReading:
    own_time = _own_time(view, figure)
    effective = figure.period
    if effective is None and view.reference_period is not None and not own_time:
        effective = view.reference_period
    claim = view.claims.get(figure.start)
    relation = period_relation(period, effective) if period is not None else "none"
    claim_relation = period_relation(period, claim.period) if period is not None and claim else "none"
    return _PeriodReading(own_time, effective, relation, claim, claim_relation)


def _on_the_day_asked(question: str, pool: list[tuple[Figure, DocumentView]], kept: list[int]) -> list[int]:
    """When the question names a day ("lelang SUN 22 November 2022") and some candidate's sentence names it, the
    figures of sentences naming only other days (the auction of 8 November) are not candidates: the day is a slot
    like the period. A maturity's or a comparison's day is not a sentence's own (`period_days.day_dates`); without a
    sentence naming the day asked, nothing is dropped."""
    agreement = {i: day_agreement(question, pool[i][1].text[pool[i][0].sentence_start:pool[i][0].sentence_end])
                 for i in kept}
    if not any(value > 0 for value in agreement.values()):
        return kept
    return [i for i in kept if agreement[i] > -1]


def question_quantities(text: str, language: str) -> frozenset[Decimal]:
    """The quantities a question writes (not its years or dates), in base units as figures hold them."""
    return frozenset(f.value for f in extract_figures(text, [(0, len(text))], "question", language))


def candidate_figures(analysis: QuestionAnalysis, retrieved: list[ScoredChunk], views: dict[str, DocumentView],
                      period: Period | None, role: str | None, wants_current: bool,
                      scorer: FigureScorer | None, semantic: ClaimSimilarity | None = None,
                      documents: dict[str, float] | None = None, unit_agreement: bool = False,
                      expectation: Expectation | None = None, matcher=None) -> list[Candidate]:
    """Figures of the retrieved documents, best first, each once, with features and score. `documents`: the
    document ranker's probability for each source, best first (reader/documents.py); without it documents are
    ordered by their best chunk's similarity. `unit_agreement` (a figure stated as the answer, not an operand):
    when the question says what unit it wants and some candidate has it, the others are not candidates; and
    `expectation` (reader/answer_form.py), the unit and kind of figure the question reads as wanting, is a
    feature of each candidate; `matcher` (reader/matcher.py) scores each candidate's claim against the question."""
    if not retrieved:
        return []
    slot = Slot(period, role, wants_current, _expected_unit(analysis))
    top_dense = max(s.dense for s in retrieved)
    floor = min(s.dense for s in retrieved) - 0.02
    dense_of: dict[str, float] = {}
    for scored in retrieved:
        dense_of[scored.chunk.source] = max(dense_of.get(scored.chunk.source, -1.0), scored.dense)
    ranking = documents or {}
    doc_order = {source: rank for rank, source in enumerate(sorted(
        dense_of, key=lambda s: (s not in ranking, -ranking.get(s, 0.0), -dense_of[s])))}
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
    readings = [_read_period(period, figure, view) for figure, view in pool]
    kept = [index for index, reading in enumerate(readings) if not reading.contradicts]
    kept = _on_the_day_asked(analysis.question, pool, kept)
    if unit_agreement and not _CONFIRMATION.match(analysis.question):
        # a number the question writes itself ("34 provinsi", "LPG 3 kg") is not what it asks, unless it asks to confirm it
        given = question_quantities(analysis.question, analysis.language)
        kept = [i for i in kept if pool[i][0].value not in given]
    if unit_agreement and slot.expected_unit is not None:
        fitting = [i for i in kept if unit_fits(slot.expected_unit, pool[i][0])]
        kept = fitting or kept
    pool, readings = [pool[i] for i in kept], [readings[i] for i in kept]
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
    for index, ((figure, view), (rank, scored), reading) in enumerate(zip(pool, holders, readings)):
        siblings = sentence_figures.setdefault((view.source, figure.sentence_start),
                                               view.figures_between(figure.sentence_start, figure.sentence_end))
        claim = reading.claim
        doc_relation = period_relation(period, view.reference_period) if period is not None else "none"
        sentence_index = view.sentence_index.get(figure.sentence_start, 40)
        claim_cos, sentence_cos, title_cos = semantic.similarities(question_vector, view, figure) if semantic \
            else (0.0, 0.0, 0.0)
        series_cos = semantic.phrase_similarity(question_vector, view, claim.series) if semantic and claim else 0.0
        entity_cos = semantic.phrase_similarity(question_vector, view, claim.entity) if semantic and claim else 0.0
        rows.append(figure_features(
            analysis, slot, figure, view,
            chunk_dense=scored.dense if scored else floor, chunk_lexical=scored.lexical if scored else 0.0,
            chunk_rank=rank, held=scored is not None, top_dense=top_dense, doc_rank=doc_order[view.source],
            doc_dense=dense_of[view.source], doc_probability=ranking.get(view.source, 0.0 if ranking else -1.0),
            relation=reading.relation, effective_period=reading.effective,
            fits_unit=unit_fits(slot.expected_unit, figure), rule_score=rule_scores[index],
            rule_rank=rule_rank[index], index_in_sentence=siblings.index(figure) if figure in siblings else 0,
            figures_in_sentence=len(siblings), sentence_index=sentence_index, claim_cos=claim_cos,
            sentence_cos=sentence_cos, doc_relation=doc_relation, own_time=reading.own_time, title_cos=title_cos,
            claim=claim, claim_relation=reading.claim_relation, series_cos=series_cos, entity_cos=entity_cos,
            stated=unit_agreement))
        ranks.append(rank)
    rows = fill(with_relative(rows), expectation if unit_agreement else None)
    if matcher is not None and semantic is not None and matcher.accepts(
            getattr(semantic.embeddings, "name", None), len(question_vector)):
        inputs = semantic.match_inputs(question_vector, [(view, figure, r.claim.series if r.claim else None)
                                                         for (figure, view), r in zip(pool, readings)])
        fill_matches(rows, matcher.scores(inputs))
    else:  # no matcher, or one of another embedder's vectors
        fill_matches(rows, None)
    if scorer is None:
        scores = [s if s is not None else float("-inf") for s in rule_scores]
    else:
        scores = scorer.score(rows, [figure for figure, _ in pool])
    found = [Candidate(figure, view, float(score), rank, tuple(row))
             for (figure, view), score, rank, row in zip(pool, scores, ranks, rows)]
    return sorted(found, key=lambda c: (-c.score, c.rank, c.figure.start))
