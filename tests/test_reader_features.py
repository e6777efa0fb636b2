"""The candidate feature vector: names, lengths, and the relative features."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from assistant.analyse import analyse
from assistant.evidence import build_views
from assistant.load import load_document
from assistant.reader.candidates import candidate_figures
from assistant.reader.features import FEATURE_NAMES, RELATIVE, Slot, figure_features, unit_kind, with_relative
from assistant.schema import ScoredChunk
from assistant.split import split_document
from conftest import CORPUS, SEED_FILE

ABSOLUTE = len(FEATURE_NAMES) - len(RELATIVE) - 2


def test_feature_names_are_unique_and_end_with_the_relative_ones():
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    tail = FEATURE_NAMES[ABSOLUTE:]
    assert tail == tuple(f"{name}_gap" for name in RELATIVE) + ("claim_cos_rank", "sentence_cos_rank")
    assert all(name in FEATURE_NAMES[:ABSOLUTE] for name in RELATIVE)


@pytest.fixture(scope="module")
def seed_view():
    chunks = split_document(load_document(CORPUS / SEED_FILE), chunk_size=300)
    (view,) = build_views(chunks).values()
    return view, chunks


def _absolute_row(view, figure, analysis, **overrides):
    slot = Slot(analysis.periods[0] if analysis.periods else None, analysis.role, analysis.wants_current,
                analysis.expected_unit)
    arguments = dict(chunk_dense=0.8, chunk_lexical=0.2, chunk_rank=0, held=True, top_dense=0.8, doc_rank=0,
                     doc_dense=0.8, relation="match", effective_period=figure.period, fits_unit=True,
                     rule_score=1.0, rule_rank=0, index_in_sentence=0, figures_in_sentence=1, sentence_index=0)
    arguments.update(overrides)
    return figure_features(analysis, slot, figure, view, **arguments)


def test_figure_features_and_with_relative_give_full_rows(seed_view):
    view, _ = seed_view
    analysis = analyse("Berapa UMKM yang sudah go digital per Juni 2023?")
    rows = [_absolute_row(view, f, analysis, claim_cos=0.1 * i, chunk_dense=0.9 - 0.05 * i)
            for i, f in enumerate(view.figures)]
    assert all(len(row) == ABSOLUTE for row in rows)
    full = with_relative(rows)
    assert len(full) == len(rows) and all(len(row) == len(FEATURE_NAMES) for row in full)
    assert [row[:ABSOLUTE] for row in full] == rows  # the absolute part is kept as it was
    named = dict(zip(FEATURE_NAMES, full[0]))
    assert named["chunk_dense"] == 0.9 and named["held_by_retrieved"] == 1.0 and named["rule_accepts"] == 1.0


def test_rule_rejection_is_its_own_feature(seed_view):
    view, _ = seed_view
    analysis = analyse("Berapa UMKM yang sudah go digital per Juni 2023?")
    named = dict(zip(FEATURE_NAMES, _absolute_row(view, view.figures[0], analysis, rule_score=None)))
    assert named["rule_accepts"] == 0.0 and named["rule_score"] == -1.0


def test_relative_gaps_are_zero_for_the_leader_and_never_negative():
    rng = random.Random(7)
    rows = [[rng.random() for _ in range(ABSOLUTE)] for _ in range(9)]
    full = with_relative(rows)
    for name in RELATIVE:
        column, gap = FEATURE_NAMES.index(name), FEATURE_NAMES.index(f"{name}_gap")
        leader = max(range(len(rows)), key=lambda i: rows[i][column])
        assert full[leader][gap] == 0.0
        assert all(row[gap] >= 0.0 for row in full)
        assert all(row[gap] == pytest.approx(rows[leader][column] - row[column]) for row in full)
    for name, rank in (("claim_cos", "claim_cos_rank"), ("sentence_cos", "sentence_cos_rank")):
        column, position = FEATURE_NAMES.index(name), FEATURE_NAMES.index(rank)
        order = sorted(range(len(rows)), key=lambda i: -rows[i][column])
        assert [full[i][position] for i in order] == [float(r) for r in range(len(rows))]


def test_with_relative_of_nothing_is_nothing():
    assert with_relative([]) == []


def test_candidate_rows_from_the_seed_briefing_have_consistent_relative_features(seed_view):
    view, chunks = seed_view
    retrieved = [ScoredChunk(chunk=c, score=0.9 - 0.01 * i, dense=0.9 - 0.01 * i, lexical=0.2)
                 for i, c in enumerate(chunks)]
    analysis = analyse("How many MSMEs had gone digital by June 2023?")
    found = candidate_figures(analysis, retrieved, {view.source: view}, analysis.periods[0], analysis.role,
                              analysis.wants_current, scorer=None)
    assert found and all(len(c.features) == len(FEATURE_NAMES) for c in found)
    named = [dict(zip(FEATURE_NAMES, c.features)) for c in found]
    best_dense = max(n["chunk_dense"] for n in named)
    assert all(n["chunk_dense_gap"] == pytest.approx(best_dense - n["chunk_dense"]) for n in named)
    assert sorted(n["claim_cos_rank"] for n in named) == [float(r) for r in range(len(found))]
    assert sorted(n["rule_rank"] for n in named) == [float(r) for r in range(len(found))]


@pytest.mark.parametrize("unit, kind", [("%", "%"), ("pp", "pp"), ("IDR", "currency"), ("USD/kg", "currency"),
                                        ("ton", "measure"), ("UMKM", "count"), (None, "none")])
def test_unit_kind(seed_view, unit, kind):
    view, _ = seed_view
    figure = view.figures[0]
    assert unit_kind(replace(figure, unit=unit)) == kind


def test_a_claims_entity_against_the_names_the_question_says(tmp_path):
    from conftest import PROVINCES, views_of

    from assistant.reader.features import _names_in, _said
    from assistant.matching import stems_of

    views, _ = views_of(tmp_path, PROVINCES)
    (view,) = views.values()
    analysis = analyse("Berapa realisasi investasi di Banten pada triwulan I 2024?")
    named = dict(zip(FEATURE_NAMES, _row_with_claim(view, 25.3e12, analysis)))
    national = dict(zip(FEATURE_NAMES, _row_with_claim(view, 401.5e12, analysis)))
    west_java = dict(zip(FEATURE_NAMES, _row_with_claim(view, 64.7e12, analysis)))
    assert named["claim_has_entity"] == 1.0 and named["entity_said"] == 1.0 and named["names_in_claim"] == 1.0
    assert west_java["claim_has_entity"] == 1.0 and west_java["entity_said"] == 0.0
    assert national["claim_has_entity"] == 0.0 and national["entity_said"] == -1.0
    assert named["names_asked"] == 1.0
    # the helpers: a phrase's share the question says, and the share of the question's names a text writes
    terms = stems_of("investment in Central Sulawesi")
    assert _said("Sulawesi Tengah", terms) == 0.5 and _said(None, terms) == -1.0
    assert _names_in(("Banten", "PMA"), "Banten memperoleh Rp25,3 triliun") == 0.5
    assert _names_in((), "anything") == -1.0


def _row_with_claim(view, value, analysis):
    figure = next(f for f in view.figures if abs(float(f.value) - value) < 1e6)
    return _absolute_row(view, figure, analysis, claim=view.claims.get(figure.start))


def test_the_day_a_question_names_is_told_from_another_day_of_its_month(tmp_path):
    source = tmp_path / "2023-11-22-lelang.md"
    source.write_text('---\ntitle: "Hasil Lelang SUN 21 November 2023"\ndate: 2023-11-22\nlanguage: id\n---\n'
                      "Pada lelang 21 November 2023 penawaran masuk Rp22,65 triliun.\n\n"
                      "Pada lelang 7 November 2023 penawaran masuk Rp29,14 triliun.\n\n"
                      "Sepanjang November 2023 pemerintah menyerap Rp40 triliun.\n", encoding="utf-8")
    (view,) = build_views(split_document(load_document(source), chunk_size=300)).values()
    analysis = analyse("Berapa penawaran masuk pada lelang SUN 7 November 2023?")
    named = {float(f.value): dict(zip(FEATURE_NAMES, _absolute_row(view, f, analysis))) for f in view.figures}
    assert named[29.14e12]["day_in_sentence"] == 1.0
    assert named[22.65e12]["day_in_sentence"] == -1.0
    assert named[40e12]["day_in_sentence"] == -0.5  # the month's total names no day: told from a question that asks none
    assert named[29.14e12]["day_in_title"] == -1.0  # the title names the other auction's day
    no_day = analyse("Berapa penawaran masuk pada lelang SUN November 2023?")
    assert dict(zip(FEATURE_NAMES, _absolute_row(view, view.figures[0], no_day)))["day_in_sentence"] == 0.0


def test_a_claim_of_another_basis_than_the_one_asked_is_a_qualifier_conflict(tmp_path):
    source = tmp_path / "2023-08-07-pdrb.md"
    source.write_text('---\ntitle: "PDRB Jakarta Triwulan II-2023"\ndate: 2023-08-07\nlanguage: id\n---\n'
                      "Ekonomi Jakarta pada triwulan II-2023 tumbuh 5,13 persen (y-on-y).\n\n"
                      "Dibandingkan triwulan sebelumnya, ekonomi Jakarta tumbuh 1,73 persen (q-to-q).\n", encoding="utf-8")
    (view,) = build_views(split_document(load_document(source), chunk_size=300)).values()
    analysis = analyse("Berapa pertumbuhan ekonomi Jakarta secara q-to-q pada triwulan II-2023?")
    named = {}
    for figure in view.figures:
        claim = view.claims.get(figure.start)
        named[float(figure.value)] = dict(zip(FEATURE_NAMES, _absolute_row(view, figure, analysis, claim=claim)))
    assert named[5.13]["qualifier_conflict"] == 1.0 and named[5.13]["qualifier_match"] == 0.0
    assert named[1.73]["qualifier_match"] == 1.0 and named[1.73]["qualifier_conflict"] == 0.0
