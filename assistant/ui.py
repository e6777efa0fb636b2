"""Gradio chat UI over the engine API: streamed cited answers, sources panel, uploads, `/ask` API."""

from __future__ import annotations

import html
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import gradio as gr

from assistant.answer import Answer
from assistant.load import SUPPORTED_SUFFIXES, UnreadableDocument
from assistant.ui_figures import add_figures_tab
from assistant.ui_render import (
    DOCUMENT_COLUMNS,
    SOURCES_CSS,
    documents_rows,
    escape,
    ingest_summary_markdown,
    render_sources,
    safe_answer_markdown,
    stream_chunks,
)

if TYPE_CHECKING:
    from assistant.config import Settings

UPLOAD_ERRORS = (UnreadableDocument, ValueError, OSError)  # "this file cannot be used"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SYSTEM_FONTS = ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]


class ChatEngine(Protocol):
    """The part of `assistant.Assistant` the UI uses."""

    def ask(self, question: str, history: list[dict] | None = None) -> Answer: ...

    def add_document(self, path: Path) -> dict: ...

    def documents(self) -> list[dict]: ...


@dataclass(frozen=True)
class ExampleQuestion:
    """A start-screen question and the corpus sentence that answers it (checked by the tests)."""

    text: str
    evidence: str


EXAMPLE_QUESTIONS: tuple[ExampleQuestion, ...] = (
    ExampleQuestion("Berapa UMKM yang sudah go digital saat ini?", "Saat ini sudah 27 juta yang sudah go digital"),
    ExampleQuestion("What is the 2024 target for digital MSMEs?", "target 30 juta usaha mikro, kecil, dan menengah"),
    ExampleQuestion("Berapa UMKM yang go digital per Juni 2023?", "per Juni 2023, bertambah menjadi 22,8 juta UMKM"),
    ExampleQuestion("How many more MSMEs must go digital to reach the target?", "mengakselerasi 3 juta UMKM"),
)


def _message_text(content: Any) -> str:
    """Plain text of a Gradio message content (a string or a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, Sequence):
        return " ".join(_message_text(part) for part in content if part).strip()
    return ""


def history_for_engine(messages: Sequence[dict] | None) -> list[dict]:
    """Chatbot messages → the engine's `[{"role", "content": str}]`, undoing the UI's escaping."""
    history = []
    for message in messages or []:
        role = message.get("role")
        if role not in ("user", "assistant"):
            continue
        text = _message_text(message.get("content"))
        history.append({"role": role, "content": html.unescape(text) if role == "assistant" else text})
    return history


class ChatHandlers:
    """Event handlers, separate from the layout so they can be tested without a server."""

    def __init__(self, assistant: ChatEngine, words_per_chunk: int = 3):
        self.assistant = assistant
        self.words_per_chunk = words_per_chunk
        self._lock = threading.Lock()  # the engine and its store are used one call at a time

    def _ask(self, question: str, history: list[dict] | None) -> Answer:
        with self._lock:
            return self.assistant.ask(question, history)

    def respond(self, question: str, messages: list[dict] | None) -> Iterator[tuple[str, list[dict], str]]:
        """Ask with the conversation so far; stream the answer a few words at a time."""
        messages = list(messages or [])
        question = (question or "").strip()
        if not question:
            yield "", messages, gr.skip()
            return
        history = history_for_engine(messages)
        messages.append({"role": "user", "content": question})
        yield "", messages + [{"role": "assistant", "content": "…"}], gr.skip()
        try:
            answer = self._ask(question, history)
        except ValueError as error:
            gr.Warning(str(error))
            messages.append({"role": "assistant", "content": escape(str(error))})
            yield "", messages, gr.skip()
            return
        text = safe_answer_markdown(answer.answer)
        for partial in stream_chunks(text, self.words_per_chunk):
            yield "", messages + [{"role": "assistant", "content": partial}], gr.skip()
        messages.append({"role": "assistant", "content": text})
        yield "", messages, render_sources(answer)

    def ask_api(self, question: str) -> dict:
        """Answer one question; returns the Answer JSON (DESIGN.md contract)."""
        return self._ask(question, None).to_dict()

    def document_rows(self) -> list[list[str]]:
        with self._lock:
            return documents_rows(self.assistant.documents())

    def upload(self, file_path: str | None, progress: gr.Progress = gr.Progress(track_tqdm=True)) -> tuple[str, list[list[str]], None]:
        """Ingest an uploaded briefing; a bad file gives a clear message and changes nothing."""
        if not file_path:
            return gr.skip(), gr.skip(), gr.skip()
        path = Path(file_path)
        progress(0.05, desc=f"Reading {path.name}")
        try:
            with self._lock:
                progress(0.2, desc=f"Indexing {path.name}")
                summary = self.assistant.add_document(path)
        except UPLOAD_ERRORS as error:
            message = f"Could not add {path.name}: {error}"
            gr.Warning(message)
            return f"⚠️ {escape(message)}", gr.skip(), None
        progress(1.0, desc="Done")
        return ingest_summary_markdown(summary or {}, path.name), self.document_rows(), None

    @staticmethod
    def example_text(event: gr.SelectData) -> str:
        """The question text of a clicked start-screen example."""
        value = event.value
        return value.get("text", "") if isinstance(value, dict) else str(value)


def make_theme() -> gr.themes.Base:
    """Default look with system fonts only, so the page fetches nothing from outside."""
    return gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS)


def build_ui(assistant: ChatEngine) -> gr.Blocks:
    """The chat page: conversation and input on the left, sources and documents on the right."""
    handlers = ChatHandlers(assistant)
    with gr.Blocks(title="Briefing Assistant", analytics_enabled=False) as demo:
        gr.Markdown(
            "## Briefing Assistant\nAsk in Bahasa Indonesia or English. Every figure is quoted from "
            "a briefing and cited [n]; when the briefings do not say, it tells you so."
        )
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Chat",
                    elem_id="chat",
                    height=520,
                    sanitize_html=True,
                    render_markdown=True,
                    feedback_options=None,
                    examples=[{"text": e.text} for e in EXAMPLE_QUESTIONS],
                    placeholder="**Briefing Assistant** — pick an example or type a question.",
                )
                textbox = gr.Textbox(
                    show_label=False,
                    placeholder="Tanya tentang briefing… / Ask about the briefings…",
                    max_lines=4,
                    autofocus=True,
                    submit_btn=True,
                    elem_id="question",
                )
            with gr.Column(scale=2):
                sources = gr.HTML(render_sources(None), elem_id="sources", label="Sources")
        with gr.Accordion("Documents", open=True, elem_id="documents-panel"):
            upload = gr.File(
                label="Add a briefing (.txt, .md, .html, .pdf)",
                file_types=list(SUPPORTED_SUFFIXES),
                type="filepath",
                elem_id="upload",
                height=120,
            )
            status = gr.Markdown(elem_id="upload-status")
            documents = gr.Dataframe(
                value=handlers.document_rows(),
                headers=DOCUMENT_COLUMNS,
                datatype=["str"] * len(DOCUMENT_COLUMNS),
                interactive=False,
                wrap=True,
                elem_id="documents",
            )

        respond_io = {"inputs": [textbox, chatbot], "outputs": [textbox, chatbot, sources]}
        textbox.submit(handlers.respond, **respond_io, api_visibility="private")
        chatbot.example_select(
            handlers.example_text, None, textbox, queue=False, api_visibility="private"
        ).then(handlers.respond, **respond_io, api_visibility="private")
        chatbot.clear(lambda: render_sources(None), None, sources, api_visibility="private")
        upload.upload(handlers.upload, upload, [status, documents, upload], api_visibility="private")
        demo.load(handlers.document_rows, None, documents, api_visibility="private")
        add_figures_tab(assistant)
        gr.api(handlers.ask_api, api_name="ask")
    return demo


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    """'user:password' → ("user", "password"); None or empty → no auth."""
    if not auth:
        return None
    user, separator, password = auth.partition(":")
    if not separator or not user or not password:
        raise ValueError("auth must look like 'user:password'")
    return user, password


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, auth: str | None = None, **kwargs: Any):
    """Launch with the project theme; warns when served beyond localhost without a password."""
    credentials = parse_auth(auth)
    if host not in LOCAL_HOSTS and credentials is None:
        print(
            f"warning: serving on {host} without auth; set ASSISTANT_AUTH='user:password'",
            file=sys.stderr,
        )
    return demo.queue().launch(
        server_name=host,
        server_port=port,
        auth=credentials,
        theme=make_theme(),
        css=SOURCES_CSS,
        footer_links=[],
        show_error=True,
        **kwargs,
    )


def serve(settings: Settings | None = None, host: str | None = None, port: int | None = None, **kwargs: Any):
    """Build the real engine from settings and serve the chat UI (what `assistant serve` runs)."""
    from assistant import Assistant
    from assistant.config import Settings

    settings = settings or Settings()
    demo = build_ui(Assistant.from_settings(settings))
    return launch(demo, host or settings.host, port or settings.port, settings.auth, **kwargs)
