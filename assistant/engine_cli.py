"""`assistant ask`: one question, or one per stdin line (`-`) as JSON Lines (exactly one output line per
input line: an Answer, or {"question", "error"} for an empty, too long or undecodable line), models loaded once."""

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


def _stdin_lines():
    """(text, error) per stdin line, split on newlines only; a line that is not UTF-8 gives its error
    instead of ending the stream (its text decoded with replacement characters, for the report)."""
    binary = getattr(sys.stdin, "buffer", None)
    if binary is None:  # a text stream (tests, embedding hosts)
        for line in sys.stdin:
            yield line, None
        return
    for raw in binary:
        try:
            yield raw.decode("utf-8"), None
        except UnicodeDecodeError as error:
            yield raw.decode("utf-8", errors="replace"), (
                f"the question is not valid UTF-8 (byte 0x{raw[error.start]:02x} at position {error.start})")


def _error_line(question: str, message: str) -> str:
    shown = question.strip()[:200].encode("utf-8", errors="replace").decode("utf-8")
    return json.dumps({"question": shown, "error": message}, ensure_ascii=False)


def _answer_line(assistant: Assistant, question: str) -> str:
    """One output line for one input line: the Answer JSON, or {"question", "error"}."""
    from assistant.store import StoreError

    try:
        return assistant.ask(question).to_json()
    except (InvalidQuestion, StoreError) as error:
        return _error_line(question, str(error))
    except Exception as error:  # never end a batch: report this line and go on with the next
        print(f"assistant: internal error on one question ({type(error).__name__}: {error})", file=sys.stderr)
        return _error_line(question, f"internal error ({type(error).__name__}); the other questions go on")


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import UserError

    if args.question == "-":
        assistant = _open(settings)
        for line, decode_error in _stdin_lines():
            print(_error_line(line, decode_error) if decode_error else _answer_line(assistant, line), flush=True)
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
