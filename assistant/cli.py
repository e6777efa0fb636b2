"""`assistant` command line: ingest, search, ask, figures, eval, serve.

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
    ingest.add_argument("folder", nargs="?", type=Path, default=None, help="corpus folder (same as --corpus)")
    ingest.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    ingest.add_argument("--rebuild", action="store_true", help="drop the store's collection and index everything again")

    search = commands.add_parser("search", parents=[common], help="show the chunks retrieved for a query")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=None, help="number of chunks (default: ASSISTANT_K)")
    search.add_argument("--json", action="store_true", help="print a JSON list, best first")

    ask = commands.add_parser("ask", parents=[common], help="answer a question ('-' reads one question per line)")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the Answer JSON")

    figures = commands.add_parser("figures", parents=[common], help="list every figure of the library as a claim")
    figures.add_argument("--json", action="store_true", help="print a JSON list")
    figures.add_argument("--csv", action="store_true", help="print CSV")
    figures.add_argument("--source", help="only documents whose path contains this")
    figures.add_argument("--series", help="only claims whose series, entity or quote has these words")
    figures.add_argument("--period", help="only periods starting with this label (2023, 2023-10, 2024-Q1)")
    figures.add_argument("--kind", help="only this kind (level, growth_rate, share, target, ...)")

    commands.add_parser("eval", parents=[common], add_help=False, help="run the evaluation harness (its own options follow)")

    serve = commands.add_parser("serve", parents=[common], help="serve the chat UI")
    serve.add_argument("--host", default=None, help="default: ASSISTANT_HOST (127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="default: ASSISTANT_PORT (7860)")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {name: getattr(args, name) for name in ("corpus", "store") if hasattr(args, name)}
    folder = getattr(args, "folder", None)
    if folder is not None:
        if "corpus" in overrides and Path(overrides["corpus"]).resolve() != folder.resolve():
            raise UserError(f"two corpus folders given ({folder} and --corpus {overrides['corpus']}); give one")
        overrides["corpus"] = folder
    return Settings(**overrides)


def _require_corpus(settings: Settings) -> None:
    if not Path(settings.corpus).is_dir():
        raise UserError(f"corpus folder {settings.corpus} does not exist (set --corpus or ASSISTANT_CORPUS)")


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ingest import ingest

    from assistant.remote import running_server
    from assistant.store import StoreInUse

    _require_corpus(settings)
    try:
        summary = ingest(settings, progress=not args.json and sys.stderr.isatty(), rebuild=args.rebuild)
    except StoreInUse:
        server = running_server(settings)
        if server is None:
            raise
        raise UserError(f"the chat UI at {server.url} holds this store and indexes the corpus itself when it "
                        "starts; add briefings on its page, or stop it to ingest here") from None
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
    console.print(embedded_line(summary), highlight=False)
    for error in summary["errors"]:
        Console(stderr=True).print(f"[yellow]skipped[/yellow] {error['source']}: {error['reason']}", highlight=False)


def plural(count: int, word: str) -> str:
    """'1 document', '2 documents'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def embedded_line(summary: dict) -> str:
    """How many chunks were embedded now, and where the other new ones came from."""
    chunks = summary["chunks"]
    new = chunks["added"] + chunks["updated"]
    embedded = summary["embedded"]
    line = f"embedded {plural(embedded, 'chunk')}"
    if new > embedded:
        line += f"; {plural(new - embedded, 'new chunk')} came from the embedding cache"
    if chunks["unchanged"]:
        line += f"; {plural(chunks['unchanged'], 'chunk')} unchanged"
    return line


def _search(settings: Settings, query: str, k: int) -> list[dict]:
    """Search the store here, or through the running chat UI when it holds the store."""
    from assistant.ingest import ensure_ingested
    from assistant.remote import running_server, search_rows
    from assistant.retrieve import HybridRetriever
    from assistant.store import StoreInUse

    try:
        ensure_ingested(settings)
        return search_rows(HybridRetriever.from_settings(settings).search(query, k))
    except StoreInUse:
        server = running_server(settings)
        if server is None:
            raise
        print(f"assistant: the store is held by the chat UI; searching through it at {server.url}", file=sys.stderr)
        return server.search(query, k)


def run_search(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.engine import InvalidQuestion, check_question

    try:
        query = check_question(args.query)
    except InvalidQuestion as error:
        raise UserError(str(error).replace("the question", "the query")) from None
    k = args.k if args.k is not None else settings.k
    if k < 1:
        raise UserError("--k must be at least 1")
    _require_corpus(settings)
    rows = _search(settings, query, k)
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


def run_figures(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.claims import KINDS
    from assistant.claims_table import DISPLAY_COLUMNS, display_rows, filter_claims, row, to_csv
    from assistant.engine import Assistant

    if args.kind and args.kind not in KINDS:
        raise UserError(f"unknown kind {args.kind!r}; one of: {', '.join(KINDS)}")
    if args.json and args.csv:
        raise UserError("choose one of --json and --csv")
    _require_corpus(settings)
    claims = filter_claims(Assistant(settings=settings).claims(), source=args.source, series=args.series,
                           period=args.period, kind=args.kind)
    if args.json:
        print(json.dumps([row(c) for c in claims], ensure_ascii=False))
    elif args.csv:
        sys.stdout.write(to_csv(claims))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(claims)} figure(s)", show_lines=False)
        for column in DISPLAY_COLUMNS[:-1]:
            table.add_column(column)
        for values in display_rows(claims):
            table.add_row(*values[:-1])
        Console().print(table)
    return 0


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


COMMANDS = {"ingest": run_ingest, "search": run_search, "ask": run_ask, "eval": run_eval, "serve": run_serve,
            "figures": run_figures}


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
    except UserError as error:
        print(f"assistant: error: {error}", file=sys.stderr)
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
