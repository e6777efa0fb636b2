"""Gradio chat UI over the engine API: streamed cited answers, sources panel, uploads, `/ask` API."""

from __future__ import annotations

import html
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import gradio as gr

from assistant.analyse import detect_language
from assistant.answer import Answer
from assistant.load import SUPPORTED_SUFFIXES, UnreadableDocument
from assistant.store import StoreError
from assistant.ui_figures import add_figures_tab
from assistant.ui_render import (
    DOCUMENT_COLUMN_WIDTHS,
    DOCUMENT_COLUMNS,
    OPEN_SOURCES,
    PAGE_SCRIPT,
    SOURCES_CSS,
    answer_message,
    documents_rows,
    engine_text,
    escape,
    ingest_summary_markdown,
    render_sources,
    safe_answer_markdown,
    stream_chunks,
)
from assistant.ui_text import chat_language, error_message, messages

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

    def remove_document(self, source: str) -> dict: ...


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
        history.append({"role": role, "content": html.unescape(engine_text(text)) if role == "assistant" else text})
    return history


def _reason(error: Exception) -> str:
    """What went wrong, without the temporary path Gradio saved the upload under."""
    return getattr(error, "reason", None) or str(error)


def collapse_sources(message: dict) -> dict:
    """An earlier answer with its sources folded (still there, one click or an [n] away)."""
    def fold(text: str) -> str:
        return text.replace(OPEN_SOURCES, OPEN_SOURCES.replace(" open>", ">"))

    content = message.get("content")
    if message.get("role") != "assistant":
        return message
    if isinstance(content, str):
        return {**message, "content": fold(content)}
    if isinstance(content, list):
        return {**message, "content": [{**part, "text": fold(part["text"])}
                                       if isinstance(part, dict) and isinstance(part.get("text"), str) else part
                                       for part in content]}
    return message


class ChatHandlers:
    """Event handlers, separate from the layout so they can be tested without a server."""

    def __init__(self, assistant: ChatEngine, words_per_chunk: int = 3):
        self.assistant = assistant
        self.words_per_chunk = words_per_chunk
        self._lock = threading.Lock()  # the engine and its store are used one call at a time

    def _ask(self, question: str, history: list[dict] | None) -> Answer:
        with self._lock:
            return self.assistant.ask(question, history)

    def respond(self, question: str, messages: list[dict] | None, panels: dict | None = None
                ) -> Iterator[tuple[str, list[dict], str, dict]]:
        """Ask with the conversation so far; stream the answer a few words at a time, then show it with
        its own sources. `panels` keeps each answer's sources panel by message index (for `select`)."""
        messages = list(messages or [])
        panels = dict(panels or {})
        question = (question or "").strip()
        if not question:
            yield "", messages, gr.skip(), gr.skip()
            return
        history = history_for_engine(messages)
        messages.append({"role": "user", "content": question})
        yield "", messages + [{"role": "assistant", "content": "…"}], gr.skip(), gr.skip()
        try:
            answer = self._ask(question, history)
        except (ValueError, StoreError) as error:  # a bad question, a damaged store, a server that is down
            message = error_message(str(error), detect_language(question))
            gr.Warning(message)
            messages.append({"role": "assistant", "content": escape(message)})
            yield "", messages, gr.skip(), gr.skip()
            return
        text = safe_answer_markdown(answer.answer)
        for partial in stream_chunks(text, self.words_per_chunk):
            yield "", messages + [{"role": "assistant", "content": partial}], gr.skip(), gr.skip()
        key = len(messages)  # the index of this answer in the chat
        messages = [collapse_sources(m) for m in messages]  # older answers keep theirs, folded
        messages.append({"role": "assistant", "content": answer_message(answer, f"a{key}")})
        panels[str(key)] = render_sources(answer)
        yield "", messages, panels[str(key)], panels

    @staticmethod
    def selected_sources(panels: dict | None, event: gr.SelectData) -> str:
        """The sources panel of the answer the user clicked (the panel stays as it is for a question)."""
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        panel = (panels or {}).get(str(index))
        return panel if panel is not None else gr.skip()

    def ask_api(self, question: str) -> dict:
        """Answer one question; returns the Answer JSON (DESIGN.md contract)."""
        return self._ask(question, None).to_dict()

    def search_api(self, query: str, k: int = 8) -> list[dict]:
        """The chunks retrieved for a query, best first (what `assistant search --json` prints)."""
        from assistant.remote import search_rows

        retriever = getattr(self.assistant, "retriever", None)
        if retriever is None:
            raise gr.Error("this engine has no retriever to search")
        if not (query or "").strip() or int(k) < 1:
            raise gr.Error("give a query and k >= 1")
        with self._lock:
            return search_rows(retriever.search(query.strip(), int(k)))

    def document_rows(self) -> list[list[str]]:
        with self._lock:
            return documents_rows(self.assistant.documents())

    def documents_view(self) -> tuple[list[list[str]], dict]:
        """The documents table and the choice of uploaded documents that can be removed."""
        with self._lock:
            listed = self.assistant.documents()
        uploaded = [doc["source"] for doc in listed if doc.get("uploaded")]
        return documents_rows(listed), gr.update(choices=uploaded, value=None, interactive=bool(uploaded))

    def remove(self, source: str | None, chat: list[dict] | None = None) -> tuple[str, list[list[str]], dict]:
        """Remove an uploaded document from the uploads folder and the index."""
        words = messages(chat_language(chat))
        if not source:
            return gr.skip(), gr.skip(), gr.skip()
        name = Path(source).name
        try:
            with self._lock:
                self.assistant.remove_document(source)
        except UPLOAD_ERRORS as error:
            message = words["remove_failed"].format(name=name, reason=_reason(error))
            gr.Warning(message)
            return f"⚠️ {escape(message)}", gr.skip(), gr.skip()
        return words["removed"].format(name=escape(name)), *self.documents_view()

    def upload(self, file_path: str | None, chat: list[dict] | None = None,
               progress: gr.Progress = gr.Progress(track_tqdm=True)) -> tuple[str, list[list[str]], dict, None]:
        """Ingest an uploaded briefing; a bad file gives a clear message and changes nothing.
        Messages follow the language of the last question in `chat`."""
        language = chat_language(chat)
        if not file_path:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        path = Path(file_path)
        progress(0.05, desc=f"Reading {path.name}")
        try:
            with self._lock:
                progress(0.2, desc=f"Indexing {path.name}")
                summary = self.assistant.add_document(path)
        except UPLOAD_ERRORS as error:
            message = messages(language)["add_failed"].format(name=path.name, reason=_reason(error))
            gr.Warning(message)
            return f"⚠️ {escape(message)}", gr.skip(), gr.skip(), None
        progress(1.0, desc="Done")
        return ingest_summary_markdown(summary or {}, path.name, language), *self.documents_view(), None

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
                    show_label=False,
                    elem_id="chat",
                    height=520,
                    sanitize_html=True,
                    render_markdown=True,
                    feedback_options=None,
                    buttons=[],  # Gradio's copy would copy markup; each answer has its own plain-text copy
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
            with gr.Column(scale=2, elem_id="sources-column"):
                sources = gr.HTML(render_sources(None), elem_id="sources", label="Sources")
        with gr.Accordion("Documents", open=True, elem_id="documents-panel"):
            gr.Markdown("**Add a briefing** (.txt, .md, .html, .pdf)", elem_id="upload-label")
            upload = gr.File(
                label="Add a briefing (.txt, .md, .html, .pdf)",
                show_label=False,  # a floating label would cover the drop zone's icon on a phone
                file_types=list(SUPPORTED_SUFFIXES),
                type="filepath",
                elem_id="upload",
                height=120,
            )
            status = gr.Markdown(elem_id="upload-status")
            with gr.Row():
                removable = gr.Dropdown(
                    label="Uploaded briefing to remove",
                    choices=[],
                    interactive=False,
                    elem_id="remove-choice",
                    scale=3,
                )
                remove = gr.Button("Remove", variant="stop", size="sm", elem_id="remove-button", scale=1, min_width=100)
            documents = gr.Dataframe(
                value=handlers.document_rows(),
                headers=DOCUMENT_COLUMNS,
                datatype=["str"] * len(DOCUMENT_COLUMNS),
                interactive=False,
                wrap=True,
                column_widths=DOCUMENT_COLUMN_WIDTHS,
                elem_id="documents",
            )

        panels = gr.State({})
        respond_io = {"inputs": [textbox, chatbot, panels], "outputs": [textbox, chatbot, sources, panels]}
        textbox.submit(handlers.respond, **respond_io, api_visibility="private")
        chatbot.example_select(
            handlers.example_text, None, textbox, queue=False, api_visibility="private"
        ).then(handlers.respond, **respond_io, api_visibility="private")
        chatbot.clear(lambda: (render_sources(None), {}), None, [sources, panels], api_visibility="private")
        chatbot.select(handlers.selected_sources, panels, sources, queue=False, api_visibility="private")
        upload.upload(handlers.upload, [upload, chatbot], [status, documents, removable, upload], api_visibility="private")
        remove.click(handlers.remove, [removable, chatbot], [status, documents, removable], api_visibility="private")
        demo.load(handlers.documents_view, None, [documents, removable], api_visibility="private")
        add_figures_tab(assistant)
        gr.api(handlers.ask_api, api_name="ask")
        gr.api(handlers.search_api, api_name="search")  # the CLI's way in while this server holds the store
    return demo


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    """'user:password' → ("user", "password"); None or empty → no auth."""
    if not auth:
        return None
    user, separator, password = auth.partition(":")
    if not separator or not user or not password:
        raise ValueError("auth must look like 'user:password'")
    return user, password


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, auth: str | None = None,
           on_started: Callable[[str], None] | None = None, **kwargs: Any):
    """Launch with the project theme; warns when served beyond localhost without a password.
    `on_started(url)` runs once the server answers, before this call blocks."""
    credentials = parse_auth(auth)
    if host not in LOCAL_HOSTS and credentials is None:
        print(
            f"warning: serving on {host} without auth; set ASSISTANT_AUTH='user:password'",
            file=sys.stderr,
        )
    blocking = not kwargs.pop("prevent_thread_lock", False)
    quiet = kwargs.pop("quiet", False)
    result = demo.queue().launch(
        server_name=host,
        server_port=port,
        auth=credentials,
        theme=make_theme(),
        css=SOURCES_CSS,
        head=PAGE_SCRIPT,
        footer_links=[],
        show_error=True,
        quiet=True,  # Gradio's own lines include a "set share=True" hint that is no setting of ours
        prevent_thread_lock=True,
        **kwargs,
    )
    if not quiet:
        print(f"Briefing Assistant on {demo.local_url} (Ctrl+C to stop)", flush=True)
    if on_started is not None:
        on_started(demo.local_url)
    if blocking:
        demo.block_thread()
    return result


def serve(settings: Settings | None = None, host: str | None = None, port: int | None = None, **kwargs: Any):
    """Build the real engine from settings and serve the chat UI (what `assistant serve` runs)."""
    from assistant import Assistant
    from assistant.config import Settings

    from assistant.remote import clear_server_record, write_server_record

    settings = settings or Settings()
    demo = build_ui(Assistant.from_settings(settings))
    try:
        return launch(demo, host or settings.host, port or settings.port, settings.auth,
                      on_started=lambda url: write_server_record(settings, url), **kwargs)
    finally:
        if not kwargs.get("prevent_thread_lock"):
            clear_server_record(settings)
