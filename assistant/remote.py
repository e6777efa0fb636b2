"""The CLI while the chat UI runs: the server holds the embedded store, so the CLI asks the server.

`assistant serve` writes `server.json` (its URL and process id) into the store folder while it
runs. When `assistant ask` or `assistant search` finds that store locked by another process, it
reads that record and calls the running app's `/ask` and `/search` API instead, so both give the
same answers from the same index.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.answer import Answer, Calculation, Citation, CitedFigure, Operand
from assistant.config import Settings

RECORD = "server.json"


def search_rows(results: Iterable) -> list[dict[str, Any]]:
    """Retrieved chunks as the CLI's and the API's JSON rows, best first."""
    return [
        {"text": r.chunk.text, "source": r.chunk.source, "start": r.chunk.start, "end": r.chunk.end, "score": r.score}
        for r in results
    ]


def _record_path(settings: Settings) -> Path:
    return Path(settings.store) / RECORD


def write_server_record(settings: Settings, url: str) -> None:
    path = _record_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"url": url, "pid": os.getpid()}))


def clear_server_record(settings: Settings) -> None:
    path = _record_path(settings)
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def _alive(pid: Any) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, TypeError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def running_server(settings: Settings) -> RemoteAssistant | None:
    """The chat UI serving this store, or None when none runs."""
    try:
        record = json.loads(_record_path(settings).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not record.get("url") or not _alive(record.get("pid")):
        return None
    return RemoteAssistant(str(record["url"]), settings.auth)


class RemoteAssistant:
    """`ask` and `search` through a running app's API (gradio_client)."""

    def __init__(self, url: str, auth: str | None = None):
        self.url = url
        self.auth = tuple(auth.split(":", 1)) if auth and ":" in auth else None
        self._client = None

    @property
    def client(self):
        if self._client is None:
            from gradio_client import Client

            self._client = Client(self.url, auth=self.auth, verbose=False)
        return self._client

    def ask(self, question: str) -> Answer:
        from assistant.engine import check_question

        check_question(question)  # an unusable question fails here, as it does with the local engine
        return answer_from_dict(self.client.predict(question, api_name="/ask"))

    def search(self, query: str, k: int) -> list[dict[str, Any]]:
        return list(self.client.predict(query, k, api_name="/search"))


def answer_from_dict(data: dict[str, Any]) -> Answer:
    """An `Answer` back from its JSON (keys it does not know are left out)."""
    calculation = data.get("calculation")
    fields = {
        "question": data["question"],
        "language": data["language"],
        "answerable": data["answerable"],
        "answer": data["answer"],
        "value": data.get("value"),
        "unit": data.get("unit"),
        "figures": tuple(CitedFigure(**figure) for figure in data.get("figures", [])),
        "calculation": Calculation(
            calculation["expression"], calculation["result"],
            tuple(Operand(**operand) for operand in calculation.get("operands", [])),
        ) if calculation else None,
        "citations": tuple(
            Citation(**{**c, "highlight": tuple(tuple(span) for span in c.get("highlight", []))})
            for c in data.get("citations", [])
        ),
        "confidence": data.get("confidence"),
        "timings_ms": dict(data.get("timings_ms") or {}),
    }
    extra = {k: v for k, v in data.items() if k not in fields and k in Answer.__dataclass_fields__}
    return Answer(**fields, **extra)
