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


def test_training_splits_leave_out_passages_shared_with_the_valid_split(tmp_path):
    shared, own = "Impor beras mencapai 2 juta ton .", "Ekspor kopi mencapai 3 juta ton ."
    _write(tmp_path, "facqa_id_train.jsonl", [
        {"id": "t1", "question": "Berapa ton impor beras ?", "passage": shared, "answer_text": "2 juta ton",
         "numeric_kind": "quantity", "overlap": ["facqa/valid:passage"]},
        {"id": "t2", "question": "Berapa ton ekspor kopi ?", "passage": own, "answer_text": "3 juta ton",
         "numeric_kind": "quantity", "overlap": []},
        {"id": "t3", "question": "Siapa menteri ?", "passage": "Menteri Ani hadir .", "answer_text": "Ani",
         "numeric_kind": None}])
    train = external.facqa_numeric(tmp_path, "facqa_id_train.jsonl", held_out="facqa/valid")
    assert [i["id"] for i in train.items] == ["t2"]
    assert list(train.passages.values()) == [external.detokenize(own) + "\n"]  # no passage of another question
    assert train.name != "facqa_valid_numeric"

    _write(tmp_path, "idk_mrc_train.jsonl", [
        {"id": f"i{n}", "question": "Apa itu?", "passage": f"Teks {n}.", "answer_text": None, "answerable": False,
         "overlap": ["idk_mrc/valid:passage"] if n == 0 else []} for n in range(4)])
    idk = external.idk_mrc(tmp_path, "idk_mrc_train.jsonl", held_out="idk_mrc/valid", limit=2)
    assert [i["id"] for i in idk.items] == ["i1", "i2"]
