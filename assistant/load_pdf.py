"""PDF briefings: the text of every page, page numbers dropped, lines the PDF wrapped inside a sentence
joined again (`reflow`); part of `assistant.load`, which calls `load_pdf` for a .pdf file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.load import UnreadableDocument

_LIST_ITEM = re.compile(r"^(?:[-•–—*▪●·○■]\s|\d{1,2}[.)]\s|[a-z][.)]\s|\(\w{1,3}\)\s)")
_ENDS_CLAUSE = re.compile(r"[.!?:;\"”’)]$")
_TABLE_GAP = re.compile(r"\S {3,}\S|\t")
_HYPHENATED = re.compile(r"(\w+)-$")


def _line_joiner(previous: str, following: str, full_width: int) -> str | None:
    """How two lines of a PDF page join: " " (a wrapped sentence), "" (a hyphenated word), or None (a break)."""
    if not previous or not following or _LIST_ITEM.match(following):
        return None
    if _TABLE_GAP.search(previous) or _TABLE_GAP.search(following):
        return None  # cells of a table-like block stay rows
    hyphenated = _HYPHENATED.search(previous)
    if hyphenated and following[0].islower():
        word = following.split()[0].rstrip(".,;:!?")
        return "-" if word == hyphenated.group(1) else ""  # "sama-\nsama" keeps its hyphen
    if previous[-1] in ".!?…":
        return None
    if following[0].islower() or following[0].isdigit() or following[0] in "(%":
        return " "  # a sentence going on: "…sebesar\n22,8 juta", "…dan\nmenengah"
    # A line that fills the width and ends mid-clause wraps into the next; a short one ends a paragraph
    # or is a heading.
    long_line = full_width > 0 and len(previous) >= 0.75 * full_width and len(previous.split()) >= 5
    return " " if long_line and not _ENDS_CLAUSE.search(previous) else None


def reflow(page_text: str) -> str:
    """Join the lines a PDF wrapped inside a sentence (and hyphenated words); keep paragraphs, headings,
    list items and table rows on their own lines."""
    lines = [line.strip() for line in page_text.splitlines()]
    prose = sorted(len(line) for line in lines if len(line.split()) >= 5)
    full_width = prose[int(0.8 * (len(prose) - 1))] if prose else 0
    out = lines[:1]
    for line in lines[1:]:
        joiner = _line_joiner(out[-1], line, full_width)
        if joiner is None:
            out.append(line)
        else:
            head = out[-1][:-1] if joiner in ("", "-") else out[-1]  # a hyphenated word: drop or keep its "-"
            out[-1] = head + joiner + line
    return "\n".join(out)


_PAGE_NUMBER = re.compile(r"^[-–\s]*(?:page|halaman|hal\.?)?\s*\d{1,4}(?:\s*(?:/|of|dari)\s*\d{1,4})?[-–\s]*$",
                          re.IGNORECASE)


def _without_page_numbers(page_text: str) -> str:
    """A page's text without a page number as its first or last line."""
    lines = page_text.strip().splitlines()
    while lines and _PAGE_NUMBER.match(lines[-1]):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines).strip()


def load_pdf(path: Path) -> tuple[str, dict[str, Any]]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise UnreadableDocument(path, "encrypted PDF: remove the password and add it again")
        pages = [_without_page_numbers(page.extract_text() or "") for page in reader.pages]
        info = reader.metadata
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableDocument(path, f"corrupt or unreadable PDF ({error})") from None
    text = reflow("\n".join(p for p in pages if p))  # a sentence may go on over a page break
    if not text:
        raise UnreadableDocument(path, "PDF has no extractable text (a scanned image?)")
    metadata = {"title": getattr(info, "title", None) if info else None}
    return text, metadata
