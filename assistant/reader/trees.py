"""A LightGBM model's trees evaluated with numpy, read from the model's text file.

The product only predicts; importing LightGBM for that (and scikit-learn, which LightGBM imports when it is
installed) took about half of a first answer's start-up. Numerical splits only, as `train_reader.py` makes
them: a row goes left when its feature value is <= the split's threshold. `tests/test_reader_trees.py` checks
the predictions against LightGBM's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class UnsupportedModel(ValueError):
    """A model file this evaluator does not read (categorical splits, several classes, another objective)."""


@dataclass(frozen=True)
class TreeEnsemble:
    """Every tree's nodes in one set of arrays, evaluated for all rows and all trees at once, one level per step.

    A child is a node index when >= 0 and ~(leaf index) when negative; `roots` holds each tree's first node (or
    ~leaf for a tree that is a single leaf)."""

    feature_names: tuple[str, ...]
    features: np.ndarray
    thresholds: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaves: np.ndarray
    roots: np.ndarray

    def predict(self, rows) -> np.ndarray:
        """P(positive) for each row (the binary objective's sigmoid of the summed leaf values)."""
        x = np.asarray(rows, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.feature_names):
            raise ValueError(f"rows must have {len(self.feature_names)} features, got shape {x.shape}")
        node = np.broadcast_to(self.roots, (x.shape[0], len(self.roots))).copy()
        row = np.broadcast_to(np.arange(x.shape[0])[:, None], node.shape)
        inside = node >= 0
        while inside.any():
            at = node[inside]
            goes_left = x[row[inside], self.features[at]] <= self.thresholds[at]
            node[inside] = np.where(goes_left, self.left[at], self.right[at])
            inside = node >= 0
        raw = self.leaves[~node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))

    @classmethod
    def from_lightgbm_text(cls, text: str) -> TreeEnsemble:
        header, *blocks = text.split("\nTree=")
        fields = _fields(header)
        if fields.get("num_class", "1") != "1" or not fields.get("objective", "").startswith("binary sigmoid:1"):
            raise UnsupportedModel(f"only binary models with sigmoid 1 are read, not {fields.get('objective')!r}")
        features, thresholds, left, right, leaves, roots = [], [], [], [], [], []
        for block in blocks:
            tree = _fields(block.split("\nend of trees")[0])
            node_offset, leaf_offset = len(features), len(leaves)
            values = [float(v) for v in tree["leaf_value"].split()]
            if int(tree["num_leaves"]) == 1:
                roots.append(~leaf_offset)
                leaves += values
                continue
            if int(tree.get("num_cat", "0")) or any(int(d) & 1 for d in tree["decision_type"].split()):
                raise UnsupportedModel("categorical splits are not read")

            def place(child: int) -> int:
                return child + node_offset if child >= 0 else ~(~child + leaf_offset)
            features += [int(f) for f in tree["split_feature"].split()]
            thresholds += [float(t) for t in tree["threshold"].split()]
            left += [place(int(c)) for c in tree["left_child"].split()]
            right += [place(int(c)) for c in tree["right_child"].split()]
            leaves += values
            roots.append(node_offset)
        if not roots:
            raise UnsupportedModel("the model has no trees")
        return cls(tuple(fields.get("feature_names", "").split()), np.asarray(features, dtype=np.int64),
                   np.asarray(thresholds, dtype=np.float64), np.asarray(left, dtype=np.int64),
                   np.asarray(right, dtype=np.int64), np.asarray(leaves, dtype=np.float64),
                   np.asarray(roots, dtype=np.int64))


def _fields(block: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
