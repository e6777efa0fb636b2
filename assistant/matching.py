"""Does a passage name a term? Topics, names, places, qualifiers, in either language.

The reader's checks ("the figure's sentence must name the question's topic", "a place belongs to the
number in whose clause it stands") all ask this; the answers are cached because the same sentences are
read for every question.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from assistant.analyse import QuestionAnalysis
from assistant.evidence import DocumentView
from assistant.figures import Figure
from assistant.lexical import stem, tokenize
from assistant.lexicon import PLACES, equivalents, place_forms


@lru_cache(maxsize=20_000)
def stems_of(text: str) -> frozenset[str]:
    """The stems of a passage; the same sentences are read for every question, so they are cached."""
    return frozenset(tokenize(text))


def figure_context(view: DocumentView, figure: Figure, with_title: bool = True,
             with_next: bool = False) -> tuple[set[str], str]:
    """Stems and lowercased text of the figure's sentence and the sentence before it in its paragraph
    (the one after it too with `with_next`; and the document's title, which states its topic), with
    the expansions of acronyms in it."""
    start, end = figure.sentence_start, figure.sentence_end
    key = (figure.sentence_start, figure.sentence_end)
    index = view.sentences.index(key) if key in view.sentences else -1
    if index > 0:
        previous_start, previous_end = view.sentences[index - 1]
        if "\n\n" not in view.text[previous_end:figure.sentence_start]:
            start = previous_start
    if with_next and 0 <= index < len(view.sentences) - 1:
        next_start, next_end = view.sentences[index + 1]
        if "\n\n" not in view.text[figure.sentence_end:next_start]:
            end = next_end
    text = view.text[start:end] + ("\n" + view.title if with_title else "")
    words = set(stems_of(text))
    lowered = text.lower()
    for acronym, expansion in view.acronyms.items():
        if acronym in words or re.search(r"\b" + re.escape(acronym) + r"\b", lowered):
            words |= expansion
            lowered += " " + " ".join(sorted(expansion))
    return words, lowered


@lru_cache(maxsize=512)
def _entity_forms(entity: str) -> tuple[frozenset[str], ...]:
    """Each word of a name with its stem and translations: Perindustrian → perindustrian, industri, industry."""
    return tuple(frozenset({w.lower(), stem(w.lower())} | equivalents(w) | equivalents(stem(w.lower())))
                 for w in entity.split())


def entity_named(entity: str, text: str) -> bool:
    """Whether lowercased `text` names the entity: a place in any spelling, a one-word name or any of
    its forms, a longer name with its words (any form, any order) next to each other."""
    spellings = place_forms(entity)
    if spellings:
        return any(re.search(r"(?<!\w)" + re.escape(f) + r"(?!\w)", text) for f in spellings)
    words_of = _entity_forms(entity)
    if len(words_of) > 1:  # "Jawa Tengah" is a name, not "luar Jawa" plus "Sulawesi Tengah"; the words
        return _near_each_other(list(words_of), text)  # may swap ("Trade Ministry" / "Kementerian Perdagangan")
    return entity.lower() in text or any(re.search(r"(?<!\w)" + re.escape(f) + r"(?!\w)", text)
                                         for f in words_of[0])


def _near_each_other(words_of: list[frozenset[str] | set[str]], text: str, window: int = 16) -> bool:
    """Every word of a name (any of its forms) within a few words of the others, in any order."""
    positions = [[m.start() for f in forms for m in re.finditer(r"(?<!\w)" + re.escape(f) + r"(?!\w)", text)]
                 for forms in words_of]
    if not all(positions):
        return False
    return any(all(any(abs(p - q) <= window for q in others) for others in positions[1:]) for p in positions[0])


REPORTING = re.compile(r"\W*(?:\)\s*)?(mencatat|melaporkan|menyampaikan|mengumumkan|menyebut|reported|said|says|"
                        r"announced|recorded|noted|data|survey|survei)\b", re.I)


def place_of(view: DocumentView, figure: Figure) -> str | None:
    """The place a number is attributed to: the last place named before it in its sentence."""
    before = view.text[figure.sentence_start:figure.start].lower()
    last: tuple[int, str] | None = None
    for place, forms in PLACES.items():
        for form in forms:
            for m in re.finditer(r"(?<![\w-])" + re.escape(form) + r"(?!\w)", before):
                if last is None or m.start() > last[0]:
                    last = (m.start(), place)
    return last[1] if last else None


def own_clause(view: DocumentView, figure: Figure) -> str:
    """The words that belong to this number: from the previous number (or clause start) up to it,
    and after it only up to the next comma ('…Malaysia, yakni 172.900 kunjungan, disusul Australia…')."""
    if not figure.clause_end:
        return view.text[figure.sentence_start:figure.sentence_end].lower()
    after = view.text[figure.end:figure.clause_end]
    cut = re.search(r"[,;]|\b(dan|and|serta|sedangkan|while|whereas|atau|or|but|namun)\b", after)
    return view.text[figure.clause_start:figure.end + (cut.start() if cut else len(after))].lower()


def sentence_context(view: DocumentView, start: int, end: int) -> tuple[set[str], str]:
    """A sentence with the one before it in its paragraph and the expansions of its acronyms."""
    key = (start, end)
    index = view.sentences.index(key) if key in view.sentences else -1
    if index > 0 and "\n\n" not in view.text[view.sentences[index - 1][1]:start]:
        start = view.sentences[index - 1][0]
    text = view.text[start:end]
    words, lowered = set(stems_of(text)), text.lower()
    for acronym, expansion in view.acronyms.items():
        if re.search(r"\b" + re.escape(acronym) + r"\b", lowered):
            words |= expansion
            lowered += " " + " ".join(sorted(expansion))
    return words, lowered


def names_topic(group: frozenset[str], words: set[str], lowered: str) -> bool:
    return bool(group & words) or any(re.search(r"(?<!\w)" + re.escape(t), lowered) for t in group)


@lru_cache(maxsize=256)
def _forms_pattern(forms: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")


def has_form(forms: tuple[str, ...], lowered: str) -> bool:
    return _forms_pattern(forms).search(lowered) is not None


def _word_present(word: str, views: list[DocumentView]) -> bool:
    """A word of an entity is present as written, as a translation, as a stem, or (for a capitalised
    word that is not an acronym) as a close spelling: 'Zona' ~ 'Zone', 'Indonesian' ~ 'Indonesia'."""
    lowered = word.lower()
    forms = equivalents(lowered) | {stem(lowered)}
    for view in views:
        if forms & view.words or any(view.mentions(f) for f in forms):
            return True
        if not word.isupper() and len(lowered) >= 7:
            if any(w.startswith(lowered[:len(lowered) - 2]) for w in view.words):
                return True
        if not word.isupper() and len(lowered) >= 5:
            if difflib.get_close_matches(lowered, view.words, n=1, cutoff=0.8):
                return True
    return False


def missing_terms(analysis: QuestionAnalysis, views: list[DocumentView]) -> tuple[str, ...]:
    """Entities and topic nouns of the question that none of the evidence documents mention."""
    missing: list[str] = []
    for entity in analysis.entities:
        if any(view.mentions(entity) for view in views) or any(
                view.mentions(form) for view in views for form in place_forms(entity)):
            continue
        words = [w for w in re.split(r"[\s\-]+", entity) if w]
        present = sum(_word_present(w, views) for w in words)
        if present * 2 < len(words) or (len(words) == 1 and not present):
            missing.append(entity)
    for group in analysis.topic_terms:
        if not any(term in view.stems or view.mentions(term) for view in views for term in group):
            name = max(group, key=lambda term: (len(term), term))  # the longest, ties by spelling: the same in every process
            if not any(t in m.lower() for m in missing for t in group):
                missing.append(name)
    return tuple(missing)
