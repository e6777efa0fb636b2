"""Sentence-aware chunks that keep character offsets into the document (`chunk.text == text[start:end]`).

A small scanner instead of a generic splitter, because figures must stay whole: a sentence never
ends inside "22,8", "1.234,56", "Rp4.500", "US$3.50", "pukul 15.00" or "4/12/2023", nor after an
abbreviation ("Dr.", "dll.", "Tbk.", "U.S.", "e.g.") or inside an ellipsis. A line break always
ends a sentence, so a heading is a sentence of its own. Lines of page furniture (widgets, bylines,
"baca juga" links, a repeated headline) are left out of every chunk.
"""

from __future__ import annotations

import hashlib
import json
import re

from assistant.furniture import furniture_lines
from assistant.schema import Chunk, SourceDocument

ABBREVIATIONS = frozenset(
    """
    dr drs dra prof ir h hj st sdr sdri bpk ibu yth no nos nomor hlm hal vol jl jln kab kec kel prov
    dll dkk dsb dst tsb sbb spt mis ybs ttg tbk pt cv rp a.n u.p a.l s.e s.h m.m m.si
    mr mrs ms jr sr vs etc e.g i.e u.s u.k approx ca fig inc ltd co corp dept est govt
    jan feb mar apr jun jul agu ags agt aug sep sept okt oct nov des dec
    min maks max ref
    """.split()
)
_TERMINATORS = ".!?…"
_CLOSERS = "\"'”’»)]"
_LINE = re.compile(r"[^\r\n]+")
_CANDIDATE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")
_INITIALS = re.compile(r"^(?:[a-z]\.)+[a-z]$")


def _word_before(line: str, dot: int) -> str:
    """The token that ends right before position `dot` (e.g. 'dll' or 'u.s')."""
    begin = dot
    while begin > 0 and not line[begin - 1].isspace() and line[begin - 1] not in "(\"'“‘[":
        begin -= 1
    return line[begin:dot]


def _is_boundary(line: str, match: re.Match) -> bool:
    marks = match.group().rstrip(_CLOSERS)
    rest = line[match.end() :].lstrip()
    if not rest:
        return True
    if marks.endswith(("!", "?")) and "." not in marks and "…" not in marks:
        return True
    # "." or an ellipsis: a lowercase continuation means the sentence goes on ("dll. dan", "... lalu").
    if rest[0].islower():
        return False
    if marks in (".",):
        word = _word_before(line, match.start()).lower()
        if word in ABBREVIATIONS or _INITIALS.match(word):
            return False
        if len(word) == 1 and word.isalpha():  # an initial: "J. Smith"
            return False
    return True


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Absolute (start, end) of every sentence in text[start:end], surrounding whitespace stripped."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line_match in _LINE.finditer(text, start, end):
        line = line_match.group()
        offset = line_match.start()
        sentence_start = 0
        for match in _CANDIDATE.finditer(line):
            if _is_boundary(line, match):
                _add_stripped(spans, line, offset, sentence_start, match.end())
                sentence_start = match.end()
        _add_stripped(spans, line, offset, sentence_start, len(line))
    return spans


def _add_stripped(spans: list[tuple[int, int]], line: str, offset: int, begin: int, finish: int) -> None:
    piece = line[begin:finish]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((offset + begin + lead, offset + begin + lead + len(stripped)))


def chunk_id(source: str, start: int, end: int, text: str, metadata: dict) -> str:
    """Deterministic id: the same text at the same place with the same metadata keeps its id."""
    key = json.dumps([source, start, end, text, metadata], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _paragraph_break(text: str, previous_end: int, next_start: int) -> bool:
    return text.count("\n", previous_end, next_start) >= 2


def _pack(text: str, spans: list[tuple[int, int]], chunk_size: int, overlap: int) -> list[tuple[int, int]]:
    """Groups of whole sentences (first index, last index + 1) up to ~chunk_size characters."""
    groups: list[tuple[int, int]] = []
    first = 0
    while first < len(spans):
        last = first + 1
        while last < len(spans):
            if spans[last][1] - spans[first][0] > chunk_size:
                break
            filled = spans[last - 1][1] - spans[first][0]
            if filled >= chunk_size / 2 and _paragraph_break(text, spans[last - 1][1], spans[last][0]):
                break
            last += 1
        groups.append((first, last))
        if last >= len(spans):
            break
        first = max(last - overlap, first + 1)
    return groups


def text_runs(doc: SourceDocument) -> list[list[tuple[int, int]]]:
    """The body's sentences in runs between lines of page furniture (see `assistant.furniture`)."""
    pieces = re.split(r"(\r\n|\r|\n)", doc.text[doc.body_start:])
    lines, starts, position = pieces[0::2], [], doc.body_start
    for line, ending in zip(lines, pieces[1::2] + [""]):
        starts.append(position)
        position += len(line) + len(ending)
    flags = furniture_lines(lines, doc.metadata.get("title"))
    runs: list[list[tuple[int, int]]] = [[]]
    for line, start, furniture in zip(lines, starts, flags):
        if furniture:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].extend(sentence_spans(doc.text, start, start + len(line)))
    runs = [run for run in runs if run]
    return runs or [sentence_spans(doc.text, doc.body_start)]  # all furniture: keep the document findable


def split_document(doc: SourceDocument, chunk_size: int = 500, overlap: int = 1) -> list[Chunk]:
    """Chunks of whole body sentences, never spanning page furniture; neighbours share `overlap` sentences."""
    groups = [
        (run[first][0], run[last - 1][1])
        for run in text_runs(doc)
        for first, last in _pack(doc.text, run, chunk_size, overlap)
    ]
    chunks = []
    for index, (start, end) in enumerate(groups):
        text = doc.text[start:end]
        metadata = {**doc.metadata, "source": doc.source, "start": start, "end": end, "chunk_index": index}
        chunks.append(
            Chunk(
                id=chunk_id(doc.source, start, end, text, doc.metadata),
                source=doc.source,
                text=text,
                start=start,
                end=end,
                metadata=metadata,
            )
        )
    return chunks
