"""Retrieval quality on the sample briefing: dense vs BM25 vs fused, split by question language.

Ingests corpus/ (plus the invented briefings in evals/corpora/extra/ as distractors, unless
--no-distractors) into a temporary store with the real embedder, then for every question in
evals/retrieval_questions.jsonl finds the rank of the first chunk of the right document that
contains the evidence sentence (or one of `evidence_alternatives`). Reports recall@1/3/5 and MRR.

    .venv/bin/python evals/retrieval_eval.py [--write-docs] [--weights 0,0.02,0.05]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402

QUESTIONS = ROOT / "evals" / "retrieval_questions.jsonl"
DISTRACTORS = ROOT / "evals" / "corpora" / "extra"  # as measured in docs/retrieval.md; heldout/ stays unseen
DOCS = ROOT / "docs" / "retrieval.md"
CUTOFFS = (1, 3, 5)


@dataclass
class QuestionScores:
    """Per question: every chunk's cosine and normalised BM25 score, and which chunks are hits."""

    item: dict
    cosine: dict[str, float]
    lexical: dict[str, float]
    hits: set[str]


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def build_corpus(folder: Path, distractors: bool) -> None:
    """Copy corpus/ (and optionally the distractor briefings) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = list((ROOT / "corpus").iterdir())
    if distractors and DISTRACTORS.is_dir():
        sources += [p for p in DISTRACTORS.rglob("*") if p.is_file() and p.suffix in {".md", ".txt", ".html", ".pdf"}]
    for path in sources:
        if path.is_file():
            shutil.copy2(path, folder / path.name)


def is_hit(chunk, item: dict) -> bool:
    """The chunk comes from the item's document and contains its evidence (or an accepted alternative)."""
    if Path(chunk.source).name != Path(item["source"]).name:
        return False
    return any(span in chunk.text for span in [item["evidence"], *item.get("evidence_alternatives", [])])


def score_questions(retriever, questions: list[dict]) -> list[QuestionScores]:
    chunks = retriever.chunks()
    results = []
    for item in questions:
        cosine = {chunk.id: score for chunk, score in retriever.store.dense_search(item["question"], len(chunks))}
        lexical = retriever.lexical.scores(item["question"])
        hits = {chunk.id for chunk in chunks if is_hit(chunk, item)}
        if not hits:
            raise ValueError(f"{item['id']}: no chunk contains its evidence")
        results.append(QuestionScores(item, cosine, lexical, hits))
    return results


def first_hit_rank(ranking: list[str], hits: set[str]) -> int | None:
    return next((rank for rank, chunk_id in enumerate(ranking, 1) if chunk_id in hits), None)


def rankings(scores: QuestionScores, weight: float) -> dict[str, list[str]]:
    """Dense, BM25 and fused (cos + weight·normalised BM25) rankings of every chunk for one question."""
    ids = list(scores.cosine)
    fused = {i: scores.cosine[i] + weight * scores.lexical.get(i, 0.0) for i in ids}
    lexical_ranked = sorted(scores.lexical, key=lambda i: (-scores.lexical[i], -scores.cosine.get(i, 0.0)))
    return {
        "dense": sorted(ids, key=lambda i: -scores.cosine[i]),
        "BM25": lexical_ranked,  # chunks sharing no term with the question are never retrieved by BM25
        "fused": sorted(ids, key=lambda i: (-fused[i], -scores.cosine[i])),
    }


def metrics(ranks: list[int | None]) -> dict[str, float]:
    out = {f"R@{c}": sum(1 for r in ranks if r is not None and r <= c) / len(ranks) for c in CUTOFFS}
    out["MRR"] = sum(1.0 / r for r in ranks if r is not None) / len(ranks)
    return out


def evaluate(all_scores: list[QuestionScores], weight: float) -> dict[tuple[str, str], dict[str, float]]:
    """(method, language) → metrics; language 'all' as well."""
    ranks: dict[tuple[str, str], list[int | None]] = {}
    for scores in all_scores:
        for method, ranking in rankings(scores, weight).items():
            rank = first_hit_rank(ranking, scores.hits)
            for lang in (scores.item["lang"], "all"):
                ranks.setdefault((method, lang), []).append(rank)
    return {key: metrics(values) for key, values in ranks.items()}


def failures(all_scores: list[QuestionScores], weight: float, method: str = "fused", cutoff: int = 3) -> list[str]:
    out = []
    for scores in all_scores:
        rank = first_hit_rank(rankings(scores, weight)[method], scores.hits)
        if rank is None or rank > cutoff:
            out.append(f"{scores.item['id']} ({scores.item['lang']}, rank {rank}): {scores.item['question']}")
    return out


def open_retriever(workdir: Path, distractors: bool, settings: Settings | None = None):
    """Ingest the evaluation corpus into `workdir` and open a HybridRetriever on it."""
    from assistant.ingest import ingest
    from assistant.retrieve import HybridRetriever

    base = settings or Settings()
    settings = base.model_copy(update={"corpus": workdir / "corpus", "store": workdir / "store"})
    build_corpus(settings.corpus, distractors)
    summary = ingest(settings, progress=False)
    return HybridRetriever.from_settings(settings), summary


def markdown(results: dict, weight: float, n_questions: int, n_chunks: int, distractors: bool) -> str:
    lines = [
        f"{n_questions} questions on the UMKM briefing ({n_chunks} chunks indexed"
        f"{', distractor briefings included' if distractors else ''}); fused weight {weight}; "
        "a hit is a chunk of the briefing containing the evidence sentence. "
        "Produced by `evals/retrieval_eval.py --write-docs`.",
        "",
        "| method | lang | R@1 | R@3 | R@5 | MRR |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for (method, lang), m in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        lines.append(f"| {method} | {lang} | {m['R@1']:.3f} | {m['R@3']:.3f} | {m['R@5']:.3f} | {m['MRR']:.3f} |")
    return "\n".join(lines)


def weight_grid_markdown(all_scores: list[QuestionScores], weights: list[float]) -> str:
    lines = ["| weight | id R@1 | id MRR | en R@1 | en MRR | all R@3 |", "|---:|---:|---:|---:|---:|---:|"]
    for weight in weights:
        r = evaluate(all_scores, weight)
        lines.append(
            f"| {weight} | {r[('fused', 'id')]['R@1']:.3f} | {r[('fused', 'id')]['MRR']:.3f} | "
            f"{r[('fused', 'en')]['R@1']:.3f} | {r[('fused', 'en')]['MRR']:.3f} | {r[('fused', 'all')]['R@3']:.3f} |"
        )
    return "\n".join(lines)


def main() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from tune_fusion import replace_section

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-distractors", action="store_true", help="index corpus/ only")
    parser.add_argument("--weights", default="0,0.01,0.02,0.03,0.05,0.1,0.2,0.5", help="fusion weights to compare")
    parser.add_argument("--write-docs", action="store_true", help=f"write the tables into {DOCS.relative_to(ROOT)}")
    args = parser.parse_args()
    distractors = not args.no_distractors
    questions = load_questions()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="retrieval-eval-") as tmp:
        retriever, _ = open_retriever(Path(tmp), distractors)
        all_scores = score_questions(retriever, questions)
        weight = retriever.weight
        n_chunks = len(retriever.chunks())
        results = evaluate(all_scores, weight)
        table = Table(title=f"Retrieval on the UMKM briefing: {len(questions)} questions, {n_chunks} chunks, w={weight}")
        for column in ("method", "lang", *(f"R@{c}" for c in CUTOFFS), "MRR"):
            table.add_column(column, justify="left" if column in {"method", "lang"} else "right")
        for (method, lang), m in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            table.add_row(method, lang, *(f"{m[f'R@{c}']:.3f}" for c in CUTOFFS), f"{m['MRR']:.3f}")
        console.print(table)
        weights = [float(w) for w in args.weights.split(",")]
        grid = weight_grid_markdown(all_scores, weights)
        console.print(grid)
        missed = failures(all_scores, weight)
        console.print("fused misses at 3:" if missed else "fused: every question's evidence in the top 3")
        for line in missed:
            console.print("  " + line)
        if args.write_docs:
            replace_section(DOCS, "briefing-eval", markdown(results, weight, len(questions), n_chunks, distractors))
            replace_section(DOCS, "briefing-weights", "Fused ranking by weight on the same questions:\n\n" + grid)
        retriever.store.collection  # keep the store open until the temp dir goes


if __name__ == "__main__":
    main()
