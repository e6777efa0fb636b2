"""`assistant eval`: run the question sets, write the reports, exit 1 when a threshold is missed."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rich.console import Console
from tqdm import tqdm

from assistant.evaluation import harness
from assistant.evaluation.report import print_comparison, print_summary, write_reports
from assistant.evaluation.scoring import source_reader, summarise

DEFAULT_THRESHOLDS = Path("evals/thresholds.toml")
DEFAULT_REPORT = Path("evals/reports/latest")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant eval", description=__doc__)
    p.add_argument("--questions", nargs="+", type=Path, metavar="FILE",
                   help="JSONL question sets (default: every set in the thresholds file: "
                        "evals/briefing_umkm.jsonl over corpus/, evals/extra_briefings.jsonl over evals/corpora/extra/)")
    p.add_argument("--corpus", type=Path, metavar="DIR", help="corpus for every set (default: per set, from the thresholds file)")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="keep the stores here, one subfolder per set (default: a temporary store per set)")
    p.add_argument("--report", type=Path, default=DEFAULT_REPORT, metavar="DIR", help="report folder (default: %(default)s)")
    p.add_argument("--thresholds", type=Path, default=DEFAULT_THRESHOLDS, metavar="FILE",
                   help="per-set corpus and thresholds (default: %(default)s)")
    p.add_argument("--compare", type=Path, metavar="OLD_REPORT.json", help="print what got better or worse since that report")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def run_eval(argv: list[str]) -> int:
    """Entry point; returns the exit code (0 all thresholds met, 1 some missed, 2 bad input)."""
    args = parser().parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 120)  # logs and CI get the whole table
    root = Path.cwd()
    try:
        config = harness.load_config(args.thresholds)
        if not config and not args.questions:
            raise ValueError(f"no question sets: {args.thresholds} has none and --questions was not given")
        sets = harness.resolve_sets(args.questions, config, args.corpus, root)
        for question_set in sets:
            if not question_set.questions.is_file():
                raise ValueError(f"question file not found: {question_set.questions}")
            if not question_set.corpus.is_dir():
                raise ValueError(f"corpus folder not found: {question_set.corpus}")
        old_report = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    except (ValueError, OSError, json.JSONDecodeError) as error:
        console.print(f"[red]error:[/red] {error}")
        return 2

    try:
        payload = evaluate(sets, args.store, root, progress=not args.no_progress)
    except harness.EngineUnavailable as error:
        console.print(f"[red]error:[/red] {error}")
        return 2
    paths = write_reports(args.report, payload)
    print_summary(payload, console)
    console.print(f"reports: {paths['json']}, {paths['md']}, {paths['png']}")
    if old_report is not None:
        print_comparison(harness.compare_reports(old_report, payload), console)
    missed = [miss for info in payload["sets"].values() for miss in info["missed"]]
    return 1 if missed else 0


def evaluate(sets: list[harness.QuestionSet], store: Path | None, root: Path, progress: bool = True,
             build=None) -> dict[str, Any]:
    """Run every set against its own corpus and store; the report payload."""
    build = build or harness.build_assistant
    payload: dict[str, Any] = {"generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                               "sets": {}, "items": []}
    for question_set in sets:
        items = harness.load_items(question_set.questions)
        with tempfile.TemporaryDirectory(prefix=f"eval-store-{question_set.name}-") as temporary:
            set_store = (store / question_set.name) if store else Path(temporary)
            assistant = build(question_set.corpus, set_store)
            bar = (lambda it: tqdm(it, desc=question_set.name, file=sys.stderr)) if progress else None
            results = harness.evaluate_set(items, assistant, source_reader(root, question_set.corpus),
                                           set_name=question_set.name, progress=bar)
        summary = summarise(results)
        payload["sets"][question_set.name] = {
            "questions": _relative(question_set.questions, root),
            "corpus": _relative(question_set.corpus, root),
            "summary": summary,
            "thresholds": question_set.thresholds,
            "missed": harness.missed_thresholds(summary, question_set.thresholds),
        }
        payload["items"] += [result.to_dict() for result in results]
    return payload


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
