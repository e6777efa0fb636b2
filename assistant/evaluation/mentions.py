"""Number mentions in free text, read in both conventions, for grounding checks.

Written independently of `assistant.numbers` on purpose: the evaluator must not share the
parser of the system it evaluates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal

SCALES: dict[str, Decimal] = {
    "ribu": Decimal(10) ** 3, "rb": Decimal(10) ** 3, "thousand": Decimal(10) ** 3,
    "juta": Decimal(10) ** 6, "jt": Decimal(10) ** 6, "million": Decimal(10) ** 6,
    "miliar": Decimal(10) ** 9, "milyar": Decimal(10) ** 9, "billion": Decimal(10) ** 9,
    "triliun": Decimal(10) ** 12, "trillion": Decimal(10) ** 12,
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SCALE_AFTER = re.compile(r"\s*(" + "|".join(SCALES) + r")\b", re.IGNORECASE)
_CITATION_MARKER = re.compile(r"\[\d+\]")
# Period labels an answer may write for a period the quote names in words ("first quarter" → "Q1").
_PERIOD_LABEL = re.compile(r"\b[QHS][1-4]\b")


@dataclass(frozen=True)
class Reading:
    """One possible value of a number as written: `value` in base units, `resolution` its last shown digit."""

    text: str
    value: Decimal
    resolution: Decimal


def _readings_of(token: str, scale: Decimal, text: str) -> list[Reading]:
    readings: list[Reading] = []
    seen: set[Decimal] = set()
    for locale, decimal_mark in (("id", ","), ("en", ".")):
        try:
            number = parse_decimal(token, locale=locale, strict=True)
        except (NumberFormatError, InvalidOperation):
            continue
        if number in seen:
            continue
        seen.add(number)
        decimals = len(token.rsplit(decimal_mark, 1)[1]) if decimal_mark in token and token.count(decimal_mark) == 1 else 0
        readings.append(Reading(text, number * scale, Decimal(10) ** -decimals * scale))
    return readings


def number_mentions(text: str) -> list[list[Reading]]:
    """Every number in `text` (citation markers removed), each as its list of possible readings."""
    cleaned = _PERIOD_LABEL.sub(" ", _CITATION_MARKER.sub(" ", text))
    mentions = []
    for match in _NUMBER.finditer(cleaned):
        scale_match = _SCALE_AFTER.match(cleaned, match.end())
        scale = SCALES[scale_match.group(1).lower()] if scale_match else Decimal(1)
        written = cleaned[match.start() : scale_match.end() if scale_match else match.end()]
        readings = _readings_of(match.group(), scale, written)
        if readings:
            mentions.append(readings)
    return mentions


def values_in(text: str) -> set[Decimal]:
    """Every reading of every number in `text`, scaled."""
    return {reading.value for mention in number_mentions(text) for reading in mention}


def is_supported(reading: Reading, candidates: set[Decimal]) -> bool:
    """True when some candidate, rounded to the digits the reading shows, equals it."""
    half_step = reading.resolution / 2
    return any(abs(reading.value - candidate) <= half_step * Decimal("1.000001") for candidate in candidates)


def unsupported_numbers(answer_text: str, candidates: set[Decimal]) -> list[str]:
    """Numbers written in the answer that no candidate value supports (in any reading).

    Written numbers carry no sign ("turun 1,29 miliar"), so candidates count by magnitude.
    """
    candidates = {abs(candidate) for candidate in candidates}
    return [
        mention[0].text
        for mention in number_mentions(answer_text)
        if not any(is_supported(reading, candidates) for reading in mention)
    ]


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
