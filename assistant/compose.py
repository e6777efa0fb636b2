"""Composing answers in the question's language: the figure in bold, its period, [n] markers."""

from __future__ import annotations

from decimal import Decimal

from assistant.compute import Computation
from assistant.figures import Figure
from assistant.numbers import format_number, format_plain
from assistant.period_text import describe, month_name
from assistant.periods import Period

_CURRENCY_PREFIX = {"IDR": "Rp", "USD": "US$", "EUR": "€", "SGD": "S$"}
# Counted things named by an Indonesian acronym, as an English answer names them (the `unit` field keeps
# the document's own word).
_ENGLISH_UNITS = {"UMKM": "MSMEs", "UMK": "MSEs", "UKM": "SMEs"}


def format_quantity(value: Decimal, unit: str | None, language: str, places: int = 2) -> str:
    """22,8 juta UMKM / 22.8 million UMKM / 35,5 persen / 35.5% / Rp15.300 per kg / US$2.02 billion."""
    unit = unit or ""
    base, _, per = unit.partition("/")
    if base in _CURRENCY_PREFIX:
        text = f"{_CURRENCY_PREFIX[base]}{format_number(value, language, places)}"
        return f"{text} per {per}" if per else text
    number = format_number(value, language, places)
    if language == "en":
        unit = _ENGLISH_UNITS.get(unit, unit)
    if base == "%":
        return f"{number} persen" if language == "id" else f"{number}%"
    if base == "pp":
        return f"{number} poin persentase" if language == "id" else f"{number} percentage points"
    if base == "bps":
        return f"{number} basis poin" if language == "id" else f"{number} basis points"
    return f"{number} {unit}".strip()


def _period_phrase(period: Period | None, language: str) -> str:
    if period is None:
        return ""
    if period.kind == "current" and period.end is not None:
        day = f"{period.end.day} {month_name(period.end.month, language)} {period.end.year}"
        return f"per {day}, saat ini" if language == "id" else f"as of {day}, the publication date"
    text = describe(period, language)
    if period.kind in ("month", "quarter", "half", "date"):
        return f"per {text}" if language == "id" else f"as of {text}"
    if period.kind == "year":
        return f"pada {text}" if language == "id" else f"in {text}"
    return text


_LEADS = {
    "id": {"target": "Targetnya", "increase": "Bertambah", "decrease": "Berkurang", "remaining": "Yang masih perlu dicapai",
           "share": "Porsinya", "actual": "Jumlahnya", None: "Angkanya"},
    "en": {"target": "The target is", "increase": "An increase of", "decrease": "A decrease of",
           "remaining": "Still to be reached:", "share": "The share is", "actual": "The figure is",
           None: "The figure is"},
}


def lookup_answer(figure: Figure, citation: int, language: str, quote: str) -> str:
    approx = ("sekitar " if language == "id" else "about ") if figure.approximate else ""
    unit = "%" if figure.unit == "%" else figure.unit
    amount = format_quantity(figure.value, unit, language)
    lead = _LEADS[language].get(figure.role, _LEADS[language][None])
    if figure.role == "actual" and figure.unit and figure.unit not in ("%", "pp", "bps"):
        lead = "Jumlahnya" if language == "id" else "The figure is"
    period = _period_phrase(figure.period, language)
    line = f"{lead} {approx}**{amount}**" + (f" {period}" if period else "") + f" [{citation}]."
    return f"{line}\n\n> {quote} [{citation}]"


def disagreement(figure: Figure, citation: int, title: str, language: str, quote: str) -> str:
    """Another document's different figure for the same thing and period."""
    amount = format_quantity(figure.value, figure.unit, language)
    if language == "id":
        line = f"Namun dokumen lain (“{title}”) menyebut angka berbeda: **{amount}** [{citation}]."
    else:
        line = f"However, another document (“{title}”) gives a different figure: **{amount}** [{citation}]."
    return f"{line}\n\n> {quote} [{citation}]"


_OPERATION_LEADS = {
    "id": {"difference": "Selisihnya", "share_of": "Yang sudah tercapai", "remaining_share": "Yang belum tercapai", "decline_rate": "Penurunannya", "derived_level": "Tidak disebut langsung; dihitung dari dokumen:", "sum": "Jumlahnya", "target_gap": "Kekurangan dari target", "growth_rate": "Pertumbuhannya",
           "pace": "Rata-ratanya", "ratio": "Rasionya"},
    "en": {"difference": "The difference is", "share_of": "Share reached:", "remaining_share": "Still to reach:", "decline_rate": "The decline is", "derived_level": "Not stated directly; derived from the documents:", "sum": "The total is", "target_gap": "Short of the target by", "growth_rate": "The growth rate is",
           "pace": "The average pace is", "ratio": "The ratio is"},
}


def calculation_answer(computation: Computation, operands: list[tuple[Figure, int, str]], unit: str | None,
                       language: str, pace_unit: str = "month") -> tuple[str, str]:
    """The answer text and the displayed formula. `operands` are (figure, citation, label)."""
    markers = "".join(f"[{c}]" for c in sorted({c for _, c, _ in operands}))
    op = computation.operation
    written = [format_number(f.value, language) for f, _, _ in operands]
    minus, times, divide = "−", "×", "÷"
    if op in ("share_of", "growth_rate", "remaining_share", "decline_rate"):
        result_text = format_quantity(computation.result, "%", language)
    elif op == "ratio":
        result_text = format_plain(computation.result, language) + ("×" if language == "en" else " kali")
    else:
        result_text = format_quantity(computation.result, unit, language)
        if op == "pace":
            per = {"id": {"month": "per bulan", "year": "per tahun"}, "en": {"month": "per month", "year": "per year"}}
            result_text = f"{result_text} {per[language][pace_unit]}"
    if op in ("difference", "derived_level", "target_gap"):
        formula = f"{written[0]} {minus} {written[1]}"
    elif op == "sum":
        formula = " + ".join(written)
    elif op == "share_of":
        formula = f"{written[0]} {divide} {written[1]} {times} 100"
    elif op == "decline_rate":
        formula = f"({written[1]} {minus} {written[0]}) {divide} {written[1]} {times} 100"
    elif op in ("growth_rate", "remaining_share"):
        formula = f"({written[0]} {minus} {written[1]}) {divide} {written[1]} {times} 100"
    elif op == "pace":
        span = {"id": {"month": "bulan", "year": "tahun"}, "en": {"month": "months", "year": "years"}}[language]
        if len(written) == 2:
            formula = f"({written[0]} {minus} {written[1]}) {divide} {computation.divisor} {span[pace_unit]}"
        else:
            formula = f"{written[0]} {divide} {computation.divisor} {span[pace_unit]}"
    else:
        formula = f"{written[0]} {divide} {written[1]}"
    lead = _OPERATION_LEADS[language][op]
    rounded = ""
    if computation.exact != computation.result:
        rounded = " (dibulatkan)" if language == "id" else " (rounded)"
    lines = [f"{lead} **{result_text}**{rounded} {markers}.", "", f"{formula} = {result_text} {markers}", ""]
    for figure, citation, label in operands:
        approx = ("sekitar " if language == "id" else "about ") if figure.approximate else ""
        period = _period_phrase(figure.period, language)
        lines.append(f"- {label}: {approx}{format_quantity(figure.value, figure.unit, language)}"
                     + (f" ({period})" if period else "") + f" [{citation}]")
    return "\n".join(lines), f"{formula} = {result_text}"


def non_numeric_answer(quotes: list[tuple[str, int]], language: str) -> str:
    lead = "Menurut dokumen:" if language == "id" else "According to the documents (quoted as written):"
    lines = [lead, ""]
    for quote, citation in quotes:
        lines.append(f"> {quote} [{citation}]")
        lines.append("")
    return "\n".join(lines).strip()


_REFUSAL = {
    "id": {"lead": "Dokumen tidak memuat jawaban untuk pertanyaan ini.", "missing": "Tidak ada keterangan tentang {}.",
           "period": "Tidak ada angka untuk {}.", "covered": "Dokumen memberikan angka untuk {}.", "and": "dan",
           "period_other": "Angka yang ada untuk {} bukan untuk hal yang ditanyakan (seri atau satuan lain).",
           "covered_other": "Untuk periode lain, dokumen memberikan angka untuk {}.",
           "weak": "Bukti yang ditemukan terlalu lemah untuk menjawab dengan angka yang dapat dikutip.",
           "titles": "Dokumen yang tersedia: {}."},
    "en": {"lead": "The documents do not answer this question.", "missing": "They say nothing about {}.",
           "period": "They give no figure for {}.", "covered": "They give figures for {}.", "and": "and",
           "period_other": "The figures they give for {} are not for what was asked (another series or unit).",
           "covered_other": "For other periods they give figures for {}.",
           "weak": "The evidence found is too weak to answer with a figure that can be cited.",
           "titles": "Documents available: {}."},
}


_UNCERTAIN = {
    "id": "Jawaban yang paling mungkin tidak cukup pasti untuk dikutip (keyakinan {confidence}), jadi tidak "
          "diberikan. Bagian yang paling dekat dengan pertanyaan ada di “{title}”{date}.",
    "en": "The likeliest answer is not certain enough to quote (confidence {confidence}), so none is given. The "
          "passage closest to the question is in “{title}”{date}.",
}


_FIGURE_WITHHELD = {
    "calculation": {
        "id": "Pertanyaan ini tampaknya meminta hasil perhitungan (selisih, porsi, rata-rata, atau perubahan) yang "
              "tidak dapat dihitung dari dokumen, jadi tidak ada angka yang dikutip. Bagian yang paling dekat dengan "
              "pertanyaan ada di “{title}”{date}.",
        "en": "This question seems to ask for a calculation (a difference, share, average or change) that could not "
              "be worked out from the documents, so no number is quoted. The passage closest to the question is in "
              "“{title}”{date}.",
    },
    "text": {
        "id": "Pertanyaan ini tampaknya meminta keterangan dengan kata-kata (siapa, di mana, apa), bukan angka, jadi "
              "angka yang ditemukan tidak dikutip. Bagian yang paling dekat dengan pertanyaan ada di “{title}”{date}.",
        "en": "This question seems to ask for an answer in words (who, where, what), not a number, so the number "
              "found is not quoted. The passage closest to the question is in “{title}”{date}.",
    },
}


def figure_withheld(language: str, asked: str, title: str, published: str | None) -> str:
    """A withheld stated figure: the question reads as `asked` ("calculation" or "text"), and one stated number is
    not its answer."""
    date_text = f" ({published})" if published else ""
    return _FIGURE_WITHHELD[asked][language].format(title=title, date=date_text)


def uncertain(language: str, confidence: float, title: str, published: str | None) -> str:
    """A withheld answer: the engine found a candidate but does not trust it enough to cite a number."""
    date_text = f" ({published})" if published else ""
    return _UNCERTAIN[language].format(confidence=f"{confidence:.0%}", title=title, date=date_text)


def refusal(language: str, missing_terms: tuple[str, ...], period: Period | None, covered: list[Period],
            titles: list[str], weak: bool) -> str:
    """'Not in the documents', naming what is missing and what the documents do cover.

    The covered periods never include the one asked: when the documents do give figures for it (of
    another series or unit), the refusal says so instead of both "no figure for" and "figures for" it."""
    words = _REFUSAL[language]
    parts = [words["lead"]]
    if missing_terms:
        parts.append(words["missing"].format(", ".join(f"“{_term_in(t, language)}”" for t in missing_terms)))
    asked = describe(period, language) if period is not None else None
    shown = list(dict.fromkeys(describe(p, language) for p in covered))
    others = [text for text in shown if text != asked]
    if period is not None:
        parts.append(words["period_other" if len(others) < len(shown) else "period"].format(asked))
    if others:
        key = "covered_other" if len(others) < len(shown) else "covered"
        parts.append(words[key].format(_join(others, words["and"])))
    if weak and not missing_terms and period is None:
        parts.append(words["weak"])
    if titles:
        parts.append(words["titles"].format("; ".join(f"“{t}”" for t in titles)))
    return " ".join(parts)


def _term_in(term: str, language: str) -> str:
    """A missing term in the refusal's language ("inflation" in an Indonesian refusal is "inflasi")."""
    from assistant.lexicon import ENGLISH_TO_INDONESIAN, INDONESIAN_TO_ENGLISH

    table = ENGLISH_TO_INDONESIAN if language == "id" else INDONESIAN_TO_ENGLISH
    other = ENGLISH_TO_INDONESIAN if language == "en" else INDONESIAN_TO_ENGLISH
    lowered = term.lower()
    if lowered in table and lowered not in other:
        return table[lowered][0]
    return term


def _join(items: list[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
