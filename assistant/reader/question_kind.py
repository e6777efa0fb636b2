"""What kind of answer a question wants — a stated figure, a calculation, or a sentence — learned from the
multilingual embedding of the question (a logistic regression trained by scripts/train_reader.py on the
question bank's train and dev questions and the hand-written sets).

The engine's own analysis decides the route; this model's probabilities are evidence for the confidence
model: a stated figure given for a question that reads like a calculation is likely the wrong answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

QUESTION_KIND_FILE = Path(__file__).resolve().parent / "models" / "question_kind.json"
KINDS = ("lookup", "calculation", "text")
CATEGORY_KIND = {"lookup": "lookup", "paraphrase": "lookup", "date": "lookup", "unanswerable": "lookup",
                 "computation": "calculation", "non_numeric": "text"}


@dataclass(frozen=True)
class QuestionKindModel:
    weights: np.ndarray  # (kinds, dimension)
    bias: np.ndarray  # (kinds,)

    def probabilities(self, vector: np.ndarray) -> dict[str, float] | None:
        """P(kind) per kind; None for a vector of another embedder (another dimension)."""
        vector = np.asarray(vector, dtype=np.float64)
        if vector.shape != (self.weights.shape[1],):
            return None
        z = self.weights @ vector + self.bias
        z = np.exp(z - z.max())
        p = z / z.sum()
        return {kind: float(value) for kind, value in zip(KINDS, p)}

    def to_dict(self) -> dict:
        return {"kinds": list(KINDS), "weights": np.round(self.weights, 6).tolist(),
                "bias": np.round(self.bias, 6).tolist()}

    @classmethod
    def from_dict(cls, data: dict) -> QuestionKindModel:
        if list(data["kinds"]) != list(KINDS):
            raise ValueError("question-kind model classes do not match the code's: retrain")
        return cls(np.asarray(data["weights"], dtype=np.float64), np.asarray(data["bias"], dtype=np.float64))

    @classmethod
    def from_file(cls, path: Path = QUESTION_KIND_FILE) -> QuestionKindModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_question_kinds() -> QuestionKindModel | None:
    return QuestionKindModel.from_file() if QUESTION_KIND_FILE.is_file() else None
