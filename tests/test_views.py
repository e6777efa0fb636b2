"""DocumentViews: views built on first use from one document's chunks, cached, dropped on a new store stamp;
the first question reads only what retrieval returns."""

from __future__ import annotations

import pytest

from assistant.engine import Assistant
from assistant.ingest import ingest
from assistant.lexical import LexicalIndex
from assistant.schema import Chunk
from assistant.store import ChunkStore
from assistant.views import DocumentViews, related_views


def _chunk(source: str, index: int, text: str) -> Chunk:
    start = index * 200
    meta = {"source": source, "start": start, "end": start + len(text), "title": source.upper(), "chunk_index": index}
    return Chunk(id=f"{source}#{index}", source=source, text=text, start=start, end=start + len(text), metadata=meta)


CHUNKS = [_chunk("a.md", 0, "Ekspor batu bara naik 5,2 persen pada Maret 2024."),
          _chunk("a.md", 1, "Impor minyak turun menjadi US$3,1 miliar."),
          _chunk("b.md", 0, "Inflasi tahunan tercatat 2,8 persen pada April 2024."),
          _chunk("c.md", 0, "Produksi nikel mencapai 1,6 juta ton sepanjang 2023.")]


class _Store:
    def __init__(self, chunks):
        self.chunks, self.reads = chunks, []

    def chunks_of(self, source):
        self.reads.append(source)
        return [c for c in self.chunks if c.source == source]


class _Retriever:
    def __init__(self, chunks):
        self.store = _Store(chunks)
        self.lexical = LexicalIndex.from_chunks(chunks)
        self.full_reads = 0

    def documents(self):
        return self.lexical.documents()

    def chunks(self):
        self.full_reads += 1
        return sorted(self.store.chunks, key=lambda c: (c.source, c.start))


def test_a_view_is_built_once_from_its_own_chunks():
    retriever = _Retriever(CHUNKS)
    views = DocumentViews(retriever)
    assert list(views) == ["a.md", "b.md", "c.md"] and len(views) == 3 and retriever.store.reads == []
    view = views["a.md"]
    assert view.text[200:200 + len(CHUNKS[1].text)] == CHUNKS[1].text and view.title == "A.MD"
    assert views.get("a.md") is view and "a.md" in views
    assert retriever.store.reads == ["a.md"] and views.built() == ["a.md"] and retriever.full_reads == 0
    assert views.get("missing.md") is None and "missing.md" not in views
    with pytest.raises(KeyError):
        views["missing.md"]


def test_the_cache_keeps_the_most_recently_used_views():
    views = DocumentViews(_Retriever(CHUNKS), cached=2)
    views.get("a.md"), views.get("b.md"), views.get("a.md"), views.get("c.md")
    assert views.built() == ["a.md", "c.md"]


def test_all_reads_the_store_once_and_serves_later_lookups():
    retriever = _Retriever(CHUNKS)
    views = DocumentViews(retriever)
    everything = views.all()
    assert list(everything) == ["a.md", "b.md", "c.md"] and views.all() is everything
    assert views["b.md"] is everything["b.md"] and retriever.full_reads == 1 and retriever.store.reads == []


def test_related_reads_the_whole_small_library_or_the_best_matches_of_a_large_one():
    retriever = _Retriever(CHUNKS)
    views = DocumentViews(retriever)
    assert [v.source for v in views.related("inflasi April")] == ["a.md", "b.md", "c.md"]
    assert [v.source for v in views.related("inflasi nikel", limit=2)] == ["b.md", "c.md"]
    plain = {"x.md": object()}
    assert related_views(plain, "anything") == list(plain.values())


def _second_briefing(folder):
    (folder / "2024-04-02-inflasi.md").write_text(
        "---\ntitle: Inflasi Maret 2024\ndate: 2024-04-02\nlanguage: id\n---\n\n"
        "Badan Pusat Statistik mencatat inflasi tahunan sebesar 3,05 persen pada Maret 2024.\n", encoding="utf-8")


def test_first_question_reads_only_the_retrieved_documents(fake_settings, monkeypatch):
    _second_briefing(fake_settings.corpus)
    ingest(fake_settings, progress=False)  # leaves the lexical index saved under the store's stamp
    full_reads, document_reads = [], []
    real_chunks_of = ChunkStore.chunks_of
    monkeypatch.setattr(ChunkStore, "all_chunks", lambda self: full_reads.append(1) or [])
    monkeypatch.setattr(ChunkStore, "chunks_of",
                        lambda self, source: document_reads.append(source) or real_chunks_of(self, source))
    monkeypatch.setattr("assistant.views.FULL_SCAN_DOCUMENTS", 0)  # as in a library too large to scan whole
    assistant = Assistant(settings=fake_settings, scorer=False, calibrator=False, question_kinds=False, gates=False)
    for question in ("Berapa UMKM yang sudah go digital per Juni 2023?", "Berapa ekspor Tesla pada Maret 2031?"):
        document_reads.clear()
        assistant.ask(question)
        retrieved = {s.chunk.source for s in assistant.retriever.search(question, fake_settings.k * 2)}
        assert set(document_reads) <= retrieved and len(document_reads) == len(set(document_reads))
    assert full_reads == [] and len(assistant.views) == 2


def test_views_are_rebuilt_after_another_ingest(fake_settings):
    ingest(fake_settings, progress=False)
    assistant = Assistant(settings=fake_settings, scorer=False, calibrator=False, question_kinds=False)
    assistant.ask("Berapa UMKM yang sudah go digital per Juni 2023?")
    before = assistant.views
    assert len(before) == 1 and before.built()
    _second_briefing(fake_settings.corpus)
    ingest(fake_settings, progress=False)  # as another process would
    assistant.ask("Berapa inflasi tahunan pada Maret 2024?")
    assert assistant.views is not before and len(assistant.views) == 2
    assert any(v.title == "Inflasi Maret 2024" for v in assistant.views.all().values())
