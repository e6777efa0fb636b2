from pathlib import Path

import pytest

from assistant.load import (
    CorpusNotFound,
    UnreadableDocument,
    detect_language,
    load_corpus,
    load_document,
)
from conftest import CORPUS, ROOT, SEED_FILE, make_pdf, make_pdf_page, make_pdf_pages

SEED = Path("/work/shared/seed/000_ace72b6c210ee1f9.txt")


def test_seed_briefing_metadata_and_body(monkeypatch):
    monkeypatch.chdir(ROOT)
    doc = load_document(Path("corpus") / SEED_FILE)
    assert doc.source == f"corpus/{SEED_FILE}"
    assert doc.metadata == {
        "title": "Pemerintah Optimistis Target 30 Juta UMKM Go Digital Tercapai pada 2024",
        "publisher": "Bisnis.com",
        "date": "2023-12-04",
        "url": "https://ekonomi.bisnis.com/read/20231204/9/1720793/pemerintah-optimistis-target-30-juta-umkm-go-digital-tercapai-pada-2024",
        "language": "id",
    }
    assert doc.text == (CORPUS / SEED_FILE).read_text(encoding="utf-8")
    body = doc.text[doc.body_start :]
    assert body.startswith(" date 2023-12 Kemenko Perekonomian")
    if SEED.exists():
        assert body.encode("utf-8") == SEED.read_bytes()


def test_source_is_absolute_outside_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = tmp_path / "note.txt"
    path.write_text("Catatan singkat tentang ekonomi.")
    assert load_document(path).source == path.as_posix()
    monkeypatch.chdir(tmp_path)
    assert load_document(path).source == "note.txt"


def test_without_front_matter_title_date_and_language_are_derived(tmp_path):
    path = tmp_path / "2024-01-15-inflasi.txt"
    path.write_text("Inflasi Januari\n\nInflasi tahunan turun menjadi 2,57 persen pada Januari 2024 yang lalu.")
    doc = load_document(path)
    assert doc.body_start == 0
    assert doc.metadata == {"title": "Inflasi Januari", "date": "2024-01-15", "language": "id"}


def test_markdown_heading_title_and_english_detection(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Exports grew\n\nThe value of exports was US$22.4 billion in the quarter, and it is rising.")
    doc = load_document(path)
    assert doc.metadata["title"] == "Exports grew"
    assert doc.metadata["language"] == "en"
    assert "date" not in doc.metadata


def test_front_matter_offsets_refer_to_file_text(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("---\ntitle: X\ndate: 2024-02-01\n---\nBody starts here. Second one.\n")
    doc = load_document(path)
    assert doc.text[doc.body_start :] == "Body starts here. Second one.\n"
    assert doc.metadata["date"] == "2024-02-01" and doc.metadata["title"] == "X"


def test_utf8_with_byte_order_mark(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffPertumbuhan ekonomi 5,05 persen.".encode("utf-8"))
    assert load_document(path).text == "Pertumbuhan ekonomi 5,05 persen."


def test_html_text_title_and_language(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html lang='id'><head><title>Ekspor Naik</title><style>p{}</style>"
        "<meta property='og:site_name' content='Kontan'></head><body><h1>Ekspor</h1>"
        "<p>Nilai ekspor <b>naik</b> 3,2 persen.</p><script>var x=1;</script><p>Kedua.</p></body></html>"
    )
    doc = load_document(path)
    assert doc.metadata["title"] == "Ekspor Naik"
    assert doc.metadata["publisher"] == "Kontan"
    assert doc.metadata["language"] == "id"
    assert doc.text == "Ekspor\n\nNilai ekspor naik 3,2 persen.\n\nKedua."


def test_pdf_text_is_extracted(tmp_path):
    path = tmp_path / "brief.pdf"
    path.write_bytes(make_pdf("Sebanyak 27 juta UMKM telah go digital."))
    doc = load_document(path)
    assert "27 juta UMKM" in doc.text
    assert doc.metadata["title"] == "Sebanyak 27 juta UMKM telah go digital."


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
        ("latin1.md", "Pertumbuhan ekonomi caf\xe9 5 persen".encode("latin-1"), "not valid UTF-8 (byte 0xe9"),
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n ", "empty file"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "PDF"),
        ("table.docx", b"PK\x03\x04", "unsupported file type .docx"),
        ("only-front-matter.md", b"---\ntitle: X\n---\n", "no text after the front matter"),
    ],
)
def test_unreadable_documents_have_clear_reasons(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument) as caught:
        load_document(path)
    assert reason in caught.value.reason
    assert caught.value.path == path
    assert str(caught.value).startswith(caught.value.source)


def test_load_corpus_skips_unreadable_files_and_loads_the_rest(sample_corpus):
    (sample_corpus / "bad.txt").write_bytes(b"\xff\xfe\x00\x00garbage")
    (sample_corpus / "sheet.xlsx").write_bytes(b"PK")
    (sample_corpus / ".hidden.md").write_text("ignored")
    documents, errors = load_corpus(sample_corpus)
    assert [Path(d.source).name for d in documents] == [SEED_FILE]
    assert sorted(e.path.name for e in errors) == ["bad.txt", "sheet.xlsx"]


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(CorpusNotFound, match="does not exist"):
        load_corpus(tmp_path / "nope")


@pytest.mark.parametrize(
    "text, language",
    [("Pemerintah menyampaikan bahwa target itu dapat tercapai", "id"), ("The government said that the target is met", "en")],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_pdf_lines_wrapped_mid_sentence_are_joined():
    from assistant.load import _reflow

    assert _reflow("Nilai ekspor naik\nmenjadi 3,2\npersen.\nJudul Baru") == "Nilai ekspor naik menjadi 3,2 persen.\nJudul Baru"


INVESTMENT_LINES = [
    (72, 720, "Realisasi Investasi Kuartal I 2024", 16),
    (72, 690, "Badan Koordinasi Penanaman Modal mencatat realisasi investasi kuartal I 2024 mencapai"),
    (72, 676, "Rp401,5 triliun. Realisasi penanaman modal dalam negeri (PMDN) sebesar"),
    (72, 662, "Rp197,1 triliun, sedangkan penanaman modal asing (PMA) mencapai Rp204,4 triliun."),
    (72, 640, "Sektor Unggulan", 13),
    (72, 620, "- Sektor transportasi dan pergudangan Rp30,1 triliun"),
    (72, 606, "- Sektor pertambangan Rp25,2 triliun"),
    (72, 584, "Investasi menurut asal modal"),
    (72, 570, "PMA        Rp204,4 triliun"),
    (72, 556, "PMDN       Rp197,1 triliun"),
    (72, 534, "Kepala BKPM menyebut kenaikan itu didorong oleh hilirisasi dan pertumbuh-"),
    (72, 520, "an investasi di luar Jawa yang mencapai 52 persen dari total realisasi."),
]
TWO_COLUMNS = [  # a left column read to its end, then the right one, as a two-column PDF's stream is
    (72, 720, "Realisasi penanaman modal dalam negeri"),
    (72, 706, "(PMDN) pada kuartal I 2024 tercatat sebesar"),
    (72, 692, "Rp197,1 triliun atau naik 17,6 persen."),
    (320, 720, "Adapun penanaman modal asing (PMA) pada"),
    (320, 706, "periode yang sama mencapai Rp204,4 triliun,"),
    (320, 692, "naik 15,5 persen dibanding tahun lalu."),
]


def _sentences(doc):
    from assistant.split import sentence_spans

    return [doc.text[start:end] for start, end in sentence_spans(doc.text, doc.body_start)]


def _pdf(tmp_path, lines, name="investasi.pdf"):
    path = tmp_path / name
    path.write_bytes(make_pdf_page(lines))
    return load_document(path)


def test_pdf_sentence_wrapped_before_a_figure_stays_one_sentence(tmp_path):
    sentences = _sentences(_pdf(tmp_path, INVESTMENT_LINES))
    pmdn = next(s for s in sentences if "Rp197,1 triliun," in s)
    assert pmdn == ("Realisasi penanaman modal dalam negeri (PMDN) sebesar Rp197,1 triliun, sedangkan penanaman "
                    "modal asing (PMA) mencapai Rp204,4 triliun.")
    assert "Badan Koordinasi Penanaman Modal mencatat realisasi investasi kuartal I 2024 mencapai Rp401,5 triliun." \
        in sentences


def test_pdf_headings_list_items_and_table_rows_stay_breaks(tmp_path):
    sentences = _sentences(_pdf(tmp_path, INVESTMENT_LINES))
    for line in ("Realisasi Investasi Kuartal I 2024", "Sektor Unggulan", "Investasi menurut asal modal",
                 "- Sektor transportasi dan pergudangan Rp30,1 triliun", "- Sektor pertambangan Rp25,2 triliun",
                 "PMA        Rp204,4 triliun", "PMDN       Rp197,1 triliun"):
        assert line in sentences


def test_pdf_hyphenated_line_end_is_one_word(tmp_path):
    sentences = _sentences(_pdf(tmp_path, INVESTMENT_LINES))
    assert ("Kepala BKPM menyebut kenaikan itu didorong oleh hilirisasi dan pertumbuhan investasi di luar Jawa "
            "yang mencapai 52 persen dari total realisasi.") in sentences


def test_pdf_two_columns_keep_each_sentence_whole(tmp_path):
    sentences = _sentences(_pdf(tmp_path, TWO_COLUMNS))
    assert sentences == [
        "Realisasi penanaman modal dalam negeri (PMDN) pada kuartal I 2024 tercatat sebesar Rp197,1 triliun atau "
        "naik 17,6 persen.",
        "Adapun penanaman modal asing (PMA) pada periode yang sama mencapai Rp204,4 triliun, naik 15,5 persen "
        "dibanding tahun lalu.",
    ]


def test_reflow_keeps_a_reduplicated_word_and_numbered_items():
    from assistant.load import _reflow

    assert _reflow("Pemerintah dan swasta bekerja sama-\nsama membangun.") == "Pemerintah dan swasta bekerja sama-sama membangun."
    assert _reflow("Target tahun ini meliputi tiga hal berikut ini:\n1. ekspor naik\n2. impor turun") == (
        "Target tahun ini meliputi tiga hal berikut ini:\n1. ekspor naik\n2. impor turun")


def test_pdf_sentence_going_on_over_a_page_break_stays_one_sentence(tmp_path):
    path = tmp_path / "dua-halaman.pdf"
    path.write_bytes(make_pdf_pages([
        [(72, 720, "Badan Koordinasi Penanaman Modal mencatat realisasi penanaman modal dalam negeri (PMDN) sebesar"),
         (300, 40, "1")],
        [(72, 750, "Halaman 2 dari 2"),
         (72, 720, "Rp197,1 triliun pada kuartal I 2024."),
         (72, 700, "Realisasi Investasi Asing", 14),
         (72, 680, "Penanaman modal asing (PMA) mencapai Rp204,4 triliun.")],
    ]))
    sentences = _sentences(load_document(path))
    assert sentences == [
        "Badan Koordinasi Penanaman Modal mencatat realisasi penanaman modal dalam negeri (PMDN) sebesar Rp197,1 "
        "triliun pada kuartal I 2024.",
        "Realisasi Investasi Asing",
        "Penanaman modal asing (PMA) mencapai Rp204,4 triliun.",
    ]
