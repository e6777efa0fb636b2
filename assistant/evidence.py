"""The reader's view of the stored documents: text rebuilt from chunks, sentences, figures, vocabulary.

Chunks satisfy `chunk.text == source_text[start:end]`, so pasting them back at their offsets gives the
source text wherever a chunk covers it (gaps between chunks are only whitespace). Built lazily per
document and cached, so both store modes (embedded and server) work without the original files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from assistant.figures import Figure, extract_figures
from assistant.periods import find_time_mentions
from assistant.lexical import stem, tokenize

_EXPANSION_STOPWORDS = frozenset("dan atau serta yang juta ribu miliar triliun and or the of for million billion".split())
from assistant.schema import Chunk
from assistant.split import sentence_spans


@dataclass
class DocumentView:
    source: str
    text: str
    metadata: dict
    spans: list[tuple[int, int]]  # covered stretches of the source text
    _figures: list[Figure] | None = field(default=None, repr=False)

    @property
    def language(self) -> str:
        return str(self.metadata.get("language") or "id")

    @property
    def published(self) -> date | None:
        try:
            return date.fromisoformat(str(self.metadata.get("date"))[:10])
        except ValueError:
            return None

    @property
    def title(self) -> str:
        return str(self.metadata.get("title") or self.source)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for start, end in self.spans:
            found.extend(sentence_spans(self.text, start, end))
        return found

    @cached_property
    def sentence_index(self) -> dict[int, int]:
        """A sentence's position in the document, by its start offset."""
        return {start: index for index, (start, _) in enumerate(self.sentences)}

    @property
    def figures(self) -> list[Figure]:
        if self._figures is None:
            self._figures = extract_figures(self.text, self.sentences, self.source, self.language, self.published)
        return self._figures

    @cached_property
    def lowered(self) -> str:
        return re.sub(r"\s+", " ", self.text.lower())

    @cached_property
    def stems(self) -> frozenset[str]:
        return frozenset(tokenize(self.text))

    @cached_property
    def main_period(self):
        """The month or quarter the document's title is about ('Neraca Perdagangan Januari 2024 …'),
        the period of figures that state none; None when the title names no such period."""
        for mention in find_time_mentions(self.title, self.published):
            if mention.period.kind in ("month", "quarter"):
                return mention.period
        return None

    @cached_property
    def reference_period(self):
        """The period the document reports on, as its title names it (a month, quarter, half, year or
        stretch); None when the title names none."""
        for mention in find_time_mentions(self.title, self.published):
            if mention.period.kind not in ("since", "current"):
                return mention.period
        return None

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of the text, lowercased, as written (no stemming)."""
        return frozenset(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", self.text.lower()))

    @cached_property
    def acronyms(self) -> dict[str, frozenset[str]]:
        """Acronyms the text defines, with the words of their expansion: 'usaha mikro, kecil, dan
        menengah (UMKM)' → UMKM: {usaha, mikro, kecil, menengah} (and their stems)."""
        found: dict[str, set[str]] = {}
        for match in re.finditer(r"((?:[^\W\d_]+,?\s+){1,8})\(([A-Z][A-Za-z]{1,9})\)", self.text):
            acronym = match.group(2)
            words = re.findall(r"[^\W\d_]+", match.group(1).lower())[-(len(acronym) + 2):]
            terms = found.setdefault(acronym.lower(), set())
            for word in words:
                if len(word) > 2 and word not in _EXPANSION_STOPWORDS:
                    terms |= {word, stem(word)}
        return {acronym: frozenset(terms) for acronym, terms in found.items()}

    @cached_property
    def claims(self) -> dict:
        """The claim (series, entity, period with its reason, kind) of each figure, by the figure's start."""
        from assistant.claims import extract_claims

        return {claim.start: claim for claim in extract_claims(self)}

    def figures_between(self, start: int, end: int) -> list[Figure]:
        return [f for f in self.figures if start <= f.start and f.end <= end]

    def mentions(self, phrase: str) -> bool:
        """Whether the document contains `phrase` as words (case-insensitive)."""
        return contains_words(self.lowered, phrase)


def contains_words(lowered: str, phrase: str) -> bool:
    """Whether lower-cased `lowered` holds `phrase` as whole words (case-insensitive)."""
    return re.search(r"(?<!\w)" + re.escape(phrase.lower()) + r"(?!\w)", lowered) is not None


def build_views(chunks: list[Chunk]) -> dict[str, DocumentView]:
    """One DocumentView per source, its text rebuilt from the chunks at their offsets."""
    by_source: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_source.setdefault(chunk.source, []).append(chunk)
    views = {}
    for source, parts in by_source.items():
        parts.sort(key=lambda c: (c.start, c.end))
        length = max(c.end for c in parts)
        buffer = ["\n"] * length
        spans: list[tuple[int, int]] = []
        for chunk in parts:
            buffer[chunk.start:chunk.end] = list(chunk.text)
            if spans and chunk.start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], chunk.end))
            else:
                spans.append((chunk.start, chunk.end))
        metadata = {k: v for k, v in parts[0].metadata.items() if k not in ("start", "end", "chunk_index", "index")}
        views[source] = DocumentView(source=source, text="".join(buffer), metadata=metadata, spans=spans)
    return views
