"""Answers that need arithmetic: which two figures a change, a gap to a target or a sum is computed
from (one series: one document, one unit, time order), and the stated figures that make it unnecessary."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant import compose, compute
from assistant.answer import Answer, Calculation, Operand
from assistant.figures import Figure
from assistant.lexicon import IMPLIED_ENTITIES
from assistant.numbers import to_json_number
from assistant.periods import Period, month_period, months_between
from assistant.reader.candidates import Candidate, candidate_figures

_LABELS = {
    "id": {"target": "Target", "actual": "Capaian", "earlier": "Awal", "later": "Akhir", "change": "Perubahan"},
    "en": {"target": "Target", "actual": "Reached", "earlier": "Start", "later": "End", "change": "Change"},
}


TARGET_WORDS = frozenset({"target", "sasaran", "sasar", "goal", "kuota", "quota", "pagu", "alokasi", "allocation"})
_REALISATION = re.compile(r"\b(actual|aktual|realisasi|realization|realisation|tercatat|recorded|reached|mencapai|"
                          r"terealisasi)\b", re.I)


def _comparable(earlier: Figure, later: Figure) -> bool:
    """Two figures of one series in time order: same granularity (a year total is not compared with a
    month), the later one not before the earlier one."""
    def grain(figure: Figure) -> str:
        kind = figure.period.kind if figure.period else "none"
        return "month" if kind in ("month", "current", "date") else kind
    if grain(earlier) != grain(later):
        return False
    if earlier.period and later.period and earlier.period.end and later.period.end:
        return later.period.end >= earlier.period.end
    return True


def _moment(figure: Figure) -> tuple[int, int] | None:
    """The month a figure stands for; two figures of one month are not a change over time."""
    return figure.period.month_key if figure.period else None


class Refusal(Exception):
    def __init__(self, missing: tuple[str, ...] = (), period: Period | None = None, weak: bool = False,
                 role: str | None = None):
        super().__init__("not in the documents")
        self.missing, self.period, self.weak, self.role = missing, period, weak, role


class Calculations:
    """The arithmetic half of `Responder` (see respond.py for lookups, citations and refusals)."""

    def _pair(self, first: tuple[Period | None, bool], second: tuple[Period | None, bool],
              unit: str) -> tuple[Candidate, Candidate]:
        """The two figures a change is computed from: one series, so the same document and unit."""
        earlier = self._ranked(first[0], "actual", first[1], expected_unit=unit)[:6]
        later = self._ranked(second[0], "actual", second[1], expected_unit=unit)[:6]
        pairs = [(e, l) for e in earlier for l in later
                 if e.figure.source == l.figure.source and e.figure.unit == l.figure.unit
                 and e.figure.start != l.figure.start and _moment(e.figure) != _moment(l.figure)
                 and _comparable(e.figure, l.figure)]
        if not pairs:
            raise Refusal(period=first[0] or second[0])
        return max(pairs, key=lambda pair: pair[0].score + pair[1].score)

    def _two_points(self) -> tuple[tuple[Period | None, bool], tuple[Period | None, bool]] | None:
        """(earlier, later) moments the question compares; a moment is (period, means-current)."""
        periods = [p for p in self.analysis.periods if p.kind != "year" or len(self.analysis.periods) > 1]
        span = next((p for p in periods if p.kind == "span"), None)
        if span is not None and len(span.parts) == 2 and span.parts[0].kind in ("quarter", "half", "year") \
                and span.parts[1].kind == span.parts[0].kind:
            return (span.parts[0], False), (span.parts[1], False)  # "dari triwulan I ke triwulan II"
        if span is not None and span.start is not None:
            earlier = month_period(span.start.year, span.start.month)
            if span.label.endswith("..current") or span.end is None:
                return (earlier, False), (None, True)
            return (earlier, False), (month_period(span.end.year, span.end.month), False)
        points = [p for p in periods if p.kind not in ("since",)]
        if len(points) >= 2:
            first, second = sorted(points[:2], key=lambda p: p.end)
            return (first, False), (second, False)
        if len(points) == 1 and (self.analysis.wants_current or re.search(
                r"\b(since|sejak|semenjak)\b", self.analysis.text, re.I)):
            return (points[0], False), (None, True)  # "sejak Maret 2023": from then to the latest
        return None

    def _sum(self, question: str) -> Answer:
        """The total of one figure per named entity, all from one document, unit and period."""
        period = self.analysis.periods[0] if self.analysis.periods else None
        named = [e for e in self.analysis.entities if e.lower() not in IMPLIED_ENTITIES]
        if len(named) < 2:
            raise Refusal(weak=True)  # only sums over named things (countries, agencies) are computed
        parts: list[Candidate] = []
        for entity in named:
            ranked = [c for c in candidate_figures(replace(self.analysis, entities=(entity,)), self.retrieved,
                                                   self.views, period, self.analysis.role, self.analysis.wants_current,
                                                   self.scorer, self.semantic, matcher=self.matcher)
                      if c.score >= self.min_figure_score]
            if not ranked:
                raise Refusal(missing=(entity,))
            parts.append(ranked[0])
        first = parts[0].figure
        if len({p.figure.start for p in parts}) < len(parts) or any(
                p.figure.source != first.source or p.figure.unit != first.unit for p in parts):
            raise Refusal(weak=True)
        calc = compute.total([p.figure.value for p in parts])
        return self._compose_calculation(question, calc, list(zip(parts, named)), first.unit)

    def _calculation(self, question: str) -> Answer:
        op = self.analysis.operation
        if op == "sum":
            return self._sum(question)
        labels = _LABELS[self.language]
        wants_target = self.analysis.role == "target" or op == "share_of" or any(
            t in self.analysis.terms for t in ("target", "sasar", "goal", "kuota", "quota", "pagu", "alokasi"))
        points = self._two_points()
        names_target = any(t in self.analysis.terms for t in ("target", "sasar", "goal", "kuota", "quota", "pagu",
                                                               "alokasi"))
        if op == "difference" and self.analysis.role == "remaining" and self.analysis.expected_unit != "%" \
                and not names_target:
            try:  # a gap the document states outright ("tugas mengakselerasi 3 juta UMKM")
                period = next((p for p in self.analysis.periods if p.kind != "span"), None)
                stated = self._find(period, "remaining", expected_unit="count_or_any")
                if stated.figure.role == "remaining":
                    return self._stated(stated)
            except Refusal:
                pass
            wants_target = True
            points = None
        if op == "growth_rate" and points is None:  # "dari triwulan I ke triwulan II": compute it
            stated = self._stated_rate()
            if stated is not None:
                return stated
        target_year = any(p.kind == "year" for p in self.analysis.periods)
        if op in ("difference", "share_of") and wants_target and (points is None or op == "share_of" or target_year):
            target, actual = self._target_and_actual()
            if op == "share_of":
                calc = compute.share_of(actual.figure.value, target.figure.value)
                pairs = [(actual, labels["actual"]), (target, labels["target"])]
                unit = "%"
            elif self.analysis.expected_unit == "%":
                calc = compute.remaining_share(target.figure.value, actual.figure.value)
                pairs = [(target, labels["target"]), (actual, labels["actual"])]
                unit = "%"
            else:
                calc = compute.target_gap(target.figure.value, actual.figure.value)
                pairs = [(target, labels["target"]), (actual, labels["actual"])]
                if calc.result < 0:  # past the target: the distance is the realisation minus the target
                    calc = compute.difference(actual.figure.value, target.figure.value)
                    pairs.reverse()
                unit = target.figure.unit
            return self._compose_calculation(question, calc, pairs, unit)
        if points is None:
            if op == "difference" or (op == "pace" and any(p.kind == "since" for p in self.analysis.periods)):
                return self._stated_change(question)
            raise Refusal(weak=True)
        (first, first_current), (second, second_current) = points
        expected = self.analysis.expected_unit
        operand_unit = "pp" if expected in ("%", "pp", "bps") and op == "difference" else (
            expected if expected in ("count", "currency") else "count_or_any")
        try:
            earlier, later = self._pair((first, first_current), (second, second_current), operand_unit)
        except Refusal:
            derived = self._derived_level(first, second)
            if derived is not None:
                return derived
            return self._stated_change(question, points)
        unit = later.figure.unit
        pairs = [(later, labels["later"]), (earlier, labels["earlier"])]
        a, b = later.figure.value, earlier.figure.value
        if op == "growth_rate":
            calc, unit = compute.growth_rate(a, b), "%"
            if calc.result < 0 and self.analysis.falling:
                calc = compute.decline_rate(a, b)
        elif op == "ratio":
            calc, unit = compute.ratio(a, b), None
        elif op == "pace":
            months = months_between(earlier.figure.period, later.figure.period) if earlier.figure.period \
                and later.figure.period else None
            if not months:
                raise Refusal(weak=True)
            divisor = months if self.analysis.pace_unit == "month" else Decimal(months) / 12
            if self.analysis.pace_unit == "year" and months % 12:
                raise Refusal(weak=True)
            calc = compute.pace(a, b, int(divisor))
        else:
            calc = compute.difference(a, b)
            if calc.result < 0 and (self.analysis.falling or self.analysis.role not in ("increase", "decrease")):
                # "selisih" / "difference" / "gap" is a distance: larger minus smaller.
                calc = compute.difference(b, a)
                pairs.reverse()
        return self._compose_calculation(question, calc, pairs, unit)

    def _target_and_actual(self) -> tuple[Candidate, Candidate]:
        """A target and the realisation it is measured against: one document, one unit, and the
        realisation for the question's moment, else the target's own past period, else the latest."""
        periods = self.analysis.periods
        target_period = next((p for p in periods if p.kind == "year"), None)
        unit = "%" if self.analysis.expected_unit in ("pp", "bps") else "count_or_any"
        try:
            targets = self._ranked(target_period, "target", expected_unit=unit)[:6]
        except Refusal:
            targets = self._ranked(None, "target", expected_unit=unit)[:6]
        asked = next((p for p in periods if p.kind != "year"), None) or next(
            (p for p in periods if p is not target_period), None)
        pairs: list[tuple[float, Candidate, Candidate]] = []
        for target in [t for t in targets if t.figure.role == "target"]:
            moment = asked
            published = target.view.published
            if moment is None and target.figure.period is not None and published is not None \
                    and target.figure.period.end is not None and target.figure.period.end < published:
                moment = target.figure.period  # a past target is measured against its own period
            try:
                actuals = self._ranked(moment, "actual", wants_current=moment is None, expected_unit=unit,
                                       entities=False)[:6]
            except Refusal:
                continue
            for actual in actuals:
                if actual.figure.source != target.figure.source or actual.figure.unit != target.figure.unit \
                        or actual.figure.start == target.figure.start or actual.figure.role == "target":
                    continue
                if actual.figure.sentence_start == target.figure.sentence_start and actual.figure.role != "actual" \
                        and not _REALISATION.search(actual.view.text[actual.figure.clause_start:actual.figure.end]):
                    continue  # "target 2,5 persen plus minus 1 persen": the band, not a realisation
                near = abs(target.view.sentences.index((target.figure.sentence_start, target.figure.sentence_end))
                           - actual.view.sentences.index((actual.figure.sentence_start, actual.figure.sentence_end))) \
                    if (target.figure.sentence_start, target.figure.sentence_end) in target.view.sentences \
                    and (actual.figure.sentence_start, actual.figure.sentence_end) in actual.view.sentences else 9
                pairs.append((target.score + actual.score + (0.4 if near <= 1 else 0.0), target, actual))
        if not pairs:
            raise Refusal(period=asked, role="actual")
        _, target, actual = max(pairs, key=lambda item: item[0])
        return target, actual

    def _derived_level(self, first: Period | None, second: Period | None) -> Answer | None:
        """The level at a moment the documents give no figure for, from a later level and the change
        stated since that moment: 22,8 juta (Juni 2023) − 14,8 juta (sejak awal pandemi) = 8 juta."""
        if first is None or second is None or first.start is None:
            return None
        try:
            level = self._find(second, "actual", expected_unit="count_or_any")
            since = Period("since", None, first.start, "since")
            change = self._find(since, "increase", expected_unit="count_or_any")
        except Refusal:
            return None
        if change.figure.role != "increase" or change.figure.source != level.figure.source \
                or change.figure.unit != level.figure.unit or change.figure.period is None \
                or change.figure.period.start != first.start:
            return None
        labels = _LABELS[self.language]
        calc = compute.derived_level(level.figure.value, change.figure.value)
        return self._compose_calculation(self.analysis.question, calc,
                                         [(level, labels["later"]), (change, labels["change"])], level.figure.unit)

    def _stated_rate(self) -> Answer | None:
        """A growth rate the document states ('turun 8,06 persen year-on-year') beats computing one."""
        period = next((p for p in self.analysis.periods if p.kind != "span"), None)
        for role in ("increase", "decrease"):
            try:
                found = self._find(period, role, expected_unit="%")
            except Refusal:
                continue
            if found.figure.role == role:
                return self._stated(found)
        # "the annual credit growth rate in July": a rate the document states, whatever its wording
        if period is not None:
            try:
                found = self._find(period, None, expected_unit="%")
            except Refusal:
                return None
            if found.figure.role not in ("target", "share"):
                return self._stated(found)
        return None

    def _stated_change(self, question: str, points=None) -> Answer:
        """A change the document states outright ('bertambah 14,8 juta sejak awal pandemi')."""
        period = next((p for p in self.analysis.periods if p.kind in ("since", "span")), None)
        if period is None and points is not None:
            (first, _), _ = points
            period = first
        if period is None and self.analysis.periods:
            period = self.analysis.periods[0]
        if self.analysis.role not in ("increase", "decrease") and not self.analysis.falling and period is None:
            raise Refusal(weak=True)  # nothing says which change is meant
        change = self._find(period, "increase", expected_unit="count_or_any")
        if change.figure.role not in ("increase", "decrease"):
            raise Refusal(period=period, role="increase")  # no change is stated for that span
        if self.analysis.operation == "pace":
            figure_period = change.figure.period
            if figure_period is None or figure_period.start is None or figure_period.end is None:
                raise Refusal(weak=True)
            months = months_between(month_period(figure_period.start.year, figure_period.start.month), figure_period)
            if not months:
                raise Refusal(weak=True)
            calc = compute.pace_of_change(change.figure.value, months)
            return self._compose_calculation(question, calc, [(change, _LABELS[self.language]["change"])],
                                             change.figure.unit)
        return self._stated(change)

    def _compose_calculation(self, question: str, calc: compute.Computation, pairs: list[tuple[Candidate, str]],
                             unit: str | None) -> Answer:
        operands = [(c.figure, self._cite(c.view, c.figure), label) for c, label in pairs]
        text, _ = compose.calculation_answer(calc, operands, unit, self.language, self.analysis.pace_unit)
        calculation = Calculation(
            expression=calc.symbol_expression, result=to_json_number(calc.result),
            operands=tuple(Operand(to_json_number(f.value), n) for f, n, _ in operands))
        return self._finish(question, text, calc.result, unit, [(f, n) for f, n, _ in operands], calculation)
