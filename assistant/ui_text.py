"""Plain text for the page's copy controls and its messages, in the answer's language.

A copied citation reads `"…quote…" — Title, Publisher, 4 Desember 2023, URL`; a copied answer is
the answer without markdown (no `**`), then its numbered citations.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date

from assistant.answer import Answer, Citation

MESSAGES = {
    "id": {
        "sources": "Sumber",
        "calculation": "Perhitungan",
        "refusal": "Tidak ditemukan di dokumen",
        "empty": "Sumber jawaban akan muncul di sini.",
        "published": "terbit",
        "open": "buka sumber",
        "copy_citation": "Salin kutipan",
        "copy_answer": "Salin jawaban",
        "confidence": "Keyakinan",
        "date_unknown": "tanggal tidak diketahui",
        "error": "Pertanyaan tidak dapat dijawab: {reason}",
        "added": "**{name}** ditambahkan dan diindeks.",
        "add_failed": "Tidak dapat menambahkan {name}: {reason}",
        "removed": "**{name}** dihapus dari dokumen dan indeks.",
        "remove_failed": "Tidak dapat menghapus {name}: {reason}",
    },
    "en": {
        "sources": "Sources",
        "calculation": "Calculation",
        "refusal": "Not in the documents",
        "empty": "The sources of an answer appear here.",
        "published": "published",
        "open": "open source",
        "copy_citation": "Copy citation",
        "copy_answer": "Copy answer",
        "confidence": "Confidence",
        "date_unknown": "date unknown",
        "error": "The question cannot be answered: {reason}",
        "added": "Added **{name}** and indexed it.",
        "add_failed": "Could not add {name}: {reason}",
        "removed": "Removed **{name}** from the documents and the index.",
        "remove_failed": "Could not remove {name}: {reason}",
    },
}

# The words of an ingest summary (assistant.ingest) in Indonesian.
SUMMARY_WORDS_ID = {"documents": "dokumen", "chunks": "potongan", "added": "ditambah", "updated": "diperbarui",
                    "unchanged": "tetap", "deleted": "dihapus", "total": "total", "embedded": "di-embed",
                    "errors": "galat"}

# The engine's reasons for not taking a question (assistant.engine.check_question), in Indonesian.
_REASONS_ID = (
    (re.compile(r"^the question is empty$"), "pertanyaannya kosong"),
    (re.compile(r"^the question is (\d+) characters long; the limit is (\d+)$"),
     r"pertanyaannya \1 karakter; batasnya \2"),
    (re.compile(r"^the question contains binary data$"), "pertanyaannya berisi data biner"),
    (re.compile(r"^the question must be text, not (\w+)$"), r"pertanyaannya harus berupa teks, bukan \1"),
)


def messages(language: str | None) -> dict[str, str]:
    return MESSAGES.get(language or "en", MESSAGES["en"])


def error_message(reason: str, language: str) -> str:
    """'Pertanyaan tidak dapat dijawab: pertanyaannya kosong' for an Indonesian question."""
    if language == "id":
        for pattern, replacement in _REASONS_ID:
            if pattern.match(reason):
                reason = pattern.sub(replacement, reason)
                break
    return messages(language)["error"].format(reason=reason)


def display_date(iso: str | None, language: str | None) -> str | None:
    """'2023-12-04' → '4 Desember 2023' (id) / '4 December 2023' (en); other text is kept as given."""
    if not iso:
        return None
    try:
        day = dt.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return format_date(day, "d MMMM y", locale="id" if language == "id" else "en")


def citation_text(citation: Citation, language: str | None) -> str:
    """A ready-to-paste citation: the quoted sentence, title, publisher, date and URL when known."""
    url = citation.url if re.match(r"https?://\S+$", citation.url or "") else None  # never "javascript:…"
    details = [citation.title or citation.source, citation.publisher, display_date(citation.date, language), url]
    return f"\"{citation.quote}\" — " + ", ".join(str(part) for part in details if part)


def plain_answer(answer: Answer) -> str:
    """The answer as plain text (no markdown emphasis or quote marks), then its citations."""
    text = re.sub(r"\*\*|__", "", answer.answer)
    text = re.sub(r"^>\s?", "", text, flags=re.MULTILINE).strip()
    lines = [text]
    if answer.citations:
        lines.append("")
        lines += [f"[{c.n}] {citation_text(c, answer.language)}" for c in answer.citations]
    return "\n".join(lines)


def confidence_label(answer: Answer) -> str | None:
    """'Keyakinan 97%' when the engine gives a confidence for the answer, else None."""
    confidence = getattr(answer, "confidence", None)
    if confidence is None:
        return None
    return f"{messages(answer.language)['confidence']} {round(float(confidence) * 100)}%"


def chat_language(chat: list[dict] | None) -> str:
    """The language of the last question in the chat ('en' before any): what page messages follow."""
    from assistant.analyse import detect_language

    for message in reversed(chat or []):
        if message.get("role") == "user":
            content = message.get("content")
            text = content if isinstance(content, str) else " ".join(
                str(part.get("text", "")) for part in content or [] if isinstance(part, dict))
            if text.strip():
                return detect_language(text)
    return "en"
