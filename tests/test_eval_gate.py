"""The CI gate: the real engine over every question set must meet every threshold in evals/thresholds.toml."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from assistant.evaluation.cli import run_eval

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.integration
@pytest.mark.slow
def test_engine_meets_every_threshold_on_every_set(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    code = run_eval(["--report", str(tmp_path), "--store", str(tmp_path / "stores"), "--no-progress"])
    output = capsys.readouterr().out
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    configured = tomllib.loads((ROOT / "evals" / "thresholds.toml").read_text(encoding="utf-8"))["sets"]
    assert set(configured) >= {"briefing_umkm", "extra_briefings", "bank"}
    assert set(report["sets"]) == set(configured) | {"bank/train", "bank/dev", "bank/test"}
    assert all(info["thresholds"].get("wrong_rate") is not None for name, info in report["sets"].items()
               if name != "bank" and name != "bank/test"), "every gated set gates its wrong rate"
    assert report["sets"]["bank/test"]["thresholds"] == {}, "the test split is reported, never gated"
    missed = {name: info["missed"] for name, info in report["sets"].items() if info["missed"]}
    assert code == 0, f"thresholds missed: {missed}\nfailures in {tmp_path / 'report.md'}\n{output[-4000:]}"
