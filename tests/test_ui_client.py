"""The `/ask` API of the running chat UI, called through gradio_client."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gradio_client import Client

from conftest import ROOT, copy_sample_corpus
from ui_fake_engine import FakeAssistant, free_port, serving

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.integration, pytest.mark.enable_socket]


@pytest.fixture
def engine(tmp_path: Path) -> FakeAssistant:
    copy_sample_corpus(tmp_path / "corpus")
    return FakeAssistant(tmp_path / "corpus")


def test_ask_endpoint_returns_the_answer_json(engine):
    with serving(engine) as url:
        client = Client(url, verbose=False)
        result = client.predict("Berapa UMKM go digital per Juni 2023?", api_name="/ask")
        endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(result) >= {"question", "language", "answerable", "answer", "value", "unit", "figures",
                           "calculation", "citations", "timings_ms"}
    assert result["question"] == "Berapa UMKM go digital per Juni 2023?"
    assert result["answerable"] is True and result["value"] == 22_800_000
    citation = result["citations"][0]
    source_text = (engine.corpus / Path(citation["source"]).name).read_text(encoding="utf-8")
    assert source_text[citation["start"] : citation["end"]] == citation["quote"]
    assert sorted(endpoints) == ["/ask", "/search"]  # the chat's own events stay private


def test_ask_endpoint_passes_refusals_through(engine):
    with serving(engine) as url:
        result = Client(url, verbose=False).predict("Siapa presiden Prancis?", api_name="/ask")
    assert result["answerable"] is False and result["value"] is None and result["citations"] == []


def test_launch_prints_its_address_without_gradio_hints(engine, capsys):
    from assistant.ui import build_ui, launch

    demo = build_ui(engine)
    try:
        launch(demo, "127.0.0.1", free_port(), prevent_thread_lock=True)
        printed = capsys.readouterr().out
    finally:
        demo.close()
    assert "share=True" not in printed and "Briefing Assistant on http://127.0.0.1:" in printed


@pytest.mark.slow
def test_fifty_concurrent_users_get_the_single_user_answers(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from assistant import Assistant
    from assistant.config import Settings

    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    assistant = Assistant(settings=Settings(corpus=tmp_path / "corpus", store=tmp_path / "store"))
    questions = ["Berapa UMKM yang sudah go digital per Juni 2023?", "Berapa target UMKM go digital pada 2024?",
                 "How many MSMEs have gone digital as of June 2023?", "Siapa presiden Prancis?",
                 "Berapa selisih target dan capaian UMKM go digital saat ini?"]

    def essentials(result: dict) -> tuple:
        return result["answerable"], result["value"], result["answer"], [c["quote"] for c in result["citations"]]

    single = {q: essentials(assistant.ask(q).to_dict()) for q in questions}
    with serving(assistant) as url:
        def user(n: int) -> list[tuple]:
            client = Client(url, verbose=False)
            order = questions[n % 5:] + questions[:n % 5]
            return [(q, essentials(client.predict(q, api_name="/ask"))) for q in order]

        with ThreadPoolExecutor(max_workers=50) as pool:
            results = [pair for answers in pool.map(user, range(50)) for pair in answers]
    assert len(results) == 250
    assert all(got == single[question] for question, got in results)
