"""A period written for a reader, in the answer's language: "Juni 2023", "Q1 2024", "saat ini (4 Desember 2023)"."""

from __future__ import annotations

from assistant.periods import Period

_MONTH_NAMES_ID = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                   "September", "Oktober", "November", "Desember"]
_MONTH_NAMES_EN = ["", "January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December"]


def month_name(month: int, language: str) -> str:
    return (_MONTH_NAMES_ID if language == "id" else _MONTH_NAMES_EN)[month]


def describe(period: Period, language: str) -> str:
    """A period written for a reader: 'Juni 2023', 'the first quarter of 2024', 'saat ini (4 Desember 2023)'."""
    if period.kind == "current":
        if period.end is None:
            return "saat ini" if language == "id" else "currently"
        day = f"{period.end.day} {month_name(period.end.month, language)} {period.end.year}"
        return f"saat ini ({day})" if language == "id" else f"currently (as of {day})"
    if period.kind in ("month", "date") and period.end:
        return f"{month_name(period.end.month, language)} {period.end.year}"
    if period.kind == "quarter" and period.end:
        quarter = (period.end.month - 1) // 3 + 1
        return f"kuartal {'I II III IV'.split()[quarter - 1]} {period.end.year}" if language == "id" \
            else f"Q{quarter} {period.end.year}"
    if period.kind == "half" and period.end:
        half = 1 if period.end.month <= 6 else 2
        return f"semester {'I' if half == 1 else 'II'} {period.end.year}" if language == "id" \
            else f"H{half} {period.end.year}"
    if period.kind == "year" and period.end:
        return str(period.end.year)
    if period.kind == "since" and period.start:
        return "sejak awal pandemi" if language == "id" else "since the start of the pandemic"
    if period.kind in ("span", "ytd") and period.start and period.end:
        first = f"{month_name(period.start.month, language)} {period.start.year}"
        last = f"{month_name(period.end.month, language)} {period.end.year}"
        return f"{first} – {last}"
    return period.label
