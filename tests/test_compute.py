"""Arithmetic in exact decimals."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import compute

M = Decimal(10) ** 6


def test_difference_is_exact():
    calc = compute.difference(30 * M, 27 * M)
    assert calc.result == Decimal(3_000_000) and calc.exact == Decimal(3_000_000)
    assert calc.operation == "difference" and calc.operands == (30 * M, 27 * M)
    assert calc.symbol_expression == "30000000 - 27000000"


def test_difference_of_decimal_figures_has_no_float_error():
    calc = compute.difference(Decimal("22.8") * M, Decimal("22") * M)
    assert calc.result == Decimal(800_000)
    assert compute.difference(Decimal("0.3"), Decimal("0.1")).result == Decimal("0.2")


def test_share_of_target():
    calc = compute.share_of(27 * M, 30 * M)
    assert calc.result == Decimal(90)
    assert calc.symbol_expression == "27000000 / 30000000 * 100"


def test_growth_rate_is_rounded_to_two_decimals():
    calc = compute.growth_rate(Decimal("22.8") * M, 22 * M)
    assert calc.result == Decimal("3.64")
    assert abs(calc.exact - Decimal("3.636363")) < Decimal("0.00001")


def test_pace_per_month_rounds_large_counts_to_whole_units():
    calc = compute.pace_of_change(5 * M, 9)
    assert calc.result == Decimal(555_556) and calc.divisor == 9
    between = compute.pace(27 * M, 22 * M, 9)
    assert between.result == Decimal(555_556) and between.operands == (27 * M, 22 * M)


def test_small_pace_keeps_two_decimals():
    assert compute.pace_of_change(Decimal(10), 3).result == Decimal("3.33")


def test_remaining_share_and_decline_rate():
    assert compute.remaining_share(30 * M, 27 * M).result == Decimal(10)
    assert compute.decline_rate(Decimal("20.52"), Decimal("22.32")).result == Decimal("8.06")


def test_ratio():
    assert compute.ratio(30 * M, 20 * M).result == Decimal("1.5")


@pytest.mark.parametrize(
    "call",
    [
        lambda: compute.share_of(Decimal(5), Decimal(0)),
        lambda: compute.growth_rate(Decimal(5), Decimal(0)),
        lambda: compute.decline_rate(Decimal(5), Decimal(0)),
        lambda: compute.remaining_share(Decimal(0), Decimal(5)),
        lambda: compute.ratio(Decimal(5), Decimal(0)),
        lambda: compute.pace(Decimal(5), Decimal(1), 0),
        lambda: compute.pace_of_change(Decimal(5), -1),
    ],
)
def test_division_by_zero_raises(call):
    with pytest.raises(ZeroDivisionError):
        call()


amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(later=amounts, earlier=amounts)
def test_difference_expression_evaluates_to_its_result(later, earlier):
    calc = compute.difference(later, earlier)
    left, right = calc.symbol_expression.split(" - ")
    assert Decimal(left) - Decimal(right) == calc.exact == later - earlier
