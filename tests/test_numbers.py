"""Numbers in the Indonesian and English conventions: parse, scale words, format, round trips."""

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assistant.numbers import (
    NumberParseError,
    format_number,
    format_plain,
    parse_number,
    round_sensibly,
    scale_of,
    to_json_number,
)


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("22,8", "id", Decimal("22.8")),
        ("1.234,56", "id", Decimal("1234.56")),
        ("4.500", "id", Decimal("4500")),
        ("3.50", "id", Decimal("3.5")),  # "US$3.50" inside Indonesian text: the English fallback
        ("1,234.5", "en", Decimal("1234.5")),
        ("1.234,56", "en", Decimal("1234.56")),  # unambiguous Indonesian grouping wins in English text too
        ("1,234,567.8", "id", Decimal("1234567.8")),  # unambiguous English grouping wins in Indonesian text
        ("12.345", "id", Decimal("12345")),
        ("2024", "en", Decimal("2024")),
        ("  35,5 ", "id", Decimal("35.5")),
        ("0,8", "id", Decimal("0.8")),
        ("3.05", "en", Decimal("3.05")),
    ],
)
def test_parse_number_in_both_conventions(text, language, expected):
    assert parse_number(text, language) == expected


def test_ambiguous_lone_separator_reads_by_document_language():
    assert parse_number("12.345", "id") == Decimal("12345")
    assert parse_number("12.345", "en") == Decimal("12.345")
    assert parse_number("1,250", "en") == Decimal("1250")
    assert parse_number("1,250", "id") == Decimal("1.25")  # "1,250 juta" in Indonesian is 1.25 million


@pytest.mark.parametrize("text", ["", "   ", "abc", "1,2,3,4", "12..5"])
def test_parse_number_rejects_non_numbers(text):
    with pytest.raises(NumberParseError):
        parse_number(text, "id")


@pytest.mark.parametrize(
    "word, factor",
    [("ribu", 10**3), ("thousand", 10**3), ("juta", 10**6), ("Juta", 10**6), ("million", 10**6),
     ("miliar", 10**9), ("milyar", 10**9), ("billion", 10**9), ("triliun", 10**12), ("trillion", 10**12),
     (None, 1), ("", 1), ("persen", 1)],
)
def test_scale_words(word, factor):
    assert scale_of(word) == Decimal(factor)


@pytest.mark.parametrize(
    "value, language, expected",
    [
        (Decimal("22800000"), "id", "22,8 juta"),
        (Decimal("22800000"), "en", "22.8 million"),
        (3000000, "id", "3 juta"),
        (3000000, "en", "3 million"),
        (Decimal("4500"), "id", "4.500"),
        (Decimal("4500"), "en", "4,500"),
        (Decimal("4.5e15"), "id", "4.500 triliun"),
        (Decimal("8.2e10"), "en", "82 billion"),
        (Decimal("35.5"), "id", "35,5"),
        (Decimal("1234.5"), "en", "1,234.5"),
        (Decimal("3.00"), "en", "3"),
    ],
)
def test_format_number(value, language, expected):
    assert format_number(value, language) == expected


def test_round_sensibly_keeps_integers_plain():
    assert str(round_sensibly(Decimal("3000000"))) == "3000000"
    assert round_sensibly(Decimal("555555.5555"), 0) == Decimal("555556")
    assert round_sensibly(Decimal("3.6363"), 2) == Decimal("3.64")


def test_to_json_number():
    assert to_json_number(Decimal("22800000.0")) == 22800000 and isinstance(to_json_number(Decimal("3.0")), int)
    assert to_json_number(Decimal("35.5")) == 35.5


def _read_back(written: str, language: str) -> Decimal:
    """Parse a formatted number back: the numeral times its scale word, if any."""
    numeral, _, word = written.partition(" ")
    return parse_number(numeral, language) * scale_of(word or None)


two_decimals = st.decimals(min_value=0, max_value=10**6 - 1, places=2, allow_nan=False, allow_infinity=False)
# Values a scale word carries with at most two decimals: 22,8 juta, 4.500 triliun, 82 miliar.
scaled_two_decimals = st.tuples(
    st.integers(min_value=100, max_value=999_99), st.sampled_from([10**6, 10**9, 10**12])
).map(lambda pair: Decimal(pair[0]) * pair[1] / 100)


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(two_decimals, st.integers(min_value=0, max_value=999_999).map(Decimal), scaled_two_decimals),
       language=st.sampled_from(["id", "en"]))
@example(value=Decimal("22800000"), language="id")
@example(value=Decimal("4.5e15"), language="id")
def test_format_number_reads_back_exactly(value, language):
    assert _read_back(format_number(value, language), language) == value


@settings(max_examples=200, deadline=None)
@example(value=Decimal("1001000"), language="id")
@example(value=Decimal("1250000"), language="id")
@given(value=st.integers(min_value=1000, max_value=999_999).map(lambda n: Decimal(n) * 1000),
       language=st.sampled_from(["id", "en"]))
def test_format_number_reads_back_with_three_scaled_decimals(value, language):
    assert _read_back(format_number(value, language), language) == value


@settings(max_examples=300, deadline=None)
@example(value=Decimal("1000000.01"), language="id")
@example(value=Decimal("1000010000"), language="en")
@given(
    value=st.one_of(
        st.integers(min_value=0, max_value=10**15).map(Decimal),
        st.decimals(min_value=0, max_value=10**13, places=2, allow_nan=False, allow_infinity=False),
    ),
    language=st.sampled_from(["id", "en"]),
)
def test_format_number_reads_back_exactly_for_any_two_decimal_value(value, language):
    assert _read_back(format_number(value, language), language) == value


@settings(max_examples=300, deadline=None)
@given(
    value=st.one_of(
        st.integers(min_value=-(10**15), max_value=10**15).map(Decimal),
        st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    ),
    language=st.sampled_from(["id", "en"]),
)
def test_format_plain_round_trip(value, language):
    written = format_plain(value, language)
    assert " " not in written
    assert parse_number(written.replace("-", "").replace("\u2212", ""), language) == abs(value)
