"""HTML and markdown rendering for the chat UI: sources panel, calculation, safe answer text.

Every piece of text that comes from a document (titles, publishers, quotes, sources) is
HTML-escaped before any markup is added, so a briefing containing `<script>` or a markdown
link renders as literal text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlparse

from babel.numbers import format_decimal

from assistant.answer import Answer, Calculation, Citation

_MARKDOWN_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\n]*)\)")
_NUMBER_TOKEN = re.compile(r"-?\d+(?:\.\d+)?")
_OPERATORS = {"-": "−", "*": "×", "/": "÷", "+": "+"}

PANEL_LABELS = {
    "id": {
        "sources": "Sumber",
        "calculation": "Perhitungan",
        "refusal": "Tidak ditemukan di dokumen",
        "empty": "Sumber jawaban akan muncul di sini.",
        "published": "terbit",
        "open": "buka sumber",
    },
    "en": {
        "sources": "Sources",
        "calculation": "Calculation",
        "refusal": "Not in the documents",
        "empty": "The sources of an answer appear here.",
        "published": "published",
        "open": "open source",
    },
}


def _labels(language: str | None) -> dict[str, str]:
    return PANEL_LABELS.get(language or "en", PANEL_LABELS["en"])


def escape(text: object) -> str:
    """HTML-escape any value (None becomes an empty string)."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_answer_markdown(markdown: str) -> str:
    """Neutralise raw HTML and links/images in the engine's markdown; keep bold, quotes, [n] markers.

    Escaping `&` and `<` is enough to stop every tag; `>` stays so "> quote" lines remain quotes.
    """
    escaped = markdown.replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_LINK.sub(
        lambda m: f"{m.group(1)}\\[{m.group(2)}\\]\\({m.group(3)}\\)", escaped
    )


def stream_chunks(text: str, words_per_chunk: int = 3) -> Iterator[str]:
    """Growing prefixes of `text`, a few words at a time, ending with the whole text."""
    pieces = re.findall(r"\S+\s*", text)
    if not pieces:
        yield text
        return
    for end in range(words_per_chunk, len(pieces), words_per_chunk):
        yield "".join(pieces[:end])
    yield text


def format_number(value: float | int, language: str | None) -> str:
    """A number in the language's convention (id: 22.800.000 / 35,5; en: 22,800,000 / 35.5)."""
    locale = "id" if language == "id" else "en"
    return format_decimal(value, locale=locale, decimal_quantization=False)


def _highlight_spans(citation: Citation, figure_texts: Sequence[str]) -> list[tuple[int, int]]:
    """The citation's figure spans; when the engine gave none, find the cited figures' text."""
    quote_length = len(citation.quote)
    spans = [(s, e) for s, e in citation.highlight if 0 <= s < e <= quote_length]
    if not spans:
        for text in figure_texts:
            position = citation.quote.find(text) if text else -1
            if position >= 0:
                spans.append((position, position + len(text)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted_quote(citation: Citation, figure_texts: Sequence[str] = ()) -> str:
    """The quote, escaped, with the cited figures wrapped in <mark>."""
    quote = citation.quote
    parts: list[str] = []
    cursor = 0
    for start, end in _highlight_spans(citation, figure_texts):
        parts.append(escape(quote[cursor:start]))
        parts.append(f"<mark>{escape(quote[start:end])}</mark>")
        cursor = end
    parts.append(escape(quote[cursor:]))
    return "".join(parts)


def _safe_url(url: str | None) -> str | None:
    if not url:
        return None
    parsed = urlparse(url)
    return url if parsed.scheme in ("http", "https") and parsed.netloc else None


def source_anchor(n: int) -> str:
    return f"source-{int(n)}"


def render_citation(citation: Citation, figure_texts: Sequence[str], language: str | None) -> str:
    """One entry of the sources panel."""
    labels = _labels(language)
    details = [escape(v) for v in (citation.publisher, citation.date) if v]
    url = _safe_url(citation.url)
    link = (
        f' · <a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{labels["open"]}</a>'
        if url
        else ""
    )
    return (
        f'<li class="source" id="{source_anchor(citation.n)}" data-testid="source-entry">'
        f'<div class="source-head"><span class="source-number">[{int(citation.n)}]</span> '
        f'<strong class="source-title">{escape(citation.title or citation.source)}</strong></div>'
        f'<div class="source-meta">{" · ".join(details)}{link}</div>'
        f'<blockquote class="source-quote">{highlighted_quote(citation, figure_texts)}</blockquote>'
        f'<div class="source-file"><code>{escape(citation.source)}</code></div>'
        "</li>"
    )


def render_calculation(calculation: Calculation, language: str | None) -> str:
    """The formula with each operand linked to its source entry, then its result."""
    unused = list(calculation.operands)
    parts: list[str] = []
    cursor = 0
    expression = calculation.expression
    for match in _NUMBER_TOKEN.finditer(expression):
        between = expression[cursor : match.start()]
        parts.append(escape("".join(_OPERATORS.get(ch, ch) for ch in between)))
        token_value = float(match.group())
        operand = next((o for o in unused if float(o.value) == token_value), None)
        shown = format_number(operand.value if operand else token_value, language)
        if operand is None:
            parts.append(escape(shown))
        else:
            unused.remove(operand)
            parts.append(
                f'<a class="operand" href="#{source_anchor(operand.citation)}">'
                f"{escape(shown)}&nbsp;[{int(operand.citation)}]</a>"
            )
        cursor = match.end()
    parts.append(escape("".join(_OPERATORS.get(ch, ch) for ch in expression[cursor:])))
    result = escape(format_number(calculation.result, language))
    label = _labels(language)["calculation"]
    return (
        f'<div class="calculation" data-testid="calculation"><h4>{label}</h4>'
        f'<p class="formula">{"".join(parts)} = <strong>{result}</strong></p></div>'
    )


def render_sources(answer: Answer | None) -> str:
    """The sources panel for one answer: refusal note, calculation, numbered citations."""
    if answer is None:
        return f'<div class="sources-panel empty">{_labels("en")["empty"]}<br>{_labels("id")["empty"]}</div>'
    labels = _labels(answer.language)
    blocks: list[str] = ['<div class="sources-panel">']
    if not answer.answerable:
        blocks.append(
            f'<div class="refusal" data-testid="refusal"><h4>{labels["refusal"]}</h4>'
            f"<p>{escape(answer.answer)}</p></div>"
        )
    if answer.calculation is not None:
        blocks.append(render_calculation(answer.calculation, answer.language))
    if answer.citations:
        blocks.append(f'<h4>{labels["sources"]}</h4><ol class="sources">')
        for citation in answer.citations:
            texts = [f.text for f in answer.figures if f.citation == citation.n]
            blocks.append(render_citation(citation, texts, answer.language))
        blocks.append("</ol>")
    blocks.append("</div>")
    return "".join(blocks)


DOCUMENT_COLUMNS = ["title", "date", "publisher", "source"]  # title and date first: a phone shows those


def documents_rows(documents: Sequence[dict[str, Any]]) -> list[list[str]]:
    """Rows for the documents table (plain text cells)."""
    return [[str(doc.get(column) or "") for column in DOCUMENT_COLUMNS] for doc in documents]


def _summary_value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{escape(k)} {_summary_value(v)}" for k, v in value.items() if v not in (0, None))
    if isinstance(value, (list, tuple)):
        return "; ".join(_summary_value(v) for v in value)
    return escape(value)


def ingest_summary_markdown(summary: dict[str, Any], filename: str) -> str:
    """A short, escaped account of what the ingest did (nested counts flattened, zeros left out)."""
    parts = [
        f"{escape(key)}: {shown}"
        for key, value in summary.items()
        if value not in (0, None, [], {}) and (shown := _summary_value(value))
    ]
    details = " · ".join(parts)
    return f"Added **{escape(filename)}** and indexed it." + (f" {details}" if details else "")


SOURCES_CSS = """
.sources-panel h4 { margin: 0.4em 0; }
.sources-panel ol.sources { padding-left: 0; list-style: none; }
.sources-panel li.source { margin-bottom: 0.9em; padding: 0.5em 0.7em; border-left: 3px solid var(--color-accent); }
.sources-panel .source-meta, .sources-panel .source-file { font-size: 0.85em; opacity: 0.8; }
.sources-panel blockquote { margin: 0.4em 0; white-space: pre-wrap; }
.sources-panel mark { font-weight: 600; padding: 0 0.15em; }
.sources-panel .formula a.operand { text-decoration: underline; }
.sources-panel .refusal { padding: 0.5em 0.7em; border-left: 3px solid var(--error-border-color, #d33); }
"""
