"""`assistant eval`: run the question sets, write the reports, exit 1 when a threshold is missed."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rich.console import Console
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from assistant.evaluation import external, harness
from assistant.evaluation.report import print_comparison, print_summary, write_reports
from assistant.evaluation.scoring import source_reader, summarise

DEFAULT_THRESHOLDS = Path("evals/thresholds.toml")
DEFAULT_REPORT = Path("evals/reports/latest")


def _configured_sets() -> str:
    """'name (questions over corpus)' for every set of the default thresholds file, for --help."""
    try:
        config = harness.load_config(DEFAULT_THRESHOLDS)
    except (OSError, ValueError):
        return "none found"
    described = []
    for name, spec in config.items():
        corpus = spec.get("corpus", "its items' folder")
        corpus = " + ".join(corpus) if isinstance(corpus, list) else corpus
        split = ", scored by split" if "split" in spec else ""
        described.append(f"{name}: {spec.get('questions')} over {corpus}{split}")
    return "; ".join(described) or "none found"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant eval", description=__doc__)
    p.add_argument("--questions", nargs="+", type=Path, metavar="FILE",
                   help="JSONL question sets (default: every set in the thresholds file: " + _configured_sets() + ")")
    p.add_argument("--corpus", type=Path, metavar="DIR", help="corpus for every set (default: per set, from the thresholds file)")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="keep the stores here, one subfolder per set (default: a temporary store per set)")
    p.add_argument("--report", type=Path, default=DEFAULT_REPORT, metavar="DIR", help="report folder (default: %(default)s)")
    p.add_argument("--thresholds", type=Path, default=DEFAULT_THRESHOLDS, metavar="FILE",
                   help="per-set corpus and thresholds (default: %(default)s)")
    p.add_argument("--compare", type=Path, metavar="OLD_REPORT.json", help="print what got better or worse since that report")
    p.add_argument("--external", type=Path, metavar="DIR",
                   help="instead of the configured sets, run question sets written by others from DIR "
                        "(../shared/data/external): FacQA valid numeric and IDK-MRC valid, each against its passages")
    p.add_argument("--external-sets", nargs="+", choices=sorted(external.EXTERNAL_SETS), metavar="NAME",
                   help=f"which external sets (default: all of {', '.join(sorted(external.EXTERNAL_SETS))})")
    p.add_argument("--limit", type=int, metavar="N", help="ask only the first N questions of each external set")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def run_eval(argv: list[str]) -> int:
    """Entry point; returns the exit code (0 all thresholds met, 1 some missed, 2 bad input)."""
    args = parser().parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)  # logs and CI get the whole table
    root = Path.cwd()
    if args.external is not None:
        return _run_external(args, console, root)
    try:
        config = harness.load_config(args.thresholds)
        if not config and not args.questions:
            raise ValueError(f"no question sets: {args.thresholds} has none and --questions was not given")
        sets = harness.resolve_sets(args.questions, config, args.corpus, root)
        for question_set in sets:
            if not question_set.questions.is_file():
                raise ValueError(f"question file not found: {question_set.questions}")
            for part in question_set.corpus_parts:
                if not part.exists():
                    raise ValueError(f"corpus folder or file not found: {part}")
        old_report = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    except (ValueError, OSError, json.JSONDecodeError) as error:
        console.print(f"[red]error:[/red] {error}")
        return 2

    try:
        with logging_redirect_tqdm():  # log lines above the progress bar, not inside it
            payload = evaluate(sets, args.store, root, progress=not args.no_progress)
    except harness.EngineUnavailable as error:
        console.print(f"[red]error:[/red] {error}")
        return 2
    _publish(args.report, payload, console)
    if old_report is not None:
        print_comparison(harness.compare_reports(old_report, payload), harness.compare_metrics(old_report, payload),
                         console)
    missed = [miss for info in payload["sets"].values() for miss in info["missed"]]
    return 1 if missed else 0


def evaluate(sets: list[harness.QuestionSet], store: Path | None, root: Path, progress: bool = True,
             build=None) -> dict[str, Any]:
    """Run every set against its own corpus and store; the report payload.

    A set with a split (the question bank) is also reported per split, as `<set>/train` and so on.
    """
    build = build or harness.build_assistant
    payload = _new_payload()
    run_started = time.perf_counter()
    for question_set in sets:
        started = time.perf_counter()
        items = harness.load_items(question_set.questions)
        with tempfile.TemporaryDirectory(prefix=f"eval-store-{question_set.name}-") as temporary:
            set_store = (store / question_set.name) if store else Path(temporary) / "store"
            corpus = question_set.corpus
            if isinstance(corpus, list):
                corpus = harness.assemble_corpus(corpus, Path(temporary) / "library")
            assistant = build(corpus, set_store)
            bar = (lambda it: tqdm(it, desc=question_set.name, file=sys.stderr)) if progress else None
            results = harness.evaluate_set(items, assistant, source_reader(root, corpus),
                                           set_name=question_set.name, progress=bar, split_of=question_set.split_of)
        seconds = round(time.perf_counter() - started, 1)
        corpus_label = ", ".join(_relative(part, root) for part in question_set.corpus_parts)
        groups = [(question_set.name, results, question_set.thresholds)]
        for split in harness.SPLITS if question_set.split_of else ():
            in_split = [r for r in results if r.split == split]
            if in_split:
                groups.append((f"{question_set.name}/{split}", in_split, question_set.split_thresholds.get(split, {})))
        for name, group, thresholds in groups:
            summary = summarise(group)
            payload["sets"][name] = {
                "questions": _relative(question_set.questions, root), "corpus": corpus_label,
                "summary": summary, "thresholds": thresholds, "seconds": seconds,
                "missed": harness.missed_thresholds(summary, thresholds),
            }
        payload["items"] += [result.to_dict() for result in results]
    payload["wall_seconds"] = round(time.perf_counter() - run_started, 1)
    return payload


def _run_external(args: argparse.Namespace, console: Console, root: Path) -> int:
    """`--external DIR`: the external sets, reported like the configured ones (never gated)."""
    try:
        if not args.external.is_dir():
            raise external.ExternalDataMissing(f"{args.external} is not a folder: give --external the folder of "
                                               f"the external QA data (../shared/data/external)")
        chosen = [external.EXTERNAL_SETS[name](args.external) for name in args.external_sets or external.EXTERNAL_SETS]
    except (external.ExternalDataMissing, json.JSONDecodeError) as error:
        console.print(f"[red]error:[/red] {error}")
        return 2
    payload = _new_payload()
    run_started = time.perf_counter()
    try:
        for chosen_set in chosen:
            started = time.perf_counter()
            items = chosen_set.items[:args.limit] if args.limit else chosen_set.items
            with tempfile.TemporaryDirectory(prefix=f"eval-{chosen_set.name}-") as temporary:
                corpus = chosen_set.write_corpus(Path(temporary) / "library")
                set_store = (args.store / chosen_set.name) if args.store else Path(temporary) / "store"
                assistant = harness.build_assistant(corpus, set_store)
                bar = (lambda it: tqdm(it, desc=chosen_set.name, file=sys.stderr)) if not args.no_progress else None
                with logging_redirect_tqdm():
                    results = harness.evaluate_set(items, assistant, source_reader(root, corpus),
                                                   set_name=chosen_set.name, progress=bar,
                                                   prepare=external.resolve_expected)
            summary = summarise(results)
            payload["sets"][chosen_set.name] = {
                "questions": f"{args.external}/{chosen_set.name}", "corpus": f"{len(chosen_set.passages)} passages",
                "summary": summary, "thresholds": {}, "missed": [], "seconds": round(time.perf_counter() - started, 1)}
            payload["items"] += [result.to_dict() for result in results]
    except harness.EngineUnavailable as error:
        console.print(f"[red]error:[/red] {error}")
        return 2
    payload["wall_seconds"] = round(time.perf_counter() - run_started, 1)
    _publish(args.report if args.report != DEFAULT_REPORT else DEFAULT_REPORT.parent / "external", payload, console)
    return 0


def _new_payload() -> dict[str, Any]:
    return {"generated": datetime.now(timezone.utc).isoformat(timespec="seconds"), "sets": {}, "items": []}


def _publish(folder: Path, payload: dict[str, Any], console: Console) -> None:
    """Write report.json/.md/.png and print the summary table."""
    paths = write_reports(folder, payload)
    print_summary(payload, console)
    console.print(f"reports: {paths['json']}, {paths['md']}, {paths['png']}")


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
