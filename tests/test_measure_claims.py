"""scripts/measure_claims.py: the matching rules and a run over a small briefing folder."""

import importlib.util
import json

from conftest import ROOT

spec = importlib.util.spec_from_file_location("measure_claims", ROOT / "scripts" / "measure_claims.py")
measure_claims = importlib.util.module_from_spec(spec)
spec.loader.exec_module(measure_claims)

BRIEFING = """---
title: "Inflasi Oktober 2023"
date: 2023-11-01
language: id
---
Secara tahunan, laju inflasi Oktober 2023 mencapai 2,56 persen, lebih tinggi dari 2,28 persen pada September 2023.
"""


def test_series_is_covered_when_every_gold_content_word_is_there():
    assert measure_claims.series_match("laju inflasi", "laju inflasi tahunan") == (True, True)
    assert measure_claims.series_match("ekspor nonmigas", "ekspor") == (False, False)
    assert measure_claims.series_match("inflasi", "satu dua tiga inflasi") == (True, False)


def test_spans_of_whole_months_equal_their_quarter_half_or_year():
    assert measure_claims.same_period("2024-H1", "2024-01..2024-06")
    assert measure_claims.same_period("2023", "2023-01..2023-12")
    assert not measure_claims.same_period("2023-10", "2023-01..2023-10")
    assert measure_claims.same_entity(None, None) and not measure_claims.same_entity("China", None)


def test_a_run_scores_checked_annotations_per_split(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "briefings"
    folder.mkdir()
    name = "2023-11-01-inflasi-oktober-2023.md"
    (folder / name).write_text(BRIEFING, encoding="utf-8")
    text = (folder / name).read_text(encoding="utf-8")
    start = text.index("2,56 persen")
    gold = [{"briefing": name, "split": "train", "start": start, "end": start + len("2,56 persen"),
             "series": "laju inflasi", "entity": None, "period": "2023-10", "kind": "level", "checked": True},
            {"briefing": name, "split": "train", "start": 0, "end": 1, "series": "x", "entity": None,
             "period": None, "kind": "level", "checked": True}]
    annotations = tmp_path / "a.jsonl"
    annotations.write_text("\n".join(json.dumps(g) for g in gold), encoding="utf-8")
    assert measure_claims.main([str(folder), "--annotations", str(annotations)]) == 0
    out = capsys.readouterr().out
    assert "| train | 2 | 50.0% | 50.0% | 50.0% | 50.0% | 50.0% | 1 |" in out


def test_the_splits_are_the_question_banks_and_every_annotation_file_matches_them():
    import tomllib

    split = tomllib.loads((ROOT / "evals" / "bank" / "split.toml").read_text(encoding="utf-8"))["split"]
    assert {name: {b.removesuffix(".md") for b, s in measure_claims.SPLIT_OF.items() if s == name}
            for name in measure_claims.SPLITS} == {name: set(names) for name, names in split.items()}
    for path in measure_claims.DEFAULT_ANNOTATIONS:
        for line in path.read_text(encoding="utf-8").splitlines():
            annotation = json.loads(line)
            assert measure_claims.SPLIT_OF[annotation["briefing"]] == annotation["split"] and annotation["checked"]
