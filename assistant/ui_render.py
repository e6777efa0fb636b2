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
from assistant.ui_text import (
    SUMMARY_WORDS_ID,
    citation_text,
    confidence_label,
    display_date,
    messages,
    plain_answer,
)

_MARKDOWN_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\n]*)\)")
_NUMBER_TOKEN = re.compile(r"-?\d+(?:\.\d+)?")
_OPERATORS = {"-": "−", "*": "×", "/": "÷", "+": "+"}



def _labels(language: str | None) -> dict[str, str]:
    return messages(language)


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


def source_anchor(n: int, prefix: str = "source") -> str:
    return f"{prefix}-{int(n)}"


def _copy_control(label: str, text: str, kind: str) -> str:
    """A copy button and the text it copies (hidden; newlines kept as character references so the
    markdown around a chat message never sees a blank line)."""
    hidden = escape(text).replace("\n", "&#10;")
    return (f'<button type="button" class="copy-button copy-{kind}">{escape(label)}</button>'
            f'<span class="copy-text">{hidden}</span>')


def render_citation(citation: Citation, figure_texts: Sequence[str], language: str | None,
                    prefix: str = "source") -> str:
    """One source: its number, date (prominent), title, publisher, link, quote and a copy control."""
    labels = _labels(language)
    date = display_date(citation.date, language) or labels["date_unknown"]
    url = _safe_url(citation.url)
    link = (
        f' · <a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{labels["open"]}</a>'
        if url
        else ""
    )
    publisher = escape(citation.publisher) if citation.publisher else ""
    return (
        f'<li class="source" id="{source_anchor(citation.n, prefix)}" data-testid="source-entry">'
        f'<div class="source-head"><span class="source-number">[{int(citation.n)}]</span> '
        f'<span class="source-date">{escape(date)}</span> '
        f'<strong class="source-title">{escape(citation.title or citation.source)}</strong></div>'
        f'<div class="source-meta">{publisher}{link}</div>'
        f'<blockquote class="source-quote">{highlighted_quote(citation, figure_texts)}</blockquote>'
        f'<div class="source-file"><code>{escape(citation.source)}</code> '
        f'{_copy_control(labels["copy_citation"], citation_text(citation, language), "citation")}</div>'
        "</li>"
    )


def render_calculation(calculation: Calculation, language: str | None, prefix: str = "source") -> str:
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
                f'<a class="operand" href="#{source_anchor(operand.citation, prefix)}">'
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


def _source_list(answer: Answer, prefix: str) -> str:
    entries = []
    for citation in answer.citations:
        texts = [f.text for f in answer.figures if f.citation == citation.n]
        entries.append(render_citation(citation, texts, answer.language, prefix))
    return f'<ol class="sources">{"".join(entries)}</ol>'


def render_sources(answer: Answer | None) -> str:
    """The sources panel for one answer: refusal note, confidence, calculation, numbered citations."""
    if answer is None:
        return f'<div class="sources-panel empty">{_labels("en")["empty"]}<br>{_labels("id")["empty"]}</div>'
    labels = _labels(answer.language)
    blocks: list[str] = ['<div class="sources-panel">']
    if not answer.answerable:
        blocks.append(
            f'<div class="refusal" data-testid="refusal"><h4>{labels["refusal"]}</h4>'
            f"<p>{escape(answer.answer)}</p></div>"
        )
    confidence = confidence_label(answer)
    if confidence:
        blocks.append(f'<p class="confidence" data-testid="confidence">{escape(confidence)}</p>')
    if answer.calculation is not None:
        blocks.append(render_calculation(answer.calculation, answer.language))
    if answer.citations:
        blocks.append(f'<h4>{labels["sources"]}</h4>{_source_list(answer, "source")}')
    blocks.append("</div>")
    return "".join(blocks)


OPEN_SOURCES = '<details class="answer-sources" open>'
_MARKER = re.compile(r"(?<!\\)\[(\d{1,3})\](?!\()")
_EXTRAS_START = '\n\n<div class="answer-extras">'
_CITE_LINK = re.compile(r'<a class="cite" href="#[\w-]+">(\[\d{1,3}\])</a>')


def answer_message(answer: Answer, key: str) -> str:
    """A chat message that keeps its own sources: the answer with each [n] linked to its source,
    then its confidence, a copy control (plain text) and its sources, which stay with it."""
    labels = _labels(answer.language)
    cited = {c.n for c in answer.citations}
    text = _MARKER.sub(
        lambda m: f'<a class="cite" href="#{key}-source-{m.group(1)}">[{m.group(1)}]</a>'
        if int(m.group(1)) in cited else m.group(0),
        safe_answer_markdown(answer.answer),
    )
    tools = [f'<span class="confidence">{escape(c)}</span> ' for c in [confidence_label(answer)] if c]
    tools.append(_copy_control(labels["copy_answer"], plain_answer(answer), "answer"))
    extras = [f'<div class="answer-tools">{"".join(tools)}</div>']
    if answer.citations or answer.calculation is not None:
        calculation = render_calculation(answer.calculation, answer.language, f"{key}-source") if answer.calculation else ""
        extras.append(
            f'{OPEN_SOURCES}<summary>{labels["sources"]} ({len(answer.citations)})</summary>'
            f'{calculation}{_source_list(answer, f"{key}-source")}</details>'
        )
    return text + _EXTRAS_START + "".join(extras) + "</div>"


def engine_text(message: str) -> str:
    """A chat message as the engine wrote it: without its sources block and [n] links (for history)."""
    head, _, _ = message.partition(_EXTRAS_START)
    return _CITE_LINK.sub(r"\1", head)


DOCUMENT_COLUMNS = ["title", "date", "publisher", "source"]  # title and date first: a phone shows those
DOCUMENT_COLUMN_WIDTHS = ["185px", "95px", "170px", "260px"]  # title + date fit a 390-pixel-wide phone


def documents_rows(documents: Sequence[dict[str, Any]]) -> list[list[str]]:
    """Rows for the documents table (plain text cells)."""
    return [[str(doc.get(column) or "") for column in DOCUMENT_COLUMNS] for doc in documents]


def _summary_value(value: Any, words: dict[str, str]) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{escape(words.get(k, k))} {_summary_value(v, words)}" for k, v in value.items()
                         if v not in (0, None))
    if isinstance(value, (list, tuple)):
        return "; ".join(_summary_value(v, words) for v in value)
    return escape(value)


def ingest_summary_markdown(summary: dict[str, Any], filename: str, language: str = "en") -> str:
    """A short, escaped account of what the ingest did (nested counts flattened, zeros left out)."""
    words = SUMMARY_WORDS_ID if language == "id" else {}
    parts = [
        f"{escape(words.get(key, key))}: {shown}"
        for key, value in summary.items()
        if value not in (0, None, [], {}) and (shown := _summary_value(value, words))
    ]
    details = " · ".join(parts)
    return messages(language)["added"].format(name=escape(filename)) + (f" {details}" if details else "")


SOURCES_CSS = """
.sources-panel h4 { margin: 0.4em 0; }
.sources-panel ol.sources { padding-left: 0; list-style: none; }
.sources-panel li.source { margin-bottom: 0.9em; padding: 0.5em 0.7em; border-left: 3px solid var(--color-accent); }
.sources-panel .source-meta, .sources-panel .source-file { font-size: 0.85em; opacity: 0.8; }
.sources-panel blockquote { margin: 0.4em 0; white-space: pre-wrap; }
.sources-panel mark { font-weight: 600; padding: 0 0.15em; }
.sources-panel .formula a.operand { text-decoration: underline; }
.sources-panel .refusal { padding: 0.5em 0.7em; border-left: 3px solid var(--error-border-color, #d33); }
#chat .answer-sources ol.sources { padding-left: 0; list-style: none; margin: 0.3em 0; }
#chat .answer-sources li.source { margin: 0.5em 0; padding: 0.3em 0.6em; border-left: 3px solid var(--color-accent); }
#chat .answer-sources summary { cursor: pointer; font-weight: 600; }
#chat .answer-sources blockquote { margin: 0.3em 0; }
.source-date { font-weight: 700; white-space: nowrap; }
.source-date::after { content: " ·"; font-weight: 400; }
li.source.highlighted, li.source:target { background: var(--color-accent-soft, #fff3c4); outline: 2px solid var(--color-accent); }
.copy-text { display: none; }
.copy-button { font-size: 0.8em; padding: 0.1em 0.5em; margin-left: 0.3em; border: 1px solid var(--border-color-primary);
  border-radius: 4px; background: var(--button-secondary-background-fill); cursor: pointer; }
.copy-button.copied::after { content: " ✓"; }
.answer-tools { margin-top: 0.4em; font-size: 0.9em; }
.answer-tools .confidence, .sources-panel .confidence { font-weight: 600; }
a.cite { text-decoration: none; font-weight: 600; }
#chat .top-panel { position: static; display: flex; justify-content: flex-end; width: 100%; box-sizing: border-box; }  /* its own row, over no message */
#upload-label p { margin: 0.2em 0; }
@media (max-width: 640px) {
  #sources-column { display: none; }  /* on a phone each answer shows its own sources under it */
  #documents table { font-size: 0.85em; }
}
"""

# Copy controls and [n] links inside chat messages (Gradio's sanitiser keeps classes, ids and fragment
# links but no scripts or data attributes, so one listener on the page does the work).
PAGE_SCRIPT = """
<script>
(() => {
  const copy = async (text) => {
    if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return; }
    const area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select(); document.execCommand("copy"); area.remove();
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.copy-button");
    if (button) {
      event.preventDefault(); event.stopPropagation();
      const text = button.parentElement.querySelector(".copy-text")?.textContent ?? "";
      copy(text).then(() => { button.classList.add("copied"); setTimeout(() => button.classList.remove("copied"), 2000); });
      return;
    }
    const cite = event.target.closest("a.cite, a.operand");
    if (!cite) return;
    const target = document.getElementById((cite.getAttribute("href") || "").slice(1));
    if (!target) return;
    event.preventDefault(); event.stopPropagation();
    target.closest("details")?.setAttribute("open", "");
    document.querySelectorAll("li.source.highlighted").forEach((entry) => entry.classList.remove("highlighted"));
    target.classList.add("highlighted");
    target.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, true);
})();
</script>
"""
