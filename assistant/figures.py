"""Figures: every number mention in a document, as a value in base units with its meaning.

"22,8 juta UMKM" → Figure(value=22800000, unit="UMKM", scale="juta", period=2023-06, role="actual").
Years, dates, times, ranks and identifiers are not quantities and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from assistant.numbers import NumberParseError, parse_number, scale_of
from assistant.periods import Period, TimeMention, find_time_mentions

_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_CURRENCY = r"(?P<cur>Rp\.?|IDR|US\$|USD|S\$|\$|€|EUR)\s?"
_SCALE = r"(?P<scale>ribu|rb|juta|jt|miliar|milyar|triliun|thousand|million|billion|trillion|mn|bn|tn)\b"
_PERCENT = (
    r"(?P<pct>%|persen\b|percent\b|per cent\b|poin persentase\b|percentage points?\b|ppt?\b|"
    r"basis poin\b|basis points?\b|bps\b)"
)
FIGURE_PATTERN = re.compile(
    r"(?<![\w/.,\-])(?:" + _CURRENCY + r")?(?P<num>" + _NUMBER + r")(?![\w/]|[.,]\d)"
    r"(?:\s?" + _SCALE + r")?(?:\s?" + _PERCENT + r")?",
    re.I,
)
_CURRENCY_CODES = {"rp": "IDR", "rp.": "IDR", "idr": "IDR", "us$": "USD", "usd": "USD", "$": "USD",
                   "s$": "SGD", "€": "EUR", "eur": "EUR"}
_CURRENCY_WORDS = {"rupiah": "IDR", "dolar": "USD", "dollar": "USD", "dollars": "USD", "euro": "EUR"}
_APPROXIMATE = re.compile(
    r"(sekitar|kurang lebih|hampir|lebih dari|sekira|about|around|approximately|nearly|almost|"
    r"more than|over|some|roughly)\s*$", re.I)
_NOT_QUANTITY_BEFORE = re.compile(
    r"(?<![\w-])(pukul|jam|ke-|peringkat|ranking|rank|urutan|nomor|no\.|nomer|pasal|ayat|uu|perpres|pp|"
    r"permen|tahun|#|page|halaman|hal\.|bab|chapter|article|section|zona|zone|tier|fase|phase|tahap|"
    r"golongan|kelas|class|wilayah|region|hs|kode|code|ring)\s*$", re.I)
_NOT_QUANTITY_AFTER = re.compile(r"^\s*(wib|wita|wit|a\.m\.|p\.m\.|am\b|pm\b)", re.I)
_FUNCTION_WORDS = set(
    "yang di ke dari pada sejak untuk dan atau dengan sebagai telah sudah akan oleh dalam atas bagi "
    "hingga sampai per adalah ialah itu ini tersebut pada secara serta juga masih baru lagi saja sebesar "
    "sebanyak menjadi sekitar dibandingkan dibanding terhadap tahun bulan kali pada lebih kurang "
    "the of in to by from since and or for as with that which has have had was were is are be been "
    "at on into than this these those their its a an per year years month months times more less".split()
)
_UNIT_WORDS = {"tonnes": "ton", "tons": "ton", "ton": "ton", "kg": "kg", "kilogram": "kg", "liter": "liter",
               "litres": "liter", "liters": "liter", "barel": "barrel", "barrels": "barrel"}
_UNIT_QUALIFIERS = {"metric", "metrik"}  # "15.340 metrik ton", "1.7 million metric tons": the unit is the tonne
_ACRONYM_AFTER = re.compile(r"^[^.;:!?\d]{0,80}?\((?P<acronym>[A-Z][A-Za-z]{1,9})\)")
_CLAUSE_BREAK = re.compile(r"[;:]|,\s*(?:sementara|sedangkan|namun|tetapi|whereas|while|but)\b|\s[–—]\s")

ROLE_CUES: dict[str, tuple[str, ...]] = {
    "target": ("target", "sasaran", "menargetkan", "ditargetkan", "targetkan", "targets", "targeted", "goal",
               "aims", "aim", "objective", "proyeksi", "diproyeksikan", "projected", "forecast", "outlook",
               "rencana", "planned", "kuota", "quota", "alokasi", "allocation", "pagu"),
    "increase": ("bertambah", "penambahan", "tambahan", "naik", "kenaikan", "meningkat", "peningkatan", "tumbuh",
                 "pertumbuhan", "increase", "increased", "rose", "risen", "grew", "growth", "added", "up"),
    "decrease": ("turun", "penurunan", "berkurang", "menurun", "merosot", "fell", "declined", "decrease",
                 "decreased", "dropped", "down"),
    "remaining": ("tugas", "sisa", "kekurangan", "masih perlu", "remaining", "still need", "yet to", "left"),
    "actual": ("telah", "sudah", "tercatat", "mencatat", "mencatatkan", "realisasi", "terealisasi", "mencapai",
               "reached", "recorded", "stood", "already", "totalled", "totaled", "has", "have", "had", "were",
               "was"),
}
_WEAK_ACTUAL = ("mencapai", "sebesar", "reach", "reached", "at")
_LEVEL_BEFORE = re.compile(r"\b(menjadi|ke level|ke angka|to|at)\s+(?:sekitar\s+|about\s+|around\s+)?$", re.I)


@dataclass(frozen=True)
class Figure:
    value: Decimal  # in base units: 22,8 juta → 22800000; 35,5 persen → 35.5
    unit: str | None  # "UMKM", "%", "pp", "IDR", "USD", "ton", ...
    text: str  # as written: "22,8 juta", "Rp4.500 triliun", "35,5 persen"
    start: int  # character span in the source text
    end: int
    sentence_start: int
    sentence_end: int
    source: str
    period: Period | None = None
    role: str | None = None  # target | actual | increase | decrease | remaining | share
    scale: str | None = None
    approximate: bool = False
    unit_inherited: bool = False
    unit_terms: frozenset[str] = field(default_factory=frozenset)  # words naming what is counted
    subject_start: int = 0  # where the clause naming what the number measures begins (source offset)
    clause_start: int = 0  # the clause around the number, in source offsets
    clause_end: int = 0
    period_inherited: bool = False  # period taken from the previous sentence ("pada bulan yang sama")
    range_end: str | None = None  # "lower" / "upper" in "antara 1,5 persen dan 3,5 persen"


def _unit_after(text: str, after: int) -> tuple[str | None, frozenset[str]]:
    """The counted noun right after a number: '27 juta UMKM yang…' → UMKM; acronym in brackets wins."""
    rest = text[after:after + 120]
    if rest.startswith(")"):
        return None, frozenset()  # 'Vietnam (48,9), Malaysia (47,9)': the word after the bracket is not a unit
    words = re.findall(r"[A-Za-z][\w\-]*", rest.split(".")[0][:80])
    phrase: list[str] = []
    for word in words[:6]:
        if word.lower() in _FUNCTION_WORDS:
            break
        phrase.append(word)
    if len(phrase) > 1 and phrase[0].lower() in _UNIT_QUALIFIERS and phrase[1].lower() in _UNIT_WORDS:
        phrase = phrase[1:]
    if not phrase:
        return None, frozenset()
    acronym = _ACRONYM_AFTER.match(rest)
    if phrase[0].lower() in _UNIT_WORDS:
        acronym = None  # "1,6 juta ton beras cadangan (CBP)": the unit is the tonne
    unit = acronym.group("acronym") if acronym else phrase[0]
    terms = {w.lower() for w in phrase}
    if acronym:
        terms.add(acronym.group("acronym").lower())
    lowered = unit.lower()
    if lowered in _UNIT_WORDS:
        unit = _UNIT_WORDS[lowered]
    elif lowered in _CURRENCY_WORDS:
        unit = _CURRENCY_WORDS[lowered]
    return unit, frozenset(terms)


def _clause_bounds(sentence: str, start: int, end: int, others: list[tuple[int, int]]) -> tuple[int, int]:
    """The clause around a number: bounded by clause breaks and by the neighbouring numbers."""
    left, right = 0, len(sentence)
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.end() <= start:
            left = max(left, match.end())
        elif match.start() >= end:
            right = min(right, match.start())
    for other_start, other_end in others:
        if other_end <= start:
            left = max(left, other_end)
        elif other_start >= end:
            right = min(right, other_start)
    return left, right


def _role(sentence: str, start: int, end: int, left: int, right: int, is_percent: bool) -> str | None:
    before = sentence[left:start].lower()
    after = sentence[end:right].lower()
    if is_percent and re.match(r"^\s*(dari|of|terhadap)\b", after):
        return "share"
    if _LEVEL_BEFORE.search(before):
        # "bertambah menjadi 22,8 juta" / "rose to 22.8 million" state a level, not the change.
        return "target" if _nearest_cue(before, ("target",)) else "actual"
    if _nearest_cue(before, ROLE_CUES["target"]) is not None and (
            _nearest_cue(before, _WEAK_ACTUAL) is not None or _first_cue(after, _WEAK_ACTUAL) is not None):
        return "target"  # "ditargetkan mencapai US$62 miliar": reaching is what is targeted
    best: tuple[int, str] | None = None
    for role, cues in ROLE_CUES.items():
        distance = _nearest_cue(before, cues)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, role)
        after_distance = _first_cue(after, cues)
        if after_distance is not None and right < len(sentence) and re.fullmatch(
                r"[\w-]+(?:\s+(?:sebesar|sebanyak|by|to|menjadi))?\W*", after[after_distance:]):
            after_distance = None  # "…, turun 11,33 persen": the cue belongs to the number after it
        if after_distance is not None and (best is None or after_distance + 15 < best[0]):
            best = (after_distance + 15, role)
    return best[1] if best else None


def _nearest_cue(before: str, cues: tuple[str, ...]) -> int | None:
    distances = [len(before) - m.end() for cue in cues for m in re.finditer(rf"\b{re.escape(cue)}\b", before)]
    return min(distances) if distances else None


def _first_cue(after: str, cues: tuple[str, ...]) -> int | None:
    positions = [m.start() for cue in cues for m in re.finditer(rf"\b{re.escape(cue)}\b", after)]
    return min(positions) if positions else None


_SAME_PERIOD = re.compile(r"\b(yang sama|periode yang sama|bulan yang sama|the same (?:month|period|quarter)|"
                          r"that month|in the same|angka tersebut|angka itu|jumlah tersebut|capaian tersebut|"
                          r"this figure|that figure|this number|that number)\b", re.I)
_TEMPORAL_PREPOSITION = re.compile(
    r"\b(in|on|for|during|by|at|as of|since|pada|per|hingga|sampai|sepanjang|selama|di|bulan|tahun)\s*(?:the\s+)?$",
    re.I)


def _period(sentence: str, mentions: list[TimeMention], start: int, end: int, left: int,
            right: int) -> Period | None:
    """The time expression a number belongs to: the nearest one in its clause.

    "Per Maret 2023, sebanyak 22 juta" looks back; "1.68 percent in February 2024" looks ahead when the
    expression follows the number closely after a temporal preposition. A period after a comparison word
    ("dibandingkan Januari 2023") is the comparison's, not the number's.
    """
    before = [m for m in mentions if left <= m.start and m.end <= start and not _follows_number(sentence, m, left)]
    after = [m for m in mentions if m.start >= end and m.end <= right]
    if after:
        gap = sentence[end:after[0].start]
        gap_words = len(re.findall(r"[^\W\d_]+", _PERCENT_WORDS.sub("", gap)))
        before_words = len(re.findall(r"\w+", sentence[before[-1].end:start])) if before else 99
        if gap_words <= 3 and _TEMPORAL_PREPOSITION.search(gap) and gap_words <= before_words:
            return after[0].period
    if before:
        return before[-1].period
    earlier = [m for m in mentions if m.end <= start]
    if earlier and not _COMPARISON.search(sentence[earlier[-1].end:start]) \
            and not _follows_number(sentence, earlier[-1], _previous_number_end(sentence, earlier[-1].start)):
        return earlier[-1].period
    if after and not _COMPARISON.search(sentence[end:after[0].start]) \
            and not _OTHER_TIME_CLAUSE.search(sentence[end:after[0].start]):
        return after[0].period
    # the sentence's main period: its first time expression that is neither a comparison's nor attached to
    # another number ("turun ke 2,21% dari 2,26% pada Agustus, sedangkan NPL net bertahan di 0,78%": August is
    # 2,26%'s, not 0,78%'s)
    main = next((m for m in earlier if not _COMPARISON.search(sentence[max(0, m.start - 25):m.start])
                 and not _follows_number(sentence, m, _previous_number_end(sentence, m.start))), None)
    return main.period if main else None


def _previous_number_end(sentence: str, before: int) -> int:
    ends = [m.end() for m in FIGURE_PATTERN.finditer(sentence[:before])]
    return ends[-1] if ends else 0


def _follows_number(sentence: str, mention: TimeMention, left: int) -> bool:
    """'… 4.13 percent in the first quarter, and accounted for 18.5 percent': the period right after the
    previous number (the clause starts there) is that number's."""
    gap = sentence[left:mention.start]
    return left > 0 and len(re.findall(r"[^\W\d_]+", _PERCENT_WORDS.sub("", gap))) <= 3 \
        and _TEMPORAL_PREPOSITION.search(gap) is not None


# "… Rp33,06 triliun, rekor tertinggi sejak bursa diprivatisasi pada 1992": the year is the record's, not the number's
_OTHER_TIME_CLAUSE = re.compile(r"\b(sejak|semenjak|since|ketika|sewaktu|when|setelah|after|sebelum|before|"
                                r"rekor|record|tertinggi|terendah|highest|lowest)\b", re.I)
_COMPARISON = re.compile(r"\b(dibandingkan|dibanding|ketimbang|daripada|compared|than|versus|vs)\b", re.I)
_PERCENT_WORDS = re.compile(r"\b(persen|percent|per cent|percentage points?|poin persentase|basis points?|"
                            r"year-on-year|yoy|month-on-month|mom|secara tahunan|secara bulanan)\b", re.I)


_RANGE_JOIN = re.compile(r"^\s*(?:and|dan|hingga|sampai|to|-|–)\s*$", re.I)
_RANGE_START = re.compile(r"\b(between|antara|from|dari|kisaran|range of|ranging from|sebesar)\s*$", re.I)


def _range_ends(sentence: str, matches: list[re.Match]) -> dict[int, str]:
    """'between 1.5 percent and 3.5 percent' / 'antara 1,5 hingga 2,0 persen': the two ends of a range."""
    ends: dict[int, str] = {}
    for first, second in zip(matches, matches[1:]):
        if _RANGE_JOIN.match(sentence[first.end():second.start()]) and (
                _RANGE_START.search(sentence[max(0, first.start() - 25):first.start()])
                or first.group("pct") or second.group("pct")):
            ends[first.start()] = "lower"
            ends[second.start()] = "upper"
    return ends


def is_quantity(text: str, match: re.Match) -> bool:
    """Years, dates, times, ranks and identifiers are not quantities."""
    raw = match.group("num")
    has_unit = bool(match.group("cur") or match.group("scale") or match.group("pct"))
    before = text[max(0, match.start() - 12):match.start()]
    if _NOT_QUANTITY_BEFORE.search(before) and not has_unit:
        return False
    if _NOT_QUANTITY_AFTER.match(text[match.end():]):
        return False
    if not has_unit and re.fullmatch(r"(19|20)\d{2}", raw):
        return False  # a year
    if not has_unit and re.match(r"^\s+(" + "|".join(_MONTH_WORDS) + r")\b", text[match.end():], re.I):
        return False  # the day of a date: "4 Desember 2023"
    return True


_MONTH_WORDS = ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
                "oktober", "november", "desember", "january", "february", "march", "may", "june", "july",
                "august", "october", "december")


def extract_figures(text: str, sentences: list[tuple[int, int]], source: str, language: str = "id",
                    published: date | None = None) -> list[Figure]:
    """Every quantity in `text` (the whole source text), sentence by sentence."""
    figures: list[Figure] = []
    last_count_unit: tuple[str, frozenset[str], int] | None = None  # unit, terms, sentence index
    last_period: tuple[Period, int, int] | None = None  # period, sentence index, paragraph start
    for index, (s_start, s_end) in enumerate(sentences):
        sentence = text[s_start:s_end]
        matches = [m for m in FIGURE_PATTERN.finditer(sentence) if is_quantity(sentence, m)]
        mentions = find_time_mentions(sentence, published)
        # A number that is part of a time expression ("2023" in "Maret 2023") is not a figure.
        matches = [m for m in matches
                   if not any(t.start <= m.start("num") < t.end for t in mentions)
                   or m.group("cur") or m.group("scale") or m.group("pct")]
        spans = [(m.start(), m.end()) for m in matches]
        range_ends = _range_ends(sentence, matches)
        for match in matches:
            try:
                number = parse_number(match.group("num"), language)
            except NumberParseError:
                continue
            scale = match.group("scale")
            pct = (match.group("pct") or "").lower()
            currency = (match.group("cur") or "").strip().lower()
            others = [span for span in spans if span != (match.start(), match.end())]
            left, right = _clause_bounds(sentence, match.start(), match.end(), others)
            unit_terms: frozenset[str] = frozenset()
            inherited = False
            if pct:
                if "basis" in pct or pct == "bps":
                    unit = "bps"
                elif "poin" in pct or "point" in pct or pct.startswith("pp"):
                    unit = "pp"
                else:
                    unit = "%"
                _, unit_terms = _unit_after(sentence, match.end())
            elif currency:
                unit = _CURRENCY_CODES.get(currency, currency.upper())
                per = re.match(r"^\s*(?:per|/)\s*([A-Za-z$]+)", sentence[match.end():])
                if per:
                    word = per.group(1).lower()
                    if word == "us" and re.match(r"^\s*(?:per|/)\s*us\s*(?:\$|dollar|dolar)", sentence[match.end():], re.I):
                        word = "us$"
                    unit = f"{unit}/{_UNIT_WORDS.get(word) or _CURRENCY_CODES.get(word) or word}"
            else:
                unit, unit_terms = _unit_after(sentence, match.end())
                if unit is None and scale and last_count_unit and index - last_count_unit[2] <= 2:
                    unit, unit_terms, _ = last_count_unit
                    inherited = True
                if unit and unit in _CURRENCY_WORDS.values():
                    pass
                elif unit:
                    last_count_unit = (unit, unit_terms, index)
            value = number * scale_of(scale)
            approximate = bool(_APPROXIMATE.search(sentence[max(left, match.start() - 25):match.start()]))
            period = _period(sentence, mentions, match.start(), match.end(), left, right)
            role = _role(sentence, match.start(), match.end(), left, right, bool(pct))
            if role == "share" and period is not None and period.kind in ("since", "span"):
                period = None  # a share is a ratio at a moment; "sejak pandemi" belongs to the change beside it
            period_inherited = False
            paragraph = text.rfind("\n\n", 0, s_start)
            in_comparison = bool(re.search(r"\b(dibandingkan|dibanding|compared|than|from|dari)\b",
                                           sentence[left:match.start()], re.I))
            attached = period is not None and any(  # "… yakni 9,93% pada Desember 2019": that number's own
                m.period == period and m.start >= match.end() for m in mentions)
            if period is not None and not in_comparison and period.kind not in ("since", "span") and not (
                    attached and len(matches) > 1 and match is not matches[0]):
                last_period = (period, index, paragraph)
            elif period is None and last_period and index - last_period[1] <= 2 and (
                    last_period[2] == paragraph or _SAME_PERIOD.search(sentence)):
                period, period_inherited = last_period[0], True
            figures.append(Figure(
                value=value, unit=unit, text=match.group(0).strip(), start=s_start + match.start(),
                end=s_start + match.start() + len(match.group(0).rstrip()), sentence_start=s_start,
                sentence_end=s_end, source=source,
                period=period, period_inherited=period_inherited, range_end=range_ends.get(match.start()),
                clause_start=s_start + left, clause_end=s_start + right,
                subject_start=s_start + max([0] + [b.end() for b in _CLAUSE_BREAK.finditer(sentence)
                                                  if b.end() <= match.start()]),
                role=role,
                scale=scale.lower().rstrip(".") if scale else None, approximate=approximate,
                unit_inherited=inherited, unit_terms=unit_terms,
            ))
    return figures
