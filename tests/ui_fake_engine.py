"""A small stand-in with the engine's API (ask / add_document / remove_document / documents) for the UI tests.

It answers from real text: it picks the document sentence sharing most words with the question
(plus the previous user turn for short follow-ups), cites it with true offsets and highlights the
first number in it. No retrieval quality is claimed; it only has to return real `Answer` objects.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import frontmatter

from assistant.answer import Answer, Calculation, Citation, CitedFigure, Operand

NUMBER = re.compile(r"\d+(?:,\d+)?(?:\s(?:juta|ribu|miliar|triliun|persen))?")
SCALE = {"juta": ("million", 1_000_000), "ribu": ("thousand", 1_000), "miliar": ("billion", 10**9)}
ENGLISH_WORDS = {"what", "how", "many", "the", "is", "of", "by", "much", "target"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2 or w.isdigit()}


def _value(figure_text: str) -> float:
    number, _, scale = figure_text.partition(" ")
    base = float(number.replace(",", "."))
    return base * SCALE.get(scale, ("", 1))[1]


class FakeAssistant:
    """Keyword-overlap answers over a folder of .md/.txt files; records every call."""

    def __init__(self, corpus: Path, uploads: Path | None = None):
        self.corpus = Path(corpus)
        self.uploads = Path(uploads) if uploads else self.corpus.parent / "uploads"
        self.calls: list[tuple[str, list[dict] | None]] = []
        self.added: list[Path] = []

    def _load(self, path: Path) -> tuple[str, dict]:
        raw = path.read_text(encoding="utf-8")
        post = frontmatter.loads(raw)
        body_start = raw.find(post.content[:40]) if post.content else 0
        return raw, {**post.metadata, "body_start": body_start}

    def _files(self) -> Iterator[tuple[str, Path]]:
        for folder, shown in ((self.corpus, "corpus"), (self.uploads, "uploads")):
            for path in sorted(folder.glob("*")):
                if path.suffix in (".md", ".txt"):
                    yield f"{shown}/{path.name}", path

    def documents(self) -> list[dict]:
        docs = []
        for source, path in self._files():
            _, meta = self._load(path)
            docs.append(
                {
                    "source": source,
                    "uploaded": source.startswith("uploads/"),
                    "title": str(meta.get("title", path.stem)),
                    "date": str(meta.get("date", "")) or None,
                    "publisher": meta.get("publisher"),
                    "url": meta.get("url"),
                    "language": meta.get("language", "id"),
                }
            )
        return docs

    def add_document(self, path: Path) -> dict:
        path = Path(path)
        if path.suffix not in (".md", ".txt"):
            raise ValueError(f"unsupported file type {path.suffix}")
        text = path.read_bytes()
        if b"\x00" in text:
            raise ValueError(f"{path.name} is binary, not a briefing")
        self.uploads.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, self.uploads / path.name)
        self.added.append(path)
        return {"documents": {"added": 1, "updated": 0, "unchanged": 0, "deleted": 0}, "embedded": 1, "errors": []}

    def remove_document(self, source: str) -> dict:
        if not source.startswith("uploads/"):
            raise ValueError(f"{source} is not an uploaded document")
        (self.uploads / Path(source).name).unlink()
        return {"documents": {"added": 0, "updated": 0, "unchanged": 1, "deleted": 1}, "embedded": 0, "errors": []}

    def _sentences(self):
        paths = dict(self._files())
        for doc in self.documents():
            raw, meta = self._load(paths[doc["source"]])
            for match in re.finditer(r"[^.\n]+(?:\.\d[^.\n]*)*\.?", raw[meta["body_start"] :]):
                start = meta["body_start"] + match.start()
                yield doc, raw, start, start + len(match.group())

    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        if not question.strip():
            raise ValueError("empty question")
        self.calls.append((question, history))
        asked = _words(question)
        previous = [m["content"] for m in history or [] if m["role"] == "user"]
        context = _words(previous[-1]) if previous and len(asked) <= 4 else set()
        wanted = asked | context
        language = "en" if len(_words(question) & ENGLISH_WORDS) >= 2 else "id"
        best = max(
            (s for s in self._sentences() if NUMBER.search(s[1][s[2] : s[3]])),
            key=lambda s: 2 * len(_words(s[1][s[2] : s[3]]) & asked) + len(_words(s[1][s[2] : s[3]]) & context),
            default=None,
        )
        if best is None or not (_words(best[1][best[2] : best[3]]) & wanted - {"umkm"}):
            return Answer(question, language, False, "Tidak ada di dokumen." if language == "id" else "Not in the documents.")
        doc, raw, start, end = best
        quote = raw[start:end].strip()
        start = raw.index(quote, start)
        matches = list(NUMBER.finditer(quote))
        figure = next((m for m in matches if " " in m.group()), matches[0])  # prefer "22,8 juta" to "2023"
        shown = figure.group()
        number, _, scale = shown.partition(" ")
        if language == "en" and scale in SCALE:
            shown = f"{number.replace(',', '.')} {SCALE[scale][0]}"
        citation = Citation(
            n=1, source=doc["source"], title=doc["title"], date=doc["date"], quote=quote, start=start,
            end=start + len(quote), publisher=doc["publisher"], url=doc["url"], highlight=((figure.start(), figure.end()),),
        )
        return Answer(
            question=question, language=language, answerable=True, answer=f"**{shown}** [1]",
            value=_value(figure.group()), unit=None,
            figures=(CitedFigure(_value(figure.group()), None, figure.group(), None, 1),), citations=(citation,),
        )


def difference_answer() -> Answer:
    """An arithmetic answer with two cited operands, as the engine returns for 'how many more'."""
    target = Citation(1, "corpus/a.md", "Target", "2023-12-04", "target 30 juta UMKM", 10, 29, "Bisnis.com", None, ((7, 14),))
    actual = Citation(2, "corpus/a.md", "Actual", "2023-12-04", "sudah 27 juta", 50, 63, "Bisnis.com", None, ((6, 13),))
    return Answer(
        question="How many more MSMEs must go digital to reach the target?",
        language="en",
        answerable=True,
        answer="**3 million** more MSMEs (30 million − 27 million) [1][2]",
        value=3_000_000,
        unit="UMKM",
        figures=(CitedFigure(30_000_000, "UMKM", "30 juta", "2024", 1), CitedFigure(27_000_000, "UMKM", "27 juta", "2023-12", 2)),
        calculation=Calculation("30000000 - 27000000", 3_000_000, (Operand(30_000_000, 1), Operand(27_000_000, 2))),
        citations=(target, actual),
    )


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(engine) -> Iterator[str]:
    """The chat UI over `engine` on a free localhost port, in this process; yields its URL."""
    from assistant.ui import build_ui, launch

    demo = build_ui(engine)
    port = free_port()
    launch(demo, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()
