"""Shared fixtures: a temporary copy of the corpus, settings pointing at temporary folders."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import assistant  # noqa: F401  (sets HF_HUB_OFFLINE and friends before any model import)
from assistant.config import Settings

for _name, _value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
                      "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False"}.items():
    os.environ[_name] = _value

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED_FILE = "2023-12-04-umkm-go-digital.md"
SAMPLE_FILES = (SEED_FILE,)  # the briefings the repository ships; a user's own files in corpus/ never reach a test


def copy_sample_corpus(target: Path) -> Path:
    """A private folder holding only the shipped sample briefings (not whatever else corpus/ holds now)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_FILES:
        shutil.copyfile(CORPUS / name, target / name)
    return target


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch):
    """Tests see only the settings they set, never the developer's ASSISTANT_* environment."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)


@pytest.fixture
def sample_corpus(tmp_path) -> Path:
    """A private copy of corpus/ that a test may change."""
    return copy_sample_corpus(tmp_path / "corpus")


@pytest.fixture
def tmp_settings(tmp_path, sample_corpus) -> Settings:
    """Settings over the sample corpus and an empty store, with the real default embedder."""
    return Settings(corpus=sample_corpus, store=tmp_path / "store")


@pytest.fixture
def env(monkeypatch, fake_settings):
    """The CLI's environment pointing at `fake_settings` (the fake embedder, a private corpus and store)."""
    monkeypatch.setenv("ASSISTANT_CORPUS", str(fake_settings.corpus))
    monkeypatch.setenv("ASSISTANT_STORE", str(fake_settings.store))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "fake")
    return fake_settings


@pytest.fixture
def fake_settings(tmp_path, sample_corpus) -> Settings:
    """Like tmp_settings but with the test-only `fake` embedder (fast, no model)."""
    return Settings(corpus=sample_corpus, store=tmp_path / "store", embedder="fake")


# A briefing whose figures belong to provinces of a list (claims with entities), for the reader's tests.
PROVINCES = """---
title: "Realisasi Investasi Triwulan I 2024"
publisher: Contoh
date: 2024-04-29
language: id
---
Realisasi investasi pada triwulan I 2024 mencapai Rp401,5 triliun.

Jawa Barat menjadi tujuan utama dengan Rp64,7 triliun, disusul DKI Jakarta Rp58,4 triliun dan Banten Rp25,3 triliun.
"""


def views_of(tmp_path: Path, *texts: str, chunk_size: int = 120):
    """(source → DocumentView, chunks) of small in-test documents, each written to `tmp_path` and split."""
    from assistant.evidence import build_views
    from assistant.load import load_document
    from assistant.split import split_document

    chunks = []
    for index, text in enumerate(texts):
        path = tmp_path / f"doc{index}.md"
        path.write_text(text, encoding="utf-8")
        chunks += split_document(load_document(path), chunk_size=chunk_size)
    return build_views(chunks), chunks


def make_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF showing `text` (ASCII) in Helvetica."""
    return make_pdf_page([(72, 720, text, 12)])


def make_pdf_page(lines: list[tuple[float, float, str] | tuple[float, float, str, float]]) -> bytes:
    """A one-page PDF with each `(x, y, text[, font size])` drawn in Helvetica, in the order given
    (the order a PDF's content stream has, which is the order a text extractor reads)."""
    return make_pdf_pages([lines])


def make_pdf_pages(pages: list[list[tuple]]) -> bytes:
    """A PDF with one page per list of `(x, y, text[, font size])` lines (see `make_pdf_page`)."""
    font = 3 + 2 * len(pages)
    page_objects, objects = [], []
    for index, lines in enumerate(pages):
        operations = []
        for x, y, text, *size in lines:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            operations.append(f"BT /F1 {size[0] if size else 11} Tf {x} {y} Td ({escaped}) Tj ET")
        stream = "\n".join(operations).encode("latin-1")
        page, content = 3 + 2 * index, 4 + 2 * index
        page_objects.append(page)
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content, font),
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    kids = " ".join(f"{number} 0 R" for number in page_objects).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
               *objects,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_chroma(path: Path, port: int) -> subprocess.Popen:
    """A real `chroma run` server over `path` on 127.0.0.1:`port`, once its heartbeat answers."""
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.fail(f"{chroma} is missing: install the project (make install)")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                return process
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("chroma server did not start")
            time.sleep(0.3)


@pytest.fixture(scope="session")
def train():
    """scripts/train_reader.py loaded as a module (its pure helpers are tested; nothing is trained)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_reader", ROOT / "scripts" / "train_reader.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
