"""What form the figure a question asks for takes — its unit (a percentage, an amount of money, a count, a
physical measure), its kind (a level, a change, a growth rate, a share, a target ...) and its order of magnitude
(a company's sales in trillions, a price in thousands) — learned from the question's multilingual embedding and
phrasing (three logistic regressions of `question_kind.QuestionKindModel`'s form, trained by
scripts/train_reader.py on the unit, claim kind and scale of the right figure of each train and dev lookup).

"Berapa banyak kota …" wants a count and "how fast did … grow" a growth rate in any briefing, whether or not a
word of the question is in the analysis' lists; the figure scorer reads, for each candidate stated as the answer,
the probability the question gives its unit and its kind (`fill`). Operands of a calculation are not the
answer's form, so their rows keep the "not asked" value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.claim_kinds import KINDS as CLAIM_KINDS
from assistant.reader.features import FEATURE_NAMES, SCALES, UNIT_KINDS
from assistant.reader.question_kind import QuestionKindModel

ANSWER_FORM_FILE = Path(__file__).resolve().parent / "models" / "answer_form.json"
UNIT_CLASSES = UNIT_KINDS
KIND_CLASSES = (*CLAIM_KINDS, "none")  # "none": a figure with no claim
SCALE_CLASSES = SCALES
NOT_ASKED = -1.0

_STATED = FEATURE_NAMES.index("stated_slot")
_UNIT_P = FEATURE_NAMES.index("answer_unit_p")
_KIND_P = FEATURE_NAMES.index("answer_kind_p")
_SCALE = FEATURE_NAMES.index("value_scale")
_SCALE_P = FEATURE_NAMES.index("answer_scale_p")
_UNIT_COLUMNS = [FEATURE_NAMES.index(f"unit_{k}") for k in UNIT_KINDS]
_KIND_COLUMNS = [FEATURE_NAMES.index(f"claim_kind_{k}") for k in CLAIM_KINDS]


@dataclass(frozen=True)
class Expectation:
    """P(unit kind) over UNIT_CLASSES, P(claim kind) over KIND_CLASSES and P(scale) over SCALE_CLASSES of the
    figure a question asks for."""

    units: np.ndarray
    kinds: np.ndarray
    scales: np.ndarray

    @classmethod
    def from_probabilities(cls, units: dict[str, float], kinds: dict[str, float],
                           scales: dict[str, float]) -> Expectation:
        return cls(np.asarray([units.get(k, 0.0) for k in UNIT_CLASSES]),
                   np.asarray([kinds.get(k, 0.0) for k in KIND_CLASSES]),
                   np.asarray([scales.get(k, 0.0) for k in SCALE_CLASSES]))


def unit_class(row) -> str:
    """The unit kind of a candidate's feature row (its one-hot `unit_*` columns)."""
    return UNIT_CLASSES[int(np.argmax([row[c] for c in _UNIT_COLUMNS]))]


def kind_class(row) -> str:
    """The claim kind of a candidate's feature row ("none" when the figure has no claim)."""
    flags = [row[c] for c in _KIND_COLUMNS]
    return CLAIM_KINDS[int(np.argmax(flags))] if max(flags) > 0 else "none"


def scale_class(row) -> str:
    """The order of magnitude of a candidate's feature row (its `value_scale` column)."""
    return SCALE_CLASSES[int(row[_SCALE])]


def fill(rows: list[list[float]], expectation: Expectation | None) -> list[list[float]]:
    """The rows of a stated slot with the probability the question gives each candidate's unit, kind and scale (in
    place; rows of operands, or with no expectation, keep NOT_ASKED)."""
    if expectation is None:
        return rows
    for row in rows:
        if row[_STATED]:
            row[_UNIT_P] = float(expectation.units[UNIT_CLASSES.index(unit_class(row))])
            row[_KIND_P] = float(expectation.kinds[KIND_CLASSES.index(kind_class(row))])
            row[_SCALE_P] = float(expectation.scales[SCALE_CLASSES.index(scale_class(row))])
    return rows


@dataclass(frozen=True)
class AnswerForm:
    unit: QuestionKindModel
    kind: QuestionKindModel
    scale: QuestionKindModel

    def expect(self, vector, text: str | None) -> Expectation | None:
        """What the question asks for; None for a vector of another embedder."""
        units = self.unit.probabilities(vector, text)
        kinds = self.kind.probabilities(vector, text)
        scales = self.scale.probabilities(vector, text)
        return Expectation.from_probabilities(units, kinds, scales) if units and kinds and scales else None

    def to_dict(self) -> dict:
        return {"unit": self.unit.to_dict(), "kind": self.kind.to_dict(), "scale": self.scale.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> AnswerForm:
        if "scale" not in data:
            raise ValueError("the answer-form model has no scale part (an older file): retrain")
        return cls(QuestionKindModel.from_dict(data["unit"], UNIT_CLASSES),
                   QuestionKindModel.from_dict(data["kind"], KIND_CLASSES),
                   QuestionKindModel.from_dict(data["scale"], SCALE_CLASSES))

    @classmethod
    def from_file(cls, path: Path = ANSWER_FORM_FILE) -> AnswerForm:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_answer_form() -> AnswerForm | None:
    return AnswerForm.from_file() if ANSWER_FORM_FILE.is_file() else None
