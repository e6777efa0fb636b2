"""External question sets (FacQA, IDK-MRC) read from a folder laid out like ../shared/data/external."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation import external
from assistant.evaluation.cli import run_eval


def _write(folder, name, records):
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_detokenize_joins_numbers_and_punctuation():
    assert external.detokenize("impor mencapai 4,5 juta ton . Harga Rp 1 . 000 ( naik )") == \
        "impor mencapai 4,5 juta ton. Harga Rp 1.000 (naik)"


def test_facqa_keeps_quantity_questions_with_every_reading_and_idk_mrc_scores_both_ways(tmp_path):
    passage = "Ratna menjelaskan , impor gandum per tahun mencapai 4,5 juta ton . Produksi 3,5 juta ton ."
    _write(tmp_path, external.FACQA_FILE, [
        {"id": "f1", "question": "Berapa ton impor gandum ?", "passage": passage, "answer_text": "4,5 juta ton",
         "numeric_kind": "quantity"},
        {"id": "f2", "question": "Siapa Ratna ?", "passage": passage, "answer_text": "Ratna", "numeric_kind": None}])
    facqa = external.facqa_numeric(tmp_path)
    assert [i["id"] for i in facqa.items] == ["f1"] and len(facqa.passages) == 1
    [item] = facqa.items
    assert 4_500_000 in item["expected"]["readings"]
    assert "4,5 juta ton." in item["evidence"]
    resolved = external.resolve_expected(item, {"value": 4_500_000})
    assert resolved["expected"]["value"] == 4_500_000

    _write(tmp_path, external.IDK_MRC_FILE, [
        {"id": "i1", "question": "Apa kepanjangan GPS?", "passage": "GPS adalah Global Positioning System.",
         "answer_text": "Global Positioning System", "answerable": True},
        {"id": "i2", "question": "Siapa penemu GPS?", "passage": "GPS adalah Global Positioning System.",
         "answer_text": None, "answerable": False}])
    idk = external.idk_mrc(tmp_path)
    assert [(i["category"], i["answerable"]) for i in idk.items] == [("non_numeric", True), ("unanswerable", False)]


def test_missing_external_folder_is_a_clear_error(tmp_path, capsys):
    assert run_eval(["--external", str(tmp_path / "nowhere"), "--no-progress"]) == 2
    assert "external QA data" in capsys.readouterr().out
    assert run_eval(["--external", str(tmp_path), "--external-sets", "facqa", "--no-progress"]) == 2
    assert external.FACQA_FILE in capsys.readouterr().out


@pytest.mark.parametrize("text", ["1 . 000", "1 , 5"])
def test_split_numbers_are_joined(text):
    assert " " not in external.detokenize(text)
