"""Numbers as written in Indonesian and English text: parse to exact decimals, format back.

Indonesian writes "1.234,56" (dot groups, comma decimal); English writes "1,234.56". Parsing uses
Babel's strict mode for the document's convention first and the other convention second, so
"US$3.50" inside Indonesian text still reads as 3.5 and "22,8 juta" as 22 800 000.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

SCALE_WORDS: dict[str, Decimal] = {
    "ribu": Decimal(10) ** 3,
    "rb": Decimal(10) ** 3,
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
    "juta": Decimal(10) ** 6,
    "jt": Decimal(10) ** 6,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "miliar": Decimal(10) ** 9,
    "milyar": Decimal(10) ** 9,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "triliun": Decimal(10) ** 12,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
}

# Scale words used when writing a value back, per language, largest first.
_WRITTEN_SCALES = {
    "id": [(Decimal(10) ** 12, "triliun"), (Decimal(10) ** 9, "miliar"), (Decimal(10) ** 6, "juta")],
    "en": [(Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")],
}

_LOCALES = {"id": "id", "en": "en"}
_PLAIN_DIGITS = re.compile(r"^\d+$")
# Shapes only one convention can have: two or more groups ("1.234.567") or a group and a decimal part
# ("1.234,5"). One separator before three digits ("12.345") is left to the document's language.
_GROUPED_ID = re.compile(r"^\d{1,3}((\.\d{3}){2,}(,\d+)?|\.\d{3},\d+)$")
_GROUPED_EN = re.compile(r"^\d{1,3}((,\d{3}){2,}(\.\d+)?|,\d{3}\.\d+)$")


class NumberParseError(ValueError):
    """The text is not a number in either convention."""


def parse_number(text: str, language: str = "id") -> Decimal:
    """Parse a numeral written in `language`'s convention, falling back to the other one.

    A lone separator followed by exactly three digits ("12.345") is read by the document's
    convention: thousands in Indonesian, a decimal in English.
    """
    text = text.strip()
    if not text:
        raise NumberParseError("empty number")
    if _PLAIN_DIGITS.match(text):
        return Decimal(text)
    if _GROUPED_ID.match(text):
        order = ["id", "en"]
    elif _GROUPED_EN.match(text):
        order = ["en", "id"]
    else:
        order = [language, "en" if language == "id" else "id"]
    for lang in order:
        try:
            return parse_decimal(text, locale=_LOCALES[lang], strict=True)
        except NumberFormatError:
            continue
    raise NumberParseError(f"not a number in either convention: {text!r}")


def scale_of(word: str | None) -> Decimal:
    if not word:
        return Decimal(1)
    return SCALE_WORDS.get(word.lower(), Decimal(1))


def round_sensibly(value: Decimal, places: int = 2) -> Decimal:
    """Round to at most `places` decimals and drop trailing zeros."""
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    normal = rounded.normalize()
    # normalize() turns 3000000 into 3E+6; keep plain integers plain.
    if normal == normal.to_integral_value():
        return normal.quantize(Decimal(1))
    return normal


def format_plain(value: Decimal, language: str, places: int = 2) -> str:
    """A number in the language's convention without a scale word: 1.234,5 / 1,234.5."""
    value = round_sensibly(Decimal(value), places)
    pattern = "#,##0." + "#" * places if places > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=_LOCALES[language])


def format_number(value: Decimal | int | float, language: str, places: int = 2) -> str:
    """Write a value the way a reader of `language` expects: 22,8 juta / 22.8 million / 4.500."""
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    magnitude = abs(value)
    for size, word in _WRITTEN_SCALES[language]:
        if magnitude >= size:
            scaled = value / size
            # Keep enough precision that the written value reads back exactly when it can.
            for digits in range(places, 7):
                if round_sensibly(scaled, digits) * size == value:
                    return f"{format_plain(scaled, language, digits)} {word}"
            break  # no short scaled form reads back exactly: write the whole number
    return format_plain(value, language, places)


def to_json_number(value: Decimal) -> int | float:
    """A Decimal as the JSON contract wants it: int when whole, else float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
