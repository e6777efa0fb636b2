"""Verification: every number in an answer equals a cited figure or the shown calculation.

Quoted evidence lines (`> “…” [n]`) must be the exact text of their citation; the numbers elsewhere are
extracted with the same recogniser as the documents' figures, normalised to base units and compared.
A cited document's title, publisher or date named in the text (“Paket Kebijakan Jilid 7”) labels a
source; it is not a claim, so its numbers are not checked.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.answer import Answer
from assistant.figures import FIGURE_PATTERN, is_quantity
from assistant.numbers import NumberParseError, parse_number, scale_of

_QUOTE_LINE = re.compile(r"^>\s*(?P<quote>.*?)\s*(?P<markers>(?:\[\d+\])+)\s*$")
_MARKER = re.compile(r"\[\d+\]")


def numbers_in(text: str, language: str) -> list[tuple[str, Decimal]]:
    """(text as written, value in base units) for every quantity in `text`."""
    found = []
    for match in FIGURE_PATTERN.finditer(text):
        if not is_quantity(text, match):
            continue
        try:
            value = parse_number(match.group("num"), language) * scale_of(match.group("scale"))
        except NumberParseError:
            continue
        found.append((match.group(0).strip(), value))
    return found


def _close(a: Decimal, b: Decimal) -> bool:
    if a == b:
        return True
    return abs(a - b) <= abs(b) * Decimal("1e-9")


def _without_source_labels(line: str, answer: Answer) -> str:
    """`line` with the quoted titles and publishers and the dates of the answer's citations blanked."""
    for citation in answer.citations:
        for label in (citation.title, citation.publisher):
            if label:
                for quoted in (f"“{label}”", f'"{label}"', f"‘{label}’"):
                    line = line.replace(quoted, " ")
        if citation.date:
            line = line.replace(citation.date, " ")
    return line


def unverified_numbers(answer: Answer) -> list[str]:
    """The numbers in `answer.answer` that no citation or calculation supports (empty when grounded)."""
    quotes = {c.n: c.quote for c in answer.citations}
    allowed: list[Decimal] = [Decimal(str(f.value)) for f in answer.figures]
    if answer.calculation is not None:
        allowed.append(Decimal(str(answer.calculation.result)))
        allowed += [Decimal(str(o.value)) for o in answer.calculation.operands]
        allowed += [value for _, value in numbers_in(answer.calculation.expression.replace("*", "×"), "en")]
    problems: list[str] = []
    for line in answer.answer.splitlines():
        quoted = _QUOTE_LINE.match(line.strip())
        if quoted:
            numbers = [int(n) for n in re.findall(r"\d+", quoted.group("markers"))]
            if not any(quotes.get(n) == quoted.group("quote") for n in numbers):
                problems.append(f"quote not found in citation {numbers}: {quoted.group('quote')[:60]}")
            continue
        for written, value in numbers_in(_MARKER.sub(" ", _without_source_labels(line, answer)), answer.language):
            if not any(_close(value, ok) for ok in allowed):
                problems.append(written)
    return problems


def is_grounded(answer: Answer) -> bool:
    return not unverified_numbers(answer)
