"""The reader's small logistic models share one form: P = σ(b + Σ w·(x − m)/s) over standardised features."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class StandardisedLogistic:
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    def probability(self, features) -> float:
        z = self.intercept + sum(w * (x - m) / s for w, x, m, s in zip(self.weights, features, self.means,
                                                                      self.scales))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def probabilities(self, rows) -> list[float]:
        return [self.probability(row) for row in rows]
