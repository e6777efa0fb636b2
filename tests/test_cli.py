import json
import os
import re
import subprocess
import sys
import types

import pytest

from assistant.cli import main, plural
from conftest import ROOT, SEED_FILE


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_json_then_table(env, capsys):
    code, out, _ = run(capsys, "ingest", "--json")
    summary = json.loads(out)
    assert code == 0 and set(summary) == {"documents", "chunks", "embedded", "errors"}
    assert summary["documents"]["added"] == 1
    code, out, _ = run(capsys, "ingest")
    assert code == 0 and "unchanged" in out and "embedded 0" in out


def test_options_override_environment(env, capsys, tmp_path):
    store = tmp_path / "other-store"
    code, out, _ = run(capsys, "--store", str(store), "ingest", "--json")
    assert code == 0 and (store / "chroma").is_dir()
    code, out, _ = run(capsys, "ingest", "--json", "--store", str(store))
    assert json.loads(out)["embedded"] == 0


def test_search_json_is_best_first_with_exact_offsets(env, capsys):
    code, out, _ = run(capsys, "search", "22,8 juta UMKM Juni 2023", "--k", "3", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    text = (env.corpus / SEED_FILE).read_text()
    for row in rows:
        assert set(row) == {"text", "source", "start", "end", "score"}
        assert text[row["start"] : row["end"]] == row["text"]
    code, out, _ = run(capsys, "search", "UMKM", "--k", "2")
    assert code == 0 and "search: UMKM" in out and "score" in out and "offsets" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["search", "   "], "the query is empty"),
        (["ask", ""], "the question is empty"),
        (["search", "x", "--k", "0"], "--k must be at least 1"),
        (["--corpus", "/no/such/folder", "ingest"], "corpus folder /no/such/folder does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(env, capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_corrupt_store_message_in_a_fresh_process(env, tmp_path):
    chroma = tmp_path / "broken" / "chroma"
    chroma.mkdir(parents=True)
    (chroma / "chroma.sqlite3").write_bytes(b"garbage" * 500)
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "--store", str(tmp_path / "broken"), "ingest"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert "--rebuild" in result.stderr and "Traceback" not in result.stderr
    rebuilt = subprocess.run(
        [sys.executable, "-m", "assistant", "--store", str(tmp_path / "broken"), "ingest", "--rebuild", "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["documents"]["added"] == 1


def test_invalid_setting_is_one_line(env, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_CHUNK_SIZE", "5")
    code, _, err = run(capsys, "ingest")
    assert code == 2 and "chunk_size" in err and err.count("\n") == 1


@pytest.mark.parametrize("query, message", [("target \udcff UMKM", "the query is not valid text"),
                                            ("x" * 3000, "the query is 3000 characters long"),
                                            ("a\x00b", "the query contains binary data")])
def test_a_bad_search_query_is_one_line_and_exit_2(env, capsys, query, message):
    code, _, err = run(capsys, "search", query)
    assert code == 2 and message in err and err.count("\n") == 1


@pytest.mark.parametrize("auth", ["s3cretNoColon", ":s3cret", "alice:", ":", "  :s3cret"])
@pytest.mark.parametrize("entry", [["-m", "assistant", "serve"], ["app.py"]])
def test_malformed_auth_is_one_line_and_exit_2(env, auth, entry):
    result = subprocess.run([sys.executable, *entry], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "ASSISTANT_AUTH": auth}, cwd=ROOT)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "auth" in result.stderr and "user:password" in result.stderr
    assert "s3cret" not in result.stderr and "alice" not in result.stderr  # the credentials are not echoed


def test_help_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "assistant", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("ingest", "search", "ask", "eval", "serve"):
        assert command in result.stdout


def test_eval_passes_its_own_arguments_through(env, capsys, monkeypatch):
    received = []
    module = types.ModuleType("assistant.evaluation.cli")
    module.run_eval = lambda argv: received.append(argv) or 0
    monkeypatch.setitem(sys.modules, "assistant.evaluation.cli", module)
    code, _, _ = run(capsys, "eval", "--min-accuracy", "0.9", "--json")
    assert code == 0 and received == [["--min-accuracy", "0.9", "--json"]]


def test_ask_and_serve_dispatch(env, capsys, monkeypatch):
    calls = []
    engine_cli = types.ModuleType("assistant.engine_cli")
    engine_cli.run_ask = lambda args, settings: calls.append(("ask", args.question, args.json, settings.embedder)) or 0
    monkeypatch.setitem(sys.modules, "assistant.engine_cli", engine_cli)
    ui = types.ModuleType("assistant.ui")
    ui.serve = lambda settings, host, port: calls.append(("serve", host, port))
    monkeypatch.setitem(sys.modules, "assistant.ui", ui)
    assert run(capsys, "ask", "Berapa target?", "--json")[0] == 0
    assert run(capsys, "ask", "--json", "-")[0] == 0
    assert run(capsys, "serve", "--port", "7999")[0] == 0
    assert calls == [("ask", "Berapa target?", True, "fake"), ("ask", "-", True, "fake"), ("serve", "127.0.0.1", 7999)]


def test_ingest_takes_the_folder_as_a_positional_argument(env, capsys, tmp_path):
    other = tmp_path / "briefings"
    other.mkdir()
    (other / "ekspor.md").write_text("---\ntitle: Ekspor\n---\nNilai ekspor naik 3,2 persen pada Desember 2023.\n")
    code, out, _ = run(capsys, "ingest", str(other), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["documents"]["total"] == 1 and summary["documents"]["added"] == 1
    code, _, err = run(capsys, "ingest", str(other), "--corpus", str(env.corpus))
    assert code == 2 and "two corpus folders" in err and err.count("\n") == 1


def test_ingest_summary_on_a_fresh_store_says_what_was_embedded(env, capsys):
    code, out, _ = run(capsys, "ingest")
    assert code == 0 and "cache" not in out and "unchanged" not in out.splitlines()[-1]
    assert re.search(r"embedded \d+ chunks\s*$", out)
    code, out, _ = run(capsys, "ingest")
    assert re.search(r"embedded 0 chunks; \d+ chunks unchanged\s*$", out)


def test_plural():
    assert (plural(1, "document"), plural(2, "document"), plural(0, "chunk")) == ("1 document", "2 documents",
                                                                                   "0 chunks")
