"""Records that flow between the stages: a loaded document, a chunk of it, a retrieved chunk."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceDocument:
    """A loaded briefing. `text` is the source text all offsets refer to.

    For .txt/.md it is the decoded file content (front matter included; the body starts at
    `body_start`); for .html/.pdf it is the extracted text.
    """

    source: str  # path as the user knows it, e.g. "corpus/umkm-go-digital.md"
    text: str
    body_start: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)  # title, publisher, date (ISO), url, language


@dataclass(frozen=True)
class Chunk:
    """Whole sentences of one document; `text == document.text[start:end]`."""

    id: str
    source: str
    text: str
    start: int
    end: int
    metadata: dict[str, Any] = field(default_factory=dict)  # document metadata + chunk index


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    score: float  # fused score, higher is better
    dense: float  # cosine similarity of question and chunk
    lexical: float  # normalised BM25 score in [0, 1]
