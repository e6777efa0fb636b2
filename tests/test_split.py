import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from assistant.load import load_document
from assistant.schema import SourceDocument
from assistant.split import sentence_spans, split_document, text_runs
from conftest import CORPUS, SEED_FILE


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Jumlahnya 22,8 juta UMKM pada Juni 2023.",
        "Nilainya Rp1.234,56 miliar dan Rp4.500 triliun tahun ini.",
        "Harga naik menjadi US$3.50 per unit pada 2023.",
        "Rapat dimulai pukul 15.00 WIB di Jakarta.",
        "Briefing diadakan Senin (4/12/2023) di Jakarta.",
        "Dr. Rudy dan Prof. Ani hadir di ruang No. 5 kemarin.",
        "Peserta berasal dari kementerian, BUMN, dll. dan juga swasta.",
        "Penelitian Budi dkk. menunjukkan hal itu.",
        "Saham PT Bank Rakyat Indonesia Tbk. naik tajam.",
        "The U.S. economy grew 2.1% in Jan. according to the data.",
        "Some sectors, e.g. retail, and others, i.e. services, grew.",
        "Angka itu naik... lalu turun lagi.",
        "Figures for J. Smith are 3.5 million.",
    ],
)
def test_never_splits_inside_numbers_abbreviations_or_ellipses(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Per Maret 2023, 22 juta. Per Juni 22,8 juta.", ["Per Maret 2023, 22 juta.", "Per Juni 22,8 juta."]),
        (
            "“UMKM go digital ini kita optimis dapat tercapai.” Saat ini sudah 27 juta.",
            ["“UMKM go digital ini kita optimis dapat tercapai.”", "Saat ini sudah 27 juta."],
        ),
        ('He said "it grew." Then it fell.', ['He said "it grew."', "Then it fell."]),
        ("Benarkah? Ya! Tentu.", ["Benarkah?", "Ya!", "Tentu."]),
        ("Judul Tanpa Titik\n\nParagraf pertama.", ["Judul Tanpa Titik", "Paragraf pertama."]),
        ("baris satu\nbaris dua", ["baris satu", "baris dua"]),
        ("Target tercapai pada 2024. Selanjutnya ekspansi.", ["Target tercapai pada 2024.", "Selanjutnya ekspansi."]),
        ("Ia menunggu... Kemudian pergi.", ["Ia menunggu...", "Kemudian pergi."]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


def test_spans_are_absolute_and_stripped():
    text = "XXXX  Satu kalimat.  Dua kalimat.  "
    spans = sentence_spans(text, start=4)
    assert [text[s:e] for s, e in spans] == ["Satu kalimat.", "Dua kalimat."]
    assert spans[0][0] == 6
    assert sentence_spans(text, start=4, end=19) == [(6, 19)]


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Rp.,12!?”\"\n …A")), max_size=200))
def test_spans_cover_every_visible_character_in_order(text):
    spans = sentence_spans(text)
    covered = set()
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end
        assert text[start:end] == text[start:end].strip()
        covered.update(range(start, end))
        previous_end = end
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@pytest.fixture(scope="module")
def seed_document():
    return load_document(CORPUS / SEED_FILE)


def test_seed_chunks_offsets_metadata_and_ids(seed_document):
    chunks = split_document(seed_document, 500, 1)
    assert len(chunks) > 3
    for index, chunk in enumerate(chunks):
        assert chunk.text == seed_document.text[chunk.start : chunk.end]
        assert chunk.start >= seed_document.body_start
        assert chunk.metadata["chunk_index"] == index
        assert chunk.metadata["start"] == chunk.start and chunk.metadata["end"] == chunk.end
        assert chunk.metadata["source"] == seed_document.source == chunk.source
        assert chunk.metadata["title"].startswith("Pemerintah Optimistis")
        assert all(isinstance(v, (str, int, float, bool)) for v in chunk.metadata.values())
    assert [c.id for c in chunks] == [c.id for c in split_document(seed_document, 500, 1)]
    assert len({c.id for c in chunks}) == len(chunks)
    assert any("22,8 juta UMKM" in c.text for c in chunks)
    assert chunks[-1].text.endswith("ungkapnya.")  # "Cek Berita … di Google News" after it is page furniture
    assert chunks[0].text.startswith("Bisnis.com, JAKARTA")  # not the "date 2023-12 …" teaser or the font widget


def test_chunks_respect_size_and_overlap(seed_document):
    spans = [span for run in text_runs(seed_document) for span in run]  # every sentence but page furniture
    for size, overlap in [(150, 0), (300, 1), (600, 2)]:
        chunks = split_document(seed_document, size, overlap)
        for previous, current in zip(chunks, chunks[1:]):
            shared = [s for s in spans if previous.start <= s[0] and s[1] <= previous.end and current.start <= s[0]]
            assert len(shared) <= overlap and current.start > previous.start
        for chunk in chunks:
            inside = [s for s in spans if chunk.start <= s[0] and s[1] <= chunk.end]
            assert len(chunk.text) <= size or len(inside) == 1
        covered = {s for s in spans for c in chunks if c.start <= s[0] and s[1] <= c.end}
        assert covered == set(spans)


def test_long_sentence_is_its_own_chunk():
    long = "Kalimat " + "panjang " * 100 + "sekali."
    doc = SourceDocument(source="x.txt", text=f"Pendek. {long} Akhir.", metadata={"title": "x"})
    chunks = split_document(doc, 200, 0)
    assert [c.text for c in chunks] == ["Pendek.", long, "Akhir."]


def test_paragraph_break_ends_a_half_full_chunk():
    text = "Satu dua tiga empat lima enam.\n\nParagraf kedua di sini."
    doc = SourceDocument(source="p.txt", text=text, metadata={})
    assert [c.text for c in split_document(doc, 50, 0)] == ["Satu dua tiga empat lima enam.", "Paragraf kedua di sini."]
    assert [c.text for c in split_document(doc, 200, 0)] == [text]


def test_metadata_change_changes_ids(seed_document):
    other = SourceDocument(
        source=seed_document.source,
        text=seed_document.text,
        body_start=seed_document.body_start,
        metadata={**seed_document.metadata, "title": "Lain"},
    )
    assert {c.id for c in split_document(other, 500, 1)}.isdisjoint(c.id for c in split_document(seed_document, 500, 1))


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    body=st.text(alphabet=st.sampled_from(list("abc Rp.,1 2!?”\n\n …AB")), max_size=600),
    front=st.sampled_from(["", "---\ntitle: T\n---\n"]),
    size=st.integers(min_value=10, max_value=300),
    overlap=st.integers(min_value=0, max_value=3),
)
def test_every_chunk_is_an_exact_slice(body, front, size, overlap):
    doc = SourceDocument(source="h.md", text=front + body, body_start=len(front), metadata={"title": "T"})
    chunks = split_document(doc, size, overlap)
    for chunk in chunks:
        assert chunk.text == doc.text[chunk.start : chunk.end]
        assert chunk.start >= doc.body_start and chunk.text.strip() == chunk.text
    assert bool(chunks) == bool(body.strip())


FURNITURE_PAGE = """---
title: Ekspor Kopi Naik pada 2023
---
# Ekspor Kopi Naik pada 2023
Senin, 15 Januari 2024 | 10:15 WIB
Oleh Siti Rahma
Bagikan: WhatsApp Facebook Twitter
Nilai ekspor kopi pada 2023 mencapai US$1,2 miliar.
Foto: petani memetik kopi (ANTARA/Budi)
Baca juga: Harga Kopi Dunia Naik 10 Persen
Volume ekspor naik 5 persen menjadi 430 ribu ton.
Read also: Coffee prices rise
Print this page
Editor: Andi
## Negara tujuan
- Amerika Serikat 25 persen
"""


def test_page_furniture_stays_out_of_chunks_with_exact_offsets():
    from assistant.furniture import is_furniture

    doc = SourceDocument("corpus/kopi.md", FURNITURE_PAGE, FURNITURE_PAGE.index("# Ekspor"),
                         {"title": "Ekspor Kopi Naik pada 2023"})
    chunks = split_document(doc, 100, 0)
    texts = [c.text for c in chunks]
    assert all(c.text == doc.text[c.start : c.end] for c in chunks)
    joined = "\n".join(texts)
    for furniture in ("# Ekspor Kopi", "10:15 WIB", "Siti Rahma", "WhatsApp", "ANTARA", "Baca juga", "Read also",
                      "Print this", "Editor", "Negara tujuan"):
        assert furniture not in joined
    for text in ("Nilai ekspor kopi pada 2023 mencapai US$1,2 miliar.", "Volume ekspor naik 5 persen menjadi 430 ribu ton.",
                 "- Amerika Serikat 25 persen"):
        assert text in texts  # furniture between sentences ends a chunk: no chunk spans it
    for sentence in ("By 2024, the government expects exports to reach US$2 billion.",
                     "Share of MSMEs online rose to 35,5 persen.", "PMDN       Rp197,1 triliun",
                     "Bank Indonesia memperkirakan inflasi tetap terkendali."):
        assert not is_furniture(sentence, "Ekspor Kopi")


def test_html_headline_repeating_the_title_is_not_quoted(tmp_path):
    page = tmp_path / "kopi.html"
    page.write_text(
        "<html><head><title>Ekspor Kopi Naik 5 Persen pada 2023 | Kabar Tani</title></head><body>"
        "<nav><a href='/'>Beranda</a> <a href='/ekonomi'>Ekonomi</a></nav>"
        "<article><h1>Ekspor Kopi Naik 5 Persen pada 2023</h1><p class='byline'>Oleh Siti Rahma</p>"
        "<p>Volume ekspor kopi naik 5 persen pada 2023 menjadi 430 ribu ton.</p>"
        "<p>Baca juga: Harga Kopi Dunia Naik</p><p>Nilainya mencapai US$1,2 miliar.</p></article></body></html>",
        encoding="utf-8",
    )
    doc = load_document(page)
    chunks = split_document(doc, 300, 1)
    assert [c.text for c in chunks] == ["Volume ekspor kopi naik 5 persen pada 2023 menjadi 430 ribu ton.",
                                        "Nilainya mencapai US$1,2 miliar."]
    assert all(c.text == doc.text[c.start : c.end] for c in chunks)


def test_a_short_line_inside_a_hard_wrapped_paragraph_is_text_not_furniture():
    text = ("Kementerian menyebut pemerintah akan terus berbagi data dengan pelaku usaha dan akan\n"
            "share hasilnya\n"
            "dengan publik setiap bulan.\n\nSmallest Font Largest Font\n\nIkuti kami\n")
    doc = SourceDocument("corpus/wrapped.md", text, 0, {"title": "Data"})
    joined = " ".join(c.text for c in split_document(doc, 500, 0))
    assert "share hasilnya" in joined and "dengan publik setiap bulan." in joined
    assert "Smallest Font" not in joined and "Ikuti kami" not in joined
