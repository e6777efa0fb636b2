"""The typed Answer and its JSON contract (DESIGN.md: `assistant ask --json`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    n: int
    source: str
    title: str
    date: str | None
    quote: str
    start: int
    end: int
    publisher: str | None = None
    url: str | None = None
    highlight: tuple[tuple[int, int], ...] = ()  # spans of cited figures inside `quote`

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "source": self.source,
            "title": self.title,
            "date": self.date,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "publisher": self.publisher,
            "url": self.url,
            "highlight": [list(span) for span in self.highlight],
        }


@dataclass(frozen=True)
class CitedFigure:
    value: float | int
    unit: str | None
    text: str
    period: str | None
    citation: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Operand:
    value: float | int
    citation: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Calculation:
    expression: str
    result: float | int
    operands: tuple[Operand, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "result": self.result,
            "operands": [o.to_dict() for o in self.operands],
        }


@dataclass(frozen=True)
class Answer:
    question: str
    language: str  # "id" | "en"
    answerable: bool
    answer: str  # markdown with [n] markers
    value: float | int | None = None
    unit: str | None = None
    figures: tuple[CitedFigure, ...] = ()
    calculation: Calculation | None = None
    citations: tuple[Citation, ...] = ()
    confidence: float | None = None  # calibrated probability that the answer is right; None for a refusal
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "language": self.language,
            "answerable": self.answerable,
            "answer": self.answer,
            "value": self.value,
            "unit": self.unit,
            "figures": [f.to_dict() for f in self.figures],
            "calculation": self.calculation.to_dict() if self.calculation else None,
            "citations": [c.to_dict() for c in self.citations],
            "confidence": self.confidence,
            "timings_ms": dict(self.timings_ms),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)
