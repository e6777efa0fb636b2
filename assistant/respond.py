"""From retrieved evidence to a verified Answer: plan the lookup or calculation, cite, compose, verify."""

from __future__ import annotations

import logging
from dataclasses import replace
from decimal import Decimal

from assistant import compose
from assistant.analyse import QuestionAnalysis
from assistant.answer import Answer, Calculation, Citation, CitedFigure
from assistant.evidence import DocumentView
from assistant.figures import Figure
from assistant.numbers import to_json_number
from assistant.calculate import TARGET_WORDS, Calculations, Refusal
from assistant.matching import missing_terms
from assistant.periods import Period
from assistant.read import MIN_DENSE_SCORE, MIN_FIGURE_SCORE, covered_periods
from assistant.reader.candidates import Candidate, FigureScorer, candidate_figures
from assistant.schema import Chunk, ScoredChunk
from assistant.sentences import best_sentences
from assistant.verify import unverified_numbers
from assistant.views import related_views

logger = logging.getLogger(__name__)


class Responder(Calculations):
    """Answers one analysed question from the retrieved evidence: a stated figure, a calculation
    (calculate.py), quoted sentences, or a refusal that says what the documents do cover."""

    def __init__(self, analysis: QuestionAnalysis, retrieved: list[ScoredChunk], views: dict[str, DocumentView],
                 scorer: FigureScorer | None = None, gates: bool = True, semantic=None,
                 documents: dict[str, float] | None = None, expectation=None, matcher=None):
        """`documents`: the document ranker's probability per source, best first (None: by best chunk);
        `expectation`: the unit and kind of figure the question reads as wanting (reader/answer_form.py);
        `matcher`: the learned question-to-claim match (reader/matcher.py)."""
        self.analysis = analysis
        self.expectation = expectation
        self.matcher = matcher
        self.documents = documents
        self.semantic = semantic  # reader.semantic.ClaimSimilarity: question vs each figure's claim text
        self.gates = gates  # refuse outright on a missing key term or weak retrieval (else: confidence features)
        # what the answer rests on, for the confidence model (reader/confidence.py)
        # "missing": key terms of the question that no evidence document names
        self.trace: dict = {"kind": None, "missing": (), "calls": [], "sentences": [], "documents": documents}
        self.scorer = scorer
        # a learned scorer gives probabilities; the rule score has its own scale
        self.min_figure_score = MIN_FIGURE_SCORE if scorer is None else 0.0
        self.retrieved = list(retrieved)
        self.views = views
        self.language = analysis.language
        self._citations: dict[tuple[str, int], Citation] = {}
        self._highlights: dict[tuple[str, int], set[tuple[int, int]]] = {}

    # -- public ------------------------------------------------------------------------------------
    def answer(self, question: str) -> Answer:
        analysis = self.analysis
        self.trace["kind"] = "text" if not analysis.numeric else "calculation" if analysis.operation else "lookup"
        try:
            self._check_evidence()
            if not analysis.numeric:
                return self._non_numeric(question)
            if analysis.operation:
                return self._calculation(question)
            return self._lookup(question)
        except Refusal as refusal:
            return self._refuse(question, refusal)

    # -- evidence checks ---------------------------------------------------------------------------
    def _evidence_views(self) -> list[DocumentView]:
        sources = dict.fromkeys(s.chunk.source for s in self.retrieved)
        return [view for view in map(self.views.get, sources) if view is not None]

    def _check_evidence(self) -> None:
        if not self.retrieved:
            raise Refusal(weak=True)
        missing = missing_terms(self.analysis, self._evidence_views())
        if missing and self._widen(missing):
            missing = missing_terms(self.analysis, self._evidence_views())
        self.trace["missing"] = missing
        if missing and self.gates:
            raise Refusal(missing=missing)
        if self.retrieved[0].dense < MIN_DENSE_SCORE and self.gates:
            raise Refusal(weak=True)

    def _widen(self, missing: tuple[str, ...]) -> bool:
        """When a key term is only in documents the retriever did not bring (an Indonesian question about
        an English briefing), read those documents too, scored as the weakest retrieved chunk."""
        retrieved_sources = {s.chunk.source for s in self.retrieved}
        floor = min(s.dense for s in self.retrieved)
        added = False
        for view in related_views(self.views, self._words()):
            if view.source in retrieved_sources or missing_terms(self.analysis, [view]):
                continue
            for start, end in view.spans:
                chunk = Chunk(id=f"{view.source}:{start}", source=view.source, text=view.text[start:end],
                              start=start, end=end, metadata=view.metadata)
                self.retrieved.append(ScoredChunk(chunk=chunk, score=floor, dense=floor, lexical=0.0))
                added = True
        return added

    def _words(self) -> str:
        """The question with its key terms in both languages: what picks the documents of a large library
        that are looked at beyond the retrieved ones (views.related_views)."""
        analysis = self.analysis
        return " ".join([analysis.text, *analysis.entities, *(t for group in analysis.topic_terms for t in sorted(group))])

    # -- lookups -----------------------------------------------------------------------------------
    def _ranked(self, period: Period | None, role: str | None, wants_current: bool = False,
                expected_unit: str | None = "same", entities: bool = True,
                unit_agreement: bool = False) -> list[Candidate]:
        analysis = self.analysis
        if expected_unit != "same":
            analysis = replace(analysis, expected_unit=expected_unit)
        if not entities:  # "the Trade Ministry's target" names who set the target, not who exported;
            # "sisa kuota impor": the quota is the target's word, the realisation is just "impor"
            analysis = replace(analysis, entities=(), topic_terms=tuple(
                g for g in analysis.topic_terms if not g & TARGET_WORDS))
        found = [c for c in candidate_figures(analysis, self.retrieved, self.views, period, role, wants_current,
                                              self.scorer, self.semantic, self.documents, unit_agreement,
                                              self.expectation, self.matcher)
                 if c.score >= self.min_figure_score]
        # the evidence for the chosen value: its best score, and the best score of any other value (the same
        # number stated twice — a headline and its sentence — is one answer, not a rival)
        top = found[0] if found else None
        rival = next((c.score for c in found if top and c.figure.value != top.figure.value), 0.0)
        self.trace["calls"].append((top.score if top else 0.0, rival, top.figure.source if top else None,
                                    top.features if top else ()))
        if not found:
            raise Refusal(period=period, role=role)
        return found

    def _find(self, period: Period | None, role: str | None, wants_current: bool = False,
              expected_unit: str | None = "same") -> Candidate:
        return self._ranked(period, role, wants_current, expected_unit)[0]

    def _lookup(self, question: str) -> Answer:
        periods = self.analysis.periods
        period = periods[0] if len(periods) == 1 else None
        if len(periods) > 1:
            period = next((p for p in periods if p.kind == "span"), periods[-1])
        unit = {"pp": "pp_change", "bps": "bps_change"}.get(self.analysis.expected_unit, "same")  # points: a change
        ranked = self._ranked(period, self.analysis.role, self.analysis.wants_current, expected_unit=unit,
                              unit_agreement=True)
        return self._stated(ranked[0], self._disagreeing(ranked))

    @staticmethod
    def _disagreeing(ranked: list[Candidate]) -> list[Candidate]:
        """Figures from other documents for the same thing and period that give another value."""
        best = ranked[0].figure
        label = best.period.label if best.period else None
        others: dict[str, Candidate] = {}
        for candidate in ranked[1:]:
            figure = candidate.figure
            if (figure.source != best.source and figure.source not in others and figure.unit == best.unit
                    and figure.role == best.role and (figure.period.label if figure.period else None) == label
                    and figure.value != best.value and candidate.score >= ranked[0].score - 0.15):
                others[figure.source] = candidate
        return list(others.values())

    # -- calculations ------------------------------------------------------------------------------
    def _stated(self, found: Candidate, disagreeing: list[Candidate] | None = None) -> Answer:
        """Answer with one figure the document states, quoted and cited; when other documents give
        another value for the same thing and period, say so and cite them too."""
        figure = found.figure
        n = self._cite(found.view, figure)
        quote = self._citations[(figure.source, figure.sentence_start)].quote
        text = compose.lookup_answer(figure, n, self.language, quote)
        cited = [(figure, n)]
        for other in disagreeing or []:
            m = self._cite(other.view, other.figure)
            other_quote = self._citations[(other.figure.source, other.figure.sentence_start)].quote
            text += "\n\n" + compose.disagreement(other.figure, m, other.view.title, self.language, other_quote)
            cited.append((other.figure, m))
        return self._finish(self.analysis.question, text, figure.value, figure.unit, cited, None)

    # -- non-numeric -------------------------------------------------------------------------------
    def _non_numeric(self, question: str) -> Answer:
        best = best_sentences(self.analysis, self.retrieved, self.views)
        self.trace["sentences"] = [score for _, _, score in best]
        if not best:
            raise Refusal(weak=True)
        quotes = []
        for view, (start, end), _ in best:
            n = self._cite_span(view, start, end)
            quotes.append((view.text[start:end], n))
        text = compose.non_numeric_answer(quotes, self.language)
        return self._finish(question, text, None, None, [], None)

    # -- citations and the final answer -------------------------------------------------------------
    def _cite(self, view: DocumentView, figure: Figure) -> int:
        n = self._cite_span(view, figure.sentence_start, figure.sentence_end)
        key = (view.source, figure.sentence_start)
        self._highlights.setdefault(key, set()).add((figure.start - figure.sentence_start,
                                                      figure.end - figure.sentence_start))
        return n

    def _cite_span(self, view: DocumentView, start: int, end: int) -> int:
        key = (view.source, start)
        if key not in self._citations:
            meta = view.metadata
            self._citations[key] = Citation(
                n=len(self._citations) + 1, source=view.source, title=view.title,
                date=str(meta["date"]) if meta.get("date") else None, quote=view.text[start:end],
                start=start, end=end, publisher=meta.get("publisher"), url=meta.get("url"))
        return self._citations[key].n

    def _citation_list(self) -> tuple[Citation, ...]:
        cited = []
        for key, citation in self._citations.items():
            spans = tuple(sorted(self._highlights.get(key, ())))
            cited.append(Citation(**{**citation.__dict__, "highlight": spans}))
        return tuple(sorted(cited, key=lambda c: c.n))

    def _finish(self, question: str, text: str, value, unit, figures: list[tuple[Figure, int]],
                calculation: Calculation | None) -> Answer:
        answer = Answer(
            question=question, language=self.language, answerable=True, answer=text,
            value=to_json_number(Decimal(value)) if value is not None else None, unit=unit,
            figures=tuple(CitedFigure(to_json_number(f.value), f.unit, f.text,
                                      f.period.label if f.period else None, n) for f, n in figures),
            calculation=calculation, citations=self._citation_list())
        problems = unverified_numbers(answer)
        if problems:  # a composed answer failed its own check: withheld, and said why in the log
            logger.warning("answer withheld, numbers not in its citations: %s (%s)", problems, question[:80])
            return self._refuse(question, Refusal(weak=True))
        return answer

    def withhold(self, question: str, answer: Answer, confidence: float | None = None,
                 asked: str = "calculation") -> Answer:
        """A refusal for an answer that is not given: no figure is shown, only where the closest passage is. With
        a `confidence`, the confidence model did not trust it enough; without, it was a stated figure for a
        question that reads as `asked` instead ("calculation" or "text", a sentence)."""
        first = answer.citations[0] if answer.citations else None
        if self.trace["missing"]:  # "Tesla" is nowhere in the documents: say that, not "uncertain"
            return self._refuse(question, Refusal(missing=self.trace["missing"]))
        if first is None:
            return self._refuse(question, Refusal(weak=True))
        text = compose.uncertain(self.language, confidence, first.title, first.date) if confidence is not None \
            else compose.figure_withheld(self.language, asked, first.title, first.date)
        return Answer(question=question, language=self.language, answerable=False, answer=text)

    def _refuse(self, question: str, refusal: Refusal) -> Answer:
        titles = [v.title for v in self._evidence_views()]
        # the library beyond the evidence is read only for what the refusal says of it
        views = related_views(self.views, self._words()) if refusal.period is not None or not titles else []
        covered = covered_periods(views, self.analysis, refusal.role) if refusal.period is not None else []
        titles = titles or [v.title for v in views][:3]
        text = compose.refusal(self.language, refusal.missing, refusal.period, covered, titles, refusal.weak)
        return Answer(question=question, language=self.language, answerable=False, answer=text)
