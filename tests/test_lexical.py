"""Tokenizer and BM25 index: numbers whole, stems, stopwords, normalisation, persistence."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assistant.lexical import LexicalIndex, fingerprint, stem, tokenize


@dataclass(frozen=True)
class _Chunk:
    id: str
    text: str


def test_numbers_stay_whole_in_both_conventions():
    tokens = tokenize("Per Juni 2023 ada 22,8 juta UMKM; nilainya 1.234,56 dan 12.345.")
    assert "22,8" in tokens
    assert "1.234,56" in tokens
    assert "2023" in tokens
    assert "12.345" in tokens


def test_plain_decimal_is_the_same_term_in_english_and_indonesian():
    assert "22,8" in tokenize("22.8 million MSMEs")
    assert "35,5" in tokenize("35,5 persen")
    assert "35,5" in tokenize("35.5 percent")


def test_currency_prefix_is_split_from_amount():
    assert tokenize("Rp4.500 triliun")[:2] == ["rp", "4.500"]
    assert "us" in tokenize("US$82 miliar")
    assert "82" in tokenize("US$82 miliar")


def test_indonesian_words_are_stemmed_and_stopwords_dropped():
    tokens = tokenize("Pemerintah mengakselerasi penambahan UMKM yang telah go digital dan produknya terjual")
    assert "akselerasi" in tokens
    assert "tambah" in tokens
    assert "jual" in tokens
    assert "produk" in tokens
    assert "yang" not in tokens and "telah" not in tokens and "dan" not in tokens


def test_english_stopwords_dropped_and_content_words_kept():
    tokens = tokenize("How many small businesses had gone digital by June 2023?")
    assert tokens == ["small", "businesses", "gone", "digital", "june", "2023"]


def test_reduplication_counts_once_and_hyphenated_words_split():
    assert tokenize("UMKM-UMKM") == ["umkm"]
    assert tokenize("platform e-commerce") == ["platform", "commerce"]


def test_stem_is_cached_and_stable():
    assert stem("perekonomian") == "ekonomi"
    assert stem("perekonomian") == "ekonomi"
    assert stem("digital") == "digital"


def test_empty_and_punctuation_only_text_gives_no_tokens():
    assert tokenize("") == []
    assert tokenize("… — !!! ???") == []


def test_scores_are_normalised_to_the_best_match():
    index = LexicalIndex.build(
        ["a", "b", "c"], ["UMKM go digital 27 juta", "target 30 juta UMKM pada 2024", "cuaca cerah di Jakarta"]
    )
    scores = index.scores("Berapa target UMKM pada 2024?", normalisation="max")
    assert max(scores.values()) == pytest.approx(1.0)
    assert scores["b"] == pytest.approx(1.0)
    assert 0 < scores["a"] < 1
    assert "c" not in scores
    assert index.top("target 2024", 1)[0][0] == "b"


def test_query_with_no_known_terms_scores_nothing():
    index = LexicalIndex.build(["a"], ["UMKM go digital"])
    assert index.scores("zebra xylophone") == {}
    assert index.scores("") == {}


def test_empty_index_scores_nothing(tmp_path):
    index = LexicalIndex.build([], [])
    assert index.scores("UMKM") == {}
    index.save(tmp_path)
    assert LexicalIndex.load(tmp_path).scores("UMKM") == {}


def test_save_load_roundtrip_keeps_scores_and_fingerprint(tmp_path):
    chunks = [_Chunk("a", "UMKM go digital 27 juta"), _Chunk("b", "target 30 juta UMKM pada 2024")]
    index = LexicalIndex.from_chunks(chunks)
    index.save(tmp_path / "lex")
    loaded = LexicalIndex.load(tmp_path / "lex")
    assert loaded.fingerprint == index.fingerprint
    assert loaded.scores("target 2024") == index.scores("target 2024")


def test_fingerprint_changes_with_ids_or_text_but_not_order():
    base = fingerprint(["a", "b"], ["x", "y"])
    assert fingerprint(["b", "a"], ["y", "x"]) == base
    assert fingerprint(["a", "c"], ["x", "y"]) != base
    assert fingerprint(["a", "b"], ["x", "z"]) != base


def test_load_or_build_reuses_matching_index_and_rebuilds_on_change(tmp_path, monkeypatch):
    folder = tmp_path / "lex"
    chunks = [_Chunk("a", "UMKM go digital"), _Chunk("b", "target 2024")]
    first = LexicalIndex.load_or_build(folder, chunks)
    built = []
    original_build = LexicalIndex.build.__func__
    monkeypatch.setattr(LexicalIndex, "build", classmethod(lambda cls, *a: built.append(1) or original_build(cls, *a)))
    again = LexicalIndex.load_or_build(folder, chunks)
    assert built == [] and again.fingerprint == first.fingerprint
    changed = LexicalIndex.load_or_build(folder, chunks + [_Chunk("c", "ekosistem digital")])
    assert built == [1] and changed.fingerprint != first.fingerprint
    assert "c" in changed.scores("ekosistem")


def test_corrupt_saved_index_is_rebuilt(tmp_path):
    folder = tmp_path / "lex"
    chunks = [_Chunk("a", "UMKM go digital")]
    LexicalIndex.load_or_build(folder, chunks)
    (folder / "vocab.index.json").write_text("{not json", encoding="utf-8")
    index = LexicalIndex.load_or_build(folder, chunks)
    assert index.scores("digital", normalisation="max") == {"a": 1.0}


def test_mismatched_ids_and_texts_rejected():
    with pytest.raises(ValueError):
        LexicalIndex.build(["a", "b"], ["only one"])


def test_default_normalisation_is_bound_and_below_one():
    index = LexicalIndex.build(["a", "b"], ["UMKM go digital 27 juta", "target 30 juta UMKM pada 2024"])
    scores = index.scores("target UMKM 2024 ekonomi")
    assert scores == index.scores("target UMKM 2024 ekonomi", normalisation="bound")
    assert all(0 < value < 1 for value in scores.values())
    assert scores["b"] > scores["a"]


def test_bound_normalisation_keeps_weak_matches_low():
    index = LexicalIndex.build(
        ["a", "b", "c"], ["UMKM go digital 27 juta", "target 30 juta UMKM pada 2024", "cuaca cerah di Jakarta"]
    )
    bound = index.scores("target populasi ekonomi 2024 Jakarta", normalisation="bound")
    best = index.scores("target populasi ekonomi 2024 Jakarta", normalisation="max")
    assert all(0 < value < 1 for value in bound.values())
    assert max(best.values()) == pytest.approx(1.0)
    # the same ranking, only the scale differs
    assert sorted(bound, key=bound.get) == sorted(best, key=best.get)
    with pytest.raises(ValueError):
        index.scores("target", normalisation="zscore")
