"""Claims: every figure of a document as a statement — what it measures, for whom, for when, which kind.

"Secara tahunan, laju inflasi Oktober 2023 mencapai 2,56 persen" →
Claim(value=2.56, unit="%", series="laju inflasi", qualifiers=("yoy",), entity=None, period=2023-10
(own), kind="level"). Built from the sentence's structure (see `claim_phrases`) over the `Figure`s the
document view already holds, in Indonesian and English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from decimal import Decimal
from typing import Protocol

from assistant.claim_entities import (INSTITUTION_WORDS, defined_acronyms, document_names, listed_entity,
                                      named_entity, scope_names)
from assistant.claim_phrases import LINK_WORDS, is_verb, phrase_after, subject_phrase, tokens
from assistant.claim_kinds import KINDS, MEASURE_UNITS, claim_kind, parallel_kind, settled_forecast
from assistant.claim_periods import claim_period, heading_periods, target_year
from assistant.figures import Figure
from assistant.periods import Period, current_period, find_time_mentions


QUALIFIER_PATTERNS: dict[str, re.Pattern] = {name: re.compile(pattern, re.I) for name, pattern in {
    "yoy": r"\b(yoy|y-o-y|y-on-y|y-to-y|year[- ]on[- ]year|secara tahunan|\(?tahunan\)?|annual(?:ly)?|"
           r"on an annual basis|year earlier|setahun sebelumnya|dari tahun sebelumnya|tahun ke tahun)\b",
    "mom": r"\b(mom|m-o-m|m-to-m|m-on-m|month[- ](?:on|to)[- ]month|secara bulanan|bulanan|monthly|"
           r"from the previous month|dari bulan sebelumnya|in the month)\b",
    "qoq": r"\b(qoq|q-o-q|q-to-q|q-on-q|quarter[- ](?:on|to)[- ]quarter|secara kuartalan|quarterly|"
           r"on a quarterly basis|dari (?:kuartal|triwulan) sebelumnya|from the previous quarter)\b",
    "ytd": r"\b(ytd|year[- ]to[- ]date|calendar[- ]year|kumulatif|cumulative(?:ly)?|sejak awal tahun|c-to-c)\b",
    "nominal": r"\b(nominal|(?:atas dasar )?harga berlaku|(?:at )?current prices)\b",
    "real": r"\b(riil|real terms|in real|(?:atas dasar )?harga konstan|(?:at )?constant(?: \d{4})? prices)\b",
    "nonmigas": r"\b(non-?migas|non-oil(?:[- ]and[- ]gas)?)\b",
    "migas": r"(?<!non)(?<!non-)\b(migas|minyak dan gas|oil and gas|oil-and-gas)\b",
    "core": r"\b(inti|core)\b",
    "headline": r"\b(headline|inflasi umum)\b",
    "gross": r"\b(gross|bruto)\b",
    "net": r"\b(net|neto)\b",
}.items()}

@dataclass(frozen=True)
class Claim:
    value: Decimal
    unit: str | None
    text: str  # the number as written
    start: int  # the number's span in the source text
    end: int
    source: str
    series: str  # the phrase of the document the number measures ("ekspor nonmigas")
    kind: str  # one of KINDS
    period: Period | None
    period_reason: str | None  # own | inherited | title | published; None when there is no period
    entity: str | None = None  # the country, province, company, commodity or group it belongs to
    qualifiers: tuple[str, ...] = ()  # yoy, mom, qoq, ytd, nominal, real, migas, nonmigas, core, ...
    quote: str = ""  # the sentence
    series_inherited: bool = False  # the phrase is the previous number's ("naik dari 115,44")
    figure: Figure | None = field(default=None, compare=False, repr=False)

    @property
    def period_label(self) -> str | None:
        return self.period.label if self.period else None

    def to_dict(self) -> dict:
        return {"series": self.series, "entity": self.entity, "period": self.period_label,
                "period_reason": self.period_reason, "kind": self.kind, "qualifiers": list(self.qualifiers),
                "value": float(self.value), "unit": self.unit, "text": self.text, "source": self.source,
                "start": self.start, "end": self.end, "quote": self.quote}


class ClaimSource(Protocol):
    """What claims are made from: a `DocumentView` (or anything with these attributes)."""

    source: str
    text: str
    title: str
    language: str
    published: date | None
    figures: list[Figure]
    sentences: list[tuple[int, int]]


def extract_claims(view: ClaimSource) -> list[Claim]:
    """One claim per figure of the document, in document order."""
    names = document_names(view.text, view.sentences, _defined_term_words(view.text))
    scope, acronyms = scope_names(view.text, view.sentences, names), defined_acronyms(view.text)
    fallback = _title_period(view.title, view.published)
    headings = heading_periods(view.text, view.sentences, view.published)
    by_sentence: dict[tuple[int, int], list[Figure]] = {}
    for figure in view.figures:
        by_sentence.setdefault((figure.sentence_start, figure.sentence_end), []).append(figure)
    claims: list[Claim] = []
    for (s_start, s_end), figures in by_sentence.items():
        claims.extend(_sentence_claims(view, s_start, s_end, figures, (names, scope, acronyms), fallback, claims,
                                       headings))
    return claims


def _defined_term_words(text: str) -> frozenset[str]:
    """Words of terms the text defines with an acronym: 'Badan Pusat Statistik (BPS)' → badan, pusat, statistik."""
    words: set[str] = set()
    for match in re.finditer(r"((?:[A-Z][\w-]*\s+){1,6})\([A-Z][A-Za-z]{1,9}\)", text):
        words |= {w.lower() for w in match.group(1).split()}
    return frozenset(words)


def _title_period(title: str, published: date | None) -> tuple[Period | None, str | None]:
    for mention in find_time_mentions(title, published):
        if mention.period.kind in ("month", "quarter", "half", "year", "ytd"):
            return mention.period, "title"
    if published:
        return current_period(published), "published"
    return None, None


def _sentence_claims(view: ClaimSource, s_start: int, s_end: int, figures: list[Figure], names: tuple,
                     fallback: tuple[Period | None, str | None], earlier: list[Claim],
                     headings: list) -> list[Claim]:
    sentence = view.text[s_start:s_end]
    heading = sentence.lstrip().startswith("#")
    spans = [(f.start - s_start, f.end - s_start) for f in figures]
    mentions = find_time_mentions(sentence, view.published, lenient=True)
    toks = tokens(sentence, spans, [(m.start, m.end) for m in mentions],
                  [_unit_words(f) for f in figures], view.language)
    index_of = {t.text: i for i, t in enumerate(toks) if t.text.startswith("§")}
    opening = _opening_qualifiers(sentence)
    main_series = earlier[0].series if earlier else None  # the title's
    previous: Claim | None = None
    carrier: Claim | None = None  # the claim whose series a number without its own shares (not a modified noun's)
    claims = []
    for number, figure in enumerate(figures):
        index = index_of[f"§{number}"]
        start, end = spans[number]
        entity, name_index = listed_entity(sentence, toks, index)
        phrase = subject_phrase(sentence, toks, name_index if name_index is not None else index)
        inherited = settled = False
        own_words = phrase.text if phrase is not None else ""
        earlier_main = _previous_sentence_main(view.text, earlier, s_start)
        if phrase is not None and _reports(phrase.text, sentence[phrase.end:start]):
            phrase = None  # 'Kementerian Investasi mencatat Rp401,5 triliun': the source, not the series
        follower = re.match(r"\s+(itu|ini|tersebut)\b", sentence[phrase.end:]) if phrase is not None else None
        if phrase is not None and (_ANAPHORA.fullmatch(phrase.text)
                                   or follower and _ANAPHORA.fullmatch(f"{phrase.text} {follower.group(1)}")):
            # 'nilainya', 'Laju itu', 'angkanya', 'it': the thing named before
            referent = carrier.series if carrier is not None else earlier_main.series if earlier_main else None
            if referent:
                phrase, series, inherited = None, referent, True
        counted_unit = figure.unit if (figure.unit or "").isalpha() and figure.unit.lower() not in MEASURE_UNITS \
            else None
        if phrase is not None and _CHANGE_ONLY.fullmatch(phrase.text) and (previous or earlier_main or counted_unit):
            # 'the CPI climbed …, a month-on-month increase of 0.38%'; 'sudah ada penambahan sekitar 5 juta UMKM'
            referent = previous or earlier_main
            phrase, series, inherited = None, referent.series if referent else counted_unit, referent is not None
        if phrase is not None and re.fullmatch(r"(?i)target|sasaran|goal", phrase.text) \
                and _names_more_than_unit(sentence, toks, index, figure):
            # 'target 30 juta usaha mikro, kecil, dan menengah (UMKM)': what is targeted
            series = counted_unit or phrase_after(sentence, toks, index).text
            phrase, settled = None, True
        share_of = phrase_after(sentence, toks, index) if figure.unit == "%" and phrase is None else None
        receives = ([m for m in _RECEIVES.finditer(sentence[:start])] or [None])[-1] \
            if main_series and not heading else None
        if receives and receives.group("next") and not (previous is not None and previous.series == main_series):
            receives = None  # 'kredit investasi tumbuh 12%, disusul kredit konsumsi 10%': members are series
        if receives and phrase is not None and not _CHANGE_ONLY.match(phrase.text) \
                and not _names_more_than_unit(sentence, toks, index, figure):
            # 'Wilayah luar Jawa menerima Rp201 triliun', 'Mining came next with Rp45.6 trillion': a member's part
            # of the document's series
            series, settled, inherited = main_series, True, True
            subject = re.sub(r"\s+(?:yang|which|that)\b.*", "", phrase.text) \
                if phrase.start < receives.start() or phrase.start >= receives.end() else None
            entity = entity or named_entity(sentence, toks, index, *names) or subject
        modified = _modified_noun(sentence, toks, index, figure)
        if inherited or settled:
            pass
        elif modified:
            series = modified  # 'a 0.3% merchant discount rate', 'the Rp3,325.1 trillion ceiling'

        elif share_of is not None and _names_more_than_unit(sentence, toks, index, figure) \
                and not re.match(r"(?i)(PDB|GDP|produk domestik)\b", share_of.text):
            series = share_of.text  # '55% investor saham berusia di bawah 30 tahun': a share of whom
        elif phrase is not None:
            series = phrase.text
        elif carrier is not None:
            series, inherited = carrier.series, True
        elif earlier_main is not None and not heading and not _names_more_than_unit(sentence, toks, index, figure):
            series, inherited = earlier_main.series, True  # 'Rata-rata 605,5 ribu barel per hari (bph).'
        else:
            after = phrase_after(sentence, toks, index)
            series = after.text if after else ""
        previous_end = spans[number - 1][1] if number else 0
        next_start = spans[number + 1][0] if number + 1 < len(spans) else len(sentence)
        kind = claim_kind(sentence, figure, start, end, f"{series} {own_words}", previous_end, previous.unit if previous else None,
                          previous.kind if previous else None)
        if previous is not None and (kind == "level" or (kind == "change_points" and previous.kind == "share")):
            gap_tokens = [t for t in toks[index_of[f"§{number - 1}"] + 1:index]]
            has_verb = any(t.verb or t.lower in _PREDICATES for t in gap_tokens)
            kind = parallel_kind(sentence[previous_end:start], has_verb, previous.kind,
                                 previous.unit == figure.unit) or kind
        if kind == "count" and not (phrase is not None and _COPULA_BEFORE.search(sentence[:start])
                                    and any(w.islower() for w in phrase.text.split())):
            counted = phrase_after(sentence, toks, index)
            series = counted.text if counted else series  # '90 kota', '4,4 juta debitur': what is counted
            if counted is None and phrase is None and previous is not None and previous.kind == "count":
                series = previous.series  # '90 kota; 69 di antaranya …'
            series += _count_predicate(sentence, counted.end if counted else end, view.language)
        if (figure.unit or "").lower() in MEASURE_UNITS and (phrase is None or phrase.text == entity
                                                             or not any(w.islower() for w in phrase.text.split())):
            measured = _noun_after_unit(sentence, end)
            series = measured or series  # 'Indonesia mendatangkan 433 ribu ton beras'
        if entity is None and not heading:
            entity = named_entity(sentence, toks, index, *names)
            if entity is None and inherited and previous is not None and phrase is None:
                entity = previous.entity
        if phrase is not None and entity and phrase.text == entity and previous is not None:
            series, inherited = previous.series, True  # "… dan Malaysia 47,9": the member, the same series
        if (not series or (entity and series == entity)) and main_series:
            series, inherited = main_series, True  # 'West Java was again the top destination with Rp63.7 trillion'
        period, reason = claim_period(view.text, sentence, mentions, figure, start, end, fallback, earlier + claims,
                                      headings, view.published, previous_end, next_start)
        if kind == "target":
            period = target_year(period, reason)
        kind = settled_forecast(kind, period, fallback[0] if fallback[1] == "title" else None)
        after_number = re.split(r"[,;]", sentence[end:max(end, figure.clause_end - s_start)], maxsplit=1)[0]
        qualifiers = _qualifiers(f"{series} {own_words} {after_number} {opening}")
        claim = Claim(value=figure.value, unit=figure.unit, text=figure.text, start=figure.start, end=figure.end,
                      source=figure.source, series=series, kind=kind, period=period,
                      period_reason=reason if period else None, entity=entity, qualifiers=qualifiers,
                      quote=sentence, series_inherited=inherited, figure=figure)
        claims.append(claim)
        previous = claim
        carrier = carrier if modified else claim
    return claims


_ANAPHORA = re.compile(r"(?i)(?:(?:angka|nilai|jumlah|laju|level|posisi)(?:nya|\s+(?:itu|ini|tersebut))|"
                       r"it|this|that|these|those|this figure|that figure|the figure)")
_CHANGE_ONLY = re.compile(r"(?i)(?:(?:a|an|the|(?:sudah\s+)?ada|terjadi|before|sebelum)\s+)?"
                          r"(?:monthly\s+|annual\s+|bulanan\s+|tahunan\s+)?"
                          r"(?:increas(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|ris(?:e|es|ing|en)|rose|fall(?:s|ing)?|fell|"
                          r"gain(?:s|ed|ing)?|grow(?:th|s|ing)?|grew|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|"
                          r"kenaikan|penurunan|pertumbuhan|penambahan|"
                          r"tambahan|peningkatan)\b")
_COPULA_BEFORE = re.compile(r"(?i)\b(mencapai|sebesar|sebanyak|berjumlah|tercatat|menjadi|reached|was|were|is|are|"
                            r"totalled|totaled|stood at|came to|to|at)\s+(?:sekitar\s+|about\s+|around\s+)?$")


_RECEIVES = re.compile(r"\b(?:menerima|memperoleh|mendapat(?:kan)?|meraup|received|took in|attracted|drew in|"
                       r"came next|led with|di (?:depan|belakang)(?:nya)?\s+(?:dengan|ada)|(?P<next>diikuti|disusul|"
                       r"followed by))\b", re.I)
_REPORTING_VERB = re.compile(r"\s*(?:juga\s+|also\s+)?(mencatat|mencatatkan|melaporkan|recorded|reported|counted)\s*$",
                             re.I)


def _reports(phrase: str, between: str) -> bool:
    """'BPS mencatat N', 'The ministry recorded N': an institution reporting the number."""
    words = phrase.lower().split()
    return bool(words) and _REPORTING_VERB.match(between) is not None and (
        words[0] in INSTITUTION_WORDS or (words[0] in ("the", "a") and len(words) > 1 and words[1] in INSTITUTION_WORDS)
        or phrase.isupper())


def _modified_noun(sentence: str, toks, index: int, figure: Figure) -> str | None:
    """'a 0.3% merchant discount rate', 'the Rp3,325.1 trillion ceiling': after an article, the number
    modifies the noun that follows it."""
    if index == 0 or toks[index - 1].lower not in ("a", "an", "the"):
        return None
    after = phrase_after(sentence, toks, index)
    if after is None or not _names_more_than_unit(sentence, toks, index, figure):
        return None
    return after.text


def _count_predicate(sentence: str, end: int, language: str) -> str:
    """'69 di antaranya mengalami inflasi bulanan', '79 saw prices rise': what the counted things did."""
    match = re.match(r"\s*(?:di antaranya|of them|among them)?\s*((?:[^\W\d_][\w-]*\s*){1,4})", sentence[end:])
    if not match:
        return ""
    words = []
    for word in match.group(1).split():
        if word.lower() in _PREDICATE_ENDS or \
                (not words and not (is_verb(word, language) or word.lower() in _COUNT_VERBS)):
            break
        words.append(word)
    return " " + " ".join(words) if words else ""


_PREDICATE_ENDS = frozenset("""dan and serta yang which that while sementara dengan with di in pada on at
sebesar of dari from""".split())
_COUNT_VERBS = frozenset("saw had have reported posted recorded were mengalami mencatat tercatat".split())


def _names_more_than_unit(sentence: str, toks, index: int, figure: Figure) -> bool:
    """Whether words after the number name something beyond its unit ('4,4 juta debitur' yes, '605,5 ribu barel
    per hari' no)."""
    after = phrase_after(sentence, toks, index)
    if after is None:
        return False
    unit = (figure.unit or "").lower()
    return not all(w.lower() in MEASURE_UNITS or w.lower() == unit or w.lower().rstrip("s") in MEASURE_UNITS
                   for w in after.text.split())


def _previous_sentence_main(text: str, earlier: list[Claim], s_start: int) -> Claim | None:
    """The first claim of the nearest previous sentence of the same paragraph."""
    if not earlier or earlier[-1].figure is None:
        return None
    last = earlier[-1].figure.sentence_start
    if text.rfind("\n\n", 0, last) != text.rfind("\n\n", 0, s_start):
        return None
    if text[last:s_start].count("\n") > 1 or text[text.rfind("\n", 0, last) + 1:last].lstrip().startswith("#"):
        return None
    return next(c for c in earlier if c.figure is not None and c.figure.sentence_start == last)


def _noun_after_unit(sentence: str, end: int) -> str | None:
    """'433 ribu ton beras pada November' → 'beras': the noun after a measure unit."""
    match = re.match(r"\s*[^\W\d_]+\s+((?:[^\W\d_][\w-]*\s*){1,3})", sentence[end:])
    if not match:
        return None
    words = []
    for word in match.group(1).split():
        if word.lower() in LINK_WORDS or word.lower() in ("yang", "which", "that", "and", "dan") or is_verb(word):
            break
        words.append(word)
    return " ".join(words) or None


_PREDICATES = frozenset("""naik turun tumbuh mencapai sebesar tercatat menjadi ke dari berada rose fell grew was were is
are stood reached to from at than versus against after down up above below dibanding dibandingkan daripada
ketimbang compared vs""".split())


def _unit_words(figure: Figure) -> frozenset[str]:
    unit = (figure.unit or "").lower()
    if not unit or unit in ("%", "pp", "bps") or "/" in unit:
        return frozenset({"persen", "percent", "poin", "points", "point"}) if unit else frozenset()
    return frozenset({unit} | ({w for w in figure.unit_terms if w in MEASURE_UNITS or w == unit}))


def _opening_qualifiers(sentence: str) -> str:
    """'Secara tahunan, …' / 'On an annual basis, …': an opening adverbial qualifies the whole sentence."""
    head, comma, _ = sentence.partition(",")
    return head if comma and len(head.split()) <= 5 and not re.search(r"\d", head) else ""


@lru_cache(maxsize=8192)  # a question's qualifiers are compared with every candidate's claim
def _qualifiers(text: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in QUALIFIER_PATTERNS.items() if pattern.search(text))


# Qualifiers of one family exclude each other: a growth is year-on-year or quarter-on-quarter, a GDP nominal or real.
QUALIFIER_FAMILIES = (("yoy", "mom", "qoq", "ytd"), ("nominal", "real"), ("migas", "nonmigas"), ("core", "headline"),
                      ("gross", "net"))


def qualifier_agreement(asked_text: str, claimed: tuple[str, ...]) -> tuple[float, float]:
    """(families where the question's qualifier is the claim's, families where the claim has another of the same
    family): "pertumbuhan q-to-q" against a claim "5,13 persen (y-on-y)" is a conflict."""
    asked = set(_qualifiers(asked_text))
    match = conflict = 0
    for family in QUALIFIER_FAMILIES:
        wanted, stated = asked & set(family), set(claimed) & set(family)
        if wanted and stated:
            match += bool(wanted & stated)
            conflict += not (wanted & stated)
    return float(match), float(conflict)
