"""Unit tests of the chat UI: safe rendering, handlers (history, streaming, uploads), layout."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest

from assistant.answer import Answer, Citation, CitedFigure
from assistant.config import Settings
from assistant.ui import EXAMPLE_QUESTIONS, ChatHandlers, build_ui, history_for_engine, launch, parse_auth
from assistant.ui_render import (
    answer_message,
    escape,
    highlighted_quote,
    ingest_summary_markdown,
    render_sources,
    safe_answer_markdown,
    stream_chunks,
)
from conftest import SEED_FILE, copy_sample_corpus
from ui_fake_engine import FakeAssistant, difference_answer

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_QUOTE = 'Naik <script>alert(1)</script> jadi 22,8 juta [klik](javascript:alert(2)) <img src=x onerror="alert(3)">'


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    copy_sample_corpus(folder)
    return folder


@pytest.fixture
def fake(corpus: Path) -> FakeAssistant:
    return FakeAssistant(corpus)


def hostile_answer() -> Answer:
    start = HOSTILE_QUOTE.index("22,8 juta")
    citation = Citation(
        n=1,
        source="corpus/<b>evil</b>.md",
        title="<script>alert('title')</script>",
        date="2023-12-04",
        quote=HOSTILE_QUOTE,
        start=0,
        end=len(HOSTILE_QUOTE),
        publisher='Bisnis" onmouseover="alert(4)',
        url="javascript:alert(5)",
        highlight=((start, start + len("22,8 juta")),),
    )
    figure = CitedFigure(22_800_000, "UMKM", "22,8 juta", "2023-06", 1)
    return Answer("q", "id", True, "**22,8 juta** UMKM [1]", 22_800_000, "UMKM", (figure,), None, (citation,))


def test_sources_escape_hostile_document_text():
    html = render_sources(hostile_answer())
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert 'onmouseover="' not in html and "Bisnis&quot; onmouseover=&quot;alert(4)" in html
    assert "javascript:" not in html.replace("[klik](javascript:alert(2))", "")  # no link from url
    assert "[klik](javascript:alert(2))" in html  # the markdown stays literal text in HTML
    assert "&lt;b&gt;evil&lt;/b&gt;" in html


def test_sources_highlight_the_cited_figure():
    html = render_sources(hostile_answer())
    assert "<mark>22,8 juta</mark>" in html
    assert html.count("<mark>") == 1
    assert 'id="source-1"' in html and "[1]" in html
    assert '<span class="source-date">4 Desember 2023</span>' in html  # the date, prominent, in the answer's language


def test_highlight_falls_back_to_figure_text_when_no_spans():
    citation = Citation(1, "corpus/a.md", "T", None, "per Maret 2023, sebanyak 22 juta UMKM", 0, 37)
    assert highlighted_quote(citation, ["22 juta"]) == "per Maret 2023, sebanyak <mark>22 juta</mark> UMKM"
    assert highlighted_quote(citation, []) == "per Maret 2023, sebanyak 22 juta UMKM"


def test_calculation_links_each_operand_to_its_source():
    html = render_sources(difference_answer())
    assert '<a class="operand" href="#source-1">30,000,000&nbsp;[1]</a>' in html
    assert '<a class="operand" href="#source-2">27,000,000&nbsp;[2]</a>' in html
    assert "−" in html and "<strong>3,000,000</strong>" in html
    assert 'id="source-1"' in html and 'id="source-2"' in html


def test_refusal_shows_the_engine_explanation():
    refusal = Answer("Berapa inflasi 2030?", "id", False, "Dokumen tidak menyebut inflasi <2030>.")
    html = render_sources(refusal)
    assert 'data-testid="refusal"' in html and "Tidak ditemukan di dokumen" in html
    assert "Dokumen tidak menyebut inflasi &lt;2030&gt;." in html


def test_answer_markdown_is_sanitised_but_keeps_bold_and_markers():
    text = safe_answer_markdown("**27 juta** [1] <script>x()</script> [a](http://evil) ![i](http://evil/i.png)\n> kutipan")
    assert text.startswith("**27 juta** [1] &lt;script>x()&lt;/script>")
    assert text.endswith("\n> kutipan")  # markdown quote lines survive
    assert "](http" not in text and "\\[a\\]\\(http://evil\\)" in text


def test_stream_chunks_grow_to_the_whole_text():
    text = "**27 juta** UMKM sudah go digital per Desember 2023 [1]"
    chunks = list(stream_chunks(text, words_per_chunk=2))
    assert len(chunks) > 2 and chunks[-1] == text
    assert all(later.startswith(earlier) for earlier, later in zip(chunks, chunks[1:]))


def test_respond_streams_then_shows_sources(fake):
    outputs = list(ChatHandlers(fake).respond("Berapa UMKM go digital per Juni 2023?", []))
    assert len(outputs) >= 3
    textbox, messages, sources, panels = outputs[-1]
    assert textbox == "" and messages[0] == {"role": "user", "content": "Berapa UMKM go digital per Juni 2023?"}
    assert "**22,8 juta**" in messages[-1]["content"]
    assert "<mark>22,8 juta</mark>" in sources and panels == {"1": sources}


def test_respond_passes_the_conversation_as_history(fake):
    handlers = ChatHandlers(fake)
    *_, (_, messages, _, _) = handlers.respond("Berapa UMKM go digital per Maret 2023?", [])
    # Gradio 6 hands messages back with content blocks: the handler must flatten them.
    as_gradio = [{"role": m["role"], "content": [{"type": "text", "text": m["content"]}]} for m in messages]
    list(handlers.respond("Dan per Juni?", as_gradio))
    question, history = fake.calls[-1]
    assert question == "Dan per Juni?"
    assert history == [
        {"role": "user", "content": "Berapa UMKM go digital per Maret 2023?"},
        {"role": "assistant", "content": fake.ask("Berapa UMKM go digital per Maret 2023?").answer},
    ]  # the engine's own text: no sources block, no [n] links


def test_history_undoes_ui_escaping():
    messages = [{"role": "assistant", "content": "R&amp;D &lt;b&gt;"}, {"role": "system", "content": "x"}]
    assert history_for_engine(messages) == [{"role": "assistant", "content": "R&D <b>"}]


def test_empty_question_does_not_call_the_engine(fake):
    outputs = list(ChatHandlers(fake).respond("   ", []))
    assert len(outputs) == 1 and outputs[0][1] == [] and fake.calls == []


def test_ask_api_returns_the_answer_json(fake):
    result = ChatHandlers(fake).ask_api("Berapa UMKM go digital per Juni 2023?")
    assert result["answerable"] is True and result["value"] == 22_800_000
    assert result["citations"][0]["quote"].startswith("Sementara per Juni 2023")


def test_upload_reports_a_bad_file_and_changes_nothing(fake, tmp_path):
    bad = tmp_path / "broken.md"
    bad.write_bytes(b"\x00\x01binary")
    with pytest.warns(UserWarning, match="Could not add broken.md"):  # gr.Warning outside a request
        status, table, removable, cleared = ChatHandlers(fake).upload(str(bad), progress=lambda *a, **k: None)
    assert "Could not add broken.md" in status and "binary" in status
    assert table is not None and not isinstance(table, list)  # gr.skip(): the table is left as it was
    assert fake.added == [] and not (fake.corpus / "broken.md").exists()


def test_upload_message_names_the_file_not_the_temporary_path(tmp_path):
    from assistant import Assistant

    engine = Assistant(corpus=copy_sample_corpus(tmp_path / "corpus"), store=tmp_path / "store",
                       settings=Settings(embedder="fake"))
    incoming = tmp_path / "gradio" / "f3a9c0" / "rusak.md"
    incoming.parent.mkdir(parents=True)
    incoming.write_bytes(b"\x00\x01 binary")
    with pytest.warns(UserWarning):
        status, *_ = ChatHandlers(engine).upload(str(incoming), progress=lambda *a, **k: None)
    assert "rusak.md" in status and "binary" in status and "f3a9c0" not in status and str(tmp_path) not in status


def test_upload_adds_the_document_outside_the_corpus_and_it_can_be_removed(fake, tmp_path):
    doc = tmp_path / "kopi.md"
    doc.write_text("---\ntitle: Ekspor Kopi\npublisher: Test\ndate: 2024-01-02\n---\nEkspor kopi naik 12 persen.\n")
    corpus_before = sorted(p.name for p in fake.corpus.iterdir())
    handlers = ChatHandlers(fake)
    status, table, removable, cleared = handlers.upload(str(doc), progress=lambda *a, **k: None)
    assert "kopi.md" in status and "added 1" in status and cleared is None
    assert ["Ekspor Kopi", "2024-01-02", "Test", "uploads/kopi.md"] in table
    assert removable["choices"] == ["uploads/kopi.md"]
    assert sorted(p.name for p in fake.corpus.iterdir()) == corpus_before  # the corpus folder is untouched
    status, table, removable = handlers.remove("uploads/kopi.md")
    assert "Removed **kopi.md**" in status and removable["choices"] == []
    assert all(row[0] != "Ekspor Kopi" for row in table)


def test_ingest_summary_flattens_counts_and_escapes():
    summary = {"documents": {"added": 1, "unchanged": 1, "total": 2}, "embedded": 3, "errors": ["<b>x</b>"]}
    text = ingest_summary_markdown(summary, "<i>a.md")
    assert text == (
        "Added **&lt;i&gt;a.md** and indexed it. documents: added 1, unchanged 1, total 2 · embedded: 3"
        " · errors: &lt;b&gt;x&lt;/b&gt;"
    )


def test_example_questions_are_answered_by_the_corpus():
    corpus_text = (ROOT / "corpus" / SEED_FILE).read_text(encoding="utf-8")
    languages = set()
    for example in EXAMPLE_QUESTIONS:
        assert example.evidence in corpus_text, example
        languages.add("en" if example.text.split()[0] in ("What", "How") else "id")
    assert languages == {"id", "en"}


def test_example_click_gives_its_text():
    event = gr.SelectData(None, {"index": 0, "value": {"text": EXAMPLE_QUESTIONS[0].text}})
    assert ChatHandlers.example_text(event) == EXAMPLE_QUESTIONS[0].text


def test_build_ui_exposes_ask_endpoint_and_test_ids(fake):
    demo = build_ui(fake)
    api_names = {fn.api_name for fn in demo.fns.values()}
    assert "ask" in api_names
    chatbot = next(b for b in demo.blocks.values() if isinstance(b, gr.Chatbot))
    assert chatbot.sanitize_html is True and len(chatbot.examples) == len(EXAMPLE_QUESTIONS)


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, None), ("", None), ("ana:s3cret:x", ("ana", "s3cret:x"))]
)
def test_parse_auth(raw, expected):
    assert parse_auth(raw) == expected


def test_parse_auth_rejects_malformed():
    with pytest.raises(ValueError):
        parse_auth("no-password")


@pytest.fixture
def launched(monkeypatch, fake):
    calls = []
    monkeypatch.setattr(gr.Blocks, "launch", lambda self, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(gr.Blocks, "block_thread", lambda self: calls.append("blocked"))
    return calls, build_ui(fake)


def test_launch_beyond_localhost_without_auth_warns(launched, capsys):
    calls, demo = launched
    launch(demo, "0.0.0.0", 7861, None)
    assert "without auth" in capsys.readouterr().err
    assert calls[0]["server_name"] == "0.0.0.0" and calls[0]["server_port"] == 7861 and calls[0]["auth"] is None


def test_launch_applies_auth_and_system_fonts(launched, capsys):
    calls, demo = launched
    launch(demo, "0.0.0.0", 7861, "ana:rahasia")
    output = capsys.readouterr()
    assert output.err == "" and "share=True" not in output.out and "Briefing Assistant on" in output.out
    assert calls[0]["auth"] == ("ana", "rahasia") and calls[-1] == "blocked"
    theme_css = calls[0]["theme"]._get_theme_css()
    assert "fonts.googleapis" not in theme_css and "@import" not in theme_css


def test_every_answer_keeps_its_own_sources_and_markers_link_to_them(fake):
    handlers = ChatHandlers(fake)
    *_, (_, messages, _, panels) = handlers.respond("Berapa UMKM go digital per Maret 2023?", [])
    *_, (_, messages, latest, panels) = handlers.respond("Berapa UMKM go digital per Juni 2023?", messages, panels)
    first, second = messages[1]["content"], messages[3]["content"]
    assert '<a class="cite" href="#a1-source-1">[1]</a>' in first and 'id="a1-source-1"' in first
    assert '<a class="cite" href="#a3-source-1">[1]</a>' in second and 'id="a3-source-1"' in second
    assert "<mark>22 juta</mark>" in first and "<mark>22,8 juta</mark>" in second  # the first keeps its own
    assert '<details class="answer-sources">' in first and "\n\n" not in first.split("<div", 1)[1]  # folded
    assert '<details class="answer-sources" open>' in second  # the latest answer's sources are open
    assert set(panels) == {"1", "3"} and "22,8 juta" in latest
    clicked = gr.SelectData(None, {"index": 1, "value": first})
    assert "<mark>22 juta</mark>" in ChatHandlers.selected_sources(panels, clicked)


def test_copy_controls_give_a_ready_citation_and_a_plain_answer():
    from assistant.ui_text import citation_text, plain_answer

    answer = hostile_answer()
    citation = Citation(1, "corpus/a.md", "Pemerintah Optimistis Target 30 Juta UMKM", "2023-12-04",
                        "Sementara per Juni 2023, bertambah menjadi 22,8 juta UMKM.", 0, 58, "Bisnis.com",
                        "https://ekonomi.bisnis.com/read/20231204/9/1720793")
    assert citation_text(citation, "id") == (
        '"Sementara per Juni 2023, bertambah menjadi 22,8 juta UMKM." — Pemerintah Optimistis Target 30 Juta UMKM, '
        "Bisnis.com, 4 Desember 2023, https://ekonomi.bisnis.com/read/20231204/9/1720793")
    assert citation_text(citation, "en").endswith("Bisnis.com, 4 December 2023, https://ekonomi.bisnis.com/read/20231204/9/1720793")
    answer = Answer("q", "id", True, "Jumlahnya **22,8 juta UMKM** per Juni 2023 [1].\n\n> " + citation.quote + " [1]",
                    22_800_000, "UMKM", (), None, (citation,))
    plain = plain_answer(answer)
    assert "**" not in plain and not any(line.startswith(">") for line in plain.splitlines())
    assert plain.startswith("Jumlahnya 22,8 juta UMKM per Juni 2023 [1].")
    assert plain.endswith("[1] " + citation_text(citation, "id"))
    message = answer_message(answer, "a1")
    assert message.count('class="copy-button copy-citation"') == 1 and 'class="copy-button copy-answer"' in message
    assert "Salin kutipan" in message and "Salin jawaban" in message
    assert escape(plain).replace("\n", "&#10;") in message


def test_confidence_is_shown_when_the_engine_gives_one():
    import dataclasses

    answer = hostile_answer()
    assert "confidence" not in render_sources(answer)
    # the lead adds `confidence` to Answer; until then a subclass stands in for it
    with_confidence = dataclasses.make_dataclass(
        "WithConfidence", [("confidence", "float | None", dataclasses.field(default=None))], bases=(Answer,), frozen=True)
    fields = {f.name: getattr(answer, f.name) for f in dataclasses.fields(answer) if f.name != "confidence"}
    scored = with_confidence(**fields, confidence=0.97)
    assert '<p class="confidence" data-testid="confidence">Keyakinan 97%</p>' in render_sources(scored)
    assert '<span class="confidence">Keyakinan 97%</span>' in answer_message(scored, "a1")


def test_english_answer_labels_are_english_and_indonesian_errors_indonesian(fake):
    html = render_sources(difference_answer())
    assert "Sources" in html and "Copy citation" in html and "Sumber" not in html and "4 December 2023" in html
    with pytest.warns(UserWarning, match="pertanyaannya"):
        *_, (_, messages, _, _) = ChatHandlers(_Refusing()).respond("Berapa inflasi tahun ini?", [])
    assert messages[-1]["content"] == "Pertanyaan tidak dapat dijawab: pertanyaannya 3000 karakter; batasnya 2000"


class _Refusing:
    def ask(self, question, history=None):
        raise ValueError("the question is 3000 characters long; the limit is 2000")


def test_chat_has_no_toolbar_buttons_over_the_messages(fake):
    chatbot = next(b for b in build_ui(fake).blocks.values() if isinstance(b, gr.Chatbot))
    assert chatbot.buttons == []


def test_upload_messages_follow_the_language_of_the_last_question(fake, tmp_path):
    doc = tmp_path / "kopi.md"
    doc.write_text("---\ntitle: Ekspor Kopi\ndate: 2024-01-02\n---\nEkspor kopi naik 12 persen.\n")
    chat = [{"role": "user", "content": [{"type": "text", "text": "Berapa UMKM yang sudah go digital?"}]},
            {"role": "assistant", "content": "…"}]
    status, *_ = ChatHandlers(fake).upload(str(doc), chat, progress=lambda *a, **k: None)
    assert status.startswith("**kopi.md** ditambahkan dan diindeks.") and "dokumen: ditambah 1" in status
    status, *_ = ChatHandlers(fake).remove("uploads/kopi.md", chat)
    assert status == "**kopi.md** dihapus dari dokumen dan indeks."
    english = [{"role": "user", "content": "How many MSMEs have gone digital?"}]
    doc.write_text("---\ntitle: Ekspor Kopi\n---\nEkspor kopi naik 12 persen.\n")
    status, *_ = ChatHandlers(fake).upload(str(doc), english, progress=lambda *a, **k: None)
    assert status.startswith("Added **kopi.md** and indexed it.")
