"""Scoring one Answer against one eval item, and the metrics of a whole set."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from assistant.evaluation.mentions import to_decimal, unsupported_numbers, values_in

NUMERIC_CATEGORIES = ("lookup", "paraphrase", "date", "computation")
# Units that measure something; any other unit names what is counted ("UMKM", "exporters").
_UNIT_SYNONYMS = {
    "%": "%", "percent": "%", "persen": "%", "pct": "%",
    "pp": "pp", "percentage points": "pp", "poin persentase": "pp", "percentage point": "pp",
    "usd": "USD", "us$": "USD", "$": "USD", "dollar": "USD",
    "idr": "IDR", "rp": "IDR", "rupiah": "IDR",
    "ton": "ton", "tons": "ton", "tonne": "ton", "tonnes": "ton",
    "kg": "kg", "kilogram": "kg",
}
_MEASURES = {"%", "pp", "USD", "IDR", "ton", "kg"}
_COMPATIBLE = {frozenset({"%", "pp"})}

SourceReader = Callable[[str], "str | None"]


@dataclass
class ItemResult:
    """Everything the report needs about one item."""

    id: str
    set: str
    question: str
    category: str
    lang: str
    expected: dict[str, Any] | None
    got: dict[str, Any]
    passed: bool
    reasons: list[str]
    value_correct: bool | None = None  # numeric items only
    text_found: bool | None = None  # non_numeric items only
    refused: bool = False
    citations_valid: bool | None = None  # answered items only
    ungrounded: list[str] = field(default_factory=list)
    evidence_retrieved: bool | None = None  # answerable items only
    citations: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    latency_ms: float = 0.0
    error: str | None = None
    confidence: float | None = None  # the engine's calibrated probability that its answer is right
    split: str | None = None  # train | dev | test for question-bank items

    @property
    def answered(self) -> bool:
        return self.citations_valid is not None

    @property
    def outcome(self) -> str:
        """correct, refused or wrong: a wrong value or text, a bad citation, or an unanswerable one answered."""
        if not self.answered:
            return "refused"
        return "correct" if self.passed else "wrong"

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["pass"] = data.pop("passed")
        data["reason"] = self.reason
        data["outcome"] = self.outcome
        return data


def unit_head(unit: str | None) -> str | None:
    """"IDR/kg" → "IDR"; "US$" → "USD"; "Tonnes" → "ton"; None stays None."""
    if not unit:
        return None
    head = unit.strip().lower().split("/")[0].split(" per ")[0].strip()
    return _UNIT_SYNONYMS.get(head, head)


def units_compatible(expected: str | None, got: str | None) -> bool:
    """Measures must agree ("%" ≈ "pp"); counted things may be named differently or not at all."""
    want, have = unit_head(expected), unit_head(got)
    if want is None or have is None or want == have:
        return True
    if frozenset({want, have}) in _COMPATIBLE:
        return True
    return want not in _MEASURES and have not in _MEASURES


def within_tolerance(expected: float, got: float | None, tolerance: dict[str, Any]) -> bool:
    if got is None:
        return False
    want, have, allowed = to_decimal(expected), to_decimal(got), to_decimal(tolerance.get("value", 0))
    if tolerance.get("type", "relative") == "absolute" or want == 0:
        return abs(have - want) <= allowed
    return abs(have - want) <= allowed * abs(want)


def check_citations(answer: dict[str, Any], read_source: SourceReader) -> list[str]:
    """Problems with the citations: quote != source[start:end], or a figure not inside its citation's quote."""
    problems: list[str] = []
    by_number = {citation.get("n"): citation for citation in answer.get("citations", [])}
    for citation in answer.get("citations", []):
        text = read_source(citation.get("source", ""))
        if text is None:
            problems.append(f"citation [{citation.get('n')}] source not found: {citation.get('source')}")
            continue
        start, end = citation.get("start"), citation.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or text[start:end] != citation.get("quote"):
            problems.append(f"citation [{citation.get('n')}] quote is not {citation.get('source')}[{start}:{end}]")
    for figure in answer.get("figures", []):
        citation = by_number.get(figure.get("citation"))
        if citation is None:
            problems.append(f"figure {figure.get('text')!r} cites missing [{figure.get('citation')}]")
        elif figure.get("text") not in citation.get("quote", ""):
            problems.append(f"figure {figure.get('text')!r} is not in the quote of [{citation.get('n')}]")
    return problems


def grounding_candidates(answer: dict[str, Any]) -> set[Decimal]:
    """Values an answer may state: numbers of its quotes, its calculation, its question and citation dates."""
    candidates: set[Decimal] = set(values_in(answer.get("question", "")))
    for citation in answer.get("citations", []):
        candidates |= values_in(citation.get("quote", ""))
        candidates |= values_in(str(citation.get("date") or "").replace("-", " "))
    calculation = answer.get("calculation")
    if calculation:
        candidates.add(to_decimal(calculation["result"]))
        candidates |= {to_decimal(operand["value"]) for operand in calculation.get("operands", [])}
        candidates |= values_in(calculation.get("expression", ""))
    return candidates


def evidence_in_citations(item: dict[str, Any], answer: dict[str, Any]) -> bool:
    """The evidence sentence (or an `evidence_alt` one) lies inside a citation's quote, or a quote inside it."""
    sentences = [s for s in [item.get("evidence")] + list(item.get("evidence_alt", [])) if s]
    for citation in answer.get("citations", []):
        quote = citation.get("quote") or ""
        if any(sentence in quote or (len(quote) >= 20 and quote in sentence) for sentence in sentences):
            return True
    return False


def score_item(item: dict[str, Any], answer: dict[str, Any], read_source: SourceReader, *, set_name: str = "",
               latency_ms: float = 0.0, error: str | None = None, split: str | None = None) -> ItemResult:
    """Score `answer` (an Answer's `to_dict()`) against `item`; `read_source(source)` gives a cited file's text."""
    answered = bool(answer.get("answerable")) and error is None
    result = ItemResult(
        id=item["id"], set=set_name, question=item["question"], category=item["category"], lang=item["lang"],
        expected=item.get("expected"), passed=False, reasons=[], refused=not answered and error is None,
        got={key: answer.get(key) for key in ("value", "unit", "answerable", "answer", "calculation")},
        citations=list(answer.get("citations", [])), timings=dict(answer.get("timings_ms") or {}),
        latency_ms=float((answer.get("timings_ms") or {}).get("total", latency_ms)), error=error,
        confidence=answer.get("confidence") if answered else None, split=split,
    )
    if error is not None:
        result.reasons.append(f"error: {error}")
    if answered:
        problems = check_citations(answer, read_source)
        if not answer.get("citations"):
            problems.append("answered without citations")
        result.citations_valid = not problems
        result.reasons += problems
        result.ungrounded = unsupported_numbers(answer.get("answer", ""), grounding_candidates(answer))
        if result.ungrounded:
            result.reasons.append(f"numbers not in any quote or calculation: {', '.join(result.ungrounded)}")
    if item["category"] == "unanswerable":
        if answered:
            result.reasons.insert(0, f"answered an unanswerable question (value {answer.get('value')!r})")
        result.passed = result.refused
        return result
    if not answered:
        result.reasons.insert(0, "refused an answerable question" if error is None else "no answer")
    result.evidence_retrieved = evidence_in_citations(item, answer)
    expected = item["expected"]
    if item["category"] == "non_numeric":
        quotes = [c.get("quote", "") for c in answer.get("citations", [])[:1]]
        haystack = " ".join([answer.get("answer", "")] + quotes).casefold()
        result.text_found = answered and expected["text"].casefold() in haystack
        if answered and not result.text_found:
            result.reasons.insert(0, f"{expected['text']!r} not in the answer or the first quote")
        correct = result.text_found
    else:
        value_ok = answered and within_tolerance(expected["value"], answer.get("value"), item.get("tolerance", {}))
        unit_ok = units_compatible(expected.get("unit"), answer.get("unit"))
        result.value_correct = bool(value_ok and unit_ok)
        if answered and not value_ok:
            result.reasons.insert(0, f"value {answer.get('value')!r} (expected {expected['value']!r})")
        elif answered and not unit_ok:
            result.reasons.insert(0, f"unit {answer.get('unit')!r} (expected {expected.get('unit')!r})")
        correct = result.value_correct
    result.passed = bool(correct and result.citations_valid and not result.ungrounded)
    return result


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _percentile(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summarise(results: list[ItemResult]) -> dict[str, Any]:
    """Metrics of a set: accuracy (overall, by category, by language), refusal, precision, grounding, recall, latency."""
    numeric = [r for r in results if r.category in NUMERIC_CATEGORIES]
    textual = [r for r in results if r.category == "non_numeric"]
    unanswerable = [r for r in results if r.category == "unanswerable"]
    answerable = numeric + textual
    answered = [r for r in results if r.citations_valid is not None]
    latencies = [r.latency_ms for r in results]
    by_category: dict[str, list[ItemResult]] = defaultdict(list)
    by_lang: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        by_category[r.category].append(r)
        by_lang[r.lang].append(r)
    outcomes = _outcomes(results)
    return {
        "items": len(results),
        "passed": sum(r.passed for r in results),
        **outcomes,
        "answerable_correct": _rate(sum(r.passed for r in answerable), len(answerable)),
        "numeric_accuracy": _rate(sum(bool(r.value_correct) for r in numeric), len(numeric)),
        "non_numeric_accuracy": _rate(sum(bool(r.text_found) for r in textual), len(textual)),
        "refusal_of_unanswerable": _rate(sum(r.refused for r in unanswerable), len(unanswerable)),
        "answerable_not_refused": _rate(sum(not r.refused and r.error is None for r in answerable), len(answerable)),
        "citation_precision": _rate(sum(bool(r.citations_valid) for r in answered), len(answered)),
        "ungrounded": sum(bool(r.ungrounded) for r in results),
        "retrieval_recall": _rate(sum(bool(r.evidence_retrieved) for r in answerable), len(answerable)),
        "errors": sum(r.error is not None for r in results),
        "latency_p50_ms": _percentile(latencies, 50),
        "latency_p95_ms": _percentile(latencies, 95),
        "by_category": {name: _group(group) for name, group in sorted(by_category.items())},
        "by_lang": {name: _group(group) for name, group in sorted(by_lang.items())},
        "risk_coverage": risk_coverage(results),
        "risk_coverage_area": risk_coverage_area(results),
    }


def _outcomes(results: list[ItemResult]) -> dict[str, Any]:
    """Counts of correct / refused / wrong, the wrong rate (wrong ÷ answered) and coverage (answered ÷ all)."""
    counts = {name: sum(r.outcome == name for r in results) for name in ("correct", "refused", "wrong")}
    answered = counts["correct"] + counts["wrong"]
    return {**counts, "answered": answered, "wrong_rate": _rate(counts["wrong"], answered) if answered else 0.0,
            "coverage": _rate(answered, len(results))}


def _by_confidence(results: list[ItemResult]) -> list[ItemResult] | None:
    answered = [r for r in results if r.answered]
    if not answered or any(r.confidence is None for r in answered):
        return None  # the engine gave no confidence: there is no curve to draw
    return sorted(answered, key=lambda r: -float(r.confidence))


def _wrong_so_far(ranked: list[ItemResult]) -> list[int]:
    """How many of the first 1, 2, … answers (most confident first) are wrong."""
    counts, wrong = [], 0
    for result in ranked:
        wrong += result.outcome == "wrong"
        counts.append(wrong)
    return counts


def risk_coverage(results: list[ItemResult]) -> list[dict[str, float]] | None:
    """Wrong rate against coverage as the confidence threshold moves down through the answered items
    (items refused outright stay refused at every threshold)."""
    ranked = _by_confidence(results)
    if ranked is None:
        return None
    points = []
    for index, (result, wrong) in enumerate(zip(ranked, _wrong_so_far(ranked)), 1):
        last = index == len(ranked) or float(ranked[index].confidence) != float(result.confidence)
        if last:  # ties move together
            points.append({"threshold": float(result.confidence), "coverage": index / len(results),
                           "wrong_rate": wrong / index, "correct": index - wrong, "wrong": wrong})
    return points


def risk_coverage_area(results: list[ItemResult]) -> float | None:
    """Area under the risk–coverage curve (mean wrong rate over the answered prefixes; lower is better)."""
    ranked = _by_confidence(results)
    if ranked is None:
        return None
    return sum(wrong / index for index, wrong in enumerate(_wrong_so_far(ranked), 1)) / len(results)


def _group(results: list[ItemResult]) -> dict[str, Any]:
    numeric = [r for r in results if r.category in NUMERIC_CATEGORIES]
    return {
        "items": len(results),
        "passed": sum(r.passed for r in results),
        **_outcomes(results),
        "pass_rate": _rate(sum(r.passed for r in results), len(results)),
        "numeric_accuracy": _rate(sum(bool(r.value_correct) for r in numeric), len(numeric)),
    }


def source_reader(root: Path, corpus: Path) -> SourceReader:
    """Resolve a citation's `source` against the repository root or the corpus folder; read it as UTF-8."""
    cache: dict[str, str | None] = {}

    def read(source: str) -> str | None:
        if source not in cache:
            path = Path(source)
            tries = [path, root / path, corpus / path, corpus / path.name]
            found = next((p for p in tries if p.is_file()), None)
            # Decoded exactly as the loader does (no newline translation), so offsets agree.
            cache[source] = found.read_bytes().decode("utf-8-sig") if found else None
        return cache[source]

    return read
