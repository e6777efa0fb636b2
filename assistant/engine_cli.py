"""`assistant ask`: one question, or one per stdin line (`-`) as JSON Lines, models loaded once."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.answer import Answer
from assistant.config import Settings
from assistant.engine import Assistant, InvalidQuestion


def render_markdown(answer: Answer) -> str:
    """The answer and its sources, for a terminal."""
    lines = [answer.answer, ""]
    for citation in answer.citations:
        where = ", ".join(x for x in (citation.publisher, citation.date) if x)
        lines.append(f"[{citation.n}] {citation.title}" + (f" ({where})" if where else ""))
        lines.append(f"    {citation.source}:{citation.start}-{citation.end}")
        lines.append(f"    “{citation.quote}”")
    return "\n".join(lines).rstrip()


def _announce_ingest(assistant: Assistant) -> None:
    _ = assistant.retriever  # loads, ingesting first when the store is empty or older than the corpus
    summary = assistant.last_ingest
    if summary:
        docs, chunks = summary.get("documents", {}), summary.get("chunks", {})
        from assistant.cli import plural

        print(f"assistant: the store was empty or older than the corpus; ingested first "
              f"({plural(docs.get('total', 0), 'document')}, {plural(chunks.get('added', 0), 'chunk')} added, "
              f"{chunks.get('updated', 0)} updated, {chunks.get('deleted', 0)} deleted)", file=sys.stderr)
        for error in summary.get("errors", []):
            print(f"assistant: skipped {error.get('source')}: {error.get('reason')}", file=sys.stderr)


def _open(settings: Settings):
    """The engine here, or the running chat UI's API when that server holds the store."""
    from assistant.remote import running_server
    from assistant.store import StoreInUse

    assistant = Assistant.from_settings(settings)
    try:
        _announce_ingest(assistant)
    except StoreInUse:
        server = running_server(settings)
        if server is None:
            raise
        print(f"assistant: the store is held by the chat UI; asking through it at {server.url}", file=sys.stderr)
        return server
    return assistant


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import UserError

    if args.question == "-":
        assistant = _open(settings)
        for line in sys.stdin:
            question = line.strip()
            if not question:
                continue
            try:
                print(assistant.ask(question).to_json(), flush=True)
            except InvalidQuestion as error:
                print(json.dumps({"question": question[:200], "error": str(error)}, ensure_ascii=False), flush=True)
        return 0
    try:
        question = args.question
        from assistant.engine import check_question

        check_question(question)
        answer = _open(settings).ask(question)
    except InvalidQuestion as error:
        raise UserError(str(error)) from None
    print(answer.to_json() if args.json else render_markdown(answer))
    return 0
