"""Features of one candidate figure for one slot query (a question's period, role, unit).

Every feature is a structural fact of the language or a similarity, never a word list of one document:
retrieval similarity of the chunk that holds the figure, words the question shares with the figure's
clause, the words before it and its sentence; agreement of period, unit and role; where the number
stands in its sentence; and the verdict of the rule-based scorer (`assistant.read.score_figure`) as one
input among the others, so the model learns how far to trust it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from assistant.analyse import QuestionAnalysis
from assistant.claim_kinds import KINDS as CLAIM_KINDS
from assistant.claims import qualifier_agreement
from assistant.evidence import DocumentView
from assistant.figures import Figure
from assistant.matching import stems_of
from assistant.period_days import day_dates
from assistant.periods import Period
from assistant.read import _CURRENCIES, _MEASURES

PERIOD_RELATIONS = ("match", "partial", "compatible", "unknown", "conflict")
UNIT_KINDS = ("%", "pp", "bps", "currency", "measure", "count", "none")
ROLES = ("actual", "target", "increase", "decrease", "remaining", "share", None)

FEATURE_NAMES: tuple[str, ...] = (
    "chunk_dense", "chunk_lexical", "chunk_rank", "held_by_retrieved", "dense_gap", "doc_rank", "doc_dense",
    "overlap_clause", "overlap_before", "overlap_sentence", "overlap_title", "overlap_unit",
    "question_terms", "period_asked", "current_asked", *(f"period_{r}" for r in PERIOD_RELATIONS),
    *(f"doc_period_{r}" for r in PERIOD_RELATIONS), "own_time",
    "figure_has_period", "figure_period_current", "figure_period_year", "period_inherited", "period_from_title",
    "unit_fits", *(f"unit_{k}" for k in UNIT_KINDS), "expected_unit_known",
    "role_asked", "role_equal", "role_none", *(f"role_{r or 'none'}" for r in ROLES if r),
    "index_in_sentence", "figures_in_sentence", "sentence_index", "approximate", "bound_match",
    "rule_accepts", "rule_score", "rule_rank", "claim_cos", "sentence_cos", "title_cos", "subject_extra",
    "subject_words", *(f"claim_period_{r}" for r in PERIOD_RELATIONS),
    *(f"claim_reason_{r}" for r in ("own", "inherited", "title", "published", "none")),
    *(f"claim_kind_{k}" for k in CLAIM_KINDS), *(f"asked_role_{r}" for r in ROLES if r), "series_cos",
    "series_overlap", "series_extra", "qualifier_count", "doc_probability", "claim_has_entity", "entity_cos",
    "entity_said", "names_in_claim", "names_asked", "stated_slot", "answer_unit_p", "answer_kind_p",
    "day_in_sentence", "day_in_title", "qualifier_match", "qualifier_conflict", "claim_match",
    "claim_match_gap", "value_scale", "answer_scale_p",
)
# Relative to the best candidate of the same query: how far behind the leader a figure is, and its rank.
RELATIVE = ("chunk_dense", "overlap_clause", "overlap_before", "overlap_sentence", "claim_cos", "sentence_cos",
            "title_cos", "doc_dense", "series_cos", "series_overlap", "doc_probability", "entity_cos",
            "entity_said", "names_in_claim")
FEATURE_NAMES = FEATURE_NAMES + tuple(f"{name}_gap" for name in RELATIVE) + ("claim_cos_rank", "sentence_cos_rank")


def with_relative(rows: list[list[float]]) -> list[list[float]]:
    """Each row extended by its gap to the query's best value of the RELATIVE features, and its claim rank."""
    if not rows:
        return rows
    columns = [FEATURE_NAMES.index(name) for name in RELATIVE]
    best = [max(row[c] for row in rows) for c in columns]
    claim, sentence = FEATURE_NAMES.index("claim_cos"), FEATURE_NAMES.index("sentence_cos")
    claim_order = sorted(range(len(rows)), key=lambda i: -rows[i][claim])
    sentence_order = sorted(range(len(rows)), key=lambda i: -rows[i][sentence])
    claim_rank = {i: r for r, i in enumerate(claim_order)}
    sentence_rank = {i: r for r, i in enumerate(sentence_order)}
    return [row + [best[j] - row[c] for j, c in enumerate(columns)]
            + [float(min(claim_rank[i], 64)), float(min(sentence_rank[i], 64))] for i, row in enumerate(rows)]


@dataclass(frozen=True)
class Slot:
    """What one lookup asks of a figure (a calculation asks once per operand)."""

    period: Period | None
    role: str | None
    wants_current: bool
    expected_unit: str | None


def unit_kind(figure: Figure) -> str:
    unit = figure.unit or ""
    if unit in ("%", "pp", "bps"):
        return unit
    if unit.startswith(_CURRENCIES):
        return "currency"
    if unit in _MEASURES:
        return "measure"
    return "count" if unit else "none"


def _overlap(terms: frozenset[str], text: str) -> float:
    if not terms or not text:
        return 0.0
    return len(terms & stems_of(text)) / len(terms)


def figure_features(analysis: QuestionAnalysis, slot: Slot, figure: Figure, view: DocumentView, *,
                    chunk_dense: float, chunk_lexical: float, chunk_rank: int, held: bool, top_dense: float,
                    doc_rank: int, doc_dense: float, relation: str, effective_period: Period | None,
                    fits_unit: bool, rule_score: float | None, rule_rank: int, index_in_sentence: int,
                    figures_in_sentence: int, sentence_index: int, claim_cos: float = 0.0,
                    sentence_cos: float = 0.0, doc_relation: str = "none", own_time: bool = False,
                    title_cos: float = 0.0, claim=None, claim_relation: str = "none",
                    series_cos: float = 0.0, doc_probability: float = -1.0, entity_cos: float = 0.0,
                    stated: bool = False) -> list[float]:
    """The absolute features (FEATURE_NAMES up to the relative ones) of `figure` for `slot` of `analysis`;
    `stated`: the figure would be stated as the answer (not an operand). The answer form's probabilities are
    left "not asked" (-1) for reader/answer_form.fill, the matcher's "not matched" (-1) for reader/matcher.fill_matches."""
    text = view.text
    clause = text[figure.clause_start:figure.clause_end] if figure.clause_end else ""
    before = text[max(figure.subject_start, figure.sentence_start):figure.start]
    sentence = text[figure.sentence_start:figure.sentence_end]
    terms = analysis.terms
    kind = unit_kind(figure)
    relations = [float(relation == r) for r in PERIOD_RELATIONS]
    period = effective_period
    reason = (claim.period_reason if claim else None) or "none"
    return [
        chunk_dense, chunk_lexical, float(min(chunk_rank, 64)), float(held), top_dense - chunk_dense,
        float(min(doc_rank, 10)), doc_dense,
        _overlap(terms, clause), _overlap(terms, before), _overlap(terms, sentence), _overlap(terms, view.title),
        float(bool(terms & (set(figure.unit_terms) | stems_of(" ".join(figure.unit_terms))))),
        float(len(terms)), float(slot.period is not None), float(slot.wants_current), *relations,
        *(float(doc_relation == r) for r in PERIOD_RELATIONS), float(own_time),
        float(figure.period is not None), float(period is not None and period.kind == "current"),
        float(period is not None and period.kind == "year"), float(figure.period_inherited),
        float(figure.period is None and period is not None),
        float(fits_unit), *(float(kind == k) for k in UNIT_KINDS), float(slot.expected_unit is not None),
        float(slot.role is not None), float(slot.role is not None and slot.role == figure.role),
        float(figure.role is None), *(float(figure.role == r) for r in ROLES if r),
        float(index_in_sentence), float(figures_in_sentence), float(min(sentence_index, 40)),
        float(figure.approximate), float(analysis.bound is not None and figure.range_end == analysis.bound),
        float(rule_score is not None), rule_score if rule_score is not None else -1.0, float(min(rule_rank, 64)),
        claim_cos, sentence_cos, title_cos, _extra(stems_of(before), terms), float(len(stems_of(before))),
        *(float(claim_relation == r) for r in PERIOD_RELATIONS),
        *(float(reason == r) for r in ("own", "inherited", "title", "published", "none")),
        *(float(claim is not None and claim.kind == k) for k in CLAIM_KINDS),
        *(float(slot.role == r) for r in ROLES if r), series_cos,
        _overlap(terms, claim.series if claim else ""), _extra(stems_of(claim.series) if claim else frozenset(), terms),
        float(len(claim.qualifiers) if claim else 0), doc_probability,
        float(bool(claim and claim.entity)), entity_cos, _said(claim.entity if claim else None, terms),
        _names_in(analysis.entities, (claim.entity or "") + " " + clause if claim else clause),
        float(len(analysis.entities)), float(stated), -1.0, -1.0,
        day_agreement(analysis.question, sentence), day_agreement(analysis.question, view.title),
        *qualifier_agreement(analysis.question, claim.qualifiers if claim else ()),
        -1.0, -1.0,  # claim_match and its gap: the learned matcher's, filled by reader/matcher.fill_matches
        float(value_scale(figure.value)), -1.0,  # answer_scale_p: filled by reader/answer_form.fill
    ]


SCALES = ("zero", "below_thousand", "thousands", "millions", "billions", "trillions")


def value_scale(value) -> int:
    """The order of magnitude of a figure in base units, by thousands (SCALES): a share price of Rp3,530 is
    thousands, a company's Rp38.61 trillion of sales trillions, 30 traders below a thousand."""
    size = abs(float(value))
    if size == 0:
        return 0
    return 1 + min(4, max(0, int(math.floor(math.log10(size) / 3 + 1e-9))))


def day_agreement(question: str, text: str) -> float:
    """Whether `text` names the day the question names ("lelang SUN 7 November 2023"): 1 it does, -1 it names
    only other days, -0.5 it names no day (a figure of a longer stretch, or of a day it does not say), 0 the
    question names no day."""
    asked = day_dates(question)
    if not asked:
        return 0.0
    named = day_dates(text)
    return 1.0 if asked & named else (-1.0 if named else -0.5)


def _said(phrase: str | None, terms: frozenset[str]) -> float:
    """Share of a claim's phrase (its entity: "Sulawesi Tengah") that the question says; -1 without one."""
    if not phrase:
        return -1.0
    words = stems_of(phrase)
    return len(words & terms) / len(words) if words else -1.0


def _names_in(names: tuple[str, ...], text: str) -> float:
    """Share of the names the question writes (proper nouns, acronyms) that `text` writes too."""
    if not names:
        return -1.0
    lowered = text.casefold()
    return sum(name.casefold() in lowered for name in names) / len(names)


def _extra(subject: frozenset[str], terms: frozenset[str]) -> float:
    """Share of the words naming what the number measures that the question does not say (another series:
    "ekspor nonmigas" for a question on exports)."""
    return len(subject - terms) / len(subject) if subject else 0.0
