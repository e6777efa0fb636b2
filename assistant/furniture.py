"""Page furniture: lines of a document that are not its text, kept out of the chunks that get quoted.

Scraped pages carry site widgets ("Smallest Font Largest Font", "Cek Berita … di Google News"),
"baca juga" / "read also" links, share and print prompts, bylines, photo credits, date stamps and a
headline repeating the title. They are recognised by kind, in either language, never by the text of
one file: a widget word in a short line that is not a sentence, a label such as "Editor:" or
"Foto:", a line that is only a date, a line equal to the document's title, or a short line with no
sentence and no figure (a heading or a button). A list item or a table row with a figure is text.
"""

from __future__ import annotations

import re

_LEAD_IN = re.compile(
    r"^(?:baca juga|baca selengkapnya|lihat juga|simak juga|tonton juga|berita terkait|artikel terkait|"
    r"read also|read more|see also|related (?:news|articles?|stories|posts?))\b",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^(?:editor|penulis|reporter|pewarta|author|writer|foto|photo|sumber foto|image|gambar|caption|"
    r"keterangan foto|tags?|topik|topics?|kata kunci|keywords?|date|tanggal|published|updated|"
    r"diperbarui|dipublikasikan|diterbitkan)\s*(?:[:：|]|\s\d)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|oleh)\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|dan|and|&|,))*\s*$")
_CREDIT = re.compile(
    r"(?:^(?:foto|photo|ilustrasi|illustration)\b|\((?:foto|photo|dok\.?|antara|reuters|istimewa|ist\.?)\b[^)]*\)\s*$|"
    r"\b(?:antara foto|getty images|shutterstock|ap photo)\b)",
    re.IGNORECASE,
)
_WIDGET_WORDS = re.compile(
    r"\b(?:font|share|bagikan|print|cetak|google news|whatsapp|facebook|twitter|telegram|instagram|linkedin|"
    r"youtube|tiktok|subscribe|berlangganan|langganan|newsletter|follow|ikuti|download|unduh|komentar|"
    r"comments?|advertisement|iklan|scroll|gulir|klik|click|copy link|salin tautan|login|log in|sign in)\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|"
    r"desember|january|february|march|may|june|july|august|october|december|jan|feb|mar|apr|jun|jul|agu|"
    r"ags|aug|sep|okt|oct|nov|des|dec|wib|wita|wit|gmt|utc|am|pm|pukul)\b",
    re.IGNORECASE,
)
_DATE_NUMBERS = re.compile(
    r"(?<![\d.,])(?:\d{1,2}[:.]\d{2}(?::\d{2})?|\d{1,4}[/-]\d{1,2}[/-]\d{1,4}|(?:19|20)\d{2}|\d{1,2})(?![\d.,])"
)
_LIST_ITEM = re.compile(r"^(?:[-•–—*▪●·○■]\s|\d{1,2}[.)]\s|[a-z][.)]\s)")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_HEADING_MARKS = re.compile(r"^#+\s*|\s*#+$")


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _title_forms(title: str) -> set[str]:
    """The title and its parts around a site-name separator ("Headline | Bisnis.com", "Headline - Site")."""
    return {_normalised(part) for part in [title, *re.split(r"\s[|\-–—:·]\s", title)] if len(part.split()) >= 3}


def _only_a_date(text: str) -> bool:
    """A date stamp: "Senin, 04 Desember 2023 | 10:15 WIB", "04/12/2023 10.15" (not "Januari 2024 1,68")."""
    without_words = _DATE_WORDS.sub(" ", text)
    rest = _DATE_NUMBERS.sub(" ", without_words)
    dated = without_words != text or rest != without_words
    return dated and not re.search(r"[^\W_]", rest)


def is_furniture(line: str, title: str | None = None, standalone: bool = True) -> bool:
    """Whether one line of a document is page furniture rather than text to quote.

    `standalone` says the line is not part of a hard-wrapped paragraph (see `standalone_lines`): only
    then can a short line or a widget word make it furniture, so "…the government will share" wrapped
    from the line before stays text."""
    text = _HEADING_MARKS.sub("", line.strip())
    if not text:
        return False
    if _LEAD_IN.match(text) or _LABEL.match(text) or _BYLINE.match(text):
        return True
    words = text.split()
    sentence = _SENTENCE_END.search(text) is not None
    if _only_a_date(text):
        return True
    if len(words) <= 15 and _CREDIT.search(text):
        return True
    if sentence or _LIST_ITEM.match(text) or not (standalone or line.lstrip().startswith("#")):
        return False
    if title and _normalised(text) in _title_forms(title):
        return True  # a headline repeating the title: the title is metadata, the body is the evidence
    if len(words) <= 12 and _WIDGET_WORDS.search(text):
        return True
    return len(words) <= 6 and not re.search(r"\d", text)  # a heading or a button, no figure


_ENDS_BLOCK = re.compile(r"[.!?…:;\"'”’)\]]\s*$")


def furniture_lines(lines: list[str], title: str | None = None) -> list[bool]:
    """For each line of a text, whether it is furniture; a line counts as standalone when the line
    before it is blank, furniture or ends a sentence, and the line after it does not go on in lowercase."""
    flags: list[bool] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else ""
        following = lines[index + 1].lstrip() if index + 1 < len(lines) else ""
        starts_block = not previous.strip() or flags[-1] or _ENDS_BLOCK.search(previous) is not None
        continues = following[:1].islower()
        flags.append(bool(line.strip()) and is_furniture(line, title, starts_block and not continues))
    return flags
