"""`Assistant`: the one Python API the CLI, the UI and the eval harness use.

ask(question) = analyse → retrieve → rank documents → read → compute → compose → verify, with timings.
"""

from __future__ import annotations

import importlib
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.analyse import QuestionAnalysis, analyse
from assistant.answer import Answer
from assistant.config import Settings
from assistant.reader.confidence import answer_features
from assistant.reader.question_kind import asks_unstated_rate, reads_as_another_kind, reads_as_figure
from assistant.respond import Responder
from assistant.views import DocumentViews

MAX_QUESTION_CHARS = 2000
# Follow-up resolution reads only the latest user turn; the rest of a long chat is not looked at,
# so a request's cost is bounded whatever history it carries (issue 10, item 3).
MAX_HISTORY_TURNS = 20


class InvalidQuestion(ValueError):
    """A question the engine cannot take (empty, too long, not text)."""


def check_question(question: Any) -> str:
    if not isinstance(question, str):
        raise InvalidQuestion(f"the question must be text, not {type(question).__name__}")
    text = question.strip()
    if not text:
        raise InvalidQuestion("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"the question is {len(text)} characters long; the limit is {MAX_QUESTION_CHARS}")
    if "\x00" in text:
        raise InvalidQuestion("the question contains binary data")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate (e.g. undecodable bytes from argv)
        raise InvalidQuestion(
            f"the question is not valid text (character {error.start + 1} is a lone surrogate "
            f"U+{ord(text[error.start]):04X}, left by bytes that are not UTF-8)"
        ) from None
    return text


def bounded_history(history: Any) -> list[dict] | None:
    """The last `MAX_HISTORY_TURNS` well-formed chat turns, each cut to `MAX_QUESTION_CHARS` characters.

    Turns that are not {"role", "content": text} (or whose text is not valid) are dropped, not errors:
    a chat client's history is context, not the question.
    """
    if history is None:
        return None
    if not isinstance(history, (list, tuple)):
        raise InvalidQuestion(f"the history must be a list of turns, not {type(history).__name__}")
    turns = []
    for turn in history[-MAX_HISTORY_TURNS:]:
        if isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            turn = {"role": "user", "content": turn[0]}  # Gradio's old (user, bot) pairs
        if not isinstance(turn, dict) or not isinstance(turn.get("content"), str):
            continue
        content = turn["content"][:MAX_QUESTION_CHARS]
        try:
            content.encode("utf-8")
        except UnicodeEncodeError:
            continue
        turns.append({"role": turn.get("role"), "content": content})
    return turns


def _model(given, loader: str):
    """A reader model argument: None → the committed one (`loader`, "module:function" of assistant.reader, imported
    only then), False → none."""
    if given is None:
        module, function = loader.split(":")
        given = getattr(importlib.import_module(f"assistant.reader.{module}"), function)()
    return given or None


class Assistant:
    """Answers questions about the briefings in a corpus folder with cited, verified figures.

    Loading (store, embedder, lexical index) is lazy and happens once; later calls reuse it.
    """

    def __init__(self, corpus: Path | str | None = None, store: Path | str | None = None,
                 settings: Settings | None = None, auto_ingest: bool = True, scorer=None, calibrator=None,
                 gates: bool | None = None, question_kinds=None, document_ranker=None, answer_form=None,
                 matcher=None, document_matcher=None):
        """`scorer` / `calibrator`: the reader's models (default: the committed ones; False: none — the rule
        score ranks and nothing is withheld); `gates`: refuse outright on missing key terms or weak retrieval
        (default: as the confidence model was trained); `document_ranker`: orders the retrieved documents
        (default: the committed one; False: none — by their best chunk); `answer_form`: the unit and kind of
        figure a question reads as wanting, a feature of the figure scorer (default: the committed model); `matcher`:
        the learned question-to-claim match, another such feature (default: the committed model);
        `document_matcher`: the learned question-to-document match, a feature of the document ranker (the same)."""
        overrides = {}
        if corpus is not None:
            overrides["corpus"] = Path(corpus)
        if store is not None:
            overrides["store"] = Path(store)
        base = settings or Settings()
        self.settings = base.model_copy(update=overrides) if overrides else base
        self.auto_ingest = auto_ingest
        self.scorer = _model(scorer, "ranker:default_scorer")  # the learned figure scorer (None: the rule score ranks)
        self.calibrator = _model(calibrator, "confidence:default_calibrator")  # below its threshold: withheld
        self.question_kinds = _model(question_kinds, "question_kind:default_question_kinds")  # the kind of answer asked
        self.document_ranker = _model(document_ranker, "documents:default_document_ranker")  # which briefings
        self.answer_form = _model(answer_form, "answer_form:default_answer_form")  # the unit and kind of figure wanted
        self.matcher = _model(matcher, "matcher:default_matcher")  # the learned match of a question to each claim
        self.document_matcher = _model(document_matcher, "matcher:default_document_matcher")  # ... and to each document
        self.gates = gates if gates is not None else (self.calibrator.gates if self.calibrator else True)
        self.min_confidence = self.settings.min_confidence  # None: each kind of answer's calibrated threshold
        self.last_ingest: dict | None = None
        self._retriever = None
        self._views: DocumentViews | None = None
        self._semantic = None
        self._stamp: tuple[str, str | None] | None = None
        self._load_lock = threading.RLock()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Assistant:
        return cls(settings=settings or Settings())

    # -- loading -----------------------------------------------------------------------------------
    @property
    def retriever(self):
        if self._retriever is None:
            with self._load_lock:
                if self._retriever is None:
                    from assistant.ingest import ensure_ingested
                    from assistant.retrieve import HybridRetriever

                    from assistant.store import ChunkStore

                    if self.auto_ingest:
                        self.last_ingest = ensure_ingested(self.settings)
                    store = ChunkStore.from_settings(self.settings)
                    self._stamp = store.stamp()  # before reading: a later ingest is seen by the next check
                    self._retriever = HybridRetriever.from_settings(self.settings, store=store)
        return self._retriever

    @property
    def views(self) -> DocumentViews:
        """Source → DocumentView, each built on first use from that document's chunks only."""
        if self._views is None:
            with self._load_lock:
                if self._views is None:
                    self._views = DocumentViews(self.retriever)
        return self._views

    @property
    def semantic(self):
        """Question-to-claim similarity over the store's (cached) embedder."""
        if self._semantic is None:
            with self._load_lock:
                if self._semantic is None:
                    from assistant.reader.semantic import ClaimSimilarity

                    self._semantic = ClaimSimilarity(self.retriever.store.embeddings)
        return self._semantic

    def refresh(self) -> None:
        """Pick up a new ingest (e.g. after `add_document`)."""
        with self._load_lock:
            store = self.retriever.store
            self._stamp = store.stamp()
            self.retriever.refresh()
            self._views = None

    def refresh_if_changed(self) -> None:
        """Rebuild the caches when the collection changed since they were built (another process
        ingested): one cheap read of the store's version stamp per question."""
        stamp = self.retriever.store.stamp()
        if stamp is None or stamp == self._stamp:
            return
        with self._load_lock:
            if stamp[0] != (self._stamp or ("", None))[0]:
                self.retriever.store.reopen()  # rebuilt: a new collection under the same name
            self.refresh()

    # -- asking ------------------------------------------------------------------------------------
    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        """Answer one question; `history` is the chat so far ([{"role", "content"}, ...])."""
        return self.ask_traced(question, history)[0]

    def ask_traced(self, question: str, history: list[dict] | None = None) -> tuple[Answer, list[float] | None, str]:
        """The answer, the confidence features it was judged by (None for a refusal) and its kind
        (lookup, calculation or text)."""
        started = time.perf_counter()
        text = check_question(question)
        self.refresh_if_changed()
        analysis: QuestionAnalysis = analyse(text, bounded_history(history))
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        # The reader weighs every figure of the best documents: retrieval ranks passages, the figure's own
        # features (period, unit, role, the words around it) decide.
        retrieved, documents = self._evidence(analysis)
        timings["retrieve"] = round((time.perf_counter() - t0) * 1000, 2)
        t1 = time.perf_counter()
        # the question's vector, once for both question models (the embedder caches query vectors)
        vector = self.semantic.question_vector(analysis.text) \
            if self.answer_form is not None or self.question_kinds is not None else None
        asks = self.question_kinds.probabilities(vector, analysis.question) \
            if self.question_kinds is not None else None
        if not analysis.numeric and not analysis.asks_words and not analysis.follow_up and reads_as_figure(asks):
            # no word of the question says what it asks ("What was BNI's net profit …" names no quantity word the
            # rules know): the learned reading decides; "kapan", "siapa", "why" keep their sentence answer
            analysis = replace(analysis, numeric=True)
        expectation = self.answer_form.expect(vector, analysis.question) \
            if self.answer_form is not None and analysis.numeric else None
        responder = Responder(analysis, retrieved, self.views, scorer=self.scorer, gates=self.gates,
                              semantic=self.semantic, documents=documents, expectation=expectation,
                              matcher=self.matcher)
        answer = responder.answer(question)
        features = None
        if answer.answerable:
            # a stated figure for a question that reads as a calculation or a sentence, or asks a rate none of its
            # quotes states
            asked_instead = reads_as_another_kind(responder.trace["kind"], asks)
            if asked_instead is None and responder.trace["kind"] == "lookup" and asks_unstated_rate(
                    analysis.question, [c.quote for c in answer.citations], [f.unit for f in answer.figures]):
                asked_instead = "calculation"
            if not analysis.follow_up and asked_instead is not None:
                # one stated number is not its answer (a follow-up merged with its question reads as two, so the
                # model, which never saw such merges, is not trusted to route it)
                answer = responder.withhold(question, answer, asked=asked_instead)
            else:
                cited = {source: view for source in {c.source for c in answer.citations}
                         if (view := self.views.get(source)) is not None}
                specificity = self.retriever.lexical.specificity(analysis.terms)
                features = answer_features(analysis, responder.trace, answer, responder.retrieved, cited, asks,
                                           specificity)
        if features is not None and self.calibrator is not None:
            kind = responder.trace["kind"]
            confidence = round(self.calibrator.probability(features, kind), 4)
            needed = self.min_confidence if self.min_confidence is not None else self.calibrator.threshold(kind)
            # a threshold of 1.0 answers nothing (the kind never reached the wanted wrong rate)
            trusted = needed < 1.0 and confidence >= needed
            answer = replace(answer, confidence=confidence) if trusted else \
                responder.withhold(question, answer, confidence)
        timings["read"] = round((time.perf_counter() - t1) * 1000, 2)
        timings["total"] = round((time.perf_counter() - started) * 1000, 2)
        return replace(answer, timings_ms=timings), features, responder.trace["kind"]

    def _evidence(self, analysis: QuestionAnalysis):
        """The chunks the reader reads and the document ranker's probability per source (None without one):
        the documents of a wide pool of chunks are ranked, and the best ones are read whole."""
        from assistant.reader.candidates import CANDIDATE_DOCUMENTS
        from assistant.reader.documents import POOL_CHUNKS, evidence_chunks, rank_documents

        k = self.settings.k * 2
        if self.document_ranker is None:
            return self.retriever.search(analysis.text, k), None
        pool = self.retriever.search(analysis.text, POOL_CHUNKS, candidates=POOL_CHUNKS)
        ranked = rank_documents(analysis, pool, self.views, self.semantic, self.document_ranker,
                                matcher=self.document_matcher, chunk_vectors=self.retriever.store.vectors)
        return evidence_chunks(pool, k, ranked, CANDIDATE_DOCUMENTS), {d.source: d.score for d in ranked}

    def as_runnable(self):
        """A LangChain Runnable: str (or {"question", "history"}) → Answer."""
        from langchain_core.runnables import RunnableLambda

        def _invoke(value):
            if isinstance(value, dict):
                if "question" not in value:
                    raise InvalidQuestion('the input has no "question" (expected {"question": ..., "history": [...]})')
                return self.ask(value["question"], value.get("history"))
            return self.ask(value)

        return RunnableLambda(_invoke, name="BriefingAssistant")

    # -- documents ---------------------------------------------------------------------------------
    def claims(self) -> list:
        """Every figure of the library as a `Claim` (series, entity, period, kind), documents in date order
        (each view makes its claims once; the reader reads the same ones)."""
        ordered = sorted(self.views.all().values(), key=lambda v: (str(v.metadata.get("date", "")), v.source))
        return [claim for view in ordered for claim in view.claims.values()]

    def documents(self) -> list[dict]:
        """The documents in the store: source, title, date, publisher, url, language, uploaded. Read from the
        chunks' metadata alone (each document's first chunk), not from their texts."""
        first: dict[str, dict] = {}
        for meta in self.retriever.store.existing().values():
            source = meta.get("source")
            if source and (source not in first or meta.get("chunk_index", 0) < first[source].get("chunk_index", 0)):
                first[source] = meta
        listed = []
        for source, meta in sorted(first.items(), key=lambda item: (str(item[1].get("date", "")), item[0])):
            listed.append({"source": source, "title": str(meta.get("title") or source), "date": meta.get("date"),
                           "publisher": meta.get("publisher"), "url": meta.get("url"),
                           "language": meta.get("language"), "uploaded": self._uploaded_path(source) is not None})
        return listed

    def _uploaded_path(self, source: str) -> Path | None:
        """The file of an uploaded document's `source`, or None when it is not in the uploads folder."""
        path = Path(source).resolve()
        uploads = self.settings.uploads_folder.resolve()
        return path if path.is_relative_to(uploads) and path != uploads else None

    def add_document(self, path: Path | str) -> dict:
        """Copy a document into the uploads folder (never the corpus) and ingest it.

        Raises UnreadableDocument for a bad file, before anything is copied.
        """
        from assistant.load import load_document

        path = Path(path)
        load_document(path, self.settings.max_file_mb)  # fails with a clear UnreadableDocument before anything is copied
        uploads = self.settings.uploads_folder
        uploads.mkdir(parents=True, exist_ok=True)
        target = uploads / path.name
        if target.resolve() != path.resolve():
            shutil.copyfile(path, target)
        return self._reingest()

    def remove_document(self, source: str) -> dict:
        """Delete an uploaded document's file and its chunks; corpus documents cannot be removed here."""
        path = self._uploaded_path(source)
        if path is None:
            raise ValueError(f"{source} is not an uploaded document; only uploads can be removed on the page")
        if not path.is_file():
            raise ValueError(f"{source} is no longer in the uploads folder")
        path.unlink()
        return self._reingest()

    def _reingest(self) -> dict:
        from assistant.ingest import ingest

        _ = self.retriever  # make sure the store is open in this process
        summary = ingest(self.settings, progress=False)
        self.refresh()
        return summary
