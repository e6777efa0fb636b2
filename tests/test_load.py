import os
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
    from assistant.load_pdf import reflow

    assert reflow("Nilai ekspor naik\nmenjadi 3,2\npersen.\nJudul Baru") == "Nilai ekspor naik menjadi 3,2 persen.\nJudul Baru"


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
    from assistant.load_pdf import reflow

    assert reflow("Pemerintah dan swasta bekerja sama-\nsama membangun.") == "Pemerintah dan swasta bekerja sama-sama membangun."
    assert reflow("Target tahun ini meliputi tiga hal berikut ini:\n1. ekspor naik\n2. impor turun") == (
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


@pytest.mark.parametrize(
    "content",
    [
        "---\n\nPemerintah menargetkan 30 juta UMKM go digital pada 2024.\n",
        "---\nPemerintah menargetkan 30 juta UMKM go digital pada 2024.\n\n---\n\nHingga Juni 2023, 22,8 juta.\n",
        "---\nJakarta Pusat: pemerintah menargetkan 30 juta UMKM go digital pada 2024.\n---\nLanjutan.\n",
        "---\n- 30 juta UMKM pada 2024\n- 22,8 juta per Juni 2023\n---\nRingkasan.\n",
    ],
)
def test_markdown_opening_with_a_thematic_break_is_a_document(tmp_path, content):
    path = tmp_path / "2024-01-02-breaks.md"
    path.write_text(content, encoding="utf-8")
    document = load_document(path)
    assert document.text == content and document.body_start == 0
    assert document.metadata["title"] != "---" and document.metadata["title"].strip("-")
    assert document.metadata["date"] == "2024-01-02"


@pytest.mark.parametrize(
    "content, reason",
    [
        ("---\ntitle: Target UMKM\ndate: 2023-12-04\n\nPemerintah menargetkan 30 juta UMKM.\n",
         "front matter is not closed"),
        ("---\ntitle: [unclosed\n---\nPemerintah menargetkan 30 juta UMKM.\n",
         "front matter cannot be read as YAML fields"),
    ],
)
def test_broken_front_matter_says_what_is_wrong(tmp_path, content, reason):
    path = tmp_path / "broken.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableDocument) as caught:
        load_document(path)
    assert reason in caught.value.reason and "unpack" not in caught.value.reason


def test_empty_and_commented_front_matter_are_front_matter(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\n---\nTeks briefing.\n", encoding="utf-8")
    assert load_document(path).body_start == len("---\n---\n")
    path.write_text("---\n# metadata\ntitle: Judul\n---\nTeks briefing.\n", encoding="utf-8")
    document = load_document(path)
    assert document.metadata["title"] == "Judul" and document.text[document.body_start:] == "Teks briefing.\n"


def test_symbolic_links_out_of_the_corpus_are_refused_with_the_reason(sample_corpus, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Kata sandi rahasia: 123456 juta.", encoding="utf-8")
    (sample_corpus / "passwd.txt").symlink_to("/etc/passwd")
    (sample_corpus / "secret.txt").symlink_to(outside / "secret.txt")
    (sample_corpus / "linked-folder").symlink_to(outside, target_is_directory=True)
    (sample_corpus / "dangling.md").symlink_to(tmp_path / "no-such-file.md")
    (sample_corpus / "loop.md").symlink_to(sample_corpus / "loop.md")
    (sample_corpus / "sub").mkdir()
    (sample_corpus / "sub" / "same-briefing.md").symlink_to(sample_corpus / SEED_FILE)  # inside: followed
    documents, errors = load_corpus(sample_corpus)
    assert sorted(Path(d.source).name for d in documents) == sorted([SEED_FILE, "same-briefing.md"])
    reasons = {error.path.name: error.reason for error in errors}
    assert set(reasons) == {"passwd.txt", "secret.txt", "linked-folder", "dangling.md", "loop.md"}
    assert "outside the corpus folder" in reasons["passwd.txt"] and "/etc/passwd" in reasons["passwd.txt"]
    assert "outside the corpus folder" in reasons["secret.txt"] and "outside the corpus folder" in reasons["linked-folder"]
    assert "dangling" in reasons["dangling.md"] and "loop" in reasons["loop.md"]
    assert all("not followed" in reason for reason in reasons.values())


def test_nul_bytes_anywhere_make_a_text_file_binary(tmp_path):
    path = tmp_path / "late-nul.txt"
    path.write_bytes(("Pertumbuhan ekonomi 5 persen. " * 1000).encode() + b"\x00\x00binary tail")
    with pytest.raises(UnreadableDocument, match="binary content"):
        load_document(path)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(sample_corpus):
    big = sample_corpus / "big.txt"
    big.write_text("Nilai ekspor naik 3,2 persen pada Desember 2023. " * 50_000, encoding="utf-8")  # ~2.5 MB
    with pytest.raises(UnreadableDocument, match=r"2\.5 MB, over the 1 MB limit \(ASSISTANT_MAX_FILE_MB\)"):
        load_document(big, max_mb=1)
    documents, errors = load_corpus(sample_corpus, max_mb=1)
    assert [Path(d.source).name for d in documents] == [SEED_FILE]
    assert [(e.path.name, "over the 1 MB limit" in e.reason) for e in errors] == [("big.txt", True)]
    assert len(load_corpus(sample_corpus)[0]) == 2  # no limit given: loaded


def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(sample_corpus):
    os.close(os.open(os.path.join(os.fsencode(sample_corpus), b"bad-\xff-name.md"), os.O_CREAT | os.O_WRONLY))
    (sample_corpus / "bad-\udcff-name.md").write_text("Nilai ekspor naik 3,2 persen.", encoding="utf-8")
    documents, errors = load_corpus(sample_corpus)
    assert [Path(d.source).name for d in documents] == [SEED_FILE]
    (error,) = errors
    assert "not valid UTF-8" in error.reason and error.source.endswith("bad-\ufffd-name.md")


def test_deeply_nested_html_is_refused_quickly_and_block_breaks_stay(tmp_path, monkeypatch):
    import bs4.element

    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 50_000 + "Ekspor naik 3,2 persen." + "</div>" * 50_000 + "</body></html>")
    with pytest.raises(UnreadableDocument, match="nested 50002 elements deep"):
        load_document(deep)
    calls = []
    real = bs4.element.PageElement._last_descendant
    monkeypatch.setattr(bs4.element.PageElement, "_last_descendant", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    page = tmp_path / "page.html"
    page.write_text("<html><body>" + "<div><p>Ekspor naik <b>3,2</b> persen.</p>" * 2000 + "<p>Akhir.</p>" + "</div>" * 2000
                    + "</body></html>")
    text = load_document(page).text
    assert text.startswith("Ekspor naik 3,2 persen.\n\nEkspor naik 3,2 persen.") and text.endswith("\n\nAkhir.")
    assert len(calls) < 100  # block breaks are not inserted into the parsed tree one tag at a time


def test_front_matter_cannot_blow_up_every_chunks_metadata(tmp_path):
    bomb = tmp_path / "bomb.md"
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(6)]
    bomb.write_text("---\n" + "\n".join(levels) + "\n---\nTeks briefing 5 persen.\n", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="YAML anchors"):
        load_document(bomb)
    wide = tmp_path / "wide.md"
    fields = "\n".join(f"field{i}: {'y' * 5000}" for i in range(100))
    wide.write_text(f"---\n{fields}\ntitle: Judul\n---\nTeks briefing 5 persen.\n", encoding="utf-8")
    metadata = load_document(wide).metadata
    assert metadata["title"] == "Judul" and len(metadata) <= 31  # the fields kept, the language added
    assert max(len(str(value)) for value in metadata.values()) <= 1000
    dash = tmp_path / "dash.md"
    dash.write_text("---\ntitle: R&D spending - 5 persen & naik\nurl: https://x.id/a?b=1&c=2\n---\nTeks.\n", encoding="utf-8")
    assert load_document(dash).metadata["title"] == "R&D spending - 5 persen & naik"
