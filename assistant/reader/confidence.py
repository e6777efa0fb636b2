"""Calibrated confidence: the probability that a composed answer is right, from what it rests on.

A logistic model over answer-level features (how sure the figure scorer was of each figure it took and by
how much it beat the next one, retrieval strength, key terms missing from the evidence, the kind of answer)
trained on answers to questions the figure scorer had not seen (scripts/train_reader.py). Answers below the
threshold chosen on the bank's train+dev answers for <= 2% wrong are withheld as refusals.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.analyse import QuestionAnalysis
from assistant.answer import Answer
from assistant.evidence import DocumentView, contains_words
from assistant.lexical import tokenize
from assistant.reader.features import FEATURE_NAMES
from assistant.reader.logistic import StandardisedLogistic
from assistant.schema import ScoredChunk

CONFIDENCE_FILE = Path(__file__).resolve().parent / "models" / "confidence.json"

ANSWER_FEATURES: tuple[str, ...] = (
    "kind_lookup", "kind_calculation", "kind_text", "calls", "min_top", "mean_top", "max_top", "min_margin",
    "call_sources", "top_dense", "top_lexical", "dense_gap", "missing_terms", "question_terms", "has_period",
    "expected_unit_known", "role_asked", "wants_current", "cross_lingual", "citations", "has_calculation",
    "sentence_top", "sentence_margin", "answer_sources", "rule_agrees", "rule_accepts", "period_match",
    "period_conflict", "unit_fits", "claim_best", "doc_best", "chosen_claim_cos", "asks_lookup", "asks_calculation",
    "asks_text", "asks_this_kind", "claim_period_match", "series_best", "claim_period_conflict",
    "terms_absent_documents", "terms_absent_quotes", "entities_absent_quotes", "asks_operation", "periods_asked",
    "document_top", "document_margin", "document_cited", "telling_terms_absent_documents",
    "telling_terms_absent_quotes", "form_unit_p", "form_kind_p", "day_conflict", "qualifier_conflict",
    "matcher_best", "matcher_gap", "form_scale_p",
)


def _absent_share(terms, present, weight=None) -> float:
    """The share of `terms` for which `present(term)` is false (0 without terms), each term counted by
    `weight(term)` (1 without)."""
    weights = {t: (weight(t) if weight else 1.0) for t in terms}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if not present(t)) / total if total else 0.0


def absence(analysis: QuestionAnalysis, answer: Answer, cited: Mapping[str, DocumentView],
            specificity: Mapping[str, float] | None = None) -> list[float]:
    """What the question names that its evidence does not: the share of its content terms in none of the cited
    documents, the share in none of the quoted sentences, the share of its names and acronyms in no quote, and
    the first two again with each term weighted by how rare it is in the library (`specificity`, its idf: a
    commodity or a measure the library seldom names tells more than "inflation" in a library of inflation
    briefings). An unanswerable question usually names a thing (a commodity, a profit, a province) the documents
    lack."""
    written = set(tokenize(analysis.text))
    terms = [t for t in sorted(analysis.terms) if t in written]  # as the question writes them, not translations
    views = list(cited.values())
    quotes = [c.quote.lower() for c in answer.citations]
    quote_terms = set().union(*(tokenize(q) for q in quotes)) if quotes else set()

    def in_documents(term: str) -> bool:
        return any(term in v.stems or v.mentions(term) for v in views)

    def in_quotes(term: str) -> bool:
        return term in quote_terms or any(contains_words(q, term) for q in quotes)
    telling = (lambda t: specificity.get(t, 0.0)) if specificity else None
    return [_absent_share(terms, in_documents), _absent_share(terms, in_quotes),
            _absent_share(analysis.entities, in_quotes), _absent_share(terms, in_documents, telling),
            _absent_share(terms, in_quotes, telling)]


def answer_features(analysis: QuestionAnalysis, trace: dict, answer: Answer, retrieved: list[ScoredChunk],
                    cited: Mapping[str, DocumentView], asks: dict[str, float] | None = None,
                    specificity: Mapping[str, float] | None = None) -> list[float]:
    """The feature vector (ANSWER_FEATURES order) of a composed answer; `cited` maps each cited source to
    its document view, `specificity` the question's terms to their idf in the library."""
    calls = trace.get("calls") or []
    tops = [call[0] for call in calls] or [0.0]
    margins = [call[0] - call[1] for call in calls] or [0.0]
    chosen = [dict(zip(FEATURE_NAMES, call[3])) for call in calls if call[3]]

    def worst(name: str, transform=float) -> float:
        return min((transform(c[name]) for c in chosen), default=0.0)
    sentences = trace.get("sentences") or []
    dense = [s.dense for s in retrieved[:2]] + [0.0, 0.0]
    sources = {c.source for c in answer.citations}
    kind = trace.get("kind")
    return [
        float(kind == "lookup"), float(kind == "calculation"), float(kind == "text"), float(len(calls)),
        min(tops), sum(tops) / len(tops), max(tops), min(margins),
        float(len({call[2] for call in calls if call[2]})),
        dense[0], retrieved[0].lexical if retrieved else 0.0, dense[0] - dense[1],
        float(len(trace.get("missing", ()))), float(len(analysis.terms)), float(bool(analysis.periods)),
        float(analysis.expected_unit is not None), float(analysis.role is not None), float(analysis.wants_current),
        float(any(view.language != analysis.language for view in cited.values())),
        float(len(answer.citations)), float(answer.calculation is not None),
        sentences[0] if sentences else 0.0, (sentences[0] - sentences[1]) if len(sentences) > 1 else 0.0,
        float(len(sources)),
        worst("rule_rank", lambda r: float(r == 0)), worst("rule_accepts"), worst("period_match"),
        max((c["period_conflict"] for c in chosen), default=0.0), worst("unit_fits"),
        worst("claim_cos_gap", lambda g: float(g <= 1e-6)), worst("doc_rank", lambda r: float(r == 0)),
        worst("claim_cos"),
        *((asks or {}).get(k, 1 / 3) for k in ("lookup", "calculation", "text")), (asks or {}).get(kind or "", 1 / 3),
        worst("claim_period_match"), worst("series_cos_gap", lambda g: float(g <= 1e-6)),
        max((c["claim_period_conflict"] for c in chosen), default=0.0),
        *(absent := absence(analysis, answer, cited, specificity))[:3], float(analysis.operation is not None),
        float(len(analysis.periods)), *document_agreement(trace.get("documents"), sources), *absent[3:],
        worst("answer_unit_p") if chosen else -1.0, worst("answer_kind_p") if chosen else -1.0,
        max((-min(c["day_in_sentence"], 0.0) for c in chosen), default=0.0), max((c["qualifier_conflict"] for c in chosen), default=0.0),
        # whether the learned matcher put every chosen figure first, and how far below its best the furthest is
        worst("claim_match_gap", lambda g: float(g <= 1e-6)), max((c["claim_match_gap"] for c in chosen), default=0.0),
        worst("answer_scale_p") if chosen else -1.0,
    ]


def document_agreement(documents: Mapping[str, float] | None, cited: set[str]) -> list[float]:
    """How sure the document ranker was: its best probability, the margin to the second, and the lowest
    probability of a cited document (-1 each without a ranker)."""
    if not documents:
        return [-1.0, -1.0, -1.0]
    scores = sorted(documents.values(), reverse=True) + [0.0]
    return [scores[0], scores[0] - scores[1], min((documents.get(s, 0.0) for s in cited), default=0.0)]


ANSWER_KINDS = ("lookup", "calculation", "text")


@dataclass(frozen=True)
class KindModel(StandardisedLogistic):
    """Standardised logistic regression for one kind of answer; `threshold` is the confidence it needs."""

    threshold: float


@dataclass(frozen=True)
class Calibrator:
    """One model per kind of answer (a stated figure, a calculation, quoted sentences): they fail in
    different ways, so each has its own weights and threshold."""

    kinds: dict[str, KindModel]
    gates: bool = True

    def probability(self, features: list[float], kind: str) -> float:
        model = self.kinds.get(kind)
        return model.probability(features) if model is not None else 0.0

    def threshold(self, kind: str) -> float:
        model = self.kinds.get(kind)
        return model.threshold if model is not None else 1.0

    def to_dict(self) -> dict:
        return {"features": list(ANSWER_FEATURES), "gates": self.gates,
                "kinds": {kind: {"means": list(m.means), "scales": list(m.scales), "weights": list(m.weights),
                                 "intercept": m.intercept, "threshold": m.threshold} for kind, m in self.kinds.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> Calibrator:
        if list(data.get("features", [])) != list(ANSWER_FEATURES):
            raise ValueError("confidence model features do not match the code's: retrain with scripts/train_reader.py")
        kinds = {kind: KindModel(tuple(m["means"]), tuple(m["scales"]), tuple(m["weights"]), float(m["intercept"]),
                                 float(m["threshold"])) for kind, m in data["kinds"].items()}
        return cls(kinds, bool(data.get("gates", True)))

    @classmethod
    def from_file(cls, path: Path = CONFIDENCE_FILE) -> Calibrator:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_calibrator() -> Calibrator | None:
    return Calibrator.from_file() if CONFIDENCE_FILE.is_file() else None
