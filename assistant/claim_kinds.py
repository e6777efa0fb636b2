"""Which kind of statement a number is: a level, a change (in its unit, in points, in percent), a share,
a target, a forecast, a rank or a count — read from the words around it in either language."""

from __future__ import annotations

import re

from assistant.claim_periods import COMPARED

KINDS = ("level", "change", "change_points", "growth_rate", "share", "target", "forecast", "rank", "count")
MEASURE_UNITS = frozenset("""ton tonnes tons kg kilogram liter barrel barel bph bopd boepd mmscfd hektare hectares
hectare ha km meter m3 kwh mw gw twh jam hours hour""".split())
_MONEY_OR_RATIO = ("%", "pp", "bps", "IDR", "USD", "SGD", "EUR")
_POINTS = ("poin", "points", "point", "basis")

_CHANGE_VERB = re.compile(
    r"\b(naik|turun|tumbuh|meningkat|menurun|bertambah|berkurang|melonjak|anjlok|merosot|melemah|menguat|melaju|"
    r"terkontraksi|melambat|menyusut|kenaikan|penurunan|pertumbuhan|peningkatan|bertumbuh|terkoreksi|"
    r"rose|rises?|rising|fell|falls?|falling|grew|grows?|growing|increased?|increases|increasing|decreased?|"
    r"declined?|declines|declining|dropped|drops?|climbed|climbs?|jumped|jumps?|slipped|slips?|eased|edged (?:up|down)|"
    r"gained?|gains|lost|expanded|expands?|contracted|contracts?|growth|up|down|higher|lower|above|below|shrank|"
    r"surged|plunged|slumped|added)\b(?:[\s,]+\w+){0,3}[\s,]*$", re.I)
_LEVEL_LINK = re.compile(r"\b(menjadi|ke level|ke angka|ke posisi|ke|to|at|hingga|sampai)\s+(?:\w+\s+)?$", re.I)
_CHANGE_AFTER = re.compile(r"^\s*(?:\)\s*)?(higher|lower|above|below|up|down|more|less|growth|increase|decrease|"
                           r"lebih (?:tinggi|rendah|besar|kecil|banyak)|di (?:bawah|atas)(?!\s+\d)|pertumbuhan|"
                           r"kenaikan|penurunan)\b", re.I)
_CHANGE_NOUN = re.compile(r"\b(increase|decrease|rise|fall|growth|gain|drop|kenaikan|penurunan|pertumbuhan|"
                          r"penambahan|tambahan|peningkatan|selisih)\b", re.I)
_SHARE = re.compile(r"\b(porsi|pangsa|kontribusi|andil|menyumbang|share|accounted for|contributed|proporsi|"
                    r"capaian(?:nya)?|bobot)\b", re.I)
_CONTRIBUTION = re.compile(r"\b(andil|menyumbang|sumbangan|kontribusi|contributed|contributing|added|adding)\b", re.I)
_SHARE_AFTER = re.compile(r"^\s*(?:\)\s*)?(?:(?:of|terhadap)\b(?!\s+(?:the\s+)?(?:previous|a year))|"
                          r"dari\b(?!\s+(?:bulan|tahun|periode|kuartal|triwulan|setahun|sebelumnya|(?:Rp|US\$|\$)?\d))|"
                          r"(?:PDB|GDP)\b)", re.I)
_TARGET_AFTER = re.compile(r"^\s*(?:[a-z]+\s+)?(target|ceiling|pagu|sasaran|quota|kuota)\b", re.I)
_TARGET = re.compile(r"\b(target\w*|sasaran|menargetkan|ditargetkan|pagu|kuota|quota|ceiling|budgeted|goal|aims?|"
                     r"asumsi|menetapkan|ditetapkan|mematok|dipatok|designed around|set at)\b", re.I)
_FORECAST = re.compile(r"\b(proyeksi|diproyeksikan|memproyeksikan|perkiraan|diperkirakan|memperkirakan|"
                       r"prakiraan|outlook|forecasts?|projected|projection|expects?|expected|estimates?d?|"
                       r"akan|will|would)\b", re.I)
_RANK = re.compile(r"\b(peringkat|ranking|ranks?|ranked|urutan|posisi ke|ke-|train|tahap|phase)\s*$", re.I)
_DURATION = re.compile(r"^\s*(bulan|months?)\b", re.I)
_SCALE_WORDS = frozenset("ribu juta miliar milyar triliun thousand million billion trillion persen percent".split())
_COUNTED_AFTER = re.compile(r"^\s*(di antaranya|of them|among them|saw|had|have|were|reported|mengalami|tercatat)\b",
                            re.I)
_APPOSITION = re.compile(r"[\s,]*(?:\(|atau|or|kira-kira|sekitar|setara(?: dengan)?|equal to|about|around|roughly|"
                         r"equivalent to)[\s(]*", re.I)


def claim_kind(sentence: str, figure, start: int, end: int, series: str, previous_end: int,
               previous_unit: str | None, previous_kind: str | None) -> str:
    left = sentence[max(0, figure.clause_start - figure.sentence_start, previous_end):start]
    near = sentence[max(0, start - 40, previous_end):start]
    after = sentence[end:end + 30]
    unit = figure.unit or ""
    gap = re.sub(r"^\s*(?:poin|points?|persen|percent|%|[a-zA-Z]+(?=\s+(?:atau|or)\b))", "",
                 sentence[previous_end:start]) if previous_end else ""
    if previous_kind and _APPOSITION.fullmatch(gap):
        if previous_kind in ("change", "change_points", "growth_rate"):
            # 'menguat 78 poin atau 0,5 persen': the same change in another unit
            return "growth_rate" if unit == "%" else "change_points" if unit in ("pp", "bps") or \
                unit.lower() in _POINTS else "change"
        if unit == "%" and previous_unit != "%" and not _CHANGE_AFTER.match(after):
            return "share"  # 'Rp197,1 triliun atau 49,1%', 'Rp211.1 trillion (49.3%)' (not '… atau 6% di bawah')
        if unit != "%" and previous_unit != "%":
            return previous_kind  # 'US$124 miliar, kira-kira Rp1.762 triliun': the same number converted
    if _RANK.search(sentence[max(0, start - 15):start]) and not unit:
        return "rank"
    if _FORECAST.search(left):
        return "forecast"
    target = _TARGET.search(left)
    if target and (not previous_end or [w for w in re.findall(r"\w+", left[:target.start()].lower())
                                        if w not in _SCALE_WORDS and w not in MEASURE_UNITS]):
        return "target"  # not 'Rp2,802.3 trillion target for the year, and 6.2% below': that cue is the number before
    if _TARGET_AFTER.match(sentence[end:end + 25]) and unit != "%":
        return "target"  # 'the Rp2,802.3 trillion target for the year', 'the Rp3,325.1 trillion ceiling'
    if unit == "%" and _SHARE.search(sentence[max(0, start - 15, previous_end):start]):
        return "share"
    if COMPARED.search(near) or re.search(r"\b(?:from|dari)\s+(?:about\s+|sekitar\s+)?$", near, re.I) \
            or re.search(r"\b(?:above|below|than)\s+(?:the|a)\s+$", near, re.I):
        return "level"  # 'naik dari 115,44', 'up from 6.2 million tonnes', 'far below the 5.42%': compared with
    if unit == "%" and (_SHARE_AFTER.match(after) or _SHARE.search(near)):
        return "share"
    if (unit in ("pp", "bps") or unit.lower() in _POINTS) and _CONTRIBUTION.search(near):
        return "share"  # 'contributed 0.32 pp to headline inflation', 'memberi andil 0,06 poin'
    signed = sentence[max(0, start - 1):start] in ("+", "−", "-") or sentence[max(0, start - 2):start] in ("+ ", "- ")
    changed = signed or (_CHANGE_VERB.search(near) and not _LEVEL_LINK.search(near)) or _CHANGE_AFTER.match(after) \
        or _CHANGE_NOUN.search(series)
    if unit in ("pp", "bps") or (changed and unit.lower() in _POINTS):
        return "change_points"
    if changed:
        return "growth_rate" if unit == "%" else "change"
    if not unit and _DURATION.match(sentence[end:end + 12]):
        return "count"  # '43 bulan', '44 months': a run counted in months
    if not unit and figure.scale is None and re.fullmatch(r"\d+", figure.text) and _COUNTED_AFTER.match(after):
        return "count"  # '69 di antaranya mengalami inflasi', '79 saw prices rise'
    if figure.scale is not None and figure.scale.lower() in _SCALE_WORDS and unit not in _MONEY_OR_RATIO \
            and "/" not in unit and unit.lower() not in MEASURE_UNITS:
        return "count"  # 'Users: 37.0 million', 'a volume of 121.8 million': a scaled number with no unit counts things
    if unit and unit not in _MONEY_OR_RATIO and "/" not in unit and unit.lower() not in MEASURE_UNITS \
            and re.match(r"(?:\s+\w+)?\s+" + re.escape(unit) + r"\b", sentence[end:end + 40]):
        return "count"  # the counted noun follows the number ('90 kota', '4,4 juta debitur')
    return "level"


_PARALLEL_WORDS = re.compile(r"(?:[\s,;]|secara \w+|\(\w+\)|year[- ]on[- ]year|month[- ]on[- ]month|dan|and|serta|"
                             r"or|atau|from a year earlier|from the previous month|persen|percent|pp|poin|points?)*",
                             re.I)


def settled_forecast(kind: str, period, reference) -> str:
    """A forecast word for a period the document already covers ('diperkirakan bernilai US$100 miliar pada 2020'
    in a 2020 report) states an estimate of a level, not a forecast."""
    if kind == "forecast" and period is not None and period.end is not None and reference is not None \
            and reference.end is not None and period.end <= reference.end:
        return "level"
    return kind


def parallel_kind(gap: str, gap_has_verb: bool, previous_kind: str | None, same_unit: bool) -> str | None:
    """'naik 4,89 persen secara bulanan dan 3,29 persen secara tahunan', 'Digital banking grew 31.83% and e-money
    17.90%': a number listed after another of the same unit, with no verb of its own, is of the same kind."""
    if previous_kind in ("growth_rate", "change", "change_points", "share", "target", "forecast") and same_unit \
            and not gap_has_verb and re.search(r"\b(dan|and|serta|or|atau|disusul|diikuti|followed by)\b|^[\s,;]+$",
                                               gap, re.I):
        return previous_kind
    return None
