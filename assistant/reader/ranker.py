"""The learned figure scorer: a LightGBM model over the candidate features (trained by
scripts/train_reader.py; its data, metrics and threshold are in docs/reader-model.md), evaluated by
`reader.trees` without importing LightGBM."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.reader.features import FEATURE_NAMES
from assistant.reader.trees import TreeEnsemble

MODELS = Path(__file__).resolve().parent / "models"
RANKER_FILE = MODELS / "figure_ranker.txt"


class LearnedScorer:
    """P(figure answers the slot) from the trees of a LightGBM model saved as text."""

    def __init__(self, model: TreeEnsemble):
        names = list(model.feature_names)
        if names != list(FEATURE_NAMES):
            raise ValueError(f"model features {names[:3]}… do not match the code's {list(FEATURE_NAMES)[:3]}…: "
                             f"retrain with scripts/train_reader.py")
        self.model = model

    @classmethod
    def from_file(cls, path: Path = RANKER_FILE) -> LearnedScorer:
        return cls(TreeEnsemble.from_lightgbm_text(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def from_booster(cls, booster) -> LearnedScorer:
        """A scorer from a trained `lightgbm.Booster`, read through its text as the product reads the file."""
        return cls(TreeEnsemble.from_lightgbm_text(booster.model_to_string()))

    def score(self, rows: list[list[float]], figures=None) -> list[float]:
        if not rows:
            return []
        return [float(p) for p in self.model.predict(np.asarray(rows, dtype=np.float64))]


@lru_cache(maxsize=1)
def default_scorer() -> LearnedScorer | None:
    """The committed model, or None when there is none (the rule score then ranks)."""
    return LearnedScorer.from_file() if RANKER_FILE.is_file() else None


def model_card() -> dict:
    card = MODELS / "card.json"
    return json.loads(card.read_text(encoding="utf-8")) if card.is_file() else {}
