"""What `Assistant.ask` and its Runnable accept: bad questions and histories fail cleanly, work is bounded.

Uses the test-only `fake` embedder: retrieval quality is not the point here.
"""

from __future__ import annotations

import shutil

import pytest

import assistant.engine as engine
from assistant import Assistant
from assistant.answer import Answer
from assistant.config import Settings
from assistant.engine import MAX_HISTORY_TURNS, MAX_QUESTION_CHARS, InvalidQuestion, bounded_history
from conftest import CORPUS


@pytest.fixture(scope="module")
def fake_assistant(tmp_path_factory) -> Assistant:
    root = tmp_path_factory.mktemp("engine-input")
    shutil.copytree(CORPUS, root / "corpus")
    return Assistant(settings=Settings(corpus=root / "corpus", store=root / "store", embedder="fake"))


@pytest.mark.parametrize("value", [{"history": []}, {}, {"questions": "Berapa target?"}])
def test_runnable_without_a_question_raises_invalid_question(fake_assistant, value):
    with pytest.raises(InvalidQuestion, match="question"):
        fake_assistant.as_runnable().invoke(value)


@pytest.mark.parametrize("question", ["Berapa target \ud800 UMKM?", "\udcff", "target \udfff 2024"])
def test_lone_surrogate_is_an_invalid_question(fake_assistant, question):
    with pytest.raises(InvalidQuestion, match="not valid text"):
        fake_assistant.ask(question)


def test_lone_surrogate_in_history_is_dropped_not_a_crash(fake_assistant):
    answer = fake_assistant.ask("Dan per Juni?", history=[{"role": "user", "content": "Berapa \ud800 UMKM?"}])
    assert isinstance(answer, Answer)


def test_history_is_cut_to_the_last_turns_and_each_turn_to_the_question_limit(fake_assistant, monkeypatch):
    seen = []
    real_analyse = engine.analyse
    monkeypatch.setattr(engine, "analyse", lambda text, history: seen.append(history) or real_analyse(text, history))
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i} " + "x" * 100_000}
               for i in range(1000)]
    fake_assistant.ask("Dan per Juni?", history=history)
    (given,) = seen
    assert len(given) == MAX_HISTORY_TURNS
    assert all(len(turn["content"]) <= MAX_QUESTION_CHARS for turn in given)
    assert given[-1]["content"].startswith("turn 999 ")


def test_bounded_history_keeps_well_formed_turns_only():
    history = [{"role": "user", "content": "Berapa target?"}, "noise", {"role": "user", "content": 5},
               ("And June?", "…"), {"role": "assistant"}]
    assert bounded_history(history) == [{"role": "user", "content": "Berapa target?"},
                                         {"role": "user", "content": "And June?"}]
    assert bounded_history(None) is None
    with pytest.raises(InvalidQuestion, match="history"):
        bounded_history("Berapa target?")


def _covered_text(view) -> str:
    return "".join(view.text[start:end] for start, end in view.spans)


def test_a_question_after_another_ingest_sees_the_new_text(tmp_path):
    from assistant.ingest import ingest
    from conftest import SEED_FILE

    shutil.copytree(CORPUS, tmp_path / "corpus")
    settings = Settings(corpus=tmp_path / "corpus", store=tmp_path / "store", embedder="fake")
    assistant = Assistant(settings=settings)
    assistant.ask("Berapa UMKM yang sudah go digital per Juni 2023?")
    (view,) = assistant.views.values()
    assert "22,8 juta" in _covered_text(view)
    path = settings.corpus / SEED_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("22,8 juta", "23,1 juta"), encoding="utf-8")
    ingest(settings, progress=False)  # as another process would (the store records a new version stamp)
    assistant.ask("Berapa UMKM yang sudah go digital per Juni 2023?")
    (view,) = assistant.views.values()
    assert "23,1 juta" in _covered_text(view) and "22,8 juta" not in _covered_text(view)
    text = path.read_text(encoding="utf-8")
    assert all(chunk.text == text[chunk.start:chunk.end] for chunk in assistant.retriever.chunks())
    ingest(settings, progress=False, rebuild=True)  # a rebuild replaces the collection itself
    assert assistant.ask("Berapa UMKM yang sudah go digital per Juni 2023?").question
    assert len(assistant.retriever.chunks()) == assistant.retriever.store.count()


def test_an_ingest_that_changes_nothing_keeps_the_version_stamp(tmp_path):
    from assistant.ingest import ingest
    from assistant.store import ChunkStore

    shutil.copytree(CORPUS, tmp_path / "corpus")
    settings = Settings(corpus=tmp_path / "corpus", store=tmp_path / "store", embedder="fake")
    ingest(settings, progress=False)
    store = ChunkStore(settings)
    before = store.stamp()
    ingest(settings, progress=False)
    assert store.stamp() == before and before[1]
