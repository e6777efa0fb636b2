"""What kind of answer a question wants — a stated figure, a calculation, or a sentence — learned from the
multilingual embedding of the question and from its phrasing (character 3–5-grams of its words, tf-idf: "rata-rata
… per", "selisih", "how much more", "berapa persen … dari" are how a calculation is asked in either language, in
any briefing): one logistic regression trained by scripts/train_reader.py on the question bank's train and dev
questions and the hand-written sets.

The engine's own analysis decides the route; this model's probabilities are evidence for the confidence
model, and a stated figure is not given at all for a question the model reads as a calculation or a sentence
rather than a lookup (`reads_as_another_kind`): out of fold, one of the operands stated as the answer was the most
confident kind of wrong answer ("berapa rata-rata nilai per transaksi", "by how many rupiah did it strengthen
between …"), and on briefings never seen a number answered a question asking in which building at 0.95.
The same holds for a question that asks a rate none of the answer's quotes states (`asks_unstated_rate`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.periods import MONTHS

QUESTION_KIND_FILE = Path(__file__).resolve().parent / "models" / "question_kind.json"
KINDS = ("lookup", "calculation", "text")
CATEGORY_KIND = {"lookup": "lookup", "paraphrase": "lookup", "date": "lookup", "unanswerable": "lookup",
                 "computation": "calculation", "non_numeric": "text"}


def kind_asked(item: dict) -> str:
    """The kind of answer an eval item's question asks for: its category's, or for an unanswerable question the
    kind it names in `asks` (a "which province ..." near miss asks for a sentence, not a figure)."""
    return item.get("asks") or CATEGORY_KIND[item["category"]]


NGRAM_RANGE = (3, 5)
_SPACES = re.compile(r"\s\s+")


def char_ngrams(text: str, low: int = NGRAM_RANGE[0], high: int = NGRAM_RANGE[1]) -> list[str]:
    """The character n-grams of each word padded with spaces, as scikit-learn's `analyzer="char_wb"` makes them
    (lowercased; a word shorter than n gives one n-gram, itself padded)."""
    grams = []
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset:offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset:offset + n])
            if offset == 0:
                break
    return grams


@dataclass(frozen=True)
class Phrasing:
    """The tf-idf of a question's character n-grams (sublinear tf, smoothed idf, L2-normalised) and their
    weight for each kind."""

    columns: dict[str, int]
    idf: np.ndarray  # (n-grams,)
    weights: np.ndarray  # (kinds, n-grams)

    def scores(self, text: str) -> np.ndarray:
        counts = Counter(g for g in char_ngrams(text) if g in self.columns)
        if not counts:
            return np.zeros(self.weights.shape[0])
        index = np.fromiter((self.columns[g] for g in counts), dtype=np.int64, count=len(counts))
        values = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
        values *= self.idf[index]
        values /= max(float(np.linalg.norm(values)), 1e-12)
        return self.weights[:, index] @ values

    def to_dict(self) -> dict:
        grams = sorted(self.columns, key=self.columns.get)
        return {"ngrams": grams, "idf": np.round(self.idf, 6).tolist(), "weights": np.round(self.weights, 6).tolist()}

    @classmethod
    def from_dict(cls, data: dict) -> Phrasing:
        return cls({g: i for i, g in enumerate(data["ngrams"])}, np.asarray(data["idf"], dtype=np.float64),
                   np.asarray(data["weights"], dtype=np.float64))


@dataclass(frozen=True)
class QuestionKindModel:
    """A multinomial logistic regression over a question's vector and phrasing: P(class) for each of `classes`
    (the kinds of answer by default; reader/answer_form.py uses it for the unit and kind of figure asked)."""

    weights: np.ndarray  # (classes, dimension)
    bias: np.ndarray  # (classes,)
    phrasing: Phrasing | None = field(default=None, compare=False)
    classes: tuple[str, ...] = KINDS

    def probabilities(self, vector: np.ndarray, text: str | None = None) -> dict[str, float] | None:
        """P(class) per class, from the question's vector and (when the model has a phrasing part) its text;
        None for a vector of another embedder (another dimension)."""
        vector = np.asarray(vector, dtype=np.float64)
        if vector.shape != (self.weights.shape[1],):
            return None
        z = self.weights @ vector + self.bias
        if self.phrasing is not None and text:
            z = z + self.phrasing.scores(text)
        z = np.exp(z - z.max())
        p = z / z.sum()
        return {kind: float(value) for kind, value in zip(self.classes, p)}

    def to_dict(self) -> dict:
        data = {"kinds": list(self.classes), "weights": np.round(self.weights, 6).tolist(),
                "bias": np.round(self.bias, 6).tolist()}
        if self.phrasing is not None:
            data["phrasing"] = self.phrasing.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict, classes: tuple[str, ...] = KINDS) -> QuestionKindModel:
        if list(data["kinds"]) != list(classes):
            raise ValueError(f"model classes {data['kinds']} do not match the code's {list(classes)}: retrain")
        phrasing = Phrasing.from_dict(data["phrasing"]) if data.get("phrasing") else None
        return cls(np.asarray(data["weights"], dtype=np.float64), np.asarray(data["bias"], dtype=np.float64),
                   phrasing, tuple(classes))

    @classmethod
    def from_file(cls, path: Path = QUESTION_KIND_FILE) -> QuestionKindModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def reads_as_figure(asks: dict[str, float] | None) -> bool:
    """The model reads the question as wanting a figure (stated or calculated) more than a sentence: a question the
    word rules of `analyse` take for a sentence question ("What was BNI's net profit …") is then read for figures."""
    return bool(asks) and max(asks["lookup"], asks["calculation"]) > asks["text"]


def reads_as_another_kind(answer_kind: str | None, asks: dict[str, float] | None) -> str | None:
    """For a stated figure (answer kind "lookup"), the kind the model reads the question as instead — "calculation"
    or "text" (a sentence), whichever is likelier — when that is likelier than a lookup; else None."""
    if answer_kind != "lookup" or not asks:
        return None
    other = max(("calculation", "text"), key=lambda kind: asks[kind])
    return other if asks[other] > asks["lookup"] else None


_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# A rate is asked in either language with the same few function words: "rata-rata nilai per transaksi", "average
# value per tonne", "berapa rupiah tiap debitur" ("per" + a noun; not "per cent", nor "per Juni 2024", as of).
_RATE = (r"rata-rata|rerata|average\w*|mean|setiap|tiap|each|per\s+(?!(?:cent|sen|akhir|posisi|tanggal|"
         + _MONTH_NAMES + r")\b)[^\W\d]+")
_RATE_ASKED = re.compile(rf"\b(?:{_RATE})", re.I)
_RATE_STATED = re.compile(rf"\b(?:{_RATE}|harian|daily|sehari|a day)\b|/", re.I)


def asks_unstated_rate(question: str, quotes: list[str], units: list[str | None]) -> bool:
    """The question asks for a rate (an average, an amount per unit) and neither the quoted sentences nor the
    figures' units state one: a total stated in the documents is then not its answer, it would have to be
    divided (out of fold, "Berapa rata-rata nilai per transaksi QRIS" answered with the month's total value was the
    most confident wrong answer)."""
    if not _RATE_ASKED.search(question):
        return False
    return not any(_RATE_STATED.search(quote) for quote in quotes) \
        and not any(unit and ("/" in unit or " per " in f" {unit} ") for unit in units)


@lru_cache(maxsize=1)
def default_question_kinds() -> QuestionKindModel | None:
    return QuestionKindModel.from_file() if QUESTION_KIND_FILE.is_file() else None
