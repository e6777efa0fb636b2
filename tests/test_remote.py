"""The CLI while the chat UI runs: `assistant ask`/`search` go through the running app's API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.answer import Answer
from assistant.config import Settings
from assistant.remote import answer_from_dict, running_server, write_server_record
from conftest import copy_sample_corpus
from ui_fake_engine import difference_answer, free_port

QUESTION = "Berapa UMKM yang sudah go digital per Maret 2023?"  # a plain lookup the committed models answer


def test_answer_round_trips_through_its_json():
    answer = difference_answer()
    assert answer_from_dict(json.loads(answer.to_json())) == answer
    assert isinstance(answer_from_dict({**answer.to_dict(), "confidence": 0.9}), Answer)


def test_no_server_record_or_a_dead_process_means_no_server(tmp_path):
    settings = Settings(store=tmp_path / "store")
    assert running_server(settings) is None
    write_server_record(settings, "http://127.0.0.1:9/")
    assert running_server(settings).url == "http://127.0.0.1:9/"  # this process is alive
    (tmp_path / "store" / "server.json").write_text(json.dumps({"url": "http://127.0.0.1:9/", "pid": 2**22 + 7}))
    assert running_server(settings) is None


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.enable_socket
def test_cli_asks_and_searches_through_the_running_ui(tmp_path):
    from gradio_client import Client

    corpus, store = copy_sample_corpus(tmp_path / "corpus"), tmp_path / "store"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(HF_HUB_OFFLINE="1", ASSISTANT_CORPUS=str(corpus), ASSISTANT_STORE=str(store))
    cli = [sys.executable, "-m", "assistant"]
    port = free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        record = store / "server.json"
        deadline = time.monotonic() + 180
        while not record.exists():
            assert server.poll() is None, server.stdout.read()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.5)
        url = json.loads(record.read_text())["url"]
        asked = subprocess.run([*cli, "ask", "--json", QUESTION], env=env, cwd=tmp_path, capture_output=True,
                               text=True, timeout=180)
        assert asked.returncode == 0, asked.stderr
        assert "held by the chat UI" in asked.stderr
        through_cli = json.loads(asked.stdout)
        direct = Client(url, verbose=False).predict(QUESTION, api_name="/ask")
        for data in (through_cli, direct):
            data.pop("timings_ms")
        assert through_cli == direct and through_cli["value"] == 22_000_000

        searched = subprocess.run([*cli, "search", "--json", "--k", "3", "22,8 juta UMKM Juni 2023"], env=env,
                                  cwd=tmp_path, capture_output=True, text=True, timeout=180)
        assert searched.returncode == 0, searched.stderr
        rows = json.loads(searched.stdout)
        text = (corpus / next(corpus.iterdir()).name).read_text(encoding="utf-8")
        assert len(rows) == 3 and all(text[r["start"] : r["end"]] == r["text"] for r in rows)

        ingest = subprocess.run([*cli, "ingest"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
        assert ingest.returncode == 2 and "the chat UI at http://" in ingest.stderr and ingest.stderr.count("\n") == 1

        markdown = subprocess.run([*cli, "ask", QUESTION], env=env, cwd=tmp_path, capture_output=True, text=True,
                                  timeout=180)
        assert markdown.returncode == 0 and "22 juta UMKM" in markdown.stdout and "[1]" in markdown.stdout
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    assert not (store / "server.json").exists()  # a stopped server withdraws its record
