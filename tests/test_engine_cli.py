"""`python -m assistant ask` in a real process: one JSON object, JSON Lines from stdin, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import shutil
import threading

import pytest

from conftest import CORPUS, copy_sample_corpus, free_port, start_chroma



def real_model(test):
    """Marks a test that loads the real embedder."""
    return pytest.mark.integration(pytest.mark.slow(test))


CONTRACT_KEYS = {"question", "language", "answerable", "answer", "value", "unit", "figures", "calculation",
                 "citations", "confidence", "timings_ms"}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    copy_sample_corpus(root / "corpus")
    return root / "corpus", root / "store"


@pytest.fixture(scope="module")
def fake_folders(tmp_path_factory):
    """Like `folders`, for the test-only `fake` embedder (a store of its own)."""
    root = tmp_path_factory.mktemp("cli-fake")
    shutil.copytree(CORPUS, root / "corpus")
    return root / "corpus", root / "store"


def run(folders, *args, stdin=None, embedder=None):
    corpus, store = folders
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["HF_HUB_OFFLINE"] = "1"
    # the command line's contract, whatever the reader's confidence policy (tested in test_engine_confidence)
    env["ASSISTANT_MIN_CONFIDENCE"] = "0"
    if embedder:
        env["ASSISTANT_EMBEDDER"] = embedder
    return subprocess.run(
        [sys.executable, "-m", "assistant", "ask", *args, "--corpus", str(corpus), "--store", str(store)],
        input=stdin, capture_output=True, text=isinstance(stdin, str) or stdin is None, env=env, timeout=300,
    )


@real_model
def test_ask_json_prints_one_answer_object(folders):
    result = run(folders, "--json", "Berapa UMKM yang sudah go digital per Juni 2023?")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == CONTRACT_KEYS
    assert data["answerable"] and data["value"] == 22_800_000 and "22,8 juta" in data["answer"]
    assert "ingested first (1 document, " in result.stderr  # the fresh store was filled first


@real_model
def test_ask_without_json_prints_the_answer_and_its_sources(folders):
    result = run(folders, "Berapa target UMKM go digital pada 2024?")
    assert result.returncode == 0, result.stderr
    assert "30 juta" in result.stdout and "[1]" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


@real_model
def test_ask_json_from_stdin_answers_each_line(folders):
    too_long = "Berapa " + "x" * 2993
    assert len(too_long) == 3000
    stdin = "How many MSMEs have gone digital as of June 2023?\n\n" + too_long + "\n"
    result = run(folders, "--json", "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    first, empty, long = (json.loads(line) for line in lines)
    assert set(first) == CONTRACT_KEYS and first["value"] == 22_800_000 and "22.8 million" in first["answer"]
    assert empty == {"question": "", "error": "the question is empty"}
    assert set(long) == {"question", "error"}
    assert long["question"].startswith("Berapa x") and "3000" in long["error"]


def test_stdin_gives_exactly_one_line_per_input_line(fake_folders):
    stdin = "Berapa target UMKM?\n\n   \n\t\r\nAnd June?\r\n \x00 \nlast line without newline"
    result = run(fake_folders, "--json", "-", stdin=stdin.encode(), embedder="fake")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().split("\n")
    assert lines[-1] == "" and len(lines[:-1]) == 7
    data = [json.loads(line) for line in lines[:-1]]
    assert [set(d) == {"question", "error"} for d in data] == [False, True, True, True, False, True, False]
    assert data[1]["error"] == data[2]["error"] == data[3]["error"] == "the question is empty"
    assert data[6]["question"] == "last line without newline"


def test_stdin_bad_bytes_get_their_own_error_line_and_the_batch_goes_on(fake_folders):
    lone_surrogate = "Berapa \ud800 UMKM?".encode("utf-8", errors="surrogatepass")
    stdin = b"Berapa target UMKM?\n" + b"Berapa \xff\xfe UMKM?\n" + lone_surrogate + b"\nAnd June?\n"
    result = run(fake_folders, "--json", "-", stdin=stdin, embedder="fake")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr.decode()
    data = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(data) == 4
    assert "error" not in data[0] and "error" not in data[3]
    assert data[1]["question"] == "Berapa \ufffd\ufffd UMKM?" and "not valid UTF-8" in data[1]["error"]
    assert "not valid UTF-8" in data[2]["error"]


def test_argv_that_is_not_utf8_is_one_line_and_exit_2(fake_folders):
    corpus, store = fake_folders
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(HF_HUB_OFFLINE="1", ASSISTANT_EMBEDDER="fake")
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"assistant", b"ask", b"--json", b"Berapa \xff UMKM?",
         b"--corpus", str(corpus).encode(), b"--store", str(store).encode()],
        capture_output=True, env=env, timeout=300,
    )
    assert result.returncode == 2 and result.stdout == b""
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "not valid text" in err and "Traceback" not in err


@real_model
@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_exits_2_with_one_line_on_stderr(folders, question):
    result = run(folders, "--json", question)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "empty" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.enable_socket
def test_a_chroma_server_dying_mid_stream_is_one_line_per_question_and_the_stream_goes_on(tmp_path):
    port = free_port()
    data = tmp_path / "server-data"
    shutil.copytree(CORPUS, tmp_path / "corpus")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(HF_HUB_OFFLINE="1", ASSISTANT_EMBEDDER="fake", ASSISTANT_CHROMA_HOST="127.0.0.1",
               ASSISTANT_CHROMA_PORT=str(port), ASSISTANT_CORPUS=str(tmp_path / "corpus"),
               ASSISTANT_STORE=str(tmp_path / "store"))
    server = start_chroma(data, port)
    stream = None
    try:
        subprocess.run([sys.executable, "-m", "assistant", "ingest"], env=env, check=True, capture_output=True,
                       timeout=120)
        stream = subprocess.Popen([sys.executable, "-m", "assistant", "ask", "--json", "-"], env=env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        watchdog = threading.Timer(240, stream.kill)
        watchdog.start()

        def ask(question: str) -> dict:
            stream.stdin.write(question + "\n")
            stream.stdin.flush()
            return json.loads(stream.stdout.readline())

        assert "error" not in ask("Berapa target UMKM go digital pada 2024?")
        server.terminate()
        server.wait(timeout=30)
        for _ in range(2):
            down = ask("Berapa UMKM yang sudah go digital per Juni 2023?")
            assert set(down) == {"question", "error"}
            assert f"cannot reach the Chroma server at 127.0.0.1:{port}" in down["error"]
        server = start_chroma(data, port)
        back = ask("Berapa UMKM yang sudah go digital per Juni 2023?")
        assert "error" not in back and back["question"].startswith("Berapa UMKM")
        stream.stdin.close()
        assert stream.wait(timeout=60) == 0
        watchdog.cancel()
        assert "Traceback" not in stream.stderr.read()
    finally:
        if stream is not None and stream.poll() is None:
            stream.kill()
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.enable_socket
def test_a_running_stream_answers_from_what_another_process_ingested(tmp_path):
    from conftest import SEED_FILE

    port = free_port()
    shutil.copytree(CORPUS, tmp_path / "corpus")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(HF_HUB_OFFLINE="1", ASSISTANT_CHROMA_HOST="127.0.0.1", ASSISTANT_CHROMA_PORT=str(port),
               ASSISTANT_CORPUS=str(tmp_path / "corpus"), ASSISTANT_STORE=str(tmp_path / "store"),
               ASSISTANT_MIN_CONFIDENCE="0")  # the stream's freshness is the point, not the confidence policy
    server = start_chroma(tmp_path / "server-data", port)
    stream = None
    question = "Berapa UMKM yang sudah go digital per Juni 2023?\n"
    try:
        stream = subprocess.Popen([sys.executable, "-m", "assistant", "ask", "--json", "-"], env=env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        watchdog = threading.Timer(300, stream.kill)
        watchdog.start()
        stream.stdin.write(question)
        stream.stdin.flush()
        assert json.loads(stream.stdout.readline())["value"] == 22_800_000
        path = tmp_path / "corpus" / SEED_FILE
        path.write_text(path.read_text(encoding="utf-8").replace("22,8 juta", "23,1 juta"), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "assistant", "ingest"], env={**env, "ASSISTANT_STORE": str(tmp_path / "other")},
                       check=True, capture_output=True, timeout=300)
        stream.stdin.write(question)
        stream.stdin.flush()
        after = json.loads(stream.stdout.readline())
        text = path.read_text(encoding="utf-8")
        assert after["value"] == 23_100_000
        assert all(text[c["start"]:c["end"]] == c["quote"] for c in after["citations"])
        stream.stdin.close()
        assert stream.wait(timeout=60) == 0
        watchdog.cancel()
    finally:
        if stream is not None and stream.poll() is None:
            stream.kill()
        server.terminate()
        server.wait(timeout=30)
