"""The numpy evaluator of LightGBM models: the same probabilities as LightGBM, on the committed model and on
small trained ones (one-leaf trees included), and a clear refusal of what it does not read."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.reader.ranker import RANKER_FILE, LearnedScorer
from assistant.reader.trees import TreeEnsemble, UnsupportedModel

lightgbm = pytest.importorskip("lightgbm")


def _train(x, y, rounds=20, **params):
    data = lightgbm.Dataset(x, label=y, feature_name=[f"f{i}" for i in range(x.shape[1])])
    return lightgbm.train({"objective": "binary", "verbose": -1, "num_threads": 1, "min_data_in_leaf": 5,
                           "seed": 7, "deterministic": True, **params}, data, num_boost_round=rounds)


def test_the_committed_model_predicts_as_lightgbm_does():
    text = RANKER_FILE.read_text(encoding="utf-8")
    ours, theirs = TreeEnsemble.from_lightgbm_text(text), lightgbm.Booster(model_str=text)
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(300, len(ours.feature_names))) * 3
    rows[:100] = np.round(rows[:100])  # values on thresholds and one-hot-like columns
    np.testing.assert_allclose(ours.predict(rows), theirs.predict(rows), rtol=0, atol=1e-12)


def test_small_models_with_one_leaf_trees_and_ties_on_thresholds():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 4, size=(200, 3)).astype(float)  # many values equal to a threshold
    y = ((x[:, 0] + rng.normal(0, 0.5, 200)) > 1.5).astype(int)
    booster = _train(x, y, rounds=30, num_leaves=4)
    constant = _train(x, np.r_[np.ones(100), np.zeros(100)], rounds=3, min_data_in_leaf=150)  # one leaf each
    for model in (booster, constant):
        ours = TreeEnsemble.from_lightgbm_text(model.model_to_string())
        np.testing.assert_allclose(ours.predict(x), model.predict(x), rtol=0, atol=1e-12)


def test_the_scorer_reads_the_file_through_the_evaluator_and_checks_the_features():
    scorer = LearnedScorer.from_file()
    assert isinstance(scorer.model, TreeEnsemble)
    assert scorer.score([]) == []
    with pytest.raises(ValueError, match="features"):
        scorer.model.predict(np.zeros((2, 3)))


def test_what_it_does_not_read_is_refused():
    x = np.random.default_rng(2).normal(size=(120, 2))
    multiclass = lightgbm.train({"objective": "multiclass", "num_class": 3, "verbose": -1, "num_threads": 1},
                                lightgbm.Dataset(x, label=np.arange(120) % 3), num_boost_round=2)
    with pytest.raises(UnsupportedModel):
        TreeEnsemble.from_lightgbm_text(multiclass.model_to_string())
    with pytest.raises(UnsupportedModel):
        TreeEnsemble.from_lightgbm_text("tree\nversion=v4\nnum_class=1\nobjective=binary sigmoid:1\n")


def test_loading_the_committed_scorer_imports_neither_lightgbm_nor_scikit_learn():
    import subprocess
    import sys

    code = ("import sys; from assistant.reader.ranker import default_scorer; assert default_scorer() is not None; "
            "print(sorted(m for m in ('lightgbm', 'sklearn') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"
