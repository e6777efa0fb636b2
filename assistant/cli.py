"""`assistant` command line: ingest, search, ask, eval, serve.

Bad input (an empty question, a missing corpus folder, an unusable store, an unreadable document)
ends with one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.config import Settings

EXIT_USAGE = 2


class UserError(Exception):
    """An error caused by the input, reported as one line."""


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, default=argparse.SUPPRESS, help="folder of briefings (ASSISTANT_CORPUS)")
    common.add_argument("--store", type=Path, default=argparse.SUPPRESS, help="store folder (ASSISTANT_STORE)")

    parser = argparse.ArgumentParser(
        prog="assistant", parents=[common], description="Answers questions about economic briefings with cited figures."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", parents=[common], help="index the corpus folder (incremental)")
    ingest.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    ingest.add_argument("--rebuild", action="store_true", help="drop the store's collection and index everything again")

    search = commands.add_parser("search", parents=[common], help="show the chunks retrieved for a query")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=None, help="number of chunks (default: ASSISTANT_K)")
    search.add_argument("--json", action="store_true", help="print a JSON list, best first")

    ask = commands.add_parser("ask", parents=[common], help="answer a question ('-' reads one question per line)")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the Answer JSON")

    commands.add_parser("eval", parents=[common], add_help=False, help="run the evaluation harness (its own options follow)")

    serve = commands.add_parser("serve", parents=[common], help="serve the chat UI")
    serve.add_argument("--host", default=None, help="default: ASSISTANT_HOST (127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="default: ASSISTANT_PORT (7860)")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {name: getattr(args, name) for name in ("corpus", "store") if hasattr(args, name)}
    return Settings(**overrides)


def _require_corpus(settings: Settings) -> None:
    if not Path(settings.corpus).is_dir():
        raise UserError(f"corpus folder {settings.corpus} does not exist (set --corpus or ASSISTANT_CORPUS)")


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ingest import ingest

    _require_corpus(settings)
    summary = ingest(settings, progress=not args.json and sys.stderr.isatty(), rebuild=args.rebuild)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        _print_summary(summary)
    return 0


def _print_summary(summary: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Ingest")
    table.add_column("")
    for column in ("added", "updated", "unchanged", "deleted", "total"):
        table.add_column(column, justify="right")
    for row in ("documents", "chunks"):
        table.add_row(row, *(str(summary[row][c]) for c in ("added", "updated", "unchanged", "deleted", "total")))
    console = Console()
    console.print(table)
    console.print(f"embedded {summary['embedded']} chunk(s) (the rest came from the cache or were unchanged)")
    for error in summary["errors"]:
        Console(stderr=True).print(f"[yellow]skipped[/yellow] {error['source']}: {error['reason']}", highlight=False)


def run_search(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ingest import ensure_ingested
    from assistant.retrieve import HybridRetriever

    from assistant.engine import InvalidQuestion, check_question

    try:
        query = check_question(args.query)
    except InvalidQuestion as error:
        raise UserError(str(error).replace("the question", "the query")) from None
    k = args.k if args.k is not None else settings.k
    if k < 1:
        raise UserError("--k must be at least 1")
    _require_corpus(settings)
    ensure_ingested(settings)
    results = HybridRetriever.from_settings(settings).search(query, k)
    rows = [
        {"text": r.chunk.text, "source": r.chunk.source, "start": r.chunk.start, "end": r.chunk.end, "score": r.score}
        for r in results
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"search: {query}", show_lines=True)
    for column in ("score", "source", "offsets", "text"):
        table.add_column(column)
    for row in rows:
        table.add_row(f"{row['score']:.4f}", row["source"], f"{row['start']}-{row['end']}", row["text"])
    Console().print(table)
    return 0


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.question != "-" and not args.question.strip():
        raise UserError("the question is empty")
    from assistant.engine_cli import run_ask as engine_run_ask

    return engine_run_ask(args, settings) or 0


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.cli import run_eval as evaluation_run_eval

    import os

    # --corpus/--store reach the harness the way every other setting does: through the environment.
    os.environ["ASSISTANT_CORPUS"] = str(settings.corpus)
    os.environ["ASSISTANT_STORE"] = str(settings.store)
    return evaluation_run_eval(list(args.eval_args)) or 0


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ui import serve

    _require_corpus(settings)
    serve(settings, args.host or settings.host, args.port or settings.port)
    return 0


COMMANDS = {"ingest": run_ingest, "search": run_search, "ask": run_ask, "eval": run_eval, "serve": run_serve}


def main(argv: list[str] | None = None) -> int:
    import assistant  # noqa: F401  (offline environment variables)
    from assistant.load import CorpusNotFound, UnreadableDocument
    from assistant.store import StoreError

    from pydantic import ValidationError

    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "eval":
        args.eval_args = rest
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        settings = _settings(args)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        print(f"assistant: error: invalid settings ({problems})", file=sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args, settings)
    except (UserError, StoreError, CorpusNotFound, UnreadableDocument) as error:
        print(f"assistant: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
