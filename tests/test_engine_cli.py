"""`python -m assistant ask` in a real process: one JSON object, JSON Lines from stdin, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import copy_sample_corpus

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CONTRACT_KEYS = {"question", "language", "answerable", "answer", "value", "unit", "figures", "calculation",
                 "citations", "confidence", "timings_ms"}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    copy_sample_corpus(root / "corpus")
    return root / "corpus", root / "store"


def run(folders, *args, stdin=None):
    corpus, store = folders
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["HF_HUB_OFFLINE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "assistant", "ask", *args, "--corpus", str(corpus), "--store", str(store)],
        input=stdin, capture_output=True, text=True, env=env, timeout=300,
    )


def test_ask_json_prints_one_answer_object(folders):
    result = run(folders, "--json", "Berapa UMKM yang sudah go digital per Juni 2023?")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == CONTRACT_KEYS
    assert data["answerable"] and data["value"] == 22_800_000 and "22,8 juta" in data["answer"]
    assert "ingested first (1 document, " in result.stderr  # the fresh store was filled first


def test_ask_without_json_prints_the_answer_and_its_sources(folders):
    result = run(folders, "Berapa target UMKM go digital pada 2024?")
    assert result.returncode == 0, result.stderr
    assert "30 juta" in result.stdout and "[1]" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


def test_ask_json_from_stdin_answers_each_non_empty_line(folders):
    too_long = "Berapa " + "x" * 2993
    assert len(too_long) == 3000
    stdin = "How many MSMEs have gone digital as of June 2023?\n\n" + too_long + "\n"
    result = run(folders, "--json", "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) == CONTRACT_KEYS and first["value"] == 22_800_000 and "22.8 million" in first["answer"]
    assert set(second) == {"question", "error"}
    assert second["question"].startswith("Berapa x") and "3000" in second["error"]


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_exits_2_with_one_line_on_stderr(folders, question):
    result = run(folders, "--json", question)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "empty" in result.stderr
    assert "Traceback" not in result.stderr
