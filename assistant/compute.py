"""Arithmetic over cited figures, in exact decimals. Every operand is a figure with a citation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assistant.numbers import round_sensibly


@dataclass(frozen=True)
class Computation:
    operation: str  # difference | share_of | growth_rate | pace | ratio
    operands: tuple[Decimal, ...]
    result: Decimal  # rounded sensibly: percentages to 2 decimals, counts to 2
    exact: Decimal
    symbol_expression: str  # "30000000 - 27000000"
    divisor: int | None = None  # months or years, for a pace


def difference(later: Decimal, earlier: Decimal) -> Computation:
    exact = later - earlier
    return Computation("difference", (later, earlier), round_sensibly(exact), exact, f"{_plain(later)} - {_plain(earlier)}")


def target_gap(target: Decimal, reached: Decimal) -> Computation:
    """How far a realisation is from its target (target minus realisation, or the excess if past it)."""
    exact = target - reached
    return Computation("target_gap", (target, reached), round_sensibly(exact), exact,
                       f"{_plain(target)} - {_plain(reached)}")


def derived_level(later: Decimal, change: Decimal) -> Computation:
    """A level before a stated change: the later level minus the change since then."""
    exact = later - change
    return Computation("derived_level", (later, change), round_sensibly(exact), exact,
                       f"{_plain(later)} - {_plain(change)}")


def total(values: list[Decimal]) -> Computation:
    """The sum of several cited figures."""
    exact = sum(values, Decimal(0))
    return Computation("sum", tuple(values), round_sensibly(exact), exact, " + ".join(_plain(v) for v in values))


def share_of(part: Decimal, whole: Decimal) -> Computation:
    if whole == 0:
        raise ZeroDivisionError("the whole is zero")
    exact = part / whole * 100
    return Computation("share_of", (part, whole), round_sensibly(exact, 2), exact,
                       f"{_plain(part)} / {_plain(whole)} * 100")


def _percent_change(operation: str, minuend: Decimal, subtrahend: Decimal, base: Decimal) -> Computation:
    """(minuend − subtrahend) / base × 100, rounded to two decimals."""
    if base == 0:
        raise ZeroDivisionError("the base of the percentage is zero")
    exact = (minuend - subtrahend) / base * 100
    return Computation(operation, (minuend, subtrahend), round_sensibly(exact, 2), exact,
                       f"({_plain(minuend)} - {_plain(subtrahend)}) / {_plain(base)} * 100")


def decline_rate(later: Decimal, earlier: Decimal) -> Computation:
    """How far a value fell, in percent of where it started (positive for a fall)."""
    return _percent_change("decline_rate", earlier, later, earlier)


def remaining_share(target: Decimal, reached: Decimal) -> Computation:
    """The part of a target not yet reached, in percent of the target."""
    return _percent_change("remaining_share", target, reached, target)


def growth_rate(later: Decimal, earlier: Decimal) -> Computation:
    return _percent_change("growth_rate", later, earlier, earlier)


def pace(later: Decimal, earlier: Decimal, periods: int) -> Computation:
    if periods <= 0:
        raise ZeroDivisionError("no time between the two figures")
    exact = (later - earlier) / periods
    return Computation("pace", (later, earlier), _round_count(exact), exact,
                       f"({_plain(later)} - {_plain(earlier)}) / {periods}", divisor=periods)


def pace_of_change(change: Decimal, periods: int) -> Computation:
    if periods <= 0:
        raise ZeroDivisionError("no time span")
    exact = change / periods
    return Computation("pace", (change,), _round_count(exact), exact, f"{_plain(change)} / {periods}",
                       divisor=periods)


def ratio(numerator: Decimal, denominator: Decimal) -> Computation:
    if denominator == 0:
        raise ZeroDivisionError("the denominator is zero")
    exact = numerator / denominator
    return Computation("ratio", (numerator, denominator), round_sensibly(exact, 2), exact,
                       f"{_plain(numerator)} / {_plain(denominator)}")


def _round_count(value: Decimal) -> Decimal:
    """Counts per period: whole units once they are large, two decimals when small."""
    return round_sensibly(value, 0 if abs(value) >= 100 else 2)


def _plain(value: Decimal) -> str:
    normal = value.normalize()
    return format(normal, "f")
